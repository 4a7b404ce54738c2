"""Accessibility of the explorers, headless: names, text contrast in the figures, and the helper
widget that names sliders and pictures and carries the live region (lossviz._a11y).

What only a browser can show (the helper's effect on the page, axe-core's audit) is tested in
tests/browser/test_a11y.py.
"""

from __future__ import annotations

import colorsys

import pytest
from matplotlib.colors import to_hex, to_rgb
from matplotlib.text import Text

from lossviz import _a11y
from lossviz import explorers as E
from lossviz import plotting as lp

FACTORIES = {
    "mse": E.mse_explorer,
    "house": E.house_price_explorer,
    "softmax": E.softmax_explorer,
    "confident_wrong": E.confident_wrong_explorer,
    "loss_curve": E.loss_curve_explorer,
    "gaussian": E.gaussian_explorer,
    "outliers": E.outlier_explorer,
    "landscape": E.landscape_explorer,
}


@pytest.fixture(scope="module", params=list(FACTORIES))
def explorer(request):
    return request.param, FACTORIES[request.param]()


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


# --- contrast arithmetic ----------------------------------------------------------------------
def test_contrast_ratio_reference_values():
    # black on white: (1 + 0.05) / (0 + 0.05) = 21
    assert lp.contrast_ratio("black") == pytest.approx(21.0)
    assert lp.contrast_ratio("white") == pytest.approx(1.0)
    # symmetric in its arguments
    assert lp.contrast_ratio("white", "#0072B2") == pytest.approx(lp.contrast_ratio("#0072B2"))
    # #767676 is the lightest grey with 4.5:1 on white: L = 0.1812, 1.05 / 0.2312 = 4.54;
    # #777777 (L = 0.1845) gives 1.05 / 0.2345 = 4.48
    assert lp.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    assert lp.contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)
    # Okabe–Ito orange #E69F00: L = 0.4173 -> 1.05 / 0.4673 = 2.25, below 4.5 for small text
    assert lp.contrast_ratio(lp.OKABE_ITO["orange"]) == pytest.approx(2.25, abs=0.01)


@pytest.mark.parametrize("name", list(lp.OKABE_ITO))
def test_text_color_reaches_aa_and_keeps_the_hue(name):
    color = lp.OKABE_ITO[name]
    out = lp.text_color(color)
    assert lp.contrast_ratio(out) >= 4.5
    if lp.contrast_ratio(color) >= 4.55:
        assert out == to_hex(color)  # dark enough already: unchanged
        return
    h0, l0, s0 = colorsys.rgb_to_hls(*to_rgb(color))
    h1, l1, s1 = colorsys.rgb_to_hls(*to_rgb(out))
    assert l1 < l0, "darker"
    assert h1 == pytest.approx(h0, abs=0.01) and s1 == pytest.approx(s0, abs=0.02), "same hue"
    # not darker than needed: one lightness step (0.01) lighter would miss the target (+0.05)
    lighter = to_hex(colorsys.hls_to_rgb(h1, l1 + 0.01, s1))
    assert lp.contrast_ratio(lighter) < 4.55


def test_text_color_values_named_in_its_docstring():
    assert lp.text_color("#E69F00") == "#996a00"
    assert lp.text_color("#D55E00") == "#c15500"
    assert lp.text_color("#0072B2") == "#0072b2"


def test_corner_text_writes_loss_colours_dark_enough():
    fig = lp.new_figure(400, 300)
    ax = fig.add_subplot()
    c = lp.loss_curve(ax, [0, 1], [0, 1], 0.5, 0.5, color=lp.COLORS["mse"], value_text="MSE")
    # the marker and line keep the palette's orange; the value text is the darker variant
    assert to_hex(c.line.get_color()) == lp.COLORS["mse"].lower()
    assert to_hex(c.marker.get_color()) == lp.COLORS["mse"].lower()
    assert to_hex(c.label.get_color()) == lp.text_color(lp.COLORS["mse"])
    assert lp.contrast_ratio(c.label.get_color()) >= 4.5


# --- every text in every explorer's figure ----------------------------------------------------
def _texts(fig):
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0:
            yield t


def _assert_text_contrast(fig, where):
    low = [(t.get_text()[:40], to_hex(t.get_color()), round(lp.contrast_ratio(t.get_color()), 2))
           for t in _texts(fig) if lp.contrast_ratio(t.get_color()) < 4.5]
    assert not low, f"{where}: text below 4.5:1 on white: {low}"


def test_every_text_in_the_live_figure_has_aa_contrast(explorer):
    name, ex = explorer
    _assert_text_contrast(ex.figure, name)


def test_loss_curve_label_stays_readable_for_every_loss():
    ex = E.loss_curve_explorer()
    for loss in ex.controls["loss"].options:
        ex.controls["loss"].value = loss
        _assert_text_contrast(ex.figure, f"loss_curve_explorer({loss!r})")


def test_every_text_in_a_snapshot_has_aa_contrast(explorer):
    name, ex = explorer
    fig = ex.snapshot([dict(ex.defaults)])
    try:
        _assert_text_contrast(fig, f"{name} snapshot")
    finally:
        fig.clear()


# --- names and the helper widget --------------------------------------------------------------
def test_controls_and_presets_have_distinct_visible_names(explorer):
    name, ex = explorer
    labels = [c.description.strip() for c in ex.controls.values()]
    assert all(labels), f"{name}: a control without a description (its accessible name)"
    assert len(set(labels)) == len(labels), f"{name}: two controls share a name: {labels}"
    buttons = list(ex.preset_buttons.values())
    names = [b.description.strip() for b in buttons]
    assert all(names) and len(set(names)) == len(names), names
    for b in buttons:
        # the tooltip (title) says what the button sets, in words
        assert b.tooltip and b.tooltip.startswith("Preset: "), b.tooltip


def test_preset_tooltips_name_the_values(explorer):
    name, ex = explorer
    for preset, values in ex.presets.items():
        tip = ex.preset_buttons[preset].tooltip
        for control in values:
            assert ex.controls[control].description in tip, (preset, tip)


def test_one_helper_inside_each_explorer(explorer):
    name, ex = explorer
    helpers = [w for w in walk(ex.widget) if isinstance(w, _a11y.AccessibilityHelper)]
    assert len(helpers) == 1, f"{name}: {len(helpers)} accessibility helpers"
    helper = helpers[0]
    assert "lossviz-a11y" in helper._dom_classes
    assert helper.delay_ms == 600
    # The helper finds the parts by the DOM classes the explorer gives them.
    classes = {c for w in walk(ex.widget) for c in getattr(w, "_dom_classes", ())}
    assert "lossviz-explorer" in ex.widget._dom_classes
    for cls in ("lossviz-explorer", "lossviz-readout", "lossviz-caption", "lossviz-picture"):
        assert cls in helper._esm, f"the helper does not look for .{cls}"
        if cls != "lossviz-explorer":
            assert cls in classes, f"{name}: no widget has the class {cls}"
    for attr in ('"aria-label"', '"aria-valuetext"', '"alt"', '"role", "status"',
                 '"aria-live", "polite"', '"data-lm-suppress-shortcuts"'):
        assert attr in helper._esm, attr
    assert _a11y.LIVE_CLASS in helper._esm and "LIVE_CLASS" not in helper._esm


@pytest.mark.parametrize("bad", [-1, 5001, 1.5, "600", True, None])
def test_helper_rejects_a_bad_delay(bad):
    with pytest.raises(ValueError, match=r"delay_ms must be an int in 0\.\.5000"):
        _a11y.AccessibilityHelper(delay_ms=bad)


def test_helper_accepts_the_range_ends():
    assert _a11y.AccessibilityHelper(delay_ms=0).delay_ms == 0
    assert _a11y.AccessibilityHelper(delay_ms=5000).delay_ms == 5000


def test_helper_sends_nothing_when_the_explorer_moves():
    # The helper reads the page: a slider move changes the readout and the caption, and not one
    # trait of the helper, so a move costs no extra message to the browser.
    ex = E.confident_wrong_explorer()
    helper = next(w for w in walk(ex.widget) if isinstance(w, _a11y.AccessibilityHelper))
    sent = []
    helper.observe(sent.append)
    before = helper.get_state()
    readout = ex._readout_widget.value
    ex.controls["p"].value = 0.01
    assert ex._readout_widget.value != readout
    assert helper.get_state() == before and sent == []
