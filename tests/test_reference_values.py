"""Reference values: every number the course quotes, with the arithmetic written out.

Each expected value is computed by hand (or with ``math`` on scalars) so that a wrong formula,
a wrong reduction or a wrong sign in lossviz makes a test fail.
"""

import math

import numpy as np
import pytest

import lossviz as lv

REL = 1e-12  # float64 hand arithmetic vs lossviz: only rounding may differ


def approx(x, rel=REL, abs=1e-15):
    return pytest.approx(x, rel=rel, abs=abs)


# --------------------------------------------------------------------------------------------
# Numbers quoted in the course
# --------------------------------------------------------------------------------------------


def test_mse_course_example_is_eleven_thirds():
    # errors y_pred - y_true = [4-3, 2-5, 3-2] = [1, -3, 1]; squares [1, 9, 1]; mean 11/3
    assert lv.mse([4, 2, 3], [3, 5, 2]) == approx(11 / 3)
    assert lv.mse([4, 2, 3], [3, 5, 2], reduction="sum") == approx(11.0)
    np.testing.assert_array_equal(lv.mse([4, 2, 3], [3, 5, 2], reduction="none"), [1.0, 9.0, 1.0])


def test_mse_sklearn_docs_example_is_0_17():
    # errors [2.5-3.0, 0.0-(-0.5), 2.1-2.0] = [-0.5, 0.5, 0.1]; squares [0.25, 0.25, 0.01]
    # mean (0.25 + 0.25 + 0.01) / 3 = 0.51 / 3 = 0.17
    assert lv.mse([2.5, 0.0, 2.1], [3.0, -0.5, 2.0]) == approx(0.17, rel=1e-10)
    assert f"{lv.mse([2.5, 0.0, 2.1], [3.0, -0.5, 2.0]):.4f}" == "0.1700"


def test_cross_entropy_course_example_0_2413():
    # softmax([2.0, 0.5, -1.0])[0] = e^2 / (e^2 + e^0.5 + e^-1)
    #   = 7.389056 / (7.389056 + 1.648721 + 0.367879) = 7.389056 / 9.405656 = 0.785597
    # loss = -log(0.785597) = log(9.405656) - 2 = 2.241270 - 2 = 0.241270
    expected = math.log(math.exp(2.0) + math.exp(0.5) + math.exp(-1.0)) - 2.0
    loss = lv.cross_entropy([[2.0, 0.5, -1.0]], [0])
    assert loss == approx(expected)
    assert f"{loss:.4f}" == "0.2413"
    # the 1-D form (C,) with a scalar label is the same single example
    assert lv.cross_entropy([2.0, 0.5, -1.0], 0) == approx(expected)


# true label 1; predicted probability of class 1 p -> MSE (1 - p)^2 and CE -log(p)
#   p = 0.9 : (0.1)^2  = 0.01,   -log 0.9  = 0.105361
#   p = 0.6 : (0.4)^2  = 0.16,   -log 0.6  = 0.510826
#   p = 0.01: (0.99)^2 = 0.9801, -log 0.01 = 4.605170
COURSE_TABLE = [
    (0.9, 0.01, "0.0100", 0.105360515657826, "0.105"),
    (0.6, 0.16, "0.1600", 0.510825623765991, "0.511"),
    (0.01, 0.9801, "0.9801", 4.605170185988091, "4.605"),
]


@pytest.mark.parametrize(("p", "mse_expected", "mse_text", "ce_expected", "ce_text"), COURSE_TABLE)
def test_course_table_mse_vs_cross_entropy(p, mse_expected, mse_text, ce_expected, ce_text):
    assert lv.mse([p], [1.0]) == approx(mse_expected, rel=1e-10)
    assert f"{lv.mse([p], [1.0]):.4f}" == mse_text
    assert math.log(1 / p) == approx(ce_expected)  # the table itself: -log p
    bce = lv.binary_cross_entropy([p], [1.0])
    assert bce == approx(ce_expected)
    assert f"{bce:.3f}" == ce_text
    # the same example as a 2-class problem: logits = log-probabilities [log(1-p), log p],
    # softmax of log-probabilities gives back [1-p, p], so CE = -log p
    logits = [[math.log(1 - p), math.log(p)]]
    ce = lv.cross_entropy(logits, [1])
    assert ce == approx(ce_expected, rel=1e-10)
    assert f"{ce:.3f}" == ce_text


@pytest.mark.parametrize(("p_cat", "expected", "text"), [(0.70, 0.356675, "0.357"),
                                                          (0.05, 2.995732, "2.996")])
def test_cat_probability(p_cat, expected, text):
    # -log 0.70 = 0.356675 ; -log 0.05 = 2.995732
    # three classes (cat, dog, bird), the cat is the true class 0; the other two share the rest
    rest = (1 - p_cat) / 2
    probs = [p_cat, rest, rest]
    logits = [[math.log(q) for q in probs]]
    ce = lv.cross_entropy(logits, [0])
    assert ce == approx(-math.log(p_cat), rel=1e-10)
    assert ce == approx(expected, rel=1e-6)
    assert f"{ce:.3f}" == text
    # with probability targets (one-hot cat) it is the same number
    assert lv.soft_cross_entropy(logits, [[1.0, 0.0, 0.0]]) == approx(-math.log(p_cat), rel=1e-10)


# --------------------------------------------------------------------------------------------
# Hand-computed values for every loss and every reduction
# --------------------------------------------------------------------------------------------

Y_PRED = [1.0, -2.0, 3.5, 0.25]
Y_TRUE = [0.0, 0.0, 0.5, 0.25]
# errors d = [1, -2, 3, 0]


def test_mse_reductions():
    # squares [1, 4, 9, 0]; sum 14; mean 14 / 4 = 3.5
    np.testing.assert_array_equal(lv.mse(Y_PRED, Y_TRUE, reduction="none"), [1.0, 4.0, 9.0, 0.0])
    assert lv.mse(Y_PRED, Y_TRUE, reduction="sum") == 14.0
    assert lv.mse(Y_PRED, Y_TRUE, reduction="mean") == 3.5
    assert lv.mse(Y_PRED, Y_TRUE) == 3.5  # default is "mean"
    # gradient 2 d: none/sum [2, -4, 6, 0]; mean divides by N = 4 -> [0.5, -1, 1.5, 0]
    np.testing.assert_array_equal(lv.mse_grad(Y_PRED, Y_TRUE, reduction="none"), [2, -4, 6, 0])
    np.testing.assert_array_equal(lv.mse_grad(Y_PRED, Y_TRUE, reduction="sum"), [2, -4, 6, 0])
    np.testing.assert_array_equal(lv.mse_grad(Y_PRED, Y_TRUE), [0.5, -1.0, 1.5, 0.0])


def test_mse_2d_mean_is_over_all_elements():
    # errors [[1, 2], [3, 4]]; squares sum 1 + 4 + 9 + 16 = 30; mean over 4 elements = 7.5
    y_pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert lv.mse(y_pred, np.zeros((2, 2))) == 7.5
    assert lv.mse(y_pred, np.zeros((2, 2)), reduction="none").shape == (2, 2)


def test_mae_reductions():
    # |d| = [1, 2, 3, 0]; sum 6; mean 6 / 4 = 1.5
    np.testing.assert_array_equal(lv.mae(Y_PRED, Y_TRUE, reduction="none"), [1.0, 2.0, 3.0, 0.0])
    assert lv.mae(Y_PRED, Y_TRUE, reduction="sum") == 6.0
    assert lv.mae(Y_PRED, Y_TRUE) == 1.5
    # gradient sign(d) = [1, -1, 1, 0] (0 at d = 0, like torch); mean divides by 4
    np.testing.assert_array_equal(lv.mae_grad(Y_PRED, Y_TRUE, reduction="none"), [1, -1, 1, 0])
    np.testing.assert_array_equal(lv.mae_grad(Y_PRED, Y_TRUE, reduction="sum"), [1, -1, 1, 0])
    np.testing.assert_array_equal(lv.mae_grad(Y_PRED, Y_TRUE), [0.25, -0.25, 0.25, 0.0])


def test_huber_both_branches():
    # delta = 1: d = [1, -2, 3, 0] and an extra 0.5 below
    #   |d| <  delta -> d^2 / 2                 : d = 0.5 -> 0.125 ; d = 0 -> 0
    #   |d| >= delta -> delta * (|d| - delta/2) : d = 1 -> 0.5 ; d = -2 -> 1.5 ; d = 3 -> 2.5
    y_pred = [1.0, -2.0, 3.5, 0.25, 0.5]
    y_true = [0.0, 0.0, 0.5, 0.25, 0.0]
    expected = [0.5, 1.5, 2.5, 0.0, 0.125]
    np.testing.assert_array_equal(lv.huber(y_pred, y_true, reduction="none"), expected)
    assert lv.huber(y_pred, y_true, reduction="sum") == 4.625  # 0.5 + 1.5 + 2.5 + 0 + 0.125
    assert lv.huber(y_pred, y_true) == 4.625 / 5  # = 0.925
    # gradient: d inside, delta * sign(d) outside -> [1, -1, 1, 0, 0.5]
    np.testing.assert_array_equal(lv.huber_grad(y_pred, y_true, reduction="none"),
                                  [1.0, -1.0, 1.0, 0.0, 0.5])
    np.testing.assert_array_equal(lv.huber_grad(y_pred, y_true), [0.2, -0.2, 0.2, 0.0, 0.1])


def test_huber_with_delta_2():
    # delta = 2: d = 1 -> 1^2/2 = 0.5 ; d = -3 -> 2 * (3 - 1) = 4 ; d = 1.5 -> 1.125
    y_pred, y_true = [1.0, -3.0, 1.5], [0.0, 0.0, 0.0]
    np.testing.assert_array_equal(lv.huber(y_pred, y_true, delta=2.0, reduction="none"),
                                  [0.5, 4.0, 1.125])
    assert lv.huber(y_pred, y_true, delta=2.0, reduction="sum") == 5.625
    # gradient: inside -> d = 1, 1.5 ; outside -> delta * sign(d) = -2
    np.testing.assert_array_equal(lv.huber_grad(y_pred, y_true, delta=2.0, reduction="none"),
                                  [1.0, -2.0, 1.5])


def test_huber_is_half_mse_for_small_errors_and_delta_times_mae_for_large():
    # all |d| < delta: huber = d^2/2 = mse/2 ; all |d| > delta: huber = delta*|d| - delta^2/2
    small = [0.1, -0.3, 0.2]
    assert lv.huber(small, [0, 0, 0]) == approx(lv.mse(small, [0, 0, 0]) / 2)
    large = [5.0, -7.0]
    # delta = 1: (5 - 0.5 + 7 - 0.5) / 2 = 5.5 = mae - 0.5
    assert lv.huber(large, [0, 0]) == approx(lv.mae(large, [0, 0]) - 0.5)


def test_binary_cross_entropy_reductions():
    # -(y log p + (1 - y) log(1 - p)):
    #   p = 0.8, y = 1 -> -log 0.8 = 0.223144
    #   p = 0.3, y = 0 -> -log 0.7 = 0.356675
    #   p = 0.5, y = 0.25 (soft target) -> -(0.25 log .5 + 0.75 log .5) = log 2 = 0.693147
    p, y = [0.8, 0.3, 0.5], [1.0, 0.0, 0.25]
    terms = [-math.log(0.8), -math.log(0.7), math.log(2.0)]
    np.testing.assert_allclose(lv.binary_cross_entropy(p, y, reduction="none"), terms, rtol=REL)
    assert lv.binary_cross_entropy(p, y, reduction="sum") == approx(sum(terms))
    assert lv.binary_cross_entropy(p, y) == approx(sum(terms) / 3)
    # d/dp = (p - y) / (p (1 - p)): 0.8 -> -0.2/0.16 = -1.25 ; 0.3 -> 0.3/0.21 = 1.428571 ;
    #        0.5, y = 0.25 -> 0.25 / 0.25 = 1
    grad = [-1.25, 0.3 / 0.21, 1.0]
    np.testing.assert_allclose(lv.binary_cross_entropy_grad(p, y, reduction="none"), grad,
                               rtol=REL)
    np.testing.assert_allclose(lv.binary_cross_entropy_grad(p, y), np.array(grad) / 3, rtol=REL)


def test_binary_cross_entropy_clamps_logs_at_minus_100():
    # like torch: log(0) is clamped to -100, so p = 0 with y = 1 costs 100 (not inf)
    assert lv.binary_cross_entropy([0.0], [1.0]) == 100.0
    assert lv.binary_cross_entropy([1.0], [0.0]) == 100.0
    # p = 1e-50: log p = -115.13 < -100 -> clamped to 100 as well
    assert lv.binary_cross_entropy([1e-50], [1.0]) == 100.0
    # p = 1e-40: log p = -92.1034 > -100 -> not clamped
    assert lv.binary_cross_entropy([1e-40], [1.0]) == approx(40 * math.log(10))


def test_binary_cross_entropy_with_logits_values():
    # log(1 + e^z) - y z
    #   z = 0, y = 1   -> log 2 = 0.693147
    #   z = 2, y = 1   -> log(1 + e^-2) = 0.126928
    #   z = 2, y = 0   -> log(1 + e^2)  = 2.126928
    #   z = -3, y = .25 -> log(1 + e^-3) + 0.75 = 0.048587 + 0.75 = 0.798587
    z, y = [0.0, 2.0, 2.0, -3.0], [1.0, 1.0, 0.0, 0.25]
    terms = [math.log(2), math.log1p(math.exp(-2)), math.log1p(math.exp(2)),
             math.log1p(math.exp(-3)) + 0.75]
    got = lv.binary_cross_entropy_with_logits(z, y, reduction="none")
    np.testing.assert_allclose(got, terms, rtol=REL)
    assert lv.binary_cross_entropy_with_logits(z, y, reduction="sum") == approx(sum(terms))
    assert lv.binary_cross_entropy_with_logits(z, y) == approx(sum(terms) / 4)
    # gradient sigma(z) - y: [0.5 - 1, s(2) - 1, s(2), s(-3) - 0.25]
    s = lambda t: 1 / (1 + math.exp(-t))  # noqa: E731
    grad = [-0.5, s(2) - 1, s(2), s(-3) - 0.25]
    np.testing.assert_allclose(lv.binary_cross_entropy_with_logits_grad(z, y, reduction="sum"),
                               grad, rtol=1e-12)
    np.testing.assert_allclose(lv.binary_cross_entropy_with_logits_grad(z, y),
                               np.array(grad) / 4, rtol=1e-12)


def test_binary_cross_entropy_with_logits_equals_bce_of_sigmoid():
    # sigma(0.4) = 0.598688 ; both forms give -log 0.598688 = 0.513015 for y = 1
    p = 1 / (1 + math.exp(-0.4))
    assert lv.binary_cross_entropy_with_logits([0.4], [1.0]) == approx(-math.log(p))
    assert lv.binary_cross_entropy([p], [1.0]) == approx(-math.log(p))


LOGITS = [[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]]
# logsumexp rows: log(e + e^2 + e^3) = 3.407606 ; log(e^.5 + e^-.5 + 1) = 1.142135
LSE = [math.log(math.exp(1) + math.exp(2) + math.exp(3)),
       math.log(math.exp(0.5) + math.exp(-0.5) + 1.0)]


def test_cross_entropy_reductions():
    # labels [2, 1]: loss_i = lse_i - z_i[y_i] = [3.407606 - 3, 1.142135 + 0.5]
    terms = [LSE[0] - 3.0, LSE[1] + 0.5]
    np.testing.assert_allclose(lv.cross_entropy(LOGITS, [2, 1], reduction="none"), terms,
                               rtol=REL)
    assert lv.cross_entropy(LOGITS, [2, 1], reduction="sum") == approx(sum(terms))
    assert lv.cross_entropy(LOGITS, [2, 1]) == approx(sum(terms) / 2)  # mean over N = 2 rows
    # gradient softmax - onehot; mean divides by N = 2
    soft = np.exp(np.array(LOGITS) - np.array(LSE)[:, None])
    onehot = np.array([[0, 0, 1], [0, 1, 0]])
    np.testing.assert_allclose(lv.cross_entropy_grad(LOGITS, [2, 1], reduction="none"),
                               soft - onehot, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(lv.cross_entropy_grad(LOGITS, [2, 1]), (soft - onehot) / 2,
                               rtol=1e-12, atol=1e-15)


def test_cross_entropy_label_smoothing():
    # eps = 0.1, C = 3: target q = 0.9 * onehot + 0.1 / 3
    # loss = lse - sum(q z); row 0, label 0: sum(q z) = 0.9 * 1 + (0.1/3) * (1 + 2 + 3) = 1.1
    #   -> 3.407606 - 1.1 = 2.307606
    assert lv.cross_entropy([[1.0, 2.0, 3.0]], [0], label_smoothing=0.1) == approx(LSE[0] - 1.1)
    # eps = 1: uniform target, sum(q z) = mean(z) = 2 -> 1.407606 whatever the label
    for label in (0, 1, 2):
        assert lv.cross_entropy([[1.0, 2.0, 3.0]], [label], label_smoothing=1.0) == approx(
            LSE[0] - 2.0)
    # gradient softmax - q
    soft = np.exp(np.array([1.0, 2.0, 3.0]) - LSE[0])
    q = np.array([0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3])
    np.testing.assert_allclose(lv.cross_entropy_grad([[1.0, 2.0, 3.0]], [0], label_smoothing=0.1),
                               [soft - q], rtol=1e-12)


def test_soft_cross_entropy_values():
    # q = [0.2, 0.3, 0.5]: loss = lse - sum(q z) = 3.407606 - (0.2 + 0.6 + 1.5) = 1.107606
    q = [[0.2, 0.3, 0.5]]
    assert lv.soft_cross_entropy([[1.0, 2.0, 3.0]], q) == approx(LSE[0] - 2.3)
    # label smoothing 0.1: q' = 0.9 q + 0.1/3 = [0.213333, 0.303333, 0.483333]
    #   sum(q' z) = 0.9 * 2.3 + (0.1/3) * 6 = 2.07 + 0.2 = 2.27 -> 1.137606 (torch: 1.1376)
    assert lv.soft_cross_entropy([[1.0, 2.0, 3.0]], q, label_smoothing=0.1) == approx(LSE[0] - 2.27)
    # two rows, reductions; row 1: q = [1, 0, 0], z = [0.5, -0.5, 0] -> 1.142135 - 0.5
    targets = [[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]
    terms = [LSE[0] - 2.3, LSE[1] - 0.5]
    np.testing.assert_allclose(lv.soft_cross_entropy(LOGITS, targets, reduction="none"), terms,
                               rtol=REL)
    assert lv.soft_cross_entropy(LOGITS, targets, reduction="sum") == approx(sum(terms))
    assert lv.soft_cross_entropy(LOGITS, targets) == approx(sum(terms) / 2)
    # gradient softmax - q, divided by N = 2 for the mean
    soft = np.exp(np.array(LOGITS) - np.array(LSE)[:, None])
    np.testing.assert_allclose(lv.soft_cross_entropy_grad(LOGITS, targets),
                               (soft - np.array(targets)) / 2, rtol=1e-12, atol=1e-15)


def test_activations_reference_values():
    # sigma(0) = 0.5 ; sigma(2) = 1 / (1 + e^-2) = 0.880797 ; sigma'(0) = 0.25
    np.testing.assert_allclose(lv.sigmoid([0.0, 2.0, -2.0]),
                               [0.5, 1 / (1 + math.exp(-2)), 1 / (1 + math.exp(2))], rtol=1e-15)
    assert lv.sigmoid_grad(0.0) == 0.25
    assert lv.log_sigmoid(0.0) == approx(-math.log(2))
    # softmax([1, 2, 3]) = [e, e^2, e^3] / 30.192288 = [0.090031, 0.244728, 0.665241]
    np.testing.assert_allclose(lv.softmax([1.0, 2.0, 3.0]),
                               [math.exp(k - LSE[0]) for k in (1, 2, 3)], rtol=1e-14)
    np.testing.assert_allclose(lv.log_softmax([1.0, 2.0, 3.0]),
                               [k - LSE[0] for k in (1, 2, 3)], rtol=1e-14)
    assert lv.logsumexp([1.0, 2.0, 3.0]) == approx(LSE[0])
    np.testing.assert_allclose(lv.logsumexp(LOGITS), LSE, rtol=1e-14)
    # axis=0 works column-wise: log(e^1 + e^0.5) = 1.474077
    assert lv.logsumexp(LOGITS, axis=0)[0] == approx(math.log(math.exp(1) + math.exp(0.5)))


# --------------------------------------------------------------------------------------------
# Perfect prediction costs nothing; the gradient vanishes at the minimum
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", [lv.mse, lv.mae, lv.huber])
def test_regression_perfect_prediction_is_zero(loss):
    y = np.array([0.3, -1.2, 4.0])
    assert loss(y, y) == 0.0
    assert loss(y, y, reduction="sum") == 0.0


@pytest.mark.parametrize("grad", [lv.mse_grad, lv.mae_grad, lv.huber_grad])
def test_regression_gradient_zero_at_minimum(grad):
    y = np.array([0.3, -1.2, 4.0])
    np.testing.assert_array_equal(grad(y, y), [0.0, 0.0, 0.0])


def test_classification_perfect_prediction_is_zero():
    # p equals the 0/1 label: -(1 log 1 + 0 log 0) = 0 (0 * log 0 counts as 0)
    assert lv.binary_cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0
    # logits 1e4 / -1e4 are certain: log(1 + e^-1e4) = 0 in float64
    assert lv.binary_cross_entropy_with_logits([1e4, -1e4], [1.0, 0.0]) == 0.0
    # the true class has logit 1e4 more than the others: lse - z_y = log(1 + 2 e^-1e4) = 0
    assert lv.cross_entropy([[1e4, 0.0, 0.0]], [0]) == 0.0
    assert lv.soft_cross_entropy([[1e4, 0.0, 0.0]], [[1.0, 0.0, 0.0]]) == 0.0


def test_classification_gradient_zero_at_minimum():
    # BCE in p is minimal at p = y: (p - y) / (p (1 - p)) = 0
    np.testing.assert_allclose(lv.binary_cross_entropy_grad([0.3, 0.8], [0.3, 0.8]), [0, 0],
                               atol=1e-15)
    # BCE with logits is minimal where sigma(z) = y, i.e. z = log(y / (1 - y))
    y = np.array([0.3, 0.8])
    np.testing.assert_allclose(lv.binary_cross_entropy_with_logits_grad(np.log(y / (1 - y)), y),
                               [0, 0], atol=1e-15)
    # soft CE is minimal where softmax(z) = q, i.e. z = log q (+ any constant)
    q = np.array([[0.2, 0.3, 0.5]])
    np.testing.assert_allclose(lv.soft_cross_entropy_grad(np.log(q) + 7.0, q), [[0, 0, 0]],
                               atol=1e-15)
    # index CE with label smoothing eps: minimal at softmax(z) = (1 - eps) onehot + eps / C
    eps, C = 0.3, 3
    target = np.array([[1 - eps + eps / C, eps / C, eps / C]])
    np.testing.assert_allclose(lv.cross_entropy_grad(np.log(target), [0], label_smoothing=eps),
                               [[0, 0, 0]], atol=1e-15)


# --------------------------------------------------------------------------------------------
# Losses of notebooks 09-11 (information view, trustworthy probabilities, uncertainty)
# --------------------------------------------------------------------------------------------


def test_entropy_of_the_cat_dog_bird_prediction_and_of_uniform_rows():
    # -(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) = 0.249672 + 0.321888 + 0.230259 = 0.801819 nats
    h = -(0.7 * math.log(0.7) + 0.2 * math.log(0.2) + 0.1 * math.log(0.1))
    assert lv.entropy([0.7, 0.2, 0.1]) == approx(h)
    assert f"{h:.6f}" == "0.801819"
    # uniform over C classes: ln C (the maximum); one certain class: 0
    np.testing.assert_allclose(lv.entropy([[0.25] * 4, [1.0, 0.0, 0.0, 0.0]]),
                               [math.log(4), 0.0], rtol=REL)
    # a fair coin is 1 bit: ln 2 nats / ln 2
    assert lv.entropy([0.5, 0.5]) / math.log(2) == approx(1.0)


def test_kl_div_cat_dog_bird():
    q = [0.7, 0.2, 0.1]
    # one-hot target "cat": KL = 1 ln(1 / 0.7) = 0.356675 = the cross-entropy (H(onehot) = 0)
    assert lv.kl_div(np.log([q]), [[1.0, 0.0, 0.0]], reduction="batchmean") == approx(
        -math.log(0.7))
    # soft target (0.8, 0.1, 0.1): 0.8 ln(0.8/0.7) + 0.1 ln(0.1/0.2) + 0.1 ln(0.1/0.1)
    #   = 0.8 * 0.133531 - 0.1 * 0.693147 + 0 = 0.106825 - 0.069315 = 0.037510
    kl = 0.8 * math.log(0.8 / 0.7) + 0.1 * math.log(0.5) + 0.0
    assert f"{kl:.6f}" == "0.037510"
    t = [[0.8, 0.1, 0.1]]
    assert lv.kl_div(np.log([q]), t, reduction="batchmean") == approx(kl)
    assert lv.kl_div(np.log([q]), t, reduction="sum") == approx(kl)
    # "mean" divides by the 3 elements, not by the 1 row: 0.037510 / 3 = 0.012503
    assert lv.kl_div(np.log([q]), t) == approx(kl / 3)
    # the same with the target given as log-probabilities
    assert lv.kl_div(np.log([q]), np.log(t), reduction="batchmean", log_target=True) == approx(kl)
    # two rows, batchmean divides by 2: (kl + 0) / 2 (the second row predicts its target)
    assert lv.kl_div(np.log([q, [0.8, 0.1, 0.1]]), [t[0], t[0]],
                     reduction="batchmean") == approx(kl / 2)


def test_cross_entropy_with_class_weights_ignore_index_and_smoothing():
    z = [[2.0, 0.5, -1.0], [2.0, 0.5, -1.0], [0.0, 0.0, 0.0]]
    lse = math.log(math.exp(2.0) + math.exp(0.5) + math.exp(-1.0))  # ln 9.405656 = 2.241311
    nll = [lse - 2.0, lse - 0.5, lse + 1.0]  # -log p_c: 0.241311, 1.741311, 3.241311
    w = [1.0, 3.0, 1.0]
    # labels 0, 1 and an ignored row: (1 * 0.241311 + 3 * 1.741311) / (1 + 3) = 1.366311
    expected = (1 * nll[0] + 3 * nll[1]) / 4
    assert f"{expected:.6f}" == "1.366311"
    assert lv.cross_entropy(z, [0, 1, -100], weight=w) == approx(expected)
    assert lv.cross_entropy(z, [0, 1, -100], weight=w, reduction="sum") == approx(4 * expected)
    np.testing.assert_allclose(lv.cross_entropy(z, [0, 1, -100], weight=w, reduction="none"),
                               [nll[0], 3 * nll[1], 0.0], rtol=REL)
    # smoothing 0.3 over C = 3: the smoothing term weights each class by ITS OWN weight (torch):
    # row i: 0.7 w_y nll_y + 0.1 (1 nll_0 + 3 nll_1 + 1 nll_2)
    smooth = 0.1 * (nll[0] + 3 * nll[1] + nll[2])
    rows = [0.7 * 1 * nll[0] + smooth, 0.7 * 3 * nll[1] + smooth]
    np.testing.assert_allclose(
        lv.cross_entropy(z, [0, 1, -100], weight=w, label_smoothing=0.3, reduction="none"),
        [rows[0], rows[1], 0.0], rtol=REL)
    # "mean" divides by the targets' weights 1 + 3, not by the smoothed weights or by N
    assert lv.cross_entropy(z, [0, 1, -100], weight=w, label_smoothing=0.3) == approx(
        sum(rows) / 4)


def test_cross_entropy_weighted_gradient_by_hand():
    # logits (0, 0): p = (0.5, 0.5); label 1 with weight 3: row gradient 3 (p - onehot)
    #   = 3 (0.5, -0.5) = (1.5, -1.5); "mean" divides by the weight 3 -> (0.5, -0.5)
    np.testing.assert_allclose(lv.cross_entropy_grad([[0.0, 0.0]], [1], weight=[1.0, 3.0],
                                                     reduction="sum"), [[1.5, -1.5]], rtol=REL)
    np.testing.assert_allclose(lv.cross_entropy_grad([[0.0, 0.0]], [1], weight=[1.0, 3.0]),
                               [[0.5, -0.5]], rtol=REL)


def test_bce_with_pos_weight_and_weight():
    # z = 0: sigma = 0.5. y = 1, pos_weight 3: 3 * (-ln 0.5) = 3 ln 2 = 2.079442;
    # y = 0: pos_weight does not apply: ln 2 = 0.693147
    np.testing.assert_allclose(
        lv.binary_cross_entropy_with_logits([0.0, 0.0], [1.0, 0.0], pos_weight=[3.0, 3.0],
                                            reduction="none"),
        [3 * math.log(2), math.log(2)], rtol=REL)
    # gradient: w [(1 - y) sigma(z) - pw y sigma(-z)] = -3 * 0.5 = -1.5 and 0.5
    np.testing.assert_allclose(
        lv.binary_cross_entropy_with_logits_grad([0.0, 0.0], [1.0, 0.0], pos_weight=3.0,
                                                 reduction="none"), [-1.5, 0.5], rtol=REL)
    # weight 2 on probabilities: p = 0.8, y = 1: -2 ln 0.8 = 0.446287; d/dp = 2 (0.8 - 1) / 0.16
    assert lv.binary_cross_entropy([0.8], [1.0], weight=[2.0]) == approx(-2 * math.log(0.8))
    np.testing.assert_allclose(lv.binary_cross_entropy_grad([0.8], [1.0], weight=2.0),
                               [2 * (0.8 - 1) / (0.8 * 0.2)], rtol=REL)


def test_sigmoid_focal_loss_by_hand():
    # z = 0: p = 0.5, p_t = 0.5, (1 - p_t)^2 = 0.25, BCE = ln 2.
    # y = 1: alpha_t = 0.25 -> 0.25 * 0.25 * ln 2 = 0.043322; y = 0: alpha_t = 0.75 -> 0.129965
    np.testing.assert_allclose(lv.sigmoid_focal_loss([0.0, 0.0], [1.0, 0.0]),
                               [0.0625 * math.log(2), 0.1875 * math.log(2)], rtol=REL)
    # z = ln 3: p = 0.75; y = 1: p_t = 0.75, (0.25)^2 = 0.0625, BCE = -ln 0.75 = 0.287682,
    #   times alpha 0.25: 0.004495
    assert lv.sigmoid_focal_loss([math.log(3)], [1.0], reduction="sum") == approx(
        0.25 * 0.0625 * -math.log(0.75))
    # alpha < 0: no alpha_t; gamma = 0: plain BCE with logits
    assert lv.sigmoid_focal_loss([math.log(3)], [1.0], alpha=-1, gamma=0.0,
                                 reduction="mean") == approx(-math.log(0.75))


def test_brier_score_by_hand():
    # binary: ((0.9 - 1)^2 + (0.2 - 1)^2) / 2 = (0.01 + 0.64) / 2 = 0.325
    assert lv.brier_score([0.9, 0.2], [1, 1]) == approx(0.325)
    # classes: row 0, label 0: 0.3^2 + 0.2^2 + 0.1^2 = 0.09 + 0.04 + 0.01 = 0.14
    #          row 1, label 2: 0.2^2 + 0.5^2 + 0.7^2 = 0.04 + 0.25 + 0.49 = 0.78; mean 0.46
    p = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3]]
    assert lv.brier_score(p, [0, 2]) == approx(0.46)
    np.testing.assert_allclose(lv.brier_score(p, [0, 2], reduction="none"), [0.14, 0.78],
                               rtol=REL)
    # the worst: all mass on a wrong class: 1^2 + 1^2 = 2
    assert lv.brier_score([[0.0, 1.0]], [0]) == approx(2.0)
    # gradient 2 (p - onehot) / N: row 0 -> (2 * -0.3, 2 * 0.2, 2 * 0.1) / 2
    np.testing.assert_allclose(lv.brier_score_grad(p, [0, 2])[0], [-0.3, 0.2, 0.1], rtol=REL)


def test_gaussian_nll_by_hand():
    # d = 1, var = 2: 0.5 (ln 2 + 1/2) = 0.5 (0.693147 + 0.5) = 0.596574
    assert lv.gaussian_nll([1.0], [0.0], [2.0]) == approx(0.5 * (math.log(2) + 0.5))
    # full adds 0.5 ln(2 pi) = 0.918939: 1.515512
    assert lv.gaussian_nll([1.0], [0.0], [2.0], full=True) == approx(
        0.5 * (math.log(2) + 0.5) + 0.5 * math.log(2 * math.pi))
    # var shared along the last axis ((2,) for (2, 2) predictions): rows use var 1 and 4
    #   row 0, d = (1, 0): 0.5 (0 + 1) + 0.5 (0 + 0) = 0.5
    #   row 1, d = (2, 2): 2 * 0.5 (ln 4 + 4/4) = ln 4 + 1 = 2.386294; mean over 4 elements
    value = lv.gaussian_nll([[1.0, 0.0], [2.0, 2.0]], [[0.0, 0.0], [0.0, 0.0]], [1.0, 4.0])
    assert value == approx((0.5 + math.log(4) + 1) / 4)


def test_pinball_loss_by_hand():
    # q = 0.9: target 2 above the prediction: 0.9 * 2 = 1.8; 2 below: 0.1 * 2 = 0.2; tie 0
    np.testing.assert_allclose(
        lv.pinball_loss([0.0, 0.0, 0.0], [2.0, -2.0, 0.0], quantile=0.9, reduction="none"),
        [1.8, 0.2, 0.0], rtol=REL)
    assert lv.pinball_loss([0.0, 0.0, 0.0], [2.0, -2.0, 0.0], quantile=0.9) == approx(2.0 / 3)
    # q = 0.5 is half the absolute error: (|1| + |-3| + |1|) / 2 / 3 = 5/6
    assert lv.pinball_loss([4, 2, 3], [3, 5, 2], quantile=0.5) == approx(5 / 6)
