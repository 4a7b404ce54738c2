"""Extreme inputs: huge logits and probabilities of exactly 0 and 1 give exact, finite results
without a single warning, in float32 and float64; dtypes are kept.

``strict()`` turns every Python warning into an error and makes numpy raise on overflow, division
by zero and invalid operations. Underflow is left alone on purpose: ``exp(-1e4) == 0`` is the
exact float result the stable formulas rely on (``log1p(exp(-|z|))``), not an accident.
"""

import math
import warnings
from contextlib import contextmanager

import numpy as np
import pytest

import lossviz as lv

DTYPES = [np.float32, np.float64]
HUGE = [1e4, 1e6, 1e30]  # all representable in float32 (max 3.4e38)


@contextmanager
def strict():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield


def as_dtype(x, dtype):
    return np.asarray(x, dtype=dtype)


def check_dtype(value, dtype):
    assert np.asarray(value).dtype == dtype, f"expected {np.dtype(dtype)}, got {value!r}"


# --------------------------------------------------------------------------------------------
# Binary cross-entropy with logits
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("big", HUGE)
def test_bce_with_logits_huge_logits_exact(dtype, big):
    # loss = max(z, 0) - z y + log1p(exp(-|z|)); with |z| huge, exp(-|z|) = 0 exactly:
    #   z = +big, y = 0 -> big ;  z = -big, y = 1 -> big   (confidently wrong)
    #   z = +big, y = 1 -> 0   ;  z = -big, y = 0 -> 0     (confidently right)
    z = as_dtype([big, -big, big, -big], dtype)
    y = as_dtype([0, 1, 1, 0], dtype)
    with strict():
        terms = lv.binary_cross_entropy_with_logits(z, y, reduction="none")
        total = lv.binary_cross_entropy_with_logits(z, y, reduction="sum")
        grad = lv.binary_cross_entropy_with_logits_grad(z, y, reduction="none")
        grad_mean = lv.binary_cross_entropy_with_logits_grad(z, y)
    b = dtype(big)
    np.testing.assert_array_equal(terms, as_dtype([b, b, 0, 0], dtype))
    assert total == 2 * b
    check_dtype(terms, dtype)
    check_dtype(total, dtype)
    # gradient sigma(z) - y: sigma(+big) = 1, sigma(-big) = 0 -> [1, -1, 0, 0]; mean / 4
    np.testing.assert_array_equal(grad, [1, -1, 0, 0])
    np.testing.assert_array_equal(grad_mean, [0.25, -0.25, 0, 0])
    check_dtype(grad, dtype)
    check_dtype(grad_mean, dtype)


def test_bce_with_logits_1e4_y0_is_exactly_1e4():
    with strict():
        assert lv.binary_cross_entropy_with_logits(1e4, 0.0) == 1e4
        assert lv.binary_cross_entropy_with_logits(np.float32(1e4), np.float32(0.0)) == 1e4


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_confident_correct_predictions_keep_their_small_losses(dtype):
    # z = 40, y = 1 and z = -40, y = 0: loss = log(1 + e^-40) = 4.248e-18 exactly, and
    # z = 20, y = 1 and z = -20, y = 0: log(1 + e^-20) = 2.061e-9.
    # max(z, 0) - z y is exactly 0 for these; adding log1p(e^-|z|) to it keeps every digit,
    # whereas adding it to max(z, 0) = 40 first rounds it away (40 + 4e-18 == 40).
    z = as_dtype([40.0, -40.0, 20.0, -20.0], dtype)
    y = as_dtype([1.0, 0.0, 1.0, 0.0], dtype)
    with strict():
        terms = lv.binary_cross_entropy_with_logits(z, y, reduction="none")
    expected = [math.log1p(math.exp(-40.0))] * 2 + [math.log1p(math.exp(-20.0))] * 2
    np.testing.assert_allclose(terms, expected, rtol=1e-6 if dtype is np.float32 else 1e-14,
                               atol=0)


# --------------------------------------------------------------------------------------------
# Cross-entropy with index and probability targets
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("big", HUGE)
def test_cross_entropy_huge_logits_exact(dtype, big):
    # logits [big, 0, 0]: lse = big + log(1 + 2 e^-big) = big exactly
    #   class 0 -> lse - big = 0 ; class 1 -> lse - 0 = big
    logits = as_dtype([[big, 0, 0], [big, 0, 0], [-big, 0, 0]], dtype)
    labels = [0, 1, 1]
    # row 2: [-big, 0, 0], lse = log 2 (+ e^-big) -> class 1 costs log 2
    with strict():
        terms = lv.cross_entropy(logits, labels, reduction="none")
        grad = lv.cross_entropy_grad(logits, labels, reduction="none")
    check_dtype(terms, dtype)
    check_dtype(grad, dtype)
    assert terms[0] == 0
    assert terms[1] == dtype(big)
    assert terms[2] == pytest.approx(math.log(2), rel=1e-7)
    # gradient softmax - onehot: softmax rows [1, 0, 0], [1, 0, 0], [0, 0.5, 0.5]
    np.testing.assert_array_equal(grad, [[0, 0, 0], [1, -1, 0], [0, -0.5, 0.5]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("big", HUGE)
def test_soft_cross_entropy_huge_logits_exact(dtype, big):
    # same rows with one-hot probability targets, and a 50/50 target on [big, 0, 0]:
    #   0.5 * (lse - big) + 0.5 * (lse - 0) = big / 2
    logits = as_dtype([[big, 0, 0], [big, 0, 0], [big, 0, 0]], dtype)
    targets = as_dtype([[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0]], dtype)
    with strict():
        terms = lv.soft_cross_entropy(logits, targets, reduction="none")
        grad = lv.soft_cross_entropy_grad(logits, targets, reduction="none")
    check_dtype(terms, dtype)
    check_dtype(grad, dtype)
    np.testing.assert_array_equal(terms, as_dtype([0, big, big / 2], dtype))
    np.testing.assert_array_equal(grad, [[0, 0, 0], [1, -1, 0], [0.5, -0.5, 0]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("big", HUGE)
def test_cross_entropy_huge_logits_with_label_smoothing(dtype, big):
    # eps = 0.3, C = 3, label 0, logits [big, 0, 0]: q = [0.8, 0.1, 0.1]
    #   loss = sum_k q_k (lse - z_k) = 0.8 * 0 + 0.1 * big + 0.1 * big = 0.2 big
    logits = as_dtype([[big, 0, 0]], dtype)
    with strict():
        loss = lv.cross_entropy(logits, [0], label_smoothing=0.3)
        grad = lv.cross_entropy_grad(logits, [0], label_smoothing=0.3)
    check_dtype(loss, dtype)
    assert np.isfinite(loss)
    assert loss == pytest.approx(0.2 * big, rel=1e-6)
    # gradient softmax - q = [1 - 0.8, -0.1, -0.1]
    np.testing.assert_allclose(grad, [[0.2, -0.1, -0.1]], rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("big", HUGE)
def test_activations_huge_inputs(dtype, big):
    z = as_dtype([big, -big], dtype)
    with strict():
        s = lv.sigmoid(z)
        ds = lv.sigmoid_grad(z)
        log_s = lv.log_sigmoid(z)
        soft = lv.softmax(z)
        log_soft = lv.log_softmax(z)
        lse = lv.logsumexp(z)
    for out in (s, ds, log_s, soft, log_soft, lse):
        check_dtype(out, dtype)
        assert np.all(np.isfinite(out))
    np.testing.assert_array_equal(s, [1, 0])
    np.testing.assert_array_equal(ds, [0, 0])
    # log sigma(big) = -log(1 + e^-big) = 0 ; log sigma(-big) = -big - log(1 + e^-big) = -big
    np.testing.assert_array_equal(log_s, as_dtype([0, -big], dtype))
    np.testing.assert_array_equal(soft, [1, 0])
    # log_softmax([big, -big]) = [0, -2 big] ; logsumexp = big
    np.testing.assert_array_equal(log_soft, as_dtype([0, -2 * big], dtype))
    assert lse == dtype(big)


def test_log_softmax_shows_the_failure_it_avoids():
    # log(softmax([1000, 1])) naively: exp(1000) overflows; lossviz gives [-e^-999, -999]
    with strict():
        out = lv.log_softmax([1000.0, 1.0])
    np.testing.assert_allclose(out, [-math.exp(-999.0), -999.0], rtol=1e-15, atol=1e-300)


# --------------------------------------------------------------------------------------------
# Binary cross-entropy on probabilities exactly 0 and 1
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_probabilities_exactly_zero_and_one(dtype):
    # logs clamped at -100 (as torch): p = 0, y = 1 -> -log 0 -> 100 ; p = 1, y = 0 -> 100
    #   p = y -> 0 ; p = 0, y = 0.5 -> 0.5 * 100 + 0.5 * 0 = 50
    p = as_dtype([0, 1, 0, 1, 0], dtype)
    y = as_dtype([1, 0, 0, 1, 0.5], dtype)
    with strict():
        terms = lv.binary_cross_entropy(p, y, reduction="none")
        grad = lv.binary_cross_entropy_grad(p, y, reduction="none")
    check_dtype(terms, dtype)
    check_dtype(grad, dtype)
    np.testing.assert_array_equal(terms, [100, 100, 0, 0, 50])
    # torch's convention: (p - y) / max(p (1 - p), 1e-12); finite at p = 0 and 1, 0 where p = y
    assert np.all(np.isfinite(grad))
    assert grad[0] < 0 and grad[1] > 0 and grad[4] < 0
    assert grad[2] == 0 and grad[3] == 0


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_clamp_threshold(dtype):
    # in float64 a tiny p = 1e-300 still gives log p = -690.8 -> clamped to 100;
    # just below 1: 1 - p = 1e-16 -> -log(1e-16) = 36.84 (not clamped)
    with strict():
        assert lv.binary_cross_entropy(as_dtype([1e-30], dtype), as_dtype([1], dtype)) == (
            pytest.approx(30 * math.log(10), rel=1e-6))  # 69.0776
        if dtype is np.float64:
            assert lv.binary_cross_entropy([1e-300], [1.0]) == 100.0


# --------------------------------------------------------------------------------------------
# Focal loss and KL divergence at huge logits
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("big", HUGE)
def test_sigmoid_focal_loss_huge_logits_exact(dtype, big):
    # alpha_t (1 - p_t)^2 * BCE. Confidently wrong (z = +big, y = 0; z = -big, y = 1): 1 - p_t = 1
    # and BCE = big, so 0.75 big and 0.25 big; confidently right: 0. The gradient is
    # alpha_t (sigma(z) - y) = 0.75 and -0.25 (the (1 - p_t)^gamma factor's derivative is 0 there).
    z = as_dtype([big, -big, big, -big], dtype)
    y = as_dtype([0, 1, 1, 0], dtype)
    with strict():
        terms = lv.sigmoid_focal_loss(z, y)
        total = lv.sigmoid_focal_loss(z, y, reduction="sum")
        grad = lv.sigmoid_focal_loss_grad(z, y, reduction="none")
    b = dtype(big)
    np.testing.assert_allclose(terms, as_dtype([0.75 * b, 0.25 * b, 0, 0], dtype), rtol=1e-7)
    assert total == pytest.approx(b, rel=1e-6)  # 0.75 big + 0.25 big
    np.testing.assert_array_equal(grad, as_dtype([0.75, -0.25, 0.0, 0.0], dtype))
    for v in (terms, total, grad):
        check_dtype(v, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("big", HUGE)
def test_kl_div_of_log_softmax_of_huge_logits(dtype, big):
    # logits (big, 0) and (0, big): log_softmax = (0, -big) and (-big, 0), exact. Against the
    # targets (0.5, 0.5) and (1, 0): 0.5 (ln 0.5 - 0) + 0.5 (ln 0.5 + big) = ln 0.5 + big / 2,
    # and 1 (ln 1 + big) + 0 = big; "batchmean" halves the sum.
    z = as_dtype([[big, 0.0], [0.0, big]], dtype)
    t = as_dtype([[0.5, 0.5], [1.0, 0.0]], dtype)
    with strict():
        log_q = lv.log_softmax(z)
        per = lv.kl_div(log_q, t, reduction="none")
        kl = lv.kl_div(log_q, t, reduction="batchmean")
        g = lv.kl_div_grad(log_q, t, reduction="batchmean")
    b = dtype(big)
    np.testing.assert_array_equal(log_q, as_dtype([[0.0, -b], [-b, 0.0]], dtype))
    np.testing.assert_allclose(per, as_dtype([[0.5 * math.log(0.5), 0.5 * math.log(0.5) + b / 2],
                                              [b, 0.0]], dtype), rtol=1e-6)
    assert kl == pytest.approx((math.log(0.5) + 1.5 * float(b)) / 2, rel=1e-6)
    np.testing.assert_array_equal(g, -t / 2)  # -target / batch size
    for v in (per, kl, g):
        check_dtype(v, dtype)


# --------------------------------------------------------------------------------------------
# Dtypes
# --------------------------------------------------------------------------------------------

REGRESSION = ["mse", "mae", "huber"]


def _inputs(name, dtype):
    if name in REGRESSION:
        return as_dtype([0.5, -1.5, 3.0], dtype), as_dtype([0.0, 1.0, 2.0], dtype)
    if name == "binary_cross_entropy":
        return as_dtype([0.2, 0.7, 0.9], dtype), as_dtype([0, 1, 1], dtype)
    if name == "binary_cross_entropy_with_logits":
        return as_dtype([-2.0, 0.5, 3.0], dtype), as_dtype([0, 1, 1], dtype)
    if name == "cross_entropy":
        return as_dtype([[1.0, 2.0, -1.0], [0.0, 3.0, 1.0]], dtype), np.array([0, 2])
    if name == "soft_cross_entropy":
        return (as_dtype([[1.0, 2.0, -1.0], [0.0, 3.0, 1.0]], dtype),
                as_dtype([[0.5, 0.5, 0.0], [0.0, 0.25, 0.75]], dtype))
    if name == "kl_div":  # input: log-probabilities of the prediction
        return (as_dtype(np.log([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]]), dtype),
                as_dtype([[0.2, 0.3, 0.5], [0.0, 0.5, 0.5]], dtype))
    if name == "sigmoid_focal_loss":
        return as_dtype([-2.0, 0.5, 3.0], dtype), as_dtype([0, 1, 1], dtype)
    if name == "brier_score":  # class probabilities with integer labels
        return as_dtype([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]], dtype), np.array([0, 2])
    raise AssertionError(name)


@pytest.mark.parametrize("name", sorted(lv.LOSSES))
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_float_dtype_is_kept(name, dtype, reduction):
    loss, grad = lv.LOSSES[name]
    x, y_true = _inputs(name, dtype)
    with strict():
        value = loss(x, y_true, reduction=reduction)
        g = grad(x, y_true, reduction=reduction)
    check_dtype(value, dtype)
    check_dtype(g, dtype)
    assert g.shape == x.shape
    # float32 and float64 agree to float32 precision
    x64, y64 = _inputs(name, np.float64)
    np.testing.assert_allclose(value, loss(x64, y64, reduction=reduction), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", sorted(lv.LOSSES))
def test_ints_and_lists_give_float64(name):
    loss, grad = lv.LOSSES[name]
    x, y_true = _inputs(name, np.float64)
    as_list = (x.tolist(), y_true.tolist())
    with strict():
        check_dtype(loss(*as_list), np.float64)
        check_dtype(grad(*as_list), np.float64)
    if name in REGRESSION:
        # ints: errors [1-0, 2-5, 3-2] = [1, -3, 1]; mse = 11/3 in float64
        ints = (np.array([1, 2, 3]), np.array([0, 5, 2]))
        check_dtype(loss(*ints), np.float64)
        check_dtype(grad(*ints), np.float64)
    if name == "binary_cross_entropy_with_logits":
        check_dtype(loss(np.array([2, -1]), np.array([1, 0])), np.float64)
    if name == "cross_entropy":
        # integer logits are numbers like any other: lse([0, 1, 2]) - 2 = 0.407606
        value = loss(np.array([[0, 1, 2]]), np.array([2]))
        check_dtype(value, np.float64)
        assert value == pytest.approx(math.log(1 + math.exp(-1) + math.exp(-2)), rel=1e-14)
    if name == "sigmoid_focal_loss":
        # integer logits 0: p = 1/2 for both; y = 1: 0.25 * 0.5^2 * ln 2; y = 0: 0.75 * 0.5^2 * ln 2
        value = loss(np.array([0, 0]), np.array([1, 0]))
        check_dtype(value, np.float64)
        np.testing.assert_allclose(value, [0.0625 * math.log(2), 0.1875 * math.log(2)],
                                   rtol=1e-14)
    if name == "brier_score":
        # 0/1 integer predictions are probabilities too: (0 - 1)^2 and (1 - 1)^2, mean 1/2
        value = loss(np.array([0, 1]), np.array([1, 1]))
        check_dtype(value, np.float64)
        assert value == 0.5


def test_ints_to_mse_is_exact_float64():
    value = lv.mse(np.array([4, 2, 3]), np.array([3, 5, 2]))
    check_dtype(value, np.float64)
    assert value == pytest.approx(11 / 3, rel=1e-15)


@pytest.mark.parametrize("fn", ["sigmoid", "sigmoid_grad", "log_sigmoid", "softmax",
                                "log_softmax", "logsumexp"])
def test_activation_dtypes(fn):
    f = getattr(lv, fn)
    check_dtype(f(np.array([0.5, -1.0], dtype=np.float32)), np.float32)
    check_dtype(f(np.array([0.5, -1.0])), np.float64)
    check_dtype(f([1, 2]), np.float64)


def test_float32_mse_over_millions_of_elements_is_accurate():
    # 4 million float32 errors: summing squares in float32 one by one would lose ~1e-3
    # relative; the result must stay within 1e-6 of the float64 reference
    rng = np.random.default_rng(20261127)
    n = 4_000_000
    y_pred = (rng.normal(size=n) + 3.0).astype(np.float32)
    y_true = rng.normal(size=n).astype(np.float32)
    with strict():
        got = lv.mse(y_pred, y_true)
        got_sum = lv.mse(y_pred, y_true, reduction="sum")
    check_dtype(got, np.float32)
    reference = np.mean((y_pred.astype(np.float64) - y_true.astype(np.float64)) ** 2)
    assert abs(float(got) - reference) <= 1e-6 * reference
    assert abs(float(got_sum) - reference * n) <= 1e-6 * reference * n
