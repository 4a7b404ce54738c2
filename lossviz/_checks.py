"""Input validation shared by every public function.

Each check runs once, at the public entry, and raises an error whose message
names the argument, shows the offending value or shape, and says how to fix it.
Nothing is broadcast, clipped or renormalised behind the learner's back.
"""

from __future__ import annotations

import numbers
import os
import sys
import warnings

import numpy as np

REDUCTIONS = ("mean", "sum", "none")
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _inside_lossviz(filename: str) -> bool:
    path = os.path.abspath(filename)
    return path == _PACKAGE_DIR or path.startswith(_PACKAGE_DIR + os.sep)


def warn_at_caller(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` attributed to the first line outside lossviz: the learner's call, however
    deep inside lossviz the check runs (a fixed ``stacklevel`` points into lossviz when one entry
    point reaches the check through more helpers than another)."""
    frame, level = sys._getframe(0), 1
    while frame is not None and _inside_lossviz(frame.f_code.co_filename):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def _preview(a: np.ndarray, limit: int = 6) -> str:
    """A short, readable rendering of (part of) an array for error messages."""
    flat = np.asarray(a).ravel()
    items = ", ".join(f"{v:g}" if isinstance(v, (float, np.floating)) else str(v)
                      for v in flat[:limit].tolist())
    more = ", ..." if flat.size > limit else ""
    return f"[{items}{more}]"


def as_float_array(x, name: str, fn: str, *, dtype=None) -> np.ndarray:
    """Convert ``x`` to a float ndarray, refusing anything non-numeric.

    float32 and float64 arrays keep their dtype; integers, booleans, Python
    numbers and lists become float64, unless ``dtype`` asks for another one.
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(
            f"{fn}: {name} must be numbers (a number, list or NumPy array), "
            f"got {type(x).__name__} {x!r}."
        )
    try:
        a = np.asarray(x)
    except (ValueError, TypeError) as err:  # ragged lists and similar
        raise TypeError(
            f"{fn}: {name} could not be turned into a numeric array ({err}). "
            "Pass a number, a rectangular list of numbers, or a NumPy array."
        ) from None
    kind = a.dtype.kind
    if kind not in "biuf":
        raise TypeError(
            f"{fn}: {name} must hold real numbers, got an array of dtype {a.dtype} "
            f"(for example {_preview(a, 3)}). Convert it with np.asarray(..., dtype=float)."
        )
    if dtype is not None:
        return a.astype(dtype, copy=False)
    if a.dtype == np.float32 or a.dtype == np.float64:
        return a
    return a.astype(np.float64)


def first_bad_index(a: np.ndarray, bad: np.ndarray) -> str:
    idx = np.argwhere(bad)[0]
    return str(tuple(int(i) for i in idx)) if a.ndim else "()"


def check_finite(a: np.ndarray, name: str, fn: str) -> None:
    """Raise if ``a`` holds NaN or +-inf, pointing at the first one."""
    # Fast path: a finite sum proves every entry finite (any inf or NaN makes
    # the sum inf or NaN); only a non-finite sum needs the element-wise look.
    if a.size == 0 or np.isfinite(np.add.reduce(a, axis=None)):
        return
    bad = ~np.isfinite(a)
    if bad.any():
        what = "NaN" if np.isnan(a[bad]).any() else "an infinite value"
        count = int(bad.sum())
        raise ValueError(
            f"{fn}: {name} contains {what} ({count} non-finite value(s), first at index "
            f"{first_bad_index(a, bad)}). A loss needs finite numbers: find where the "
            "NaN/inf came from (missing data, a division by zero, an overflow) and "
            "remove or fix it before computing the loss."
        )


def ensure_finite_result(out, fn: str, inputs) -> None:
    """Cheap check after the computation: raise if the result is not finite.

    Summing the output costs one pass; only if that sum is not finite do we
    inspect the inputs, so a NaN in an input is reported as such and an
    overflow of finite inputs is reported as an overflow.
    """
    out = np.asarray(out)
    if out.size == 0:
        return
    total = out if out.ndim == 0 else np.add.reduce(out, axis=None)
    if np.isfinite(total):
        return
    for name, a in inputs:
        check_finite(a, name, fn)
    if not np.isfinite(out).all():
        raise ValueError(
            f"{fn}: the result overflowed {out.dtype} although the inputs are finite "
            f"(largest input magnitude {max(float(np.abs(a).max()) for _, a in inputs):g}). "
            "Rescale your values (e.g. work in thousands of dollars) or use float64."
        )


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str, fn: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{fn}: {name_a} has shape {a.shape} but {name_b} has shape {b.shape}. "
            "They must have exactly the same shape: lossviz never broadcasts, because "
            "broadcasting (3,) against (3, 1) silently compares every prediction with "
            f"every target. Reshape one of them, e.g. {name_a}.reshape({b.shape})."
        )


def check_reduction(reduction, fn: str, allowed=REDUCTIONS) -> str:
    if reduction not in allowed:
        if allowed == REDUCTIONS:
            raise ValueError(
                f"{fn}: reduction must be one of 'mean', 'sum' or 'none', got {reduction!r}. "
                "Use 'mean' for the average loss, 'sum' for the total, 'none' for one loss "
                "per element."
            )
        names = ", ".join(repr(r) for r in allowed)
        raise ValueError(f"{fn}: reduction must be one of {names}, got {reduction!r}.")
    return reduction


def check_not_empty(a: np.ndarray, name: str, fn: str, reduction: str) -> None:
    if a.size == 0 and reduction == "mean":
        raise ValueError(
            f"{fn}: {name} is empty (shape {a.shape}), and the mean of no losses is "
            "undefined. Pass at least one example, or use reduction='sum' (which gives 0)."
        )


def check_positive(value, name: str, fn: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a real number, got {value!r}.")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"{fn}: {name} must be a positive, finite number, got {value!r}. "
            f"Try {name}=1.0."
        )
    return float(value)


def check_label_smoothing(value, fn: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: label_smoothing must be a number in [0, 1], got {value!r}.")
    if not 0.0 <= value <= 1.0:
        raise ValueError(
            f"{fn}: label_smoothing must be in [0, 1], got {value!r}. "
            "0 means no smoothing; typical values are 0.05 to 0.1."
        )
    return float(value)


def check_unit_interval(a: np.ndarray, name: str, fn: str, hint: str) -> None:
    """Raise if any entry of ``a`` lies outside [0, 1] (NaN is left to the finite check)."""
    if a.size == 0:
        return
    lo, hi = a.min(), a.max()
    if lo < 0 or hi > 1:
        bad = (a < 0) | (a > 1)
        raise ValueError(
            f"{fn}: {name} must lie in [0, 1], but {int(bad.sum())} value(s) do not, "
            f"e.g. {_preview(a[bad])} (first at index {first_bad_index(a, bad)}). {hint}"
        )


def class_labels(y, n_classes: int, expected_shape: tuple, fn: str,
                 ignore_index=None) -> np.ndarray:
    """Validate integer class indices against the logits' class count and batch shape.

    Labels equal to ``ignore_index`` (if given) are allowed whatever their value.
    """
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(
            f"{fn}: y_true must be integer class indices, got {type(y).__name__} {y!r}."
        )
    try:
        t = np.asarray(y)
    except (ValueError, TypeError) as err:
        raise TypeError(f"{fn}: y_true could not be turned into an array ({err}).") from None
    if t.dtype.kind not in "iu":
        if t.dtype.kind == "f":
            fix = "Convert with y_true.astype(int) if they are whole numbers"
            fix += ("; if each row is a probability distribution, use soft_cross_entropy "
                    "instead." if "cross_entropy" in fn else ".")
        else:
            fix = "Pass integers 0..C-1, one per example."
        raise TypeError(
            f"{fn}: y_true must hold integer class indices, got dtype {t.dtype} "
            f"({_preview(t)}). {fix}"
        )
    if t.shape != expected_shape:
        if expected_shape == ():
            need = "a single integer class index (logits of shape (C,) are one example)"
        else:
            need = f"one class index per row of logits, shape {expected_shape}"
        raise ValueError(
            f"{fn}: y_true has shape {t.shape} but {need} was expected. "
            "Check that you pass one label per example."
        )
    bad = (t < 0) | (t >= n_classes)
    if ignore_index is not None:
        bad &= t != ignore_index
    if bad.any():
        also = "" if ignore_index is None else (
            f" Labels equal to ignore_index ({ignore_index}) are skipped; these are not.")
        raise ValueError(
            f"{fn}: y_true has class label(s) {sorted(set(t[bad].tolist()))} outside the "
            f"valid range 0..{n_classes - 1} (the logits have {n_classes} classes). "
            f"Labels are 0-based indices into the class axis.{also}"
        )
    return t.astype(np.intp, copy=False)


def check_logits_2d(z: np.ndarray, name: str, fn: str) -> None:
    if z.ndim == 0:
        raise ValueError(
            f"{fn}: {name} is a single number (0-d), but it needs a class axis: "
            "shape (C,) for one example or (N, C) for a batch. For a yes/no problem with "
            "one logit use binary_cross_entropy_with_logits."
        )
    if z.ndim > 2:
        raise ValueError(
            f"{fn}: {name} has shape {z.shape}; lossviz supports (C,) or (N, C). "
            "Reshape to (N, C), e.g. logits.reshape(-1, C)."
        )
    if z.shape[-1] == 0:
        raise ValueError(f"{fn}: {name} has shape {z.shape}: there must be at least one class.")


def check_real(value, name: str, fn: str, *, lo=None, hi=None, lo_open=False, hi_open=False,
               hint: str = "") -> float:
    """A finite real number (not a bool) within optional bounds; returns it as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a real number, got {value!r}. {hint}".rstrip())
    v = float(value)
    low_bad = lo is not None and (v <= lo if lo_open else v < lo)
    high_bad = hi is not None and (v >= hi if hi_open else v > hi)
    if not np.isfinite(v) or low_bad or high_bad:
        left = "(" if lo_open else "["
        right = ")" if hi_open or hi is None else "]"
        where = f"in {left}{'-inf' if lo is None else f'{lo:g}'}, " \
                f"{'inf' if hi is None else f'{hi:g}'}{right}"
        raise ValueError(f"{fn}: {name} must be a finite number {where}, got {value!r}. "
                         f"{hint}".rstrip())
    return v


def check_integer(value, name: str, fn: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be an integer, got {value!r}.")
    return int(value)


def check_non_negative(a: np.ndarray, name: str, fn: str, hint: str) -> None:
    """Raise if any entry of ``a`` is negative (NaN is left to the finite check)."""
    if a.size and a.min() < 0:
        bad = a < 0
        raise ValueError(
            f"{fn}: {name} must be non-negative, but {int(bad.sum())} value(s) are negative, "
            f"e.g. {_preview(a[bad])} (first at index {first_bad_index(a, bad)}). {hint}"
        )


def broadcast_weight(w, name: str, shape: tuple, dtype, fn: str) -> np.ndarray:
    """A finite, non-negative weight array broadcast (read-only) to ``shape``.

    Only torch's expand rule is allowed: the weight has at most as many axes as the
    input, and, aligning the last axes, each of its sizes equals the input's or is 1.
    The input's shape never grows.
    """
    a = as_float_array(w, name, fn).astype(dtype, copy=False)
    check_finite(a, name, fn)
    check_non_negative(a, name, fn, "Weights scale loss terms; use 0 to leave a term out.")
    ok = a.ndim <= len(shape) and all(
        ws in (1, s) for ws, s in zip(a.shape[::-1], shape[::-1], strict=False))
    if not ok:
        hint = ""
        if a.ndim == 1 and len(shape) >= 2 and a.shape[0] == shape[0]:
            row_shape = (shape[0],) + (1,) * (len(shape) - 1)
            hint = f" For one weight per row, pass shape {row_shape}, e.g. {name}[:, None]."
        raise ValueError(
            f"{fn}: {name} has shape {a.shape}, which cannot be broadcast to the input's shape "
            f"{shape}. As in PyTorch, shapes are aligned from the last axis and each of "
            f"{name}'s sizes must equal the input's or be 1 (a scalar, the full shape, or e.g. "
            f"one value per column with shape {shape[-1:]}).{hint}"
        )
    return np.broadcast_to(a, shape)


def check_distribution_rows(a: np.ndarray, name: str, fn: str, fix: str) -> None:
    """Raise unless every row (last axis) of ``a`` is non-negative and sums to 1.

    The tolerance is max(1e-6, 4 C eps) for C classes, eps the dtype's machine epsilon.
    """
    check_finite(a, name, fn)
    check_non_negative(a, name, fn, f"Each row of {name} must be a probability distribution.")
    if a.size == 0:
        return
    sums = a.reshape(-1, a.shape[-1]).sum(axis=1)
    tol = max(1e-6, 4 * a.shape[-1] * float(np.finfo(a.dtype).eps))
    off = np.abs(sums - 1) > tol
    if off.any():
        i = int(np.argmax(off))
        raise ValueError(
            f"{fn}: each row of {name} must sum to 1 (within {tol:.2g}), but {int(off.sum())} "
            f"row(s) do not (row {i} sums to {float(sums[i]):.6g}). {fix}"
        )
