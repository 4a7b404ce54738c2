"""Small helpers shared by the loss modules: input pairing and reductions."""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_not_empty, check_reduction, check_same_shape


def float_pair(y_pred, y_true, fn: str, reduction: str, *, names=("y_pred", "y_true")):
    """Validate and convert a (prediction, target) pair of the same shape.

    The computation runs in the predictions' dtype (float32 stays float32);
    targets given as plain numbers or integers are converted to it, and a
    float64 target array promotes float32 predictions to float64.
    """
    check_reduction(reduction, fn)
    a = as_float_array(y_pred, names[0], fn)
    b = as_float_array(y_true, names[1], fn)
    if b.dtype != a.dtype:
        floating_target = np.asarray(y_true).dtype.kind == "f"
        dtype = np.result_type(a, b) if floating_target else a.dtype
        a = a.astype(dtype, copy=False)
        b = b.astype(dtype, copy=False)
    check_same_shape(a, b, names[0], names[1], fn)
    check_not_empty(a, names[0], fn, reduction)
    return a, b


def reduce(per_element: np.ndarray, reduction: str, count: int):
    """Apply a torch-style reduction; sums accumulate in float64 for accuracy."""
    if reduction == "none":
        return per_element
    dtype = per_element.dtype
    # np.add.reduce with a float64 accumulator: summing millions of float32
    # terms in float32 would lose several digits.
    total = np.add.reduce(per_element, axis=None, dtype=np.float64)
    if reduction == "mean":
        total = total / count
    return dtype.type(total)


def scale_grad(grad: np.ndarray, reduction: str, count: int) -> np.ndarray:
    """d(reduced loss)/d(input) from the element-wise derivative, in place."""
    if reduction == "mean":
        grad *= 1.0 / count  # a Python float keeps float32 arrays float32
    return grad
