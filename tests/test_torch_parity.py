"""PyTorch as an oracle: every lossviz function equals ``torch.nn.functional``'s, values and
autograd gradients, for every reduction, to ~1e-12 relative in float64.

A learner who moves from these notebooks to PyTorch must see the same numbers. torch is an
optional test dependency (CI installs the CPU wheel); without it this module is skipped, except
under CI=true, where a missing torch fails the collection.
"""

import os
import warnings

import numpy as np
import pytest

import lossviz as lv

if os.environ.get("CI", "").lower() == "true":
    import torch  # CI must run these: without torch, collecting this module fails here
else:
    torch = pytest.importorskip(
        "torch", reason="PyTorch is not installed: the parity tests use it as an optional oracle "
                        "(pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu)")
F = torch.nn.functional

pytestmark = pytest.mark.torch

REDUCTIONS = ["mean", "sum", "none"]
RTOL, ATOL = 1e-12, 1e-15


def close(actual, expected, rtol=RTOL, atol=ATOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    if np.ndim(atol) == 0:
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)
        return
    # an absolute tolerance per element (numpy's message cannot print an array atol)
    assert actual.shape == expected.shape
    bad = ~(np.abs(actual - expected) <= atol + rtol * np.abs(expected))
    assert not bad.any(), (f"at {np.argwhere(bad).tolist()}: lossviz {actual[bad]}, "
                           f"torch {expected[bad]}, atol {np.broadcast_to(atol, bad.shape)[bad]}")


def torch_value_and_grad(torch_fn, x, *args, **kwargs):
    """torch loss value and d(loss)/dx by autograd; for reduction="none" the gradient of the sum."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = torch_fn(xt, *args, **kwargs)
    (out.sum() if out.ndim else out).backward()
    return out.detach().numpy(), xt.grad.numpy()


def rounding_tolerance(z, reduction):
    """Absolute tolerance for losses computed from logits z: each of max(z, 0), z y and the
    log1p term is rounded to ~1 ulp of |z|, so a loss near 0 (a confident, correct prediction)
    is only known to ~1e-15 |z| absolutely -- in torch as in lossviz."""
    per = 1e-15 * np.maximum(1.0, np.abs(z))
    if reduction == "none":
        return per
    return per.sum() / (per.size if reduction == "mean" else 1)


def t64(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64)


def _rng(seed):
    return np.random.default_rng(seed)


# --------------------------------------------------------------------------------------------
# Regression
# --------------------------------------------------------------------------------------------

REGRESSION = [
    ("mse", F.mse_loss, {}, {}),
    ("mae", F.l1_loss, {}, {}),
    ("huber", F.huber_loss, {}, {}),
    ("huber", F.huber_loss, {"delta": 0.3}, {"delta": 0.3}),
    ("huber", F.huber_loss, {"delta": 2.5}, {"delta": 2.5}),
]


@pytest.mark.parametrize(("name", "torch_fn", "opts", "torch_opts"), REGRESSION,
                         ids=[f"{r[0]}{r[2]}" for r in REGRESSION])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_regression_losses(name, torch_fn, opts, torch_opts, reduction, seed):
    rng = _rng(seed)
    shape = [(7,), (3, 4), (2, 3, 2)][seed]
    y_pred = rng.normal(scale=2.0, size=shape)
    y_true = rng.normal(scale=2.0, size=shape)
    y_true.flat[0] = y_pred.flat[0]  # one error of exactly 0: MAE's kink, both take sign(0) = 0
    loss, grad = lv.LOSSES[name]
    expected, expected_grad = torch_value_and_grad(torch_fn, y_pred, t64(y_true),
                                                   reduction=reduction, **torch_opts)
    close(loss(y_pred, y_true, reduction=reduction, **opts), expected)
    close(grad(y_pred, y_true, reduction=reduction, **opts), expected_grad)


# --------------------------------------------------------------------------------------------
# Binary cross-entropy
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("soft", [False, True], ids=["hard-labels", "soft-labels"])
def test_binary_cross_entropy(reduction, seed, soft):
    rng = _rng(10 + seed)
    shape = [(8,), (3, 5), (2, 2, 3)][seed]
    p = rng.uniform(0.001, 0.999, size=shape)
    y = rng.uniform(0, 1, size=shape) if soft else (rng.random(shape) < 0.5).astype(float)
    expected, expected_grad = torch_value_and_grad(F.binary_cross_entropy, p, t64(y),
                                                   reduction=reduction)
    close(lv.binary_cross_entropy(p, y, reduction=reduction), expected)
    close(lv.binary_cross_entropy_grad(p, y, reduction=reduction), expected_grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("soft", [False, True], ids=["hard-labels", "soft-labels"])
def test_binary_cross_entropy_with_logits(reduction, seed, soft):
    rng = _rng(20 + seed)
    shape = [(8,), (3, 5), (2, 2, 3)][seed]
    z = rng.normal(scale=[1.0, 5.0, 30.0][seed], size=shape)
    y = rng.uniform(0, 1, size=shape) if soft else (rng.random(shape) < 0.5).astype(float)
    expected, expected_grad = torch_value_and_grad(F.binary_cross_entropy_with_logits, z, t64(y),
                                                   reduction=reduction)
    close(lv.binary_cross_entropy_with_logits(z, y, reduction=reduction), expected,
          atol=rounding_tolerance(z, reduction))
    close(lv.binary_cross_entropy_with_logits_grad(z, y, reduction=reduction), expected_grad)


# p exactly 0 and 1, and probabilities so close to them that torch's clamps act:
#   forward: log(p) and log(1 - p) are clamped at -100 (p < e^-100 = 3.7e-44 costs 100)
#   backward: (p - y) / max(p (1 - p), eps) with eps = 1e-12 -- as a float32 constant, so the
#   gradient at p = 0, y = 1 is -1 / float32(1e-12) = -1.000000004e12, not -1e12
EDGE_P = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1e-50, 1e-13, 1 - 1e-13, 0.5, 1e-300, 1e-40]
EDGE_Y = [1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_at_probabilities_zero_and_one_values(reduction):
    expected, _ = torch_value_and_grad(F.binary_cross_entropy, EDGE_P, t64(EDGE_Y),
                                       reduction=reduction)
    # p = 0, y = 1 -> 100 ; p = 1, y = 0 -> 100 ; p = y -> 0 ; p = 0, y = 0.5 -> 50
    if reduction == "none":
        np.testing.assert_array_equal(expected[:6], [100, 100, 0, 0, 50, 50])
    close(lv.binary_cross_entropy(EDGE_P, EDGE_Y, reduction=reduction), expected)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_at_probabilities_zero_and_one_gradients(reduction):
    # torch's convention (not the derivative of the clamped loss, which would be 0 at p = 0,
    # y = 1 and 1 at p = 0, y = 0): lossviz follows torch, so a learner sees the same number
    _, expected_grad = torch_value_and_grad(F.binary_cross_entropy, EDGE_P, t64(EDGE_Y),
                                            reduction=reduction)
    assert np.all(np.isfinite(expected_grad))
    close(lv.binary_cross_entropy_grad(EDGE_P, EDGE_Y, reduction=reduction), expected_grad)


# --------------------------------------------------------------------------------------------
# Cross-entropy: class indices and probability targets, with label smoothing
# --------------------------------------------------------------------------------------------

CE_SHAPES = [(6, 5), (1, 3), (4, 2), (5,)]  # (N, C) batches and an unbatched (C,) example


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CE_SHAPES, ids=str)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.35, 1.0])
def test_cross_entropy_index_targets(reduction, shape, label_smoothing):
    rng = _rng(sum(shape) + int(100 * label_smoothing))
    z = rng.normal(scale=3.0, size=shape)
    if len(shape) == 2:
        labels = rng.integers(0, shape[1], size=shape[0])
    else:
        labels = np.int64(rng.integers(0, shape[0]))
    opts = {"label_smoothing": label_smoothing, "reduction": reduction}
    expected, expected_grad = torch_value_and_grad(F.cross_entropy, z, torch.tensor(labels),
                                                   **opts)
    close(lv.cross_entropy(z, labels, **opts), expected)
    close(lv.cross_entropy_grad(z, labels, **opts), expected_grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CE_SHAPES, ids=str)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.35, 1.0])
def test_cross_entropy_probability_targets(reduction, shape, label_smoothing):
    rng = _rng(1000 + sum(shape) + int(100 * label_smoothing))
    z = rng.normal(scale=3.0, size=shape)
    q = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1] or None)
    opts = {"label_smoothing": label_smoothing, "reduction": reduction}
    expected, expected_grad = torch_value_and_grad(F.cross_entropy, z, t64(q), **opts)
    close(lv.soft_cross_entropy(z, q, **opts), expected)
    close(lv.soft_cross_entropy_grad(z, q, **opts), expected_grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_large_logits(reduction):
    # logits of +-1e4 and beyond: the same finite numbers as torch
    z = np.array([[1e4, 0.0, -1e4], [0.0, 1e6, 3.0], [-1e30, 1e30, 0.0], [1.0, 2.0, 3.0]])
    labels = np.array([2, 0, 1, 1])
    for ls in (0.0, 0.2):
        opts = {"label_smoothing": ls, "reduction": reduction}
        expected, expected_grad = torch_value_and_grad(F.cross_entropy, z, torch.tensor(labels),
                                                       **opts)
        close(lv.cross_entropy(z, labels, **opts), expected)
        close(lv.cross_entropy_grad(z, labels, **opts), expected_grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_large_logits(reduction):
    z = np.array([1e4, -1e4, 1e6, -1e30, 40.0, -40.0, 800.0, -800.0])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.25, 0.75])
    expected, expected_grad = torch_value_and_grad(F.binary_cross_entropy_with_logits, z, t64(y),
                                                   reduction=reduction)
    # a loss near 0 is known to ~1 ulp of |z| (torch itself gives 0 instead of
    # log1p(exp(-40)) = 4.25e-18 at z = -40, y = 0); test_extremes checks those exactly
    close(lv.binary_cross_entropy_with_logits(z, y, reduction=reduction), expected,
          atol=rounding_tolerance(z, reduction))
    close(lv.binary_cross_entropy_with_logits_grad(z, y, reduction=reduction), expected_grad)


# --------------------------------------------------------------------------------------------
# Every entry of lossviz.LOSSES against its torch counterpart
# --------------------------------------------------------------------------------------------


def _torch_reduce(per, reduction):
    return per.mean() if reduction == "mean" else per.sum() if reduction == "sum" else per


def torch_focal(z, y, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss written out in torch (torchvision is not a dependency)."""
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return _torch_reduce(loss, reduction)


def torch_brier(p, y, reduction="mean"):
    """Binary form: ((p - y)**2) element-wise; class form: ((p - onehot)**2) summed per row."""
    if y.dtype == torch.int64:
        y = F.one_hot(y, p.shape[-1]).to(torch.float64)
        return _torch_reduce(((p - y) ** 2).sum(-1), reduction)
    return _torch_reduce((p - y) ** 2, reduction)


def torch_kl_div(log_q, t, reduction="mean", log_target=False):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch: "mean" is not the KL divergence
        return F.kl_div(log_q, t, reduction=reduction, log_target=log_target)


TORCH_COUNTERPART = {
    "mse": F.mse_loss,
    "mae": F.l1_loss,
    "huber": F.huber_loss,
    "binary_cross_entropy": F.binary_cross_entropy,
    "binary_cross_entropy_with_logits": F.binary_cross_entropy_with_logits,
    "cross_entropy": F.cross_entropy,
    "soft_cross_entropy": F.cross_entropy,  # with probability targets
    "kl_div": torch_kl_div,
    "sigmoid_focal_loss": torch_focal,
    "brier_score": torch_brier,
}


def _registry_cases(name):
    """(first argument, target, options) per registered loss: typical inputs, several forms."""
    rng = _rng(sum(map(ord, name)))
    if name in ("mse", "mae", "huber"):
        return [(rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), {})]
    if name == "binary_cross_entropy":
        return [(rng.uniform(0.01, 0.99, size=7), rng.uniform(size=7), {})]
    if name == "binary_cross_entropy_with_logits":
        return [(rng.normal(scale=3.0, size=(2, 5)), (rng.random((2, 5)) < 0.5) * 1.0, {})]
    if name == "cross_entropy":
        return [(rng.normal(scale=2.0, size=(6, 4)), rng.integers(0, 4, size=6),
                 {"label_smoothing": ls}) for ls in (0.0, 0.1)]
    if name == "soft_cross_entropy":
        return [(rng.normal(scale=2.0, size=(6, 4)), rng.dirichlet(np.ones(4), size=6), {})]
    if name == "kl_div":
        log_q = np.log(rng.dirichlet(np.ones(4), size=5))
        t = rng.dirichlet(np.ones(4), size=5)
        t[1] = [0.5, 0.0, 0.5, 0.0]  # zeros in the target count 0
        return [(log_q, t, {}), (log_q, np.log(rng.dirichlet(np.ones(4), size=5)),
                                 {"log_target": True})]
    if name == "sigmoid_focal_loss":
        z, y = rng.normal(scale=2.0, size=(3, 4)), (rng.random((3, 4)) < 0.5) * 1.0
        y[0, :2] = [0.3, 0.8]  # soft labels too
        return [(z, y, {}), (z, y, {"alpha": -1.0, "gamma": 0.5}), (z, y, {"alpha": 0.9,
                                                                             "gamma": 3.0})]
    if name == "brier_score":
        return [(rng.uniform(size=(3, 4)), (rng.random((3, 4)) < 0.5) * 1.0, {}),
                (rng.dirichlet(np.ones(4), size=6), rng.integers(0, 4, size=6), {})]
    raise AssertionError(f"no torch parity inputs for registered loss {name!r}")


def test_every_registered_loss_has_a_torch_counterpart():
    assert set(TORCH_COUNTERPART) == set(lv.LOSSES)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(lv.LOSSES))
def test_every_registered_loss_matches_torch(name, reduction):
    loss, grad = lv.LOSSES[name]
    for x, y, opts in _registry_cases(name):
        y_torch = torch.tensor(y) if np.asarray(y).dtype.kind == "i" else t64(y)
        expected, expected_grad = torch_value_and_grad(TORCH_COUNTERPART[name], x, y_torch,
                                                       reduction=reduction, **opts)
        close(loss(x, y, reduction=reduction, **opts), expected)
        close(grad(x, y, reduction=reduction, **opts), expected_grad)


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_sigmoid_and_its_gradient(seed):
    z = _rng(40 + seed).normal(scale=[3.0, 300.0][seed], size=(4, 6))
    expected, expected_grad = torch_value_and_grad(torch.sigmoid, z)
    close(lv.sigmoid(z), expected)
    close(lv.sigmoid_grad(z), expected_grad)
    expected, _ = torch_value_and_grad(F.logsigmoid, z)
    close(lv.log_sigmoid(z), expected)


@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("seed", [0, 1])
def test_softmax_log_softmax_logsumexp(axis, seed):
    z = _rng(50 + seed).normal(scale=[3.0, 500.0][seed], size=(5, 4))
    zt = t64(z)
    close(lv.softmax(z, axis=axis), F.softmax(zt, dim=axis).numpy())
    close(lv.log_softmax(z, axis=axis), F.log_softmax(zt, dim=axis).numpy())
    close(lv.logsumexp(z, axis=axis), torch.logsumexp(zt, dim=axis).numpy())


def test_activations_one_dimensional():
    z = np.array([1000.0, 1.0, -3.0])
    zt = t64(z)
    close(lv.softmax(z), F.softmax(zt, dim=-1).numpy())
    close(lv.log_softmax(z), F.log_softmax(zt, dim=-1).numpy())
    close(lv.logsumexp(z), torch.logsumexp(zt, dim=-1).numpy())
