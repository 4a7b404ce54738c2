"""Palette, style and text helpers: the colours, sizes and number formats every picture shares.

:data:`OKABE_ITO`, :data:`COLORS`, :data:`LOSS_COLORS`, :func:`contrast_ratio`,
:func:`text_color`, :data:`STYLE`, :func:`style`, :func:`apply_style`,
:func:`persist_tick_style`, :func:`new_figure`; :func:`fmt_signed`, :func:`fmt_money`,
:func:`corner_text`.
"""

from __future__ import annotations

import colorsys

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from lossviz.rendering import agg_canvas

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

#: Colour of each loss in the ``lossviz.LOSSES`` registry, by family: squared errors orange
#: (the Brier score is MSE on probabilities), cross-entropies blue (the focal loss is a
#: reweighted binary cross-entropy), soft targets sky blue (the KL divergence from a soft target
#: is soft cross-entropy minus the target's entropy, a constant).
LOSS_COLORS = {
    "mse": COLORS["mse"],
    "mae": OKABE_ITO["bluish_green"],
    "huber": OKABE_ITO["reddish_purple"],
    "binary_cross_entropy": COLORS["cross_entropy"],
    "binary_cross_entropy_with_logits": COLORS["cross_entropy"],
    "cross_entropy": COLORS["cross_entropy"],
    "soft_cross_entropy": OKABE_ITO["sky_blue"],
    "kl_div": OKABE_ITO["sky_blue"],
    "sigmoid_focal_loss": COLORS["cross_entropy"],
    "brier_score": COLORS["mse"],
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
    agg_canvas(fig)
    return fig


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
