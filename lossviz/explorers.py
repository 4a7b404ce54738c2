"""Slider explorers: move a prediction and watch the loss and its gradient respond.

Four factories, each returning an :class:`Explorer`:

- :func:`mse_explorer` (and :func:`house_price_explorer`): predictions vs targets, errors,
  squared errors and their shares, the MSE.
- :func:`softmax_explorer`: cat/dog/bird logits -> softmax probabilities -> cross-entropy and
  its gradient.
- :func:`confident_wrong_explorer`: one probability ``p`` for the true class; MSE and
  cross-entropy, and their gradients with respect to the logit.
- :func:`loss_curve_explorer`: any loss of ``lossviz.LOSSES`` as a curve, with its gradient.

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
from lossviz import plotting as lp

__all__ = [
    "Explorer",
    "mse_explorer",
    "house_price_explorer",
    "softmax_explorer",
    "confident_wrong_explorer",
    "loss_curve_explorer",
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
            b = widgets.Button(description=name, layout=widgets.Layout(width="auto"))
            b.add_class("lossviz-preset")
            b.on_click(lambda _b, name=name: self.apply_preset(name))
            self.preset_buttons[name] = b
        rows = [widgets.HTML(f"<b style='font-size:1.2em'>{html.escape(self.title)}</b>")]
        rows += list(self.controls.values())
        if self.preset_buttons:
            rows.append(widgets.HBox([widgets.Label("Presets:"), *self.preset_buttons.values()]))
        rows += [picture, self._readout_widget, self._caption]
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
        """The current control values, ``{name: value}``."""
        return {name: c.value for name, c in self.controls.items()}

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
        fig = lp.new_figure(self.width_px, self.snapshot_row_px * n)
        with lp.style():
            subfigs = fig.subfigures(n, 1, squeeze=False).ravel()
            for sub, state in zip(subfigs, states, strict=True):
                self._draw(sub, state)
                sub.suptitle(self._title(state), fontweight="bold")
        return fig

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
            elif not lo <= v <= hi:
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
        # Step 0.001: the browser snaps a slider's value to its step, and the presets' logits
        # (ln 0.70 = -0.3567, ...) must survive that snapping to within the readout's 3 decimals
        # (at step 0.01, ln 0.70 becomes -0.36 and the readout shows p = 0.699, CE = 0.358).
        controls = {c: _slider(math.log(p), lo, hi, 0.001, f"logit z of {c}", fmt=".3f")
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


class ConfidentWrongExplorer(Explorer):
    """See :func:`confident_wrong_explorer`."""

    title = "Confidently wrong: cross-entropy keeps pushing where MSE's gradient vanishes"

    def __init__(self):
        controls = {"p": widgets.FloatLogSlider(
            value=0.9, base=10, min=math.log10(_P_MIN), max=math.log10(_P_MAX), step=0.001,
            description="p = predicted probability of the true class (log scale)",
            readout_format=".3g", continuous_update=True)}
        presets = {"Model A (p = 0.9)": {"p": 0.9}, "Model B (p = 0.6)": {"p": 0.6},
                   "Model C (p = 0.01)": {"p": 0.01}}
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
        ax_g.set_ylim(-1.05, 0.08)
        ax_g.set_ylabel("∂loss/∂z (per unit logit)")
        ax_g.set_title("gradient with respect to the logit z")
        mse_g = lp.gradient_curve(ax_g, self.grid, self.curves["mse_grad"],
                                  color=lp.COLORS["mse"], label="MSE: 2(p − 1)·p(1 − p)",
                                  value_text="", text_loc="lower right")
        ce_g = lp.gradient_curve(ax_g, self.grid, self.curves["ce_grad"],
                                 color=lp.COLORS["cross_entropy"], label="CE: p − 1",
                                 value_text="", text_loc="lower right")
        mse_g.label.set_y(0.28)
        ax_g.legend(loc="center right")
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
        controls["delta"].disabled = loss != "huber"
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
        self.controls["delta"].disabled = name != "huber"
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
        lc.label.set_color(color)
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
