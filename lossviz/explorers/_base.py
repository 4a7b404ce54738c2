"""The base of the slider explorers: :class:`Explorer`, its contract, and the small helpers
the explorer modules share (sliders, number formatting, log-slider grids, axis tops).

The explorers themselves live one topic per module (see :mod:`lossviz.explorers`); each
subclasses :class:`Explorer` and adds a factory function.

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
that move are redrawn (see :class:`lossviz.rendering.BlitRenderer`). Under ``%matplotlib widget``
the ipympl canvas is embedded instead. Nothing is registered with pyplot, so nothing is shown
twice and ``plt.gcf()`` never returns an explorer's figure.

Every number comes from the ``lossviz`` math functions; the explorer modules only arrange them.
"""

from __future__ import annotations

import contextlib
import html
import math

import ipywidgets as widgets

from lossviz import _a11y, rendering
from lossviz import plotting as lp

__all__ = ["Explorer"]

MINUS = "\u2212"


def _f(x):
    """A readout value: a plain Python float."""
    return float(x)


def _num(x, digits=3):
    """Format a number for people: real minus sign, fixed digits."""
    s = f"{float(x):.{digits}f}"
    return s.replace("-", MINUS)


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
        rendering.freeze_layout(self.figure)

        if rendering.use_ipympl():
            self._view = rendering.IpymplView(self.figure)
            self.image = None
            picture = self._view.canvas
        else:
            self._view = rendering.BlitRenderer(self.figure, self._moving(self._artists))
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
            rendering.freeze_layout(self.figure)
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
    snapshot_margins_px = {"left": 74, "right": 14, "bottom": 52, "top": 58}
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


def _nice_top(x):
    """A round axis top >= x from 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k."""
    k = math.floor(math.log10(x))
    for m in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * 10.0**k >= x:
            return m * 10.0**k
    return 10.0 ** (k + 1)
