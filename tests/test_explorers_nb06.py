"""lossviz.explorers.gaussian_explorer (notebook 06), headless.

The Gaussian view of MSE: for one target y, a prediction ŷ and a noise level σ,
NLL = (y − ŷ)² / (2σ²) + ½ log(2πσ²). The numbers are checked with the arithmetic beside them.
"""

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossviz.explorers import gaussian_explorer


def test_contract(check_contract):
    ex = gaussian_explorer()
    check_contract(ex, controls=["y_pred", "sigma"],
                   readout={"nll", "scaled_mse", "mse", "constant", "likelihood"})


def test_default_is_the_course_example():
    ex = gaussian_explorer()
    r = ex.readout
    # y = 3, ŷ = 4, σ = 1: MSE = (4 − 3)² = 1;  MSE / (2 · 1²) = 0.5
    assert r["mse"] == pytest.approx(1.0)
    assert r["scaled_mse"] == pytest.approx(0.5)
    # ½ log(2π · 1²) = ½ · 1.837877 = 0.918939
    assert r["constant"] == pytest.approx(0.9189385332)
    # NLL = 0.5 + 0.918939 = 1.418939;  density = exp(−0.5) / sqrt(2π) = 0.606531 / 2.506628
    assert r["nll"] == pytest.approx(1.4189385332)
    assert r["likelihood"] == pytest.approx(0.2419707245)


def test_doubling_sigma():
    ex = gaussian_explorer()
    ex.controls["sigma"].value = 2.0
    r = ex.readout
    # MSE / (2 · 2²) = 1 / 8 = 0.125;  ½ log(2π · 4) = ½ log(25.132741) = 1.612086
    assert r["scaled_mse"] == pytest.approx(0.125)
    assert r["constant"] == pytest.approx(1.6120857138)
    assert r["nll"] == pytest.approx(0.125 + 1.6120857138)
    assert r["mse"] == pytest.approx(1.0)  # σ does not change the squared error


def test_nll_minus_scaled_mse_is_the_constant_everywhere(sweep):
    ex = gaussian_explorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for s in sweep(ex.controls["sigma"], 6):
            for v in sweep(ex.controls["y_pred"], 5):
                ex.set(y_pred=v, sigma=s)
                r = ex.readout
                assert all(math.isfinite(x) for x in r.values()), (v, s, r)
                constant = 0.5 * math.log(2 * math.pi * s**2)
                assert r["nll"] - r["scaled_mse"] == pytest.approx(constant)
                assert r["nll"] == pytest.approx(-math.log(r["likelihood"]))
                assert r["scaled_mse"] == pytest.approx((v - 3.0) ** 2 / (2 * s**2))


def test_drawn_curves_differ_by_the_constant_and_share_the_minimiser():
    ex = gaussian_explorer()
    art = ex._artists
    for s in (0.25, 0.5, 1.0, 2.0, 3.0):
        ex.controls["sigma"].value = s
        x, nll = art["nll"].line.get_data()
        x2, scaled = art["scaled"].line.get_data()
        np.testing.assert_allclose(x, x2)
        np.testing.assert_allclose(nll - scaled, 0.5 * math.log(2 * math.pi * s**2))
        # both curves bottom out at ŷ = y = 3 (the grid has a point at 3: linspace(−1, 7, 321))
        assert x[np.argmin(nll)] == pytest.approx(3.0)
        assert x[np.argmin(scaled)] == pytest.approx(3.0)


def test_markers_follow_the_prediction():
    ex = gaussian_explorer()
    art = ex._artists
    ex.set(y_pred=1.5, sigma=0.5)
    r = ex.readout
    for key, value in (("nll", r["nll"]), ("scaled", r["scaled_mse"])):
        mx, my = art[key].marker.get_data()
        assert (float(mx[0]), float(my[0])) == pytest.approx((1.5, value))
    # the gap bar joins the two markers: its length is the constant ½ log(2π · 0.25)
    gx, gy = art["gap"].get_data()
    assert abs(gy[1] - gy[0]) == pytest.approx(0.5 * math.log(2 * math.pi * 0.25))
    # the bell on the left is centred at ŷ; the dot on it sits at y = 3, at the likelihood
    bx, by = art["bell"].get_data()
    assert (float(art["lik"].get_xdata()[0]), float(art["lik"].get_ydata()[0])) == pytest.approx(
        (3.0, r["likelihood"]))
    assert bx[np.argmax(by)] == pytest.approx(1.5)
    # N(3; 1.5, 0.5²) = exp(−(1.5)² / (2 · 0.25)) / sqrt(2π · 0.25) = exp(−4.5) / 1.253314
    assert r["likelihood"] == pytest.approx(math.exp(-4.5) / math.sqrt(2 * math.pi * 0.25))


def test_every_move_changes_the_picture_and_the_alt_text(png):
    ex = gaussian_explorer()
    for name, values in (("y_pred", [2.0, 5.5, 3.0]), ("sigma", [0.5, 2.5, 1.0])):
        for v in values:
            before_png, before_alt = png(ex), ex.alt_text
            ex.controls[name].value = v
            assert png(ex) != before_png, (name, v)
            assert ex.alt_text != before_alt, (name, v)


def test_fast_redraw_matches_a_full_redraw(png, pixels):
    ex = gaussian_explorer()
    ex.set(y_pred=2.2, sigma=0.7)
    fast = pixels(png(ex))
    ex.figure.canvas.draw()
    full = np.asarray(ex.figure.canvas.buffer_rgba())
    # moving artists are drawn last in the blitted frame: only overlaps with static artists
    # drawn above them (the legend, grid lines) may differ
    assert np.mean(np.any(fast != full, axis=2)) < 0.005


def test_presets():
    ex = gaussian_explorer()
    assert list(ex.presets) == ["ŷ = 4, σ = 1", "ŷ = 4, σ = 2", "ŷ = y, σ = 0.5"]
    ex.apply_preset("ŷ = y, σ = 0.5")
    # ŷ = y: no squared error, so the NLL is just the constant ½ log(2π · 0.25) = ½ log(1.570796)
    #        = 0.225791
    assert ex.readout["scaled_mse"] == 0.0
    assert ex.readout["nll"] == pytest.approx(0.5 * math.log(2 * math.pi * 0.25))
    assert ex.readout["nll"] == pytest.approx(0.2257913526)


def test_snapshot_rows():
    ex = gaussian_explorer()
    fig = ex.snapshot([{"y_pred": 4.0, "sigma": 1.0}, {"y_pred": 4.0, "sigma": 2.0},
                       {"y_pred": 3.0, "sigma": 0.5}])
    assert len(fig.subfigs) == 3
    assert len(fig.axes) == 6
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    assert "NLL 1.419" in titles[0] and "0.919" in titles[0]  # 0.5 + 0.919
    assert "NLL 1.737" in titles[1]  # 0.125 + 1.612
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="outside the control's range"):
        ex.snapshot([{"sigma": 0.1}])


def test_other_targets_and_bad_input():
    ex = gaussian_explorer(y_true=400.0, y_pred=401.0, sigma=2.0)
    assert ex.controls["y_pred"].min == pytest.approx(396.0)
    assert ex.controls["y_pred"].max == pytest.approx(404.0)
    # (401 − 400)² / (2 · 4) = 0.125
    assert ex.readout["scaled_mse"] == pytest.approx(0.125)
    with pytest.raises(ValueError, match="y_pred must lie in"):
        gaussian_explorer(y_pred=10.0)
    with pytest.raises(ValueError, match="sigma must lie in"):
        gaussian_explorer(sigma=0.0)
    with pytest.raises(ValueError, match="y_true must be a finite number"):
        gaussian_explorer(y_true=float("nan"))
