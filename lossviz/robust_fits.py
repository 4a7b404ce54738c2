"""Exact straight-line fits under MSE, MAE and Huber: what each loss makes of outliers.

:func:`line_fits` returns the line ``y ≈ slope * x + intercept`` that minimises each loss,
exactly (closed form for MSE, the best line through two points for MAE, iteratively reweighted
least squares for Huber), vectorised over leading axes. Notebook 05 and its explorer
(:func:`lossviz.explorers.outlier_explorer`) use it; :mod:`lossviz.training` has the
gradient-descent loops. Only numpy is imported here.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["line_fits"]

_HUBER_ITERATIONS = 150
_PAIR_CHUNK = 2_000_000  # elements of the (batch, pairs, n) residual array built at once


def _line_mse(x, y):
    """Least squares line, closed form: slope cov(x, y) / var(x), through the means."""
    xm = x.mean(axis=-1, keepdims=True)
    ym = y.mean(axis=-1, keepdims=True)
    xc = x - xm  # centring keeps the sums well conditioned (sizes ~100 m², prices ~400 k$)
    slope = np.sum(xc * (y - ym), axis=-1) / np.sum(xc * xc, axis=-1)
    return slope, ym[..., 0] - slope * xm[..., 0]


def _line_mae(x, y):
    """Least absolute deviations line, exactly: the best line through two of the points.

    Minimising sum |y - (a x + b)| is a linear programme in (a, b); an optimal vertex makes
    two residuals zero, so it suffices to try the line through every pair of points (with
    different x) and keep the one with the smallest total. n = 50 gives 1,225 candidates.
    """
    n = x.shape[-1]
    i, j = np.triu_indices(n, 1)
    batch = x.reshape(-1, n), y.reshape(-1, n)
    slopes, intercepts = [], []
    step = max(1, _PAIR_CHUNK // (i.size * n))
    for start in range(0, batch[0].shape[0], step):
        xs, ys = batch[0][start:start + step], batch[1][start:start + step]
        dx = xs[:, j] - xs[:, i]
        same = dx == 0
        a = (ys[:, j] - ys[:, i]) / np.where(same, 1.0, dx)
        b = ys[:, i] - a * xs[:, i]
        total = np.abs(ys[:, None, :] - (a[..., None] * xs[:, None, :] + b[..., None])).sum(-1)
        total[same] = np.inf  # two houses of the same size do not define a line
        best = np.argmin(total, axis=1)
        rows = np.arange(xs.shape[0])
        slopes.append(a[rows, best])
        intercepts.append(b[rows, best])
    shape = x.shape[:-1]
    return np.concatenate(slopes).reshape(shape), np.concatenate(intercepts).reshape(shape)


def _line_huber(x, y, delta, start):
    """Huber line by iteratively reweighted least squares, from a starting line.

    Huber's gradient clip(r, -delta, delta) equals w * r with weight w = min(1, delta / |r|),
    so a minimum solves weighted least squares with those weights. Solving it again and again
    with updated weights never increases the Huber loss (a majorise-minimise step). From the
    MAE line it settles in a few dozen iterations on the house prices; the slowest case,
    delta = 2 k$ without outliers, needs about 100 to bring the gradient below 1e-9 of its
    scale, and the loop stops as soon as the line no longer changes.
    """
    xm = x.mean(axis=-1, keepdims=True)
    xc = x - xm
    a, b = start
    b = b + a * xm[..., 0]  # intercept of the centred line
    for _ in range(_HUBER_ITERATIONS):
        r = np.abs(y - (a[..., None] * xc + b[..., None]))
        w = np.minimum(1.0, delta / np.maximum(r, delta * 1e-12))
        s0, s1, s2 = w.sum(-1), (w * xc).sum(-1), (w * xc * xc).sum(-1)
        t0, t1 = (w * y).sum(-1), (w * xc * y).sum(-1)
        det = s0 * s2 - s1 * s1
        a_new, b_new = (s0 * t1 - s1 * t0) / det, (s2 * t0 - s1 * t1) / det
        done = np.all(np.abs(a_new - a) <= 1e-12 * (1.0 + np.abs(a))) and np.all(
            np.abs(b_new - b) <= 1e-12 * (1.0 + np.abs(b)))
        a, b = a_new, b_new
        if done:
            break
    return a, b - a * xm[..., 0]


def line_fits(x, y, *, delta=50.0):
    """The straight lines ``y ≈ slope * x + intercept`` that minimise MSE, MAE and Huber, exactly.

    This is what :func:`lossviz.explorers.outlier_explorer` draws; it is fast enough to run on
    every slider move (about a millisecond for 50 points) and vectorised over leading axes, so a
    notebook can fit hundreds of data sets at once.

    Parameters
    ----------
    x, y : array_like of shape (..., n)
        Feature and target of each data set (n >= 2; x not constant). The same leading shape
        for both, e.g. (n,) for one data set or (n_sets, n) for many.
    delta : float, keyword-only
        Huber's threshold, in the units of ``y``, > 0.

    Returns
    -------
    dict
        ``{"mse": (slope, intercept), "mae": (...), "huber": (...)}``; each a float for 1-D
        input, else an ndarray of the leading shape.

    Notes
    -----
    MSE: the closed form, slope = cov(x, y) / var(x). MAE: the best line through two of the
    points (an optimal line of a least-absolute-deviations fit always passes through two), found
    by trying every pair. Huber: iteratively reweighted least squares from the MAE line, with
    weights min(1, delta / |residual|). Unlike the gradient-descent loops of
    :mod:`lossviz.training`, these are exact minimisers (MAE: a minimiser, when several lines
    tie), which the tests check against ``lossviz.mae`` and ``lossviz.huber_grad``.

    Examples
    --------
    Four points on y = 2x + 1 and one far above: MSE's line tilts, MAE's does not move.

    >>> x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    >>> y = 2 * x + 1
    >>> y[4] += 20
    >>> fits = line_fits(x, y, delta=1.0)
    >>> {k: f"{s:.2f}" for k, (s, b) in fits.items()}
    {'mse': '6.00', 'mae': '2.00', 'huber': '2.50'}
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim == 0 or x.shape[-1] < 2:
        raise ValueError(f"line_fits: x and y must have the same shape (..., n) with n >= 2, got "
                         f"{x.shape} and {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("line_fits: x and y must be finite")
    if np.any(np.ptp(x, axis=-1) == 0):
        raise ValueError("line_fits: x is constant in a data set; a slope needs two different x")
    if isinstance(delta, bool) or not isinstance(delta, (int, float, np.floating, np.integer)) \
            or not (math.isfinite(delta) and delta > 0):
        raise ValueError(f"line_fits: delta must be a positive number, got {delta!r}")
    mse = _line_mse(x, y)
    mae = _line_mae(x, y)
    huber = _line_huber(x, y, float(delta), mae)
    out = {"mse": mse, "mae": mae, "huber": huber}
    if x.ndim == 1:
        out = {k: (float(s), float(b)) for k, (s, b) in out.items()}
    return out
