"""Curves and bars: the draw helpers of the slider pictures.

Curves: :func:`loss_curve`, :func:`gradient_curve`, :func:`tangent_line`. Bars:
:func:`value_bars`, :func:`target_prediction_errors`, :func:`squared_error_bars`,
:func:`probability_bars`, :func:`gradient_bars`. Each returns a small object holding its artists,
with ``update(...)`` and ``moving`` (see :mod:`lossviz.plotting`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib as mpl
import numpy as np
from matplotlib import transforms as mtransforms

from lossviz.plotting.palette import COLORS, corner_text, fmt_signed, text_color

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
