"""Classification losses: the target is a class and the loss is a negative log-probability.

Each loss is followed directly by its gradient with respect to its first
argument. The gradients with respect to logits have the famous clean forms
sigma(z) - y and softmax(z) - onehot(y). ``reduction`` has PyTorch's meaning;
for cross-entropy, "mean" averages over examples (rows), not over classes
(with class weights: divided by the summed weights of the counted targets).

The binary losses live in :mod:`lossviz.binary` and are re-exported here.
"""

from __future__ import annotations

import numpy as np

from ._checks import (
    as_float_array,
    check_finite,
    check_integer,
    check_label_smoothing,
    check_logits_2d,
    check_non_negative,
    check_not_empty,
    check_reduction,
    class_labels,
    ensure_finite_result,
    warn_at_caller,
)
from ._common import reduce, scale_grad
from .binary import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_and_grad,
    binary_cross_entropy_with_logits_grad,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_and_grad",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_and_grad",
    "cross_entropy_grad",
    "soft_cross_entropy",
    "soft_cross_entropy_grad",
]

# ---------------------------------------------------------------------------
# Softmax cross-entropy
# ---------------------------------------------------------------------------

def _logits(logits, fn, reduction, label_smoothing):
    check_reduction(reduction, fn)
    eps = check_label_smoothing(label_smoothing, fn)
    z = as_float_array(logits, "logits", fn)
    check_logits_2d(z, "logits", fn)
    check_not_empty(z, "logits", fn, reduction)
    # Checked up front: a -inf logit gives a finite softmax and would go unnoticed.
    check_finite(z, "logits", fn)
    return z, eps


def _warn_if_probabilities(z2: np.ndarray, row_max: np.ndarray, fn: str) -> None:
    """Warn when every row already looks like a probability distribution."""
    if z2.shape[-1] < 2 or z2.size == 0 or row_max.max() > 1:
        return
    if z2.min() < 0:
        return
    if np.all(np.abs(z2.sum(axis=-1) - 1) <= 1e-6):
        warn_at_caller(
            f"{fn}: every row of logits lies in [0, 1] and sums to 1, so it looks like "
            "probabilities. cross_entropy expects raw logits and applies (log-)softmax "
            "itself; after a softmax first, the loss can only move within a band 1 nat wide "
            "(confident right answers score too high, confident wrong ones far too low) and "
            "the gradients shrink. Pass the scores from before the softmax.")


def _shifted_exp(z2: np.ndarray):
    """Row maxima m (N, 1) and exp(z2 - m): every exponent is <= 0, so nothing overflows."""
    m = np.max(z2, axis=1, keepdims=True)
    e = np.subtract(z2, m)
    with np.errstate(under="ignore"):
        np.exp(e, out=e)
    return m, e


def _log_softmax_rows(z2: np.ndarray):
    """Row-wise log-softmax of a (N, C) array, plus the row maxima."""
    m = np.max(z2, axis=1, keepdims=True)
    shifted = z2 - m  # every entry <= 0: exp() cannot overflow
    with np.errstate(under="ignore"):
        s = np.exp(shifted).sum(axis=1, keepdims=True)
    shifted -= np.log(s)
    return shifted, m


def _softmax_rows(z2: np.ndarray, scale=1.0) -> np.ndarray:
    """softmax(z2) * scale, row-wise (scale is 1 or a per-row (N, 1) factor)."""
    _, e = _shifted_exp(z2)
    e *= scale / e.sum(axis=1, keepdims=True)  # one multiply instead of a division
    return e


def _index_targets(z, y_true, fn):
    batch_shape = z.shape[:-1]
    t = class_labels(y_true, z.shape[-1], batch_shape, fn)
    return z.reshape(-1, z.shape[-1]), t.reshape(-1)


def _class_weight(weight, n_classes, dtype, fn):
    w = as_float_array(weight, "weight", fn)
    if w.shape != (n_classes,):
        raise ValueError(
            f"{fn}: weight has shape {w.shape}, but it needs one weight per class: shape "
            f"({n_classes},) for logits with {n_classes} classes, e.g. "
            "weight = 1 / class_frequency, or np.ones(C) for no weighting."
        )
    w = w.astype(dtype, copy=False)
    check_finite(w, "weight", fn)
    check_non_negative(w, "weight", fn, "Class weights scale each class's loss; use 0 to "
                       "leave a class out.")
    return w


def _weighted_targets(z, y_true, weight, ignore_index, fn):
    """Flattened logits and labels, plus (weight, keep mask), or (None, None) on the plain path.

    The plain path (no weight, no label equal to ignore_index) is the unweighted code
    that cross-entropy always had.
    """
    ignore_index = check_integer(ignore_index, "ignore_index", fn)
    n_classes = z.shape[-1]
    t = class_labels(y_true, n_classes, z.shape[:-1], fn, ignore_index=ignore_index).reshape(-1)
    z2 = z.reshape(-1, n_classes)
    w = None if weight is None else _class_weight(weight, n_classes, z.dtype, fn)
    ignored = t == ignore_index
    if w is None and not ignored.any():
        return z2, t, None, None
    return z2, t, w, ~ignored


def _ce_weighted_forward(z2, t, eps, w, keep, fn, reduction, ignore_index):
    """Per-example weighted losses (0 where ignored), exp(z - max), row sums, w_y, divisor."""
    n, n_classes = z2.shape
    m, e = _shifted_exp(z2)
    s = e.sum(axis=1, keepdims=True)
    log_s = np.log(s[:, 0])
    _warn_if_probabilities(z2, m, fn)
    rows, tt = np.arange(n), np.where(keep, t, 0)
    wy = (np.ones(n, dtype=z2.dtype) if w is None else w[tt]) * keep
    per = (log_s - (z2[rows, tt] - m[:, 0])) * wy
    if eps:
        # PyTorch's smoothing term: (eps / C) * sum_c w_c (-log p_c), each class weighted
        # by its own weight (not by the target's), 0 for ignored targets.
        # sum_c w_c (log_s - (z_c - m)) = W log_s - (z @ w - W m), without an (N, C) temporary
        per *= 1 - eps
        total_w = n_classes if w is None else w.sum()
        zw = z2.sum(axis=1) if w is None else z2 @ w
        smooth = total_w * log_s - (zw - total_w * m[:, 0])
        per += (eps / n_classes) * smooth * keep
    divisor = float(np.add.reduce(wy, dtype=np.float64))
    if reduction == "mean" and not divisor > 0:
        if not keep.any():
            why = f"every target equals ignore_index ({ignore_index})"
        else:
            why = "the class weights of the targets that are not ignored sum to 0"
        raise ValueError(
            f"{fn}: {why}, so reduction='mean' would divide 0 by 0 (PyTorch returns nan "
            "here). Check the labels and weights, or use reduction='sum', which gives 0."
        )
    return per, e, s, wy, divisor


def _ce_weighted_grad(e, s, t, eps, w, keep, wy, reduction, divisor):
    """d loss / d z = a p - (1 - eps) w_y onehot(y) - (eps / C) w, a = (1 - eps) w_y + eps W / C."""
    n, n_classes = e.shape
    e *= 1.0 / s  # softmax
    rows, tt = np.arange(n), np.where(keep, t, 0)
    a = (1 - eps) * wy
    if eps:
        total_w = n_classes if w is None else w.sum()
        a = a + (eps * total_w / n_classes) * keep
    e *= a[:, None]
    e[rows, tt] -= (1 - eps) * wy
    if eps:
        e -= (eps / n_classes) * (1.0 if w is None else w)  # broadcast over the rows
        e[~keep] = 0.0  # ignored rows: a = 0 and w_y = 0 leave only that term; it is 0 too
    return scale_grad(e, reduction, divisor)


def cross_entropy(logits, y_true, *, weight=None, ignore_index=-100, label_smoothing=0.0,
                  reduction="mean"):
    r"""Softmax cross-entropy with class-index targets, like ``F.cross_entropy``.

    Parameters
    ----------
    logits : array_like
        Raw scores, shape (N, C) for a batch or (C,) for one example.
        Not probabilities: the softmax happens inside.
    y_true : array_like of int
        Class indices 0..C-1, shape (N,), or a single integer for (C,) logits.
        Labels equal to ``ignore_index`` are skipped.
    weight : array_like, optional, keyword-only
        One non-negative weight per class, shape (C,), as in PyTorch: example i's
        loss is multiplied by ``weight[y_i]``, and "mean" divides by the sum of
        ``weight[y_i]`` over the examples that are not ignored (a weighted
        average), not by N.
    ignore_index : int, keyword-only
        Targets equal to it contribute 0 to the loss and the gradient and are not
        counted by "mean" (default -100, as in PyTorch).
    label_smoothing : float in [0, 1], keyword-only
        Mixes the one-hot target with the uniform distribution, as in PyTorch.
    reduction : {"mean", "sum", "none"}, keyword-only
        "mean" averages over the N examples (see ``weight`` and ``ignore_index``).

    Returns
    -------
    float or ndarray
        The reduced loss, or one loss per example for ``"none"`` (0 where ignored).

    Raises
    ------
    ValueError
        For ``reduction="mean"`` when every target is ``ignore_index`` or the
        counted targets' weights sum to 0: the mean is 0/0 (PyTorch returns nan).

    Notes
    -----
    With :math:`p = \mathrm{softmax}(z)` and target distribution
    :math:`t = (1-\varepsilon)\,\mathrm{onehot}(y) + \varepsilon / C`:

    .. math:: L = -\sum_c t_c \log p_c
              = \mathrm{logsumexp}(z) - z_y \;(\varepsilon = 0), \qquad
              \frac{\partial L}{\partial z} = p - t

    With class weights :math:`w`, exactly as PyTorch computes it, the label
    smoothing term weights each class by its own weight:

    .. math:: L_i = (1-\varepsilon)\, w_{y_i} (-\log p_{y_i})
              + \frac{\varepsilon}{C} \sum_c w_c (-\log p_c), \qquad
              L_{\text{mean}} = \frac{\sum_i L_i}{\sum_{i \text{ not ignored}} w_{y_i}}

    A warning is issued when the logits already look like probabilities
    (every row in [0, 1] summing to 1): softmax must not be applied first.

    Examples
    --------
    >>> import numpy as np
    >>> import lossviz as lv
    >>> print(f"{lv.cross_entropy([[2.0, 0.5, -1.0]], [0]):.4f}")
    0.2413
    >>> print(f"{lv.cross_entropy(np.log([0.70, 0.20, 0.10]), 0):.3f}")
    0.357

    Class 1 weighted 3 times: (1 * 0.2413 + 3 * 1.7413) / (1 + 3); the ignored row counts 0.

    >>> z = [[2.0, 0.5, -1.0], [2.0, 0.5, -1.0], [0.0, 0.0, 0.0]]
    >>> print(f"{lv.cross_entropy(z, [0, 1, -100], weight=[1.0, 3.0, 1.0]):.4f}")
    1.3663
    """
    fn = "cross_entropy"
    z, eps = _logits(logits, fn, reduction, label_smoothing)
    z2, t, w, keep = _weighted_targets(z, y_true, weight, ignore_index, fn)
    if keep is None:
        per, _, _ = _ce_forward(z2, t, eps, fn)
        divisor = z2.shape[0]
    else:
        per, _, _, _, divisor = _ce_weighted_forward(z2, t, eps, w, keep, fn, reduction,
                                                     ignore_index)
    out = reduce(per.reshape(z.shape[:-1]), reduction, divisor)
    ensure_finite_result(out, fn, [("logits", z)])
    return out


def _ce_forward(z2: np.ndarray, t: np.ndarray, eps: float, fn: str):
    """Per-example losses, plus exp(z - max) and its row sums for the gradient."""
    m, e = _shifted_exp(z2)
    s = e.sum(axis=1, keepdims=True)
    log_s = np.log(s[:, 0])
    _warn_if_probabilities(z2, m, fn)
    # -log p_y = log(sum_k exp(z_k - m)) - (z_y - m). Subtracting m from z_y
    # first keeps tiny losses exact when the logits are huge.
    per = log_s - (z2[np.arange(z2.shape[0]), t] - m[:, 0])
    if eps:
        # Smoothing adds eps * (mean over classes of -log p_c).
        per *= 1 - eps
        per += eps * (log_s - (z2.mean(axis=1) - m[:, 0]))
    return per, e, s


def _ce_grad_from_exp(e: np.ndarray, s: np.ndarray, t: np.ndarray, eps: float, reduction: str):
    """softmax - target from exp(z - max) and its row sums, in place in ``e``."""
    e *= 1.0 / s  # softmax; one multiply instead of a division
    if eps:
        e -= eps / e.shape[1]
    # Subtract the target before scaling by 1/N: p_y - 1 cancels when p_y is
    # near 1, and rounding p_y / N first would be magnified by that cancellation.
    e[np.arange(e.shape[0]), t] -= 1 - eps
    return scale_grad(e, reduction, e.shape[0])


def cross_entropy_grad(logits, y_true, *, weight=None, ignore_index=-100, label_smoothing=0.0,
                       reduction="mean"):
    """Gradient of :func:`cross_entropy` w.r.t. the logits: softmax(z) - target distribution.

    Each row sums to 0. For ``reduction="mean"`` it is divided by N. With class
    weights w, row i is ``a_i softmax(z_i) - (1 - eps) w_{y_i} onehot(y_i) - (eps / C) w``
    with ``a_i = (1 - eps) w_{y_i} + eps sum(w) / C``, and "mean" divides by the
    summed weights of the targets that are not ignored; ignored rows are 0. The
    options and errors are those of :func:`cross_entropy`.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.cross_entropy_grad([[0.0, 0.0]], [1]))
    [[ 0.5 -0.5]]
    """
    fn = "cross_entropy_grad"
    z, eps = _logits(logits, fn, reduction, label_smoothing)
    z2, t, w, keep = _weighted_targets(z, y_true, weight, ignore_index, fn)
    if keep is None:
        m, e = _shifted_exp(z2)
        _warn_if_probabilities(z2, m, fn)
        g = _ce_grad_from_exp(e, e.sum(axis=1, keepdims=True), t, eps, reduction)
    else:
        _, e, s, wy, divisor = _ce_weighted_forward(z2, t, eps, w, keep, fn, reduction,
                                                    ignore_index)
        g = _ce_weighted_grad(e, s, t, eps, w, keep, wy, reduction, divisor)
    return g.reshape(z.shape)


def cross_entropy_and_grad(logits, y_true, *, weight=None, ignore_index=-100,
                           label_smoothing=0.0, reduction="mean"):
    """Both :func:`cross_entropy` and :func:`cross_entropy_grad`, sharing one softmax.

    Returns exactly ``(cross_entropy(...), cross_entropy_grad(...))`` but
    validates once and exponentiates the logits once, as a training step (or
    PyTorch's forward + backward) would.

    Examples
    --------
    >>> import lossviz as lv
    >>> loss, grad = lv.cross_entropy_and_grad([[0.0, 0.0]], [1])
    >>> print(f"{loss:.4f}", grad)
    0.6931 [[ 0.5 -0.5]]
    """
    fn = "cross_entropy_and_grad"
    z, eps = _logits(logits, fn, reduction, label_smoothing)
    z2, t, w, keep = _weighted_targets(z, y_true, weight, ignore_index, fn)
    if keep is None:
        per, e, s = _ce_forward(z2, t, eps, fn)
        out = reduce(per.reshape(z.shape[:-1]), reduction, z2.shape[0])
        ensure_finite_result(out, fn, [("logits", z)])
        return out, _ce_grad_from_exp(e, s, t, eps, reduction).reshape(z.shape)
    per, e, s, wy, divisor = _ce_weighted_forward(z2, t, eps, w, keep, fn, reduction,
                                                  ignore_index)
    out = reduce(per.reshape(z.shape[:-1]), reduction, divisor)
    ensure_finite_result(out, fn, [("logits", z)])
    return out, _ce_weighted_grad(e, s, t, eps, w, keep, wy, reduction, divisor).reshape(z.shape)


def _soft_targets(z, y_true, fn):
    t = as_float_array(y_true, "y_true", fn)
    if t.shape != z.shape:
        hint = ""
        if t.ndim == z.ndim - 1 and t.shape == z.shape[:-1]:
            hint = " It looks like class indices: use cross_entropy for those."
        raise ValueError(
            f"{fn}: y_true has shape {t.shape} but logits have shape {z.shape}; soft targets "
            "need one probability per class for every example (the same shape as the "
            f"logits).{hint}"
        )
    t = t.astype(z.dtype, copy=False)
    check_finite(t, "y_true", fn)
    if t.size and t.min() < 0:
        bad = t < 0
        raise ValueError(
            f"{fn}: y_true must be probabilities, but it has {int(bad.sum())} negative "
            f"value(s), e.g. {float(t[bad][0]):g}. Each row must be a distribution over classes."
        )
    sums = t.reshape(-1, t.shape[-1]).sum(axis=1)
    tol = max(1e-6, 4 * t.shape[-1] * float(np.finfo(t.dtype).eps))
    off = np.abs(sums - 1) > tol
    if off.any():
        i = int(np.argmax(off))
        raise ValueError(
            f"{fn}: each row of y_true must sum to 1, but {int(off.sum())} row(s) do not "
            f"(row {i} sums to {float(sums[i]):.6g}). Normalise the rows, e.g. "
            "y_true / y_true.sum(axis=-1, keepdims=True), or pass class indices to cross_entropy."
        )
    return t


def _smooth(t2: np.ndarray, eps: float) -> np.ndarray:
    return t2 if not eps else t2 * (1 - eps) + eps / t2.shape[1]


def soft_cross_entropy(logits, y_true, *, weight=None, label_smoothing=0.0, reduction="mean"):
    r"""Cross-entropy against probability targets, like ``F.cross_entropy`` with soft labels.

    Parameters
    ----------
    logits : array_like
        Raw scores, shape (N, C) or (C,).
    y_true : array_like
        Target distributions, the same shape as ``logits``; each row
        non-negative and summing to 1 (within 1e-6).
    weight : array_like, optional, keyword-only
        One non-negative weight per class, shape (C,), as in PyTorch with
        probability targets: class c's term is multiplied by ``weight[c]``, and
        "mean" still divides by N (not by the weights, unlike class indices).

    Notes
    -----
    .. math:: L = -\sum_c w_c t_c \log \mathrm{softmax}(z)_c, \qquad
              \frac{\partial L}{\partial z} = \mathrm{softmax}(z) \sum_c w_c t_c - w t

    With one-hot rows this equals :func:`cross_entropy` with the indices.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(f"{lv.soft_cross_entropy([[2.0, 0.5, -1.0]], [[1.0, 0.0, 0.0]]):.4f}")
    0.2413
    """
    fn = "soft_cross_entropy"
    z, eps = _logits(logits, fn, reduction, label_smoothing)
    t = _soft_targets(z, y_true, fn)
    z2 = z.reshape(-1, z.shape[-1])
    t2 = _smooth(t.reshape(z2.shape), eps)
    if weight is not None:
        t2 = t2 * _class_weight(weight, z2.shape[1], z.dtype, fn)
    logp, m = _log_softmax_rows(z2)
    _warn_if_probabilities(z2, m, fn)
    per = -(t2 * logp).sum(axis=1).reshape(z.shape[:-1])
    out = reduce(per, reduction, max(per.size, 1))
    ensure_finite_result(out, fn, [("logits", z)])
    return out


def soft_cross_entropy_grad(logits, y_true, *, weight=None, label_smoothing=0.0,
                            reduction="mean"):
    """Gradient of :func:`soft_cross_entropy` w.r.t. the logits: softmax(z) * sum(t) - t.

    With class weights w: softmax(z) * sum(w t) - w t.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.soft_cross_entropy_grad([[0.0, 0.0]], [[0.25, 0.75]]))
    [[ 0.25 -0.25]]
    """
    fn = "soft_cross_entropy_grad"
    z, eps = _logits(logits, fn, reduction, label_smoothing)
    t = _soft_targets(z, y_true, fn)
    z2 = z.reshape(-1, z.shape[-1])
    t2 = _smooth(t.reshape(z2.shape), eps)
    if weight is not None:
        t2 = t2 * _class_weight(weight, z2.shape[1], z.dtype, fn)
    if z2.size:
        _warn_if_probabilities(z2, z2.max(axis=1, keepdims=True), fn)
    g = _softmax_rows(z2, t2.sum(axis=1, keepdims=True))
    g -= t2
    return scale_grad(g, reduction, z2.shape[0]).reshape(z.shape)
