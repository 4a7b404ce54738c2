"""Property-based invariants (Hypothesis) on bounded float64 inputs.

Each property is a fact of the mathematics that any correct implementation satisfies:
losses are never negative, cross-entropy ignores a constant added to a row of logits, its
gradient rows sum to zero, the 2-class cross-entropy is the binary one, and so on.
"""

import warnings
from contextlib import contextmanager

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lossviz as lv

settings.register_profile(
    "lossviz-properties",
    derandomize=True,
    database=None,  # derandomized runs need no example database (and write none into the tree)
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
PROPERTY = settings.get_profile("lossviz-properties")

BOUND = 50.0  # |logit|, |prediction| <= 50: large enough to matter, small enough for float64


def floats(lo=-BOUND, hi=BOUND):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=64)


@contextmanager
def logits_may_look_like_probabilities():
    """Generated logits can be a row such as [0.5, 0.5] that also reads as probabilities;
    cross_entropy rightly warns about those, which is not what these properties test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


@st.composite
def regression_pairs(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4))
    y_pred = draw(hnp.arrays(np.float64, shape, elements=floats()))
    y_true = draw(hnp.arrays(np.float64, shape, elements=floats()))
    return y_pred, y_true


@st.composite
def probabilities_and_targets(draw, lo=0.0, hi=1.0):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4))
    p = draw(hnp.arrays(np.float64, shape, elements=floats(lo, hi)))
    y_true = draw(hnp.arrays(np.float64, shape, elements=floats(0.0, 1.0)))
    return p, y_true


@st.composite
def logits_and_binary_targets(draw, bound=BOUND):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4))
    z = draw(hnp.arrays(np.float64, shape, elements=floats(-bound, bound)))
    y_true = draw(hnp.arrays(np.float64, shape, elements=floats(0.0, 1.0)))
    return z, y_true


@st.composite
def logits_2d(draw, min_classes=2, max_classes=5, bound=BOUND):
    n = draw(st.integers(1, 4))
    c = draw(st.integers(min_classes, max_classes))
    return draw(hnp.arrays(np.float64, (n, c), elements=floats(-bound, bound)))


@st.composite
def logits_and_labels(draw):
    logits = draw(logits_2d())
    n, c = logits.shape
    labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return logits, labels


@st.composite
def logits_and_soft_targets(draw):
    logits = draw(logits_2d())
    # non-negative weights, normalised per row (at least one positive weight per row)
    weights = draw(hnp.arrays(np.float64, logits.shape, elements=floats(0.0, 1.0)))
    weights[:, 0] += 1e-3
    return logits, weights / weights.sum(axis=1, keepdims=True)


smoothing = st.sampled_from([0.0, 0.1, 0.5, 1.0])


@st.composite
def log_probabilities_and_targets(draw):
    """kl_div's input (log_softmax of logits) and a target distribution (zeros allowed)."""
    logits, t = draw(logits_and_soft_targets())
    return lv.log_softmax(logits), t


@st.composite
def class_probabilities_and_labels(draw):
    """brier_score's class form: (N, C) probability rows and integer labels (N,)."""
    logits, labels = draw(logits_and_labels())
    return lv.softmax(logits), labels


focal_options = st.tuples(st.sampled_from([0.25, -1.0, 0.8]), st.sampled_from([0.0, 0.5, 2.0, 3.7]))


def _loss_inputs(name):
    if name in ("mse", "mae"):
        return regression_pairs().map(lambda a: (*a, {}))
    if name == "huber":
        return st.tuples(regression_pairs(), st.sampled_from([0.1, 1.0, 5.0])).map(
            lambda a: (*a[0], {"delta": a[1]}))
    if name == "binary_cross_entropy":
        return probabilities_and_targets().map(lambda a: (*a, {}))
    if name == "binary_cross_entropy_with_logits":
        return logits_and_binary_targets().map(lambda a: (*a, {}))
    if name == "cross_entropy":
        return st.tuples(logits_and_labels(), smoothing).map(
            lambda a: (*a[0], {"label_smoothing": a[1]}))
    if name == "soft_cross_entropy":
        return st.tuples(logits_and_soft_targets(), smoothing).map(
            lambda a: (*a[0], {"label_smoothing": a[1]}))
    if name == "kl_div":
        return log_probabilities_and_targets().map(lambda a: (*a, {}))
    if name == "sigmoid_focal_loss":
        return st.tuples(logits_and_binary_targets(), focal_options).map(
            lambda a: (*a[0], {"alpha": a[1][0], "gamma": a[1][1]}))
    if name == "brier_score":  # binary probabilities, or class probabilities with labels
        return st.one_of(probabilities_and_targets(), class_probabilities_and_labels()).map(
            lambda a: (*a, {}))
    raise AssertionError(f"no strategy for registered loss {name!r}")


any_loss = st.sampled_from(sorted(lv.LOSSES)).flatmap(
    lambda name: _loss_inputs(name).map(lambda a: (name, *a)))


# --------------------------------------------------------------------------------------------
# Every loss
# --------------------------------------------------------------------------------------------


@PROPERTY
@given(any_loss, st.sampled_from(["mean", "sum", "none"]))
def test_losses_are_non_negative(case, reduction):
    name, x, y_true, opts = case
    loss = lv.LOSSES[name][0]
    with logits_may_look_like_probabilities():
        value = np.asarray(loss(x, y_true, reduction=reduction, **opts))
    assert np.all(np.isfinite(value))
    if name == "kl_div":
        # KL is a sum over classes: a single term p_c (log p_c - log q_c) is negative wherever
        # p_c < q_c; the row sums (the divergences) are not, up to rounding (q = softmax sums to
        # 1 within a few ulps)
        value = value.sum(axis=-1) if reduction == "none" else value
        assert np.all(value >= -1e-12), f"{name}: negative divergence {value}"
        return
    assert np.all(value >= 0), f"{name}: negative loss {value}"


@PROPERTY
@given(any_loss)
def test_mean_is_sum_over_n(case):
    # N = number of loss terms: elements for regression/BCE, rows (examples) for cross-entropy
    name, x, y_true, opts = case
    loss, grad = lv.LOSSES[name]
    with logits_may_look_like_probabilities():
        terms = np.asarray(loss(x, y_true, reduction="none", **opts))
        total = loss(x, y_true, reduction="sum", **opts)
        mean = loss(x, y_true, reduction="mean", **opts)
        g_sum = grad(x, y_true, reduction="sum", **opts)
        g_mean = grad(x, y_true, reduction="mean", **opts)
    n = terms.size
    np.testing.assert_allclose(total, terms.sum(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(mean, total / n, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(g_mean, g_sum / n, rtol=1e-12, atol=1e-300)


# --------------------------------------------------------------------------------------------
# Cross-entropy
# --------------------------------------------------------------------------------------------


@PROPERTY
@given(logits_and_labels(), floats(), smoothing)
def test_cross_entropy_is_invariant_to_a_constant_added_to_each_row(case, shift, ls):
    # softmax(z + c) = softmax(z): e^(z_k + c) / sum_j e^(z_j + c) = e^z_k / sum_j e^z_j
    logits, labels = case
    with logits_may_look_like_probabilities():
        before = lv.cross_entropy(logits, labels, label_smoothing=ls, reduction="none")
        after = lv.cross_entropy(logits + shift, labels, label_smoothing=ls, reduction="none")
        g_before = lv.cross_entropy_grad(logits, labels, label_smoothing=ls)
        g_after = lv.cross_entropy_grad(logits + shift, labels, label_smoothing=ls)
    # adding c rounds each logit (|z + c| <= 100, ulp ~ 1.4e-14), so allow a few ulps of 100
    np.testing.assert_allclose(after, before, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g_after, g_before, rtol=1e-10, atol=1e-12)


@PROPERTY
@given(logits_and_labels(), smoothing, st.sampled_from(["mean", "sum", "none"]))
def test_cross_entropy_gradient_rows_sum_to_zero(case, ls, reduction):
    # grad = softmax(z) - q with both softmax(z) and q summing to 1 over classes
    logits, labels = case
    with logits_may_look_like_probabilities():
        g = lv.cross_entropy_grad(logits, labels, label_smoothing=ls, reduction=reduction)
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-14)


@PROPERTY
@given(logits_and_soft_targets(), smoothing)
def test_soft_cross_entropy_gradient_rows_sum_to_zero(case, ls):
    logits, targets = case
    with logits_may_look_like_probabilities():
        g = lv.soft_cross_entropy_grad(logits, targets, label_smoothing=ls, reduction="sum")
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-14)


@PROPERTY
@given(logits_and_labels(), smoothing, st.sampled_from(["mean", "sum", "none"]))
def test_index_cross_entropy_equals_soft_cross_entropy_with_one_hot_targets(case, ls, reduction):
    logits, labels = case
    onehot = np.eye(logits.shape[1])[labels]
    with logits_may_look_like_probabilities():
        hard = lv.cross_entropy(logits, labels, label_smoothing=ls, reduction=reduction)
        g_hard = lv.cross_entropy_grad(logits, labels, label_smoothing=ls, reduction=reduction)
    soft = lv.soft_cross_entropy(logits, onehot, label_smoothing=ls, reduction=reduction)
    g_soft = lv.soft_cross_entropy_grad(logits, onehot, label_smoothing=ls, reduction=reduction)
    np.testing.assert_allclose(hard, soft, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g_hard, g_soft, rtol=1e-12, atol=1e-14)


@st.composite
def two_class_logits_and_labels(draw):
    logits = draw(logits_2d(min_classes=2, max_classes=2))
    n = logits.shape[0]
    return logits, np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))


@PROPERTY
@given(two_class_logits_and_labels())
def test_two_class_cross_entropy_is_bce_with_logits_of_the_difference(case):
    # softmax([z0, z1])[1] = e^z1 / (e^z0 + e^z1) = sigma(z1 - z0), so the 2-class CE is the
    # binary CE on the logit difference z1 - z0 with target y = label
    logits, labels = case
    diff = logits[:, 1] - logits[:, 0]
    with logits_may_look_like_probabilities():
        ce = lv.cross_entropy(logits, labels, reduction="none")
        g_ce = lv.cross_entropy_grad(logits, labels, reduction="none")
    bce = lv.binary_cross_entropy_with_logits(diff, labels.astype(float), reduction="none")
    g_bce = lv.binary_cross_entropy_with_logits_grad(diff, labels.astype(float), reduction="none")
    np.testing.assert_allclose(ce, bce, rtol=1e-12, atol=1e-12)
    # d/dz1 = sigma(z1 - z0) - y ; d/dz0 = -(sigma(z1 - z0) - y)
    np.testing.assert_allclose(g_ce[:, 1], g_bce, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(g_ce[:, 0], -g_bce, rtol=1e-10, atol=1e-14)


# --------------------------------------------------------------------------------------------
# Binary cross-entropy
# --------------------------------------------------------------------------------------------


@PROPERTY
@given(logits_and_binary_targets(bound=15.0))
def test_bce_with_logits_equals_bce_of_sigmoid_for_moderate_logits(case):
    # for |z| <= 15, p = sigma(z) is in [3e-7, 1 - 3e-7] and 1 - p keeps ~9 significant digits
    z, y_true = case
    p = lv.sigmoid(z)
    np.testing.assert_allclose(lv.binary_cross_entropy_with_logits(z, y_true, reduction="none"),
                               lv.binary_cross_entropy(p, y_true, reduction="none"),
                               rtol=1e-8, atol=1e-12)
    # chain rule: dL/dz = dL/dp * sigma'(z) = sigma(z) - y
    np.testing.assert_allclose(
        lv.binary_cross_entropy_with_logits_grad(z, y_true, reduction="none"),
        lv.binary_cross_entropy_grad(p, y_true, reduction="none") * lv.sigmoid_grad(z),
        rtol=1e-6, atol=1e-12)


@PROPERTY
@given(logits_and_binary_targets())
def test_bce_with_logits_gradient_is_sigmoid_minus_target(case):
    z, y_true = case
    np.testing.assert_allclose(
        lv.binary_cross_entropy_with_logits_grad(z, y_true, reduction="none"),
        lv.sigmoid(z) - y_true, rtol=1e-14, atol=1e-15)


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------

wide_logits = st.integers(1, 5).flatmap(lambda c: hnp.arrays(
    np.float64, st.tuples(st.integers(1, 4), st.just(c)), elements=floats(-300.0, 300.0)))


@PROPERTY
@given(wide_logits)
def test_softmax_rows_are_distributions(z):
    s = lv.softmax(z)
    assert s.shape == z.shape
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=0, atol=1e-14)
    # along axis 0 it is the softmax of the transpose
    np.testing.assert_allclose(lv.softmax(z, axis=0), lv.softmax(z.T).T, rtol=1e-14, atol=0)


@PROPERTY
@given(wide_logits)
def test_log_softmax_is_log_of_softmax_where_finite(z):
    log_s = lv.log_softmax(z)
    s = lv.softmax(z)
    assert np.all(np.isfinite(log_s))  # even where softmax underflows to 0
    assert np.all(log_s <= 0)
    ok = s > 1e-300  # log(softmax) is exact enough only where softmax is a normal number
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(log_s[ok], np.log(s[ok]), rtol=1e-13, atol=1e-13)


@PROPERTY
@given(wide_logits)
def test_logsumexp_matches_max_shifted_reference(z):
    # reference: m + log(sum(exp(z - m))) with m = max(z) (every exponent <= 0: no overflow)
    m = z.max(axis=-1)
    reference = m + np.log(np.sum(np.exp(z - m[:, None]), axis=-1))
    got = lv.logsumexp(z)
    assert got.shape == m.shape
    np.testing.assert_allclose(got, reference, rtol=1e-14, atol=1e-14)
    assert np.all(got >= m) and np.all(got <= m + np.log(z.shape[1]) + 1e-12)
    np.testing.assert_allclose(lv.logsumexp(z, axis=0), lv.logsumexp(z.T), rtol=1e-14, atol=0)


@PROPERTY
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=4), elements=floats(-700, 700)))
def test_sigmoid_identities(z):
    s = lv.sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    # sigma(z) + sigma(-z) = 1 ; sigma' = sigma (1 - sigma) = sigma(z) sigma(-z)
    np.testing.assert_allclose(s + lv.sigmoid(-z), 1.0, rtol=0, atol=1e-15)
    # absolute tolerance: sigma (1 - sigma) loses relative precision where 1 - sigma is tiny
    np.testing.assert_allclose(lv.sigmoid_grad(z), s * lv.sigmoid(-z), rtol=1e-14, atol=1e-15)
    # log_sigmoid = log(sigma) wherever sigma is a normal number; it stays finite elsewhere
    log_s = lv.log_sigmoid(z)
    assert np.all(np.isfinite(log_s)) and np.all(log_s <= 0)
    ok = s > 1e-300
    np.testing.assert_allclose(log_s[ok], np.log(s[ok]), rtol=1e-13, atol=1e-15)


# --------------------------------------------------------------------------------------------
# Losses of notebooks 09-11
# --------------------------------------------------------------------------------------------


@st.composite
def distributions(draw, min_classes=1, max_classes=5, positive=False):
    """(N, C) rows that sum to 1; with positive=True every entry is > 0 (finite logs)."""
    n = draw(st.integers(1, 4))
    c = draw(st.integers(min_classes, max_classes))
    w = draw(hnp.arrays(np.float64, (n, c), elements=floats(0.0, 1.0)))
    w[:, 0] += 1e-3
    if positive:
        w += 1e-3
    return w / w.sum(axis=1, keepdims=True)


@PROPERTY
@given(logits_and_soft_targets())
def test_cross_entropy_is_entropy_plus_kl(case):
    # H(t, softmax z) = H(t) + KL(t || softmax z), row by row
    z, t = case
    with logits_may_look_like_probabilities():
        ce = lv.soft_cross_entropy(z, t, reduction="none")
    kl = lv.kl_div(lv.log_softmax(z), t, reduction="none").sum(axis=-1)
    np.testing.assert_allclose(ce, lv.entropy(t) + kl, rtol=1e-12, atol=1e-12)


@PROPERTY
@given(distributions())
def test_entropy_is_between_zero_and_log_c(p):
    h = lv.entropy(p)
    assert np.all(h >= 0)
    assert np.all(h <= np.log(p.shape[-1]) + 1e-12)


@PROPERTY
@given(distributions(min_classes=2, positive=True), distributions(min_classes=2, positive=True))
def test_kl_is_non_negative_and_zero_only_against_itself(p, q):
    if p.shape != q.shape:
        q = np.full(p.shape, 1.0 / p.shape[-1])
    assert lv.kl_div(np.log(q), p, reduction="batchmean") >= -1e-12
    assert lv.kl_div(np.log(p), p, reduction="sum") == pytest.approx(0.0, abs=1e-12)


@PROPERTY
@given(regression_pairs(), st.sampled_from(["mean", "sum", "none"]))
def test_pinball_at_the_median_is_half_the_absolute_error(case, reduction):
    y_pred, y_true = case
    np.testing.assert_allclose(lv.pinball_loss(y_pred, y_true, quantile=0.5, reduction=reduction),
                               lv.mae(y_pred, y_true, reduction=reduction) / 2, rtol=1e-14)
    np.testing.assert_allclose(
        lv.pinball_loss_grad(y_pred, y_true, quantile=0.5, reduction=reduction),
        lv.mae_grad(y_pred, y_true, reduction=reduction) / 2, rtol=1e-14)


@PROPERTY
@given(regression_pairs(), floats(0.01, 0.99))
def test_pinball_is_non_negative_and_tilted(case, q):
    # an under-prediction by d costs q d, an over-prediction by d costs (1 - q) d
    y_pred, y_true = case
    per = lv.pinball_loss(y_pred, y_true, quantile=q, reduction="none")
    d = y_true - y_pred
    np.testing.assert_allclose(per, np.where(d >= 0, q * d, (q - 1) * d), rtol=1e-15, atol=0)
    assert np.all(per >= 0)


@PROPERTY
@given(probabilities_and_targets(), distributions(max_classes=5), st.data())
def test_brier_score_bounds(binary, p, data):
    bp, by = binary
    assert 0.0 <= lv.brier_score(bp, by) <= 1.0
    labels = np.array(data.draw(st.lists(st.integers(0, p.shape[1] - 1), min_size=len(p),
                                         max_size=len(p))))
    per = lv.brier_score(p, labels, reduction="none")
    assert np.all(per >= 0) and np.all(per <= 2.0 + 1e-12)


@PROPERTY
@given(regression_pairs(), floats(1e-3, 100.0), st.booleans())
def test_gaussian_nll_with_a_fixed_var_is_mse_over_2var_plus_a_constant(case, var, full):
    y_pred, y_true = case
    const = 0.5 * np.log(var) + (0.5 * np.log(2 * np.pi) if full else 0.0)
    np.testing.assert_allclose(lv.gaussian_nll(y_pred, y_true, var, full=full),
                               lv.mse(y_pred, y_true) / (2 * var) + const, rtol=1e-12, atol=1e-12)
    g_pred, _ = lv.gaussian_nll_grad(y_pred, y_true, var, full=full)
    np.testing.assert_allclose(g_pred, lv.mse_grad(y_pred, y_true) / (2 * var), rtol=1e-12,
                               atol=1e-300)


@PROPERTY
@given(logits_and_binary_targets(), st.sampled_from(["mean", "sum", "none"]),
       st.sampled_from([-1.0, -0.5]))
def test_focal_with_gamma_0_and_no_alpha_is_bce_with_logits(case, reduction, alpha):
    z, y = case
    opts = {"alpha": alpha, "gamma": 0.0, "reduction": reduction}
    np.testing.assert_allclose(lv.sigmoid_focal_loss(z, y, **opts),
                               lv.binary_cross_entropy_with_logits(z, y, reduction=reduction),
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(lv.sigmoid_focal_loss_grad(z, y, **opts),
                               lv.binary_cross_entropy_with_logits_grad(z, y, reduction=reduction),
                               rtol=1e-12, atol=1e-15)


@PROPERTY
@given(logits_and_binary_targets(), floats(0.0, 5.0))
def test_focal_loss_is_at_most_bce(case, gamma):
    # (1 - p_t)^gamma <= 1, so without alpha the focal loss never exceeds cross-entropy
    z, y = case
    fl = lv.sigmoid_focal_loss(z, y, alpha=-1, gamma=gamma)
    bce = lv.binary_cross_entropy_with_logits(z, y, reduction="none")
    assert np.all(fl >= 0)
    assert np.all(fl <= bce * (1 + 1e-12) + 1e-300)


@st.composite
def logits_labels_weights(draw):
    logits, labels = draw(logits_and_labels())
    w = draw(hnp.arrays(np.float64, (logits.shape[1],), elements=floats(0.0, 5.0))) + 1e-3
    return logits, labels, w


@PROPERTY
@given(logits_labels_weights())
def test_weighted_cross_entropy_mean_is_the_weighted_average(case):
    z, y, w = case
    with logits_may_look_like_probabilities():
        per = lv.cross_entropy(z, y, reduction="none")
        weighted = lv.cross_entropy(z, y, weight=w)
        per_w = lv.cross_entropy(z, y, weight=w, reduction="none")
    np.testing.assert_allclose(per_w, w[y] * per, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(weighted, np.sum(w[y] * per) / np.sum(w[y]), rtol=1e-12,
                               atol=1e-300)


@PROPERTY
@given(logits_labels_weights(), smoothing, st.sampled_from(["mean", "sum", "none"]), st.data())
def test_ignored_rows_are_as_if_removed(case, ls, reduction, data):
    z, y, w = case
    drop = np.array(data.draw(st.lists(st.booleans(), min_size=len(y), max_size=len(y))))
    if drop.all():
        drop[0] = False
    y_ignored = np.where(drop, -100, y)
    with logits_may_look_like_probabilities():
        full = lv.cross_entropy(z, y_ignored, weight=w, label_smoothing=ls, reduction=reduction)
        kept = lv.cross_entropy(z[~drop], y[~drop], weight=w, label_smoothing=ls,
                                reduction=reduction)
        g_full = lv.cross_entropy_grad(z, y_ignored, weight=w, label_smoothing=ls,
                                       reduction=reduction)
        g_kept = lv.cross_entropy_grad(z[~drop], y[~drop], weight=w, label_smoothing=ls,
                                       reduction=reduction)
    if reduction == "none":
        np.testing.assert_array_equal(full[drop], 0.0)
        full = full[~drop]
    np.testing.assert_allclose(full, kept, rtol=1e-13, atol=1e-300)
    np.testing.assert_array_equal(g_full[drop], 0.0)
    np.testing.assert_allclose(g_full[~drop], g_kept, rtol=1e-13, atol=1e-300)


@PROPERTY
@given(logits_and_binary_targets(), floats(0.0, 5.0), floats(0.0, 5.0))
def test_bce_weight_and_pos_weight_scale_the_two_parts(case, w, pw):
    # L = w [pw y (-log sigma(z)) + (1 - y)(-log(1 - sigma(z)))]
    z, y = case
    pos = lv.binary_cross_entropy_with_logits(z, np.ones_like(z), reduction="none")
    neg = lv.binary_cross_entropy_with_logits(z, np.zeros_like(z), reduction="none")
    got = lv.binary_cross_entropy_with_logits(z, y, weight=w, pos_weight=pw, reduction="none")
    np.testing.assert_allclose(got, w * (pw * y * pos + (1 - y) * neg), rtol=1e-12, atol=1e-300)
