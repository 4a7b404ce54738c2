"""Classification losses: the target is a class and the loss is a negative log-probability.

Each loss is followed directly by its gradient with respect to its first
argument. The gradients with respect to logits have the famous clean forms
sigma(z) - y and softmax(z) - onehot(y). ``reduction`` has PyTorch's meaning;
for cross-entropy, "mean" averages over examples (rows), not over classes.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._checks import (
    as_float_array,
    check_finite,
    check_label_smoothing,
    check_logits_2d,
    check_not_empty,
    check_reduction,
    check_unit_interval,
    class_labels,
    ensure_finite_result,
)
from ._common import float_pair, reduce, scale_grad

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

_LOG_CLAMP = -100.0  # PyTorch clamps log(p) and log(1 - p) at -100 in binary_cross_entropy
# ... and divides by max(p (1 - p), 1e-12) in its gradient, with 1e-12 held as a float32.
_GRAD_EPS = float(np.float32(1e-12))

_P_HINT = ("p must be probabilities. Did you pass logits (raw scores)? Then use "
           "binary_cross_entropy_with_logits, or apply lossviz.sigmoid first.")
_Y_HINT = "Binary targets are labels 0 or 1 (or probabilities between them)."


# ---------------------------------------------------------------------------
# Binary cross-entropy on probabilities
# ---------------------------------------------------------------------------

def _bce_inputs(p, y_true, fn, reduction):
    p, y = float_pair(p, y_true, fn, reduction, names=("p", "y_true"))
    check_unit_interval(p, "p", fn, _P_HINT)
    check_unit_interval(y, "y_true", fn, _Y_HINT)
    return p, y


def binary_cross_entropy(p, y_true, *, reduction="mean"):
    r"""Binary cross-entropy of probabilities, like ``torch.nn.functional.binary_cross_entropy``.

    Parameters
    ----------
    p : array_like
        Predicted probability of class 1, values in [0, 1], any shape.
    y_true : array_like
        Targets in [0, 1] (usually 0 or 1), the same shape as ``p``.
    reduction : {"mean", "sum", "none"}, keyword-only

    Notes
    -----
    .. math:: L = -\left[y \log p + (1 - y)\log(1 - p)\right], \qquad
              \frac{\partial L}{\partial p} = \frac{p - y}{p(1 - p)}

    As in PyTorch, each log is clamped at -100, so a certain, wrong
    prediction (p = 0 with y = 1) costs 100 rather than infinity, and the
    gradient's denominator is clamped at 1e-12. Prefer
    :func:`binary_cross_entropy_with_logits`, which needs no clamping.

    Examples
    --------
    True label 1, predicted 0.9, 0.6 and 0.01:

    >>> import lossviz as lv
    >>> print(lv.binary_cross_entropy([0.9, 0.6, 0.01], [1, 1, 1], reduction="none").round(3))
    [0.105 0.511 4.605]
    >>> print(lv.binary_cross_entropy([0.0], [1.0]))
    100.0
    """
    fn = "binary_cross_entropy"
    p, y = _bce_inputs(p, y_true, fn, reduction)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), _LOG_CLAMP)
        # log1p(-p) is exact for tiny p, where log(1 - p) would round 1 - p first.
        log_1mp = np.maximum(np.log1p(-p), _LOG_CLAMP)
    per = -(y * log_p + (1 - y) * log_1mp)
    out = reduce(per, reduction, per.size)
    ensure_finite_result(out, fn, [("p", p), ("y_true", y)])
    return out


def binary_cross_entropy_grad(p, y_true, *, reduction="mean"):
    """Gradient of :func:`binary_cross_entropy` with respect to ``p``: (p - y) / (p (1 - p)).

    The denominator is clamped at 1e-12 exactly as in PyTorch's backward pass.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.binary_cross_entropy_grad([0.5, 0.8], [1, 0], reduction="none"))
    [-2.  5.]
    """
    fn = "binary_cross_entropy_grad"
    p, y = _bce_inputs(p, y_true, fn, reduction)
    g = (p - y) / np.maximum(p * (1 - p), _GRAD_EPS)
    ensure_finite_result(g, fn, [("p", p), ("y_true", y)])
    return scale_grad(g, reduction, g.size)


# ---------------------------------------------------------------------------
# Binary cross-entropy on logits
# ---------------------------------------------------------------------------

def _bce_logits_inputs(logits, y_true, fn, reduction):
    z, y = float_pair(logits, y_true, fn, reduction, names=("logits", "y_true"))
    # Checked up front: sigmoid(+-inf) is finite, so the result would hide an inf.
    check_finite(z, "logits", fn)
    check_finite(y, "y_true", fn)
    check_unit_interval(y, "y_true", fn, _Y_HINT)
    return z, y


def binary_cross_entropy_with_logits(logits, y_true, *, reduction="mean"):
    r"""Binary cross-entropy from logits, like ``F.binary_cross_entropy_with_logits``.

    Parameters
    ----------
    logits : array_like
        Raw scores z, with p = sigmoid(z), any shape.
    y_true : array_like
        Targets in [0, 1], the same shape as ``logits``.

    Notes
    -----
    .. math:: L = \max(z, 0) - z y + \log\left(1 + e^{-|z|}\right), \qquad
              \frac{\partial L}{\partial z} = \sigma(z) - y

    This is the same loss as :func:`binary_cross_entropy` of ``sigmoid(z)``,
    written so that it is exact and finite for any finite z: the naive
    ``-log(sigmoid(z))`` gives ``inf`` once sigmoid(z) rounds to 0.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.binary_cross_entropy_with_logits([0.0, 1e4, -1e4], [1, 0, 1], reduction="none"))
    [6.93147181e-01 1.00000000e+04 1.00000000e+04]
    """
    fn = "binary_cross_entropy_with_logits"
    z, y = _bce_logits_inputs(logits, y_true, fn, reduction)
    per, _ = _bce_logits_kernel(z, y, loss=True, grad=False)
    out = reduce(per, reduction, z.size)
    ensure_finite_result(out, fn, [("logits", z), ("y_true", y)])
    return out


_BLOCK = 8192  # elements per block: a few such buffers stay in the CPU's L2 cache


def _bce_logits_kernel(z: np.ndarray, y: np.ndarray, *, loss: bool, grad: bool):
    """Per-element losses and/or sigma(z) - y, computed block by block.

    Both need e = exp(-|z|) in (0, 1], computed once per element. Working on blocks
    that fit in the cache lets the handful of element-wise steps below run at cache
    speed instead of streaming each one through main memory; every element gets
    exactly the same operations as an unblocked version would apply.
    """
    zf, yf = z.reshape(-1), y.reshape(-1)
    per = np.empty_like(zf) if loss else None
    g = np.empty_like(zf) if grad else None
    n = zf.size
    e = np.empty(min(n, _BLOCK), dtype=zf.dtype)
    tmp = np.empty_like(e)
    mask = np.empty(e.shape, dtype=bool)
    for i in range(0, n, _BLOCK):
        j = min(i + _BLOCK, n)
        zb, yb, eb, tb = zf[i:j], yf[i:j], e[: j - i], tmp[: j - i]
        np.abs(zb, out=eb)
        np.negative(eb, out=eb)
        with np.errstate(under="ignore"):
            np.exp(eb, out=eb)
        if loss:
            # max(z, 0) - z y first: for a confident, correct prediction it is exactly 0,
            # so the tiny log1p term is not lost by adding it to a large number first.
            pb = per[i:j]
            np.maximum(zb, 0, out=pb)
            np.multiply(zb, yb, out=tb)
            pb -= tb
            # log(1 + exp(-|z|)) with log1p: keeps the digits when exp(-|z|) is tiny.
            np.log1p(eb, out=tb)
            pb += tb
        if grad:
            # sigma(z) without overflow: 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0.
            # The numerator max(e, [z >= 0]) is 1 or e (e <= 1): a branch on the sign
            # without a select.
            gb, mb = g[i:j], mask[: j - i]
            np.greater_equal(zb, 0, out=mb)
            np.maximum(eb, mb, out=gb)
            eb += 1.0
            gb /= eb
            gb -= yb
    shape = z.shape
    return (per.reshape(shape) if loss else None), (g.reshape(shape) if grad else None)


def binary_cross_entropy_with_logits_grad(logits, y_true, *, reduction="mean"):
    """Gradient of :func:`binary_cross_entropy_with_logits` w.r.t. the logits: sigmoid(z) - y.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.binary_cross_entropy_with_logits_grad([0.0, 1e4], [1, 1], reduction="none"))
    [-0.5  0. ]
    """
    fn = "binary_cross_entropy_with_logits_grad"
    z, y = _bce_logits_inputs(logits, y_true, fn, reduction)
    _, g = _bce_logits_kernel(z, y, loss=False, grad=True)
    return scale_grad(g, reduction, g.size)


def binary_cross_entropy_with_logits_and_grad(logits, y_true, *, reduction="mean"):
    """Both :func:`binary_cross_entropy_with_logits` and its gradient, validating once.

    Returns exactly ``(binary_cross_entropy_with_logits(...), ..._grad(...))``;
    a training step needs both, and this checks the inputs once and computes
    exp(-|z|) once.

    Examples
    --------
    >>> import lossviz as lv
    >>> loss, grad = lv.binary_cross_entropy_with_logits_and_grad([0.0], [1.0])
    >>> print(f"{loss:.4f}", grad)
    0.6931 [-0.5]
    """
    fn = "binary_cross_entropy_with_logits_and_grad"
    z, y = _bce_logits_inputs(logits, y_true, fn, reduction)
    per, g = _bce_logits_kernel(z, y, loss=True, grad=True)  # one exp(-|z|) for both
    out = reduce(per, reduction, z.size)
    ensure_finite_result(out, fn, [("logits", z), ("y_true", y)])
    return out, scale_grad(g, reduction, g.size)


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
        warnings.warn(
            f"{fn}: every row of logits lies in [0, 1] and sums to 1, so it looks like "
            "probabilities. cross_entropy expects raw logits and applies (log-)softmax "
            "itself; after a softmax first, the loss can only move within a band 1 nat wide "
            "(confident right answers score too high, confident wrong ones far too low) and "
            "the gradients shrink. Pass the scores from before the softmax.",
            UserWarning,
            stacklevel=3,
        )


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


def cross_entropy(logits, y_true, *, label_smoothing=0.0, reduction="mean"):
    r"""Softmax cross-entropy with class-index targets, like ``F.cross_entropy``.

    Parameters
    ----------
    logits : array_like
        Raw scores, shape (N, C) for a batch or (C,) for one example.
        Not probabilities: the softmax happens inside.
    y_true : array_like of int
        Class indices 0..C-1, shape (N,), or a single integer for (C,) logits.
    label_smoothing : float in [0, 1], keyword-only
        Mixes the one-hot target with the uniform distribution, as in PyTorch.
    reduction : {"mean", "sum", "none"}, keyword-only
        "mean" averages over the N examples.

    Returns
    -------
    float or ndarray
        The reduced loss, or one loss per example for ``"none"``.

    Notes
    -----
    With :math:`p = \mathrm{softmax}(z)` and target distribution
    :math:`t = (1-\varepsilon)\,\mathrm{onehot}(y) + \varepsilon / C`:

    .. math:: L = -\sum_c t_c \log p_c
              = \mathrm{logsumexp}(z) - z_y \;(\varepsilon = 0), \qquad
              \frac{\partial L}{\partial z} = p - t

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
    """
    fn = "cross_entropy"
    z, eps = _logits(logits, fn, reduction, label_smoothing)
    z2, t = _index_targets(z, y_true, fn)
    per, _, _ = _ce_forward(z2, t, eps, fn)
    out = reduce(per.reshape(z.shape[:-1]), reduction, z2.shape[0])
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


def cross_entropy_grad(logits, y_true, *, label_smoothing=0.0, reduction="mean"):
    """Gradient of :func:`cross_entropy` w.r.t. the logits: softmax(z) - target distribution.

    Each row sums to 0. For ``reduction="mean"`` it is divided by N.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.cross_entropy_grad([[0.0, 0.0]], [1]))
    [[ 0.5 -0.5]]
    """
    fn = "cross_entropy_grad"
    z, eps = _logits(logits, fn, reduction, label_smoothing)
    z2, t = _index_targets(z, y_true, fn)
    _, e = _shifted_exp(z2)
    return _ce_grad_from_exp(e, e.sum(axis=1, keepdims=True), t, eps, reduction).reshape(z.shape)


def cross_entropy_and_grad(logits, y_true, *, label_smoothing=0.0, reduction="mean"):
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
    z2, t = _index_targets(z, y_true, fn)
    per, e, s = _ce_forward(z2, t, eps, fn)
    out = reduce(per.reshape(z.shape[:-1]), reduction, z2.shape[0])
    ensure_finite_result(out, fn, [("logits", z)])
    return out, _ce_grad_from_exp(e, s, t, eps, reduction).reshape(z.shape)


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


def soft_cross_entropy(logits, y_true, *, label_smoothing=0.0, reduction="mean"):
    r"""Cross-entropy against probability targets, like ``F.cross_entropy`` with soft labels.

    Parameters
    ----------
    logits : array_like
        Raw scores, shape (N, C) or (C,).
    y_true : array_like
        Target distributions, the same shape as ``logits``; each row
        non-negative and summing to 1 (within 1e-6).

    Notes
    -----
    .. math:: L = -\sum_c t_c \log \mathrm{softmax}(z)_c, \qquad
              \frac{\partial L}{\partial z} = \mathrm{softmax}(z) \sum_c t_c - t

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
    logp, m = _log_softmax_rows(z2)
    _warn_if_probabilities(z2, m, fn)
    per = -(t2 * logp).sum(axis=1).reshape(z.shape[:-1])
    out = reduce(per, reduction, max(per.size, 1))
    ensure_finite_result(out, fn, [("logits", z)])
    return out


def soft_cross_entropy_grad(logits, y_true, *, label_smoothing=0.0, reduction="mean"):
    """Gradient of :func:`soft_cross_entropy` w.r.t. the logits: softmax(z) * sum(t) - t.

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
    g = _softmax_rows(z2, t2.sum(axis=1, keepdims=True))
    g -= t2
    return scale_grad(g, reduction, z2.shape[0]).reshape(z.shape)
