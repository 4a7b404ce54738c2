"""Property-based invariants (Hypothesis) on bounded float64 inputs.

Each property is a fact of the mathematics that any correct implementation satisfies:
losses are never negative, cross-entropy ignores a constant added to a row of logits, its
gradient rows sum to zero, the 2-class cross-entropy is the binary one, and so on.
"""

import warnings
from contextlib import contextmanager

import hypothesis.extra.numpy as hnp
import numpy as np
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
