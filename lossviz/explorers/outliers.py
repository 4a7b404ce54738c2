"""Outliers (notebook 05): the MSE, MAE and Huber lines through house prices.

:func:`outlier_explorer`; the lines it draws come from :func:`lossviz.robust_fits.line_fits`
(also importable from here, as before). The explorer contract is in
:mod:`lossviz.explorers._base`.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

from lossviz import plotting as lp
from lossviz.explorers._base import Explorer, _nice_top, _slider
from lossviz.robust_fits import _line_mse, line_fits

_ROBUST_LOSSES = ("mse", "mae", "huber")
_ROBUST_NAMES = {"mse": "MSE", "mae": "MAE", "huber": "Huber"}
_OUTLIER_SIZE_RANGE = (0.0, 2000.0)  # k$ added to the price of each outlier
_N_OUTLIERS_MAX = 5
_HUBER_DELTA_RANGE = (2.0, 1000.0)  # k$; log slider
_PRICE_AXIS_MIN = 1200.0  # k$: the clean prices (up to ~720 k$) stay below the legend


def _kdollars(v):
    """Thousands of dollars for people: 2.5 k$, 50 k$, 1,000 k$."""
    return f"{v:.2g} k$" if v < 10 else f"{v:,.0f} k$"


class OutlierExplorer(Explorer):
    """See :func:`outlier_explorer`."""

    width_px = 960
    height_px = 400
    # four-digit price ticks ("1750") need more room on the left than the default margins
    snapshot_margins_px = {**Explorer.snapshot_margins_px, "left": 86}
    title = "Outliers: how far do the MSE, MAE and Huber lines move?"

    def __init__(self, n=50, seed=0):
        from lossviz import data

        size, price = data.house_prices(n, seed=seed)
        self.size = size
        self.price_clean = price / 1000.0  # k$
        # data.house_prices puts its outliers on the largest houses: the same ones here.
        self.order = np.argsort(size)
        self.x_line = np.array([size.min() - 10.0, size.max() + 10.0])
        self.clean_slope = float(_line_mse(size, self.price_clean)[0])
        # The steepest MSE line the sliders can make (every outlier, largest size) fixes the
        # slope axis once and for all.
        worst = self._prices(_N_OUTLIERS_MAX, _OUTLIER_SIZE_RANGE[1])
        self.slope_top = _nice_top(1.45 * float(_line_mse(size, worst)[0]))
        lo, hi = _HUBER_DELTA_RANGE
        controls = {
            "outlier_size": _slider(1000.0, *_OUTLIER_SIZE_RANGE, 10.0,
                                    "outlier size: k$ added to each outlier's price", ".0f"),
            "n_outliers": widgets.IntSlider(
                value=3, min=0, max=_N_OUTLIERS_MAX, step=1,
                description="number of outliers (prices of the largest houses)",
                continuous_update=True),
            "delta": widgets.FloatLogSlider(
                value=50.0, base=10, min=math.log10(lo), max=math.log10(hi), step=0.01,
                description="Huber δ (k$): squared inside ±δ, linear outside",
                readout_format=".4g", continuous_update=True),
        }
        presets = {
            "no outliers": {"n_outliers": 0},
            "one $1M typo": {"n_outliers": 1, "outlier_size": 1000.0},
            "three $1M typos": {"n_outliers": 3, "outlier_size": 1000.0},
            "Huber ≈ MSE (δ = 1000 k$)": {"delta": 1000.0},
            "Huber ≈ MAE (δ = 2 k$)": {"delta": 2.0},
        }
        super().__init__(controls, presets=presets)

    def _prices(self, k, size):
        y = self.price_clean.copy()
        if k:
            y[self.order[len(y) - k:]] += size
        return y

    def _compute(self, values):
        k = int(values["n_outliers"])
        amount = float(values["outlier_size"])
        delta = float(values["delta"])
        y = self._prices(k, amount)
        fits = line_fits(self.size, y, delta=delta)
        mask = np.zeros(y.size, dtype=bool)
        if k:
            mask[self.order[y.size - k:]] = True
        return {"k": k, "amount": amount, "delta": delta, "y": y, "outlier": mask,
                "fits": fits, "slopes": np.array([fits[n][0] for n in _ROBUST_LOSSES])}

    @staticmethod
    def _y_top(y, top=None):
        # Changes only when the highest price leaves the axis or drops well below its top, so
        # most moves keep the cached background.
        need = 1.08 * float(y.max())
        if top is None or need > top or (need < 0.55 * top and top > _PRICE_AXIS_MIN):
            top = _nice_top(max(need, _PRICE_AXIS_MIN))
        return top

    def _draw(self, fig, state):
        ax, ax_s = fig.subplots(1, 2, width_ratios=[1.8, 1.0])
        top = self._y_top(state["y"])
        ax.set_xlim(*self.x_line)
        ax.set_ylim(0.0, top)
        ax.set_xlabel("living area (m²)")
        ax.set_ylabel("price (k$)")
        ax.set_title(f"{self.size.size} houses and the fitted lines")
        (true_line,) = ax.plot(self.x_line, 50.0 + 3.0 * self.x_line, color=lp.COLORS["text"],
                               linestyle=":", linewidth=1.5, label="true trend (3 k$/m²)",
                               zorder=1)
        band = mpl.patches.Polygon(np.zeros((4, 2)), closed=True, alpha=0.15, linewidth=0,
                                   facecolor=lp.LOSS_COLORS["huber"], zorder=1,
                                   label="Huber line ± δ")
        ax.add_patch(band)
        (ghosts,) = ax.plot([], [], "o", markerfacecolor="none", markersize=7,
                            markeredgecolor=lp.COLORS["error"], markeredgewidth=1.2, zorder=2,
                            label="its clean price")
        (points,) = ax.plot([], [], "o", color=lp.COLORS["target"], markersize=6,
                            markeredgecolor=lp.COLORS["marker"], markeredgewidth=0.5,
                            label="house", zorder=3)
        (outliers,) = ax.plot([], [], "D", color=lp.COLORS["error"], markersize=8,
                              markeredgecolor=lp.COLORS["marker"], label="outlier", zorder=4)
        lines = {}
        styles = {"mse": "-", "mae": "--", "huber": "-."}
        for name in _ROBUST_LOSSES:
            (lines[name],) = ax.plot([], [], color=lp.LOSS_COLORS[name], linestyle=styles[name],
                                     linewidth=3, label=_ROBUST_NAMES[name], zorder=5)

        ax_s.set_ylim(0.0, self._shared_slope_top or self.slope_top)
        ax_s.set_ylabel("slope (k$ per m²)")
        ax_s.set_title("slope of each fit")
        ax_s.axhline(self.clean_slope, color=lp.COLORS["text"], linestyle="--", linewidth=1.5,
                     zorder=3, label=f"no outliers (MSE): {self.clean_slope:.2f}")
        ax_s.axhline(3.0, color=lp.COLORS["text"], linestyle=":", linewidth=1.5, zorder=3,
                     label="true slope: 3.00")
        ax_s.legend(loc="upper right", fontsize=10)
        bars = lp.value_bars(ax_s, [_ROBUST_NAMES[n] for n in _ROBUST_LOSSES], state["slopes"],
                             fmt="{:.2f}")
        ax_s.set_xlim(-0.6, 2.6)
        art = {"ax": ax, "top": top, "true": true_line, "band": band, "ghosts": ghosts,
               "points": points, "outliers": outliers, "lines": lines, "bars": bars}
        self._update(art, state)
        handles = [true_line, band, ghosts, points, outliers, *lines.values()]
        if self._shared_slope_top is not None:
            # a snapshot row lists only what it draws (no outlier entries on clean data); the
            # live legend keeps them all, for outliers the sliders may add
            handles = [h for h in handles if not hasattr(h, "get_xdata") or len(h.get_xdata())]
        ax.legend(handles=handles, loc="upper left", ncols=2, fontsize=10)
        return art

    _shared_slope_top = None

    def snapshot(self, settings):
        # One slope scale for every row, fitted to the steepest slope shown rather than to the
        # sliders' worst case (as the live picture is), with room for the legend above it.
        rows = [settings] if isinstance(settings, dict) else list(settings)
        if not rows:
            return super().snapshot(rows)  # the base class explains what to pass
        steepest = max(float(np.max(self._compute(self._complete(s))["slopes"])) for s in rows)
        self._shared_slope_top = _nice_top(1.45 * max(steepest, self.clean_slope, 3.0))
        try:
            return super().snapshot(rows)
        finally:
            self._shared_slope_top = None

    def _moving(self, art):
        return [art["band"], art["ghosts"], art["points"], art["outliers"],
                *art["lines"].values(), *art["bars"].moving]

    def _update(self, art, state):
        top = self._y_top(state["y"], art["top"])
        if top != art["top"]:
            art["top"] = top
            art["ax"].set_ylim(0.0, top)
        y, m = state["y"], state["outlier"]
        art["points"].set_data(self.size[~m], y[~m])
        art["outliers"].set_data(self.size[m], y[m])
        art["ghosts"].set_data(self.size[m], self.price_clean[m])
        for name in _ROBUST_LOSSES:
            slope, intercept = state["fits"][name]
            art["lines"][name].set_data(self.x_line, slope * self.x_line + intercept)
        slope, intercept = state["fits"]["huber"]
        xl = self.x_line
        mid = slope * xl + intercept
        d = state["delta"]
        art["band"].set_xy(np.array([[xl[0], mid[0] - d], [xl[1], mid[1] - d],
                                     [xl[1], mid[1] + d], [xl[0], mid[0] + d]]))
        art["bars"].update(state["slopes"],
                           colors=[lp.LOSS_COLORS[n] for n in _ROBUST_LOSSES])

    def _readout(self, state):
        out = {f"slope_{n}": state["fits"][n][0] for n in _ROBUST_LOSSES}
        out.update({f"intercept_{n}": state["fits"][n][1] for n in _ROBUST_LOSSES})
        out["slope_clean"] = self.clean_slope
        return out

    def _outliers_phrase(self, state, short=False):
        k = state["k"]
        if k == 0 or state["amount"] == 0:
            return "no outliers"
        each = lp.fmt_money(1000.0 * state["amount"])
        if short:
            return f"{k} × +{each}"
        return (f"{k} outlier{'s' if k > 1 else ''} (+{each} on the price of the {k} largest "
                f"house{'s' if k > 1 else ''})")

    def _describe(self, state):
        s = state["slopes"]
        moves = ", ".join(
            f"{_ROBUST_NAMES[n]} {s[i]:.2f} ({lp.fmt_signed(s[i] - self.clean_slope)})"
            for i, n in enumerate(_ROBUST_LOSSES))
        return (f"House prices against living area with {self._outliers_phrase(state)}, and "
                f"the lines fitted by MSE, MAE and Huber (δ = {_kdollars(state['delta'])}). "
                f"Their slopes in k$ per m², with the change from the clean data's "
                f"{self.clean_slope:.2f}: {moves}.")

    def _readout_html(self, state):
        s = state["slopes"]
        parts = " &nbsp;·&nbsp; ".join(
            f"{_ROBUST_NAMES[n]}: <b>{s[i]:.2f}</b> ({lp.fmt_signed(s[i] - self.clean_slope)})"
            for i, n in enumerate(_ROBUST_LOSSES))
        return (f"{html.escape(self._outliers_phrase(state))}, "
                f"Huber δ = {_kdollars(state['delta'])}<br>slope in k$ per m² (change from "
                f"the clean data's {self.clean_slope:.2f}): {parts}")

    def _title(self, state):
        s = state["slopes"]
        text = (f"{self._outliers_phrase(state, short=True)}, δ = {_kdollars(state['delta'])}: "
                "slopes " + ", ".join(f"{_ROBUST_NAMES[n]} {s[i]:.2f}"
                                      for i, n in enumerate(_ROBUST_LOSSES)))
        return text.replace("$", r"\$")  # a literal dollar, not matplotlib's maths mode


def outlier_explorer():
    """Add outliers to the house prices and watch the MSE, MAE and Huber lines move.

    Fifty houses from :func:`lossviz.data.house_prices` (seed 0), prices in k$. The largest
    houses can get a price typo; each line is refitted exactly on every move (see
    :func:`line_fits`). The left panel shows the data, the three lines and Huber's ±δ band
    (points outside it pull on the Huber line with a fixed force); the right panel shows each
    line's slope against the clean data's MSE slope.

    Returns
    -------
    Explorer
        Controls ``"outlier_size"`` (k$ added to each outlier's price, 0..2000),
        ``"n_outliers"`` (0..5) and ``"delta"`` (Huber δ in k$, log slider 2..1000); presets;
        readout ``"slope_mse"``, ``"slope_mae"``, ``"slope_huber"`` (k$ per m²),
        ``"intercept_mse"``, ``"intercept_mae"``, ``"intercept_huber"`` (k$) and
        ``"slope_clean"`` (the MSE slope without outliers).

    Examples
    --------
    Three houses listed $1M too high:

    >>> ex = outlier_explorer()
    >>> r = ex.readout
    >>> print(f"{r['slope_clean']:.2f} {r['slope_mse']:.2f} {r['slope_mae']:.2f} "
    ...       f"{r['slope_huber']:.2f}")
    3.09 5.18 3.22 3.24
    >>> ex.controls["n_outliers"].value = 0
    >>> print(f"{ex.readout['slope_mse']:.2f} {ex.readout['slope_huber']:.2f}")
    3.09 3.09
    """
    return OutlierExplorer()
