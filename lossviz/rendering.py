"""The rendering engine behind the slider explorers: fast redraws of a Figure into PNG bytes.

- :class:`BlitRenderer`: redraw only the artists that move over a cached background, and encode
  the frame as PNG with :class:`PngStream` (only the bands that changed are recompressed;
  :func:`rgba_to_png` encodes a single frame).
- :func:`agg_canvas`: the Agg canvas a new figure gets; with matplotlib >= 3.11 one whose renderer
  rasterises each label once and keeps it (``_FastTextCanvasAgg``).
- :func:`freeze_layout`: run the layout engine once, then keep the axes where they are.
- :class:`IpymplView` and :func:`use_ipympl`: under ``%matplotlib widget`` the explorers embed
  ipympl's canvas instead.

Every use of matplotlib internals goes through :mod:`lossviz._mpl_private` (one place, tested
by ``tests/test_mpl_private.py``). Nothing here draws a picture of its own: the draw helpers are
in :mod:`lossviz.plotting`, which builds on this module (never the other way round).
"""

from __future__ import annotations

import math
import struct
import warnings
import zlib
from collections import OrderedDict

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

from lossviz import _mpl_private as _mpl

__all__ = [
    "BlitRenderer",
    "PngStream",
    "rgba_to_png",
    "agg_canvas",
    "freeze_layout",
    "IpymplView",
    "use_ipympl",
]

# ---------------------------------------------------------------------------------------------
# Text: rasterise each label once
# ---------------------------------------------------------------------------------------------

# Matplotlib 3.11 shapes and rasterises Agg text glyph by glyph in Python (for complex scripts);
# a ten-character label then costs more than every line and bar of a chart together, and the
# slider pictures redraw a dozen labels per move. For these Latin labels FreeType can lay out
# and rasterise a whole string in one call, and a label seen before (the same number at the same
# slider position) needs no work at all: the renderer below keeps the rasterised strings.
_PER_GLYPH_TEXT = _mpl.AGG_TEXT_PER_GLYPH


@_mpl.with_font_height_metrics
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
        hit = _mpl.rasterise_string(self, s, prop, antialiased)
        self._text_cache[key] = hit
        if len(self._text_cache) > self._CACHE_SIZE:
            self._text_cache.popitem(last=False)
        return hit

    def font_height_metrics(self, prop):
        # Text layout asks for the font's line metrics twice per label draw (matplotlib >= 3.11
        # has this hook for its PDF backend); they depend only on the font and size, so keep
        # them. Same tables and scaling as matplotlib's own fallback in Text._get_layout.
        key = (hash(prop), self.dpi)
        hit = self._metrics_cache.get(key)
        if hit is None:
            hit = _mpl.font_line_metrics(self, prop)
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
        _mpl.draw_text_image(self, image, round(x + xo + xd), round(y + yo + yd) + 1, angle, gc)


class _FastTextCanvasAgg(FigureCanvasAgg):
    """FigureCanvasAgg whose renderer caches rasterised text (see _TextCachingRendererAgg)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if getattr(self, "_renderer_key", None) != key:
            self.renderer = _TextCachingRendererAgg(w, h, self.figure.dpi)
            self._renderer_key = key
        return self.renderer


def agg_canvas(fig):
    """Attach an Agg canvas to ``fig`` (the text-caching one where it pays off) and return it."""
    return _FastTextCanvasAgg(fig) if _PER_GLYPH_TEXT else FigureCanvasAgg(fig)


# ---------------------------------------------------------------------------------------------
# Layout: once
# ---------------------------------------------------------------------------------------------


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
# ipympl: the live canvas under %matplotlib widget
# ---------------------------------------------------------------------------------------------


def use_ipympl():
    """True when the active matplotlib backend is ipympl (``%matplotlib widget``)."""
    # the raw setting: resolving an "auto" backend would import pyplot and pick a GUI backend
    # as a side effect
    backend = _mpl.backend_setting()
    if not isinstance(backend, str):
        return False
    backend = backend.lower()
    return "ipympl" in backend or backend == "widget"


class IpymplView:
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
