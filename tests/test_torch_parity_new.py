"""PyTorch as the oracle for the losses of notebooks 09-11 and the new torch options.

Values and autograd gradients in float64, for every reduction and every option combination:
cross_entropy's weight x ignore_index x label_smoothing, the binary cross-entropies' weight x
pos_weight (in every broadcast shape torch documents), kl_div's log_target and "batchmean",
gaussian_nll's full and var shapes (including a var below eps), and torchvision's
sigmoid_focal_loss written out (torchvision is not a dependency) and differentiated by torch.

Without torch this module is skipped; under CI=true a missing torch is a collection error.
"""

import itertools
import math
import os
import warnings

import numpy as np
import pytest

import lossviz as lv

_WHY = ("PyTorch is not installed: the parity tests use it as an oracle "
        "(pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu)")
if os.environ.get("CI", "").lower() == "true":
    import torch  # CI must run these: without torch, collecting this module fails here
else:
    torch = pytest.importorskip("torch", reason=_WHY)
F = torch.nn.functional

pytestmark = pytest.mark.torch

REDUCTIONS = ["mean", "sum", "none"]
RTOL, ATOL = 1e-12, 1e-14


def close(actual, expected, rtol=RTOL, atol=ATOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def t64(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def backward(out):
    """Autograd of the loss; for reduction="none" the gradient of the sum (what *_grad gives)."""
    (out.sum() if out.ndim else out).backward()
    return out.detach().numpy()


# --------------------------------------------------------------------------------------------
# cross_entropy: weight x ignore_index x label_smoothing x reduction
# --------------------------------------------------------------------------------------------

CE_WEIGHTS = [None, [0.5, 2.0, 1.0, 0.25], [0.0, 1.0, 3.0, 1.0]]  # the last one has a 0 weight


def _ce_case(seed, ignore_index):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=2.0, size=(9, 4))
    y = rng.integers(0, 4, size=9)
    y[[0, 5]] = 1  # class 1 present at least twice (never all-zero weight below)
    if ignore_index == -100:
        y[[2, 7]] = -100  # two ignored rows
    return z, y


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.6, 1.0])
@pytest.mark.parametrize("ignore_index", [-100, 2, 7])  # -100 in the labels; 2 a real class; 7 none
@pytest.mark.parametrize("weight", CE_WEIGHTS, ids=["no-weight", "weight", "zero-weight"])
@pytest.mark.parametrize("seed", [0, 1])
def test_cross_entropy_options(seed, weight, ignore_index, label_smoothing, reduction):
    z, y = _ce_case(seed, ignore_index)
    opts = {"weight": weight, "ignore_index": ignore_index, "label_smoothing": label_smoothing,
            "reduction": reduction}
    zt = t64(z, grad=True)
    expected = backward(F.cross_entropy(
        zt, torch.tensor(y), weight=None if weight is None else t64(weight),
        ignore_index=ignore_index, label_smoothing=label_smoothing, reduction=reduction))
    close(lv.cross_entropy(z, y, **opts), expected)
    close(lv.cross_entropy_grad(z, y, **opts), zt.grad.numpy())
    value, grad = lv.cross_entropy_and_grad(z, y, **opts)
    close(value, expected)
    close(grad, zt.grad.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("label", [0, 2])
def test_cross_entropy_unbatched_with_weight(label, label_smoothing, reduction):
    # (C,) logits and one integer label, as torch's unbatched input
    z = np.array([0.3, -1.2, 2.0])
    w = [2.0, 0.5, 1.5]
    zt = t64(z, grad=True)
    expected = backward(F.cross_entropy(zt, torch.tensor(label), weight=t64(w),
                                        label_smoothing=label_smoothing, reduction=reduction))
    opts = {"weight": w, "label_smoothing": label_smoothing, "reduction": reduction}
    close(lv.cross_entropy(z, label, **opts), expected)
    close(lv.cross_entropy_grad(z, label, **opts), zt.grad.numpy())


@pytest.mark.parametrize("reduction", ["sum", "none"])
def test_cross_entropy_all_ignored_sum_and_none_are_zero_like_torch(reduction):
    z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    y = np.array([-100, -100])
    zt = t64(z, grad=True)
    expected = backward(F.cross_entropy(zt, torch.tensor(y), reduction=reduction))
    close(lv.cross_entropy(z, y, reduction=reduction), expected)
    close(lv.cross_entropy_grad(z, y, reduction=reduction), zt.grad.numpy())


def test_cross_entropy_all_ignored_mean_is_nan_in_torch_and_an_error_here():
    z = np.array([[1.0, 2.0, 0.5]])
    assert math.isnan(F.cross_entropy(t64(z), torch.tensor([-100])).item())
    with pytest.raises(ValueError, match="ignore_index"):
        lv.cross_entropy(z, [-100])


# --------------------------------------------------------------------------------------------
# binary cross-entropy: weight x pos_weight in torch's documented broadcast shapes
# --------------------------------------------------------------------------------------------

N, C = 5, 3
_W = np.random.default_rng(7).uniform(0.0, 2.0, size=(N, C))
WEIGHTS = {"none": None, "scalar": 0.7, "full": _W, "per-column": _W[0], "per-row": _W[:, :1],
           "row-vector": _W[:1]}
POS_WEIGHTS = {"none": None, "per-column": np.array([3.0, 0.5, 1.0]), "full": 2.0 * _W[::-1],
               "scalar": np.array(4.0)}


def _binary_case(seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3.0, size=(N, C))
    y = (rng.random((N, C)) < 0.5).astype(float)
    y[0] = rng.uniform(0, 1, size=C)  # one row of soft labels
    return z, y


def _opt(a):
    return None if a is None else t64(a)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", list(POS_WEIGHTS), ids=[f"pw-{k}" for k in POS_WEIGHTS])
@pytest.mark.parametrize("weight", list(WEIGHTS), ids=[f"w-{k}" for k in WEIGHTS])
@pytest.mark.parametrize("seed", [0, 1])
def test_bce_with_logits_weights(seed, weight, pos_weight, reduction):
    z, y = _binary_case(seed)
    w, pw = WEIGHTS[weight], POS_WEIGHTS[pos_weight]
    zt = t64(z, grad=True)
    expected = backward(F.binary_cross_entropy_with_logits(
        zt, t64(y), weight=_opt(w), pos_weight=_opt(pw), reduction=reduction))
    opts = {"weight": w, "pos_weight": pw, "reduction": reduction}
    close(lv.binary_cross_entropy_with_logits(z, y, **opts), expected)
    close(lv.binary_cross_entropy_with_logits_grad(z, y, **opts), zt.grad.numpy())
    value, grad = lv.binary_cross_entropy_with_logits_and_grad(z, y, **opts)
    close(value, expected)
    close(grad, zt.grad.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", list(WEIGHTS), ids=[f"w-{k}" for k in WEIGHTS])
def test_bce_on_probabilities_weights(weight, reduction):
    z, y = _binary_case(3)
    p = 1 / (1 + np.exp(-z))
    w = WEIGHTS[weight]
    pt = t64(p, grad=True)
    expected = backward(F.binary_cross_entropy(pt, t64(y), weight=_opt(w), reduction=reduction))
    close(lv.binary_cross_entropy(p, y, weight=w, reduction=reduction), expected)
    close(lv.binary_cross_entropy_grad(p, y, weight=w, reduction=reduction), pt.grad.numpy())


def test_bce_with_logits_pos_weight_at_large_logits():
    # |z| up to 40: sigma(-z) ~ 4e-18; the losses must keep their digits (no 1 - sigma)
    z = np.array([-40.0, -20.0, 20.0, 40.0, 35.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    pw = np.array([2.0, 3.0, 0.5, 1.5, 4.0])
    zt = t64(z, grad=True)
    expected = backward(F.binary_cross_entropy_with_logits(zt, t64(y), pos_weight=t64(pw),
                                                           reduction="none"))
    close(lv.binary_cross_entropy_with_logits(z, y, pos_weight=pw, reduction="none"), expected)
    close(lv.binary_cross_entropy_with_logits_grad(z, y, pos_weight=pw, reduction="none"),
          zt.grad.numpy())


# --------------------------------------------------------------------------------------------
# kl_div and entropy
# --------------------------------------------------------------------------------------------

def _kl_case(shape, seed, log_target):
    rng = np.random.default_rng(seed)
    log_q = np.log(rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]))
    p = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
    if not log_target:
        p.reshape(-1, shape[-1])[0, :2] = [0.0, 0.0]  # zeros in the target count 0
        p.reshape(-1, shape[-1])[0, 2:] /= p.reshape(-1, shape[-1])[0, 2:].sum()
        return log_q, p
    return log_q, np.log(p)


@pytest.mark.parametrize("reduction", [*REDUCTIONS, "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("shape", [(6, 4), (4,), (2, 3, 5)], ids=str)
def test_kl_div(shape, log_target, reduction):
    log_q, target = _kl_case(shape, sum(shape), log_target)
    xt = t64(log_q, grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch warns that "mean" is not the KL
        expected = backward(F.kl_div(xt, t64(target), reduction=reduction,
                                     log_target=log_target))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log-probabilities: lossviz does not warn
        close(lv.kl_div(log_q, target, reduction=reduction, log_target=log_target), expected)
        close(lv.kl_div_grad(log_q, target, reduction=reduction, log_target=log_target),
              xt.grad.numpy())


@pytest.mark.parametrize("reduction", ["batchmean", "sum", "mean"])
def test_kl_div_of_0d_input(reduction):
    # torch does not divide a 0-d input by a batch size for "batchmean"
    xt = t64(np.log(0.25), grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch warns that "mean" is not the KL
        expected = backward(F.kl_div(xt, t64(0.5), reduction=reduction))
    close(lv.kl_div(np.log(0.25), 0.5, reduction=reduction), expected)
    close(lv.kl_div_grad(np.log(0.25), 0.5, reduction=reduction), xt.grad.numpy())


def test_entropy_equals_torch_entr():
    rng = np.random.default_rng(11)
    p = rng.dirichlet(np.ones(5), size=(3, 4))
    p[0, 0] = [0.0, 0.5, 0.0, 0.5, 0.0]  # zeros count 0
    p[1, 1] = [1.0, 0.0, 0.0, 0.0, 0.0]  # certain: 0
    close(lv.entropy(p), torch.special.entr(t64(p)).sum(-1).numpy())


# --------------------------------------------------------------------------------------------
# gaussian_nll: full x var shapes x reduction, var below eps
# --------------------------------------------------------------------------------------------

def _gauss_case(seed, shape):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), rng.normal(size=shape)


_V = np.random.default_rng(5).uniform(0.05, 3.0, size=(4, 3))
VAR_CASES = {
    "same-shape": ((4, 3), _V),
    "last-axis-dropped": ((4, 3), _V[:, 0]),
    "last-axis-1": ((4, 3), _V[:, :1]),
    "first-axis-1": ((4, 3), _V[:1]),
    "below-eps": ((4, 3), np.where(np.arange(12).reshape(4, 3) % 4 == 0, 3e-8, _V)),
    "1d-same": ((6,), _V.ravel()[:6]),
    "3d-middle-axis-1": ((2, 3, 4), np.random.default_rng(6).uniform(0.1, 2.0, size=(2, 1, 4))),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("case", list(VAR_CASES))
def test_gaussian_nll(case, full, reduction):
    shape, var = VAR_CASES[case]
    y_pred, y_true = _gauss_case(len(case), shape)
    xt, vt = t64(y_pred, grad=True), t64(var, grad=True)
    expected = backward(F.gaussian_nll_loss(xt, t64(y_true), vt, full=full, reduction=reduction))
    opts = {"full": full, "reduction": reduction}
    close(lv.gaussian_nll(y_pred, y_true, var, **opts), expected)
    g_pred, g_var = lv.gaussian_nll_grad(y_pred, y_true, var, **opts)
    close(g_pred, xt.grad.numpy())
    # below eps the var-gradient is ~1e11 (the formula at eps, passed through the clamp)
    close(g_var, vt.grad.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gaussian_nll_python_float_var_and_eps(reduction):
    y_pred, y_true = _gauss_case(9, (5,))
    xt = t64(y_pred, grad=True)
    expected = backward(F.gaussian_nll_loss(xt, t64(y_true), 0.3, eps=0.5, reduction=reduction))
    close(lv.gaussian_nll(y_pred, y_true, 0.3, eps=0.5, reduction=reduction), expected)
    close(lv.gaussian_nll_grad(y_pred, y_true, 0.3, eps=0.5, reduction=reduction)[0],
          xt.grad.numpy())


# --------------------------------------------------------------------------------------------
# sigmoid_focal_loss: torchvision's formula, written out, differentiated by torch
# --------------------------------------------------------------------------------------------

def torchvision_sigmoid_focal_loss(inputs, targets, alpha, gamma, reduction):
    """torchvision.ops.sigmoid_focal_loss (v0.20), line by line."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("alpha", "gamma"), list(itertools.product(
    [0.25, -1.0, 0.0, 0.8, 1.0], [0.0, 0.5, 1.0, 2.0, 3.7])))
def test_sigmoid_focal_loss(alpha, gamma, reduction):
    z, y = _binary_case(4)  # includes a row of soft labels
    zt = t64(z, grad=True)
    expected = backward(torchvision_sigmoid_focal_loss(zt, t64(y), alpha, gamma, reduction))
    opts = {"alpha": alpha, "gamma": gamma, "reduction": reduction}
    close(lv.sigmoid_focal_loss(z, y, **opts), expected)
    close(lv.sigmoid_focal_loss_grad(z, y, **opts), zt.grad.numpy())


# --------------------------------------------------------------------------------------------
# brier_score and pinball_loss: their formulas in torch, differentiated by autograd
# --------------------------------------------------------------------------------------------

def _torch_reduce(per, reduction):
    return per.mean() if reduction == "mean" else per.sum() if reduction == "sum" else per


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_brier_score_classes(reduction):
    rng = np.random.default_rng(12)
    p = rng.dirichlet(np.ones(4), size=6)
    y = rng.integers(0, 4, size=6)
    pt = t64(p, grad=True)
    onehot = F.one_hot(torch.tensor(y), 4).to(torch.float64)
    expected = backward(_torch_reduce(((pt - onehot) ** 2).sum(-1), reduction))
    close(lv.brier_score(p, y, reduction=reduction), expected)
    close(lv.brier_score_grad(p, y, reduction=reduction), pt.grad.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_brier_score_binary(reduction):
    rng = np.random.default_rng(13)
    p, y = rng.uniform(size=(3, 4)), (rng.random((3, 4)) < 0.5).astype(float)
    pt = t64(p, grad=True)
    expected = backward(_torch_reduce((pt - t64(y)) ** 2, reduction))
    close(lv.brier_score(p, y, reduction=reduction), expected)
    close(lv.brier_score_grad(p, y, reduction=reduction), pt.grad.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("quantile", [0.05, 0.5, 0.9])
def test_pinball_loss(quantile, reduction):
    rng = np.random.default_rng(14)
    y_pred, y_true = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    y_true[0, :2] = y_pred[0, :2]  # exact ties: torch.maximum's autograd splits the gradient
    xt = t64(y_pred, grad=True)
    d = t64(y_true) - xt
    expected = backward(_torch_reduce(torch.maximum(quantile * d, (quantile - 1) * d),
                                      reduction))
    close(lv.pinball_loss(y_pred, y_true, quantile=quantile, reduction=reduction), expected)
    close(lv.pinball_loss_grad(y_pred, y_true, quantile=quantile, reduction=reduction),
          xt.grad.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weight", [None, [0.5, 2.0, 0.0, 1.5]], ids=["no-weight", "weight"])
def test_soft_cross_entropy_weight(weight, label_smoothing, reduction):
    # probability targets with class weights: "mean" divides by N, not by the weights
    rng = np.random.default_rng(15)
    z, t = rng.normal(scale=2.0, size=(5, 4)), rng.dirichlet(np.ones(4), size=5)
    zt = t64(z, grad=True)
    expected = backward(F.cross_entropy(zt, t64(t), weight=_opt(weight),
                                        label_smoothing=label_smoothing, reduction=reduction))
    opts = {"weight": weight, "label_smoothing": label_smoothing, "reduction": reduction}
    close(lv.soft_cross_entropy(z, t, **opts), expected)
    close(lv.soft_cross_entropy_grad(z, t, **opts), zt.grad.numpy())
