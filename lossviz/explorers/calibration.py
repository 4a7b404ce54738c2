"""Focal loss (notebook 10): how γ and α turn down the loss of the examples a model already gets.

:func:`focal_explorer`: the focal loss ``−α (1 − p_t)^γ log p_t`` of one positive example and
its gradient in the logit, against plain binary cross-entropy, over the probability ``p_t`` the
model gives the true class; markers and readouts at an easy (``p_t = 0.9``) and a hard
(``p_t = 0.1``) example. The explorer contract is in :mod:`lossviz.explorers._base`.
"""

from __future__ import annotations

import numpy as np

import lossviz as lv
from lossviz import plotting as lp
from lossviz.explorers._base import Explorer, _slider

_GAMMA_RANGE = (0.0, 5.0)
_ALPHA_RANGE = (0.05, 1.0)
EASY, HARD = 0.9, 0.1  # p_t of the two marked examples
_P_GRID = np.linspace(0.005, 0.995, 199)


def _logit(p):
    """The logit z with sigmoid(z) = p."""
    p = np.asarray(p, dtype=float)
    return np.log(p) - np.log1p(-p)  # log1p keeps 1 − p accurate near p = 0


def _sig(x):
    """Three significant digits with a real minus sign (gradients span 1 to 1e-6)."""
    return f"{float(x):.3g}".replace("-", "\u2212")


class FocalExplorer(Explorer):
    """See :func:`focal_explorer`."""

    title = "Focal loss: (1 − p)^γ turns down the examples the model already gets right"
    snapshot_margins_px = {"left": 74, "right": 14, "bottom": 56, "top": 58}

    def __init__(self, gamma=2.0, alpha=0.25):
        for name, v, (lo, hi) in (("gamma", gamma, _GAMMA_RANGE), ("alpha", alpha, _ALPHA_RANGE)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
                raise ValueError(f"focal_explorer: {name} must be a number in [{lo:g}, {hi:g}], "
                                 f"got {v!r}")
        self.z_grid = _logit(_P_GRID)
        self.ones = np.ones_like(_P_GRID)
        # plain BCE does not depend on the sliders: computed once
        self.bce = lv.binary_cross_entropy_with_logits(self.z_grid, self.ones, reduction="none")
        self.bce_grad = lv.binary_cross_entropy_with_logits_grad(self.z_grid, self.ones,
                                                                 reduction="none")
        self.z_marks = _logit(np.array([EASY, HARD]))
        controls = {
            "gamma": _slider(float(gamma), *_GAMMA_RANGE, 0.1,
                             "γ = focusing parameter (0: plain cross-entropy)", fmt=".1f"),
            "alpha": _slider(float(alpha), *_ALPHA_RANGE, 0.05,
                             "α = weight of the positive class (1: no weighting)"),
        }
        presets = {"BCE (γ = 0, α = 1)": {"gamma": 0.0, "alpha": 1.0},
                   "RetinaNet (γ = 2, α = 0.25)": {"gamma": 2.0, "alpha": 0.25},
                   "γ = 2, α = 1": {"gamma": 2.0, "alpha": 1.0},
                   "γ = 5, α = 1": {"gamma": 5.0, "alpha": 1.0}}
        super().__init__(controls, presets=presets)

    def _focal(self, z, gamma, alpha):
        ones = np.ones_like(z)
        loss = lv.sigmoid_focal_loss(z, ones, alpha=alpha, gamma=gamma, reduction="none")
        grad = lv.sigmoid_focal_loss_grad(z, ones, alpha=alpha, gamma=gamma, reduction="none")
        return loss, grad

    def _compute(self, values):
        gamma, alpha = float(values["gamma"]), float(values["alpha"])
        curve, curve_grad = self._focal(self.z_grid, gamma, alpha)
        marks, marks_grad = self._focal(self.z_marks, gamma, alpha)
        ones = np.ones(2)
        bce = lv.binary_cross_entropy_with_logits(self.z_marks, ones, reduction="none")
        bce_grad = lv.binary_cross_entropy_with_logits_grad(self.z_marks, ones,
                                                            reduction="none")
        scale = marks / bce  # α (1 − p_t)^γ, read off the two losses
        return {"gamma": gamma, "alpha": alpha, "curve": curve, "curve_grad": curve_grad,
                "focal_easy": float(marks[0]), "focal_hard": float(marks[1]),
                "grad_easy": float(marks_grad[0]), "grad_hard": float(marks_grad[1]),
                "bce_easy": float(bce[0]), "bce_hard": float(bce[1]),
                "bce_grad_easy": float(bce_grad[0]), "bce_grad_hard": float(bce_grad[1]),
                "scale_easy": float(scale[0]), "scale_hard": float(scale[1]),
                # how many times more the hard example weighs than the easy one, relative
                # to plain cross-entropy: (1 − 0.1)^γ / (1 − 0.9)^γ = 9^γ
                "focus": float(scale[1] / scale[0])}

    def _draw(self, fig, state):
        ax_l, ax_g = fig.subplots(1, 2)
        # dotted guides at the two examples, kept clear of the texts and legends
        guides = {ax_l: {HARD: (0.0, 1.0), EASY: (0.0, 0.25)},
                  ax_g: {HARD: (0.0, 1.0), EASY: (0.45, 1.0)}}
        for ax in (ax_l, ax_g):
            ax.set_xlim(0.0, 1.0)
            ax.set_xlabel("p_t = probability of the true class")
            for p, (lo, hi) in guides[ax].items():
                ax.axvline(p, lo, hi, color=lp.COLORS["text"], linewidth=1, linestyle=":",
                           alpha=0.7, zorder=1)
        ax_l.set_ylim(0.0, 6.2)
        ax_l.set_ylabel("loss (nats)")
        ax_l.set_title("loss of a positive example (y = 1)")
        ax_l.plot(_P_GRID, self.bce, color=lp.COLORS["cross_entropy"], linestyle="--",
                  label="BCE", zorder=2)
        ax_l.plot([EASY, HARD], [self.bce[np.searchsorted(_P_GRID, EASY)],
                                 self.bce[np.searchsorted(_P_GRID, HARD)]],
                  linestyle="none", marker="o", markerfacecolor="white",
                  markeredgecolor=lp.COLORS["cross_entropy"], markeredgewidth=1.5, zorder=3)
        focal = lp.loss_curve(ax_l, _P_GRID, state["curve"], color=lp.COLORS["mse"],
                              label="focal loss")
        ax_l.legend(loc="center right", bbox_to_anchor=(1.0, 0.45))
        ax_g.set_ylim(-1.55, 0.12)
        ax_g.set_ylabel("∂loss/∂z (per unit logit)")
        ax_g.set_title("gradient in the logit z")
        ax_g.axhline(0.0, color=lp.COLORS["text"], linewidth=1, alpha=0.6, zorder=1)
        ax_g.plot(_P_GRID, self.bce_grad, color=lp.COLORS["cross_entropy"], linestyle="--",
                  label="BCE", zorder=2)
        focal_g = lp.loss_curve(ax_g, _P_GRID, state["curve_grad"], color=lp.COLORS["mse"],
                                label="focal loss", marker="D")
        ax_g.legend(loc="lower right")
        # No live text in the picture: new strings must be rasterised on every move (most of
        # a move's cost); the numbers are in the readout below the picture and in a
        # snapshot row's title.
        art = {"focal": focal, "focal_g": focal_g}
        self._update(art, state)
        return art

    def _moving(self, art):
        return [art["focal"].line, art["focal"].marker, art["focal_g"].line,
                art["focal_g"].marker]

    def _update(self, art, state):
        px = [EASY, HARD]
        art["focal"].line.set_data(_P_GRID, state["curve"])
        art["focal"].marker.set_data(px, [state["focal_easy"], state["focal_hard"]])
        art["focal_g"].line.set_data(_P_GRID, state["curve_grad"])
        art["focal_g"].marker.set_data(px, [state["grad_easy"], state["grad_hard"]])

    def _readout(self, state):
        keys = ("focal_easy", "focal_hard", "bce_easy", "bce_hard", "grad_easy", "grad_hard",
                "scale_easy", "scale_hard", "focus")
        return {k: state[k] for k in keys}

    def _describe(self, state):
        return (f"With γ = {state['gamma']:.1f} and α = {state['alpha']:.2f}, the focal loss of a "
                f"positive example is BCE times α(1 − p_t)^γ: {state['scale_hard']:.3g} for a hard "
                f"example (p_t = {HARD:g}, loss {state['focal_hard']:.4g} against BCE "
                f"{state['bce_hard']:.4f}) and {state['scale_easy']:.3g} for an easy one "
                f"(p_t = {EASY:g}, loss {state['focal_easy']:.4g} against "
                f"{state['bce_easy']:.4f}), so, relative to the easy example, the hard one weighs "
                f"{state['focus']:.3g} times what it weighs under plain cross-entropy; the "
                f"gradients in the logit are {_sig(state['grad_hard'])} (hard) and "
                f"{_sig(state['grad_easy'])} (easy).")

    def _readout_html(self, state):
        return (f"γ = <b>{state['gamma']:.1f}</b>, α = <b>{state['alpha']:.2f}</b> &nbsp;·&nbsp; "
                f"hard example (p_t = {HARD:g}): focal <b>{state['focal_hard']:.4g}</b> vs BCE "
                f"{state['bce_hard']:.4f} (× <b>{state['scale_hard']:.3g}</b>) &nbsp;·&nbsp; "
                f"easy example (p_t = {EASY:g}): focal <b>{state['focal_easy']:.4g}</b> vs BCE "
                f"{state['bce_easy']:.4f} (× <b>{state['scale_easy']:.3g}</b>)<br>"
                f"relative to the easy example, the hard one weighs <b>{state['focus']:.3g}×</b> "
                f"what it weighs under BCE (9^γ) &nbsp;·&nbsp; ∂loss/∂z: hard "
                f"<b>{_sig(state['grad_hard'])}</b>, easy <b>{_sig(state['grad_easy'])}</b>")

    def _title(self, state):
        return (f"γ = {state['gamma']:g}, α = {state['alpha']:g}: focal / BCE = "
                f"{state['scale_hard']:.3g} at p_t = {HARD:g}, {state['scale_easy']:.3g} at "
                f"p_t = {EASY:g}")


def focal_explorer(gamma=2.0, alpha=0.25):
    """Slide the focal loss's γ and α and compare it with binary cross-entropy.

    Draws, for one positive example (y = 1) over the probability ``p_t`` the model gives it,
    binary cross-entropy ``−log p_t`` and the focal loss ``−α (1 − p_t)^γ log p_t``
    (:func:`lossviz.sigmoid_focal_loss`, torchvision's definition), and both gradients with
    respect to the logit. Markers sit at a hard (``p_t = 0.1``) and an easy (``p_t = 0.9``)
    example; the readout gives the factor ``α (1 − p_t)^γ`` by which focal loss scales each.
    For a positive example α = 1 is the same as torchvision's ``alpha=-1`` (no weighting).

    Parameters
    ----------
    gamma : float in [0, 5], default 2.0
    alpha : float in [0.05, 1], default 0.25

    Returns
    -------
    Explorer
        Controls ``"gamma"`` and ``"alpha"``; presets; readout ``"focal_easy"``,
        ``"focal_hard"``, ``"bce_easy"``, ``"bce_hard"``, ``"grad_easy"``, ``"grad_hard"``,
        ``"scale_easy"``, ``"scale_hard"`` (focal / BCE) and ``"focus"``
        (``scale_hard / scale_easy`` = 9^γ).

    Examples
    --------
    >>> ex = focal_explorer(gamma=2.0, alpha=1.0)
    >>> r = ex.readout  # (1 − 0.9)² = 0.01 and (1 − 0.1)² = 0.81; 0.81 / 0.01 = 81 = 9²
    >>> print(f"{r['scale_easy']:.4f} {r['scale_hard']:.4f} {r['focus']:.1f}")
    0.0100 0.8100 81.0
    """
    return FocalExplorer(gamma, alpha)
