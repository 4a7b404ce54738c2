"""Activations that turn raw scores (logits) into probabilities, computed stably.

All functions accept numbers, lists or arrays, keep float32 as float32, turn
everything else into float64, and refuse NaN/inf with a clear message.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_finite

__all__ = ["sigmoid", "sigmoid_grad", "log_sigmoid", "softmax", "log_softmax", "logsumexp"]


def _input(z, fn):
    z = as_float_array(z, "z", fn)
    check_finite(z, "z", fn)
    return z


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # Branch on the sign so exp never overflows: with e = exp(-|z|) <= 1,
    # sigma(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0.
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1.0, e)
    out /= 1.0 + e
    return out


def sigmoid(z):
    """Logistic sigmoid, sigma(z) = 1 / (1 + exp(-z)), stable for any finite z.

    Parameters
    ----------
    z : array_like
        Logits, any shape.

    Returns
    -------
    ndarray
        Probabilities in [0, 1], same shape and float dtype as ``z``.

    Notes
    -----
    The naive formula overflows in ``exp(-z)`` for z << 0; this version only
    ever exponentiates ``-|z|``.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.sigmoid([0.0, 2.0, -1000.0]))
    [0.5        0.88079708 0.        ]
    """
    return _sigmoid(_input(z, "sigmoid"))


def sigmoid_grad(z):
    """Derivative of the sigmoid, sigma(z) * (1 - sigma(z)).

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.sigmoid_grad([0.0]))
    [0.25]
    """
    s = _sigmoid(_input(z, "sigmoid_grad"))
    return s * (1.0 - s)


def log_sigmoid(z):
    """log(sigma(z)) = min(z, 0) - log1p(exp(-|z|)), finite for any finite z.

    Examples
    --------
    The naive ``np.log(lv.sigmoid(-1000.0))`` is ``-inf``; this is exact:

    >>> import lossviz as lv
    >>> print(lv.log_sigmoid([-1000.0, 0.0]).tolist())
    [-1000.0, -0.6931471805599453]
    """
    z = _input(z, "log_sigmoid")
    # log(1 + exp(-|z|)) via log1p keeps full precision when exp(-|z|) is tiny.
    with np.errstate(under="ignore"):
        return np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))


def _logsumexp(z: np.ndarray, axis: int, keepdims: bool = False) -> np.ndarray:
    # Subtract the maximum before exponentiating: every exp() argument is <= 0,
    # so nothing overflows, and the largest term is exactly exp(0) = 1.
    m = np.max(z, axis=axis, keepdims=True)
    with np.errstate(under="ignore"):
        s = np.sum(np.exp(z - m), axis=axis, keepdims=True)
    out = m + np.log(s)
    return out if keepdims else np.squeeze(out, axis=axis)


def _check_axis(z: np.ndarray, axis, fn: str) -> int:
    if z.ndim == 0:
        raise ValueError(
            f"{fn}: z is a single number (0-d) but needs an axis to normalise over; "
            "pass a vector of logits, shape (C,) or (N, C)."
        )
    if not isinstance(axis, (int, np.integer)) or not -z.ndim <= axis < z.ndim:
        raise ValueError(f"{fn}: axis={axis!r} is not valid for z of shape {z.shape}.")
    if z.shape[axis] == 0:
        raise ValueError(f"{fn}: z has no entries along axis {axis} (shape {z.shape}).")
    return int(axis)


def logsumexp(z, axis=-1):
    """log(sum(exp(z))) along ``axis``, without overflow.

    Examples
    --------
    The naive version overflows to ``inf``:

    >>> import lossviz as lv
    >>> print(f"{float(lv.logsumexp([1000.0, 1000.0])):.6f}")
    1000.693147
    """
    z = _input(z, "logsumexp")
    return _logsumexp(z, _check_axis(z, axis, "logsumexp"))


def softmax(z, axis=-1):
    """Softmax along ``axis``: exp(z_c) / sum_k exp(z_k), stable for any finite z.

    Examples
    --------
    >>> import numpy as np
    >>> import lossviz as lv
    >>> print(lv.softmax(np.log([0.7, 0.2, 0.1])).round(6))
    [0.7 0.2 0.1]
    >>> print(lv.softmax([1000.0, 1.0]))
    [1. 0.]
    """
    z = _input(z, "softmax")
    axis = _check_axis(z, axis, "softmax")
    # Shifting by the maximum changes nothing mathematically (it cancels in the
    # ratio) but keeps exp() from overflowing.
    with np.errstate(under="ignore"):
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def log_softmax(z, axis=-1):
    """log(softmax(z)) = z - logsumexp(z), finite where log(softmax(z)) is -inf.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.log_softmax([1000.0, 1.0]))
    [   0. -999.]
    """
    z = _input(z, "log_softmax")
    axis = _check_axis(z, axis, "log_softmax")
    return z - _logsumexp(z, axis, keepdims=True)
