"""lossviz.explorers.focal_explorer (notebook 10), headless.

Focal loss of a positive example: FL = −α (1 − p)^γ log p, i.e. binary cross-entropy −log p times
α (1 − p)^γ. The numbers are checked with the arithmetic beside them.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossviz.explorers import focal_explorer


def test_contract(check_contract):
    ex = focal_explorer()
    check_contract(ex, controls=["gamma", "alpha"],
                   readout={"focal_easy", "focal_hard", "bce_easy", "bce_hard", "grad_easy",
                            "grad_hard", "scale_easy", "scale_hard", "focus"})


def test_default_is_retinanet():
    ex = focal_explorer()
    r = ex.readout
    # BCE of a positive example: −ln 0.9 = 0.105361 (easy), −ln 0.1 = 2.302585 (hard)
    assert r["bce_easy"] == pytest.approx(0.1053605157)
    assert r["bce_hard"] == pytest.approx(2.3025850930)
    # α (1 − p)^γ with α = 0.25, γ = 2: 0.25 · 0.1² = 0.0025 and 0.25 · 0.9² = 0.2025
    assert r["scale_easy"] == pytest.approx(0.0025)
    assert r["scale_hard"] == pytest.approx(0.2025)
    assert r["focal_easy"] == pytest.approx(0.0025 * 0.1053605157)
    assert r["focal_hard"] == pytest.approx(0.2025 * 2.3025850930)
    # 0.2025 / 0.0025 = 81 = 9²
    assert r["focus"] == pytest.approx(81.0)


def test_gamma_zero_alpha_one_is_plain_cross_entropy():
    ex = focal_explorer()
    ex.apply_preset("BCE (γ = 0, α = 1)")
    r = ex.readout
    assert r["focal_easy"] == pytest.approx(r["bce_easy"])
    assert r["focal_hard"] == pytest.approx(r["bce_hard"])
    # the gradient in the logit is p − 1: −0.1 (easy) and −0.9 (hard)
    assert r["grad_easy"] == pytest.approx(-0.1)
    assert r["grad_hard"] == pytest.approx(-0.9)
    assert r["focus"] == pytest.approx(1.0)
    # and the focal curve lies on the BCE curve
    np.testing.assert_allclose(ex._artists["focal"].line.get_ydata(), ex.bce, rtol=1e-12)


def test_gradient_matches_finite_differences_of_the_loss():
    # d/dz of −α (1 − σ(z))^γ log σ(z), by central differences in z
    ex = focal_explorer(gamma=3.0, alpha=0.5)
    g, a = 3.0, 0.5

    def focal(z):
        p = 1 / (1 + math.exp(-z))
        return -a * (1 - p) ** g * math.log(p)

    for p, key in ((0.9, "grad_easy"), (0.1, "grad_hard")):
        z, h = math.log(p / (1 - p)), 1e-6
        assert ex.readout[key] == pytest.approx((focal(z + h) - focal(z - h)) / (2 * h),
                                                rel=1e-6)
    # the curve's gradient too, at a few grid points
    line = ex._artists["focal_g"].line
    for i in (5, 60, 150):
        p = float(line.get_xdata()[i])
        z, h = math.log(p / (1 - p)), 1e-6
        assert line.get_ydata()[i] == pytest.approx((focal(z + h) - focal(z - h)) / (2 * h),
                                                    rel=1e-5)


def test_focus_is_nine_to_the_gamma_whatever_alpha():
    ex = focal_explorer()
    for gamma in (0.0, 1.0, 2.5, 5.0):
        for alpha in (0.05, 0.25, 1.0):
            ex.set(gamma=gamma, alpha=alpha)
            r = ex.readout
            # (1 − 0.1)^γ / (1 − 0.9)^γ = (0.9 / 0.1)^γ = 9^γ; α cancels
            assert r["focus"] == pytest.approx(9.0**gamma, rel=1e-9)
            assert r["scale_easy"] == pytest.approx(alpha * 0.1**gamma, rel=1e-9)


def test_moving_gamma_changes_the_picture_and_the_caption(png):
    ex = focal_explorer()
    before, caption = png(ex), ex.alt_text
    ex.controls["gamma"].value = 4.0
    assert png(ex) != before
    assert ex.alt_text != caption and "γ = 4.0" in ex.alt_text
    # the moving curve follows: at p = 0.5 with α = 0.25, γ = 4: 0.25 · 0.5⁴ · ln 2 = 0.0108
    line = ex._artists["focal"].line
    i = int(np.argmin(np.abs(line.get_xdata() - 0.5)))
    assert line.get_xdata()[i] == pytest.approx(0.5)
    assert line.get_ydata()[i] == pytest.approx(0.25 * 0.5**4 * math.log(2))


def test_every_preset_stays_inside_the_axes():
    ex = focal_explorer()
    ax_l, ax_g = ex.figure.axes
    for name in ex.presets:
        ex.apply_preset(name)
        for ax, art in ((ax_l, "focal"), (ax_g, "focal_g")):
            y = ex._artists[art].line.get_ydata()
            lo, hi = ax.get_ylim()
            assert lo <= y.min() and y.max() <= hi, (name, art)


def test_snapshot_rows_and_no_pyplot_figures():
    ex = focal_explorer()
    fig = ex.snapshot([{"gamma": 0.0, "alpha": 1.0}, {"gamma": 2.0}])
    assert len(fig.axes) == 4
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    assert titles[0].startswith("γ = 0, α = 1:") and "α = 0.25" in titles[1]
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="outside the control's range"):
        ex.snapshot([{"gamma": 6.0}])


@pytest.mark.parametrize("kwargs", [{"gamma": -1.0}, {"gamma": 5.5}, {"alpha": 0.0},
                                    {"alpha": 1.5}, {"gamma": "2"}, {"alpha": True}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="focal_explorer: (gamma|alpha) must be a number in"):
        focal_explorer(**kwargs)
