"""Predicting a noise level (notebook 11): which σ does the Gaussian NLL want for one miss?

:func:`sigma_explorer`: one target y, a predicted mean μ and a predicted σ. The left panel
draws the predicted distribution N(μ, σ²) with its 95% interval μ ± 1.96σ and the target; the
right panel draws, over σ, the Gaussian negative log-likelihood of that one target,
``lossviz.gaussian_nll(μ, y, σ²)`` = ½ log σ² + (y − μ)² / (2σ²) (``full=False``, as
``F.gaussian_nll_loss``), and its two terms. Its minimum sits at σ = |y − μ|: a model that
predicts σ is pushed to predict the size of its own miss. The explorer contract is in
:mod:`lossviz.explorers._base`.
"""

from __future__ import annotations

import math

import numpy as np

import lossviz as lv
from lossviz import plotting as lp
from lossviz.explorers._base import Explorer, _num, _slider

__all__ = ["SigmaExplorer", "sigma_explorer"]

_SIGMA_RANGE = (0.25, 3.0)  # slider range of the predicted σ (units of y)
_MEAN_REACH = 3.0  # the mean slider covers y_true ± this many units
_Z95 = 1.959963984540054  # the 97.5% point of N(0, 1): μ ± 1.96σ holds 95% of the mass
_NLL_LIMITS = (-3.0, 9.0)  # the right panel's y range (nats)


def _gaussian_pdf(y, mean, sigma):
    """Normal density N(y; mean, sigma²)."""
    return np.exp(-((y - mean) ** 2) / (2.0 * sigma**2)) / math.sqrt(2.0 * math.pi * sigma**2)


class SigmaExplorer(Explorer):
    """See :func:`sigma_explorer`."""

    title = "Predicting σ: the Gaussian NLL is lowest at σ = |y − μ|"

    def __init__(self, y_true=3.0, y_pred=4.0, sigma=0.5):
        fn = "sigma_explorer"
        for name, v in (("y_true", y_true), ("y_pred", y_pred), ("sigma", sigma)):
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(v):
                raise ValueError(f"{fn}: {name} must be a finite number, got {v!r}")
        self.y_true = float(y_true)
        lo, hi = self.y_true - _MEAN_REACH, self.y_true + _MEAN_REACH
        if not lo <= float(y_pred) <= hi:
            raise ValueError(f"{fn}: y_pred must lie in [{lo:g}, {hi:g}] (y_true ± "
                             f"{_MEAN_REACH:g}), got {y_pred!r}")
        if not _SIGMA_RANGE[0] <= float(sigma) <= _SIGMA_RANGE[1]:
            raise ValueError(f"{fn}: sigma must lie in [{_SIGMA_RANGE[0]:g}, "
                             f"{_SIGMA_RANGE[1]:g}], got {sigma!r}")
        self.lo, self.hi = lo, hi
        self.y_grid = np.linspace(self.y_true - 5.0, self.y_true + 5.0, 301)
        self.sigma_grid = np.linspace(*_SIGMA_RANGE, 276)  # steps of 0.01
        controls = {
            "y_pred": _slider(float(y_pred), lo, hi, 0.05,
                              f"predicted mean μ (target y = {self.y_true:g})"),
            "sigma": _slider(float(sigma), *_SIGMA_RANGE, 0.05,
                             "predicted σ = the model's own noise estimate (units of y)"),
        }
        mu = self.y_true + 1.0
        presets = {"σ too small (0.5)": {"y_pred": mu, "sigma": 0.5},
                   "σ = |y − μ| = 1": {"y_pred": mu, "sigma": 1.0},
                   "σ too large (2.5)": {"y_pred": mu, "sigma": 2.5}}
        super().__init__(controls, presets=presets)

    # -- numbers (all from lossviz) ----------------------------------------------------------

    def _nll(self, mu, sigma):
        """Per-example Gaussian NLL of the target for each σ in ``sigma`` (array)."""
        sigma = np.asarray(sigma, dtype=float)
        return lv.gaussian_nll(np.full_like(sigma, mu), np.full_like(sigma, self.y_true),
                               sigma**2, reduction="none")

    def _compute(self, values):
        mu, sigma = float(values["y_pred"]), float(values["sigma"])
        r = self.y_true - mu
        nll = float(self._nll(mu, [sigma])[0])
        _, g_var = lv.gaussian_nll_grad([mu], [self.y_true], [sigma**2])
        best = abs(r)
        on_slider = min(max(best, _SIGMA_RANGE[0]), _SIGMA_RANGE[1])
        half = _Z95 * sigma
        return {
            "y_pred": mu, "sigma": sigma, "residual": r,
            "nll": nll,
            "fit_term": r**2 / (2.0 * sigma**2),
            "log_term": 0.5 * math.log(sigma**2),
            "grad_var": float(g_var[0]),
            "sigma_best": best,
            "sigma_best_on_slider": on_slider,
            "nll_best_on_slider": float(self._nll(mu, [on_slider])[0]),
            "lower": mu - half, "upper": mu + half,
            "inside": float(mu - half <= self.y_true <= mu + half),
            "bell": _gaussian_pdf(self.y_grid, mu, sigma),
            "density": float(_gaussian_pdf(self.y_true, mu, sigma)),
            "curve": self._nll(mu, self.sigma_grid),
            "curve_fit": r**2 / (2.0 * self.sigma_grid**2),
        }

    # -- picture -----------------------------------------------------------------------------

    def _draw(self, fig, state):
        ax_d, ax_l = fig.subplots(1, 2)
        ax_d.set_xlim(self.y_grid[0], self.y_grid[-1])
        top = 1.0 / math.sqrt(2.0 * math.pi * _SIGMA_RANGE[0] ** 2)  # the narrowest bell's peak
        ax_d.set_ylim(-0.16 * top, 1.55 * top)
        ax_d.set_xlabel(f"value of y (units of y); blue line: target y = {self.y_true:g}")
        ax_d.set_ylabel("density (1 / units of y)")
        ax_d.set_title("predicted distribution N(μ, σ²)")
        ax_d.axvline(self.y_true, ymax=0.66, color=lp.COLORS["target"], linewidth=2.5, zorder=1)
        ax_d.axhline(0.0, color=lp.COLORS["text"], linewidth=1, alpha=0.6, zorder=1)
        (bell,) = ax_d.plot(self.y_grid, state["bell"], color=lp.COLORS["prediction"], zorder=2)
        # the 95% interval μ ± 1.96σ as a bar below the axis line
        (band,) = ax_d.plot([], [], color=lp.COLORS["prediction"], linewidth=5,
                            solid_capstyle="butt", marker="|", markersize=16,
                            markeredgewidth=2.5, zorder=3)
        band_y = -0.08 * top
        (dot,) = ax_d.plot([], [], marker="o", linestyle="none", color=lp.COLORS["target"],
                           markeredgecolor=lp.COLORS["marker"], markeredgewidth=1.5, zorder=4)
        band_text = lp.corner_text(ax_d, "", loc="upper left", size=lp.STYLE["font.size"] - 1)

        ax_l.set_xlim(*_SIGMA_RANGE)
        ax_l.set_ylim(*_NLL_LIMITS)
        ax_l.set_xlabel("predicted σ (units of y)")
        ax_l.set_ylabel("loss of this target (nats)")
        ax_l.set_title("Gaussian NLL over σ, for this miss")
        ax_l.axhline(0.0, color=lp.COLORS["text"], linewidth=1, alpha=0.6, zorder=1)
        (log_term,) = ax_l.plot(self.sigma_grid, 0.5 * np.log(self.sigma_grid**2),
                                color=lp.COLORS["target"], linestyle="--", linewidth=2,
                                label="½ log σ²", zorder=1)
        (fit_term,) = ax_l.plot(self.sigma_grid, state["curve_fit"], color=lp.COLORS["mse"],
                                linestyle="--", linewidth=2, label="(y − μ)² / (2σ²)", zorder=1)
        nll = lp.loss_curve(ax_l, self.sigma_grid, state["curve"],
                            color=lp.COLORS["cross_entropy"], label="NLL = sum of the two")
        (best_line,) = ax_l.plot([], [], color=lp.COLORS["text"], linestyle=":", linewidth=1.5,
                                 zorder=1)
        (best,) = ax_l.plot([], [], marker="*", markersize=16, linestyle="none",
                            color=lp.COLORS["highlight"], markeredgecolor=lp.COLORS["marker"],
                            markeredgewidth=1.2, zorder=5)
        best_text = lp.corner_text(ax_l, "", loc="lower right", size=lp.STYLE["font.size"] - 1,
                                   zorder=6)
        ax_l.legend(loc="upper right", frameon=True, framealpha=0.9, edgecolor="none",
                    fontsize=lp.STYLE["font.size"] - 2, handlelength=1.6)
        art = {"bell": bell, "band": band, "band_y": band_y, "dot": dot, "band_text": band_text,
               "fit_term": fit_term, "nll": nll, "best_line": best_line, "best": best,
               "best_text": best_text}
        self._update(art, state)
        return art

    def _moving(self, art):
        # the two texts are not redrawn on every move: they change only when _static_key does
        return [art["bell"], art["band"], art["dot"], art["fit_term"], art["nll"].line,
                *art["nll"].moving, art["best_line"], art["best"]]

    def _static_key(self, state):
        """The picture's two texts: target inside/outside the interval, best σ on/off the axis."""
        return (state["inside"],
                _SIGMA_RANGE[0] <= state["sigma_best"] <= _SIGMA_RANGE[1])

    def _update(self, art, state):
        art["bell"].set_ydata(state["bell"])
        art["band"].set_data([state["lower"], state["upper"]], [art["band_y"]] * 2)
        art["dot"].set_data([self.y_true], [state["density"]])
        # Live text in the picture takes one of a few fixed strings (rasterised once and cached);
        # the changing numbers are in the readout and the snapshot titles.
        where = "inside" if state["inside"] else "outside"
        art["band_text"].set_text(f"bar: 95% interval μ ± 1.96σ\ntarget y is {where} it")
        art["fit_term"].set_ydata(state["curve_fit"])
        art["nll"].update(state["sigma"], state["nll"], x=self.sigma_grid, y=state["curve"])
        s_best = state["sigma_best"]
        if _SIGMA_RANGE[0] <= s_best <= _SIGMA_RANGE[1]:
            nll_best = state["nll_best_on_slider"]
            art["best_line"].set_data([s_best, s_best], [_NLL_LIMITS[0] + 1.6, nll_best])
            art["best"].set_data([s_best], [nll_best])
            where = ""
        else:
            art["best_line"].set_data([], [])
            art["best"].set_data([], [])
            where = " (off axis)"
        art["best_text"].set_text(f"★ lowest NLL: σ = |y − μ|{where}")

    # -- words -------------------------------------------------------------------------------

    def _readout(self, state):
        return {k: state[k] for k in ("nll", "fit_term", "log_term", "residual", "sigma_best",
                                      "nll_best_on_slider", "grad_var", "lower", "upper",
                                      "inside")}

    def _advice(self, state):
        g = state["grad_var"]
        if abs(g) < 1e-12:
            return "σ is already the best one for this miss"
        return ("the NLL falls if σ grows: σ is too small for this miss" if g < 0 else
                "the NLL falls if σ shrinks: σ is too large for this miss")

    def _describe(self, state):
        where = "inside" if state["inside"] else "outside"
        return (f"Predicted mean μ = {_num(state['y_pred'], 2)} and σ = {_num(state['sigma'], 2)}"
                f" for the target y = {self.y_true:g}, a miss of {_num(abs(state['residual']), 2)};"
                f" the target lies {where} the 95% interval [{_num(state['lower'], 2)}, "
                f"{_num(state['upper'], 2)}]. The NLL ½ log σ² + (y − μ)²/(2σ²) is "
                f"{_num(state['nll'])} = {_num(state['log_term'])} + {_num(state['fit_term'])};"
                f" over σ it is lowest at σ = |y − μ| = {_num(state['sigma_best'], 2)}, and "
                f"{self._advice(state)}.")

    def _readout_html(self, state):
        return (f"μ = {_num(state['y_pred'], 2)}, σ = {_num(state['sigma'], 2)}, y − μ = "
                f"{_num(state['residual'], 2)} &nbsp;·&nbsp; NLL = ½ log σ² + (y − μ)²/(2σ²) = "
                f"{_num(state['log_term'])} + {_num(state['fit_term'])} = "
                f"<b>{_num(state['nll'])}</b><br>best σ = |y − μ| = "
                f"<b>{_num(state['sigma_best'], 2)}</b> &nbsp;·&nbsp; ∂NLL/∂σ² = "
                f"<b>{_num(state['grad_var'])}</b> ({self._advice(state)}) &nbsp;·&nbsp; "
                f"95% interval [{_num(state['lower'], 2)}, {_num(state['upper'], 2)}]: y is "
                f"<b>{'inside' if state['inside'] else 'outside'}</b>")

    def _title(self, state):
        return (f"μ = {state['y_pred']:g}, σ = {state['sigma']:g}: NLL {_num(state['nll'])} "
                f"(lowest at σ = {_num(state['sigma_best'], 2)})")


def sigma_explorer(y_true=3.0, y_pred=4.0, sigma=0.5):
    """Slide a predicted mean μ and a predicted σ for one target; see which σ the NLL wants.

    A model that predicts its own noise level is trained with the Gaussian negative
    log-likelihood, per example ``½ log σ² + (y − μ)² / (2σ²)``
    (:func:`lossviz.gaussian_nll`, ``full=False``). The first term punishes a large σ, the
    second a small one; their sum is lowest at σ = |y − μ|. The left panel shows the predicted
    bell, its 95% interval μ ± 1.96σ and whether the target falls inside it.

    Parameters
    ----------
    y_true : float, default 3.0
        The target.
    y_pred : float, default 4.0
        Starting predicted mean, within ``y_true ± 3``.
    sigma : float, default 0.5
        Starting predicted σ, in [0.25, 3].

    Returns
    -------
    Explorer
        Controls ``"y_pred"`` and ``"sigma"``; presets; readout ``"nll"``, ``"fit_term"``
        ((y − μ)²/(2σ²)), ``"log_term"`` (½ log σ²), ``"residual"`` (y − μ), ``"sigma_best"``
        (|y − μ|), ``"nll_best_on_slider"`` (the NLL at the best σ the slider reaches),
        ``"grad_var"`` (∂NLL/∂σ² from :func:`lossviz.gaussian_nll_grad`), ``"lower"``,
        ``"upper"`` (μ ∓ 1.96σ) and ``"inside"`` (1.0 if the target is in that interval).

    Examples
    --------
    >>> ex = sigma_explorer()       # y − μ = −1, σ = 0.5: ½ log 0.25 + 1 / 0.5 = −0.6931 + 2
    >>> print(f"{ex.readout['nll']:.4f}, best σ {ex.readout['sigma_best']:.2f}")
    1.3069, best σ 1.00
    >>> ex.controls["sigma"].value = 1.0          # ½ log 1 + 1 / 2 = 0.5, the lowest
    >>> print(f"{ex.readout['nll']:.4f}, ∂NLL/∂σ² = {ex.readout['grad_var']:.4f}")
    0.5000, ∂NLL/∂σ² = 0.0000
    """
    return SigmaExplorer(y_true, y_pred, sigma)
