"""Information-theory view of cross-entropy: entropy and KL divergence.

Cross-entropy splits exactly into the target's entropy and the KL divergence
from the target to the prediction: H(t, p) = H(t) + KL(t || p). Both are in
nats (natural logarithms); divide by ln 2 for bits.

:func:`kl_div` follows ``torch.nn.functional.kl_div`` exactly, including its
argument order, which is a classic trap: the FIRST argument is the prediction
as LOG-probabilities, the second the target distribution as probabilities, and
the result is KL(target || prediction).
"""

from __future__ import annotations

import numpy as np

from ._checks import (
    REDUCTIONS,
    as_float_array,
    check_distribution_rows,
    check_finite,
    check_non_negative,
    check_reduction,
    ensure_finite_result,
    warn_at_caller,
)
from ._common import float_pair, reduce, scale_grad

__all__ = ["entropy", "kl_div", "kl_div_grad"]

KL_REDUCTIONS = (*REDUCTIONS, "batchmean")


def entropy(p):
    r"""Entropy of each probability distribution (row), in nats: H(p) = -sum_c p_c log p_c.

    Parameters
    ----------
    p : array_like
        Probabilities along the last axis: shape (C,) for one distribution or
        (..., C) for several. Each row must be non-negative and sum to 1
        (within max(1e-6, 4 C machine-epsilon)).

    Returns
    -------
    float or ndarray
        One entropy per row, shape ``p.shape[:-1]`` (a NumPy scalar for (C,)),
        in p's float dtype. Terms with p_c = 0 count 0 (the limit of p log p).
        Between 0 (one class certain) and log C (uniform).

    Notes
    -----
    .. math:: H(p) = -\sum_c p_c \log p_c

    In bits: ``entropy(p) / np.log(2)``.

    Examples
    --------
    >>> import lossviz as lv
    >>> print(f"{lv.entropy([0.5, 0.5]):.4f}")  # ln 2
    0.6931
    >>> print(lv.entropy([[1.0, 0.0, 0.0], [0.7, 0.2, 0.1]]).round(4))
    [0.     0.8018]
    """
    fn = "entropy"
    a = as_float_array(p, "p", fn)
    if a.ndim == 0 or a.shape[-1] == 0:
        raise ValueError(
            f"{fn}: p has shape {a.shape}, but it needs a class axis with at least one class: "
            "shape (C,) for one distribution or (N, C) for one per row."
        )
    check_distribution_rows(
        a, "p", fn,
        "Normalise the rows (p / p.sum(axis=-1, keepdims=True)); if they are logits, apply "
        "lossviz.softmax first.")
    with np.errstate(divide="ignore"):
        logp = np.log(np.where(a > 0, a, 1))  # 0 log 0 = 0: the log of 1 there is 0
    h = np.add.reduce(a * logp, axis=-1)
    h = np.negative(h) + 0.0  # + 0.0 turns -0.0 (a certain row) into 0.0
    return a.dtype.type(h) if h.ndim == 0 else h.astype(a.dtype, copy=False)


def _kl_inputs(input, target, fn, reduction, log_target):
    check_reduction(reduction, fn, KL_REDUCTIONS)
    if not isinstance(log_target, (bool, np.bool_)):
        raise TypeError(f"{fn}: log_target must be True or False, got {log_target!r}.")
    # the empty check is done here, for "mean" and "batchmean" alike
    a, b = float_pair(input, target, fn, "sum", names=("input", "target"))
    if a.size == 0 and reduction in ("mean", "batchmean"):
        raise ValueError(
            f"{fn}: input is empty (shape {a.shape}), and the {reduction} of no terms is "
            "undefined. Pass at least one element, or use reduction='sum' (which gives 0)."
        )
    if a.size and np.isneginf(a).any():
        raise ValueError(
            f"{fn}: input contains -inf, the log of a predicted probability 0. The KL divergence "
            "is then infinite wherever the target has mass, and 0 * -inf is undefined elsewhere. "
            "Compute input as log_softmax(logits) (never log(softmax(logits))), or clip the "
            "probabilities away from 0 before taking the log."
        )
    check_finite(a, "input", fn)
    check_finite(b, "target", fn)
    if not log_target:
        check_non_negative(
            b, "target", fn,
            "With log_target=False the target holds probabilities; if it holds "
            "log-probabilities, pass log_target=True.")
    _warn_if_not_log_probabilities(a, fn)
    return a, b


def _warn_if_not_log_probabilities(a: np.ndarray, fn: str) -> None:
    """Warn when ``input`` looks like probabilities (or anything but log-probabilities)."""
    if a.size == 0:
        return
    hi = a.max()
    if hi <= 0:
        return
    if (a.ndim >= 1 and a.shape[-1] >= 2 and a.min() >= 0 and hi <= 1
            and np.all(np.abs(a.reshape(-1, a.shape[-1]).sum(axis=1) - 1) <= 1e-6)):
        warn_at_caller(
            f"{fn}: every row of input lies in [0, 1] and sums to 1, so it looks like "
            "probabilities. kl_div(input, target) expects input = the prediction's "
            "LOG-probabilities (e.g. log_softmax(logits) or np.log(q)) and target = the "
            "target's probabilities, like torch.nn.functional.kl_div (which does not check); "
            "with probabilities as input the result is not KL(target || q) and can be "
            "negative. Pass np.log(q) as input.")
        return
    warn_at_caller(
        f"{fn}: input has positive values (largest {float(hi):g}), but log-probabilities are "
        "<= 0, so input is not the log of a distribution. Did you pass logits or scores? "
        "Pass log_softmax(logits) as input.")


def _kl_count(a: np.ndarray, reduction: str) -> int:
    if reduction == "batchmean":
        return a.shape[0] if a.ndim else 1  # torch: a 0-d input is not divided
    return a.size


def kl_div(input, target, *, reduction="mean", log_target=False):  # noqa: A002 (torch's name)
    r"""KL divergence KL(target || q) with ``input = log q``, like ``torch.nn.functional.kl_div``.

    Parameters
    ----------
    input : array_like
        The prediction q as LOG-probabilities (e.g. ``log_softmax(logits)``), any
        shape; every value finite.
    target : array_like
        The target distribution p, the same shape: probabilities (>= 0), or
        log-probabilities if ``log_target=True``.
    reduction : {"mean", "batchmean", "sum", "none"}, keyword-only
        As in PyTorch: "none" gives the element-wise terms; "sum" adds them;
        "batchmean" divides the sum by the batch size ``input.shape[0]`` (the
        KL divergence per example, the mathematically meaningful one); "mean"
        divides by the number of ELEMENTS (batch size times classes), which is
        not the KL divergence (PyTorch warns about it; lossviz keeps its value
        silently, as the default).
    log_target : bool, keyword-only
        Whether ``target`` is given as log-probabilities.

    Returns
    -------
    float or ndarray
        The reduced divergence, or the element-wise terms for "none".

    Warns
    -----
    UserWarning
        When ``input`` does not look like log-probabilities: every row lies in
        [0, 1] and sums to 1 (probabilities passed instead of their logs, the
        classic mistake), or any value is positive (e.g. logits).

    Raises
    ------
    ValueError
        Shapes differ; input holds -inf, NaN or inf; target is negative (with
        ``log_target=False``) or non-finite.

    Notes
    -----
    Element-wise, with :math:`\ell = ` ``input`` :math:`= \log q`:

    .. math:: \ell\text{-term} = p\,(\log p - \ell)\ (\text{0 where } p = 0), \qquad
              \frac{\partial}{\partial \ell} = -p

    (with ``log_target=True``, :math:`p = e^{\text{target}}`). Summed over
    classes this is :math:`\mathrm{KL}(p \,\|\, q) = \sum_c p_c \log(p_c / q_c)`
    = cross-entropy(p, q) - H(p). The target is not required to sum to 1.

    Examples
    --------
    >>> import numpy as np
    >>> import lossviz as lv
    >>> p, q = np.array([[0.7, 0.2, 0.1]]), np.array([[0.5, 0.3, 0.2]])
    >>> print(f"{lv.kl_div(np.log(q), p, reduction='batchmean'):.4f}")  # KL(p || q)
    0.0851
    >>> print(f"{np.sum(p * np.log(p / q)):.4f}")
    0.0851
    """
    fn = "kl_div"
    a, b = _kl_inputs(input, target, fn, reduction, log_target)
    if log_target:
        per = np.exp(b) * (b - a)
    else:
        pos = b > 0
        with np.errstate(divide="ignore"):
            per = np.where(pos, b * (np.log(np.where(pos, b, 1)) - a), 0).astype(a.dtype)
    if reduction == "batchmean":
        out = reduce(per, "mean", _kl_count(a, reduction))
    else:
        out = reduce(per, reduction, per.size)
    ensure_finite_result(out, fn, [("input", a), ("target", b)])
    return out


def kl_div_grad(input, target, *, reduction="mean", log_target=False):  # noqa: A002
    """Gradient of :func:`kl_div` with respect to ``input``: -target (or -exp(target)).

    Divided by the number of elements for "mean" and by ``input.shape[0]`` for
    "batchmean"; validation and warnings as in :func:`kl_div`.

    Examples
    --------
    >>> import numpy as np
    >>> import lossviz as lv
    >>> print(lv.kl_div_grad(np.log([[0.5, 0.5]]), [[0.75, 0.25]], reduction="batchmean"))
    [[-0.75 -0.25]]
    """
    fn = "kl_div_grad"
    a, b = _kl_inputs(input, target, fn, reduction, log_target)
    g = np.negative(np.exp(b) if log_target else b, dtype=a.dtype) + 0.0
    g = np.asarray(g, dtype=a.dtype)
    if reduction in ("mean", "batchmean"):
        g = scale_grad(g, "mean", _kl_count(a, reduction))
    return g
