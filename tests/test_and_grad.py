"""The fused *_and_grad functions return exactly what the separate calls return."""

import numpy as np
import pytest

import lossviz as lv

REDUCTIONS = ["mean", "sum", "none"]


def _inputs(name, rng, dtype):
    if name == "mse":
        return rng.normal(size=(7, 3)).astype(dtype), rng.normal(size=(7, 3)).astype(dtype), {}
    if name == "binary_cross_entropy_with_logits":
        z = (rng.normal(size=(7, 3)) * 30).astype(dtype)  # includes saturated logits
        return z, rng.uniform(size=(7, 3)).astype(dtype), {}
    return (rng.normal(size=(7, 5)) * 10).astype(dtype), rng.integers(0, 5, size=7), {
        "label_smoothing": 0.1}


@pytest.mark.parametrize("name", sorted(lv.LOSSES))
def test_and_grad_registry_lists_exactly_the_fused_functions(name):
    # every registered loss with an exported lossviz.<name>_and_grad has it in AND_GRAD, and
    # AND_GRAD lists nothing else (kl_div, sigmoid_focal_loss, brier_score have no fused form)
    fused = getattr(lv, f"{name}_and_grad", None)
    assert lv.AND_GRAD.get(name) is fused
    assert (fused is not None) == (name in ("mse", "binary_cross_entropy_with_logits",
                                            "cross_entropy"))


def test_and_grad_names_are_registered_losses():
    assert set(lv.AND_GRAD) <= set(lv.LOSSES)


@pytest.mark.parametrize("name", sorted(lv.AND_GRAD))
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_and_grad_equals_separate_calls(name, reduction, dtype):
    x, y, opts = _inputs(name, np.random.default_rng(3), dtype)
    loss, grad = lv.LOSSES[name]
    value, g = lv.AND_GRAD[name](x, y, reduction=reduction, **opts)
    # Same kernels, same order of operations: equal to the last bit, same dtype.
    np.testing.assert_array_equal(value, loss(x, y, reduction=reduction, **opts))
    np.testing.assert_array_equal(g, grad(x, y, reduction=reduction, **opts))
    assert np.asarray(value).dtype == dtype and g.dtype == dtype


def test_and_grad_course_numbers():
    # MSE of [4, 2, 3] vs [3, 5, 2]: (1 + 9 + 1) / 3 = 11/3; gradient 2 * [1, -3, 1] / 3.
    value, g = lv.mse_and_grad([4, 2, 3], [3, 5, 2])
    assert value == pytest.approx(11 / 3, rel=1e-15)
    np.testing.assert_allclose(g, [2 / 3, -2.0, 2 / 3], rtol=1e-15)
    # CE of logits [2, 0.5, -1], class 0: log(e^2 + e^0.5 + e^-1) - 2 = 0.2413;
    # gradient softmax - onehot, whose entries sum to 0.
    value, g = lv.cross_entropy_and_grad([[2.0, 0.5, -1.0]], [0])
    assert value == pytest.approx(np.log(np.exp(2) + np.exp(0.5) + np.exp(-1)) - 2, rel=1e-14)
    assert f"{value:.4f}" == "0.2413"
    assert g.sum() == pytest.approx(0.0, abs=1e-15)
    # BCE with logits at z = 0, y = 1: log 2 = 0.6931; gradient sigmoid(0) - 1 = -0.5.
    value, g = lv.binary_cross_entropy_with_logits_and_grad([0.0], [1.0])
    assert value == pytest.approx(np.log(2), rel=1e-15)
    assert g.tolist() == [-0.5]


@pytest.mark.parametrize("name", sorted(lv.AND_GRAD))
def test_and_grad_refuses_bad_input_like_the_loss(name):
    fused = lv.AND_GRAD[name]
    with pytest.raises(ValueError, match="reduction"):
        fused([[0.0, 1.0]], [1] if name == "cross_entropy" else [[0.0, 1.0]], reduction="avg")
    with pytest.raises(ValueError, match="NaN"):
        fused([[np.nan, 1.0]], [1] if name == "cross_entropy" else [[0.0, 1.0]])
