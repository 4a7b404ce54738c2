"""lossviz.plotting: artists carry the numbers they were given; fast redraws match full ones."""

import io
import struct
import zlib

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from PIL import Image

from lossviz import plotting as lp


def decode(png):
    with Image.open(io.BytesIO(bytes(png))) as im:
        return np.asarray(im.convert("RGBA"))


def test_every_role_colour_is_okabe_ito():
    palette = {c.lower() for c in lp.OKABE_ITO.values()}
    assert len(palette) == 8
    for name, colour in {**lp.COLORS, **lp.LOSS_COLORS}.items():
        assert colour.lower() in palette, name
    # MSE and cross-entropy never share a colour: the pictures compare them side by side
    assert lp.COLORS["mse"] != lp.COLORS["cross_entropy"]


def test_new_figure_is_invisible_to_pyplot_and_sized_in_pixels():
    before = plt.get_fignums()
    fig = lp.new_figure(900, 380, dpi=100)
    assert plt.get_fignums() == before
    assert fig.canvas.get_width_height() == (900, 380)


def test_style_sets_projector_sizes_only_inside_the_context():
    with lp.style():
        fig = lp.new_figure(400, 300)
        ax = fig.subplots()
        ax.set_xlabel("p")
    assert ax.xaxis.label.get_fontsize() == lp.STYLE["axes.labelsize"] == 13
    outside = lp.new_figure(400, 300).subplots()
    outside.set_xlabel("p")
    assert outside.xaxis.label.get_fontsize() != 13 or plt.rcParams["axes.labelsize"] == 13


def test_formatters_use_a_real_minus_and_no_negative_zero():
    assert lp.fmt_signed(1) == "+1.00"
    assert lp.fmt_signed(-3) == "\u22123.00"
    assert lp.fmt_signed(-0.0001) == "0.00"
    assert lp.fmt_money(410_000) == "$410,000"
    assert lp.fmt_money(10_000, signed=True) == "+$10,000"
    assert lp.fmt_money(-10_000) == "\u2212$10,000"


def test_loss_curve_marker_and_label_follow_update():
    fig = lp.new_figure(400, 300)
    ax = fig.subplots()
    x = np.linspace(0.01, 1, 50)
    curve = lp.loss_curve(ax, x, -np.log(x), 0.7, -np.log(0.7), value_text="start")
    np.testing.assert_allclose(curve.line.get_ydata(), -np.log(x))
    assert curve.marker.get_xydata().tolist() == [[0.7, -np.log(0.7)]]
    curve.update(0.01, 4.605, text="CE = 4.605")
    assert curve.marker.get_xydata().tolist() == [[0.01, 4.605]]
    assert curve.label.get_text() == "CE = 4.605"
    assert curve.line not in curve.moving and curve.marker in curve.moving


def test_tangent_has_the_gradient_as_slope():
    fig = lp.new_figure(400, 300)
    ax = fig.subplots()
    t = lp.tangent_line(ax, 1.5, 2.25, 3.0, half_width=0.5)
    (x0, x1), (y0, y1) = t.line.get_data()
    # MSE at ŷ = 1.5 (y = 0): loss 1.5² = 2.25, gradient 2·1.5 = 3: the segment rises 3 per unit
    assert (x0, x1) == (1.0, 2.0)
    assert (y1 - y0) / (x1 - x0) == pytest.approx(3.0)
    assert (y0 + y1) / 2 == pytest.approx(2.25)


def test_squared_error_bars_show_values_shares_and_the_mean():
    fig = lp.new_figure(500, 300)
    ax = fig.subplots()
    ax.set_ylim(0, 20)
    # the course's example: errors +1, −3, +1 -> squares 1, 9, 1; total 11; mean 11/3
    sq = lp.squared_error_bars(ax, [1.0, 9.0, 1.0], 11 / 3)
    assert sq.bars.heights.tolist() == [1.0, 9.0, 1.0]
    texts = [t.get_text() for t in sq.bars.texts]
    assert texts == ["1.00\n(9%)", "9.00\n(82%)", "1.00\n(9%)"]  # 1/11 = 9%, 9/11 = 82%
    assert sq.mean_line.get_ydata()[0] == pytest.approx(11 / 3)
    assert "3.667" in sq.mean_text.get_text()
    sq.update([0.0, 0.0, 0.0], 0.0)
    assert [t.get_text() for t in sq.bars.texts] == ["0.00\n(0%)"] * 3  # no 0/0


def test_bar_texts_stay_inside_the_axes():
    fig = lp.new_figure(400, 300)
    ax = fig.subplots()
    bars = lp.gradient_bars(ax, [-1.0, 0.5, 1.0], classes=["a", "b", "c"])
    lo, hi = ax.get_ylim()
    for t in bars.texts:
        assert lo < t.get_position()[1] < hi
    assert [t.get_text() for t in bars.texts] == ["\u22121.00", "+0.50", "+1.00"]


def test_probability_bars_highlight_the_true_class():
    fig = lp.new_figure(400, 300)
    ax = fig.subplots()
    b = lp.probability_bars(ax, [0.7, 0.2, 0.1], classes=["cat", "dog", "bird"], true_index=1)
    colours = [to_hex(bar.get_facecolor()) for bar in b.bars]
    assert colours[1] == lp.COLORS["true_class"].lower()
    assert colours[0] == colours[2] == lp.COLORS["other_class"].lower()
    assert ax.get_ylim()[0] == 0.0 and ax.get_ylim()[1] >= 1.0


def test_error_stems_join_target_and_prediction():
    fig = lp.new_figure(400, 300)
    ax = fig.subplots()
    ax.set_ylim(-1, 8)
    stems = lp.target_prediction_errors(ax, [3, 5, 2], [4, 2, 3])
    assert [[float(v) for v in s.get_ydata()] for s in stems.stems] == [[3, 4], [5, 2], [2, 3]]
    assert [t.get_text() for t in stems.texts] == ["e = +1.00", "e = \u22123.00", "e = +1.00"]


@pytest.mark.parametrize("shape", [(1, 1, 4), (7, 13, 4), (380, 900, 4)])
def test_rgba_to_png_round_trips_exactly(shape):
    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, size=shape, dtype=np.uint8)
    rgba[: shape[0] // 2] = 255  # a flat area, like a plot's background
    assert np.array_equal(decode(lp.rgba_to_png(rgba)), rgba)


def idat(png):
    """The decompressed image data of a PNG (zlib.decompress checks the Adler-32 sum)."""
    data, pos, out = bytes(png), 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == b"IDAT":
            out += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    return zlib.decompress(out)


def test_png_stream_recompresses_only_the_bands_that_changed():
    stream = lp.PngStream(band_rows=16)
    frame = np.full((100, 37, 4), 255, np.uint8)  # 100 rows: 7 bands of 16 rows
    assert np.array_equal(decode(stream.encode(frame)), frame)
    assert stream.bands_compressed == 7
    again = stream.encode(frame)
    assert stream.bands_compressed == 7  # nothing changed: every band's bytes reused
    assert np.array_equal(decode(again), frame)
    frame = frame.copy()
    frame[40, 5] = (213, 94, 0, 255)  # row 40 is in band 2; "Up" also changes row 41's bytes
    out = stream.encode(frame)
    assert stream.bands_compressed == 8
    assert np.array_equal(decode(out), frame)
    assert len(idat(out)) == 100 * (1 + 37 * 4)  # valid zlib stream, checksum included
    frame[47, 0] = (0, 0, 0, 255)  # last row of band 2: "Up" changes row 48, in band 3
    stream.encode(frame)
    assert stream.bands_compressed == 10
    # a new size starts afresh
    assert np.array_equal(decode(stream.encode(np.zeros((5, 3, 4), np.uint8))),
                          np.zeros((5, 3, 4), np.uint8))


def test_rgba_to_png_rejects_other_arrays():
    with pytest.raises(ValueError, match=r"\(h, w, 4\) uint8"):
        lp.rgba_to_png(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="float64"):
        lp.rgba_to_png(np.zeros((4, 4, 4)))


def _two_panel():
    fig = lp.new_figure(600, 300)
    ax1, ax2 = fig.subplots(1, 2)
    x = np.linspace(0.01, 1, 100)
    ax1.set_xlim(0, 1)
    ax1.set_ylim(0, 5)
    curve = lp.loss_curve(ax1, x, -np.log(x), 0.5, -np.log(0.5), value_text="")
    ax2.set_ylim(-1.25, 1.25)
    bars = lp.gradient_bars(ax2, [-0.5, 0.25, 0.25], classes=["a", "b", "c"])
    lp.freeze_layout(fig)
    return fig, curve, bars


def test_blit_renderer_matches_a_full_redraw():
    fig, curve, bars = _two_panel()
    r = lp.BlitRenderer(fig, [*curve.moving, *bars.moving])
    first = decode(r.render())
    for p in (0.2, 0.9, 0.05):
        curve.update(p, -np.log(p), text=f"{p}")
        bars.update([p - 1, (1 - p) / 2, (1 - p) / 2])
        fast = decode(r.render())
        fig.canvas.draw()  # everything, the slow way
        full = np.asarray(fig.canvas.buffer_rgba())
        # moving artists are drawn last, so pixels may differ only where one overlaps a static
        # artist drawn above it; these pictures have no such overlap
        assert np.array_equal(fast, full)
        assert not np.array_equal(fast, first)
    assert r.full_draws == 1  # the background was drawn once


def test_blit_renderer_redraws_the_background_when_limits_change():
    fig, curve, bars = _two_panel()
    r = lp.BlitRenderer(fig, [*curve.moving, *bars.moving])
    r.render()
    r.render()
    assert r.full_draws == 1
    fig.axes[0].set_ylim(0, 10)
    r.render()
    assert r.full_draws == 2
    r.render(key="another loss")
    assert r.full_draws == 3
    # the cached background must not hide the figure's own drawing: savefig draws everything
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert decode(buf.getvalue()).shape == (300, 600, 4)


def _label_figure(canvas_cls):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 2), dpi=100)
    canvas_cls(fig)
    ax = fig.subplots()
    ax.set_axis_off()
    text = ax.text(0.1, 0.4, "MSE = 3.667 (82%) \u2212\u0177\u00b2", fontsize=14)
    ax.text(0.5, 0.9, "9.00\n(82%)", ha="center", va="top", fontsize=11)
    fig.canvas.draw()
    return fig, text


@pytest.mark.skipif(not lp._PER_GLYPH_TEXT, reason="only matplotlib >= 3.11 draws text per glyph")
def test_text_caching_renderer_lays_out_and_inks_like_matplotlib():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig_a, text_a = _label_figure(FigureCanvasAgg)
    fig_b, text_b = _label_figure(lp._FastTextCanvasAgg)
    ext_a = text_a.get_window_extent(fig_a.canvas.get_renderer())
    ext_b = text_b.get_window_extent(fig_b.canvas.get_renderer())
    assert np.allclose(ext_a.bounds, ext_b.bounds, atol=1.0)  # same box, to the pixel
    two_a, two_b = (fig.axes[0].texts[1].get_window_extent(fig.canvas.get_renderer())
                    for fig in (fig_a, fig_b))
    assert np.allclose(two_a.bounds, two_b.bounds, atol=1.0)  # line spacing as matplotlib's
    ink_a = 255 - np.asarray(fig_a.canvas.buffer_rgba())[..., 0].astype(int)
    ink_b = 255 - np.asarray(fig_b.canvas.buffer_rgba())[..., 0].astype(int)
    assert ink_a.sum() > 0
    assert ink_b.sum() == pytest.approx(ink_a.sum(), rel=0.05)  # the same amount of ink
    # ... in the same place: the ink's centre of mass moves by less than a pixel
    rows = np.arange(ink_a.shape[0])[:, None]
    cols = np.arange(ink_a.shape[1])[None, :]
    for weights in (rows, cols):
        assert (ink_a * weights).sum() / ink_a.sum() == pytest.approx(
            (ink_b * weights).sum() / ink_b.sum(), abs=1.0)


@pytest.mark.skipif(not lp._PER_GLYPH_TEXT, reason="only matplotlib >= 3.11 draws text per glyph")
def test_text_caching_renderer_rasterises_a_label_once():
    fig = lp.new_figure(300, 200)
    ax = fig.subplots()
    text = ax.text(0.5, 0.5, "loss = 1.500")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    cached = len(renderer._text_cache)
    fig.draw_artist(text)
    fig.draw_artist(text)
    assert len(renderer._text_cache) == cached  # seen before: nothing new rasterised
    text.set_text("loss = 2.250")
    fig.draw_artist(text)
    assert len(renderer._text_cache) == cached + 1
