"""Binary cross-entropy: one yes/no probability (or logit) per element.

Each loss is followed directly by its gradient with respect to its first
argument (sigma(z) - y for logits). ``reduction`` has PyTorch's meaning and
"mean" averages over every element (weights scale the terms but do not change
the divisor, as in PyTorch). Also importable from :mod:`lossviz.classification`.
"""

from __future__ import annotations

import numpy as np

from ._checks import broadcast_weight, check_finite, check_unit_interval, ensure_finite_result
from ._common import float_pair, reduce, scale_grad

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_and_grad",
    "binary_cross_entropy_with_logits_grad",
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

def _bce_inputs(p, y_true, fn, reduction, weight=None):
    p, y = float_pair(p, y_true, fn, reduction, names=("p", "y_true"))
    check_unit_interval(p, "p", fn, _P_HINT)
    check_unit_interval(y, "y_true", fn, _Y_HINT)
    w = None if weight is None else broadcast_weight(weight, "weight", p.shape, p.dtype, fn)
    return p, y, w


def binary_cross_entropy(p, y_true, *, weight=None, reduction="mean"):
    r"""Binary cross-entropy of probabilities, like ``torch.nn.functional.binary_cross_entropy``.

    Parameters
    ----------
    p : array_like
        Predicted probability of class 1, values in [0, 1], any shape.
    y_true : array_like
        Targets in [0, 1] (usually 0 or 1), the same shape as ``p``.
    weight : array_like, optional, keyword-only
        Non-negative factor for each element's loss, broadcast to ``p``'s shape
        by PyTorch's rule (aligned from the last axis; each size equal to
        ``p``'s or 1): a scalar, the full shape, ``(C,)`` per column, or
        ``(N, 1)`` per row. "mean" still divides by the number of elements.
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
    p, y, w = _bce_inputs(p, y_true, fn, reduction, weight)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), _LOG_CLAMP)
        # log1p(-p) is exact for tiny p, where log(1 - p) would round 1 - p first.
        log_1mp = np.maximum(np.log1p(-p), _LOG_CLAMP)
    per = -(y * log_p + (1 - y) * log_1mp)
    if w is not None:
        per *= w
    out = reduce(per, reduction, per.size)
    ensure_finite_result(out, fn, [("p", p), ("y_true", y)])
    return out


def binary_cross_entropy_grad(p, y_true, *, weight=None, reduction="mean"):
    """Gradient of :func:`binary_cross_entropy` with respect to ``p``: w (p - y) / (p (1 - p)).

    The denominator is clamped at 1e-12 exactly as in PyTorch's backward pass.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.binary_cross_entropy_grad([0.5, 0.8], [1, 0], reduction="none"))
    [-2.  5.]
    """
    fn = "binary_cross_entropy_grad"
    p, y, w = _bce_inputs(p, y_true, fn, reduction, weight)
    g = (p - y) / np.maximum(p * (1 - p), _GRAD_EPS)
    if w is not None:
        g *= w
    ensure_finite_result(g, fn, [("p", p), ("y_true", y)])
    return scale_grad(g, reduction, g.size)


# ---------------------------------------------------------------------------
# Binary cross-entropy on logits
# ---------------------------------------------------------------------------

def _bce_logits_inputs(logits, y_true, fn, reduction, weight=None, pos_weight=None):
    z, y = float_pair(logits, y_true, fn, reduction, names=("logits", "y_true"))
    # Checked up front: sigmoid(+-inf) is finite, so the result would hide an inf.
    check_finite(z, "logits", fn)
    check_finite(y, "y_true", fn)
    check_unit_interval(y, "y_true", fn, _Y_HINT)
    w = None if weight is None else broadcast_weight(weight, "weight", z.shape, z.dtype, fn)
    pw = (None if pos_weight is None
          else broadcast_weight(pos_weight, "pos_weight", z.shape, z.dtype, fn))
    return z, y, w, pw


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|), finite for any finite x."""
    with np.errstate(under="ignore"):
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _sigmoid_pair(z: np.ndarray):
    """sigma(z) and sigma(-z) = 1 - sigma(z), each computed without cancellation."""
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
    big = 1.0 / (1.0 + e)  # sigma(|z|)
    small = e * big  # sigma(-|z|)
    pos = z >= 0
    return np.where(pos, big, small), np.where(pos, small, big)


def _bce_logits_weighted(z, y, w, pw, *, loss: bool, grad: bool):
    """Per-element losses and/or gradients with a weight and/or pos_weight.

    L = w [pw y softplus(-z) + (1 - y) softplus(z)] (-log sigma(z) = softplus(-z)), and
    dL/dz = w [(1 - y) sigma(z) - pw y sigma(-z)]: no 1 - sigma cancellation anywhere.
    Without pos_weight this is w times the unweighted kernel's result.
    """
    if pw is None:
        per, g = _bce_logits_kernel(z, y, loss=loss, grad=grad)
    else:
        per = g = None
        with np.errstate(under="ignore"):
            e = np.exp(-np.abs(z))  # one exponential for both softplus terms and both sigmoids
        pwy = pw * y
        if loss:
            lg = np.log1p(e)
            per = pwy * (np.maximum(-z, 0) + lg)
            per += (1 - y) * (np.maximum(z, 0) + lg)
        if grad:
            big = 1.0 / (1.0 + e)  # sigma(|z|)
            small = e * big  # sigma(-|z|)
            pos = z >= 0
            g = (1 - y) * np.where(pos, big, small)
            g -= pwy * np.where(pos, small, big)
    if w is not None:
        per = None if per is None else per * w
        g = None if g is None else g * w
    return per, g


def binary_cross_entropy_with_logits(logits, y_true, *, weight=None, pos_weight=None,
                                     reduction="mean"):
    r"""Binary cross-entropy from logits, like ``F.binary_cross_entropy_with_logits``.

    Parameters
    ----------
    logits : array_like
        Raw scores z, with p = sigmoid(z), any shape.
    y_true : array_like
        Targets in [0, 1], the same shape as ``logits``.
    weight : array_like, optional, keyword-only
        Non-negative factor for each element's loss, broadcast to the logits'
        shape as in PyTorch (aligned from the last axis, sizes equal or 1);
        "mean" still divides by the number of elements.
    pos_weight : array_like, optional, keyword-only
        Non-negative factor for the positive (y = 1) part of the loss, broadcast
        the same way; typically shape ``(C,)``, one per label column, e.g.
        (#negatives / #positives) for a rare positive class.
    reduction : {"mean", "sum", "none"}, keyword-only

    Notes
    -----
    .. math:: L = \max(z, 0) - z y + \log\left(1 + e^{-|z|}\right), \qquad
              \frac{\partial L}{\partial z} = \sigma(z) - y

    With weights, :math:`L = -w\,[p_w\, y \log\sigma(z) + (1 - y)\log(1 - \sigma(z))]`
    and :math:`\partial L/\partial z = w\,[(1 - y)\,\sigma(z) - p_w\, y\,\sigma(-z)]`.

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
    z, y, w, pw = _bce_logits_inputs(logits, y_true, fn, reduction, weight, pos_weight)
    per, _ = _bce_logits_weighted(z, y, w, pw, loss=True, grad=False)
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


def binary_cross_entropy_with_logits_grad(logits, y_true, *, weight=None, pos_weight=None,
                                          reduction="mean"):
    """Gradient of :func:`binary_cross_entropy_with_logits` w.r.t. the logits: sigmoid(z) - y.

    With ``weight`` w and ``pos_weight`` pw: w [(1 - y) sigmoid(z) - pw y sigmoid(-z)].

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.binary_cross_entropy_with_logits_grad([0.0, 1e4], [1, 1], reduction="none"))
    [-0.5  0. ]
    """
    fn = "binary_cross_entropy_with_logits_grad"
    z, y, w, pw = _bce_logits_inputs(logits, y_true, fn, reduction, weight, pos_weight)
    _, g = _bce_logits_weighted(z, y, w, pw, loss=False, grad=True)
    return scale_grad(g, reduction, g.size)


def binary_cross_entropy_with_logits_and_grad(logits, y_true, *, weight=None, pos_weight=None,
                                              reduction="mean"):
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
    z, y, w, pw = _bce_logits_inputs(logits, y_true, fn, reduction, weight, pos_weight)
    per, g = _bce_logits_weighted(z, y, w, pw, loss=True, grad=True)
    out = reduce(per, reduction, z.size)
    ensure_finite_result(out, fn, [("logits", z), ("y_true", y)])
    return out, scale_grad(g, reduction, g.size)


