"""Tests for lossviz.calibration (reliability bins, ECE, confusion matrix, precision/recall) and
for the imbalanced data set of notebook 10 (lossviz.data.imbalanced_two_class).

Reference values are worked out by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest

from lossviz import calibration as cal
from lossviz import data, training

# ---------------------------------------------------------------------------
# reliability_bins
# ---------------------------------------------------------------------------


def test_reliability_bins_reference_values():
    # 5 bins of width 0.2.  p -> bin floor(5 p):
    #   0.05 -> 0, 0.15 -> 0, 0.3 -> 1, 0.5 -> 2, 0.55 -> 2, 0.9 -> 4, 1.0 -> 4 (last bin holds 1)
    p = [0.05, 0.15, 0.3, 0.5, 0.55, 0.9, 1.0]
    y = [0, 1, 0, 1, 1, 1, 0]
    b = cal.reliability_bins(p, y, n_bins=5)
    assert b.edges.tolist() == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert b.count.tolist() == [2, 1, 2, 0, 2]
    # confidence: (0.05 + 0.15)/2 = 0.1; 0.3; (0.5 + 0.55)/2 = 0.525; empty; (0.9 + 1.0)/2 = 0.95
    np.testing.assert_allclose(b.confidence[[0, 1, 2, 4]], [0.1, 0.3, 0.525, 0.95])
    # frequency of label 1: 1/2, 0/1, 2/2, empty, 1/2
    np.testing.assert_allclose(b.frequency[[0, 1, 2, 4]], [0.5, 0.0, 1.0, 0.5])
    assert np.isnan(b.confidence[3]) and np.isnan(b.frequency[3])
    # gap = frequency - confidence: 0.4, -0.3, 0.475, nan, -0.45
    np.testing.assert_allclose(b.gap[[0, 1, 2, 4]], [0.4, -0.3, 0.475, -0.45])


def test_reliability_bins_edges_go_to_the_upper_bin():
    # 0.5 is the lower edge of bin 1 of 2; 0.0 is in bin 0 and 1.0 in the last bin
    b = cal.reliability_bins([0.0, 0.5, 1.0], [0, 1, 1], n_bins=2)
    assert b.count.tolist() == [1, 2]


# ---------------------------------------------------------------------------
# expected_calibration_error
# ---------------------------------------------------------------------------


def test_ece_reference_value():
    # same data as above: ECE = (2 * 0.4 + 1 * 0.3 + 2 * 0.475 + 2 * 0.45) / 7
    #                         = (0.8 + 0.3 + 0.95 + 0.9) / 7 = 2.95 / 7 = 0.421428...
    p = [0.05, 0.15, 0.3, 0.5, 0.55, 0.9, 1.0]
    y = [0, 1, 0, 1, 1, 1, 0]
    assert cal.expected_calibration_error(p, y, n_bins=5) == pytest.approx(2.95 / 7, abs=1e-12)


def test_ece_is_zero_when_each_bin_says_what_happens():
    # bin [0.2, 0.4): four examples at p = 0.25, one of them positive (1/4 = 0.25);
    # bin [0.6, 0.8): four at p = 0.75, three positive (3/4 = 0.75)
    p = [0.25] * 4 + [0.75] * 4
    y = [1, 0, 0, 0, 1, 1, 1, 0]
    assert cal.expected_calibration_error(p, y, n_bins=5) == pytest.approx(0.0, abs=1e-15)


def test_ece_of_an_always_certain_wrong_model_is_one():
    # every p = 1 and every label 0: one bin, |0 - 1| = 1
    assert cal.expected_calibration_error([1.0, 1.0, 1.0], [0, 0, 0]) == 1.0


def test_ece_of_a_large_calibrated_sample_is_small():
    # labels drawn with probability exactly p: ECE shrinks like 1/sqrt(n per bin)
    rng = np.random.default_rng(0)
    p = rng.uniform(size=200_000)
    y = (rng.uniform(size=p.size) < p).astype(float)
    assert cal.expected_calibration_error(p, y) < 0.01
    # the same labels with p squeezed towards 0.5 (underconfident) are off by ~ |p - 0.5| / 2
    squeezed = 0.5 + (p - 0.5) / 2
    assert cal.expected_calibration_error(squeezed, y) > 0.1


def test_top_label():
    # row 0: argmax 0 = label, conf 0.7; row 1: argmax 1 != label 0, conf 0.6
    conf, ok = cal.top_label(np.array([[0.7, 0.2, 0.1], [0.3, 0.6, 0.1]]), np.array([0, 0]))
    assert conf.tolist() == [0.7, 0.6] and ok.tolist() == [1.0, 0.0]


# ---------------------------------------------------------------------------
# confusion_matrix, precision/recall
# ---------------------------------------------------------------------------


def test_confusion_matrix_reference_values():
    y_pred = [0, 1, 1, 0, 2, 2, 1]
    y_true = [0, 1, 0, 0, 2, 1, 1]
    # (true, pred) pairs: (0,0) (1,1) (0,1) (0,0) (2,2) (1,2) (1,1)
    expected = [[2, 1, 0],
                [0, 2, 1],
                [0, 0, 1]]
    assert cal.confusion_matrix(y_pred, y_true).tolist() == expected
    assert cal.confusion_matrix(y_pred, y_true, n_classes=4).shape == (4, 4)
    # a model that only ever says 0 still gets a 2 x 2 matrix
    assert cal.confusion_matrix([0, 0, 0], [0, 1, 0]).tolist() == [[2, 0], [1, 0]]


def test_precision_recall_reference_values():
    p = [0.1, 0.35, 0.4, 0.6, 0.8, 0.95]
    y = [0, 1, 0, 1, 0, 1]
    # threshold 0.5: predicted positive = {0.6, 0.8, 0.95}: TP 2 (0.6, 0.95), FP 1 (0.8);
    # positives missed: 0.35 -> FN 1; TN: 0.1, 0.4 -> 2.
    # precision 2/3, recall 2/3, accuracy (2 + 2)/6
    prec, rec, acc = cal.precision_recall(p, y, threshold=0.5)
    assert (prec, rec, acc) == pytest.approx((2 / 3, 2 / 3, 4 / 6))
    # threshold 0.3: everything but 0.1 is positive: TP 3, FP 2, FN 0, TN 1
    assert cal.precision_recall(p, y, threshold=0.3) == pytest.approx((3 / 5, 1.0, 4 / 6))
    # p >= threshold counts as positive: at exactly 0.6, 0.6 is in
    assert cal.precision_recall(p, y, threshold=0.6) == pytest.approx((2 / 3, 2 / 3, 4 / 6))


def test_threshold_sweep_matches_a_loop_and_handles_nothing_predicted():
    rng = np.random.default_rng(1)
    p = rng.uniform(size=300)
    y = (rng.uniform(size=300) < 0.2).astype(int)
    t = np.linspace(0, 1, 41)
    s = cal.threshold_sweep(p, y, t)
    for i, ti in enumerate(t):
        pred = p >= ti
        tp = np.sum(pred & (y == 1))
        fp = np.sum(pred & (y == 0))
        fn = np.sum(~pred & (y == 1))
        assert (s["tp"][i], s["fp"][i], s["fn"][i]) == (tp, fp, fn)
        assert s["precision"][i] == (tp / (tp + fp) if tp + fp else 0.0)
        assert s["recall"][i] == pytest.approx(tp / (tp + fn))
        assert s["accuracy"][i] == pytest.approx(np.mean(pred == (y == 1)))
    # threshold 1 with no p equal to 1: nothing predicted positive, 0/0 -> zero_division
    assert s["precision"][-1] == 0.0
    one = cal.threshold_sweep(p, y, [1.0], zero_division=1.0)
    assert one["precision"][0] == 1.0
    assert np.isnan(cal.threshold_sweep(p, y, [1.0], zero_division=np.nan)["precision"][0])


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("call, exc, match", [
    (lambda: cal.reliability_bins([0.2, 1.3], [0, 1]), ValueError, r"\[0, 1\].*1\.3.*index 1"),
    (lambda: cal.reliability_bins([0.2, -2.0], [0, 1]), ValueError, "logits"),
    (lambda: cal.reliability_bins([0.2, 0.4], [0, 2]), ValueError, "labels 0 or 1.*index 1"),
    (lambda: cal.reliability_bins([0.2, 0.4], [0, 1, 1]), ValueError, r"shape \(2,\)"),
    (lambda: cal.reliability_bins([[0.2, 0.8]], [0]), ValueError, "top_label"),
    (lambda: cal.reliability_bins([], []), ValueError, "non-empty"),
    (lambda: cal.reliability_bins([0.2, np.nan], [0, 1]), ValueError, "NaN"),
    (lambda: cal.reliability_bins(["a"], [0]), TypeError, "real numbers"),
    (lambda: cal.reliability_bins([0.2], [0], n_bins=0), ValueError, "n_bins"),
    (lambda: cal.reliability_bins([0.2], [0], n_bins=2.5), ValueError, "n_bins"),
    (lambda: cal.expected_calibration_error([0.2], [0.5]), ValueError, "labels 0 or 1"),
    (lambda: cal.top_label([[2.0, -1.0]], [0]), ValueError, "softmax"),
    (lambda: cal.top_label([0.5, 0.5], [0]), ValueError, r"shape \(N, C\)"),
    (lambda: cal.top_label([[0.5, 0.5]], [2]), ValueError, "class indices 0..1"),
    (lambda: cal.top_label([[0.5, 0.5]], [0.0]), TypeError, "integer class indices"),
    (lambda: cal.confusion_matrix([0, 1], [0, 1, 1]), ValueError, "must match"),
    (lambda: cal.confusion_matrix([0, 1.0], [0, 1]), TypeError, "y_pred.*integer"),
    (lambda: cal.confusion_matrix([0, -1], [0, 1]), ValueError, ">= 0"),
    (lambda: cal.confusion_matrix([0, 2], [0, 1], n_classes=2), ValueError, "n_classes.*>= 3"),
    (lambda: cal.precision_recall([0.2], [1], threshold=1.5), ValueError, r"threshold.*\[0, 1\]"),
    (lambda: cal.precision_recall([0.2], [1], threshold="0.5"), ValueError, "threshold"),
    (lambda: cal.precision_recall([1.2], [1]), ValueError, "precision_recall: p"),
    (lambda: cal.precision_recall([0.2], [1], zero_division=0.5), ValueError, "zero_division"),
    (lambda: cal.threshold_sweep([0.2], [1], [0.5, 2.0]), ValueError, "thresholds.*max 2"),
    (lambda: cal.threshold_sweep([0.2], [1], []), ValueError, "non-empty"),
])
def test_bad_input_is_refused_with_a_clear_message(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---------------------------------------------------------------------------
# data.imbalanced_two_class
# ---------------------------------------------------------------------------


def test_imbalanced_two_class_counts_geometry_and_determinism():
    X, y = data.imbalanced_two_class(1000, positive_rate=0.05, separation=2.5, seed=0)
    assert X.shape == (1000, 2) and y.dtype == np.int64
    assert int(y.sum()) == 50 and set(np.unique(y).tolist()) == {0, 1}   # round(1000 * 0.05)
    # centres at -/+ 1.25 * (1, 1)/sqrt(2) = -/+ 0.884 per coordinate; the mean of 950 draws
    # is within ~4 / sqrt(950) = 0.13 of it, that of 50 draws within ~4 / sqrt(50) = 0.57
    c = 1.25 / np.sqrt(2)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-c, -c], atol=0.13)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [c, c], atol=0.57)
    X2, y2 = data.imbalanced_two_class(1000, positive_rate=0.05, separation=2.5, seed=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, y3 = data.imbalanced_two_class(1000, positive_rate=0.05, separation=2.5, seed=1)
    assert not np.array_equal(y, y3)
    # the positives are spread through the array, not all at one end
    where = np.flatnonzero(y)
    assert where.min() < 250 and where.max() > 750


def test_imbalanced_two_class_rounds_the_count():
    # 30 * 0.1 = 3 positives; 7 * 0.3 = 2.1 -> 2
    assert int(data.imbalanced_two_class(30, positive_rate=0.1)[1].sum()) == 3
    assert int(data.imbalanced_two_class(7, positive_rate=0.3)[1].sum()) == 2


@pytest.mark.parametrize("kwargs, match", [
    ({"positive_rate": 0.0}, "strictly between 0 and 1"),
    ({"positive_rate": 1.0}, "strictly between 0 and 1"),
    ({"positive_rate": True}, "strictly between 0 and 1"),
    ({"n": 10, "positive_rate": 0.01}, "0 positives.*at least one"),
    ({"n": 10, "positive_rate": 0.99}, "10 positives and 0 negatives"),
    ({"separation": 0.0}, "separation"),
    ({"separation": float("inf")}, "separation"),
    ({"n": 1}, "n must be >= 2"),
])
def test_imbalanced_two_class_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.imbalanced_two_class(**kwargs)


# ---------------------------------------------------------------------------
# training.fit_logistic(weight=..., pos_weight=...) (notebook 10)
# ---------------------------------------------------------------------------


def _imbalanced():
    return data.imbalanced_two_class(400, positive_rate=0.1, separation=2.5, seed=3)


def test_fit_logistic_pos_weight_equals_a_weight_on_the_positives():
    # for 0/1 labels, pos_weight c multiplies exactly the positives' terms, like weight = c there
    X, y = _imbalanced()
    w1, b1, h1 = training.fit_logistic(X, y, pos_weight=9.0, lr=0.1, steps=50)
    w2, b2, h2 = training.fit_logistic(X, y, weight=np.where(y == 1, 9.0, 1.0), lr=0.1, steps=50)
    np.testing.assert_allclose(w1, w2, rtol=1e-12)
    np.testing.assert_allclose(h1.loss, h2.loss, rtol=1e-12)


def test_fit_logistic_weighted_gradient_matches_finite_differences():
    # mean of c*y*softplus(-z) + (1 - y)*softplus(z), written out; gradient at
    # (w, b) = ((0.3, -0.2), 0.1)
    X, y = _imbalanced()
    c = 9.0

    def loss(params):
        z = X @ params[:2] + params[2]
        return np.mean(c * y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))

    start = np.array([0.3, -0.2, 0.1])
    _, _, h = training.fit_logistic(X, y, pos_weight=c, w0=start[:2], b0=start[2], steps=0)
    assert h.loss[0] == pytest.approx(loss(start), rel=1e-12)
    fd = np.array([(loss(start + e) - loss(start - e)) / 2e-6 for e in np.eye(3) * 1e-6])
    assert h.grad_norm[0] == pytest.approx(np.linalg.norm(fd), rel=1e-6)


def test_fit_logistic_pos_weight_shifts_the_intercept_by_log_pos_weight():
    # weighting the positives by c multiplies the odds the loss is best at by c: the fitted
    # logit moves up by about ln c (exactly for an infinite sample of a logistic model)
    X, y = data.imbalanced_two_class(2000, positive_rate=0.05, separation=2.5, seed=0)
    _, b_plain, _ = training.fit_logistic(X, y, lr=0.5, steps=1000)
    _, b_w, _ = training.fit_logistic(X, y, pos_weight=19.0, lr=0.1, steps=1000)
    assert float(b_w - b_plain) == pytest.approx(np.log(19.0), abs=0.15)


def test_fit_logistic_weights_bad_input():
    X, y = _imbalanced()
    with pytest.raises(ValueError, match="fit_logistic: weight and pos_weight apply to "
                                         "loss='cross_entropy' only"):
        training.fit_logistic(X, y, loss="mse", pos_weight=2.0)
    with pytest.raises(ValueError, match="pos_weight"):
        training.fit_logistic(X, y, pos_weight=-1.0, steps=1)
    with pytest.raises(ValueError, match="weight"):
        training.fit_logistic(X, y, weight=np.ones(3), steps=1)
