"""The MSE explorer (notebook 01): targets vs predictions, squared errors and their shares.

:func:`mse_explorer` (and :func:`house_price_explorer`, the same in dollars). The explorer
contract is in :mod:`lossviz.explorers._base`.
"""

from __future__ import annotations

import html
import math

import matplotlib as mpl
import numpy as np

import lossviz as lv
from lossviz import plotting as lp
from lossviz.explorers._base import Explorer, _millions, _nice_ceiling, _num, _slider

_COURSE_Y_TRUE = (3, 5, 2)
_COURSE_Y_PRED = (4, 2, 3)
_HOUSE_Y_TRUE = (400_000,)
_HOUSE_Y_PRED = (410_000,)


class MSEExplorer(Explorer):
    """See :func:`mse_explorer`."""

    def __init__(self, y_true, y_pred, *, house_prices=False):
        self.house = bool(house_prices)
        if self.house:
            # dollar tick labels ("$420k") are wider than plain numbers
            self.snapshot_margins_px = {**self.snapshot_margins_px, "left": 92}
        self.y_true = np.asarray(y_true, dtype=float)
        y_pred = np.asarray(y_pred, dtype=float)
        if self.y_true.ndim != 1 or self.y_true.size == 0 or self.y_true.shape != y_pred.shape:
            raise ValueError(f"mse_explorer: y_true and y_pred must be non-empty 1-D sequences "
                             f"of the same length, got shapes {self.y_true.shape} and "
                             f"{y_pred.shape}")
        if not (np.all(np.isfinite(self.y_true)) and np.all(np.isfinite(y_pred))):
            raise ValueError("mse_explorer: y_true and y_pred must be finite numbers")
        n = self.y_true.size
        self.labels = ([f"house {i + 1}" for i in range(n)] if self.house
                       else [f"item {i + 1}" for i in range(n)])
        # Slider range: the data plus a margin of 3 units or a quarter of the largest value.
        allv = np.concatenate([self.y_true, y_pred])
        pad = max(3.0, 0.25 * float(np.max(np.abs(allv))))
        self.step = 10.0 ** math.floor(math.log10(pad / 50)) if self.house else 0.1
        lo = math.floor(round((allv.min() - pad) / self.step, 6)) * self.step
        hi = math.ceil(round((allv.max() + pad) / self.step, 6)) * self.step
        self.lo, self.hi = float(lo), float(hi)
        self.title = ("House prices: MSE is in squared dollars, RMSE back in dollars"
                      if self.house else "Mean squared error: large misses dominate")
        fmt = ",.0f" if self.house else ".1f"
        controls = {}
        for i in range(n):
            truth = lp.fmt_money(self.y_true[i]) if self.house else f"{self.y_true[i]:g}"
            desc = (f"predicted price of {self.labels[i]} ($, truth {truth})" if self.house
                    else f"prediction ŷ for {self.labels[i]} (target {truth})")
            controls[f"y_pred_{i}"] = _slider(float(y_pred[i]), self.lo, self.hi, self.step,
                                              desc, fmt)
        super().__init__(controls)

    def _compute(self, values):
        y_pred = np.array([values[f"y_pred_{i}"] for i in range(self.y_true.size)], dtype=float)
        sq = lv.mse(y_pred, self.y_true, reduction="none")
        mse = lv.mse(y_pred, self.y_true)
        return {"y_pred": y_pred, "errors": y_pred - self.y_true, "sq": sq, "mse": float(mse),
                "rmse": math.sqrt(float(mse))}

    def _sq_limit(self, sq):
        # A 1-2-5 step above the tallest bar: the axis moves only when the tallest bar crosses
        # a step (a full redraw then), so most slider moves keep the cached background. It
        # depends on the current values only, so a state always looks the same however it
        # was reached.
        top = _nice_ceiling(max(float(np.max(sq)), 1e-12 if self.house else 0.5) * 1.45)
        if self.house:
            top = max(top, (5 * self.step) ** 2)
        return top

    _shared_top = None

    def snapshot(self, settings):
        # one squared-error scale for every row, so the rows compare at a glance
        rows = [settings] if isinstance(settings, dict) else list(settings)
        tops = [self._sq_limit(self._compute(self._complete(s))["sq"]) for s in rows]
        self._shared_top = max(tops, default=None)
        try:
            return super().snapshot(rows)
        finally:
            self._shared_top = None

    def _draw(self, fig, state):
        ax_v, ax_sq = fig.subplots(1, 2)
        ax_v.set_ylim(min(self.lo, 0.0) if not self.house else self.lo, self.hi)
        unit = "US$" if self.house else "units of y"
        ax_v.set_ylabel(f"value ({unit})")
        ax_v.set_title("predictions vs targets")
        stems = lp.target_prediction_errors(
            ax_v, self.y_true, state["y_pred"], labels=self.labels,
            fmt=(lambda e: lp.fmt_money(e, signed=True)) if self.house else lp.fmt_signed)
        if self.house:
            ax_v.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(
                lambda v, _pos: f"${v / 1000:,.0f}k"))
        top = self._shared_top or self._sq_limit(state["sq"])
        ax_sq.set_ylim(0.0, top)
        if self.house:
            ax_sq.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(_millions))
        ax_sq.set_title("squared errors (share of total)")
        sq = lp.squared_error_bars(
            ax_sq, state["sq"], state["mse"], labels=self.labels,
            fmt="{:,.0f}" if self.house else "{:.2f}",
            mean_fmt="MSE = {:,.0f} $²" if self.house else "MSE = {:.3f}",
            unit="US$²" if self.house else "units of y²")
        return {"ax_sq": ax_sq, "stems": stems, "sq": sq}

    def _moving(self, art):
        return [*art["stems"].moving, *art["sq"].moving]

    def _update(self, art, state):
        top = self._sq_limit(state["sq"])
        if top != art["ax_sq"].get_ylim()[1]:
            art["ax_sq"].set_ylim(0.0, top)
        art["stems"].update(self.y_true, state["y_pred"])
        art["sq"].update(state["sq"], state["mse"],
                         fmt="{:,.0f}" if self.house else "{:.2f}",
                         mean_fmt="MSE = {:,.0f} $²" if self.house else "MSE = {:.3f}")

    def _readout(self, state):
        return {"mse": state["mse"], "rmse": state["rmse"]}

    def _money_list(self, xs, signed=False):
        return ", ".join(lp.fmt_money(x, signed=signed) for x in xs)

    def _describe(self, state):
        sq, n = state["sq"], self.y_true.size
        total = float(np.sum(sq))
        worst = int(np.argmax(sq))
        share = 100 * float(sq[worst]) / total if total > 0 else 0.0
        if self.house:
            head = (f"{'A house' if n == 1 else f'{n} houses'} worth "
                    f"{self._money_list(self.y_true)} predicted at "
                    f"{self._money_list(state['y_pred'])}: error "
                    f"{self._money_list(state['errors'], signed=True)}, squared "
                    f"{', '.join(f'{s:,.0f}' for s in sq)} dollars squared, so MSE = "
                    f"{state['mse']:,.0f} $² and RMSE = {lp.fmt_money(state['rmse'])}, "
                    "back in dollars.")
            return head
        sent = (f"Targets {', '.join(f'{t:g}' for t in self.y_true)} and predictions "
                f"{', '.join(f'{p:.2f}' for p in state['y_pred'])}: errors (ŷ − y) "
                f"{', '.join(lp.fmt_signed(e) for e in state['errors'])}, squared errors "
                f"{', '.join(f'{s:.2f}' for s in sq)}, MSE {state['mse']:.3f}")
        if total > 0:
            sent += (f"; the largest miss, {self.labels[worst]}, makes up {share:.0f}% of the "
                     "total squared error.")
        else:
            sent += "; every prediction is exact."
        return sent

    def _readout_html(self, state):
        sq, n = state["sq"], self.y_true.size
        if self.house:
            return (f"errors ŷ − y: <b>{html.escape(self._money_list(state['errors'], True))}"
                    f"</b> &nbsp;·&nbsp; MSE = <b>{state['mse']:,.0f} $²</b> (dollars squared)"
                    f" &nbsp;·&nbsp; RMSE = √MSE = <b>{lp.fmt_money(state['rmse'])}</b>")
        terms = " + ".join(f"{s:.2f}" for s in sq)
        return (f"errors ŷ − y: <b>{', '.join(lp.fmt_signed(e) for e in state['errors'])}</b>"
                f" &nbsp;·&nbsp; MSE = ({terms}) / {n} = <b>{_num(state['mse'])}</b>"
                f" &nbsp;·&nbsp; RMSE = <b>{_num(state['rmse'])}</b>")

    def _title(self, state):
        if self.house:
            return (f"ŷ = {self._money_list(state['y_pred'])}: MSE = {state['mse']:,.0f} $², "
                    f"RMSE = {lp.fmt_money(state['rmse'])}")
        return (f"ŷ = ({', '.join(f'{p:g}' for p in state['y_pred'])}): "
                f"MSE = {state['mse']:.3f}")


def mse_explorer(y_true=_COURSE_Y_TRUE, y_pred=_COURSE_Y_PRED, *, house_prices=False):
    """Move each prediction and watch its error, its squared error and the MSE.

    Parameters
    ----------
    y_true, y_pred : sequence of float
        Targets and starting predictions (same length). Defaults: the course's example,
        targets (3, 5, 2) and predictions (4, 2, 3), errors +1, −3, +1, MSE = 11/3.
    house_prices : bool, keyword-only
        Work in dollars. With the default data this switches to one house worth $400,000
        predicted at $410,000 (MSE 100,000,000 $², RMSE $10,000); see
        :func:`house_price_explorer`.

    Returns
    -------
    Explorer
        Controls ``"y_pred_0"``, ``"y_pred_1"``, …; readout ``"mse"`` and ``"rmse"``.

    Examples
    --------
    >>> ex = mse_explorer()
    >>> print(f"{ex.readout['mse']:.4f}")  # (1 + 9 + 1) / 3
    3.6667
    >>> ex.controls["y_pred_1"].value = 5.0  # fix the big miss
    >>> print(f"{ex.readout['mse']:.4f}")  # (1 + 0 + 1) / 3
    0.6667
    """
    if house_prices and y_true is _COURSE_Y_TRUE and y_pred is _COURSE_Y_PRED:
        y_true, y_pred = _HOUSE_Y_TRUE, _HOUSE_Y_PRED
    return MSEExplorer(y_true, y_pred, house_prices=house_prices)


def house_price_explorer(y_true=_HOUSE_Y_TRUE, y_pred=_HOUSE_Y_PRED):
    """:func:`mse_explorer` in dollars: MSE in squared dollars, RMSE back in dollars.

    Examples
    --------
    >>> ex = house_price_explorer()
    >>> print(f"{ex.readout['mse']:,.0f} {ex.readout['rmse']:,.0f}")  # 10,000² and 10,000
    100,000,000 10,000
    """
    return MSEExplorer(y_true, y_pred, house_prices=True)
