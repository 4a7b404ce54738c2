"""Slider explorers: move a prediction and watch the loss and its gradient respond.

Factories, each returning an :class:`Explorer` (the contract is in
:mod:`lossviz.explorers._base`):

- :func:`mse_explorer` (and :func:`house_price_explorer`): predictions vs targets, errors,
  squared errors and their shares, the MSE (module ``regression``).
- :func:`softmax_explorer`: cat/dog/bird logits -> softmax probabilities -> cross-entropy and
  its gradient (module ``classification``).
- :func:`confident_wrong_explorer`: one probability ``p`` for the true class; MSE and
  cross-entropy, and their gradients with respect to the logit (module ``classification``).
- :func:`loss_curve_explorer`: any loss of ``lossviz.LOSSES`` as a curve, with its gradient
  (module ``landscapes``).
- :func:`landscape_explorer` (notebook 04): where one gradient step takes cross-entropy and MSE
  on a logistic model's loss landscape (module ``landscapes``).
- :func:`gaussian_explorer` (notebook 06): one target under a Gaussian model; the negative
  log-likelihood is MSE / (2σ²) plus the constant ½ log(2πσ²), with the same minimiser for every
  σ (module ``probabilistic``).
- :func:`information_explorer` (notebook 09): drag the predicted cat/dog/bird distribution and
  see cross-entropy split into the entropy of the target H(t) and KL(t‖p), for a one-hot,
  label-smoothed or soft target (module ``information``).
- :func:`focal_explorer` (notebook 10): the focal loss of a positive example and its gradient
  against binary cross-entropy, as γ and α move (module ``calibration``).
- :func:`sigma_explorer` (notebook 11): one target, a predicted mean μ and a predicted σ; the
  Gaussian NLL over σ is lowest at σ = |y − μ| (module ``uncertainty``).
- :func:`outlier_explorer` (notebook 05): the MSE, MAE and Huber lines through house prices with
  outliers, and :func:`line_fits` (module ``outliers``).

In a notebook, show the live explorer and, beside it, a snapshot that reads without a kernel::

    from lossviz.explorers import confident_wrong_explorer
    ex = confident_wrong_explorer()
    ex                                                   # the live explorer (last expression)

    ex.snapshot([{"p": 0.9}, {"p": 0.6}, {"p": 0.01}])   # Models A, B, C as a static figure

A new explorer module: subclass ``Explorer`` (``from lossviz.explorers._base import Explorer``),
then add one import line below and its factory's name to ``__all__``.
"""

import ipywidgets as widgets  # noqa: F401  (``lossviz.explorers.widgets``: the tests use it)

from lossviz.explorers._base import (  # noqa: F401  (private names: the tests use them)
    Explorer,
    _control_range,
    _log_grid_origin,
)
from lossviz.explorers.calibration import FocalExplorer, focal_explorer  # noqa: F401
from lossviz.explorers.classification import (  # noqa: F401  (the classes, as before)
    ConfidentWrongExplorer,
    SoftmaxExplorer,
    confident_wrong_explorer,
    softmax_explorer,
)
from lossviz.explorers.information import InformationExplorer, information_explorer  # noqa: F401
from lossviz.explorers.landscapes import (  # noqa: F401
    LandscapeExplorer,
    LossCurveExplorer,
    _loss_and_grad,
    landscape_explorer,
    loss_curve_explorer,
)
from lossviz.explorers.outliers import OutlierExplorer, line_fits, outlier_explorer  # noqa: F401
from lossviz.explorers.probabilistic import GaussianExplorer, gaussian_explorer  # noqa: F401
from lossviz.explorers.regression import MSEExplorer, house_price_explorer, mse_explorer  # noqa: F401
from lossviz.explorers.uncertainty import SigmaExplorer, sigma_explorer  # noqa: F401
from lossviz.rendering import use_ipympl as _use_ipympl  # noqa: F401  (moved; tests use it)

__all__ = [
    "Explorer",
    "mse_explorer",
    "house_price_explorer",
    "softmax_explorer",
    "confident_wrong_explorer",
    "loss_curve_explorer",
    "gaussian_explorer",
    "line_fits",
    "outlier_explorer",
    "landscape_explorer",
    "information_explorer",
    "focal_explorer",
    "sigma_explorer",
]
