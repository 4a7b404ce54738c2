"""Every use of matplotlib internals in lossviz, behind one small interface.

The fast redraws of :mod:`lossviz.rendering` rasterise text themselves (see
``_TextCachingRendererAgg`` there), and :mod:`lossviz.rendering` reads the backend setting
without resolving it. Both rely on names and behaviour matplotlib does not document; they are
reached only through the functions below, so a matplotlib upgrade that changes them breaks this
module alone. ``tests/test_mpl_private.py`` exercises each function (pixels and values, not only
``hasattr``) and names the matplotlib version and what broke when one stops working.

What is relied on (matplotlib 3.11):

- ``RendererAgg._draw_text_glyphs_and_boxes`` exists from 3.11 on: Agg lays out and rasterises
  text glyph by glyph in Python. Only then is the text-caching renderer worth using
  (:data:`AGG_TEXT_PER_GLYPH`).
- ``RendererAgg._prepare_font(prop)``: the FT2Font of a FontProperties, cleared and sized at the
  renderer's dpi (:func:`agg_font`).
- ``RendererAgg._renderer.draw_text_image(image, x, y, angle, gc)``: blends a grey-level bitmap
  into the Agg buffer, ``x`` its left column, ``y`` the row just below its bottom edge (rows
  counted downwards), rotated about that corner (:func:`draw_text_image`).
- ``matplotlib.backends.backend_agg.get_hinting_flag()`` (undocumented) and the FT2Font methods
  ``set_text``, ``draw_glyphs_to_bitmap``, ``get_bitmap_offset``, ``get_image``,
  ``get_sfnt_table`` (:func:`rasterise_string`, :func:`font_line_metrics`).
- ``Text`` layout calls ``renderer._get_font_height_metrics(prop)`` when a renderer has it
  (3.11; a "temporary internal method" in matplotlib's words) (:func:`with_font_height_metrics`).
- ``rcParams`` is a dict whose raw ``"backend"`` entry is still unresolved (a sentinel object)
  until pyplot picks a backend (:func:`backend_setting`).
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag

__all__ = [
    "MATPLOTLIB_VERSION",
    "AGG_TEXT_PER_GLYPH",
    "agg_font",
    "rasterise_string",
    "font_line_metrics",
    "draw_text_image",
    "with_font_height_metrics",
    "backend_setting",
]

MATPLOTLIB_VERSION = mpl.__version__

#: True when matplotlib's Agg renderer shapes and rasterises text glyph by glyph (>= 3.11) and
#: has the font hook the text-caching renderer uses.
AGG_TEXT_PER_GLYPH = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and hasattr(
    RendererAgg, "_prepare_font")

#: The renderer method ``Text`` layout asks for a font's line metrics (matplotlib >= 3.11).
FONT_HEIGHT_METRICS_HOOK = "_get_font_height_metrics"


def agg_font(renderer, prop):
    """The FT2Font for ``prop``, cleared and set to its size at ``renderer``'s dpi."""
    return renderer._prepare_font(prop)


def rasterise_string(renderer, s, prop, antialiased):
    """Lay out and rasterise the string ``s`` with one FreeType call.

    Returns ``(width, height, descent, image, x_offset, y_offset)``: the text's extent in pixels
    (as matplotlib's ``get_text_width_height_descent``), the grey-level bitmap (a copy, uint8)
    and the bitmap's offset from the text's origin in pixels.
    """
    font = agg_font(renderer, prop)
    font.set_text(s, 0.0, flags=get_hinting_flag())
    w, h = font.get_width_height()
    d = font.get_descent()
    font.draw_glyphs_to_bitmap(antialiased=bool(antialiased))
    xo, yo = font.get_bitmap_offset()
    # copy: the font object reuses its bitmap for the next string
    return w / 64.0, h / 64.0, d / 64.0, np.array(font.get_image()), xo / 64.0, yo / 64.0


def font_line_metrics(renderer, prop):
    """``(ascent, descent, line_gap)`` of ``prop``'s font in pixels, or ``(None, None, None)``.

    The same tables and scaling as matplotlib's own fallback in ``Text._get_layout``.
    """
    font = agg_font(renderer, prop)
    for table_name, gap_key, ascent_key, descent_key in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = prop.get_size_in_points() * renderer.dpi / 72 / font.get_sfnt_table(
            "head")["unitsPerEm"]
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None


def draw_text_image(renderer, image, x, y, angle, gc):
    """Blend the grey-level ``image`` into ``renderer``'s buffer in ``gc``'s colour.

    ``x`` is the bitmap's left column and ``y`` the row just below its bottom edge (rows counted
    from the top), both whole pixels; ``angle`` (degrees) rotates the bitmap about that corner.
    """
    renderer._renderer.draw_text_image(image, x, y, angle, gc)


def with_font_height_metrics(cls):
    """Class decorator: ``Text`` layout asks ``cls.font_height_metrics(prop)`` for line metrics.

    The renderer class defines ``font_height_metrics(self, prop) -> (ascent, descent, gap)``;
    this installs it under the name matplotlib's text layout looks for.
    """
    setattr(cls, FONT_HEIGHT_METRICS_HOOK, cls.font_height_metrics)
    return cls


def backend_setting():
    """``rcParams["backend"]`` as set, without resolving an "auto" backend.

    ``rcParams["backend"]`` itself resolves "auto" by importing pyplot and picking a GUI backend
    as a side effect; the raw dict entry does not. Returns the name, or a non-string sentinel
    while the backend is still "auto".
    """
    return dict.__getitem__(mpl.rcParams, "backend")
