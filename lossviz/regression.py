"""Regression losses: the target is a number and the loss measures distance.

Each loss is followed directly by its gradient with respect to the
predictions. ``reduction`` has PyTorch's meaning: ``"mean"`` (default) averages
over every element, ``"sum"`` adds them up, ``"none"`` returns one loss per
element (and its gradient is then the element-wise derivative).
"""

from __future__ import annotations

import numpy as np

from ._checks import check_positive, ensure_finite_result
from ._common import float_pair, reduce, scale_grad

__all__ = ["mse", "mse_and_grad", "mse_grad", "mae", "mae_grad", "huber", "huber_grad"]


def _sum_of_squares(d: np.ndarray) -> float:
    flat = d.ravel()
    if flat.dtype == np.float64:
        return float(np.dot(flat, flat))  # BLAS dot: one pass, float64 accumulator
    # np.dot on float32 would accumulate in float32 and lose ~4 digits at 1e7
    # elements; square in float32, then sum with a float64 accumulator.
    return float(np.add.reduce(np.square(flat), dtype=np.float64))


def mse(y_pred, y_true, *, reduction="mean"):
    r"""Mean squared error, like ``torch.nn.functional.mse_loss``.

    Parameters
    ----------
    y_pred : array_like
        Predictions, any shape.
    y_true : array_like
        Targets, exactly the same shape as ``y_pred`` (never broadcast).
    reduction : {"mean", "sum", "none"}, keyword-only

    Returns
    -------
    float or ndarray
        The reduced loss (a NumPy scalar) or, for ``"none"``, the squared
        errors with the shape of ``y_pred``.

    Notes
    -----
    .. math:: \mathrm{MSE} = \frac{1}{n}\sum_i (\hat y_i - y_i)^2, \qquad
              \frac{\partial\,\mathrm{MSE}}{\partial \hat y_i} = \frac{2(\hat y_i - y_i)}{n}

    Whether the error is written prediction - target or target - prediction
    does not matter for the loss (it is squared); it flips the sign of the
    error but not of the gradient with respect to the prediction.

    Examples
    --------
    The article's example: errors 1, -3, 1, squares 1, 9, 1, mean 11/3.

    >>> import lossviz as lv
    >>> print(f"{lv.mse([4, 2, 3], [3, 5, 2]):.4f}")
    3.6667
    >>> print(lv.mse([4, 2, 3], [3, 5, 2], reduction="none"))
    [1. 9. 1.]
    """
    fn = "mse"
    a, b = float_pair(y_pred, y_true, fn, reduction)
    d = np.subtract(a, b, out=np.empty_like(a))  # an array even for 0-d input
    if reduction == "none":
        out = np.square(d, out=d)
    else:
        total = _sum_of_squares(d)
        out = a.dtype.type(total / d.size if reduction == "mean" else total)
    ensure_finite_result(out, fn, [("y_pred", a), ("y_true", b)])
    return out


def mse_grad(y_pred, y_true, *, reduction="mean"):
    """Gradient of :func:`mse` with respect to ``y_pred``: 2 (y_pred - y_true) / n.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.mse_grad([4, 2, 3], [3, 5, 2]))
    [ 0.66666667 -2.          0.66666667]
    """
    fn = "mse_grad"
    a, b = float_pair(y_pred, y_true, fn, reduction)
    g = np.subtract(a, b, out=np.empty_like(a))
    g *= 2.0 / g.size if reduction == "mean" else 2.0
    ensure_finite_result(g, fn, [("y_pred", a), ("y_true", b)])
    return g


def mse_and_grad(y_pred, y_true, *, reduction="mean"):
    """Both :func:`mse` and :func:`mse_grad` from one validation and one subtraction.

    Returns exactly ``(mse(...), mse_grad(...))``, as a training step needs.

    Examples
    --------
    >>> import lossviz as lv
    >>> loss, grad = lv.mse_and_grad([4, 2, 3], [3, 5, 2])
    >>> print(f"{loss:.4f}", grad.round(4))
    3.6667 [ 0.6667 -2.      0.6667]
    """
    fn = "mse_and_grad"
    a, b = float_pair(y_pred, y_true, fn, reduction)
    d = np.subtract(a, b, out=np.empty_like(a))
    if reduction == "none":
        out = np.square(d)
    else:
        total = _sum_of_squares(d)
        out = a.dtype.type(total / d.size if reduction == "mean" else total)
    ensure_finite_result(out, fn, [("y_pred", a), ("y_true", b)])
    d *= 2.0 / d.size if reduction == "mean" else 2.0
    return out, d


def mae(y_pred, y_true, *, reduction="mean"):
    r"""Mean absolute error, like ``torch.nn.functional.l1_loss``.

    Notes
    -----
    .. math:: \mathrm{MAE} = \frac{1}{n}\sum_i |\hat y_i - y_i|, \qquad
              \partial_{\hat y_i}\mathrm{MAE} = \mathrm{sign}(\hat y_i - y_i) / n

    The gradient has the same size for every miss, big or small, which is why
    one outlier cannot drag an MAE fit far. At a perfect prediction the
    derivative is taken as 0, as PyTorch does.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(f"{lv.mae([4, 2, 3], [3, 5, 2]):.4f}")
    1.6667
    """
    fn = "mae"
    a, b = float_pair(y_pred, y_true, fn, reduction)
    per = np.abs(np.subtract(a, b))
    out = reduce(per, reduction, per.size)
    ensure_finite_result(out, fn, [("y_pred", a), ("y_true", b)])
    return out


def mae_grad(y_pred, y_true, *, reduction="mean"):
    """Gradient of :func:`mae` with respect to ``y_pred``: sign(y_pred - y_true) / n.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.mae_grad([4, 2, 3], [3, 5, 2], reduction="sum"))
    [ 1. -1.  1.]
    """
    fn = "mae_grad"
    a, b = float_pair(y_pred, y_true, fn, reduction)
    d = np.subtract(a, b)
    ensure_finite_result(d, fn, [("y_pred", a), ("y_true", b)])
    return scale_grad(np.sign(d), reduction, d.size)


def _huber_delta(delta, fn):
    return check_positive(delta, "delta", fn)


def huber(y_pred, y_true, *, delta=1.0, reduction="mean"):
    r"""Huber loss, like ``torch.nn.functional.huber_loss``.

    Quadratic for small errors (like MSE), linear for large ones (like MAE),
    so outliers pull on the fit with a bounded force.

    Parameters
    ----------
    delta : float, keyword-only
        Where the loss switches from quadratic to linear; must be > 0.

    Notes
    -----
    With :math:`d = \hat y - y`:

    .. math:: L_\delta(d) = \begin{cases} \tfrac12 d^2 & |d| < \delta \\
              \delta\,(|d| - \tfrac12\delta) & \text{otherwise} \end{cases}, \qquad
              \frac{\partial L_\delta}{\partial \hat y} = \operatorname{clip}(d, -\delta, \delta)

    Examples
    --------
    Errors 1, -3, 1 with delta = 1: 0.5 + (3 - 0.5) + 0.5 = 3.5, mean 3.5/3.

    >>> import lossviz as lv
    >>> print(f"{lv.huber([4, 2, 3], [3, 5, 2]):.4f}")
    1.1667
    """
    fn = "huber"
    delta = _huber_delta(delta, fn)
    a, b = float_pair(y_pred, y_true, fn, reduction)
    d = np.subtract(a, b)
    ad = np.abs(d)
    per = np.where(ad < delta, 0.5 * d * d, delta * (ad - 0.5 * delta)).astype(a.dtype, copy=False)
    out = reduce(per, reduction, per.size)
    ensure_finite_result(out, fn, [("y_pred", a), ("y_true", b)])
    return out


def huber_grad(y_pred, y_true, *, delta=1.0, reduction="mean"):
    """Gradient of :func:`huber` with respect to ``y_pred``: clip(d, -delta, delta) / n.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.huber_grad([4, 2, 3], [3, 5, 2], reduction="sum"))
    [ 1. -1.  1.]
    """
    fn = "huber_grad"
    delta = _huber_delta(delta, fn)
    a, b = float_pair(y_pred, y_true, fn, reduction)
    d = np.subtract(a, b, out=np.empty_like(a))
    ensure_finite_result(d, fn, [("y_pred", a), ("y_true", b)])
    g = np.clip(d, -delta, delta, out=d)
    return scale_grad(g, reduction, g.size)
