"""Pictures of training runs (:mod:`lossviz.training`): learning curves and loss landscapes.

A metric per gradient-descent step (:func:`learning_curves`), and a loss over the two parameters
(w, b) of a one-feature model (:func:`loss_landscape`, :func:`landscape_cmap`) with the descent
path drawn on it (:func:`descent_path`).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib as mpl
import numpy as np

from lossviz.plotting.palette import COLORS, LOSS_COLORS, OKABE_ITO


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
    >>> from lossviz.plotting import new_figure
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
