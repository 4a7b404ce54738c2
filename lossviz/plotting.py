"""Matplotlib drawing helpers shared by the notebooks and the explorers.

Every ``draw`` function here draws onto an ``Axes`` it is given and returns a small object that
holds the artists it made, with an ``update(...)`` method that changes them in place
(``set_data``, ``set_height``, ``set_text``) and a ``moving`` list of the artists an update
touches. Callers that redraw often (the slider explorers) draw the static parts once and then
redraw only ``moving``; callers that draw once simply ignore it.

Sections
--------
- Palette and style: :data:`OKABE_ITO`, :data:`COLORS`, :data:`LOSS_COLORS`, :data:`STYLE`,
  :func:`style`, :func:`apply_style`, :func:`new_figure`, :func:`freeze_layout`.
- Curves: :func:`loss_curve`, :func:`gradient_curve`, :func:`tangent_line`.
- Bars: :func:`value_bars`, :func:`target_prediction_errors`, :func:`squared_error_bars`,
  :func:`probability_bars`, :func:`gradient_bars`.
- Text: :func:`corner_text`, :func:`fmt_signed`, :func:`fmt_money`.

Only matplotlib and numpy are imported here (no pyplot state is touched, no ipywidgets), so
figures built with :func:`new_figure` are never shown twice by an inline backend.
"""

from __future__ import annotations

import colorsys
import math
import struct
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field

import matplotlib as mpl
import numpy as np
from matplotlib import transforms as mtransforms
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "COLORS",
    "LOSS_COLORS",
    "STYLE",
    "style",
    "apply_style",
    "persist_tick_style",
    "new_figure",
    "freeze_layout",
    "Curve",
    "Tangent",
    "Bars",
    "SquaredErrorBars",
    "loss_curve",
    "gradient_curve",
    "tangent_line",
    "value_bars",
    "ErrorStems",
    "target_prediction_errors",
    "BlitRenderer",
    "rgba_to_png",
    "PngStream",
    "squared_error_bars",
    "probability_bars",
    "gradient_bars",
    "corner_text",
    "text_color",
    "contrast_ratio",
    "fmt_signed",
    "fmt_money",
]

# ---------------------------------------------------------------------------------------------
# Palette and style
# ---------------------------------------------------------------------------------------------

#: The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"): eight colours that stay
#: distinguishable for the common forms of colour blindness. Every colour in lossviz comes from it.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: One meaning per colour, the same in every picture: MSE is always orange, cross-entropy
#: always blue, gradients always vermillion. Yellow is kept for fills only (poor contrast on white).
COLORS = {
    "target": OKABE_ITO["sky_blue"],
    "prediction": OKABE_ITO["reddish_purple"],
    "error": OKABE_ITO["vermillion"],
    "squared_error": OKABE_ITO["orange"],
    "mse": OKABE_ITO["orange"],
    "cross_entropy": OKABE_ITO["blue"],
    "gradient": OKABE_ITO["vermillion"],
    "true_class": OKABE_ITO["bluish_green"],
    "other_class": OKABE_ITO["sky_blue"],
    "marker": OKABE_ITO["black"],
    "text": OKABE_ITO["black"],
    "highlight": OKABE_ITO["yellow"],
}

#: Colour of each loss in the ``lossviz.LOSSES`` registry.
LOSS_COLORS = {
    "mse": COLORS["mse"],
    "mae": OKABE_ITO["bluish_green"],
    "huber": OKABE_ITO["reddish_purple"],
    "binary_cross_entropy": COLORS["cross_entropy"],
    "binary_cross_entropy_with_logits": COLORS["cross_entropy"],
    "cross_entropy": COLORS["cross_entropy"],
    "soft_cross_entropy": OKABE_ITO["sky_blue"],
}


def contrast_ratio(color, background="white"):
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white).

    ``(L1 + 0.05) / (L2 + 0.05)`` with L the relative luminance of the lighter (L1) and darker
    (L2) colour: 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels.
    """
    def luminance(c):
        rgb = np.array(mpl.colors.to_rgb(c))
        lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(lin @ [0.2126, 0.7152, 0.0722])

    hi, lo = sorted((luminance(color), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: WCAG AA for normal-size text: 4.5:1 against the background.
TEXT_CONTRAST = 4.5
_TEXT_COLOR_CACHE = {}


def text_color(color):
    """The colour to write text in where lines and markers use ``color``: the same hue, darkened
    (HLS lightness lowered in steps of 0.01) until it reaches 4.5:1 on white (WCAG AA for small
    text). Colours that already do are returned unchanged, as ``#rrggbb``.

    The Okabe–Ito orange #E69F00 has 2.25:1 on white and becomes #996a00 (4.76:1); the
    vermillion #D55E00 (3.87:1) becomes #c15500 (4.60:1); the blue #0072B2 (5.19:1) stays.
    Markers and lines keep the palette colours, which stay distinguishable for colour-blind
    readers.

    Examples
    --------
    >>> text_color(OKABE_ITO["orange"]), f"{contrast_ratio(text_color('#E69F00')):.2f}"
    ('#996a00', '4.76')
    """
    key = mpl.colors.to_hex(color)
    if key not in _TEXT_COLOR_CACHE:
        h, lightness, sat = colorsys.rgb_to_hls(*mpl.colors.to_rgb(key))
        out = key
        # + 0.05: margin so that rounding to 8-bit channels cannot fall back below 4.5
        while contrast_ratio(out) < TEXT_CONTRAST + 0.05 and lightness > 0:
            lightness = max(0.0, lightness - 0.01)
            out = mpl.colors.to_hex(colorsys.hls_to_rgb(h, lightness, sat))
        _TEXT_COLOR_CACHE[key] = out
    return _TEXT_COLOR_CACHE[key]

#: rcParams for pictures read at projector distance: large type, thick lines, no top/right spines.
STYLE = {
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.frameon": False,
    "figure.titlesize": 14,
    "lines.linewidth": 2.5,
    "lines.markersize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": mpl.cycler(
        color=[OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                     "reddish_purple", "sky_blue", "black")]
    ),
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}


def style():
    """Context manager applying :data:`STYLE` while a figure is being built.

    Font sizes and line widths are read when artists are created, so building inside
    ``with style():`` is enough; drawing later needs no context.

    Examples
    --------
    >>> with style():
    ...     fig = new_figure(600, 300)
    ...     ax = fig.subplots()
    >>> ax.xaxis.label.get_fontsize()
    13.0
    """
    return mpl.rc_context(STYLE)


def persist_tick_style(fig):
    """Store :data:`STYLE`'s tick and grid settings in every axis of ``fig``.

    Matplotlib reads them from rcParams whenever it creates a tick, and new limits can create
    ticks long after the figure was built outside ``with style():``.
    """
    for ax in fig.axes:
        for axis in ("x", "y"):
            ax.tick_params(axis=axis, labelsize=STYLE[f"{axis}tick.labelsize"],
                           grid_alpha=STYLE["grid.alpha"])


def apply_style():
    """Apply :data:`STYLE` to the global rcParams (for a notebook's own pyplot figures)."""
    mpl.rcParams.update(STYLE)


def new_figure(width_px=900, height_px=380, *, dpi=100, layout="constrained"):
    """A Figure with an Agg canvas that pyplot does not know about.

    Nothing is registered with pyplot, so an inline backend never displays it on its own and
    ``plt.gcf()`` never returns it; display it explicitly (last expression, or ``display(fig)``).

    Parameters
    ----------
    width_px, height_px : int
        Size in pixels at ``dpi``.
    dpi : float
        Dots per inch; 100 keeps 1 pt of font at about 1.4 px.
    layout : str or None
        Matplotlib layout engine ("constrained" by default). Figures redrawn often should call
        :func:`freeze_layout` after the first draw so the engine does not run on every draw.
    """
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, layout=layout)
    _FastTextCanvasAgg(fig) if _PER_GLYPH_TEXT else FigureCanvasAgg(fig)
    return fig


# Matplotlib 3.11 shapes and rasterises Agg text glyph by glyph in Python (for complex scripts);
# a ten-character label then costs more than every line and bar of a chart together, and the
# slider pictures redraw a dozen labels per move. For these Latin labels FreeType can lay out
# and rasterise a whole string in one call, and a label seen before (the same number at the same
# slider position) needs no work at all: the renderer below keeps the rasterised strings.
_PER_GLYPH_TEXT = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and hasattr(
    RendererAgg, "_prepare_font")


class _TextCachingRendererAgg(RendererAgg):
    """RendererAgg that rasterises each (string, font) once, with one FreeType call."""

    _CACHE_SIZE = 2048

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._text_cache = OrderedDict()
        self._metrics_cache = {}

    def _rasterised(self, s, prop, antialiased):
        key = (s, hash(prop), bool(antialiased))
        hit = self._text_cache.get(key)
        if hit is not None:
            self._text_cache.move_to_end(key)
            return hit
        font = self._prepare_font(prop)
        font.set_text(s, 0.0, flags=get_hinting_flag())
        w, h = font.get_width_height()
        d = font.get_descent()
        font.draw_glyphs_to_bitmap(antialiased=bool(antialiased))
        xo, yo = font.get_bitmap_offset()
        # copy: the font object reuses its bitmap for the next string
        hit = (w / 64.0, h / 64.0, d / 64.0, np.array(font.get_image()), xo / 64.0, yo / 64.0)
        self._text_cache[key] = hit
        if len(self._text_cache) > self._CACHE_SIZE:
            self._text_cache.popitem(last=False)
        return hit

    def _get_font_height_metrics(self, prop):
        # Text layout asks for the font's line metrics twice per label draw (matplotlib >= 3.11
        # has this hook for its PDF backend); they depend only on the font and size, so keep
        # them. Same tables and scaling as matplotlib's own fallback in Text._get_layout.
        key = (hash(prop), self.dpi)
        hit = self._metrics_cache.get(key)
        if hit is None:
            font = self._prepare_font(prop)
            hit = (None, None, None)
            for table_name, gap_key, ascent_key, descent_key in (
                    ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent")):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                scale = prop.get_size_in_points() * self.dpi / 72 / font.get_sfnt_table(
                    "head")["unitsPerEm"]
                hit = (table[ascent_key] * scale, -table[descent_key] * scale,
                       table[gap_key] * scale)
                break
            self._metrics_cache[key] = hit
        return hit

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        w, h, d = self._rasterised(s, prop, mpl.rcParams["text.antialiased"])[:3]
        return w, h, d

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        _, _, d, image, xo, yo = self._rasterised(s, prop, gc.get_antialiased())
        # the same placement as matplotlib's string renderer up to 3.10 (descent follows angle)
        xd = d * math.sin(math.radians(angle))
        yd = d * math.cos(math.radians(angle))
        self._renderer.draw_text_image(image, round(x + xo + xd), round(y + yo + yd) + 1,
                                       angle, gc)


class _FastTextCanvasAgg(FigureCanvasAgg):
    """FigureCanvasAgg whose renderer caches rasterised text (see _TextCachingRendererAgg)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if getattr(self, "_lastKey", None) != key:
            self.renderer = _TextCachingRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def freeze_layout(fig):
    """Run the figure's layout engine once, then switch it off (positions stay where they are).

    The axes are then snapped to whole pixels: crisp edges, and the same layout every time
    (the engine's solution can differ in the last bit between runs).
    """
    engine = fig.get_layout_engine()
    if engine is not None and type(engine).__name__ != "PlaceHolderLayoutEngine":
        # Start from the grid positions, as a new figure does: the engine's answer depends on
        # where it starts (tick choice follows axis length), and a relayout must give the
        # layout a fresh figure would get.
        for ax in fig.axes:
            spec = ax.get_subplotspec()
            if spec is not None:
                ax.set_position(spec.get_position(ax.get_figure()))
                ax.set_in_layout(True)  # set_position takes an axes out of the layout
        fig.canvas.draw()  # the engine runs at the start of a draw, with every label in place
        fig.set_layout_engine("none")
    w, h = fig.bbox.width, fig.bbox.height
    for ax in fig.axes:
        x0, y0, x1, y1 = ax.get_position().extents
        ax.set_position([round(x0 * w) / w, round(y0 * h) / h,
                         (round(x1 * w) - round(x0 * w)) / w, (round(y1 * h) - round(y0 * h)) / h])
        ax.set_in_layout(True)  # still counted by a later layout run and by tight bboxes


# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------


def fmt_signed(x, digits=2):
    """``+1.00`` / ``−3.00``: a real minus sign (U+2212), and no ``−0.00``."""
    x = float(x)
    s = f"{abs(x):,.{digits}f}"
    if float(s.replace(",", "")) == 0.0:
        return s
    return ("+" if x > 0 else "\u2212") + s


def fmt_money(x, *, signed=False):
    """``$410,000`` (``signed=True`` gives ``+$10,000`` / ``−$10,000``)."""
    x = float(x)
    s = f"${abs(x):,.0f}"
    if x < 0 and s != "$0":
        return "\u2212" + s
    if signed and s != "$0":
        return "+" + s
    return s


def corner_text(ax, text="", *, loc="upper right", color=None, size=None, **kwargs):
    """A text label pinned to a corner of ``ax`` (axes coordinates), e.g. a live value."""
    ha = "right" if "right" in loc else "left"
    va = "top" if "upper" in loc else "bottom"
    x = 0.97 if ha == "right" else 0.03
    y = 0.95 if va == "top" else 0.05
    return ax.text(
        x, y, text, transform=ax.transAxes, ha=ha, va=va,
        color=text_color(color or COLORS["text"]),
        fontsize=size or mpl.rcParams["font.size"],
        bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor="none", alpha=0.85),
        **kwargs,
    )


# ---------------------------------------------------------------------------------------------
# Curves
# ---------------------------------------------------------------------------------------------


@dataclass
class Curve:
    """A curve ``line`` with a ``marker`` at the current point and an optional value ``label``."""

    line: object
    marker: object
    label: object = None

    @property
    def moving(self):
        """The marker and label (the line moves only when a parameter reshapes the curve)."""
        return [a for a in (self.marker, self.label) if a is not None]

    def update(self, x0=None, y0=None, *, x=None, y=None, text=None):
        """Move the marker to ``(x0, y0)``; replace the curve data if ``x``/``y`` given."""
        if x is not None and y is not None:
            self.line.set_data(x, y)
        if x0 is not None and y0 is not None:
            self.marker.set_data([x0], [y0])
        if text is not None and self.label is not None:
            self.label.set_text(text)


def loss_curve(ax, x, y, x0=None, y0=None, *, color=None, label=None, value_text=None,
               text_loc="upper right", marker="o", linestyle="-"):
    """Draw a loss curve ``y(x)`` with a marker at ``(x0, y0)``.

    Parameters
    ----------
    ax : matplotlib Axes
    x, y : array_like, shape (n,)
        The curve.
    x0, y0 : float, optional
        Current point (marker); defaults to no visible marker until :meth:`Curve.update`.
    color : colour, optional
        Defaults to ``COLORS["mse"]``.
    label : str, optional
        Legend label.
    value_text : str, optional
        If given, a live text label in the ``text_loc`` corner (e.g. ``"MSE = 0.010"``).

    Returns
    -------
    Curve
        ``line`` (Line2D), ``marker`` (Line2D), ``label`` (Text or None).
    """
    color = color or COLORS["mse"]
    (line,) = ax.plot(x, y, color=color, label=label, linestyle=linestyle, zorder=2)
    (mark,) = ax.plot([] if x0 is None else [x0], [] if y0 is None else [y0], marker=marker,
                      linestyle="none", color=color, markeredgecolor=COLORS["marker"],
                      markeredgewidth=1.5, zorder=4)
    text = None
    if value_text is not None:
        text = corner_text(ax, value_text, loc=text_loc, color=color)
    return Curve(line, mark, text)


def gradient_curve(ax, x, g, x0=None, g0=None, *, color=None, label=None, value_text=None,
                   text_loc="lower right", marker="D", linestyle="-"):
    """Draw a gradient curve ``g(x)`` with a marker and a zero line (the "no push" level).

    Same parameters and return value as :func:`loss_curve`; the colour defaults to
    ``COLORS["gradient"]``.
    """
    ax.axhline(0.0, color=COLORS["text"], linewidth=1, alpha=0.6, zorder=1)
    return loss_curve(ax, x, g, x0, g0, color=color or COLORS["gradient"], label=label,
                      value_text=value_text, text_loc=text_loc, marker=marker,
                      linestyle=linestyle)


@dataclass
class Tangent:
    """The tangent of a curve at a point: a short straight segment with the gradient as slope."""

    line: object
    half_width: float

    @property
    def moving(self):
        return [self.line]

    def update(self, x0, y0, slope, half_width=None):
        if half_width is not None:
            self.half_width = half_width
        h = self.half_width
        self.line.set_data([x0 - h, x0 + h], [y0 - slope * h, y0 + slope * h])


def tangent_line(ax, x0, y0, slope, *, half_width, color=None):
    """Draw the tangent at ``(x0, y0)`` with ``slope`` (the gradient), ``half_width`` either side.

    It shows what the gradient *is*: the slope of the loss where the prediction currently sits.
    """
    (line,) = ax.plot([], [], color=color or COLORS["gradient"], linestyle="--", linewidth=2,
                      zorder=3)
    t = Tangent(line, half_width)
    t.update(x0, y0, slope)
    return t


# ---------------------------------------------------------------------------------------------
# Bars
# ---------------------------------------------------------------------------------------------


@dataclass
class Bars:
    """Bars with a value text above (or below, for negative values) each one."""

    ax: object
    bars: list
    texts: list
    fmt: object = "{:.2f}"
    extra: list = field(default_factory=list)

    @property
    def moving(self):
        return [*self.bars, *self.texts, *self.extra]

    @property
    def heights(self):
        return np.array([b.get_height() for b in self.bars])

    def update(self, heights, texts=None, colors=None):
        """Set the bar heights (and value texts, colours); texts stay inside the axes."""
        lo, hi = self.ax.get_ylim()
        pad = 0.02 * (hi - lo)
        room = 0.1 * (hi - lo)  # about one line of text in data units
        for i, (bar, h) in enumerate(zip(self.bars, heights, strict=True)):
            h = float(h)
            bar.set_height(h)
            if colors is not None:
                bar.set_facecolor(colors[i])
            t = self.texts[i]
            if t is None:
                continue
            t.set_text(texts[i] if texts is not None else _format(self.fmt, h))
            # outside the bar's end when the text fits before the axis edge, else inside it
            if h >= 0:
                y, va = (h + pad, "bottom") if h + pad + room <= hi else (min(h, hi) - pad, "top")
            else:
                y, va = (h - pad, "top") if h - pad - room >= lo else (max(h, lo) + pad, "bottom")
            t.set_y(y)
            t.set_verticalalignment(va)


def _format(fmt, value):
    return fmt(value) if callable(fmt) else fmt.format(value)


def value_bars(ax, labels, heights, *, color=None, fmt="{:.2f}", width=0.6, offset=0.0,
               label=None, text_size=None):
    """Draw one bar per label with its value written on it; return :class:`Bars`.

    ``offset`` shifts the bars sideways (for grouped bars); ``fmt`` is a format string or a
    callable giving the value text.
    """
    pos = np.arange(len(labels), dtype=float) + offset
    container = ax.bar(pos, np.asarray(heights, dtype=float), width=width,
                       color=color or COLORS["prediction"], edgecolor=COLORS["text"],
                       linewidth=1, label=label, zorder=2)
    ax.set_xticks(np.arange(len(labels)), list(labels))
    texts = [ax.text(p, 0.0, "", ha="center", va="bottom", zorder=5,
                     fontsize=text_size or mpl.rcParams["font.size"]) for p in pos]
    b = Bars(ax, list(container), texts, fmt)
    b.update(heights)
    return b


@dataclass
class ErrorStems:
    """Targets (hollow circles) and predictions (filled dots) joined by their signed errors."""

    ax: object
    targets: object
    predictions: object
    stems: list
    texts: list
    fmt: object = fmt_signed

    @property
    def moving(self):
        return [*self.stems, self.predictions, *self.texts]

    def update(self, y_true, y_pred):
        """Move the predictions; the stems and texts show the error ``ŷ − y``."""
        y_true = np.asarray(y_true, dtype=float)
        y_pred = np.asarray(y_pred, dtype=float)
        x = np.arange(len(y_pred), dtype=float)
        self.predictions.set_data(x, y_pred)
        lo, hi = self.ax.get_ylim()
        pad = 0.03 * (hi - lo)
        for i, (stem, text) in enumerate(zip(self.stems, self.texts, strict=True)):
            stem.set_data([i, i], [y_true[i], y_pred[i]])
            err = y_pred[i] - y_true[i]
            text.set_text("e = " + _format(self.fmt, err))
            # centred above the upper marker; the text's own offset (in points) clears the
            # marker, so neither the stem nor a marker runs through it
            top = max(y_true[i], y_pred[i])
            text.set_y(min(top, hi - 4 * pad))


def target_prediction_errors(ax, y_true, y_pred, *, labels=None, fmt=fmt_signed):
    """Each target beside its prediction, joined by a stem whose length is the error ``ŷ − y``.

    The error's sign follows the code (prediction minus target); the squared error, and so the
    MSE, is the same either way. Set the y-limits before calling so the labels stay inside.

    Returns
    -------
    ErrorStems
        ``targets`` and ``predictions`` (Line2D markers), ``stems`` (Line2D), ``texts``.
    """
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    n = len(y_true)
    labels = labels or [f"item {i + 1}" for i in range(n)]
    x = np.arange(n, dtype=float)
    stems = [ax.plot([], [], color=COLORS["error"], linewidth=4, solid_capstyle="butt",
                     zorder=2)[0] for _ in range(n)]
    (targets,) = ax.plot(x, y_true, "o", markerfacecolor="white", markeredgewidth=3,
                         color=COLORS["target"], markersize=15, label="target y", zorder=3)
    (preds,) = ax.plot(x, y_pred, "o", color=COLORS["prediction"], markersize=12,
                       markeredgecolor=COLORS["marker"], label="prediction ŷ", zorder=4)
    # 11 points up: the target's ring (15 pt across) plus a small gap
    above = mtransforms.offset_copy(ax.transData, fig=ax.figure, x=0.0, y=11.0, units="points")
    texts = [ax.text(i, 0.0, "", ha="center", va="bottom", color=text_color(COLORS["error"]),
                     fontweight="bold", zorder=5, transform=above) for i in range(n)]
    ax.set_xticks(x, list(labels))
    ax.set_xlim(-0.6, n - 0.4)
    # one row along the top edge, above the labels of values up to the axis' upper part
    ax.legend(loc="upper center", ncol=2, handletextpad=0.3, borderaxespad=0.2,
              columnspacing=1.2)
    out = ErrorStems(ax, targets, preds, stems, texts, fmt)
    out.update(y_true, y_pred)
    return out


@dataclass
class SquaredErrorBars:
    """Squared-error bars with each one's share of the total, and the mean (the MSE) as a line."""

    bars: Bars
    mean_line: object
    mean_text: object

    @property
    def moving(self):
        return [*self.bars.moving, self.mean_line, self.mean_text]

    def update(self, sq_errors, mean, *, fmt="{:.2f}", mean_fmt="MSE = {:.3f}"):
        sq = np.asarray(sq_errors, dtype=float)
        total = float(sq.sum())
        shares = sq / total if total > 0 else np.zeros_like(sq)
        texts = [f"{_format(fmt, s)}\n({100 * sh:.0f}%)" for s, sh in zip(sq, shares, strict=True)]
        self.bars.update(sq, texts=texts)
        # a two-line value text that the dashed mean line would strike through goes just
        # above the line instead (if it fits below the top of the axes)
        lo, hi = self.bars.ax.get_ylim()
        pad, room = 0.02 * (hi - lo), 0.2 * (hi - lo)
        for t in self.bars.texts:
            y = t.get_position()[1]
            y0, y1 = (y, y + room) if t.get_verticalalignment() == "bottom" else (y - room, y)
            if y0 - pad <= mean <= y1 + pad and mean + pad + room <= hi:
                t.set_y(mean + pad)
                t.set_verticalalignment("bottom")
        self.mean_line.set_ydata([mean, mean])
        self.mean_text.set_text("- - " + _format(mean_fmt, mean))


def squared_error_bars(ax, sq_errors, mean, *, labels=None, fmt="{:.2f}",
                       mean_fmt="MSE = {:.3f}", unit=""):
    """Squared errors as bars labelled with value and share of the total, MSE as a dashed line.

    The dashed line's value is written in the upper-left corner, where no bar label can
    cover it; leave some head room above the tallest bar (set the y-limits first).

    The MSE is the mean of these bars: the dashed line sits at their average height, and the
    share labels show how one large miss dominates the total.
    """
    sq = np.asarray(sq_errors, dtype=float)
    labels = labels or [f"item {i + 1}" for i in range(len(sq))]
    bars = value_bars(ax, labels, sq, color=COLORS["squared_error"], fmt=fmt, width=0.6,
                      text_size=11)
    line = ax.axhline(float(mean), color=COLORS["error"], linestyle="--", linewidth=2, zorder=3)
    text = corner_text(ax, loc="upper left", color=COLORS["error"], fontweight="bold", zorder=6)
    ax.set_ylabel(f"squared error ({unit})" if unit else "squared error")
    out = SquaredErrorBars(bars, line, text)
    out.update(sq, mean, fmt=fmt, mean_fmt=mean_fmt)
    return out


def probability_bars(ax, probs, *, classes, true_index=0):
    """Softmax probabilities as bars on a fixed 0..1 axis, the true class in its own colour."""
    ax.set_ylim(0.0, 1.15)
    ax.set_ylabel("probability")
    b = value_bars(ax, classes, probs, color=COLORS["other_class"], fmt="{:.2f}")
    b.update(probs, colors=class_colors(len(classes), true_index))
    return b


def class_colors(n, true_index):
    """Bar colours: the true class stands out, the others share one colour."""
    return [COLORS["true_class"] if i == true_index else COLORS["other_class"] for i in range(n)]


def gradient_bars(ax, grads, *, classes, ylim=(-1.25, 1.25), ylabel="∂L/∂z (per unit logit)"):
    """Gradient components as bars around zero (negative: raise this logit; positive: lower it)."""
    ax.set_ylim(*ylim)
    ax.axhline(0.0, color=COLORS["text"], linewidth=1, zorder=1)
    ax.set_ylabel(ylabel)
    return value_bars(ax, classes, grads, color=COLORS["gradient"],
                      fmt=lambda v: fmt_signed(v, 2))


# ---------------------------------------------------------------------------------------------
# Fast redraws: blit the moving artists, encode one PNG
# ---------------------------------------------------------------------------------------------


def _png_chunk(tag, data):
    return (struct.pack(">I", len(data)) + tag + data
            + struct.pack(">I", zlib.crc32(data, zlib.crc32(tag)) & 0xFFFFFFFF))


def _up_filter(rgba, raw):
    """PNG scanlines with filter "Up" (each byte minus the byte above) into ``raw``."""
    h, w, _ = rgba.shape
    rows = rgba.reshape(h, 4 * w)
    raw[:, 0] = 2  # filter type "Up"; the first row's "above" is zeros, so it is stored as is
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # uint8 wraps modulo 256, as PNG wants


def rgba_to_png(rgba, *, level=1, out=None):
    """Encode an (h, w, 4) uint8 RGBA array as PNG bytes, quickly.

    Every row uses PNG's "Up" filter (difference to the row above), which turns the large flat
    areas of a plot into zeros, and zlib level 1 compresses those runs in a few milliseconds.
    Pillow's encoder tries every filter on every row, which costs 2-3x more on a chart this size.

    Parameters
    ----------
    rgba : ndarray, shape (h, w, 4), uint8
        For example ``np.asarray(fig.canvas.buffer_rgba())``.
    level : int
        zlib compression level (1 = fastest).
    out : ndarray, shape (h, 1 + 4 w), uint8, optional
        Scratch buffer reused between calls.
    """
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"rgba_to_png: rgba must be a (h, w, 4) uint8 array, got "
                         f"{rgba.dtype} with shape {rgba.shape}")
    h, w, _ = rgba.shape
    raw = out if out is not None and out.shape == (h, 1 + 4 * w) else np.empty(
        (h, 1 + 4 * w), np.uint8)
    _up_filter(rgba, raw)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b"".join((b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", ihdr),
                     _png_chunk(b"IDAT", zlib.compress(raw, level)), _png_chunk(b"IEND", b"")))


class PngStream:
    """PNG-encode successive frames of one picture, recompressing only the bands that changed.

    Between two slider positions most of a chart (axes, ticks, static curves) is unchanged.
    The frame is cut into bands of ``band_rows`` rows; each band's deflate output ends with a
    full flush (no back-references across bands), so the bytes of a band that is identical to
    the previous frame's are spliced in again instead of compressed again. The result is one
    ordinary PNG; the zlib checksum is computed over the whole frame.
    """

    def __init__(self, band_rows=16, level=1):
        self.band_rows = int(band_rows)
        self.level = int(level)
        self.bands_compressed = 0
        self._shape = None

    def encode(self, rgba):
        rgba = np.asarray(rgba)
        if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4:
            raise ValueError(f"PngStream.encode: rgba must be a (h, w, 4) uint8 array, got "
                             f"{rgba.dtype} with shape {rgba.shape}")
        h, w, _ = rgba.shape
        if rgba.shape != self._shape:
            self._shape = rgba.shape
            self._raw = np.empty((h, 1 + 4 * w), np.uint8)
            self._prev = np.empty_like(self._raw)
            self._deflated = [None] * -(-h // self.band_rows)
        raw = self._raw
        _up_filter(rgba, raw)
        co = zlib.compressobj(self.level, zlib.DEFLATED, -15)  # raw deflate, header added below
        parts = [b"\x78\x01"]  # zlib header: deflate, 32 KiB window, fastest level
        for i, start in enumerate(range(0, h, self.band_rows)):
            band = raw[start:start + self.band_rows]
            cached = self._deflated[i]
            if cached is None or not np.array_equal(band, self._prev[start:start + self.band_rows]):
                cached = co.compress(band) + co.flush(zlib.Z_FULL_FLUSH)
                self._deflated[i] = cached
                self.bands_compressed += 1
            parts.append(cached)
        # an empty final block (BFINAL=1, fixed Huffman, end-of-block), then the checksum
        parts += [b"\x03\x00", struct.pack(">I", zlib.adler32(raw) & 0xFFFFFFFF)]
        self._raw, self._prev = self._prev, raw
        ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
        return b"".join((b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", ihdr),
                         _png_chunk(b"IDAT", b"".join(parts)), _png_chunk(b"IEND", b"")))


class BlitRenderer:
    """Redraw a figure by restoring a cached background and drawing only the moving artists.

    A full Agg draw of a two-panel figure costs tens of milliseconds; the axes, ticks, labels
    and static curves do not change when a slider moves, so they are drawn once (with the
    moving artists hidden) and copied. Each :meth:`render` restores that copy, draws the
    moving artists on top and returns one PNG. The background is redrawn automatically when
    an axis limit changes, the canvas renderer changes (a resize or another dpi) or ``key``
    changes (callers pass whatever else makes the static part different, e.g. the loss shown).

    The figure itself stays complete: ``fig.savefig`` still draws every artist.
    """

    def __init__(self, fig, moving):
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.figure = fig
        self.moving = list(moving)
        self.full_draws = 0
        self._background = None
        self._renderer = None
        self._signature = None
        self._png = PngStream()

    def _limits(self):
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes)

    def invalidate(self):
        """Force a full redraw (and a new background) at the next :meth:`render`."""
        self._background = None

    def render(self, key=None):
        """Draw the current state into the canvas buffer and return it as PNG bytes."""
        fig = self.figure
        canvas = fig.canvas
        signature = (key, self._limits(), canvas.get_width_height())
        renderer = canvas.get_renderer()
        if (self._background is None or signature != self._signature
                or renderer is not self._renderer):
            visible = [a.get_visible() for a in self.moving]
            for a in self.moving:
                a.set_visible(False)
            canvas.draw()
            for a, v in zip(self.moving, visible, strict=True):
                a.set_visible(v)
            self._background = canvas.copy_from_bbox(fig.bbox)
            self._renderer = canvas.get_renderer()
            self._signature = signature
            self.full_draws += 1
        else:
            canvas.restore_region(self._background)
        for a in self.moving:
            fig.draw_artist(a)  # draws nothing if the artist is invisible
        return self._png.encode(np.asarray(canvas.buffer_rgba()))


# ---------------------------------------------------------------------------------------------
# --- learning curves and loss landscapes ---
# ---------------------------------------------------------------------------------------------
#
# Pictures of training runs (lossviz.training): a metric per gradient-descent step, and a loss
# over the two parameters (w, b) of a one-feature model with the descent path drawn on it.


def _series_color(name, i, colors):
    """The colour of series ``name``: given, else the loss's colour, else the palette in turn."""
    if colors is not None and name in colors:
        return colors[name]
    if name in LOSS_COLORS:
        return LOSS_COLORS[name]
    order = ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue")
    return OKABE_ITO[order[i % len(order)]]


@dataclass
class LearningCurves:
    """One line per run, and (with a target) a marker where each run first reaches it."""

    lines: dict
    markers: dict
    reached: dict
    target_line: object = None

    @property
    def moving(self):
        return [*self.lines.values(), *(m for m in self.markers.values() if m is not None)]


def learning_curves(ax, curves, *, colors=None, labels=None, ylabel="training loss",
                    xlabel="gradient-descent step", target=None, above=True, logy=False,
                    title=None):
    """Draw a metric against the step for several training runs on one Axes.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : dict of str -> array_like of shape (steps + 1,)
        One series per run, e.g. ``{"cross_entropy": hist_ce.accuracy, "mse": hist_mse.accuracy}``
        (entry ``t`` is the value before update ``t``, as in :class:`lossviz.training.History`).
    colors : dict of str -> colour, optional
        Colours by series name; by default a loss's colour from :data:`LOSS_COLORS` when the
        name is a loss, else the Okabe–Ito palette in turn.
    labels : dict of str -> str, optional
        Legend labels by series name (default: the names). With a target, the label gains the
        step at which the run reached it ("cross-entropy: 5 steps").
    ylabel, xlabel, title : str
        Axis labels (with units) and an optional title.
    target : float, optional
        A level to reach, drawn as a dotted horizontal line; each run gets a marker at the
        first step whose value is ``>= target`` (``above=True``, e.g. accuracy) or
        ``<= target`` (``above=False``, e.g. a loss).
    logy : bool
        Logarithmic y-axis (for losses that span decades).

    Returns
    -------
    LearningCurves
        ``lines`` and ``markers`` (Line2D, or None when a run never reaches the target) by
        series name, ``reached`` (step or None) by name, ``target_line``.

    Examples
    --------
    >>> fig = new_figure(600, 300)
    >>> ax = fig.subplots()
    >>> lc = learning_curves(ax, {"mse": [0.2, 0.6, 0.95], "cross_entropy": [0.2, 0.95, 1.0]},
    ...                      ylabel="accuracy", target=0.9)
    >>> lc.reached
    {'mse': 2, 'cross_entropy': 1}
    """
    if not isinstance(curves, dict) or not curves:
        raise ValueError("learning_curves: curves must be a non-empty dict name -> values")
    lines, markers, reached = {}, {}, {}
    target_line = None
    if target is not None:
        target_line = ax.axhline(float(target), color=COLORS["text"], linestyle=":",
                                 linewidth=1.5, zorder=1)
    for i, (name, values) in enumerate(curves.items()):
        v = np.asarray(values, dtype=float)
        if v.ndim != 1 or v.size == 0:
            raise ValueError(f"learning_curves: curves[{name!r}] must be a non-empty 1-D "
                             f"sequence, got shape {v.shape}")
        color = _series_color(name, i, colors)
        label = (labels or {}).get(name, name)
        step = None
        if target is not None:
            hits = np.flatnonzero(v >= target if above else v <= target)
            step = int(hits[0]) if hits.size else None
            label += (f": {step} steps" if step is not None
                      else f": not reached in {v.size - 1} steps")
        (line,) = ax.plot(np.arange(v.size), v, color=color, label=label, zorder=2)
        mark = None
        if step is not None:
            (mark,) = ax.plot([step], [v[step]], marker="o", linestyle="none", color=color,
                              markeredgecolor=COLORS["marker"], markeredgewidth=1.5, zorder=4)
        lines[name], markers[name], reached[name] = line, mark, step
    if logy:
        ax.set_yscale("log")
        # no minor ticks: they crowd a short log axis and cost a lot of drawing time
        ax.yaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="best")
    return LearningCurves(lines, markers, reached, target_line)


def landscape_cmap(color):
    """A sequential colormap from white (low loss) to ``color`` (high loss)."""
    return mpl.colors.LinearSegmentedColormap.from_list("lossviz_landscape", ["#FFFFFF", color])


@dataclass
class Landscape:
    """Filled contours of a loss surface, their outlines, and the grid's lowest point."""

    filled: object
    lines: object
    minimum: object
    levels: np.ndarray


def loss_landscape(ax, w_grid, b_grid, values, *, levels=12, color=None, log=False,
                   xlabel="weight w", ylabel="bias b", title=None, mark_minimum=True):
    """Contours of a loss over a grid of two parameters (w, b).

    Parameters
    ----------
    ax : matplotlib Axes
    w_grid : array_like of shape (nw,)
        Weights, along the x-axis.
    b_grid : array_like of shape (nb,)
        Biases, along the y-axis.
    values : array_like of shape (nb, nw)
        ``values[i, j]`` is the loss at ``(w_grid[j], b_grid[i])`` (the ``np.meshgrid``
        layout).
    levels : int or array_like
        Number of contour levels (evenly spaced, or geometric with ``log=True``) or the levels.
    color : colour, optional
        High-loss colour of the white-to-colour map (default: MSE's orange). Flat regions of
        the surface show up as wide areas of one shade.
    log : bool
        Space the levels geometrically (for losses such as cross-entropy that span decades).
    mark_minimum : bool
        Mark the lowest grid point with a star.

    Returns
    -------
    Landscape
        ``filled`` (QuadContourSet), ``lines`` (QuadContourSet), ``minimum`` (Line2D or
        None) and ``levels``.
    """
    w_grid = np.asarray(w_grid, dtype=float)
    b_grid = np.asarray(b_grid, dtype=float)
    values = np.asarray(values, dtype=float)
    if values.shape != (b_grid.size, w_grid.size):
        raise ValueError(f"loss_landscape: values must have shape (len(b_grid), len(w_grid)) = "
                         f"{(b_grid.size, w_grid.size)}, got {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("loss_landscape: values contain NaN or inf")
    color = color or COLORS["mse"]
    lo, hi = float(values.min()), float(values.max())
    if np.ndim(levels) == 0:
        n = int(levels)
        if log:
            if lo <= 0:
                raise ValueError("loss_landscape: log=True needs positive values")
            levels = np.geomspace(lo, hi, n + 1)
        else:
            levels = np.linspace(lo, hi, n + 1)
    levels = np.asarray(levels, dtype=float)
    norm = mpl.colors.LogNorm(levels[0], levels[-1]) if log else None
    filled = ax.contourf(w_grid, b_grid, values, levels=levels, cmap=landscape_cmap(color),
                         norm=norm, extend="both", zorder=0)
    lines = ax.contour(w_grid, b_grid, values, levels=levels, colors=[color], linewidths=0.8,
                       alpha=0.7, zorder=1)
    minimum = None
    if mark_minimum:
        i, j = np.unravel_index(np.argmin(values), values.shape)
        (minimum,) = ax.plot([w_grid[j]], [b_grid[i]], marker="*", markersize=18,
                             linestyle="none", color=COLORS["highlight"],
                             markeredgecolor=COLORS["marker"], zorder=5,
                             label="lowest point of the grid")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(False)
    if title:
        ax.set_title(title)
    return Landscape(filled, lines, minimum, levels)


@dataclass
class DescentPath:
    """The parameter trail of a gradient-descent run: the path, its start and its end."""

    line: object
    start: object
    end: object

    @property
    def moving(self):
        return [self.line, self.start, self.end]

    def update(self, w, b):
        w = np.asarray(w, dtype=float)
        b = np.asarray(b, dtype=float)
        self.line.set_data(w, b)
        self.start.set_data(w[:1], b[:1])
        self.end.set_data(w[-1:], b[-1:])


def descent_path(ax, w, b, *, color=None, label=None, every=1):
    """Draw the gradient-descent path ``(w_t, b_t)`` over a landscape.

    Parameters
    ----------
    ax : matplotlib Axes
    w, b : array_like of shape (steps + 1,)
        The parameters at each step, e.g. ``history.w`` and ``history.b``.
    color : colour, optional
        Default: the gradient colour (vermillion).
    label : str, optional
        Legend label of the path.
    every : int
        Put a dot on every ``every``-th step, so the spacing of the dots shows the step size
        (dense dots: slow progress).

    Returns
    -------
    DescentPath
        ``line`` (Line2D with the step dots), ``start`` (hollow circle), ``end`` (filled circle).
    """
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    if w.ndim != 1 or w.shape != b.shape or w.size == 0:
        raise ValueError(f"descent_path: w and b must be 1-D and of the same length, got shapes "
                         f"{w.shape} and {b.shape}")
    color = color or COLORS["gradient"]
    (line,) = ax.plot(w, b, color=color, linewidth=2, marker="o", markersize=3.5,
                      markevery=max(int(every), 1), label=label, zorder=3)
    (start,) = ax.plot(w[:1], b[:1], marker="o", markersize=11, linestyle="none",
                       markerfacecolor="white", markeredgecolor=color, markeredgewidth=2.5,
                       zorder=4)
    (end,) = ax.plot(w[-1:], b[-1:], marker="o", markersize=9, linestyle="none", color=color,
                     markeredgecolor=COLORS["marker"], zorder=4)
    return DescentPath(line, start, end)


__all__ += [
    "LearningCurves",
    "learning_curves",
    "landscape_cmap",
    "Landscape",
    "loss_landscape",
    "DescentPath",
    "descent_path",
]
