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
['binary_cross_entropy', 'binary_cross_entropy_with_logits', 'brier_score']
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

#: Every loss with its gradient: name -> (loss, loss_grad), each called as
#: ``loss(first, target, *, reduction=...)`` (first = predictions, probabilities, logits, or
#: for kl_div the log-probabilities of the prediction). Tests and the loss-curve explorer
#: iterate over this. Not here, because they are called differently: entropy (one argument,
#: no gradient), gaussian_nll (three arguments; its gradient is a pair) and pinball_loss
#: (needs ``quantile=``).
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
    "kl_div": (kl_div, kl_div_grad),
    "sigmoid_focal_loss": (sigmoid_focal_loss, sigmoid_focal_loss_grad),
    "brier_score": (brier_score, brier_score_grad),
}

__all__ = [
    "AND_GRAD",
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
