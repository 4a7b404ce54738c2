"""Finite-difference gradients, for checking hand-derived ones."""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_finite, check_positive

__all__ = ["numerical_grad"]


def numerical_grad(f, x, *, eps=1e-6):
    r"""Central-difference estimate of the gradient of a scalar function.

    Parameters
    ----------
    f : callable
        ``f(x)`` must return one number (for a loss, use a reduction other
        than ``"none"``, or sum it: ``lambda x: loss(x, y, reduction="none").sum()``).
    x : array_like
        Where to take the gradient. Computed in float64 whatever its dtype.
    eps : float, keyword-only
        The step. 1e-6 balances truncation error (~eps^2) against rounding
        error (~1e-16 / eps) for well-scaled functions.

    Returns
    -------
    ndarray
        float64, the same shape as ``x``:
        :math:`g_i = (f(x + \varepsilon e_i) - f(x - \varepsilon e_i)) / (2\varepsilon)`.

    Notes
    -----
    This costs two calls of ``f`` per element: fine for checking a gradient
    on a few values, far too slow for training.

    Examples
    --------
    >>> import lossviz as lv
    >>> y = [3.0, 5.0, 2.0]
    >>> print(lv.numerical_grad(lambda p: lv.mse(p, y), [4.0, 2.0, 3.0]).round(6))
    [ 0.666667 -2.        0.666667]
    >>> print(lv.mse_grad([4.0, 2.0, 3.0], y).round(6))
    [ 0.666667 -2.        0.666667]
    """
    fn = "numerical_grad"
    if not callable(f):
        raise TypeError(f"{fn}: f must be a function of x returning a number, got {f!r}.")
    eps = check_positive(eps, "eps", fn)
    x = as_float_array(x, "x", fn).astype(np.float64, copy=True)
    check_finite(x, "x", fn)
    grad = np.empty_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)

    def value(arg):
        out = np.asarray(f(arg))
        if out.size != 1:
            raise ValueError(
                f"{fn}: f must return a single number, but it returned shape {out.shape}. "
                "For a loss with reduction='none', wrap it: lambda x: loss(x, ...).sum()."
            )
        return float(out.reshape(()))

    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + eps
        up = value(x)
        flat_x[i] = old - eps
        down = value(x)
        flat_x[i] = old
        flat_g[i] = (up - down) / (2 * eps)
    return grad
