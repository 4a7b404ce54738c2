"""lossviz: how wrong is the model right now?

A small NumPy package that computes the losses a learner meets first (mean
squared error and cross-entropy, with MAE and Huber beside them) and their
gradients, exactly, stably and strictly: the same numbers as PyTorch, never a
silent NaN, and a clear error for bad input. Beside them: entropy and KL
divergence (:mod:`lossviz.information`), the Brier score and the focal loss
(:mod:`lossviz.scoring`), and the Gaussian NLL and pinball loss for predicted
uncertainty (:mod:`lossviz.uncertainty`).

``import lossviz`` imports NumPy only. Pictures and sliders live in
submodules imported on demand: ``lossviz.plotting`` (matplotlib) and
``lossviz.explorers`` (ipywidgets); ``lossviz.exercises``, ``lossviz.training``
and ``lossviz.data`` support the notebooks.

Examples
--------
>>> import lossviz as lv
>>> print(f"{lv.mse([4, 2, 3], [3, 5, 2]):.4f}")
3.6667
>>> sorted(lv.LOSSES)[:3]
['binary_cross_entropy', 'binary_cross_entropy_with_logits', 'cross_entropy']
"""

from .activations import log_sigmoid, log_softmax, logsumexp, sigmoid, sigmoid_grad, softmax
from .classification import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_and_grad,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_and_grad,
    cross_entropy_grad,
    soft_cross_entropy,
    soft_cross_entropy_grad,
)
from .gradcheck import numerical_grad
from .information import entropy, kl_div, kl_div_grad
from .regression import huber, huber_grad, mae, mae_grad, mse, mse_and_grad, mse_grad
from .scoring import brier_score, brier_score_grad, sigmoid_focal_loss, sigmoid_focal_loss_grad
from .uncertainty import gaussian_nll, gaussian_nll_grad, pinball_loss, pinball_loss_grad

__version__ = "0.1.0"

#: Fused loss-and-gradient functions (validate once, share the work) for the
#: losses a training loop calls most; each returns exactly (loss, grad).
AND_GRAD = {
    "mse": mse_and_grad,
    "binary_cross_entropy_with_logits": binary_cross_entropy_with_logits_and_grad,
    "cross_entropy": cross_entropy_and_grad,
}

#: Every loss with its gradient: name -> (loss, loss_grad). Tests and the
#: slider explorers iterate over this.
LOSSES = {
    "mse": (mse, mse_grad),
    "mae": (mae, mae_grad),
    "huber": (huber, huber_grad),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_grad),
    "binary_cross_entropy_with_logits": (
        binary_cross_entropy_with_logits,
        binary_cross_entropy_with_logits_grad,
    ),
    "cross_entropy": (cross_entropy, cross_entropy_grad),
    "soft_cross_entropy": (soft_cross_entropy, soft_cross_entropy_grad),
}

#: The newer losses whose (loss, grad) take (first argument, target, *, reduction=...) like
#: those of :data:`LOSSES`: name -> (loss, loss_grad). They are kept apart because
#: the loss-curve explorer offers every entry of :data:`LOSSES` as a curve over one number.
#: Not here: entropy (one argument), gaussian_nll (three; its gradient is a pair) and
#: pinball_loss (needs ``quantile=``).
EXTRA_LOSSES = {
    "kl_div": (kl_div, kl_div_grad),
    "sigmoid_focal_loss": (sigmoid_focal_loss, sigmoid_focal_loss_grad),
    "brier_score": (brier_score, brier_score_grad),
}

__all__ = [
    "AND_GRAD",
    "EXTRA_LOSSES",
    "LOSSES",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_and_grad",
    "binary_cross_entropy_with_logits_grad",
    "brier_score",
    "brier_score_grad",
    "cross_entropy",
    "cross_entropy_and_grad",
    "cross_entropy_grad",
    "entropy",
    "gaussian_nll",
    "gaussian_nll_grad",
    "huber",
    "huber_grad",
    "kl_div",
    "kl_div_grad",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "mae",
    "mae_grad",
    "mse",
    "mse_and_grad",
    "mse_grad",
    "numerical_grad",
    "pinball_loss",
    "pinball_loss_grad",
    "sigmoid",
    "sigmoid_focal_loss",
    "sigmoid_focal_loss_grad",
    "sigmoid_grad",
    "soft_cross_entropy",
    "soft_cross_entropy_grad",
    "softmax",
]
