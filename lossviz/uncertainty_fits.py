"""Lines that say how unsure they are: heteroscedastic Gaussian and quantile regression.

Two tiny full-batch gradient-descent fits on one feature, built on lossviz's own losses and
their gradients (no autograd), in the style of :mod:`lossviz.training`:

- :func:`fit_gaussian_linear` fits a mean line *and* a noise level that changes with x,
  ``mean = w * x + b`` and ``log var = u * x + c``, by minimising
  :func:`lossviz.gaussian_nll`. Plain MSE is the special case u = 0 with c fixed: one noise
  level for every x.
- :func:`fit_quantile_linear` fits the line ``w * x + b`` below which a fraction ``quantile``
  of the targets should fall, by subgradient descent on :func:`lossviz.pinball_loss`.

Both return a :class:`Fit`: the final parameters, and the loss, gradient norm and parameters
at every step (like :class:`lossviz.training.History`). Everything is deterministic.

Examples
--------
>>> from lossviz import data, uncertainty_fits as uf
>>> x, y = data.noisy_line(400, seed=1)
>>> fit = uf.fit_gaussian_linear(x, y, steps=2000)
>>> print(f"sigma(-1) = {fit.sigma(-1.0):.2f}, sigma(1) = {fit.sigma(1.0):.2f}")
sigma(-1) = 0.17, sigma(1) = 1.56
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .uncertainty import gaussian_nll, gaussian_nll_grad, pinball_loss, pinball_loss_grad

# The subgradient step of fit_quantile_linear shrinks as lr / sqrt(1 + t / _DECAY_STEPS).
_DECAY_STEPS = 100.0

__all__ = [
    "Fit",
    "coverage",
    "fit_gaussian_linear",
    "fit_quantile_linear",
]


@dataclass
class Fit:
    """A finished run: final parameters and what happened at each step.

    Entry ``t`` of each array describes the parameters *before* update ``t``: entry 0 is the
    start and entry ``steps`` the final parameters (as in :class:`lossviz.training.History`).

    Attributes
    ----------
    params : dict of str -> float
        Final parameters: ``w, b`` (the line) and, for a Gaussian fit, ``u, c`` (the log
        variance line).
    loss : ndarray of shape (steps + 1,)
        Mean training loss (Gaussian NLL or pinball loss).
    grad_norm : ndarray of shape (steps + 1,)
        Euclidean norm of the (sub)gradient over all parameters.
    trail : dict of str -> ndarray of shape (steps + 1,)
        Each parameter at each step.
    quantile : float or None
        The quantile of a :func:`fit_quantile_linear` run; None for a Gaussian fit.
    """

    params: dict
    loss: np.ndarray
    grad_norm: np.ndarray
    trail: dict
    quantile: float | None = None

    @property
    def steps(self) -> int:
        """Number of updates made."""
        return len(self.loss) - 1

    @property
    def w(self) -> float:
        return self.params["w"]

    @property
    def b(self) -> float:
        return self.params["b"]

    def predict(self, x):
        """The line ``w * x + b`` (the mean, or the quantile) at ``x``."""
        return self.params["w"] * _as_x(x, "predict") + self.params["b"]

    def var(self, x):
        """The predicted variance ``exp(u * x + c)`` at ``x`` (Gaussian fits only)."""
        if "u" not in self.params:
            raise ValueError("var: a quantile fit predicts no variance; use fit_gaussian_linear")
        return np.exp(self.params["u"] * _as_x(x, "var") + self.params["c"])

    def sigma(self, x):
        """The predicted standard deviation ``sqrt(var(x))`` (Gaussian fits only)."""
        return np.sqrt(self.var(x))


# ---------------------------------------------------------------------------------------------
# Validation (the same rules and wording as lossviz.training)
# ---------------------------------------------------------------------------------------------

def _as_x(x, fn):
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{fn}: x contains NaN or inf")
    return x


def _check_lr_steps(lr, steps, fn):
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"{fn}: lr must be a positive finite number, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"{fn}: steps must be an int >= 0, got {steps!r}")
    return float(lr), int(steps)


def _check_start(value, name, fn):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{fn}: {name} must be a finite number (a starting value), got {value!r}")
    return float(value)


def _check_xy(x, y, fn):
    x = np.asarray(x)
    y = np.asarray(y)
    for name, a in (("x", x), ("y", y)):
        if a.dtype.kind not in "biuf":
            raise TypeError(f"{fn}: {name} must hold real numbers, got dtype {a.dtype}")
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"{fn}: x must have shape (n,) with n >= 2 (one feature), got "
                         f"{x.shape}")
    if y.shape != x.shape:
        raise ValueError(f"{fn}: y must have shape {x.shape} to match x, got {y.shape}")
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    for name, a in (("x", x), ("y", y)):
        if not np.all(np.isfinite(a)):
            bad = int(np.flatnonzero(~np.isfinite(a))[0])
            raise ValueError(f"{fn}: {name} contains NaN or inf (first at index {bad}); drop "
                             f"or fix those points")
    if np.ptp(x) == 0:
        raise ValueError(f"{fn}: every x is {x[0]:g}; a line needs at least two different x")
    return x, y


def _check_quantile(quantile, fn):
    if isinstance(quantile, bool) or not isinstance(quantile, numbers.Real) \
            or not 0 < quantile < 1:
        raise ValueError(f"{fn}: quantile must be a number strictly between 0 and 1 (e.g. 0.05, "
                         f"0.5, 0.95), got {quantile!r}")
    return float(quantile)


# ---------------------------------------------------------------------------------------------
# The loop
# ---------------------------------------------------------------------------------------------

def _descend(names, start, loss_and_grads, *, lr, steps, progress, fn, schedule=None,
             quantile=None):
    """Full-batch (sub)gradient descent on the parameters ``names``; returns a :class:`Fit`."""
    params = np.array(start, dtype=np.float64)
    losses = np.empty(steps + 1)
    norms = np.empty(steps + 1)
    trail = np.empty((steps + 1, len(names)))
    report_every = max(steps // 10, 1)
    for t in range(steps + 1):
        loss, grads = loss_and_grads(params)
        losses[t] = loss
        norms[t] = np.sqrt(np.sum(grads * grads))
        trail[t] = params
        if progress and (t % report_every == 0 or t == steps):
            print(f"{fn}: step {t:>{len(str(steps))}}/{steps}  loss {loss:.4f}")
        if t == steps:
            break
        step = lr if schedule is None else lr * schedule(t)
        params -= step * grads
    if not np.all(np.isfinite(losses)):
        first = int(np.flatnonzero(~np.isfinite(losses))[0])
        raise FloatingPointError(f"{fn}: the loss became {losses[first]} at step {first}; lr = "
                                 f"{lr:g} is too large for these data: try lr / 10")
    return Fit(params={k: float(v) for k, v in zip(names, params, strict=True)},
               loss=losses, grad_norm=norms,
               trail={k: trail[:, i].copy() for i, k in enumerate(names)}, quantile=quantile)


# ---------------------------------------------------------------------------------------------
# Gaussian: a mean line and a log-variance line
# ---------------------------------------------------------------------------------------------

def fit_gaussian_linear(x, y, *, lr=0.1, steps=1000, w0=0.0, b0=0.0, u0=0.0, c0=0.0,
                        fit_var_slope=True, progress=False):
    r"""Fit a mean line and a noise level that changes with x, by the Gaussian NLL.

    The model predicts, for each x, a Gaussian with

    .. math:: \mu(x) = w x + b, \qquad \log \sigma^2(x) = u x + c,

    and the parameters minimise the mean Gaussian negative log-likelihood
    ``lossviz.gaussian_nll(mu, y, var)`` (``F.gaussian_nll_loss`` with ``full=False``):
    :math:`\frac1n\sum_i \tfrac12\big(\log\sigma_i^2 + (y_i - \mu_i)^2/\sigma_i^2\big)`.
    Predicting the *log* variance keeps the variance positive for any parameters.

    Parameters
    ----------
    x : array_like of shape (n,)
        One feature; the fit is best conditioned when x is roughly centred and of unit scale
        (:func:`lossviz.data.noisy_line` draws it on [-1, 1]).
    y : array_like of shape (n,)
        Targets.
    lr : float, default 0.1
        Learning rate.
    steps : int, default 1000
        Number of updates.
    w0, b0, u0, c0 : float, default 0.0
        Starting parameters (c0 = 0: variance 1 everywhere). Starting from the least-squares
        line and ``c0 = log(MSE)`` saves most of the steps.
    fit_var_slope : bool, default True
        False keeps ``u`` at ``u0``: with ``u0 = 0`` that is one noise level for every x, the
        assumption of plain MSE (the mean line is then the least-squares line and
        :math:`\sigma^2` its MSE).
    progress : bool, default False
        Print the loss every ``steps // 10`` updates.

    Returns
    -------
    Fit
        ``params`` ``{"w", "b", "u", "c"}``; ``fit.predict(x)`` is the mean, ``fit.sigma(x)``
        the standard deviation.

    Notes
    -----
    With :math:`(g_\mu, g_v)` = ``gaussian_nll_grad(mu, y, var)``, the gradients of the mean
    NLL with respect to each :math:`\mu_i` and :math:`\sigma_i^2`
    (:math:`g_{\mu,i} = (\mu_i - y_i)/(n\sigma_i^2)`,
    :math:`g_{v,i} = \big(1 - (y_i - \mu_i)^2/\sigma_i^2\big)/(2n\sigma_i^2)`), the chain rule
    through :math:`\sigma_i^2 = e^{s_i}` with :math:`s_i = u x_i + c` gives
    :math:`\partial L/\partial s_i = g_{v,i}\,\sigma_i^2`, and then

    .. math:: \frac{\partial L}{\partial w} = \sum_i g_{\mu,i} x_i,\quad
              \frac{\partial L}{\partial b} = \sum_i g_{\mu,i},\quad
              \frac{\partial L}{\partial u} = \sum_i \frac{\partial L}{\partial s_i} x_i,\quad
              \frac{\partial L}{\partial c} = \sum_i \frac{\partial L}{\partial s_i}.

    :math:`\partial L/\partial s_i = \tfrac{1}{2n}\big(1 - r_i^2/\sigma_i^2\big)` is zero when
    the predicted variance equals the squared residual: the NLL pulls each
    :math:`\sigma_i` towards :math:`|y_i - \mu_i|`.

    Examples
    --------
    >>> from lossviz import data
    >>> x, y = data.noisy_line(400, seed=1)   # sigma(x) = 0.5 exp(x): u = 2, c = 2 log 0.5
    >>> fit = fit_gaussian_linear(x, y, steps=2000)
    >>> print({k: round(v, 2) for k, v in fit.params.items()})
    {'w': 1.91, 'b': 0.95, 'u': 2.2, 'c': -1.31}
    """
    fn = "fit_gaussian_linear"
    lr, steps = _check_lr_steps(lr, steps, fn)
    x, y = _check_xy(x, y, fn)
    start = [_check_start(v, name, fn) for v, name in ((w0, "w0"), (b0, "b0"), (u0, "u0"),
                                                       (c0, "c0"))]
    if not isinstance(fit_var_slope, bool):
        raise TypeError(f"{fn}: fit_var_slope must be True or False, got {fit_var_slope!r}")
    if progress not in (True, False):
        raise TypeError(f"{fn}: progress must be True or False, got {progress!r}")

    def loss_and_grads(params):
        w, b, u, c = params
        mu = w * x + b                                 # forward: the mean line
        s = u * x + c                                  # the log variance line
        # exp overflows above a log variance of ~709 and underflows to 0 below ~-745; data of
        # a sensible scale never get there, but a too-large lr can
        with np.errstate(over="ignore", under="ignore"):
            var = np.exp(s)
        if not (np.all(np.isfinite(var)) and np.all(var > 0)):
            raise FloatingPointError(
                f"{fn}: the predicted log variance reached {float(np.max(np.abs(s))):.3g}, so "
                f"exp() overflows or underflows; lr = {lr:g} is too large for these data (try "
                f"lr / 10), or rescale y")
        value = gaussian_nll(mu, y, var)
        g_mu, g_var = gaussian_nll_grad(mu, y, var)    # d loss / d mu, d loss / d var
        g_s = g_var * var                              # chain rule: d var / d s = var
        grads = np.array([g_mu @ x, g_mu.sum(),
                          g_s @ x if fit_var_slope else 0.0, g_s.sum()])
        return value, grads

    return _descend(("w", "b", "u", "c"), start, loss_and_grads, lr=lr, steps=steps,
                    progress=progress, fn=fn)


# ---------------------------------------------------------------------------------------------
# Quantile: a line under which a given fraction of the targets falls
# ---------------------------------------------------------------------------------------------

def fit_quantile_linear(x, y, *, quantile, lr=1.0, steps=1000, w0=0.0, b0=0.0, progress=False):
    r"""Fit the ``quantile`` line ``w * x + b`` by subgradient descent on the pinball loss.

    The pinball loss of a residual :math:`r = y - \hat y` is :math:`q\,r` when the target is
    above the line and :math:`(q - 1)\,r` when below: misses on the two sides cost
    :math:`q` and :math:`1 - q` per unit. Its minimiser puts a fraction :math:`q` of the
    targets below the line (the q-quantile), so the 0.05 and 0.95 lines bound a 90%
    prediction interval.

    Parameters
    ----------
    x : array_like of shape (n,)
        One feature (roughly centred and of unit scale works best).
    y : array_like of shape (n,)
        Targets.
    quantile : float
        q, strictly between 0 and 1 (keyword-only, as in :func:`lossviz.pinball_loss`).
    lr : float, default 1.0
        Initial step size. The pinball loss has a kink at every target, so its gradient does
        not shrink near the optimum; the step is decreased as ``lr / sqrt(1 + t / 100)`` at
        step t so the line settles instead of hopping across the kinks.
    steps : int, default 1000
    w0, b0 : float, default 0.0
        Starting line.
    progress : bool, default False

    Returns
    -------
    Fit
        ``params`` ``{"w", "b"}``, ``fit.quantile``; ``fit.predict(x)`` is the line.

    Notes
    -----
    With :math:`g` = ``pinball_loss_grad(y_hat, y, quantile=q)`` (:math:`g_i = -q/n` for a
    target above the line, :math:`(1 - q)/n` below), :math:`\partial L/\partial w = \sum_i
    g_i x_i` and :math:`\partial L/\partial b = \sum_i g_i`. :math:`\partial L/\partial b = 0`
    needs :math:`(1 - q)\,n_\text{below} = q\,n_\text{above}`, i.e. a fraction q below.

    Examples
    --------
    >>> from lossviz import data
    >>> x, y = data.noisy_line(400, noise_growth=0.0, seed=1)   # sigma = 0.5 everywhere
    >>> fit = fit_quantile_linear(x, y, quantile=0.95, steps=2000)
    >>> print(f"below the line: {np.mean(y <= fit.predict(x)):.3f}")
    below the line: 0.950
    """
    fn = "fit_quantile_linear"
    quantile = _check_quantile(quantile, fn)
    lr, steps = _check_lr_steps(lr, steps, fn)
    x, y = _check_xy(x, y, fn)
    start = [_check_start(w0, "w0", fn), _check_start(b0, "b0", fn)]
    if progress not in (True, False):
        raise TypeError(f"{fn}: progress must be True or False, got {progress!r}")

    def loss_and_grads(params):
        w, b = params
        y_hat = w * x + b                              # forward
        g = pinball_loss_grad(y_hat, y, quantile=quantile)   # a subgradient at the kinks
        return pinball_loss(y_hat, y, quantile=quantile), np.array([g @ x, g.sum()])

    return _descend(("w", "b"), start, loss_and_grads, lr=lr, steps=steps, progress=progress,
                    fn=fn, schedule=lambda t: 1.0 / np.sqrt(1.0 + t / _DECAY_STEPS),
                    quantile=quantile)


def coverage(y, lower, upper):
    """The fraction of targets inside ``[lower, upper]`` (bounds included).

    Parameters
    ----------
    y : array_like of shape (n,)
    lower, upper : array_like of shape (n,) or float
        The interval for each target; ``lower <= upper`` everywhere.

    Returns
    -------
    float

    Examples
    --------
    >>> coverage([1.0, 2.0, 5.0, 3.0], lower=0.0, upper=[2.0, 2.0, 4.0, 2.5])
    0.5
    """
    fn = "coverage"
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{fn}: y must have shape (n,) with n >= 1, got {y.shape}")
    lo = np.broadcast_to(np.asarray(lower, dtype=np.float64), y.shape) if np.ndim(lower) == 0 \
        else np.asarray(lower, dtype=np.float64)
    hi = np.broadcast_to(np.asarray(upper, dtype=np.float64), y.shape) if np.ndim(upper) == 0 \
        else np.asarray(upper, dtype=np.float64)
    for name, a in (("lower", lo), ("upper", hi)):
        if a.shape != y.shape:
            raise ValueError(f"{fn}: {name} must be a number or have shape {y.shape} like y, got "
                             f"{a.shape}")
    for name, a in (("y", y), ("lower", lo), ("upper", hi)):
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{fn}: {name} contains NaN or inf")
    if np.any(lo > hi):
        bad = int(np.flatnonzero(lo > hi)[0])
        raise ValueError(f"{fn}: lower > upper at index {bad} ({lo[bad]:g} > {hi[bad]:g}); pass "
                         f"the bounds in order")
    return float(np.mean((y >= lo) & (y <= hi)))
