"""lossviz.explorers, headless: set control values, check artists, readouts, pictures, alt text.

The course's numbers are checked with their arithmetic written out beside them.
"""

import io
import math
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.layout_engine import ConstrainedLayoutEngine
from PIL import Image

import lossviz as lv
from lossviz import explorers as E
from lossviz import plotting as lp
from lossviz import rendering

FACTORIES = {
    "mse": E.mse_explorer,
    "house": E.house_price_explorer,
    "softmax": E.softmax_explorer,
    "confident_wrong": E.confident_wrong_explorer,
    "loss_curve": E.loss_curve_explorer,
}
PANELS = {"mse": 2, "house": 2, "softmax": 3, "confident_wrong": 2, "loss_curve": 2}


def png(ex):
    return bytes(ex.image.value)


def pixels(data):
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGBA"))


@pytest.fixture(params=list(FACTORIES))
def any_explorer(request):
    return request.param, FACTORIES[request.param]()


def control_values(control, n=21):
    """Every option of a selection; n evenly spaced values, both ends included, of a slider."""
    lo, hi, options = E._control_range(control)
    if options is not None:
        return list(options)
    if isinstance(control, E.widgets.FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, n))
    return list(np.linspace(lo, hi, n))


# ---------------------------------------------------------------------------------------------
# The contract, for every explorer
# ---------------------------------------------------------------------------------------------


def test_contract(any_explorer):
    name, ex = any_explorer
    assert isinstance(ex.widget, E.widgets.VBox)
    assert ex.image in ex.widget.children
    # displaying the explorer displays its widget
    bundle = ex._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert bundle["text/plain"] == f"{ex.title}\n{ex.alt_text}"  # the static fallback
    assert len(ex.figure.axes) == PANELS[name]
    assert ex.readout and all(isinstance(v, float) for v in ex.readout.values())
    for cname, control in ex.controls.items():
        assert control.description, cname  # a human label on every control
        assert getattr(control, "readout", True) is not False
    # the DOM hooks browser tests look for
    assert "lossviz-explorer" in ex.widget._dom_classes
    assert "lossviz-picture" in ex.image._dom_classes
    assert "lossviz-readout" in ex._readout_widget._dom_classes
    assert "lossviz-caption" in ex._caption._dom_classes
    assert all("lossviz-preset" in b._dom_classes for b in ex.preset_buttons.values())
    # a tooltip on an ipywidgets.Image crashes its browser view; alt text is a visible caption
    assert not ex.image.tooltip
    assert ex.alt_text and ex.alt_text in ex._caption.value.replace("&#x27;", "'")
    assert pixels(png(ex)).shape[:2] == (ex.height_px, ex.width_px)
    assert_everything_inside(ex.figure)


def assert_everything_inside(fig):
    """Every axes with its labels and ticks lies inside the picture (the layout fits)."""
    renderer = fig.canvas.get_renderer()
    w, h = fig.canvas.get_width_height()
    for ax in fig.axes:
        box = ax.get_tightbbox(renderer)
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= w + 1 and box.y1 <= h + 1, (
            ax.get_title(), box.bounds)


def test_nothing_reaches_pyplot():
    before = plt.get_fignums()
    exs = [f() for f in FACTORIES.values()]
    assert plt.get_fignums() == before
    assert all(plt.gcf() is not ex.figure for ex in exs)
    plt.close("all")


def test_every_move_changes_the_picture_and_the_alt_text(any_explorer):
    name, ex = any_explorer
    for cname, control in ex.controls.items():
        if control.disabled or control.layout.display == "none":
            continue
        for v in control_values(control, 4)[:3]:
            if v == control.value:
                continue
            before_png, before_alt = png(ex), ex.alt_text
            control.value = v
            assert png(ex) != before_png, (cname, v)
            assert ex.alt_text != before_alt, (cname, v)


def test_fast_redraw_matches_a_full_redraw(any_explorer):
    name, ex = any_explorer
    first = next(iter(ex.controls))
    ex.controls[first].value = control_values(ex.controls[first], 5)[1]
    fast = pixels(png(ex))
    ex.figure.canvas.draw()
    full = np.asarray(ex.figure.canvas.buffer_rgba())
    # The blitted frame draws moving artists last; it may differ from a full draw only where a
    # moving artist overlaps a static one drawn above it (a legend, a grid line): a few pixels.
    assert np.mean(np.any(fast != full, axis=2)) < 0.005


def test_sweep_every_control_over_its_whole_range(any_explorer):
    name, ex = any_explorer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cname, control in ex.controls.items():
            for v in control_values(control):
                control.value = v
                assert all(math.isfinite(x) for x in ex.readout.values()), (cname, v, ex.readout)


def test_sweep_loss_curve_explorer_for_every_loss():
    ex = E.loss_curve_explorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for loss in lv.LOSSES:
            ex.controls["loss"].value = loss
            for x in control_values(ex.controls["prediction"]):
                ex.controls["prediction"].value = x
                assert math.isfinite(ex.readout["loss"]) and math.isfinite(ex.readout["grad"])
            if loss == "huber":
                for d in control_values(ex.controls["delta"]):
                    ex.controls["delta"].value = d
                    assert math.isfinite(ex.readout["loss"])


def test_snapshots_have_one_panel_group_per_setting(any_explorer):
    name, ex = any_explorer
    first, control = next(iter(ex.controls.items()))
    values = control_values(control, 3)[:3]
    fig = ex.snapshot([{first: v} for v in values])
    assert len(fig.axes) == 3 * PANELS[name]
    assert len(fig.subfigs) == 3
    assert plt.get_fignums() == []


def test_snapshot_leaves_the_live_explorer_alone(any_explorer):
    name, ex = any_explorer
    first, control = next(iter(ex.controls.items()))
    values = control_values(control, 5)
    control.value = values[1]
    picture, readout = png(ex), dict(ex.readout)
    ex.snapshot([{first: values[0]}, {first: values[-1]}])
    control.value = values[2]
    control.value = values[1]
    assert png(ex) == picture
    assert ex.readout == readout


def test_snapshot_rejects_unknown_controls_and_values_out_of_range():
    ex = E.confident_wrong_explorer()
    with pytest.raises(ValueError, match="unknown control"):
        ex.snapshot([{"q": 0.5}])
    with pytest.raises(ValueError, match="outside the control's range"):
        ex.snapshot([{"p": 1.0}])
    with pytest.raises(ValueError, match="empty"):
        ex.snapshot([])
    with pytest.raises(ValueError, match="not one of"):
        E.softmax_explorer().snapshot([{"true_class": "fish"}])


def test_set_rejects_unknown_controls():
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['y_pred_7'\]"):
        E.mse_explorer().set(y_pred_7=1.0)


def test_ipympl_backend_embeds_its_canvas(monkeypatch):
    # importing ipympl switches matplotlib's backend (ipympl/__init__.py calls
    # matplotlib.use): put the test session's backend back afterwards
    saved = dict.__getitem__(mpl.rcParams, "backend")
    try:
        ipympl_nbagg = pytest.importorskip(
            "ipympl.backend_nbagg", reason="ipympl is optional: only %matplotlib widget uses it")
        monkeypatch.setattr(rendering, "use_ipympl", lambda: True)  # Explorer asks it there
        ex = E.softmax_explorer()
        assert ex.image is None
        assert isinstance(ex.figure.canvas, ipympl_nbagg.Canvas)
        assert ex.figure.canvas in ex.widget.children
        ex.controls["true_class"].value = "dog"
        assert ex.readout["cross_entropy"] == pytest.approx(-math.log(0.20))
        assert plt.get_fignums() == []
    finally:
        mpl.use(saved)


def test_backend_detection_reads_rcparams_without_resolving(monkeypatch):
    monkeypatch.setitem(plt.rcParams, "backend", "module://ipympl.backend_nbagg")
    assert E._use_ipympl()
    monkeypatch.setitem(plt.rcParams, "backend", "agg")
    assert not E._use_ipympl()


# ---------------------------------------------------------------------------------------------
# 1. MSE
# ---------------------------------------------------------------------------------------------


def test_mse_explorer_course_example():
    ex = E.mse_explorer()
    assert list(ex.controls) == ["y_pred_0", "y_pred_1", "y_pred_2"]
    # targets 3, 5, 2; predictions 4, 2, 3: errors +1, −3, +1; squares 1, 9, 1; mean 11/3
    assert ex.readout["mse"] == pytest.approx(11 / 3)
    assert ex.readout["rmse"] == pytest.approx(math.sqrt(11 / 3))
    art = ex._artists
    assert art["sq"].bars.heights.tolist() == [1.0, 9.0, 1.0]
    assert art["sq"].mean_line.get_ydata()[0] == pytest.approx(11 / 3)
    assert [t.get_text() for t in art["sq"].bars.texts] == ["1.00\n(9%)", "9.00\n(82%)",
                                                           "1.00\n(9%)"]
    assert art["stems"].predictions.get_ydata().tolist() == [4.0, 2.0, 3.0]
    assert "82%" in ex.alt_text and "item 2" in ex.alt_text


def test_mse_explorer_moves_one_prediction():
    ex = E.mse_explorer()
    ex.controls["y_pred_1"].value = 5.0  # item 2 now exact: squares 1, 0, 1 -> MSE 2/3
    assert ex.readout["mse"] == pytest.approx(2 / 3)
    assert ex._artists["sq"].bars.heights.tolist() == [1.0, 0.0, 1.0]
    ex.controls["y_pred_0"].value = -1.0  # error −4 -> square 16: (16 + 0 + 1) / 3
    assert ex.readout["mse"] == pytest.approx(17 / 3)
    assert ex._artists["sq"].bars.heights.tolist() == [16.0, 0.0, 1.0]
    top = ex._artists["ax_sq"].get_ylim()[1]
    assert top >= 16.0  # the squared-error axis grew to keep the tallest bar in view


def test_mse_explorer_bars_equal_lossviz_squared_errors():
    ex = E.mse_explorer((1.5, -2.0), (0.0, 0.5))
    expected = lv.mse(np.array([0.0, 0.5]), np.array([1.5, -2.0]), reduction="none")
    np.testing.assert_allclose(ex._artists["sq"].bars.heights, expected)  # 2.25, 6.25
    np.testing.assert_allclose(expected, [2.25, 6.25])
    assert ex.readout["mse"] == pytest.approx((2.25 + 6.25) / 2)


def test_house_prices_are_in_squared_dollars_and_rmse_in_dollars():
    for ex in (E.house_price_explorer(), E.mse_explorer(house_prices=True)):
        # truth $400,000, prediction $410,000: error $10,000, squared 10,000² = 100,000,000 $²
        assert ex.readout["mse"] == pytest.approx(1e8)
        assert ex.readout["rmse"] == pytest.approx(1e4)
        assert "$410,000" in ex.alt_text and "RMSE = $10,000" in ex.alt_text
        assert "100,000,000 $²" in ex._readout_widget.value
        ex.controls["y_pred_0"].value = 370_000  # error −$30,000: MSE 9e8 $², RMSE $30,000
        assert ex.readout["rmse"] == pytest.approx(3e4)
        assert ex._artists["sq"].bars.heights.tolist() == [9e8]
        assert ex._artists["ax_sq"].get_ylim()[1] >= 9e8


def test_mse_explorer_picture_depends_on_the_state_not_the_path():
    ex = E.mse_explorer()
    start = png(ex)
    for v in (2.1, 2.2, 2.3, 6.0, 8.0, 2.3, 2.2, 2.1, 2.0):  # squares up to 9 and back
        ex.controls["y_pred_1"].value = v
    assert png(ex) == start


def test_mse_snapshot_rows_share_one_squared_error_scale():
    ex = E.mse_explorer()
    # squares (1, 9, 1) and (1, 0, 1): one axis for both rows, tall enough for the 9
    fig = ex.snapshot([{}, {"y_pred_1": 5.0}])
    tops = [fig.axes[i].get_ylim()[1] for i in (1, 3)]
    assert tops[0] == tops[1] >= 9.0
    assert "MSE = 3.667" in fig.subfigs[0]._suptitle.get_text()
    assert "MSE = 0.667" in fig.subfigs[1]._suptitle.get_text()  # (1 + 0 + 1) / 3


def test_mse_explorer_checks_its_input():
    with pytest.raises(ValueError, match="same length"):
        E.mse_explorer((1, 2), (1, 2, 3))
    with pytest.raises(ValueError, match="finite"):
        E.mse_explorer((1, np.nan), (1, 2))


# ---------------------------------------------------------------------------------------------
# 2. Softmax
# ---------------------------------------------------------------------------------------------


def test_softmax_explorer_starts_at_the_course_example():
    ex = E.softmax_explorer()
    assert list(ex.controls) == ["cat", "dog", "bird", "true_class"]
    assert ex.controls["cat"].value == pytest.approx(math.log(0.70))
    r = ex.readout
    assert (r["p_cat"], r["p_dog"], r["p_bird"]) == pytest.approx((0.70, 0.20, 0.10))
    # cat is true: CE = −ln 0.70 = 0.3567
    assert r["cross_entropy"] == pytest.approx(0.35667494393873245)
    assert round(r["cross_entropy"], 3) == 0.357
    art = ex._artists
    np.testing.assert_allclose(art["probs"].heights, [0.70, 0.20, 0.10])
    # the marker sits on the −ln p curve at p(true) = 0.70
    np.testing.assert_allclose(art["ce"].marker.get_xydata(), [[0.70, -math.log(0.70)]])
    # gradient softmax − one-hot = (0.70 − 1, 0.20, 0.10)
    np.testing.assert_allclose(art["grads"].heights, [-0.30, 0.20, 0.10])


def test_softmax_presets_and_true_class():
    ex = E.softmax_explorer()
    before = png(ex)
    ex.preset_buttons["confidently wrong"].click()
    assert png(ex) != before
    r = ex.readout
    assert (r["p_cat"], r["p_dog"], r["p_bird"]) == pytest.approx((0.05, 0.90, 0.05))
    assert r["cross_entropy"] == pytest.approx(-math.log(0.05))  # 2.996
    np.testing.assert_allclose(ex._artists["grads"].heights, [-0.95, 0.90, 0.05])
    ex.controls["true_class"].value = "dog"  # the same guess is now right: −ln 0.90 = 0.105
    assert ex.readout["cross_entropy"] == pytest.approx(-math.log(0.90))
    colours = [to_hex(b.get_facecolor()) for b in ex._artists["probs"].bars]
    assert colours[1] == lp.COLORS["true_class"].lower() != colours[0]
    assert "true class is dog" in ex.alt_text
    ex.apply_preset("decent")
    assert ex.readout["cross_entropy"] == pytest.approx(-math.log(0.70))


def test_softmax_readout_comes_from_lossviz():
    ex = E.softmax_explorer()
    ex.set(cat=1.0, dog=2.0, bird=-3.0, true_class="bird")
    z = np.array([1.0, 2.0, -3.0])
    np.testing.assert_allclose([ex.readout[k] for k in ("p_cat", "p_dog", "p_bird")],
                               lv.softmax(z))
    assert ex.readout["cross_entropy"] == pytest.approx(lv.cross_entropy(z, 2))
    np.testing.assert_allclose(ex._artists["grads"].heights, lv.cross_entropy_grad(z, 2))


def test_softmax_logits_that_look_like_probabilities_do_not_warn():
    ex = E.softmax_explorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex.set(cat=0.2, dog=0.3, bird=0.5)  # in [0, 1], summing to 1, yet logits
    assert ex.readout["cross_entropy"] == pytest.approx(lv.cross_entropy(np.array(
        [0.0, 0.1, 0.3]), 0))


# ---------------------------------------------------------------------------------------------
# 3. Confidently wrong
# ---------------------------------------------------------------------------------------------

# p: MSE (1 − p)², CE −ln p, dMSE/dz = 2(p − 1)·p(1 − p), dCE/dz = p − 1
COURSE_P = [
    # 0.9: 0.1² = 0.01; −ln 0.9 = 0.1054; 2(−0.1)(0.9·0.1) = −0.018; −0.1
    (0.9, 0.01, 0.105, -0.018, -0.1),
    # 0.6: 0.4² = 0.16; −ln 0.6 = 0.5108; 2(−0.4)(0.6·0.4) = −0.192; −0.4
    (0.6, 0.16, 0.511, -0.192, -0.4),
    # 0.01: 0.99² = 0.9801; −ln 0.01 = 4.6052; 2(−0.99)(0.01·0.99) = −0.019602; −0.99
    (0.01, 0.9801, 4.605, -0.0196, -0.99),
]


@pytest.mark.parametrize("p, mse, ce, mse_grad, ce_grad", COURSE_P)
def test_confident_wrong_course_numbers(p, mse, ce, mse_grad, ce_grad):
    ex = E.confident_wrong_explorer()
    ex.controls["p"].value = p
    r = ex.readout
    assert set(r) == {"mse", "cross_entropy", "mse_grad_logit", "ce_grad_logit"}
    assert r["mse"] == pytest.approx(mse)
    assert r["cross_entropy"] == pytest.approx(ce, abs=5e-4)
    assert r["mse_grad_logit"] == pytest.approx(mse_grad, abs=5e-5)
    assert r["ce_grad_logit"] == pytest.approx(ce_grad)
    art = ex._artists
    np.testing.assert_allclose(art["ce"].marker.get_xydata(), [[p, -math.log(p)]])
    np.testing.assert_allclose(art["mse"].marker.get_xydata(), [[p, (1 - p) ** 2]])
    np.testing.assert_allclose(art["ce_g"].marker.get_xydata(), [[p, p - 1]])
    np.testing.assert_allclose(art["mse_g"].marker.get_xydata(),
                               [[p, 2 * (p - 1) * p * (1 - p)]])


def test_confident_wrong_presets_are_models_a_b_c():
    ex = E.confident_wrong_explorer()
    assert [s["p"] for s in ex.presets.values()] == [0.9, 0.6, 0.01]
    ex.preset_buttons["Model C (p = 0.01)"].click()
    assert ex.controls["p"].value == pytest.approx(0.01)
    # at p = 0.01 cross-entropy pushes (−0.99) / (−0.0196) = 50.5 times harder than MSE
    assert ex.readout["ce_grad_logit"] / ex.readout["mse_grad_logit"] == pytest.approx(
        0.99 / 0.019602)
    assert "50.5 times harder" in ex.alt_text


def test_confident_wrong_slider_covers_its_range():
    s = E.confident_wrong_explorer().controls["p"]
    # the grid starts a twentieth of a step above log10 0.001 = −3: 10^(−3 + 0.00005) = 0.0010001
    assert s.min == pytest.approx(-3 + 0.001 / 20)
    assert s.base ** s.min == pytest.approx(0.0010001151, rel=1e-7)
    assert s.base ** s.max == pytest.approx(0.999)
    # p = 0.001 itself is still accepted (within half a step of the slider's end)
    fig = E.confident_wrong_explorer().snapshot([{"p": 0.001}])
    assert "p = 0.001:" in fig.subfigs[0]._suptitle.get_text()
    with pytest.raises(ValueError, match=r"p=0\.0009 is outside the control's range"):
        E.confident_wrong_explorer().snapshot([{"p": 0.0009}])


def _browser_snap(slider, value):
    """What a browser's log slider does with ``value``: snap log10 value to the grid of step
    ``slider.step`` counted from ``slider.min`` (noUiSlider), and send 10^that back."""
    k = round((math.log10(value) - slider.min) / slider.step)
    return slider.base ** (slider.min + k * slider.step)


@pytest.mark.parametrize("preset, p, shown", [
    # 10^(−2.99995 + 2954·0.001) = 10^−0.04595 = 0.89960 (log10 0.9 = −0.045757)
    ("Model A (p = 0.9)", 0.9, 0.8996011),
    # 10^(−2.99995 + 2778·0.001) = 10^−0.22195 = 0.59986 (log10 0.6 = −0.221849)
    ("Model B (p = 0.6)", 0.6, 0.5998601),
    # 10^(−2.99995 + 1000·0.001) = 10^−1.99995 = 0.01 · 10^0.00005 = 0.0100011514
    ("Model C (p = 0.01)", 0.01, 0.0100011514),
])
def test_confident_wrong_slider_readout_shows_the_value_the_explorer_uses(preset, p, shown):
    ex = E.confident_wrong_explorer()
    s = ex.controls["p"]
    ex.apply_preset(preset)
    snapped = _browser_snap(s, s.value)
    assert snapped == pytest.approx(shown, rel=1e-6)
    s.value = snapped  # the browser sends the snapped value back
    assert ex.values["p"] == p  # the explorer keeps the exact preset...
    # ...and the slider's readout (format ".3g": d3 prints 0.900 where Python prints 0.9, the
    # same number) shows it: 0.89960 -> 0.900, 0.59986 -> 0.600, 0.0100012 -> 0.0100
    assert s.readout_format == ".3g"
    assert float(f"{snapped:.3g}") == p
    assert f"p = <b>{p:.3g}</b>" in ex._readout_widget.value


def test_confident_wrong_slider_grid_from_minus_3_would_show_0_899():
    # the grid counted from log10 0.001 = −3 exactly puts p = 0.9 at −0.046: 10^−0.046 = 0.89950
    assert f"{10 ** (-3 + round((math.log10(0.9) + 3) / 0.001) * 0.001):.3g}" == "0.899"
    assert E._log_grid_origin(-3.0, 0.001, [0.9]) != -3.0
    # a decade per step (grid exponents k·0.05 apart at best) cannot show 0.9 and 0.5 exactly
    with pytest.raises(ValueError, match="no grid of step 1 from -3 shows all of"):
        E._log_grid_origin(-3.0, 1.0, [0.9, 0.5])


def test_confident_wrong_slider_key_presses_move_what_the_explorer_uses():
    ex = E.confident_wrong_explorer()
    s = ex.controls["p"]
    s.value = _browser_snap(s, 0.9)
    # three ArrowLeft presses from Model A: 10^(−0.04595 − 0.003) = 10^−0.04895 = 0.89341
    s.value = s.base ** (math.log10(s.value) - 3 * s.step)
    assert ex.values["p"] == pytest.approx(0.8934083, rel=1e-6)
    assert f"{s.value:.3g}" == "0.893"
    assert "p = <b>0.893</b>" in ex._readout_widget.value
    # MSE (1 − 0.89341)² = 0.011362, CE −ln 0.89341 = 0.11271
    assert ex.readout["mse"] == pytest.approx(0.0113618, rel=1e-4)
    assert ex.readout["cross_entropy"] == pytest.approx(0.1127115, rel=1e-5)


# ---------------------------------------------------------------------------------------------
# 4. Loss curves
# ---------------------------------------------------------------------------------------------


def test_loss_curve_explorer_offers_the_registry():
    ex = E.loss_curve_explorer()
    assert list(ex.controls) == ["loss", "prediction", "delta"]
    assert list(ex.controls["loss"].options) == list(lv.LOSSES)
    assert set(ex.readout) == {"loss", "grad"}
    # MSE at ŷ = 1.5, y = 0: loss 1.5² = 2.25, gradient 2·1.5 = 3
    assert ex.readout == pytest.approx({"loss": 2.25, "grad": 3.0})
    np.testing.assert_allclose(ex._artists["lc"].marker.get_xydata(), [[1.5, 2.25]])
    assert ex.controls["delta"].layout.display == "none"  # δ is shown for Huber only


@pytest.mark.parametrize("loss", list(lv.LOSSES))
def test_loss_curve_marker_is_on_the_curve(loss):
    ex = E.loss_curve_explorer(loss)
    x = ex.controls["prediction"].value
    loss_x, grad_x = E._loss_and_grad(loss, np.array([x]))
    assert ex.readout["loss"] == pytest.approx(loss_x[0])
    assert ex.readout["grad"] == pytest.approx(grad_x[0])
    lc = ex._artists["lc"]
    np.testing.assert_allclose(lc.marker.get_xydata(), [[x, ex.readout["loss"]]])
    xs, ys = lc.line.get_data()
    assert np.interp(x, xs, ys) == pytest.approx(ex.readout["loss"], rel=1e-2, abs=1e-3)


def test_loss_curve_values_match_the_registry():
    ex = E.loss_curve_explorer()
    ex.set(loss="huber", prediction=3.0, delta=1.0)
    # Huber, |e| = 3 > δ = 1: δ(|e| − δ/2) = 2.5; gradient δ·sign(e) = 1
    assert ex.readout == pytest.approx({"loss": 2.5, "grad": 1.0})
    assert ex.controls["delta"].layout.display is None
    ex.controls["delta"].value = 2.0  # 2·(3 − 1) = 4, gradient 2
    assert ex.readout == pytest.approx({"loss": 4.0, "grad": 2.0})
    ex.set(loss="binary_cross_entropy", prediction=0.25)
    # −ln 0.25 = 1.386; d/dp = −1/p = −4
    assert ex.readout == pytest.approx({"loss": -math.log(0.25), "grad": -4.0})
    ex.set(loss="binary_cross_entropy_with_logits", prediction=0.0)
    # −ln σ(0) = ln 2; σ(0) − 1 = −0.5
    assert ex.readout == pytest.approx({"loss": math.log(2), "grad": -0.5})
    ex.set(loss="cross_entropy", prediction=0.0)
    # logits (0, 0, 0): p = 1/3, CE = ln 3, gradient 1/3 − 1
    assert ex.readout == pytest.approx({"loss": math.log(3), "grad": -2 / 3})
    ex.set(loss="soft_cross_entropy", prediction=math.log(8))
    # logits (ln 8, 0, 0): p = (0.8, 0.1, 0.1) = the target, so the gradient p − t is 0
    assert ex.readout["grad"] == pytest.approx(0.0, abs=1e-12)
    assert "stops" in ex.alt_text
    ex.set(loss="brier_score", prediction=0.25)
    # (p − y)² = (0.25 − 1)² = 0.5625; d/dp = 2 (p − y) = −1.5
    assert ex.readout == pytest.approx({"loss": 0.5625, "grad": -1.5})
    ex.set(loss="sigmoid_focal_loss", prediction=0.0)
    # z = 0, y = 1: p = 1/2, α_t = 0.25, (1 − p_t)² = 0.25, BCE ln 2: 0.0625 ln 2 = 0.04332;
    # d/dz = −α σ(−z)² [2 σ(z) softplus(−z) + σ(−z)] = −0.25 · 0.25 · (ln 2 + 0.5) = −0.07457
    assert ex.readout == pytest.approx({"loss": 0.0625 * math.log(2),
                                        "grad": -0.0625 * (math.log(2) + 0.5)})
    ex.set(loss="kl_div", prediction=0.0)
    # logits (0, 0, 0): q = (1/3, 1/3, 1/3); KL(t ‖ q) = 0.8 ln(0.8·3) + 2 · 0.1 ln(0.1·3)
    # = 0.70037 − 0.24079 = 0.45958; d/dz₀ = q₀ − t₀ = 1/3 − 0.8 = −7/15
    assert ex.readout == pytest.approx({"loss": 0.8 * math.log(2.4) + 0.2 * math.log(0.3),
                                        "grad": -7 / 15})
    ex.set(loss="kl_div", prediction=math.log(8))
    # q = (0.8, 0.1, 0.1) = t: the divergence and its gradient are 0
    assert ex.readout["loss"] == pytest.approx(0.0, abs=1e-12)
    assert ex.readout["grad"] == pytest.approx(0.0, abs=1e-12)
    assert "stops" in ex.alt_text


def test_loss_curve_kl_gradient_by_the_chain_rule_is_q0_minus_t0():
    # d/dz₀ = g₀ − q₀ Σ_j g_j with g = kl_div_grad = −t: −t₀ + q₀ · 1 = q₀ − t₀, the same
    # gradient as soft cross-entropy's, whose curve lies H(t) higher (CE = H(t) + KL)
    x = np.linspace(-6.0, 6.0, 241)
    loss, grad = E._loss_and_grad("kl_div", x)
    q0 = np.exp(x) / (np.exp(x) + 2.0)
    np.testing.assert_allclose(grad, q0 - 0.8, rtol=1e-12, atol=1e-15)
    ce, ce_grad = E._loss_and_grad("soft_cross_entropy", x)
    np.testing.assert_allclose(grad, ce_grad, rtol=1e-12, atol=1e-15)
    # H(0.8, 0.1, 0.1) = −0.8 ln 0.8 − 0.2 ln 0.1 = 0.17851 + 0.46052 = 0.63903
    h = -0.8 * math.log(0.8) - 0.2 * math.log(0.1)
    assert float(lv.entropy([0.8, 0.1, 0.1])) == pytest.approx(h, rel=1e-14)
    np.testing.assert_allclose(ce - loss, h, rtol=1e-12)
    assert loss.min() >= 0.0  # a divergence; 0 only at q = t (z₀ = ln 8)
    # the loss is the sum of the three per-class terms t_j (ln t_j − ln q_j)
    q = np.stack([q0, (1 - q0) / 2, (1 - q0) / 2], axis=1)
    t = np.array([0.8, 0.1, 0.1])
    np.testing.assert_allclose(loss, (t * (np.log(t) - np.log(q))).sum(axis=1), rtol=1e-10,
                               atol=1e-14)


def test_loss_curve_titles_units_and_colours_of_every_loss():
    import inspect

    assert set(lp.LOSS_COLORS) == set(lv.LOSSES)
    # the focal loss is drawn with its defaults, named in the title
    params = inspect.signature(lv.sigmoid_focal_loss).parameters
    assert (params["gamma"].default, params["alpha"].default) == (2.0, 0.25)
    units = {"brier_score": "squared probability", "sigmoid_focal_loss": "nats",
             "kl_div": "nats", "mse": "units of y²", "cross_entropy": "nats"}
    titles = {"brier_score": "Brier score", "sigmoid_focal_loss": "focal loss (on a logit), "
              "γ = 2, α = 0.25", "kl_div": "KL divergence KL(t ‖ softmax(z))"}
    ex = E.loss_curve_explorer()
    for name in lv.LOSSES:
        ex.controls["loss"].value = name
        ax_l = ex._artists["ax_l"]
        assert to_hex(ex._artists["lc"].line.get_color()) == to_hex(lp.LOSS_COLORS[name])
        if name in units:
            assert ax_l.get_ylabel() == f"loss ({units[name]})", name
        if name in titles:
            assert ax_l.get_title().startswith(titles[name]), name
            assert ex.alt_text.startswith(titles[name][:1].upper() + titles[name][1:]), name


def test_changing_the_loss_resets_the_prediction_slider():
    ex = E.loss_curve_explorer()
    s = ex.controls["prediction"]
    ex.controls["loss"].value = "binary_cross_entropy"
    assert (s.min, s.max) == (0.01, 0.99) and 0.01 <= s.value <= 0.99
    assert "probability" in s.description
    assert ex.controls["delta"].layout.display == "none"
    xlabel = ex._artists["ax_l"].get_xlabel()
    assert "probability" in xlabel
    ex.controls["loss"].value = "mse"
    assert (s.min, s.max) == (-4.0, 4.0)


def test_a_new_loss_gets_a_fresh_layout_and_background():
    ex = E.loss_curve_explorer()
    draws = ex._view.full_draws
    ex.controls["loss"].value = "binary_cross_entropy"  # gradient ticks now reach −100
    assert ex._view.full_draws == draws + 1  # the background, cached again
    ex.controls["prediction"].value = 0.5
    assert ex._view.full_draws == draws + 1  # slider moves reuse the background
    ax_g = ex._artists["ax_g"]
    renderer = ex.figure.canvas.get_renderer()
    label = ax_g.yaxis.label.get_window_extent(renderer)
    ticks = [t.get_window_extent(renderer) for t in ax_g.get_yticklabels() if t.get_text()]
    assert ticks and label.x1 <= min(t.x0 for t in ticks)  # the label clears "−100"
    assert_everything_inside(ex.figure)
    # and the layout engine is off again: slider moves never pay for it
    assert not isinstance(ex.figure.get_layout_engine(), ConstrainedLayoutEngine)


def test_a_loss_looks_the_same_however_it_was_reached():
    ex = E.loss_curve_explorer()
    for loss in ("binary_cross_entropy", "huber", "mae", "mse"):
        ex.controls["loss"].value = loss
        # same layout, tick sizes and pixels as an explorer built for this loss
        assert png(ex) == png(E.loss_curve_explorer(loss)), loss


def test_loss_curve_snapshot_uses_each_loss_default_prediction():
    ex = E.loss_curve_explorer()
    fig = ex.snapshot([{"loss": "mse"}, {"loss": "binary_cross_entropy"},
                       {"loss": "huber", "delta": 0.5, "prediction": 2.0}])
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    assert titles[0].startswith("mean squared error at 1.50: loss 2.250")
    assert "binary cross-entropy" in titles[1] and "0.60" in titles[1]
    # Huber δ = 0.5 at 2: 0.5·(2 − 0.25) = 0.875
    assert "δ = 0.50" in titles[2] and "loss 0.875" in titles[2]
    with pytest.raises(ValueError, match="outside"):
        ex.snapshot([{"loss": "binary_cross_entropy", "prediction": 2.0}])


def test_loss_curve_snapshot_defaults_of_the_newer_losses():
    fig = E.loss_curve_explorer().snapshot([{"loss": "brier_score"},
                                            {"loss": "sigmoid_focal_loss"}, {"loss": "kl_div"}])
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    # p = 0.6, y = 1: (0.6 − 1)² = 0.16, gradient 2 (0.6 − 1) = −0.8
    assert titles[0] == "Brier score (on a probability) at 0.60: loss 0.160, gradient −0.800"
    # z = 0.5, y = 1: σ(−0.5) = 0.37754, softplus(−0.5) = 0.47408; 0.25 · 0.37754² · 0.47408
    # = 0.01689; d/dz = −0.25 · 0.37754² (2 · 0.62246 · 0.47408 + 0.37754) = −0.03448
    assert titles[1] == ("focal loss (on a logit), γ = 2, α = 0.25 at 0.50: loss 0.017, "
                         "gradient −0.034")
    # z₀ = 0.5: q₀ = e^0.5 / (e^0.5 + 2) = 0.45186, q₁ = q₂ = 0.27407; KL = 0.8 ln(0.8 / 0.45186)
    # + 0.2 ln(0.1 / 0.27407) = 0.45699 − 0.20164 = 0.25534; gradient q₀ − 0.8 = −0.34814
    assert titles[2] == "KL divergence KL(t ‖ softmax(z)) at 0.50: loss 0.255, gradient −0.348"
    with pytest.raises(ValueError, match=r"outside \[0.01, 0.99\] for loss 'brier_score'"):
        E.loss_curve_explorer().snapshot([{"loss": "brier_score", "prediction": 1.5}])


def test_snapshot_titles_show_the_numbers():
    fig = E.confident_wrong_explorer().snapshot([{"p": 0.9}, {"p": 0.01}])
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    assert "CE 0.105" in titles[0] and "MSE 0.0100" in titles[0]
    assert "CE 4.605" in titles[1] and "\u22120.0196" in titles[1]


def test_presets_survive_the_browser_snapping_values_to_the_slider_step():
    # A browser snaps ln 0.70 = -0.3567 to the step 0.01 grid (-0.36) and sends it back; the
    # explorer keeps the exact preset while the slider sits within half a step of it.
    ex = E.softmax_explorer()
    ex.apply_preset("decent")
    ex.controls["cat"].value = round(math.log(0.70), 2)  # -0.36, what the browser sends
    # -ln 0.70 = 0.3567 exactly, not -ln softmax(-0.36, ln .2, ln .1)_cat = 0.3579
    assert ex.readout["cross_entropy"] == pytest.approx(-math.log(0.70), rel=1e-12)
    assert ex.readout["p_cat"] == pytest.approx(0.70, rel=1e-12)
    # A real move (a whole step away) takes over: -0.35 is used as it is.
    ex.controls["cat"].value = -0.35
    p_cat = math.exp(-0.35) / (math.exp(-0.35) + 0.2 + 0.1)
    assert ex.readout["p_cat"] == pytest.approx(p_cat, rel=1e-12)
    # Model A on the log-scale slider: 10^round(log10 0.9, 3) = 0.8995 keeps p = 0.9 exactly.
    cw = E.confident_wrong_explorer()
    cw.apply_preset("Model B (p = 0.6)")
    cw.apply_preset("Model A (p = 0.9)")
    cw.controls["p"].value = 10 ** round(math.log10(0.9), 3)
    assert cw.readout["mse"] == pytest.approx(0.01, rel=1e-12)  # (1 - 0.9)^2
