"""Losses for a regression model that says how unsure it is.

:func:`gaussian_nll` trains a predicted variance next to the predicted mean
(heteroscedastic regression); :func:`pinball_loss` trains a predicted quantile
(the ends of a prediction interval).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._checks import as_float_array, check_finite, check_real, ensure_finite_result
from ._common import float_pair, reduce, scale_grad

__all__ = ["gaussian_nll", "gaussian_nll_grad", "pinball_loss", "pinball_loss_grad"]

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


# ---------------------------------------------------------------------------
# Gaussian negative log-likelihood
# ---------------------------------------------------------------------------

def _var_view(var, shape, dtype, fn):
    """var as an array that broadcasts to ``shape`` by PyTorch's rules, and its own shape.

    Allowed (as in F.gaussian_nll_loss): a single number; var.shape == shape; var with the
    last axis missing (shape[:-1]); the same number of axes with exactly one axis of size 1
    where the input's is larger.
    """
    v = as_float_array(var, "var", fn).astype(dtype, copy=False)
    given = v.shape
    if isinstance(var, numbers.Real) or v.ndim == 0:
        view = v.reshape((1,) * len(shape))
    elif v.shape == shape:
        view = v
    elif len(shape) >= 1 and v.shape == shape[:-1]:
        view = v[..., None]
    elif v.ndim == len(shape) and [vs for vs, s in zip(v.shape, shape, strict=True)
                                   if vs != s] == [1]:
        view = v
    else:
        raise ValueError(
            f"{fn}: var has shape {given}, which does not fit y_pred's shape {shape}. As in "
            "PyTorch, var may be a single number, the same shape as y_pred (one variance per "
            f"prediction), y_pred's shape without its last axis ({shape[:-1]}), or y_pred's "
            "shape with exactly one axis of size 1 (one variance shared along that axis)."
        )
    check_finite(v, "var", fn)
    if v.size and v.min() <= 0:
        bad = v <= 0
        raise ValueError(
            f"{fn}: var must be positive (it is a variance), but {int(bad.sum())} value(s) are "
            f"not, e.g. {float(v[bad].ravel()[0]):g}. Make the model predict a positive "
            "variance, e.g. var = exp(log_var) or softplus(raw) + 1e-6. (Values below eps are "
            "clamped to eps, as in PyTorch; 0 and negative values are refused.)"
        )
    return view, given


def _gnll_inputs(y_pred, y_true, var, fn, full, eps, reduction):
    if not isinstance(full, (bool, np.bool_)):
        raise TypeError(f"{fn}: full must be True or False, got {full!r}.")
    eps = check_real(eps, "eps", fn, lo=0.0, lo_open=True,
                     hint="eps is the smallest variance used; PyTorch's default is 1e-6.")
    a, b = float_pair(y_pred, y_true, fn, reduction)
    check_finite(a, "y_pred", fn)
    check_finite(b, "y_true", fn)
    view, var_shape = _var_view(var, a.shape, a.dtype, fn)
    # Clamped in the forward pass exactly as torch does (under no_grad, on a copy): the
    # gradient is then the formula's gradient at the clamped value, passed straight through.
    vc = np.maximum(np.broadcast_to(view, a.shape), a.dtype.type(eps))
    return a, b, vc, var_shape


def gaussian_nll(y_pred, y_true, var, *, full=False, eps=1e-6, reduction="mean"):
    r"""Gaussian negative log-likelihood, like ``torch.nn.functional.gaussian_nll_loss``.

    Parameters
    ----------
    y_pred : array_like
        Predicted means, any shape.
    y_true : array_like
        Targets, the same shape as ``y_pred``.
    var : float or array_like
        Predicted variances (sigma^2 > 0): a single number, the shape of
        ``y_pred``, ``y_pred.shape[:-1]``, or ``y_pred``'s shape with exactly
        one axis of size 1 (PyTorch's rules). Values below ``eps`` are clamped
        to ``eps``; 0, negative and non-finite values raise ValueError (PyTorch
        clamps 0).
    full : bool, keyword-only
        Add the constant 0.5 log(2 pi) to each term (the exact negative
        log-density); it changes no gradient.
    eps : float > 0, keyword-only
        The smallest variance used (default 1e-6, as in PyTorch).
    reduction : {"mean", "sum", "none"}, keyword-only
        Over the elements of ``y_pred``.

    Notes
    -----
    With :math:`v = \max(\mathrm{var}, \varepsilon)` and :math:`d = \hat y - y`:

    .. math:: L = \tfrac12\left(\log v + \frac{d^2}{v}\right)
              \ \left[+ \tfrac12 \log 2\pi\right]

    For a fixed variance this is MSE / (2 var) plus a constant; a model that
    predicts its variance pays log v for claiming to be unsure and d^2 / v for
    being wrong while sure.

    Examples
    --------
    d = 1, var = 1: 0.5 (log 1 + 1) = 0.5; d = 2, var = 4: 0.5 (log 4 + 1) = 1.1931.

    >>> import lossviz as lv
    >>> print(lv.gaussian_nll([1.0, 2.0], [0.0, 0.0], [1.0, 4.0], reduction="none").round(4))
    [0.5    1.1931]
    """
    fn = "gaussian_nll"
    a, b, vc, _ = _gnll_inputs(y_pred, y_true, var, fn, full, eps, reduction)
    d = a - b
    per = 0.5 * (np.log(vc) + d * d / vc)
    if full:
        per += _HALF_LOG_2PI
    out = reduce(per.astype(a.dtype, copy=False), reduction, per.size)
    ensure_finite_result(out, fn, [("y_pred", a), ("y_true", b), ("var", vc)])
    return out


def _sum_to_shape(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum a full-shape gradient over the axes along which var was broadcast."""
    if g.shape == shape:
        return g
    if len(shape) == 0:
        return np.asarray(np.add.reduce(g, axis=None), dtype=g.dtype)
    if len(shape) == g.ndim - 1:
        return np.add.reduce(g, axis=-1)
    axes = tuple(i for i, (gs, s) in enumerate(zip(g.shape, shape, strict=True)) if gs != s)
    return np.add.reduce(g, axis=axes, keepdims=True)


def gaussian_nll_grad(y_pred, y_true, var, *, full=False, eps=1e-6, reduction="mean"):
    r"""Gradients of :func:`gaussian_nll`: the pair (d/d y_pred, d/d var).

    .. math:: \frac{\partial L}{\partial \hat y} = \frac{d}{v}, \qquad
              \frac{\partial L}{\partial\,\mathrm{var}}
              = \frac12\left(\frac1v - \frac{d^2}{v^2}\right)

    Both are evaluated at the clamped :math:`v = \max(\mathrm{var}, \varepsilon)`
    and the var gradient is passed straight through the clamp, exactly as
    PyTorch's autograd does (it clamps under ``no_grad``): a var below eps gets
    the gradient at eps, not 0. The var gradient has var's shape (summed over
    the axes along which var is shared; a 0-d value for a single number).
    "mean" divides both by the number of elements of ``y_pred``.

    Examples
    --------
    >>> import lossviz as lv
    >>> g_pred, g_var = lv.gaussian_nll_grad([1.0, 2.0], [0.0, 0.0], [1.0, 2.0], reduction="sum")
    >>> print(g_pred, g_var)  # d / v and (1/v - d^2/v^2) / 2: (1 - 1) / 2, (0.5 - 1) / 2
    [1. 1.] [ 0.   -0.25]
    """
    fn = "gaussian_nll_grad"
    a, b, vc, var_shape = _gnll_inputs(y_pred, y_true, var, fn, full, eps, reduction)
    d = a - b
    g_pred = (d / vc).astype(a.dtype, copy=False)
    g_var = (0.5 * (1.0 / vc - (d / vc) ** 2)).astype(a.dtype, copy=False)
    ensure_finite_result(g_var, fn, [("y_pred", a), ("y_true", b), ("var", vc)])
    n = a.size
    g_pred = scale_grad(g_pred, reduction, n)
    g_var = scale_grad(_sum_to_shape(g_var, var_shape), reduction, n)
    return g_pred, g_var


# ---------------------------------------------------------------------------
# Pinball (quantile) loss
# ---------------------------------------------------------------------------

def _quantile(quantile, fn):
    return check_real(quantile, "quantile", fn, lo=0.0, hi=1.0, lo_open=True, hi_open=True,
                      hint="Use e.g. quantile=0.9 for the 90th percentile, 0.5 for the median.")


def pinball_loss(y_pred, y_true, *, quantile, reduction="mean"):
    r"""Pinball (quantile) loss: minimised by the ``quantile``-th quantile of the targets.

    Parameters
    ----------
    y_pred : array_like
        Predicted quantiles, any shape.
    y_true : array_like
        Targets, the same shape.
    quantile : float in (0, 1), keyword-only (required)
        Which quantile the prediction should be, e.g. 0.9.
    reduction : {"mean", "sum", "none"}, keyword-only

    Notes
    -----
    With :math:`d = y - \hat y` and :math:`q` the quantile:

    .. math:: L = \max(q\,d,\ (q - 1)\,d), \qquad
              \frac{\partial L}{\partial \hat y} = \begin{cases} -q & y > \hat y \\
              1 - q & y < \hat y \\ \tfrac12 - q & y = \hat y \end{cases}

    Under-predicting costs q per unit, over-predicting 1 - q, so the best
    constant prediction leaves a fraction q of the targets below it. At q = 0.5
    this is half the absolute error. At a perfect prediction the derivative is
    taken as 1/2 - q, the middle of the two slopes (PyTorch's autograd gives
    this for ``torch.maximum`` of the two lines; it is 0 for q = 0.5, as for MAE).

    Examples
    --------
    q = 0.9: a target 2 above the prediction costs 0.9 * 2, one 2 below costs 0.1 * 2.

    >>> import lossviz as lv
    >>> print(lv.pinball_loss([0.0, 0.0], [2.0, -2.0], quantile=0.9, reduction="none"))
    [1.8 0.2]
    """
    fn = "pinball_loss"
    q = _quantile(quantile, fn)
    a, b = float_pair(y_pred, y_true, fn, reduction)
    d = b - a
    per = np.maximum(q * d, (q - 1) * d).astype(a.dtype, copy=False)
    out = reduce(per, reduction, per.size)
    ensure_finite_result(out, fn, [("y_pred", a), ("y_true", b)])
    return out


def pinball_loss_grad(y_pred, y_true, *, quantile, reduction="mean"):
    """Gradient of :func:`pinball_loss` w.r.t. ``y_pred``: -q, 1 - q, or 1/2 - q at a tie.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.pinball_loss_grad([0.0, 0.0, 0.0], [2.0, -2.0, 0.0], quantile=0.9,
    ...                            reduction="sum").round(2))
    [-0.9  0.1 -0.4]
    """
    fn = "pinball_loss_grad"
    q = _quantile(quantile, fn)
    a, b = float_pair(y_pred, y_true, fn, reduction)
    d = np.subtract(b, a)
    ensure_finite_result(d, fn, [("y_pred", a), ("y_true", b)])
    g = np.where(d > 0, -q, np.where(d < 0, 1 - q, 0.5 - q)).astype(a.dtype, copy=False)
    return scale_grad(np.asarray(g), reduction, g.size)
