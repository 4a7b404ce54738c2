"""Scores for predicted probabilities: the Brier score and the focal loss.

The Brier score is the squared error of probabilities (MSE on probabilities), a
proper scoring rule like log loss. The focal loss is binary cross-entropy on
logits with each term down-weighted by (1 - p_t)^gamma, so that easy,
confidently right examples count less (for a rare positive class).
"""

from __future__ import annotations

import numpy as np

from ._checks import (
    as_float_array,
    check_distribution_rows,
    check_finite,
    check_not_empty,
    check_real,
    check_reduction,
    check_unit_interval,
    class_labels,
    ensure_finite_result,
)
from ._common import float_pair, reduce, scale_grad
from .binary import _bce_logits_inputs, _sigmoid_pair, _softplus

__all__ = ["brier_score", "brier_score_grad", "sigmoid_focal_loss", "sigmoid_focal_loss_grad"]

_P_HINT = ("p must be probabilities. Did you pass logits (raw scores)? Apply lossviz.sigmoid "
           "(binary) or lossviz.softmax (classes) first.")
_Y_HINT = "Binary targets are labels 0 or 1 (or probabilities between them)."


# ---------------------------------------------------------------------------
# Brier score
# ---------------------------------------------------------------------------

def _brier_inputs(p, y_true, fn, reduction):
    """('binary', p, y, None) or ('classes', p2 (N, C), labels (N,), batch shape)."""
    check_reduction(reduction, fn)
    a = as_float_array(p, "p", fn)
    if y_true is None or isinstance(y_true, (str, bytes)):
        as_float_array(y_true, "y_true", fn)  # raises the TypeError naming y_true
    try:
        y_shape = np.shape(y_true)
    except (ValueError, TypeError):  # a ragged list
        as_float_array(y_true, "y_true", fn)  # raises the TypeError naming y_true
        raise
    if y_shape == a.shape:
        a, b = float_pair(a, y_true, fn, reduction, names=("p", "y_true"))
        # NaN passes the range checks (every comparison with it is False): refuse it first
        check_finite(a, "p", fn)
        check_finite(b, "y_true", fn)
        check_unit_interval(a, "p", fn, _P_HINT)
        check_unit_interval(b, "y_true", fn, _Y_HINT)
        return "binary", a, b, None
    if a.ndim >= 1 and y_shape == a.shape[:-1]:
        if a.shape[-1] == 0:
            raise ValueError(f"{fn}: p has shape {a.shape}: there must be at least one class.")
        t = class_labels(y_true, a.shape[-1], a.shape[:-1], fn)
        check_distribution_rows(
            a, "p", fn,
            "With class labels, each row of p must be a probability distribution over the "
            "classes: apply lossviz.softmax to logits first.")
        p2 = a.reshape(-1, a.shape[-1])
        check_not_empty(p2[:, 0], "p", fn, reduction)
        return "classes", p2, t.reshape(-1), a.shape[:-1]
    raise ValueError(
        f"{fn}: p has shape {a.shape} and y_true has shape {y_shape}. Pass either binary "
        "probabilities and 0/1 labels of the same shape, or probabilities of shape (N, C) "
        "(one row per example, summing to 1) with integer class labels of shape (N,)."
    )


def brier_score(p, y_true, *, reduction="mean"):
    r"""Brier score: squared error of predicted probabilities (lower is better).

    Parameters
    ----------
    p : array_like
        Either binary probabilities of class 1 (any shape, values in [0, 1]), or
        class probabilities of shape (N, C) (or (C,)) whose rows sum to 1.
    y_true : array_like
        For binary ``p``: labels 0/1 (or probabilities) of the same shape. For
        class probabilities: integer labels 0..C-1 of shape (N,) (or one integer).
    reduction : {"mean", "sum", "none"}, keyword-only
        "none" gives one term per element (binary) or per row (classes); "mean"
        averages them.

    Returns
    -------
    float or ndarray
        Binary: the mean of (p - y)^2, in [0, 1]. Classes: the mean over rows
        of :math:`\sum_c (p_c - \mathrm{onehot}(y)_c)^2`, in [0, 2] (the
        two-class form of a binary problem scores twice its binary form).

    Notes
    -----
    .. math:: \mathrm{BS} = \frac{1}{N}\sum_i \sum_c (p_{ic} - [y_i = c])^2, \qquad
              \frac{\partial\,\mathrm{BS}}{\partial p_{ic}} = \frac{2\,(p_{ic} - [y_i = c])}{N}

    The gradient treats the C probabilities as free numbers (it does not
    project onto the simplex).

    Examples
    --------
    >>> import lossviz as lv
    >>> print(f"{lv.brier_score([0.9, 0.2], [1, 1]):.3f}")  # ((0.1)^2 + (0.8)^2) / 2
    0.325
    >>> print(f"{lv.brier_score([[0.7, 0.2, 0.1]], [0]):.2f}")  # 0.3^2 + 0.2^2 + 0.1^2
    0.14
    """
    fn = "brier_score"
    kind, a, b, batch = _brier_inputs(p, y_true, fn, reduction)
    if kind == "binary":
        d = a - b
        per = d * d
    else:
        d = a.copy()
        d[np.arange(d.shape[0]), b] -= 1
        per = np.add.reduce(d * d, axis=1).reshape(batch)
    out = reduce(per, reduction, max(per.size, 1))
    ensure_finite_result(out, fn, [("p", a)])
    return out


def brier_score_grad(p, y_true, *, reduction="mean"):
    """Gradient of :func:`brier_score` with respect to ``p``: 2 (p - y) / n.

    n is the number of elements (binary) or rows (classes) for "mean".

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.brier_score_grad([[0.7, 0.2, 0.1]], [0]))
    [[-0.6  0.4  0.2]]
    """
    fn = "brier_score_grad"
    kind, a, b, batch = _brier_inputs(p, y_true, fn, reduction)
    if kind == "binary":
        g = np.subtract(a, b, out=np.empty_like(a))
        count = g.size
    else:
        g = a.copy()
        g[np.arange(g.shape[0]), b] -= 1
        count = g.shape[0]
        g = g.reshape(np.shape(p))
    g *= 2.0
    return scale_grad(g, reduction, max(count, 1))


# ---------------------------------------------------------------------------
# Sigmoid focal loss
# ---------------------------------------------------------------------------

def _focal_options(alpha, gamma, fn):
    alpha = check_real(alpha, "alpha", fn, hi=1.0,
                       hint="Use a weight in [0, 1] for the positive class (0.25 in the focal "
                            "loss paper), or a negative value such as -1 for no weighting.")
    gamma = check_real(gamma, "gamma", fn, lo=0.0,
                       hint="gamma >= 0 sets how strongly easy examples are down-weighted; "
                            "0 gives plain binary cross-entropy.")
    return alpha, gamma


def _focal_terms(z, y, alpha, gamma, *, loss, grad):
    """Per-element focal losses and/or gradients (see :func:`sigmoid_focal_loss`)."""
    s_pos, s_neg = _sigmoid_pair(z)  # sigma(z), sigma(-z) = 1 - sigma(z)
    ce = y * _softplus(-z) + (1 - y) * _softplus(z)  # -log p_t, no cancellation
    m = s_pos * (1 - y) + s_neg * y  # 1 - p_t
    mod = m**gamma  # 0 ** 0 = 1, as in torch
    at = None if alpha < 0 else alpha * y + (1 - alpha) * (1 - y)
    per = g = None
    if loss:
        per = ce * mod
        if at is not None:
            per *= at
    if grad:
        dce = (1 - y) * s_pos - y * s_neg  # sigma(z) - y
        g = dce * mod
        if gamma:
            # d(1 - p_t)/dz = sigma(z) sigma(-z) (1 - 2y); where 1 - p_t is 0 (saturated
            # logits) that factor is 0 too and the term is taken as 0 (its limit).
            pos = m > 0
            with np.errstate(divide="ignore", invalid="ignore"):
                m_pow = np.where(pos, np.where(pos, m, 1) ** (gamma - 1), 0)
            g += gamma * m_pow * (s_pos * s_neg * (1 - 2 * y)) * ce
        if at is not None:
            g *= at
        g = g.astype(z.dtype, copy=False)
    return per, g


def sigmoid_focal_loss(logits, y_true, *, alpha=0.25, gamma=2.0, reduction="none"):
    r"""Focal loss on logits, like ``torchvision.ops.sigmoid_focal_loss``.

    Parameters
    ----------
    logits : array_like
        Raw scores z (p = sigmoid(z)), any shape, finite.
    y_true : array_like
        Targets in [0, 1] (usually 0/1), the same shape.
    alpha : float <= 1, keyword-only
        Weight of the positive class (1 - alpha for the negative one); any
        negative value turns the weighting off, as in torchvision.
    gamma : float >= 0, keyword-only
        Focusing exponent; gamma = 0 (with alpha < 0) is binary cross-entropy.
    reduction : {"none", "mean", "sum"}, keyword-only
        Default "none", as in torchvision.

    Notes
    -----
    With :math:`p_t = p y + (1 - p)(1 - y)` and
    :math:`\alpha_t = \alpha y + (1 - \alpha)(1 - y)`:

    .. math:: \mathrm{FL} = \alpha_t\, (1 - p_t)^\gamma\, \mathrm{BCE}(z, y)

    computed as in torchvision but with :math:`1 - p_t` and the cross-entropy
    written without cancellation, so large logits give exact, finite values.

    Examples
    --------
    z = 0, y = 1: p_t = 0.5, so 0.25 * 0.5^2 * ln 2 = 0.0433; at z = 3 the right
    answer is easy (p_t = 0.953) and its loss shrinks by (1 - p_t)^2 = 0.0023.

    >>> import lossviz as lv
    >>> print(lv.sigmoid_focal_loss([0.0, 3.0], [1, 1]).round(6))
    [4.3322e-02 2.7000e-05]
    """
    fn = "sigmoid_focal_loss"
    alpha, gamma = _focal_options(alpha, gamma, fn)
    z, y, _, _ = _bce_logits_inputs(logits, y_true, fn, reduction)
    per, _ = _focal_terms(z, y, alpha, gamma, loss=True, grad=False)
    out = reduce(per.astype(z.dtype, copy=False), reduction, z.size)
    ensure_finite_result(out, fn, [("logits", z), ("y_true", y)])
    return out


def sigmoid_focal_loss_grad(logits, y_true, *, alpha=0.25, gamma=2.0, reduction="none"):
    r"""Gradient of :func:`sigmoid_focal_loss` with respect to the logits.

    .. math:: \frac{\partial\,\mathrm{FL}}{\partial z} = \alpha_t \left[(\sigma(z) - y)
              (1 - p_t)^\gamma + \gamma (1 - p_t)^{\gamma - 1}\,\sigma(z)\sigma(-z)(1 - 2y)\,
              \mathrm{BCE}\right]

    Examples
    --------
    >>> import lossviz as lv
    >>> print(lv.sigmoid_focal_loss_grad([0.0], [1], alpha=-1, gamma=0.0))  # sigma(0) - 1
    [-0.5]
    """
    fn = "sigmoid_focal_loss_grad"
    alpha, gamma = _focal_options(alpha, gamma, fn)
    z, y, _, _ = _bce_logits_inputs(logits, y_true, fn, reduction)
    _, g = _focal_terms(z, y, alpha, gamma, loss=False, grad=True)
    ensure_finite_result(g, fn, [("logits", z), ("y_true", y)])
    return scale_grad(g, reduction, g.size)
