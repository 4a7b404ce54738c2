"""The Gaussian view of MSE (notebook 06): NLL = MSE / (2σ²) + ½ log(2πσ²).

:func:`gaussian_explorer`: one target under a Gaussian model; the negative log-likelihood is
MSE / (2σ²) plus the constant ½ log(2πσ²), with the same minimiser for every σ. The explorer
contract is in :mod:`lossviz.explorers._base`.
"""

from __future__ import annotations

import math

import numpy as np

import lossviz as lv
from lossviz import plotting as lp
from lossviz.explorers._base import Explorer, _nice_top, _num, _slider

_GAUSS_SIGMA = (0.25, 3.0)  # slider range of σ (units of y)
_GAUSS_REACH = 4.0  # the prediction slider covers y_true ± this many units


def _gaussian_pdf(y, mean, sigma):
    """Normal density N(y; mean, sigma²), written out (no MSE inside)."""
    return np.exp(-((y - mean) ** 2) / (2.0 * sigma**2)) / math.sqrt(2.0 * math.pi * sigma**2)


class GaussianExplorer(Explorer):
    """See :func:`gaussian_explorer`."""

    title = "Gaussian view: the NLL is MSE / (2σ²) shifted by a constant"

    def __init__(self, y_true=3.0, y_pred=4.0, sigma=1.0):
        self.y_true = float(y_true)
        if not math.isfinite(self.y_true):
            raise ValueError(f"gaussian_explorer: y_true must be a finite number, got {y_true!r}")
        lo, hi = self.y_true - _GAUSS_REACH, self.y_true + _GAUSS_REACH
        if not (math.isfinite(float(y_pred)) and lo <= float(y_pred) <= hi):
            raise ValueError(f"gaussian_explorer: y_pred must lie in [{lo:g}, {hi:g}] "
                             f"(y_true ± {_GAUSS_REACH:g}), got {y_pred!r}")
        if not _GAUSS_SIGMA[0] <= float(sigma) <= _GAUSS_SIGMA[1]:
            raise ValueError(f"gaussian_explorer: sigma must lie in [{_GAUSS_SIGMA[0]:g}, "
                             f"{_GAUSS_SIGMA[1]:g}], got {sigma!r}")
        self.lo, self.hi = lo, hi
        # One grid serves both panels: values of y (left) and predictions ŷ (right).
        self.grid = np.linspace(lo, hi, 321)
        controls = {
            "y_pred": _slider(float(y_pred), lo, hi, 0.05,
                              f"prediction ŷ = centre of the bell (target y = {self.y_true:g})"),
            "sigma": _slider(float(sigma), *_GAUSS_SIGMA, 0.05,
                             "σ = assumed noise level (units of y)"),
        }
        presets = {"ŷ = 4, σ = 1": {"y_pred": self.y_true + 1.0, "sigma": 1.0},
                   "ŷ = 4, σ = 2": {"y_pred": self.y_true + 1.0, "sigma": 2.0},
                   "ŷ = y, σ = 0.5": {"y_pred": self.y_true, "sigma": 0.5}}
        if self.y_true != 3.0:  # name the presets by offset from the target instead
            presets = {"ŷ = y + 1, σ = 1": presets["ŷ = 4, σ = 1"],
                       "ŷ = y + 1, σ = 2": presets["ŷ = 4, σ = 2"],
                       "ŷ = y, σ = 0.5": presets["ŷ = y, σ = 0.5"]}
        super().__init__(controls, presets=presets)

    def _curves(self, y_hat, sigma):
        """Mean Gaussian NLL (from the density) and MSE / (2σ²) at each prediction in y_hat."""
        y_hat = np.asarray(y_hat, dtype=float)
        y = np.full_like(y_hat, self.y_true)
        # −log of the density itself; the slider ranges keep (y − ŷ)²/(2σ²) <= 128, so the
        # density never underflows to 0.
        nll = -np.log(_gaussian_pdf(y, y_hat, sigma))
        scaled = lv.mse(y_hat, y, reduction="none") / (2.0 * sigma**2)
        return nll, scaled

    def _compute(self, values):
        y_hat, sigma = float(values["y_pred"]), float(values["sigma"])
        nll, scaled = self._curves(np.array([y_hat]), sigma)
        curve_nll, curve_scaled = self._curves(self.grid, sigma)
        return {"y_pred": y_hat, "sigma": sigma,
                "bell": _gaussian_pdf(self.grid, y_hat, sigma),
                "likelihood": float(_gaussian_pdf(self.y_true, y_hat, sigma)),
                "nll": float(nll[0]), "scaled_mse": float(scaled[0]),
                "mse": float(lv.mse([y_hat], [self.y_true])),
                "constant": 0.5 * math.log(2.0 * math.pi * sigma**2),
                "curve_nll": curve_nll, "curve_scaled": curve_scaled}

    _shared_density_top = None

    @staticmethod
    def _density_top(sigma):
        """Top of the density axis for a bell of width ``sigma``: its peak at 65% of the height
        or lower (the text above it needs the rest), rounded up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5,
        6 or 8 times a power of ten."""
        return _nice_top(1.0 / math.sqrt(2.0 * math.pi * sigma**2) / 0.65)

    def snapshot(self, settings):
        # One density scale for every row, fitted to the tallest bell shown (not to the
        # slider's narrowest σ, as the live picture is), so the rows compare at a glance.
        rows = [settings] if isinstance(settings, dict) else list(settings)
        tops = [self._density_top(self._complete(s)["sigma"]) for s in rows]
        self._shared_density_top = max(tops, default=None)
        try:
            return super().snapshot(rows)
        finally:
            self._shared_density_top = None

    def _draw(self, fig, state):
        ax_d, ax_l = fig.subplots(1, 2)
        ax_d.set_xlim(self.lo, self.hi)
        # The live picture keeps one axis for every σ (the bell visibly flattens as σ grows);
        # a snapshot fits it to the bells it shows.
        ax_d.set_ylim(0.0, self._shared_density_top or self._density_top(_GAUSS_SIGMA[0]))
        ax_d.set_xlabel(f"value of y (units of y); blue line: observed y = {self.y_true:g}")
        ax_d.set_ylabel("density p(y | ŷ, σ) (1 / units of y)")
        ax_d.set_title("model: bell curve N(ŷ, σ²)")
        # up to just above the tallest bell, below the density text
        ax_d.axvline(self.y_true, ymax=0.72, color=lp.COLORS["target"], linewidth=2.5,
                     zorder=1)
        (bell,) = ax_d.plot(self.grid, state["bell"], color=lp.COLORS["prediction"], zorder=2)
        (lik,) = ax_d.plot([self.y_true], [state["likelihood"]], marker="o", linestyle="none",
                           color=lp.COLORS["prediction"], markeredgecolor=lp.COLORS["marker"],
                           markeredgewidth=1.5, zorder=4)
        lik_text = lp.corner_text(ax_d, "", loc="upper left")

        ax_l.set_xlim(self.lo, self.hi)
        # room below 0 for the gap's value, clear of the curves (the NLL dips to −0.47 at
        # most, at ŷ = y and the smallest σ)
        ax_l.set_ylim(-2.2, 8.0)
        ax_l.set_xlabel(f"prediction ŷ (units of y; target y = {self.y_true:g})")
        ax_l.set_ylabel("loss (nats)")
        ax_l.set_title("NLL vs MSE / (2σ²) over ŷ")
        # between the gap's text (bottom) and the legend (top)
        ax_l.axvline(self.y_true, ymin=0.18, ymax=0.7, color=lp.COLORS["target"], linewidth=1.5,
                     linestyle=":", zorder=1)
        ax_l.axhline(0.0, color=lp.COLORS["text"], linewidth=1, alpha=0.6, zorder=1)
        nll = lp.loss_curve(ax_l, self.grid, state["curve_nll"], color=lp.COLORS["cross_entropy"],
                            label="Gaussian NLL")
        scaled = lp.loss_curve(ax_l, self.grid, state["curve_scaled"], color=lp.COLORS["mse"],
                               label="MSE / (2σ²)")
        (gap,) = ax_l.plot([], [], color=lp.COLORS["text"], linewidth=2, marker="_",
                           markersize=14, zorder=3)
        # the gap's value in the lower right corner, below the curves, where neither a curve
        # nor a marker reaches whatever ŷ and σ are
        gap_text = lp.corner_text(ax_l, "", loc="lower right", size=lp.STYLE["font.size"] - 1,
                                  zorder=5)
        ax_l.legend(loc="upper center", frameon=True, framealpha=0.9, edgecolor="none")
        art = {"bell": bell, "lik": lik, "lik_text": lik_text, "nll": nll, "scaled": scaled,
               "gap": gap, "gap_text": gap_text}
        self._update(art, state)
        return art

    def _moving(self, art):
        return [art["bell"], art["lik"], art["lik_text"], art["nll"].line, *art["nll"].moving,
                art["scaled"].line, *art["scaled"].moving, art["gap"], art["gap_text"]]

    def _update(self, art, state):
        x = state["y_pred"]
        art["bell"].set_ydata(state["bell"])
        art["lik"].set_data([self.y_true], [state["likelihood"]])
        art["lik_text"].set_text(f"density at y = {state['likelihood']:.3f}\n"
                                 f"NLL = −log(density) = {_num(state['nll'])}")
        art["nll"].update(x, state["nll"], x=self.grid, y=state["curve_nll"])
        art["scaled"].update(x, state["scaled_mse"], x=self.grid, y=state["curve_scaled"])
        art["gap"].set_data([x, x], [state["scaled_mse"], state["nll"]])
        art["gap_text"].set_text(f"black bar: the gap ½log(2πσ²) = {_num(state['constant'])}")

    def _readout(self, state):
        return {"nll": state["nll"], "scaled_mse": state["scaled_mse"], "mse": state["mse"],
                "constant": state["constant"], "likelihood": state["likelihood"]}

    def _describe(self, state):
        return (f"A bell curve centred at the prediction ŷ = {state['y_pred']:.2f} with "
                f"σ = {state['sigma']:.2f} gives the target y = {self.y_true:g} a density of "
                f"{state['likelihood']:.3f}; its negative log, the NLL {_num(state['nll'])}, is "
                f"MSE/(2σ²) = {_num(state['scaled_mse'])} plus the constant ½log(2πσ²) = "
                f"{_num(state['constant'])}, and both loss curves bottom out at ŷ = y = "
                f"{self.y_true:g}.")

    def _readout_html(self, state):
        return (f"ŷ = {_num(state['y_pred'], 2)}, σ = {_num(state['sigma'], 2)} &nbsp;·&nbsp; "
                f"density p(y | ŷ, σ) = <b>{state['likelihood']:.3f}</b> &nbsp;·&nbsp; "
                f"NLL = −log p = <b>{_num(state['nll'])}</b><br>MSE = "
                f"<b>{_num(state['mse'])}</b> &nbsp;·&nbsp; MSE/(2σ²) = "
                f"<b>{_num(state['scaled_mse'])}</b> &nbsp;·&nbsp; NLL − MSE/(2σ²) = "
                f"½log(2πσ²) = <b>{_num(state['constant'])}</b> (does not depend on ŷ)")

    def _title(self, state):
        return (f"ŷ = {state['y_pred']:g}, σ = {state['sigma']:g}: NLL {_num(state['nll'])} = "
                f"MSE/(2σ²) {_num(state['scaled_mse'])} + ½log(2πσ²) "
                f"{_num(state['constant'])}")


def gaussian_explorer(y_true=3.0, y_pred=4.0, sigma=1.0):
    """Slide the prediction ŷ and the noise level σ of a Gaussian model of one target.

    The left panel draws the model's bell curve N(ŷ, σ²) and the density it gives the
    observed target y (the likelihood); the right panel draws, over every prediction, the
    Gaussian negative log-likelihood and MSE / (2σ²). They differ by the constant
    ½ log(2πσ²), whatever ŷ is, so they have the same minimiser ŷ = y for every σ.

    Parameters
    ----------
    y_true : float, default 3.0
        The observed target (the course's first target, predicted as 4).
    y_pred : float, default 4.0
        Starting prediction, within ``y_true ± 4``.
    sigma : float, default 1.0
        Starting noise level, in [0.25, 3].

    Returns
    -------
    Explorer
        Controls ``"y_pred"`` (y_true ± 4) and ``"sigma"`` (0.25..3); presets; readout
        ``"nll"``, ``"scaled_mse"`` (MSE / (2σ²)), ``"mse"``, ``"constant"`` (½ log(2πσ²))
        and ``"likelihood"`` (the density at y).

    Examples
    --------
    >>> ex = gaussian_explorer()
    >>> r = ex.readout  # (4 − 3)² / (2 · 1²) = 0.5;  ½ log(2π) = 0.9189
    >>> print(f"{r['scaled_mse']:.4f} + {r['constant']:.4f} = {r['nll']:.4f}")
    0.5000 + 0.9189 = 1.4189
    >>> ex.controls["sigma"].value = 2.0  # 1 / 8 = 0.125;  ½ log(8π) = 1.6121
    >>> print(f"{ex.readout['scaled_mse']:.4f} + {ex.readout['constant']:.4f}")
    0.1250 + 1.6121
    """
    return GaussianExplorer(y_true, y_pred, sigma)
