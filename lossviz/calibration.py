"""Can the probabilities be trusted? Calibration and the metrics a threshold turns them into.

NumPy only, like the losses. A loss scores probabilities; these functions look at them the way
a user of the model does:

===============================  ==========================================================
function                         what
===============================  ==========================================================
``reliability_bins``             probabilities grouped into equal-width bins: in each bin the
                                 mean predicted probability and the observed frequency
``expected_calibration_error``   ECE: the count-weighted mean gap between the two
``top_label``                    (N, C) probabilities -> (confidence of the predicted class,
                                 was it right), for the reliability of a multi-class model
``confusion_matrix``             counts of (true class, predicted class) pairs
``precision_recall``             precision, recall and accuracy of ``p >= threshold``
``threshold_sweep``              the same for many thresholds at once
===============================  ==========================================================

Conventions as in the rest of lossviz: predictions first, targets second, options
keyword-only, strict validation with a message that says what to change.

Examples
--------
>>> import numpy as np
>>> p = np.array([0.1, 0.2, 0.8, 0.9])
>>> y = np.array([0, 1, 1, 1])
>>> print(f"{expected_calibration_error(p, y, n_bins=2):.4f}")
0.2500
>>> precision_recall(p, y, threshold=0.5)
(1.0, 0.6666666666666666, 0.75)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ._checks import as_float_array, check_finite

__all__ = [
    "ReliabilityBins",
    "confusion_matrix",
    "expected_calibration_error",
    "precision_recall",
    "reliability_bins",
    "threshold_sweep",
    "top_label",
]


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------

def _probabilities(p, fn, name="p"):
    a = as_float_array(p, name, fn, dtype=np.float64)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{fn}: {name} must be a non-empty 1-D array of probabilities, got "
                         f"shape {a.shape}; for (N, C) class probabilities use "
                         f"top_label(probs, y_true) first")
    check_finite(a, name, fn)
    bad = (a < 0) | (a > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{fn}: {name} must hold probabilities in [0, 1], got {a[i]:g} at "
                         f"index {i}; if these are logits, pass lossviz.sigmoid(logits)")
    return a


def _labels01(y, n, fn, name="y_true"):
    a = as_float_array(y, name, fn, dtype=np.float64)
    if a.shape != (n,):
        raise ValueError(f"{fn}: {name} must have shape ({n},) to match the probabilities, got "
                         f"{a.shape}")
    bad = (a != 0) & (a != 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{fn}: {name} must hold labels 0 or 1, got {a[i]:g} at index {i}")
    return a


def _class_ids(y, name, fn):
    a = np.asarray(y)
    if a.dtype.kind not in "iu" and not (a.dtype.kind == "b"):
        raise TypeError(f"{fn}: {name} must hold integer class indices, got dtype {a.dtype}; "
                        f"convert with np.asarray({name}).astype(int) if they are whole numbers")
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{fn}: {name} must be a non-empty 1-D array of class indices, got "
                         f"shape {a.shape}")
    if a.min() < 0:
        raise ValueError(f"{fn}: {name} must hold class indices >= 0, got {int(a.min())}")
    return a.astype(np.int64)


def _n_bins(n_bins, fn):
    if isinstance(n_bins, bool) or not isinstance(n_bins, numbers.Integral) or n_bins < 1:
        raise ValueError(f"{fn}: n_bins must be an int >= 1, got {n_bins!r}")
    return int(n_bins)


def _threshold(t, fn, name="threshold"):
    if isinstance(t, bool) or not isinstance(t, numbers.Real) or not 0 <= t <= 1:
        raise ValueError(f"{fn}: {name} must be a number in [0, 1], got {t!r}")
    return float(t)


def _zero_division(value, fn):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
            value in (0, 1) or np.isnan(value)):
        raise ValueError(f"{fn}: zero_division must be 0.0, 1.0 or np.nan, got {value!r}")
    return float(value)


# ---------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReliabilityBins:
    """What :func:`reliability_bins` returns; every array has shape ``(n_bins,)``.

    Attributes
    ----------
    edges : ndarray of shape (n_bins + 1,)
        Bin ``k`` holds ``edges[k] <= p < edges[k + 1]`` (the last bin includes 1).
    count : ndarray of int
        Examples in each bin.
    confidence : ndarray
        Mean predicted probability in each bin (nan for an empty bin).
    frequency : ndarray
        Fraction of the bin's examples whose label is 1 (nan for an empty bin).
    """

    edges: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    frequency: np.ndarray

    @property
    def gap(self):
        """``frequency - confidence``: > 0 underconfident, < 0 overconfident (nan if empty)."""
        return self.frequency - self.confidence


def reliability_bins(p, y_true, *, n_bins=10):
    """Group probabilities into equal-width bins and compare them with what happened.

    A model is *calibrated* when, among the examples it gives probability ``p``, a fraction
    ``p`` are positive. The reliability diagram plots, per bin, the observed frequency
    against the mean predicted probability; a calibrated model lies on the diagonal.

    Parameters
    ----------
    p : array_like of shape (N,)
        Predicted probabilities of the positive class (or, from :func:`top_label`, the
        confidence of the predicted class), in [0, 1].
    y_true : array_like of shape (N,)
        Labels 0 or 1 (or, from :func:`top_label`, whether the prediction was right).
    n_bins : int, default 10
        Bin ``k`` holds ``k / n_bins <= p < (k + 1) / n_bins``, computed as
        ``floor(p * n_bins)``; ``p = 1`` goes into the last bin.

    Returns
    -------
    ReliabilityBins
        ``edges``, ``count``, ``confidence``, ``frequency`` (and ``gap``).

    Examples
    --------
    >>> b = reliability_bins([0.1, 0.2, 0.8, 0.9], [0, 1, 1, 1], n_bins=2)
    >>> b.count.tolist(), b.confidence.round(4).tolist(), b.frequency.tolist()
    ([2, 2], [0.15, 0.85], [0.5, 1.0])
    """
    fn = "reliability_bins"
    n_bins = _n_bins(n_bins, fn)
    p = _probabilities(p, fn)
    y = _labels01(y_true, p.size, fn)
    k = np.minimum((p * n_bins).astype(np.int64), n_bins - 1)
    count = np.bincount(k, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):  # empty bins: nan, documented
        confidence = np.bincount(k, weights=p, minlength=n_bins) / count
        frequency = np.bincount(k, weights=y, minlength=n_bins) / count
    return ReliabilityBins(edges=np.arange(n_bins + 1) / n_bins, count=count,
                           confidence=confidence, frequency=frequency)


def expected_calibration_error(p, y_true, *, n_bins=10):
    r"""Expected calibration error: the count-weighted mean of |frequency − confidence|.

    .. math:: \mathrm{ECE} = \sum_k \frac{n_k}{N}\,\big|\,\mathrm{freq}_k - \mathrm{conf}_k\big|

    over the non-empty bins of :func:`reliability_bins`. 0 means the probabilities say what
    happens; 0.1 means they are off by 10 percentage points on average. It depends on
    ``n_bins`` (too many bins, and few examples per bin make it noisy); compare models with
    the same binning.

    Examples
    --------
    Two bins of two examples: |0.5 − 0.15| = 0.35 and |1.0 − 0.85| = 0.15, so
    ECE = (2 · 0.35 + 2 · 0.15) / 4 = 0.25:

    >>> print(f"{expected_calibration_error([0.1, 0.2, 0.8, 0.9], [0, 1, 1, 1], n_bins=2):.4f}")
    0.2500
    """
    b = reliability_bins(p, y_true, n_bins=n_bins)
    used = b.count > 0
    return float(np.sum(b.count[used] * np.abs(b.gap[used])) / b.count.sum())


def top_label(probs, y_true):
    """(N, C) class probabilities -> the predicted class's probability and whether it is right.

    The usual reliability diagram of a multi-class model: ``reliability_bins(*top_label(P, y))``
    asks "when the model says it is 80% sure of its answer, is it right 80% of the time?".

    Returns
    -------
    confidence : ndarray of shape (N,)
        ``probs.max(axis=1)``.
    correct : ndarray of shape (N,), float 0/1
        ``probs.argmax(axis=1) == y_true``.

    Examples
    --------
    >>> conf, ok = top_label([[0.7, 0.2, 0.1], [0.3, 0.6, 0.1]], [0, 0])
    >>> conf.tolist(), ok.tolist()
    ([0.7, 0.6], [1.0, 0.0])
    """
    fn = "top_label"
    P = as_float_array(probs, "probs", fn, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] == 0 or P.shape[1] < 2:
        raise ValueError(f"{fn}: probs must have shape (N, C) with N >= 1 and C >= 2, got "
                         f"{P.shape}")
    check_finite(P, "probs", fn)
    sums = P.sum(axis=1)
    if (P < 0).any() or not np.allclose(sums, 1.0, atol=1e-6):
        i = int(np.flatnonzero((P < 0).any(axis=1) | ~np.isclose(sums, 1.0, atol=1e-6))[0])
        raise ValueError(f"{fn}: each row of probs must be probabilities summing to 1; row {i} "
                         f"sums to {sums[i]:g}; if these are logits, pass "
                         f"lossviz.softmax(logits, axis=1)")
    y = _class_ids(y_true, "y_true", fn)
    if y.shape != (P.shape[0],) or y.max() >= P.shape[1]:
        raise ValueError(f"{fn}: y_true must have shape ({P.shape[0]},) with class indices "
                         f"0..{P.shape[1] - 1}, got shape {y.shape} and max {int(y.max())}")
    return P.max(axis=1), (P.argmax(axis=1) == y).astype(np.float64)


# ---------------------------------------------------------------------------
# Metrics of decisions
# ---------------------------------------------------------------------------

def confusion_matrix(y_pred, y_true, *, n_classes=None):
    """Counts of (true class, predicted class): ``C[i, j]`` examples of class i predicted as j.

    Rows are the truth and columns the prediction, as in scikit-learn (whose
    ``confusion_matrix(y_true, y_pred)`` takes the arguments the other way round; lossviz puts
    predictions first everywhere).

    Parameters
    ----------
    y_pred, y_true : array_like of int, shape (N,)
        Predicted and true class indices (for a binary model, ``(p >= threshold).astype(int)``).
    n_classes : int, optional
        Size of the matrix; by default ``max(y_pred.max(), y_true.max()) + 1``.

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0]).tolist()
    [[2, 1], [0, 1]]
    """
    fn = "confusion_matrix"
    pred = _class_ids(y_pred, "y_pred", fn)
    true = _class_ids(y_true, "y_true", fn)
    if pred.shape != true.shape:
        raise ValueError(f"{fn}: y_pred has shape {pred.shape} but y_true has shape "
                         f"{true.shape}; they must match (one prediction per example)")
    top = int(max(pred.max(), true.max())) + 1
    if n_classes is None:
        n_classes = max(top, 2)
    elif isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) \
            or n_classes < top:
        raise ValueError(f"{fn}: n_classes must be an int >= {top} (the largest class index "
                         f"+ 1), got {n_classes!r}")
    n_classes = int(n_classes)
    return np.bincount(true * n_classes + pred, minlength=n_classes**2).reshape(n_classes,
                                                                                n_classes)


def _counts(p, y, thresholds):
    """True/false positives and negatives of ``p >= t`` for each threshold t (vectorised)."""
    order = np.sort(p)
    pos_p = np.sort(p[y == 1])
    # predicted positive: p >= t, i.e. N minus the number of p strictly below t
    predicted = p.size - np.searchsorted(order, thresholds, side="left")
    tp = pos_p.size - np.searchsorted(pos_p, thresholds, side="left")
    fp = predicted - tp
    fn_ = pos_p.size - tp
    tn = p.size - predicted - fn_
    return tp, fp, fn_, tn


def threshold_sweep(p, y_true, thresholds, *, zero_division=0.0):
    """Precision, recall and accuracy of the decision ``p >= t`` for every threshold ``t``.

    Parameters
    ----------
    p : array_like of shape (N,)
        Probabilities of the positive class.
    y_true : array_like of shape (N,)
        Labels 0 or 1.
    thresholds : array_like of shape (T,)
        Each in [0, 1].
    zero_division : {0.0, 1.0, nan}, default 0.0
        Precision when nothing is predicted positive (0 / 0), and recall when there are no
        positives at all; as scikit-learn's option of the same name (without its warning).

    Returns
    -------
    dict of ndarray of shape (T,)
        ``"precision"`` = TP / (TP + FP), ``"recall"`` = TP / (TP + FN),
        ``"accuracy"`` = (TP + TN) / N, and the counts ``"tp"``, ``"fp"``, ``"fn"``, ``"tn"``.

    Examples
    --------
    >>> s = threshold_sweep([0.1, 0.4, 0.6, 0.9], [0, 1, 0, 1], [0.3, 0.5, 0.95])
    >>> s["precision"].tolist(), s["recall"].tolist(), s["accuracy"].tolist()
    ([0.6666666666666666, 0.5, 0.0], [1.0, 0.5, 0.0], [0.75, 0.5, 0.5])
    """
    fn = "threshold_sweep"
    zd = _zero_division(zero_division, fn)
    p = _probabilities(p, fn)
    y = _labels01(y_true, p.size, fn)
    t = as_float_array(thresholds, "thresholds", fn, dtype=np.float64)
    if t.ndim != 1 or t.size == 0:
        raise ValueError(f"{fn}: thresholds must be a non-empty 1-D array, got shape {t.shape}")
    check_finite(t, "thresholds", fn)
    if (t < 0).any() or (t > 1).any():
        raise ValueError(f"{fn}: thresholds must lie in [0, 1], got min {t.min():g} and max "
                         f"{t.max():g}")
    tp, fp, fn_, tn = _counts(p, y, t)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), zd)
        recall = np.where(tp + fn_ > 0, tp / (tp + fn_), zd)
    return {"precision": precision, "recall": recall, "accuracy": (tp + tn) / p.size,
            "tp": tp, "fp": fp, "fn": fn_, "tn": tn}


def precision_recall(p, y_true, *, threshold=0.5, zero_division=0.0):
    """Precision, recall and accuracy of the decision ``p >= threshold``.

    Returns
    -------
    (precision, recall, accuracy) : tuple of float
        See :func:`threshold_sweep` (this is one of its rows).

    Examples
    --------
    Predicted positive at 0.5: the last two, both right (precision 2/2); 2 of the 3
    positives found (recall 2/3); 3 of 4 decisions right (accuracy 0.75):

    >>> precision_recall([0.1, 0.2, 0.8, 0.9], [0, 1, 1, 1], threshold=0.5)
    (1.0, 0.6666666666666666, 0.75)
    """
    t = _threshold(threshold, "precision_recall")
    try:
        s = threshold_sweep(p, y_true, [t], zero_division=zero_division)
    except (ValueError, TypeError) as err:
        raise type(err)(str(err).replace("threshold_sweep:", "precision_recall:")) from None
    return float(s["precision"][0]), float(s["recall"][0]), float(s["accuracy"][0])
