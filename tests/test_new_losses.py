"""The losses of notebooks 09-11 and the new torch options: gradients against finite differences
(every option combination), dtypes, registries, warnings, and the documented edge cases.

Reference values with the arithmetic written out are in test_reference_values.py, torch parity
in test_torch_parity_new.py, properties in test_properties.py, bad input in test_bad_input.py.
"""

import itertools
import math
import warnings

import numpy as np
import pytest

import lossviz as lv

REDUCTIONS = ["mean", "sum", "none"]
# central differences (eps 1e-6): truncation ~1e-12 f''', rounding ~1e-10 |f|; see test_gradients
RTOL, ATOL = 1e-6, 1e-8


def fd_check(loss, grad, x, *args, **opts):
    """The analytic gradient w.r.t. x equals central differences of sum(loss(x, ...))."""
    x = np.asarray(x, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # valid inputs do not warn
        analytic = np.asarray(grad(x, *args, **opts))
        numeric = lv.numerical_grad(lambda x_: np.sum(loss(x_, *args, **opts)), x)
    assert analytic.shape == x.shape
    assert analytic.dtype == np.float64
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)


# --------------------------------------------------------------------------------------------
# Finite differences, every gradient, every option combination
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
@pytest.mark.parametrize("ignore_index", [-100, 1])
@pytest.mark.parametrize("weight", [None, [0.5, 2.0, 1.0, 0.0]], ids=["no-weight", "weight"])
def test_cross_entropy_grad_fd(weight, ignore_index, label_smoothing, reduction):
    rng = np.random.default_rng(1)
    z = rng.normal(scale=2.0, size=(6, 4))
    y = np.array([0, 1, 2, -100, 1, 3]) if ignore_index == -100 else np.array([0, 1, 2, 3, 1, 2])
    opts = {"weight": weight, "ignore_index": ignore_index, "label_smoothing": label_smoothing,
            "reduction": reduction}
    fd_check(lv.cross_entropy, lv.cross_entropy_grad, z, y, **opts)
    value, g = lv.cross_entropy_and_grad(z, y, **opts)
    np.testing.assert_array_equal(value, lv.cross_entropy(z, y, **opts))
    np.testing.assert_array_equal(g, lv.cross_entropy_grad(z, y, **opts))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weight", [None, [0.5, 2.0, 1.0, 0.0]], ids=["no-weight", "weight"])
def test_soft_cross_entropy_grad_fd(weight, label_smoothing, reduction):
    rng = np.random.default_rng(4)
    z, t = rng.normal(scale=2.0, size=(3, 4)), rng.dirichlet(np.ones(4), size=3)
    fd_check(lv.soft_cross_entropy, lv.soft_cross_entropy_grad, z, t, weight=weight,
             label_smoothing=label_smoothing, reduction=reduction)


def test_soft_cross_entropy_weight_by_hand():
    # logits (0, 0): p = (0.5, 0.5); target (0.25, 0.75), weights (2, 1):
    #   -(2 * 0.25 ln 0.5 + 1 * 0.75 ln 0.5) = 1.25 ln 2 = 0.866434; "mean" over N = 1 row
    assert lv.soft_cross_entropy([[0.0, 0.0]], [[0.25, 0.75]], weight=[2.0, 1.0]) == \
        pytest.approx(1.25 * math.log(2), rel=1e-14)
    # gradient p sum(w t) - w t = 0.5 * 1.25 - (0.5, 0.75) = (0.125, -0.125)
    np.testing.assert_allclose(
        lv.soft_cross_entropy_grad([[0.0, 0.0]], [[0.25, 0.75]], weight=[2.0, 1.0]),
        [[0.125, -0.125]], rtol=1e-14)
    with pytest.raises(ValueError, match=r"soft_cross_entropy: weight has shape \(3,\)"):
        lv.soft_cross_entropy([[0.0, 0.0]], [[0.25, 0.75]], weight=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"soft_cross_entropy_grad: weight must be non-negative"):
        lv.soft_cross_entropy_grad([[0.0, 0.0]], [[0.25, 0.75]], weight=[1.0, -1.0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("weight", "pos_weight"), list(itertools.product(
    [None, 0.5, [1.0, 2.0, 0.0], [[2.0], [1.0]]],
    [None, [3.0, 0.5, 1.0], [[1.0, 2.0, 3.0], [0.0, 1.0, 4.0]]])))
def test_bce_with_logits_grad_fd(weight, pos_weight, reduction):
    z = np.array([[-2.5, 0.3, 4.0], [1.5, -0.7, -6.0]])
    y = np.array([[1.0, 0.0, 0.3], [0.0, 1.0, 1.0]])
    opts = {"weight": weight, "pos_weight": pos_weight, "reduction": reduction}
    fd_check(lv.binary_cross_entropy_with_logits, lv.binary_cross_entropy_with_logits_grad, z, y,
             **opts)
    value, g = lv.binary_cross_entropy_with_logits_and_grad(z, y, **opts)
    np.testing.assert_allclose(value, lv.binary_cross_entropy_with_logits(z, y, **opts),
                               rtol=1e-15)
    np.testing.assert_allclose(g, lv.binary_cross_entropy_with_logits_grad(z, y, **opts),
                               rtol=1e-15)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, 2.0, [0.5, 1.0, 3.0], [[1.0], [0.25]]], ids=str)
def test_bce_grad_fd(weight, reduction):
    p = np.array([[0.1, 0.45, 0.8], [0.6, 0.3, 0.95]])
    y = np.array([[1.0, 0.0, 0.3], [0.0, 1.0, 1.0]])
    fd_check(lv.binary_cross_entropy, lv.binary_cross_entropy_grad, p, y, weight=weight,
             reduction=reduction)


@pytest.mark.parametrize("reduction", [*REDUCTIONS, "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_grad_fd(log_target, reduction):
    rng = np.random.default_rng(2)
    log_q = np.log(rng.dirichlet(np.ones(4), size=3))
    p = rng.dirichlet(np.ones(4), size=3)
    p[0] = [0.0, 0.5, 0.5, 0.0]
    target = np.log(rng.dirichlet(np.ones(4), size=3)) if log_target else p
    fd_check(lv.kl_div, lv.kl_div_grad, log_q, target, reduction=reduction,
             log_target=log_target)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("alpha", "gamma"), list(itertools.product(
    [0.25, -1.0, 1.0], [0.0, 0.5, 2.0, 3.0])))
def test_sigmoid_focal_loss_grad_fd(alpha, gamma, reduction):
    z = np.array([[-3.0, -0.4, 0.2], [1.1, 2.5, 6.0]])
    y = np.array([[1.0, 0.0, 0.7], [0.0, 1.0, 1.0]])
    fd_check(lv.sigmoid_focal_loss, lv.sigmoid_focal_loss_grad, z, y, alpha=alpha, gamma=gamma,
             reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_brier_score_grad_fd(reduction):
    # binary (element-wise), and classes: the gradient treats every p_c as a free number
    fd_check(lv.brier_score, lv.brier_score_grad, [[0.2, 0.9], [0.5, 0.05]],
             [[1.0, 1.0], [0.0, 0.0]], reduction=reduction)
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    analytic = lv.brier_score_grad(p, [0, 1], reduction=reduction)
    # finite differences that move one p_c leave the simplex, so differentiate the formula
    # written with the labels as one-hot rows (the binary form, summed per row)
    onehot = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    n = 2 if reduction == "mean" else 1
    numeric = lv.numerical_grad(
        lambda q: np.sum(lv.brier_score(q, onehot, reduction="sum")) / n, p)
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("quantile", [0.1, 0.5, 0.9])
def test_pinball_loss_grad_fd(quantile, reduction):
    y_pred = np.array([[0.5, -1.0, 2.0], [3.0, 0.0, -0.5]])
    y_true = np.array([[1.5, -2.0, 2.4], [2.0, 0.3, -0.1]])  # no ties (the kink)
    fd_check(lv.pinball_loss, lv.pinball_loss_grad, y_pred, y_true, quantile=quantile,
             reduction=reduction)


VAR_SHAPES = {"same": (2, 3), "last-dropped": (2,), "last-1": (2, 1), "first-1": (1, 3)}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("var_shape", list(VAR_SHAPES))
def test_gaussian_nll_grads_fd(var_shape, full, reduction):
    y_pred = np.array([[0.5, -1.0, 2.0], [3.0, 0.0, -0.5]])
    y_true = np.array([[1.5, -2.0, 2.4], [2.0, 0.3, -0.1]])
    var = np.linspace(0.3, 2.0, math.prod(VAR_SHAPES[var_shape])).reshape(VAR_SHAPES[var_shape])
    opts = {"full": full, "reduction": reduction}
    g_pred, g_var = lv.gaussian_nll_grad(y_pred, y_true, var, **opts)
    assert g_var.shape == var.shape  # summed over the axes along which var is shared
    num_pred = lv.numerical_grad(lambda a: np.sum(lv.gaussian_nll(a, y_true, var, **opts)),
                                 y_pred)
    num_var = lv.numerical_grad(lambda v: np.sum(lv.gaussian_nll(y_pred, y_true, v, **opts)),
                                var)
    np.testing.assert_allclose(g_pred, num_pred, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(g_var, num_var, rtol=RTOL, atol=ATOL)


def test_gaussian_nll_grad_for_a_single_number_var():
    y_pred, y_true = np.array([0.5, 2.0, -1.0]), np.array([0.0, 0.0, 0.0])
    g_pred, g_var = lv.gaussian_nll_grad(y_pred, y_true, 0.8, reduction="sum")
    assert np.shape(g_var) == ()
    # d/dv sum_i 0.5 (log v + d_i^2 / v) = 0.5 (3 / v - sum d^2 / v^2); sum d^2 = 0.25 + 4 + 1
    assert float(g_var) == pytest.approx(0.5 * (3 / 0.8 - 5.25 / 0.64), rel=1e-14)
    np.testing.assert_allclose(g_pred, y_pred / 0.8, rtol=1e-15)


# --------------------------------------------------------------------------------------------
# Documented edge cases
# --------------------------------------------------------------------------------------------

def test_gaussian_nll_var_below_eps_is_clamped_and_its_gradient_passes_through():
    # torch clamps var at eps under no_grad: the loss is flat in var below eps, but autograd
    # still reports the formula's gradient at eps (straight through the clamp), not 0.
    eps = 1e-6
    loss_small = lv.gaussian_nll([0.5], [0.0], [1e-9], reduction="sum")
    loss_eps = lv.gaussian_nll([0.5], [0.0], [eps], reduction="sum")
    assert loss_small == loss_eps  # 0.5 (ln 1e-6 + 0.25 / 1e-6) = 0.5 (-13.8155 + 250000)
    assert loss_eps == pytest.approx(0.5 * (math.log(eps) + 0.25 / eps), rel=1e-14)
    _, g_small = lv.gaussian_nll_grad([0.5], [0.0], [1e-9], reduction="sum")
    # 0.5 (1 / eps - 0.25 / eps^2) = 0.5 (1e6 - 2.5e11) = -124999500000
    assert g_small[0] == pytest.approx(-124_999_500_000.0, rel=1e-12)


def test_gaussian_nll_with_a_custom_eps():
    # eps = 0.5 > var = 0.1: v = 0.5; 0.5 (ln 0.5 + 1 / 0.5) = 0.5 (-0.693147 + 2) = 0.653426
    assert lv.gaussian_nll([1.0], [0.0], [0.1], eps=0.5) == pytest.approx(
        0.5 * (math.log(0.5) + 2.0), rel=1e-14)


def test_cross_entropy_all_ignored():
    z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    with pytest.raises(ValueError, match=r"every target equals ignore_index \(-100\).*0 by 0"):
        lv.cross_entropy(z, [-100, -100])
    with pytest.raises(ValueError, match=r"ignore_index"):
        lv.cross_entropy_grad(z, [-100, -100])
    with pytest.raises(ValueError, match=r"ignore_index"):
        lv.cross_entropy_and_grad(z, [-100, -100])
    with pytest.raises(ValueError, match=r"weights of the targets that are not ignored sum to 0"):
        lv.cross_entropy(z, [0, -100], weight=[0.0, 1.0, 1.0])
    # "sum" and "none" are well defined: 0 and zeros, with a zero gradient
    assert lv.cross_entropy(z, [-100, -100], reduction="sum") == 0.0
    np.testing.assert_array_equal(lv.cross_entropy(z, [-100, -100], reduction="none"), [0, 0])
    np.testing.assert_array_equal(lv.cross_entropy_grad(z, [-100, -100], reduction="sum"),
                                  np.zeros((2, 3)))
    # one ignored example and a scalar label on (C,) logits
    with pytest.raises(ValueError, match="ignore_index"):
        lv.cross_entropy([1.0, 2.0], -100)


def test_cross_entropy_ignore_index_drops_rows_from_loss_gradient_and_count():
    z = np.array([[2.0, 0.5, -1.0], [0.3, 0.3, 0.3], [0.0, 1.0, 2.0]])
    kept = lv.cross_entropy(z[[0, 2]], [0, 2], reduction="none")
    # mean over the 2 kept rows, not 3
    assert lv.cross_entropy(z, [0, -100, 2]) == pytest.approx(kept.mean(), rel=1e-15)
    g = lv.cross_entropy_grad(z, [0, -100, 2], reduction="sum")
    np.testing.assert_array_equal(g[1], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(g[[0, 2]], lv.cross_entropy_grad(z[[0, 2]], [0, 2], reduction="sum"),
                               rtol=1e-15, atol=1e-17)
    # ignore_index may be a real class: labels 1 are skipped
    assert lv.cross_entropy(z, [0, 1, 2], ignore_index=1) == pytest.approx(kept.mean(), rel=1e-15)


def test_unit_weights_and_no_ignored_label_give_the_unweighted_numbers():
    rng = np.random.default_rng(3)
    z, y = rng.normal(size=(5, 4)), rng.integers(0, 4, 5)
    for ls in (0.0, 0.3):
        for reduction in REDUCTIONS:
            plain = lv.cross_entropy(z, y, label_smoothing=ls, reduction=reduction)
            ones = lv.cross_entropy(z, y, weight=np.ones(4), label_smoothing=ls,
                                    reduction=reduction)
            np.testing.assert_allclose(ones, plain, rtol=1e-14)
            np.testing.assert_allclose(
                lv.cross_entropy_grad(z, y, weight=np.ones(4), label_smoothing=ls,
                                      reduction=reduction),
                lv.cross_entropy_grad(z, y, label_smoothing=ls, reduction=reduction),
                rtol=1e-13, atol=1e-16)


def test_bce_weight_is_a_factor_and_mean_still_divides_by_the_element_count():
    z, y = np.array([0.0, 2.0, -1.0]), np.array([1.0, 0.0, 1.0])
    per = lv.binary_cross_entropy_with_logits(z, y, reduction="none")
    w = np.array([3.0, 0.0, 0.5])
    # (3 per0 + 0 + 0.5 per2) / 3 elements, not / (3 + 0 + 0.5)
    assert lv.binary_cross_entropy_with_logits(z, y, weight=w) == pytest.approx(
        (3 * per[0] + 0.5 * per[2]) / 3, rel=1e-15)
    # pos_weight = 1 is no weighting
    np.testing.assert_allclose(
        lv.binary_cross_entropy_with_logits(z, y, pos_weight=np.ones(3), reduction="none"), per,
        rtol=1e-15)


def test_bce_weighted_at_huge_logits_is_exact():
    # a confident, correct answer at z = +-800 costs e^-800 (underflows to 0), a confident
    # wrong one 800 times its weight; the gradient is 0 or -pw (y = 1) / +1 (y = 0)
    z, y = np.array([800.0, -800.0, -800.0, 800.0]), np.array([1.0, 0.0, 1.0, 0.0])
    pw = np.array([2.0, 2.0, 2.0, 2.0])
    np.testing.assert_array_equal(
        lv.binary_cross_entropy_with_logits(z, y, pos_weight=pw, reduction="none"),
        [0.0, 0.0, 1600.0, 800.0])
    np.testing.assert_array_equal(
        lv.binary_cross_entropy_with_logits_grad(z, y, pos_weight=pw, reduction="none"),
        [0.0, 0.0, -2.0, 1.0])


def test_sigmoid_focal_loss_is_finite_and_exact_at_huge_logits():
    z, y = np.array([800.0, -800.0, -800.0, 800.0]), np.array([1.0, 0.0, 1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = lv.sigmoid_focal_loss(z, y, alpha=-1, gamma=0.5)
        grad = lv.sigmoid_focal_loss_grad(z, y, alpha=-1, gamma=0.5)
    # right answers: 0; wrong ones: (1 - p_t)^0.5 = 1 times the cross-entropy 800
    np.testing.assert_array_equal(loss, [0.0, 0.0, 800.0, 800.0])
    np.testing.assert_array_equal(grad, [0.0, 0.0, -1.0, 1.0])


def test_kl_div_zero_target_terms_are_zero_and_log_target_matches():
    log_q = np.log([[0.5, 0.25, 0.25]])
    p = np.array([[0.0, 0.5, 0.5]])
    per = lv.kl_div(log_q, p, reduction="none")
    # 0 (no mass); 0.5 (ln 0.5 - ln 0.25) = 0.5 ln 2 twice
    np.testing.assert_allclose(per, [[0.0, 0.5 * math.log(2), 0.5 * math.log(2)]], rtol=1e-15)
    q2 = np.array([[0.2, 0.3, 0.5]])
    np.testing.assert_allclose(
        lv.kl_div(log_q, np.log(q2), reduction="sum", log_target=True),
        lv.kl_div(log_q, q2, reduction="sum"), rtol=1e-14)


@pytest.mark.parametrize("rows", [[[0.7, 0.2, 0.1]], [[0.5, 0.5], [1.0, 0.0]], [0.25, 0.75]])
def test_kl_div_warns_when_input_looks_like_probabilities(rows):
    target = np.full(np.shape(rows), 1.0 / np.shape(rows)[-1])
    for fn in (lv.kl_div, lv.kl_div_grad):
        with pytest.warns(UserWarning, match=r"looks like probabilities.*LOG-probabilities"):
            fn(rows, target)


def test_kl_div_warns_when_input_is_positive():
    with pytest.warns(UserWarning, match=r"positive values.*log_softmax"):
        lv.kl_div([[2.0, -1.0, 0.5]], [[0.2, 0.3, 0.5]])


@pytest.mark.parametrize("log_q", [np.log([[0.7, 0.2, 0.1]]), [[0.0, -50.0]], [[-1.0, -1.0]]])
def test_kl_div_valid_log_probabilities_do_not_warn(log_q):
    target = np.full(np.shape(log_q), 1.0 / np.shape(log_q)[-1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lv.kl_div(log_q, target)
        lv.kl_div_grad(log_q, target)


def test_kl_div_probabilities_as_input_can_be_negative():
    # the trap notebook 09 shows: input = p itself instead of log q gives a negative "KL"
    with pytest.warns(UserWarning):
        wrong = lv.kl_div([[0.9, 0.1]], [[0.5, 0.5]], reduction="batchmean")
    # 0.5 (ln 0.5 - 0.9) + 0.5 (ln 0.5 - 0.1) = ln 0.5 - 0.5 = -1.193147
    assert wrong == pytest.approx(math.log(0.5) - 0.5, rel=1e-14)


def test_entropy_of_a_certain_row_is_positive_zero():
    h = lv.entropy([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(h, [0.0, 0.0])
    assert not np.signbit(h).any()


def test_pinball_gradient_at_a_tie_is_the_middle_of_the_slopes():
    # slopes -q (target above) and 1 - q (below): at a tie 1/2 - q; 0 at the median, like MAE
    g = lv.pinball_loss_grad([1.0, 1.0], [1.0, 1.0], quantile=0.8, reduction="none")
    np.testing.assert_allclose(g, [-0.3, -0.3], rtol=1e-15)
    assert lv.pinball_loss_grad([1.0], [1.0], quantile=0.5, reduction="none")[0] == 0.0


# --------------------------------------------------------------------------------------------
# dtypes, registries, layout
# --------------------------------------------------------------------------------------------

F32_CASES = {
    "entropy": lambda f: lv.entropy(f([[0.5, 0.5]])),
    "kl_div": lambda f: lv.kl_div(f(np.log([[0.5, 0.5]])), f([[0.2, 0.8]])),
    "kl_div_grad": lambda f: lv.kl_div_grad(f(np.log([[0.5, 0.5]])), f([[0.2, 0.8]])),
    "ce_weighted": lambda f: lv.cross_entropy(f([[1.0, 2.0]]), [0], weight=[1.0, 2.0]),
    "ce_weighted_grad": lambda f: lv.cross_entropy_grad(f([[1.0, 2.0], [0.0, 0.0]]), [0, -100],
                                                        weight=[1.0, 2.0], label_smoothing=0.1),
    "bce_weighted": lambda f: lv.binary_cross_entropy(f([0.3]), f([1.0]), weight=[2.0]),
    "bce_weighted_grad": lambda f: lv.binary_cross_entropy_grad(f([0.3]), f([1.0]), weight=2.0),
    "bcel_pw": lambda f: lv.binary_cross_entropy_with_logits(f([0.3]), f([1.0]), pos_weight=[2.0]),
    "bcel_pw_grad": lambda f: lv.binary_cross_entropy_with_logits_grad(
        f([0.3]), f([1.0]), pos_weight=np.array([2.0]), weight=np.array([0.5])),
    "focal": lambda f: lv.sigmoid_focal_loss(f([0.3]), f([1.0])),
    "focal_grad": lambda f: lv.sigmoid_focal_loss_grad(f([0.3]), f([1.0]), gamma=1.5),
    "brier": lambda f: lv.brier_score(f([[0.3, 0.7]]), [1]),
    "brier_grad": lambda f: lv.brier_score_grad(f([0.3]), f([1.0])),
    "gaussian_nll": lambda f: lv.gaussian_nll(f([0.3]), f([1.0]), f([0.5]), full=True),
    "gaussian_nll_grad": lambda f: lv.gaussian_nll_grad(f([0.3, 1.0]), f([1.0, 0.0]), 0.5),
    "pinball": lambda f: lv.pinball_loss(f([0.3]), f([1.0]), quantile=0.9),
    "pinball_grad": lambda f: lv.pinball_loss_grad(f([0.3]), f([1.0]), quantile=0.9),
}


@pytest.mark.parametrize("name", list(F32_CASES))
def test_float32_in_float32_out(name):
    out = F32_CASES[name](lambda a: np.asarray(a, dtype=np.float32))
    for o in (out if isinstance(out, tuple) else (out,)):
        assert np.asarray(o).dtype == np.float32, name
    out64 = F32_CASES[name](lambda a: np.asarray(a, dtype=np.float64))
    for o in (out64 if isinstance(out64, tuple) else (out64,)):
        assert np.asarray(o).dtype == np.float64, name


NEW_IN_LOSSES = ("kl_div", "sigmoid_focal_loss", "brier_score")


def test_losses_registry_holds_the_new_losses():
    # one registry: the new losses that are called like the others are entries of LOSSES
    for name in NEW_IN_LOSSES:
        loss, grad = lv.LOSSES[name]
        assert loss is getattr(lv, name)
        assert grad is getattr(lv, f"{name}_grad")
    assert not hasattr(lv, "EXTRA_LOSSES")
    # called differently, so not registered: one argument, three arguments, quantile=
    assert {"entropy", "gaussian_nll", "pinball_loss"}.isdisjoint(lv.LOSSES)


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _softplus(z):
    return math.log1p(math.exp(z))


def _focal_by_hand(z, y):
    """(loss, d loss / dz) of one logit z with label y at alpha = 0.25, gamma = 2."""
    s, s_neg = _sigmoid(z), _sigmoid(-z)
    if y == 0:
        return (0.75 * s**2 * _softplus(z), 0.75 * s**2 * (2 * s_neg * _softplus(z) + s))
    return (0.25 * s_neg**2 * _softplus(-z), -0.25 * s_neg**2 * (2 * s * _softplus(-z) + s_neg))


CASES = {
    "kl_div": (np.log([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]), np.array([[0.2, 0.3, 0.5],
                                                                      [0.0, 0.5, 0.5]])),
    "sigmoid_focal_loss": (np.array([[-1.0, 0.5], [2.0, -0.3]]), np.array([[0.0, 1.0],
                                                                             [1.0, 1.0]])),
    "brier_score": (np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]), np.array([0, 2])),
}
# The "none" terms and the gradient of their sum, by hand:
BY_HAND = {
    # p (ln p - ln q) per element, 0 where p = 0; gradient -p (input is log q)
    "kl_div": (
        [[0.2 * math.log(0.2 / 0.5), 0.3 * math.log(0.3 / 0.3), 0.5 * math.log(0.5 / 0.2)],
         [0.0, 0.5 * math.log(0.5 / 0.1), 0.5 * math.log(0.5 / 0.8)]],
        [[-0.2, -0.3, -0.5], [-0.0, -0.5, -0.5]]),
    # defaults alpha = 0.25, gamma = 2: alpha_t (1 - p_t)^2 BCE, so with s = sigma(z)
    #   y = 0: 0.75 s(z)^2 softplus(z),   d/dz = 0.75 s(z)^2 [2 s(-z) softplus(z) + s(z)]
    #   y = 1: 0.25 s(-z)^2 softplus(-z), d/dz = -0.25 s(-z)^2 [2 s(z) softplus(-z) + s(-z)]
    "sigmoid_focal_loss": (
        [[_focal_by_hand(-1.0, 0)[0], _focal_by_hand(0.5, 1)[0]],
         [_focal_by_hand(2.0, 1)[0], _focal_by_hand(-0.3, 1)[0]]],
        [[_focal_by_hand(-1.0, 0)[1], _focal_by_hand(0.5, 1)[1]],
         [_focal_by_hand(2.0, 1)[1], _focal_by_hand(-0.3, 1)[1]]]),
    # per row sum_c (p_c - onehot_c)^2: 0.5^2 + 0.3^2 + 0.2^2 = 0.38, 0.1^2 + 0.1^2 + 0.2^2 = 0.06;
    # gradient 2 (p - onehot)
    "brier_score": ([0.38, 0.06], [[-1.0, 0.6, 0.4], [0.2, 0.2, -0.4]]),
}


@pytest.mark.parametrize("name", NEW_IN_LOSSES)
def test_new_registered_losses_mean_sum_none_by_hand(name):
    loss, grad = lv.LOSSES[name]
    x, y = CASES[name]
    terms, g_sum = BY_HAND[name]
    terms = np.array(terms)
    n = terms.size  # "mean" divides by the number of terms: 6 elements, 4 elements, 2 rows
    np.testing.assert_allclose(loss(x, y, reduction="none"), terms, rtol=1e-13, atol=1e-16)
    assert loss(x, y, reduction="sum") == pytest.approx(terms.sum(), rel=1e-13)
    assert loss(x, y, reduction="mean") == pytest.approx(terms.sum() / n, rel=1e-13)
    np.testing.assert_allclose(grad(x, y, reduction="sum"), g_sum, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(grad(x, y, reduction="mean"), grad(x, y, reduction="sum") / n,
                               rtol=1e-14)
    np.testing.assert_allclose(grad(x, y, reduction="none"), grad(x, y, reduction="sum"),
                               rtol=1e-14)
    if name != "brier_score":  # brier's class form is checked in test_brier_score_grad_fd
        fd_check(loss, grad, x, y, reduction="sum")


def test_binary_losses_still_importable_from_classification():
    from lossviz import binary, classification

    for name in ("binary_cross_entropy", "binary_cross_entropy_grad",
                 "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
                 "binary_cross_entropy_with_logits_and_grad"):
        assert getattr(classification, name) is getattr(binary, name) is getattr(lv, name)
        assert name in classification.__all__


def test_every_new_function_is_exported():
    new = ["entropy", "kl_div", "kl_div_grad", "brier_score", "brier_score_grad",
           "sigmoid_focal_loss", "sigmoid_focal_loss_grad", "gaussian_nll", "gaussian_nll_grad",
           "pinball_loss", "pinball_loss_grad", "LOSSES"]
    for name in new:
        assert name in lv.__all__ and hasattr(lv, name)
    assert sorted(lv.__all__) == lv.__all__  # kept sorted


@pytest.mark.parametrize("module", ["binary", "classification", "information", "scoring",
                                    "uncertainty", "_checks"])
def test_loss_modules_stay_under_700_lines(module):
    import importlib
    import pathlib

    path = pathlib.Path(importlib.import_module(f"lossviz.{module}").__file__)
    assert len(path.read_text().splitlines()) <= 700


@pytest.mark.parametrize("module", ["binary", "classification", "information", "scoring",
                                    "uncertainty"])
def test_docstring_examples_print_what_they_show(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"lossviz.{module}"))
    assert result.attempted > 0
    assert result.failed == 0


def test_package_docstring_examples_print_what_they_show():
    # among them the first three names of sorted(LOSSES), which the new entries change
    import doctest

    result = doctest.testmod(lv)
    assert result.attempted >= 3
    assert result.failed == 0


def test_kl_div_warnings_point_at_the_callers_line():
    for fn, x in ((lv.kl_div, [[0.5, 0.5]]), (lv.kl_div_grad, [[1.0, -1.0]])):
        with pytest.warns(UserWarning) as record:
            fn(x, [[0.5, 0.5]])
        assert record[0].filename == __file__
