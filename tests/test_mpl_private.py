"""lossviz._mpl_private: the matplotlib internals lossviz relies on still behave as it expects.

Each test exercises one function of the interface and checks values or pixels, so a matplotlib
upgrade that renames, removes or changes one of them fails here, with the matplotlib version and
what broke, instead of as a wrong picture or a slow explorer somewhere else.
"""

import contextlib
import os
import subprocess
import sys

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from packaging.version import Version

from lossviz import _mpl_private as P
from lossviz import rendering


def broke(what):
    return (f"matplotlib {mpl.__version__}: {what}. lossviz/_mpl_private.py is the only place "
            "that relies on it: adapt it there (see its module docstring).")


@contextlib.contextmanager
def exercising(what):
    """Turn any error raised by the interface into a failure naming what broke."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - any error here means the internals changed
        pytest.fail(broke(f"{what} raised {type(exc).__name__}: {exc}"), pytrace=False)


def _ink_box(rgba):
    """(rows, cols) of the pixels that were drawn on (alpha > 0)."""
    ink = np.argwhere(np.asarray(rgba)[..., 3] > 0)
    return set(ink[:, 0].tolist()), set(ink[:, 1].tolist()), len(ink)


def test_the_per_glyph_text_flag_matches_the_installed_matplotlib():
    # 3.11 moved Agg's text layout to Python, glyph by glyph; the text cache exists for that
    expected = Version(mpl.__version__).release[:2] >= (3, 11)
    assert P.AGG_TEXT_PER_GLYPH == expected, broke(
        f"RendererAgg._draw_text_glyphs_and_boxes / _prepare_font are "
        f"{'missing' if expected else 'present'}, so the text-caching canvas is "
        f"{'no longer' if expected else 'now'} used; check whether it still pays off")
    assert rendering._PER_GLYPH_TEXT == P.AGG_TEXT_PER_GLYPH


def test_agg_font_is_sized_at_the_renderers_dpi():
    prop = FontProperties(family="DejaVu Sans", size=20)
    heights = {}
    for dpi in (72, 144):
        with exercising("RendererAgg._prepare_font(prop)"):
            font = P.agg_font(RendererAgg(50, 50, dpi), prop)
            font.set_text("M", 0.0)
            heights[dpi] = font.get_width_height()[1] / 64.0
    # 20 pt at 72 dpi is 20 px; the capital M is about 0.73 em high in DejaVu Sans
    assert 12 <= heights[72] <= 18, broke(f"a 20 pt 'M' at 72 dpi is {heights[72]} px high")
    assert heights[144] == pytest.approx(2 * heights[72], rel=0.1), broke(
        f"the font ignores the renderer's dpi ({heights[72]} px at 72, {heights[144]} at 144)")


@pytest.mark.parametrize("s", ["MSE = 3.667 (82%)", "\u2212\u0177\u00b2 loss", "g"])
def test_rasterise_string_measures_and_inks_like_matplotlib(s):
    prop = FontProperties(family="DejaVu Sans", size=14)
    renderer = RendererAgg(400, 100, 100)
    # matplotlib's own measurement (its public renderer method, on a stock renderer)
    w0, h0, d0 = renderer.get_text_width_height_descent(s, prop, ismath=False)
    with exercising("rasterising a string with FT2Font (set_text, draw_glyphs_to_bitmap, ...)"):
        w, h, d, image, xo, yo = P.rasterise_string(renderer, s, prop, True)
    assert (w, h, d) == pytest.approx((w0, h0, d0), abs=1.0), broke(
        f"the extent of {s!r} is {(w, h, d)}, matplotlib measures {(w0, h0, d0)}")
    assert image.dtype == np.uint8 and image.ndim == 2, broke(
        f"the bitmap is {image.dtype} with shape {image.shape}, not a 2-D uint8 array")
    # the ink fits the measured box (a pixel or two of antialiasing aside) and is really there
    assert image.shape[0] <= h0 + 3 and image.shape[1] <= w0 + 3, broke(
        f"the bitmap {image.shape} is larger than the text's box ({h0}, {w0})")
    assert (image > 0).sum() > 10, broke(f"the bitmap of {s!r} has no ink")
    # a copy: rasterising another string must not change it
    before = image.copy()
    P.rasterise_string(renderer, "something else", prop, True)
    assert np.array_equal(image, before), broke("the bitmap is the font's reused buffer")


def test_draw_text_image_places_the_bitmap_at_its_bottom_left_corner():
    renderer = RendererAgg(60, 40, 100)
    gc = renderer.new_gc()
    gc.set_foreground("#0072B2")
    h, w, x, y = 3, 5, 10, 20
    with exercising("RendererAgg._renderer.draw_text_image"):
        P.draw_text_image(renderer, np.full((h, w), 255, np.uint8), x, y, 0.0, gc)
    rgba = np.asarray(renderer.buffer_rgba())
    rows, cols, n = _ink_box(rgba)
    # columns x .. x + w - 1; rows y - h .. y - 1 (y is the row below the bitmap, counted down)
    assert (rows, cols, n) == (set(range(y - h, y)), set(range(x, x + w)), h * w), broke(
        f"a {h}x{w} bitmap at ({x}, {y}) inked rows {sorted(rows)} and columns {sorted(cols)}")
    assert tuple(rgba[y - 1, x]) == (0, 0x72, 0xB2, 255), broke(
        f"the bitmap was drawn in {tuple(rgba[y - 1, x])}, not the gc's colour")
    # rotated by 90 degrees about the same corner (counter-clockwise on screen)
    renderer.clear()
    P.draw_text_image(renderer, np.full((h, w), 255, np.uint8), x, y, 90.0, gc)
    rows, cols, n = _ink_box(renderer.buffer_rgba())
    assert (rows, cols, n) == (set(range(y - w, y)), set(range(x - h, x)), h * w), broke(
        f"a {h}x{w} bitmap rotated by 90 degrees at ({x}, {y}) inked rows {sorted(rows)} and "
        f"columns {sorted(cols)}")


def test_text_layout_uses_the_font_height_metrics_hook():
    calls = []

    @P.with_font_height_metrics
    class Probe(RendererAgg):
        def font_height_metrics(self, prop):
            calls.append(prop.get_size_in_points())
            return 100.0, 50.0, 0.0  # far taller lines than any real font: visible in the layout

    fig = Figure(figsize=(4, 4), dpi=100)
    text = fig.text(0.1, 0.5, "a\nb", fontsize=10)
    with exercising(f"Text layout with a renderer defining {P.FONT_HEIGHT_METRICS_HOOK}"):
        height = text.get_window_extent(Probe(400, 400, 100)).height
    assert calls, broke(f"Text layout no longer calls renderer.{P.FONT_HEIGHT_METRICS_HOOK}: the "
                        "text-caching renderer's metrics cache is bypassed (correct but slower)")
    # two lines of ascent 100 + descent 50 (line spacing 1.2): far above 10 pt text's ~35 px
    assert height >= 250, broke(f"Text layout called {P.FONT_HEIGHT_METRICS_HOOK} but ignored "
                                f"its values (a two-line box of {height:.0f} px)")


def test_font_line_metrics_give_matplotlibs_line_spacing():
    prop = FontProperties(family="DejaVu Sans", size=12)
    renderer = RendererAgg(100, 100, 100)
    with exercising("FT2Font.get_sfnt_table"):
        ascent, descent, gap = P.font_line_metrics(renderer, prop)
    assert ascent is not None, broke("no OS/2 or hhea table in DejaVu Sans")
    # 12 pt at 100 dpi = 16.67 px per em. DejaVu Sans' OS/2 table, in units of 2048 per em:
    # sTypoAscender 1556, sTypoDescender -492, sTypoLineGap 410
    em = 12 * 100 / 72
    expected = (1556 / 2048 * em, 492 / 2048 * em, 410 / 2048 * em)  # 12.66, 4.00, 3.34 px
    assert (ascent, descent, gap) == pytest.approx(expected, abs=0.01), broke(
        f"line metrics ({ascent}, {descent}, {gap}) px, expected {expected} (DejaVu Sans)")
    # the same numbers as matplotlib's own fallback: the same two-line box with and without them
    boxes = []
    for cls in (RendererAgg, rendering._TextCachingRendererAgg):
        fig = Figure(figsize=(4, 4), dpi=100)
        text = fig.text(0.1, 0.5, "loss\n1.50", fontproperties=prop)
        boxes.append(text.get_window_extent(cls(400, 400, 100)).bounds)
    assert boxes[1] == pytest.approx(boxes[0], abs=1.0), broke(
        f"two lines laid out with lossviz's metrics {boxes[1]} vs matplotlib's {boxes[0]}")


def test_backend_setting_reads_the_raw_value_without_resolving_it():
    code = (
        "import sys, matplotlib as mpl\n"
        "from lossviz._mpl_private import backend_setting\n"
        "raw = backend_setting()\n"
        "print(isinstance(raw, str), 'matplotlib.pyplot' in sys.modules)\n"
        "mpl.rcParams['backend'] = 'module://ipympl.backend_nbagg'\n"
        "print(backend_setting())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, broke(f"reading rcParams raw failed:\n{out.stderr}")
    first, second = out.stdout.splitlines()
    # "auto" is a sentinel object until pyplot resolves it; reading it must not import pyplot
    assert first == "False False", broke(
        f"dict.__getitem__(rcParams, 'backend') gave (is a str, pyplot imported) = {first}")
    assert second == "module://ipympl.backend_nbagg", broke(
        f"dict.__getitem__(rcParams, 'backend') gave {second!r} after setting the backend")
