"""Slider explorers: move a prediction and watch the loss and its gradient respond.

Factories, each returning an :class:`Explorer`:

- :func:`mse_explorer` (and :func:`house_price_explorer`): predictions vs targets, errors,
  squared errors and their shares, the MSE.
- :func:`softmax_explorer`: cat/dog/bird logits -> softmax probabilities -> cross-entropy and
  its gradient.
- :func:`confident_wrong_explorer`: one probability ``p`` for the true class; MSE and
  cross-entropy, and their gradients with respect to the logit.
- :func:`loss_curve_explorer`: any loss of ``lossviz.LOSSES`` as a curve, with its gradient.
- :func:`gaussian_explorer` (notebook 06): one target under a Gaussian model; the negative
  log-likelihood is MSE / (2σ²) plus the constant ½ log(2πσ²), with the same minimiser for every σ.

The explorer contract
---------------------
``ex.widget``
    The whole UI (one ipywidgets ``VBox``); displaying ``ex`` itself shows it.
``ex.controls``
    ``{name: control}``; setting ``ex.controls[name].value = v`` updates the picture and the
    readout synchronously (also headless, in plain pytest).
``ex.figure``
    The matplotlib Figure, built once and changed in place.
``ex.readout``
    ``{name: float}``: the exact numbers shown (formatted) beside the picture.
``ex.alt_text``
    One sentence describing the current picture, shown as a visible caption.
``ex.snapshot(settings)``
    A static small-multiples Figure, one row per dict of control values.
``ex.set(**values)`` / ``ex.apply_preset(name)``
    Change several controls with a single redraw.

In a notebook, show the live explorer and, beside it, a snapshot that reads without a kernel::

    from lossviz.explorers import confident_wrong_explorer
    ex = confident_wrong_explorer()
    ex                                                   # the live explorer (last expression)

    ex.snapshot([{"p": 0.9}, {"p": 0.6}, {"p": 0.01}])   # Models A, B, C as a static figure

Rendering: by default the figure is drawn with Agg and sent as one PNG to an
``ipywidgets.Image`` (any front end with ipywidgets; strict-nbval friendly). Only the artists
that move are redrawn (see :class:`lossviz.plotting.BlitRenderer`). Under ``%matplotlib widget``
the ipympl canvas is embedded instead. Nothing is registered with pyplot, so nothing is shown
twice and ``plt.gcf()`` never returns an explorer's figure.

Every number comes from the ``lossviz`` math functions; this module only arranges them.
"""

from __future__ import annotations

import contextlib
import html
import math
import warnings

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

import lossviz as lv
from lossviz import _a11y
from lossviz import plotting as lp

__all__ = [
    "Explorer",
    "mse_explorer",
    "house_price_explorer",
    "softmax_explorer",
    "confident_wrong_explorer",
    "loss_curve_explorer",
    "gaussian_explorer",
]

MINUS = "\u2212"


def _use_ipympl():
    """True when the active matplotlib backend is ipympl (``%matplotlib widget``)."""
    # dict.__getitem__ reads the setting without resolving an "auto" backend (which would
    # import pyplot and pick a GUI backend as a side effect).
    backend = dict.__getitem__(mpl.rcParams, "backend")
    if not isinstance(backend, str):
        return False
    backend = backend.lower()
    return "ipympl" in backend or backend == "widget"


def _f(x):
    """A readout value: a plain Python float."""
    return float(x)


def _num(x, digits=3):
    """Format a number for people: real minus sign, fixed digits."""
    s = f"{float(x):.{digits}f}"
    return s.replace("-", MINUS)


class _IpymplView:
    """Embeds the ipympl canvas; a redraw is ``draw_idle`` (ipympl sends the picture)."""

    def __init__(self, fig):
        from ipympl.backend_nbagg import Canvas, FigureManager

        self.canvas = Canvas(fig)
        with warnings.catch_warnings():
            # ipympl's toolbar passes traitlets an argument it deprecates; not ours to fix
            warnings.filterwarnings("ignore", "Passing unrecognized arguments",
                                    DeprecationWarning)
            self.manager = FigureManager(self.canvas, 0)  # never registered with pyplot's Gcf
        self.canvas.header_visible = False
        self.canvas.resizable = False

    def render(self, key=None):
        self.canvas.draw_idle()


class Explorer:
    """Base class of the slider explorers (see the module docstring for the contract).

    Subclasses define ``_compute(values) -> state`` (pure: numbers from ``lossviz``),
    ``_draw(fig, state) -> artists`` (axes and artists on a Figure or SubFigure),
    ``_update(artists, state)`` (in place), ``_moving(artists)`` (what an update touches),
    ``_readout(state)``, ``_describe(state)`` (alt text), ``_readout_html(state)`` and
    ``_title(state)`` (snapshot row title).
    """

    width_px = 900
    height_px = 380
    snapshot_row_px = 330
    title = ""

    def __init__(self, controls, *, presets=None):
        self.controls = dict(controls)
        self.presets = dict(presets or {})
        self.defaults = {name: c.value for name, c in self.controls.items()}
        # Values set from Python (defaults, presets, ``set``) that a browser may round to the
        # slider's step: see ``values``.
        self._exact = dict(self.defaults)
        self.readout = {}
        self.alt_text = ""
        self._holding = False
        self._relayout = False
        for c in self.controls.values():
            c.style.description_width = "initial"
            c.layout.width = "min(560px, 100%)"

        state = self._compute(self.defaults)
        self.figure = lp.new_figure(self.width_px, self.height_px)
        with lp.style():
            self._artists = self._draw(self.figure, state)
        lp.persist_tick_style(self.figure)
        lp.freeze_layout(self.figure)

        if _use_ipympl():
            self._view = _IpymplView(self.figure)
            self.image = None
            picture = self._view.canvas
        else:
            self._view = lp.BlitRenderer(self.figure, self._moving(self._artists))
            self.image = widgets.Image(
                format="png",
                layout=widgets.Layout(width=f"{self.width_px}px", max_width="100%",
                                      height="auto"),
            ).add_class("lossviz-picture")
            picture = self.image
        # Alt text goes in a visible caption: ipywidgets.Image has no alt attribute, and a
        # tooltip on an Image crashes its view in JupyterLab and Voila.
        # DOM classes: how browser tests and custom CSS find the parts of an explorer
        self._caption = widgets.HTML().add_class("lossviz-caption")
        self._readout_widget = widgets.HTML().add_class("lossviz-readout")
        self.preset_buttons = {}
        for name in self.presets:
            b = widgets.Button(description=name, layout=widgets.Layout(width="auto"),
                               tooltip=_preset_tooltip(self.controls, self.presets[name]))
            b.add_class("lossviz-preset")
            b.on_click(lambda _b, name=name: self.apply_preset(name))
            self.preset_buttons[name] = b
        rows = [widgets.HTML(f"<b style='font-size:1.2em'>{html.escape(self.title)}</b>")]
        rows += list(self.controls.values())
        if self.preset_buttons:
            rows.append(widgets.HBox([widgets.Label("Presets:"), *self.preset_buttons.values()]))
        # names the sliders and the picture and announces the readout (see lossviz._a11y)
        self._a11y = _a11y.AccessibilityHelper()
        rows += [picture, self._readout_widget, self._caption, self._a11y]
        self.widget = widgets.VBox(rows).add_class("lossviz-explorer")

        for c in self.controls.values():
            c.observe(self._on_change, names="value")
        self.update()

    # -- the contract ------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if bundle is not None:
            # where widgets cannot render (a static view), the title and alt text stand in
            bundle["text/plain"] = f"{self.title}\n{self.alt_text}"
        return bundle

    @property
    def values(self):
        """The current control values, ``{name: value}``.

        A slider in the browser snaps its value to its step and sends the snapped value back
        (ln 0.70 = -0.3567 becomes -0.36 at step 0.01, and p(cat) would read 0.699). A value set
        from Python (a default, a preset, ``set``) is therefore kept while the slider sits
        within half a step of it, so presets show the course's exact numbers; any real move
        of the slider goes further than that and takes over.
        """
        out = {}
        for name, c in self.controls.items():
            v = c.value
            exact = self._exact.get(name)
            if exact is not None and _same_slider_position(c, v, exact):
                v = exact
            out[name] = v
        return out

    def update(self):
        """Recompute from the controls, change the artists in place, redraw once."""
        state = self._compute(self.values)
        self._update(self._artists, state)
        self.readout = {k: _f(v) for k, v in self._readout(state).items()}
        self.alt_text = self._describe(state)
        self._readout_widget.value = (
            f"<div style='font-size:1.15em;line-height:1.5'>{self._readout_html(state)}</div>")
        self._caption.value = ("<p style='font-style:italic'><b>Figure:</b> "
                               f"{html.escape(self.alt_text)}</p>")
        if self._relayout:
            # new labels and tick widths (another loss): lay the figure out once more (one
            # extra full draw, on a dropdown change only)
            self._relayout = False
            self.figure.set_layout_engine("constrained")
            lp.freeze_layout(self.figure)
        png = self._view.render(key=self._static_key(state))
        if self.image is not None:
            self.image.value = png

    def set(self, **values):
        """Set several controls at once (in the controls' order), with one redraw."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"set: unknown control(s) {unknown}; this explorer has "
                             f"{list(self.controls)}")
        with self.hold():
            for name in self.controls:
                if name in values:
                    self.controls[name].value = values[name]
                    self._exact[name] = self.controls[name].value

    def apply_preset(self, name):
        """Apply one of ``ex.presets`` (the buttons call this)."""
        if name not in self.presets:
            raise ValueError(f"apply_preset: no preset {name!r}; choose one of "
                             f"{list(self.presets)}")
        self.set(**self.presets[name])

    @contextlib.contextmanager
    def hold(self):
        """Batch control changes: redraw once, when the block ends."""
        if self._holding:
            yield
            return
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        self.update()

    @contextlib.contextmanager
    def _quiet(self):
        was, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = was

    def snapshot(self, settings):
        """A static Figure telling the same story without a kernel: one row per setting.

        Parameters
        ----------
        settings : list of dict
            Control values, e.g. ``[{"p": 0.9}, {"p": 0.6}, {"p": 0.01}]``; controls not
            named keep their default values.

        Returns
        -------
        matplotlib.figure.Figure
            Not registered with pyplot: display it as a cell's last expression (the inline
            backend draws it once) or save it with ``fig.savefig``.
        """
        if isinstance(settings, dict):
            settings = [settings]
        settings = list(settings)
        if not settings:
            raise ValueError("snapshot: settings is empty; pass a list of dicts of control "
                             f"values, e.g. [{self.defaults!r}]")
        states = [self._compute(self._complete(s)) for s in settings]
        n = len(states)
        # Fixed margins instead of a layout engine: constrained layout across subfigures cost
        # 1-3 CPU-s per snapshot, the largest part of executing a notebook (and of a page load).
        fig = lp.new_figure(self.width_px, self.snapshot_row_px * n, layout="none")
        fig.subplots_adjust(**self._snapshot_margins())
        with lp.style():
            subfigs = fig.subfigures(n, 1, squeeze=False).ravel()
            for sub, state in zip(subfigs, states, strict=True):
                self._draw(sub, state)
                sub.suptitle(self._title(state), fontweight="bold")
        return fig

    # Snapshot margins in pixels of one row: tick labels and axis label on the left; the row's
    # title and the panels' titles on top; tick labels and axis label at the bottom.
    snapshot_margins_px = {"left": 74, "right": 14, "bottom": 48, "top": 58}
    snapshot_wspace = 0.32

    def _snapshot_margins(self):
        """``subplots_adjust`` fractions (relative to one snapshot row) from the pixel margins."""
        m, w, h = self.snapshot_margins_px, self.width_px, self.snapshot_row_px
        return {"left": m["left"] / w, "right": 1 - m["right"] / w, "bottom": m["bottom"] / h,
                "top": 1 - m["top"] / h, "wspace": self.snapshot_wspace}

    def _complete(self, setting):
        """Defaults overlaid with ``setting``, validated against the controls' ranges."""
        if not isinstance(setting, dict):
            raise TypeError(f"snapshot: each setting must be a dict of control values, got "
                            f"{type(setting).__name__}")
        unknown = sorted(set(setting) - set(self.controls))
        if unknown:
            raise ValueError(f"snapshot: unknown control(s) {unknown}; this explorer has "
                             f"{list(self.controls)}")
        values = dict(self.defaults)
        values.update(setting)
        for name, v in setting.items():
            lo, hi, options = _control_range(self.controls[name])
            if options is not None:
                if v not in options:
                    raise ValueError(f"snapshot: {name}={v!r} is not one of {list(options)}")
            elif not (lo <= v <= hi or (isinstance(self.controls[name], widgets.FloatLogSlider)
                                        and v < lo
                                        and _same_slider_position(self.controls[name], v, lo))):
                # (a log slider's grid may start a fraction of a step above its nominal minimum,
                # see _log_grid_origin: that minimum is still accepted)
                raise ValueError(f"snapshot: {name}={v!r} is outside the control's range "
                                 f"[{lo:g}, {hi:g}]")
        return values

    # -- hooks -------------------------------------------------------------------------------

    def _on_change(self, change):
        self._react(change)
        if not self._holding:
            self.update()

    def _react(self, change):
        """Adjust other controls when one changes (e.g. a slider's range); default: nothing."""

    def _static_key(self, state):
        """Anything besides axis limits that changes the static part of the figure."""
        return None


def _preset_tooltip(controls, values):
    """A preset button's description (its title): what it sets, in the controls' own words."""
    return "Preset: " + "; ".join(f"{controls[k].description} = {v:g}"
                                  if isinstance(v, (int, float)) else
                                  f"{controls[k].description} = {v}"
                                  for k, v in values.items())


def _same_slider_position(control, value, exact):
    """True when ``value`` is ``exact`` rounded to the slider's step (half a step apart at most)."""
    step = getattr(control, "step", None)
    if value == exact:
        return True
    if not isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider)) or not step:
        return False
    if isinstance(control, widgets.FloatLogSlider):  # the step is in the exponent
        if value <= 0 or exact <= 0:
            return False
        value, exact = (math.log(x, control.base) for x in (value, exact))
    return abs(value - exact) <= 0.5 * step * (1 + 1e-9)


def _control_range(control):
    """(lo, hi, options) of a control: options for a selection, a value range otherwise."""
    if hasattr(control, "options"):
        return None, None, [o[1] if isinstance(o, tuple) else o for o in control.options]
    if isinstance(control, widgets.FloatLogSlider):
        return control.base ** control.min, control.base ** control.max, None
    return control.min, control.max, None


def _slider(value, lo, hi, step, description, fmt=".2f"):
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               readout_format=fmt, continuous_update=True)


def _millions(v, _pos=None):
    """Tick label for squared dollars: 100M, 1.5B."""
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= scale:
            return f"{v / scale:g}{suffix}"
    return f"{v:g}"


def _nice_ceiling(x):
    """Smallest of 1, 2, 5 x 10^k that is >= x (for axis tops that change rarely)."""
    if x <= 0:
        return 1.0
    k = math.floor(math.log10(x))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * 10.0**k >= x * (1 - 1e-12):
            return m * 10.0**k
    return 10.0 ** (k + 1)


# =============================================================================================
# 1. MSE: targets vs predictions, squared errors and their shares
# =============================================================================================

_COURSE_Y_TRUE = (3, 5, 2)
_COURSE_Y_PRED = (4, 2, 3)
_HOUSE_Y_TRUE = (400_000,)
_HOUSE_Y_PRED = (410_000,)


class MSEExplorer(Explorer):
    """See :func:`mse_explorer`."""

    def __init__(self, y_true, y_pred, *, house_prices=False):
        self.house = bool(house_prices)
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


# =============================================================================================
# 2. Softmax: logits -> probabilities -> cross-entropy and its gradient
# =============================================================================================

_CLASSES = ("cat", "dog", "bird")
_LOGIT_RANGE = (-4.0, 4.0)


class SoftmaxExplorer(Explorer):
    """See :func:`softmax_explorer`."""

    width_px = 960
    title = "Softmax and cross-entropy: how much probability did the true class get?"

    def __init__(self):
        lo, hi = _LOGIT_RANGE
        # The browser snaps ln 0.70 = -0.3567 to -0.36 at this step; Explorer.values keeps
        # the exact preset value while the slider sits there.
        controls = {c: _slider(math.log(p), lo, hi, 0.01, f"logit z of {c}")
                    for c, p in zip(_CLASSES, (0.70, 0.20, 0.10), strict=True)}
        controls["true_class"] = widgets.Dropdown(options=list(_CLASSES), value="cat",
                                                  description="true class")
        presets = {
            "decent": {"cat": math.log(0.70), "dog": math.log(0.20), "bird": math.log(0.10),
                       "true_class": "cat"},
            "confidently wrong": {"cat": math.log(0.05), "dog": math.log(0.90),
                                  "bird": math.log(0.05), "true_class": "cat"},
        }
        # The smallest probability the sliders can give the true class: its logit at the
        # bottom, both others at the top. It fixes the cross-entropy axis once and for all.
        z_worst = np.array([lo, hi, hi])
        self.p_min = float(lv.softmax(z_worst)[0])
        self.ce_max = float(lv.cross_entropy(z_worst - z_worst.max(), 0))
        super().__init__(controls, presets=presets)

    def _compute(self, values):
        z = np.array([values[c] for c in _CLASSES], dtype=float)
        t = _CLASSES.index(values["true_class"])
        # Softmax and cross-entropy do not change when every logit shifts by the same amount.
        # The shifted logits are <= 0 with a 0 among them, so cross_entropy's check for
        # "probabilities passed by mistake" can never fire on these genuine logits.
        zs = z - z.max()
        p = lv.softmax(zs)
        ce = lv.cross_entropy(zs, t)
        grad = lv.cross_entropy_grad(zs, t)
        return {"z": z, "t": t, "p": p, "ce": float(ce), "grad": grad}

    def _draw(self, fig, state):
        ax_p, ax_ce, ax_g = fig.subplots(1, 3)
        ax_p.set_title("probabilities p")
        probs = lp.probability_bars(ax_p, state["p"], classes=_CLASSES, true_index=state["t"])
        ax_p.set_xlim(-0.6, 2.6)
        # −ln p over every probability the sliders can reach (BCE with y = 1 is −ln p).
        grid = np.unique(np.concatenate([np.geomspace(self.p_min, 0.05, 120),
                                         np.linspace(0.05, 1.0, 120)]))
        curve_y = lv.binary_cross_entropy(grid, np.ones_like(grid), reduction="none")
        ax_ce.set_xlim(0.0, 1.0)
        ax_ce.set_ylim(0.0, math.ceil(self.ce_max))
        ax_ce.set_xlabel("p(true class)")
        ax_ce.set_ylabel("cross-entropy (nats)")
        ax_ce.set_title("cross-entropy")
        p_true = state["p"][state["t"]]
        ce = lp.loss_curve(ax_ce, grid, curve_y, p_true, state["ce"],
                           color=lp.COLORS["cross_entropy"], value_text="")
        ax_g.set_title("gradient p − one-hot")
        grads = lp.gradient_bars(ax_g, state["grad"], classes=_CLASSES,
                                 ylabel="∂CE/∂z (nats per unit z)")
        ax_g.set_xlim(-0.6, 2.6)
        art = {"probs": probs, "ce": ce, "grads": grads}
        self._update(art, state)
        return art

    def _moving(self, art):
        return [*art["probs"].moving, *art["ce"].moving, *art["grads"].moving]

    def _update(self, art, state):
        t = state["t"]
        art["probs"].update(state["p"], colors=lp.class_colors(3, t))
        art["ce"].update(state["p"][t], state["ce"],
                         text=f"CE = −ln {state['p'][t]:.3f}\n= {state['ce']:.3f}")
        art["grads"].update(state["grad"], colors=[
            lp.COLORS["true_class"] if i == t else lp.COLORS["gradient"] for i in range(3)])

    def _readout(self, state):
        out = {f"p_{c}": state["p"][i] for i, c in enumerate(_CLASSES)}
        out["cross_entropy"] = state["ce"]
        return out

    def _describe(self, state):
        t, p, g = state["t"], state["p"], state["grad"]
        name = _CLASSES[t]
        logits = ", ".join(f"{c} {_num(z, 2)}" for c, z in zip(_CLASSES, state["z"], strict=True))
        probs = ", ".join(f"{c} {q:.2f}" for c, q in zip(_CLASSES, p, strict=True))
        return (f"Logits {logits} give probabilities {probs}; the "
                f"true class is {name}, so the cross-entropy is −ln {p[t]:.3f} = "
                f"{state['ce']:.3f}, and the gradient ({', '.join(lp.fmt_signed(x) for x in g)}) "
                f"pushes the {name} logit up and the others down.")

    def _readout_html(self, state):
        t, p = state["t"], state["p"]
        probs = " &nbsp;·&nbsp; ".join(
            (f"<b>p({c}) = {q:.3f}</b>" if i == t else f"p({c}) = {q:.3f}")
            for i, (c, q) in enumerate(zip(_CLASSES, p, strict=True)))
        return (f"{probs}<br>cross-entropy = −ln p({_CLASSES[t]}) = "
                f"<b>{state['ce']:.3f} nats</b> &nbsp;·&nbsp; gradient softmax − one-hot = "
                f"({', '.join(lp.fmt_signed(x) for x in state['grad'])})")

    def _title(self, state):
        t, p = state["t"], state["p"]
        return (f"p = ({', '.join(f'{q:.2f}' for q in p)}), true = {_CLASSES[t]}: "
                f"CE = −ln {p[t]:.2f} = {state['ce']:.3f}")


def softmax_explorer():
    """Move the cat/dog/bird logits; watch the probabilities, the cross-entropy and its gradient.

    Starts at logits ln 0.70, ln 0.20, ln 0.10, so the probabilities are 0.70/0.20/0.10 with
    cat true: cross-entropy −ln 0.70 = 0.357. Presets "decent" (0.70/0.20/0.10) and
    "confidently wrong" (0.05/0.90/0.05, cross-entropy −ln 0.05 = 2.996).

    Returns
    -------
    Explorer
        Controls ``"cat"``, ``"dog"``, ``"bird"`` (logit sliders, −4..4) and ``"true_class"``;
        readout ``"p_cat"``, ``"p_dog"``, ``"p_bird"``, ``"cross_entropy"``.

    Examples
    --------
    >>> ex = softmax_explorer()
    >>> print(f"{ex.readout['p_cat']:.2f} {ex.readout['cross_entropy']:.4f}")
    0.70 0.3567
    >>> ex.apply_preset("confidently wrong")
    >>> print(f"{ex.readout['cross_entropy']:.4f}")  # −ln 0.05
    2.9957
    """
    return SoftmaxExplorer()


# =============================================================================================
# 3. Confidently wrong: MSE vs cross-entropy and their gradients in the logit
# =============================================================================================

_P_MIN, _P_MAX = 0.001, 0.999


def _logit(p):
    """Inverse of the sigmoid: the logit z with sigmoid(z) = p."""
    p = np.asarray(p, dtype=float)
    return np.log(p) - np.log1p(-p)  # log1p keeps 1 − p accurate near p = 0


def _log_grid_snap(exponent, origin, step):
    """The exponent a browser's log slider settles on: the grid point ``origin + k·step`` nearest
    to ``exponent`` (noUiSlider counts its steps from the range's minimum)."""
    return origin + round((exponent - origin) / step) * step


def _log_grid_origin(lo, step, values, *, base=10, digits=3):
    """Lowest exponent of a log slider's grid: ``lo`` or just above it, so that every one of
    ``values`` snaps to a grid point that reads the same as the value itself.

    A browser snaps a log slider to its step in the exponent and shows ``base ** exponent``:
    with the grid starting at log10 0.001 = −3, p = 0.9 (log10 0.9 = −0.04576) sits at −0.046
    and the slider shows 0.899 while the explorer, keeping the exact preset (see
    ``Explorer.values``), uses 0.9. Shifting the grid by a twentieth of a step at a time (at
    most 0.95 of one), the first origin at which each value reads the same to ``digits``
    significant digits is returned.
    """
    for k in range(20):
        origin = lo + k * step / 20
        if all(f"{base ** _log_grid_snap(math.log(v, base), origin, step):.{digits}g}"
               == f"{v:.{digits}g}" for v in values):
            return origin
    raise ValueError(f"_log_grid_origin: no grid of step {step:g} from {lo:g} shows all of "
                     f"{list(values)} to {digits} significant digits; choose another step")


_P_STEP = 0.001  # in log10 p: 3000 steps from 0.001 to 1


class ConfidentWrongExplorer(Explorer):
    """See :func:`confident_wrong_explorer`."""

    title = "Confidently wrong: cross-entropy keeps pushing where MSE's gradient vanishes"

    def __init__(self):
        presets = {"Model A (p = 0.9)": {"p": 0.9}, "Model B (p = 0.6)": {"p": 0.6},
                   "Model C (p = 0.01)": {"p": 0.01}}
        # The slider's grid starts just above log10 0.001 (by 0.00005 for these presets), so
        # that at every preset the slider's own readout, which shows the snapped value, reads
        # like the value the explorer uses: 0.900, not 0.899.
        lo = _log_grid_origin(math.log10(_P_MIN), _P_STEP,
                              [0.9, *(v["p"] for v in presets.values())])
        controls = {"p": widgets.FloatLogSlider(
            value=0.9, base=10, min=lo, max=math.log10(_P_MAX), step=_P_STEP,
            description="p = predicted probability of the true class (log scale)",
            readout_format=".3g", continuous_update=True)}
        self.grid = np.unique(np.concatenate([np.geomspace(_P_MIN, 0.05, 120),
                                              np.linspace(0.05, _P_MAX, 200)]))
        self.curves = self._losses_and_grads(self.grid)
        super().__init__(controls, presets=presets)

    @staticmethod
    def _losses_and_grads(p):
        """MSE and cross-entropy against y = 1, and their gradients in the logit z."""
        p = np.asarray(p, dtype=float)
        ones = np.ones_like(p)
        z = _logit(p)
        return {
            "mse": lv.mse(p, ones, reduction="none"),                       # (1 − p)²
            "ce": lv.binary_cross_entropy(p, ones, reduction="none"),       # −ln p
            # chain rule through the sigmoid: dMSE/dz = dMSE/dp · dp/dz = 2(p − 1) · p(1 − p)
            "mse_grad": lv.mse_grad(p, ones, reduction="none") * lv.sigmoid_grad(z),
            # the sigmoid's derivative cancels: dCE/dz = p − 1
            "ce_grad": lv.binary_cross_entropy_with_logits_grad(z, ones, reduction="none"),
        }

    def _compute(self, values):
        p = float(values["p"])
        c = self._losses_and_grads(np.array([p]))
        return {"p": p, **{k: float(v[0]) for k, v in c.items()}}

    def _draw(self, fig, state):
        ax_l, ax_g = fig.subplots(1, 2)
        for ax in (ax_l, ax_g):
            ax.set_xlim(0.0, 1.0)
            ax.set_xlabel("p = probability of the true class")
        ax_l.set_ylim(0.0, math.ceil(float(self.curves["ce"].max())) + 0.2)
        ax_l.set_ylabel("loss (nats for CE)")
        ax_l.set_title("loss when the true label is y = 1")
        mse = lp.loss_curve(ax_l, self.grid, self.curves["mse"], color=lp.COLORS["mse"],
                            label="MSE (1 − p)²", value_text="", text_loc="upper right")
        mse.label.set_y(0.55)
        ce = lp.loss_curve(ax_l, self.grid, self.curves["ce"],
                           color=lp.COLORS["cross_entropy"], label="cross-entropy −ln p",
                           value_text="")
        ce.label.set_y(0.68)
        ax_l.legend(loc="upper right")
        # a strip below the curves' lowest point (−1 at p = 0) holds the legend, so no curve
        # or moving marker ever crosses it
        ax_g.set_ylim(-1.62, 0.08)
        ax_g.set_ylabel("∂loss/∂z (per unit logit)")
        ax_g.set_title("gradient in the logit z")
        mse_g = lp.gradient_curve(ax_g, self.grid, self.curves["mse_grad"],
                                  color=lp.COLORS["mse"], label="MSE: 2(p − 1)·p(1 − p)",
                                  value_text="", text_loc="lower right")
        ce_g = lp.gradient_curve(ax_g, self.grid, self.curves["ce_grad"],
                                 color=lp.COLORS["cross_entropy"], label="CE: p − 1",
                                 value_text="", text_loc="lower right")
        # the value texts sit right of and below the CE line p − 1, above the legend's strip
        mse_g.label.set_y(0.55)
        ce_g.label.set_y(0.40)
        ax_g.legend(loc="lower left")
        art = {"mse": mse, "ce": ce, "mse_g": mse_g, "ce_g": ce_g}
        self._update(art, state)
        return art

    def _moving(self, art):
        return [a for c in art.values() for a in c.moving]

    def _update(self, art, state):
        p = state["p"]
        art["mse"].update(p, state["mse"], text=f"MSE = {state['mse']:.4f}")
        art["ce"].update(p, state["ce"], text=f"CE = {state['ce']:.3f}")
        art["mse_g"].update(p, state["mse_grad"], text=f"MSE: {_num(state['mse_grad'], 4)}")
        art["ce_g"].update(p, state["ce_grad"], text=f"CE: {_num(state['ce_grad'], 3)}")

    def _readout(self, state):
        return {"mse": state["mse"], "cross_entropy": state["ce"],
                "mse_grad_logit": state["mse_grad"], "ce_grad_logit": state["ce_grad"]}

    def _describe(self, state):
        ratio = state["ce_grad"] / state["mse_grad"]
        return (f"At p = {state['p']:.3g} for the true class, MSE is {state['mse']:.4f} and "
                f"cross-entropy {state['ce']:.3f}; their gradients with respect to the logit "
                f"are {_num(state['mse_grad'], 4)} (MSE) and {_num(state['ce_grad'], 3)} "
                f"(cross-entropy), so cross-entropy pushes {ratio:.1f} times harder.")

    def _readout_html(self, state):
        ratio = state["ce_grad"] / state["mse_grad"]
        return (f"p = <b>{state['p']:.3g}</b> &nbsp;·&nbsp; MSE (1 − p)² = "
                f"<b>{state['mse']:.4f}</b> &nbsp;·&nbsp; cross-entropy −ln p = "
                f"<b>{state['ce']:.3f}</b><br>∂MSE/∂z = 2(p − 1)·p(1 − p) = "
                f"<b>{_num(state['mse_grad'], 4)}</b> &nbsp;·&nbsp; ∂CE/∂z = p − 1 = "
                f"<b>{_num(state['ce_grad'], 3)}</b> &nbsp;·&nbsp; cross-entropy's push is "
                f"<b>{ratio:.1f}×</b> MSE's")

    def _title(self, state):
        return (f"p = {state['p']:.3g}: MSE {state['mse']:.4f}, CE {state['ce']:.3f}; "
                f"∂/∂z: MSE {_num(state['mse_grad'], 4)}, CE {_num(state['ce_grad'], 3)}")


def confident_wrong_explorer():
    """Slide the probability of the true class from 0.001 to 0.999; compare MSE and CE.

    Shows MSE (1 − p)² and cross-entropy −ln p with markers at the current ``p``, and both
    gradients with respect to the logit z: cross-entropy's is p − 1, MSE's (through the
    sigmoid) 2(p − 1)·p(1 − p), which vanishes exactly where the model is most wrong.

    Returns
    -------
    Explorer
        Control ``"p"`` (log-scale slider, 0.001..0.999); presets "Model A (p = 0.9)",
        "Model B (p = 0.6)", "Model C (p = 0.01)"; readout ``"mse"``, ``"cross_entropy"``,
        ``"mse_grad_logit"``, ``"ce_grad_logit"``.

    Examples
    --------
    >>> ex = confident_wrong_explorer()
    >>> ex.controls["p"].value = 0.01
    >>> r = ex.readout
    >>> print(f"{r['mse']:.4f} {r['cross_entropy']:.3f} {r['mse_grad_logit']:.4f} "
    ...       f"{r['ce_grad_logit']:.2f}")
    0.9801 4.605 -0.0196 -0.99
    """
    return ConfidentWrongExplorer()


# =============================================================================================
# 4. Any loss of the registry: the loss and its gradient as curves
# =============================================================================================

# How each loss of lossviz.LOSSES becomes a curve over one number, the "prediction":
#   kind       the prediction is ...                     target
#   value      a regression prediction ŷ                 y = 0
#   prob       a probability p                           y = 1
#   logit      a logit z                                 y = 1
#   class      the true class's logit (others 0)         class 0 of 3
#   soft       the first class's logit (others 0)        soft target (0.8, 0.1, 0.1)
_LOSS_KINDS = {
    "mse": "value", "mae": "value", "huber": "value",
    "binary_cross_entropy": "prob",
    "binary_cross_entropy_with_logits": "logit",
    "cross_entropy": "class",
    "soft_cross_entropy": "soft",
}
_KIND_SPECS = {
    #        (lo, hi, step, default, slider description, x-axis label)
    "value": (-4.0, 4.0, 0.05, 1.5, "prediction ŷ (target y = 0)",
              "prediction ŷ (units of y; target y = 0)"),
    "prob": (0.01, 0.99, 0.01, 0.6, "predicted probability p (label y = 1)",
             "predicted probability p (label y = 1)"),
    "logit": (-6.0, 6.0, 0.05, 0.5, "logit z (label y = 1)", "logit z (label y = 1)"),
    "class": (-6.0, 6.0, 0.05, 0.5, "logit of the true class (other two logits 0)",
              "logit of the true class, z₀ (z₁ = z₂ = 0)"),
    "soft": (-6.0, 6.0, 0.05, 0.5, "logit of class 0 (other two 0; target 0.8/0.1/0.1)",
             "logit z₀ (z₁ = z₂ = 0; soft target 0.8, 0.1, 0.1)"),
}
_LOSS_TITLES = {
    "mse": "mean squared error", "mae": "mean absolute error", "huber": "Huber loss",
    "binary_cross_entropy": "binary cross-entropy (on a probability)",
    "binary_cross_entropy_with_logits": "binary cross-entropy (on a logit)",
    "cross_entropy": "cross-entropy (3 classes)",
    "soft_cross_entropy": "soft-target cross-entropy (3 classes)",
}
_LOSS_UNITS = {
    "mse": "units of y²", "mae": "units of y", "huber": "units of y",
    "binary_cross_entropy": "nats", "binary_cross_entropy_with_logits": "nats",
    "cross_entropy": "nats", "soft_cross_entropy": "nats",
}
_SOFT_TARGET = np.array([0.8, 0.1, 0.1])
_DELTA_RANGE = (0.1, 3.0)


def _loss_and_grad(name, x, delta=1.0):
    """Loss and d loss / d prediction of ``lossviz.LOSSES[name]`` at each prediction in ``x``."""
    loss_fn, grad_fn = lv.LOSSES[name]
    kind = _LOSS_KINDS[name]
    x = np.asarray(x, dtype=float)
    kw = {"reduction": "none"}
    if name == "huber":
        kw["delta"] = float(delta)
    if kind in ("value", "prob", "logit"):
        y = np.zeros_like(x) if kind == "value" else np.ones_like(x)
        return loss_fn(x, y, **kw), grad_fn(x, y, **kw)
    # Three-class losses: logits (x, 0, 0). Shifting a row by its maximum changes neither the
    # loss nor the gradient, and leaves no row that could pass for probabilities (rows are
    # <= 0 with a 0), which cross_entropy would rightly warn about.
    z = np.zeros((x.size, 3))
    z[:, 0] = x
    z -= z.max(axis=1, keepdims=True)
    y = np.zeros(x.size, dtype=int) if kind == "class" else np.tile(_SOFT_TARGET, (x.size, 1))
    return loss_fn(z, y, **kw), grad_fn(z, y, **kw)[:, 0]


class LossCurveExplorer(Explorer):
    """See :func:`loss_curve_explorer`."""

    title = "Any loss as a curve: the gradient is the slope under the marker"

    def __init__(self, loss="mse"):
        if loss not in lv.LOSSES:
            raise ValueError(f"loss_curve_explorer: unknown loss {loss!r}; choose one of "
                             f"{list(lv.LOSSES)}")
        lo, hi, step, default, desc, _ = _KIND_SPECS[_LOSS_KINDS[loss]]
        controls = {
            "loss": widgets.Dropdown(options=list(lv.LOSSES), value=loss, description="loss"),
            "prediction": _slider(default, lo, hi, step, desc),
            "delta": _slider(1.0, *_DELTA_RANGE, 0.05, "Huber δ (where squared turns linear)"),
        }
        # δ only means something for Huber: the slider is shown only then (a greyed-out slider
        # that ignores the keyboard confuses more than it helps).
        controls["delta"].layout.display = None if loss == "huber" else "none"
        self._limits_cache = {}
        self._curves = {}
        super().__init__(controls)

    def _limits(self, name):
        """Fixed axis limits per loss, covering the slider's whole range (and every Huber δ)."""
        if name not in self._limits_cache:
            lo, hi = _KIND_SPECS[_LOSS_KINDS[name]][:2]
            x = np.linspace(lo, hi, 401)
            deltas = _DELTA_RANGE if name == "huber" else (1.0,)
            ls, gs = zip(*(_loss_and_grad(name, x, d) for d in deltas), strict=True)
            ls, gs = np.concatenate(ls), np.concatenate(gs)

            def pad(a, b, keep_zero):
                lo_, hi_ = (min(a, 0.0), max(b, 0.0)) if keep_zero else (a, b)
                m = 0.06 * (hi_ - lo_ or 1.0)
                return lo_ - m, hi_ + m

            self._limits_cache[name] = ((lo, hi), pad(ls.min(), ls.max(), True),
                                        pad(gs.min(), gs.max(), True))
        return self._limits_cache[name]

    def _react(self, change):
        if change["owner"] is not self.controls["loss"]:
            return
        name = change["new"]
        lo, hi, step, default, desc, _ = _KIND_SPECS[_LOSS_KINDS[name]]
        s = self.controls["prediction"]
        with self._quiet(), s.hold_trait_notifications():
            # widen first so min <= value <= max holds at every step
            s.min, s.max = min(s.min, lo), max(s.max, hi)
            s.value = default
            s.min, s.max, s.step = lo, hi, step
            s.description = desc
        self.controls["delta"].layout.display = None if name == "huber" else "none"
        self._relayout = True

    def _complete(self, setting):
        # A loss named without a prediction starts at that loss's default prediction.
        setting = dict(setting)
        name = setting.get("loss", self.defaults["loss"])
        if name not in lv.LOSSES:
            raise ValueError(f"snapshot: loss={name!r} is not one of {list(lv.LOSSES)}")
        lo, hi, _, default, _, _ = _KIND_SPECS[_LOSS_KINDS[name]]
        x = setting.setdefault("prediction", default)
        if not lo <= x <= hi:
            raise ValueError(f"snapshot: prediction={x!r} is outside [{lo:g}, {hi:g}] for "
                             f"loss {name!r}")
        setting.pop("prediction")
        values = super()._complete(setting)
        values["prediction"] = x
        return values

    def _compute(self, values):
        name, x, delta = values["loss"], float(values["prediction"]), float(values["delta"])
        curve_key = (name, delta if name == "huber" else None)
        if curve_key not in self._curves:  # the curves change only with the loss (and δ)
            lo, hi = _KIND_SPECS[_LOSS_KINDS[name]][:2]
            grid = np.linspace(lo, hi, 401)
            if len(self._curves) > 64:
                self._curves.clear()
            self._curves[curve_key] = (grid, *_loss_and_grad(name, grid, delta))
        grid, curve_l, curve_g = self._curves[curve_key]
        loss, grad = _loss_and_grad(name, np.array([x]), delta)
        return {"name": name, "x": x, "delta": delta, "grid": grid, "curve_l": curve_l,
                "curve_g": curve_g, "loss": float(loss[0]), "grad": float(grad[0])}

    def _draw(self, fig, state):
        ax_l, ax_g = fig.subplots(1, 2)
        lc = lp.loss_curve(ax_l, state["grid"], state["curve_l"], value_text="")
        # top centre: above the minimum of the U-shaped losses and right of the steep left
        # end of the cross-entropies, where no loss curve, marker or tangent reaches
        lc.label.set_x(0.5)
        lc.label.set_horizontalalignment("center")
        tangent = lp.tangent_line(ax_l, state["x"], state["loss"], state["grad"], half_width=1.0)
        gc = lp.gradient_curve(ax_g, state["grid"], state["curve_g"], value_text="")
        ax_g.set_ylabel("gradient ∂loss/∂prediction")
        ax_g.set_title("gradient (slope of the loss)")
        art = {"ax_l": ax_l, "ax_g": ax_g, "lc": lc, "tangent": tangent, "gc": gc}
        self._update(art, state)
        return art

    def _moving(self, art):
        # The curves move too: Huber's δ reshapes them without changing the axes.
        return [art["lc"].line, art["tangent"].line, *art["lc"].moving, art["gc"].line,
                *art["gc"].moving]

    def _update(self, art, state):
        name = state["name"]
        (xlo, xhi), ylim_l, ylim_g = self._limits(name)
        color = lp.LOSS_COLORS[name]
        xlabel = _KIND_SPECS[_LOSS_KINDS[name]][5]
        # Labels change with the loss, outside the style context: pass the style's sizes.
        label_kw = {"fontsize": lp.STYLE["axes.labelsize"]}
        for ax in (art["ax_l"], art["ax_g"]):
            if ax.get_xlim() != (xlo, xhi):
                ax.set_xlim(xlo, xhi)
            if ax.get_xlabel() != xlabel:
                ax.set_xlabel(xlabel, **label_kw)
        ylabel = f"loss ({_LOSS_UNITS[name]})"
        if art["ax_l"].get_ylabel() != ylabel:
            art["ax_l"].set_ylabel(ylabel, **label_kw)
        if art["ax_l"].get_ylim() != ylim_l:
            art["ax_l"].set_ylim(*ylim_l)
            art["ax_g"].set_ylim(*ylim_g)
        title = _LOSS_TITLES[name] + (f", δ = {state['delta']:.2f}" if name == "huber" else "")
        art["ax_l"].set_title(title, fontsize=lp.STYLE["axes.titlesize"],
                              fontweight=lp.STYLE["axes.titleweight"])
        lc, gc = art["lc"], art["gc"]
        for c in (lc, gc):
            c.line.set_color(color)
            c.marker.set_color(color)
            c.marker.set_markeredgecolor(lp.COLORS["marker"])
        gc.line.set_color(lp.COLORS["gradient"])
        gc.marker.set_color(lp.COLORS["gradient"])
        gc.marker.set_markeredgecolor(lp.COLORS["marker"])
        lc.label.set_color(lp.text_color(color))
        lc.update(state["x"], state["loss"], x=state["grid"], y=state["curve_l"],
                  text=f"loss = {_num(state['loss'])}")
        gc.update(state["x"], state["grad"], x=state["grid"], y=state["curve_g"],
                  text=f"gradient = {_num(state['grad'])}")
        art["tangent"].update(state["x"], state["loss"], state["grad"],
                              half_width=0.12 * (xhi - xlo))

    def _static_key(self, state):
        # the loss title (with Huber's δ) is drawn with the axes: part of the background
        return (state["name"], state["delta"] if state["name"] == "huber" else None)

    def _readout(self, state):
        return {"loss": state["loss"], "grad": state["grad"]}

    def _describe(self, state):
        name, x, g = state["name"], state["x"], state["grad"]
        where = _KIND_SPECS[_LOSS_KINDS[name]][4]
        if g > 0:
            move = "so gradient descent moves the prediction left (down the slope)"
        elif g < 0:
            move = "so gradient descent moves the prediction right (down the slope)"
        else:
            move = "so the prediction sits at the bottom and gradient descent stops"
        return (f"{_LOSS_TITLES[name].capitalize()} at {where.split(' (')[0]} = {_num(x, 2)}: "
                f"loss {_num(state['loss'])}, gradient {_num(g)}, {move}.")

    def _readout_html(self, state):
        extra = f" &nbsp;·&nbsp; δ = {state['delta']:.2f}" if state["name"] == "huber" else ""
        return (f"{html.escape(_LOSS_TITLES[state['name']])}: prediction = "
                f"{_num(state['x'], 2)}{extra} &nbsp;·&nbsp; loss = <b>{_num(state['loss'])}"
                f"</b> &nbsp;·&nbsp; gradient = <b>{_num(state['grad'])}</b>")

    def _title(self, state):
        extra = f", δ = {state['delta']:.2f}" if state["name"] == "huber" else ""
        return (f"{_LOSS_TITLES[state['name']]}{extra} at {_num(state['x'], 2)}: "
                f"loss {_num(state['loss'])}, gradient {_num(state['grad'])}")


def loss_curve_explorer(loss="mse"):
    """Pick a loss from ``lossviz.LOSSES``, move the prediction, watch loss and gradient.

    Each loss is drawn over one number: a regression prediction ŷ with target 0 (MSE, MAE,
    Huber), a probability p with label 1 (binary cross-entropy), a logit z with label 1 (the
    logits version), or the first of three logits with the others at 0 (cross-entropy with
    class 0 true; soft cross-entropy with target 0.8/0.1/0.1). The dashed tangent's slope
    is the gradient.

    Returns
    -------
    Explorer
        Controls ``"loss"`` (dropdown), ``"prediction"`` (its range follows the loss) and
        ``"delta"`` (Huber only); readout ``"loss"``, ``"grad"``.

    Examples
    --------
    >>> ex = loss_curve_explorer()
    >>> ex.set(loss="huber", prediction=3.0, delta=1.0)
    >>> print(f"{ex.readout['loss']:.2f} {ex.readout['grad']:.2f}")  # 1·(3 − 0.5), slope δ
    2.50 1.00
    """
    return LossCurveExplorer(loss)


# =============================================================================================
# 5. The Gaussian view of MSE (notebook 06): NLL = MSE / (2σ²) + ½ log(2πσ²)
# =============================================================================================

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


# =============================================================================================
# 6. Outliers (notebook 05): the MSE, MAE and Huber lines through house prices
# =============================================================================================

_ROBUST_LOSSES = ("mse", "mae", "huber")
_ROBUST_NAMES = {"mse": "MSE", "mae": "MAE", "huber": "Huber"}
_OUTLIER_SIZE_RANGE = (0.0, 2000.0)  # k$ added to the price of each outlier
_N_OUTLIERS_MAX = 5
_HUBER_DELTA_RANGE = (2.0, 1000.0)  # k$; log slider
_HUBER_ITERATIONS = 150
_PRICE_AXIS_MIN = 1200.0  # k$: the clean prices (up to ~720 k$) stay below the legend
_PAIR_CHUNK = 2_000_000  # elements of the (batch, pairs, n) residual array built at once


def _line_mse(x, y):
    """Least squares line, closed form: slope cov(x, y) / var(x), through the means."""
    xm = x.mean(axis=-1, keepdims=True)
    ym = y.mean(axis=-1, keepdims=True)
    xc = x - xm  # centring keeps the sums well conditioned (sizes ~100 m², prices ~400 k$)
    slope = np.sum(xc * (y - ym), axis=-1) / np.sum(xc * xc, axis=-1)
    return slope, ym[..., 0] - slope * xm[..., 0]


def _line_mae(x, y):
    """Least absolute deviations line, exactly: the best line through two of the points.

    Minimising sum |y - (a x + b)| is a linear programme in (a, b); an optimal vertex makes
    two residuals zero, so it suffices to try the line through every pair of points (with
    different x) and keep the one with the smallest total. n = 50 gives 1,225 candidates.
    """
    n = x.shape[-1]
    i, j = np.triu_indices(n, 1)
    batch = x.reshape(-1, n), y.reshape(-1, n)
    slopes, intercepts = [], []
    step = max(1, _PAIR_CHUNK // (i.size * n))
    for start in range(0, batch[0].shape[0], step):
        xs, ys = batch[0][start:start + step], batch[1][start:start + step]
        dx = xs[:, j] - xs[:, i]
        same = dx == 0
        a = (ys[:, j] - ys[:, i]) / np.where(same, 1.0, dx)
        b = ys[:, i] - a * xs[:, i]
        total = np.abs(ys[:, None, :] - (a[..., None] * xs[:, None, :] + b[..., None])).sum(-1)
        total[same] = np.inf  # two houses of the same size do not define a line
        best = np.argmin(total, axis=1)
        rows = np.arange(xs.shape[0])
        slopes.append(a[rows, best])
        intercepts.append(b[rows, best])
    shape = x.shape[:-1]
    return np.concatenate(slopes).reshape(shape), np.concatenate(intercepts).reshape(shape)


def _line_huber(x, y, delta, start):
    """Huber line by iteratively reweighted least squares, from a starting line.

    Huber's gradient clip(r, -delta, delta) equals w * r with weight w = min(1, delta / |r|),
    so a minimum solves weighted least squares with those weights. Solving it again and again
    with updated weights never increases the Huber loss (a majorise-minimise step). From the
    MAE line it settles in a few dozen iterations on the house prices; the slowest case,
    delta = 2 k$ without outliers, needs about 100 to bring the gradient below 1e-9 of its
    scale, and the loop stops as soon as the line no longer changes.
    """
    xm = x.mean(axis=-1, keepdims=True)
    xc = x - xm
    a, b = start
    b = b + a * xm[..., 0]  # intercept of the centred line
    for _ in range(_HUBER_ITERATIONS):
        r = np.abs(y - (a[..., None] * xc + b[..., None]))
        w = np.minimum(1.0, delta / np.maximum(r, delta * 1e-12))
        s0, s1, s2 = w.sum(-1), (w * xc).sum(-1), (w * xc * xc).sum(-1)
        t0, t1 = (w * y).sum(-1), (w * xc * y).sum(-1)
        det = s0 * s2 - s1 * s1
        a_new, b_new = (s0 * t1 - s1 * t0) / det, (s2 * t0 - s1 * t1) / det
        done = np.all(np.abs(a_new - a) <= 1e-12 * (1.0 + np.abs(a))) and np.all(
            np.abs(b_new - b) <= 1e-12 * (1.0 + np.abs(b)))
        a, b = a_new, b_new
        if done:
            break
    return a, b - a * xm[..., 0]


def line_fits(x, y, *, delta=50.0):
    """The straight lines ``y ≈ slope * x + intercept`` that minimise MSE, MAE and Huber, exactly.

    This is what :func:`outlier_explorer` draws; it is fast enough to run on every slider move
    (about a millisecond for 50 points) and vectorised over leading axes, so a notebook can
    fit hundreds of data sets at once.

    Parameters
    ----------
    x, y : array_like of shape (..., n)
        Feature and target of each data set (n >= 2; x not constant). The same leading shape
        for both, e.g. (n,) for one data set or (n_sets, n) for many.
    delta : float, keyword-only
        Huber's threshold, in the units of ``y``, > 0.

    Returns
    -------
    dict
        ``{"mse": (slope, intercept), "mae": (...), "huber": (...)}``; each a float for 1-D
        input, else an ndarray of the leading shape.

    Notes
    -----
    MSE: the closed form, slope = cov(x, y) / var(x). MAE: the best line through two of the
    points (an optimal line of a least-absolute-deviations fit always passes through two), found
    by trying every pair. Huber: iteratively reweighted least squares from the MAE line, with
    weights min(1, delta / |residual|). Unlike the gradient-descent loops of
    :mod:`lossviz.training`, these are exact minimisers (MAE: a minimiser, when several lines
    tie), which the tests check against ``lossviz.mae`` and ``lossviz.huber_grad``.

    Examples
    --------
    Four points on y = 2x + 1 and one far above: MSE's line tilts, MAE's does not move.

    >>> x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    >>> y = 2 * x + 1
    >>> y[4] += 20
    >>> fits = line_fits(x, y, delta=1.0)
    >>> {k: f"{s:.2f}" for k, (s, b) in fits.items()}
    {'mse': '6.00', 'mae': '2.00', 'huber': '2.50'}
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim == 0 or x.shape[-1] < 2:
        raise ValueError(f"line_fits: x and y must have the same shape (..., n) with n >= 2, got "
                         f"{x.shape} and {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("line_fits: x and y must be finite")
    if np.any(np.ptp(x, axis=-1) == 0):
        raise ValueError("line_fits: x is constant in a data set; a slope needs two different x")
    if isinstance(delta, bool) or not isinstance(delta, (int, float, np.floating, np.integer)) \
            or not (math.isfinite(delta) and delta > 0):
        raise ValueError(f"line_fits: delta must be a positive number, got {delta!r}")
    mse = _line_mse(x, y)
    mae = _line_mae(x, y)
    huber = _line_huber(x, y, float(delta), mae)
    out = {"mse": mse, "mae": mae, "huber": huber}
    if x.ndim == 1:
        out = {k: (float(s), float(b)) for k, (s, b) in out.items()}
    return out


def _kdollars(v):
    """Thousands of dollars for people: 2.5 k$, 50 k$, 1,000 k$."""
    return f"{v:.2g} k$" if v < 10 else f"{v:,.0f} k$"


def _nice_top(x):
    """A round axis top >= x from 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k."""
    k = math.floor(math.log10(x))
    for m in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * 10.0**k >= x:
            return m * 10.0**k
    return 10.0 ** (k + 1)


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


__all__ += ["line_fits", "outlier_explorer"]


# =============================================================================================
# 7. Loss landscapes (notebook 04): where one gradient step takes each loss
# =============================================================================================

_LANDSCAPE_RANGE = (-8.0, 8.0)
_LANDSCAPE_GRID = 81
_LR_RANGE = (0.1, 10.0)  # log slider
_LANDSCAPE_LOSSES = ("cross_entropy", "mse")
_LANDSCAPE_NAMES = {"cross_entropy": "cross-entropy", "mse": "MSE"}
_ARROW_MIN = 0.3  # shortest step drawn as an arrow (units of w and b)


def _logistic_loss_and_grad(loss, w, b, x, y):
    """Mean loss of p = sigmoid(w x + b) over (x, y) and its gradient (d/dw, d/db).

    ``w`` and ``b`` may be arrays of any (equal) shape: one loss per (w, b).
    """
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    z = w[..., None] * x + b[..., None]
    t = np.broadcast_to(y, z.shape)
    if loss == "cross_entropy":
        per = lv.binary_cross_entropy_with_logits(z, t, reduction="none")
        g = lv.binary_cross_entropy_with_logits_grad(z, t, reduction="none")  # p - y
    else:
        p = lv.sigmoid(z)
        per = lv.mse(p, t, reduction="none")
        # chain rule through the sigmoid: 2 (p - y) p (1 - p)
        g = lv.mse_grad(p, t, reduction="none") * lv.sigmoid_grad(z)
    n = x.shape[-1]
    return per.mean(-1), (g * x).sum(-1) / n, g.sum(-1) / n


class LandscapeExplorer(Explorer):
    """See :func:`landscape_explorer`."""

    width_px = 960
    height_px = 430
    snapshot_row_px = 380
    title = "Loss landscapes: where does one gradient step take each loss?"

    def __init__(self, n=100, seed=0):
        from lossviz import data

        x, y = data.two_class_1d(n, seed=seed)
        self.x, self.y = x, y.astype(float)
        lo, hi = _LANDSCAPE_RANGE
        self.grid = np.linspace(lo, hi, _LANDSCAPE_GRID)
        W, B = np.meshgrid(self.grid, self.grid)
        self.surfaces = {loss: _logistic_loss_and_grad(loss, W, B, self.x, self.y)[0]
                         for loss in _LANDSCAPE_LOSSES}
        controls = {
            "w": _slider(-3.0, lo, hi, 0.05, "weight w of p = σ(w·x + b)"),
            "b": _slider(0.0, lo, hi, 0.05, "bias b"),
            "lr": widgets.FloatLogSlider(
                value=2.0, base=10, min=math.log10(_LR_RANGE[0]), max=math.log10(_LR_RANGE[1]),
                step=0.01, description="learning rate (each arrow is one step)",
                readout_format=".3g", continuous_update=True),
        }
        presets = {
            "confidently wrong (−3, 0)": {"w": -3.0, "b": 0.0},
            "deep on the plateau (−6, 3)": {"w": -6.0, "b": 3.0},
            "near the best (4, −0.4)": {"w": 4.0, "b": -0.4},
        }
        super().__init__(controls, presets=presets)

    def _compute(self, values):
        w, b, lr = float(values["w"]), float(values["b"]), float(values["lr"])
        out = {"w": w, "b": b, "lr": lr,
               "accuracy": float(np.mean((w * self.x + b > 0) == (self.y == 1)))}
        for loss in _LANDSCAPE_LOSSES:
            value, gw, gb = _logistic_loss_and_grad(loss, w, b, self.x, self.y)
            out[loss] = {"loss": float(value), "gw": float(gw), "gb": float(gb),
                         "norm": math.hypot(float(gw), float(gb))}
        return out

    def _draw(self, fig, state):
        axes = fig.subplots(1, 2)
        art = {"markers": {}, "arrows": {}}
        for ax, loss in zip(axes, _LANDSCAPE_LOSSES, strict=True):
            lp.loss_landscape(ax, self.grid, self.grid, self.surfaces[loss], levels=12,
                              log=loss == "cross_entropy", color=lp.LOSS_COLORS[loss],
                              title=f"{_LANDSCAPE_NAMES[loss]} through the sigmoid")
            ax.set_xlim(*_LANDSCAPE_RANGE)
            ax.set_ylim(*_LANDSCAPE_RANGE)
            # shrinkA/B = 0: the arrow runs exactly from (w, b) to the end of the step
            arrow = mpl.patches.FancyArrowPatch((0.0, 0.0), (1.0, 0.0), arrowstyle="-|>",
                                                mutation_scale=22, linewidth=3, shrinkA=0,
                                                shrinkB=0, color=lp.COLORS["gradient"], zorder=7)
            ax.add_patch(arrow)
            (marker,) = ax.plot([], [], "o", markersize=10, markerfacecolor="white",
                                markeredgecolor=lp.COLORS["gradient"], markeredgewidth=2.5,
                                zorder=6)
            art["markers"][loss], art["arrows"][loss] = marker, arrow
        self._update(art, state)
        return art

    def _moving(self, art):
        return [*art["arrows"].values(), *art["markers"].values()]

    def _update(self, art, state):
        w, b, lr = state["w"], state["b"], state["lr"]
        for loss in _LANDSCAPE_LOSSES:
            s = state[loss]
            art["markers"][loss].set_data([w], [b])
            # one gradient-descent step: (w, b) - lr * gradient; a step shorter than the arrow
            # head (0.3 in w and b) shows as no arrow at all, just the marker
            arrow = art["arrows"][loss]
            arrow.set_visible(lr * s["norm"] >= _ARROW_MIN)
            if arrow.get_visible():
                arrow.set_positions((w, b), (w - lr * s["gw"], b - lr * s["gb"]))

    def _readout(self, state):
        out = {"accuracy": state["accuracy"]}
        for loss, short in (("cross_entropy", "ce"), ("mse", "mse")):
            s = state[loss]
            out[f"loss_{short}"] = s["loss"]
            out[f"grad_norm_{short}"] = s["norm"]
            out[f"step_{short}"] = state["lr"] * s["norm"]
        return out

    def _describe(self, state):
        ce, ms = state["cross_entropy"], state["mse"]
        ratio = ce["norm"] / ms["norm"] if ms["norm"] > 0 else math.inf
        return (f"At w = {_num(state['w'], 2)}, b = {_num(state['b'], 2)} the model classifies "
                f"{state['accuracy']:.0%} of the examples correctly. Cross-entropy is "
                f"{ce['loss']:.3f} with gradient norm {ce['norm']:.4f}, so one step of learning "
                f"rate {state['lr']:.3g} moves (w, b) by {state['lr'] * ce['norm']:.3f}; MSE is "
                f"{ms['loss']:.3f} with gradient norm {ms['norm']:.4f}, a step of "
                f"{state['lr'] * ms['norm']:.3f}: cross-entropy's push is {ratio:.1f} times "
                "stronger.")

    def _readout_html(self, state):
        ce, ms = state["cross_entropy"], state["mse"]
        ratio = ce["norm"] / ms["norm"] if ms["norm"] > 0 else math.inf
        return (f"w = {_num(state['w'], 2)}, b = {_num(state['b'], 2)}: accuracy "
                f"<b>{state['accuracy']:.0%}</b><br>cross-entropy <b>{ce['loss']:.3f}</b>, "
                f"gradient norm <b>{ce['norm']:.4f}</b> &nbsp;·&nbsp; MSE <b>{ms['loss']:.3f}"
                f"</b>, gradient norm <b>{ms['norm']:.4f}</b> &nbsp;·&nbsp; ratio "
                f"<b>{ratio:.1f}×</b>; step length at rate {state['lr']:.3g}: "
                f"{state['lr'] * ce['norm']:.3f} vs {state['lr'] * ms['norm']:.3f}")

    def _title(self, state):
        ce, ms = state["cross_entropy"], state["mse"]
        return (f"(w, b) = ({_num(state['w'], 2)}, {_num(state['b'], 2)}), accuracy "
                f"{state['accuracy']:.0%}: gradient norm CE {ce['norm']:.3f}, "
                f"MSE {ms['norm']:.4f}")


def landscape_explorer():
    """Move the parameters (w, b) of a 1-D logistic model over both loss landscapes.

    The data are :func:`lossviz.data.two_class_1d` (100 points, seed 0) and the model is
    ``p = sigmoid(w * x + b)``. Both panels show a loss over (w, b), cross-entropy on the left
    and MSE on the right (drawn once, as in notebook 04), with a marker at the current (w, b)
    and an arrow for one gradient-descent step, ``-lr * gradient`` (steps shorter than 0.3 are
    not drawn). On MSE's plateau the arrow vanishes while cross-entropy's stays long.

    Returns
    -------
    Explorer
        Controls ``"w"``, ``"b"`` (−8..8) and ``"lr"`` (log slider 0.1..10, default 2);
        presets;
        readout ``"accuracy"``, ``"loss_ce"``, ``"loss_mse"``, ``"grad_norm_ce"``,
        ``"grad_norm_mse"``, ``"step_ce"``, ``"step_mse"`` (the arrows' lengths).

    Examples
    --------
    At the confidently wrong start (w, b) = (−3, 0):

    >>> ex = landscape_explorer()
    >>> r = ex.readout
    >>> print(f"{r['accuracy']:.2f} {r['grad_norm_ce']:.4f} {r['grad_norm_mse']:.4f}")
    0.05 1.5844 0.0340
    """
    return LandscapeExplorer()


__all__ += ["landscape_explorer"]
