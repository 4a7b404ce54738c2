"""lossviz.explorers.sigma_explorer (notebook 11), headless.

One target y, a predicted mean μ and a predicted σ: the Gaussian NLL (full=False, as
F.gaussian_nll_loss) is ½ log σ² + (y − μ)² / (2σ²), lowest over σ at σ = |y − μ|. The numbers
are checked with the arithmetic beside them.
"""

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossviz import explorers as E
from lossviz.explorers import sigma_explorer

READOUT = {"nll", "fit_term", "log_term", "residual", "sigma_best", "nll_best_on_slider",
           "grad_var", "lower", "upper", "inside"}


def test_contract(check_contract):
    ex = sigma_explorer()
    check_contract(ex, controls=["y_pred", "sigma"], readout=READOUT)
    assert "sigma_explorer" in E.__all__


def test_default_numbers():
    ex = sigma_explorer()
    r = ex.readout
    # y = 3, μ = 4, σ = 0.5: y − μ = −1;  ½ log 0.25 = −0.693147;  1 / (2 · 0.25) = 2
    assert r["residual"] == -1.0
    assert r["log_term"] == pytest.approx(0.5 * math.log(0.25))
    assert r["fit_term"] == pytest.approx(2.0)
    assert r["nll"] == pytest.approx(2.0 - 0.6931471806)
    # best σ = |y − μ| = 1, where the NLL is ½ log 1 + 1 / 2 = 0.5
    assert r["sigma_best"] == 1.0
    assert r["nll_best_on_slider"] == pytest.approx(0.5)
    # ∂NLL/∂var = ½ (1/var − r²/var²) = ½ (4 − 16) = −6: the NLL wants a larger variance
    assert r["grad_var"] == pytest.approx(-6.0)
    # 95% interval 4 ± 1.96 · 0.5 = [3.02, 4.98]: the target 3 is just outside
    assert r["lower"] == pytest.approx(4 - 1.959964 * 0.5)
    assert r["upper"] == pytest.approx(4 + 1.959964 * 0.5)
    assert r["inside"] == 0.0
    assert "outside" in ex.alt_text and "falls if σ grows" in ex.alt_text
    assert ex._artists["band_text"].get_text().endswith("target y is outside it")


def test_texts_in_the_picture_follow_the_state_and_redraw_the_background():
    ex = sigma_explorer()
    art, view = ex._artists, ex._view
    draws = view.full_draws
    ex.controls["sigma"].value = 0.55   # 4 − 1.96 · 0.55 = 2.92 <= 3: now inside
    assert art["band_text"].get_text().endswith("target y is inside it")
    assert view.full_draws == draws + 1  # the text is static: a new background once
    ex.controls["sigma"].value = 0.6    # still inside: only the moving artists are redrawn
    assert view.full_draws == draws + 1
    ex.controls["y_pred"].value = 3.1   # a miss of 0.1, below the σ axis
    assert art["best_text"].get_text() == "★ lowest NLL: σ = |y − μ| (off axis)"
    ex.controls["y_pred"].value = 4.5
    assert art["best_text"].get_text() == "★ lowest NLL: σ = |y − μ|"


def test_presets_and_their_numbers():
    ex = sigma_explorer()
    assert list(ex.presets) == ["σ too small (0.5)", "σ = |y − μ| = 1", "σ too large (2.5)"]
    ex.apply_preset("σ = |y − μ| = 1")
    r = ex.readout
    # ½ log 1 + 1 / 2 = 0.5 and the variance gradient ½ (1 − 1) = 0
    assert r["nll"] == pytest.approx(0.5)
    assert r["grad_var"] == pytest.approx(0.0, abs=1e-15)
    assert r["inside"] == 1.0
    assert "already the best" in ex.alt_text
    ex.apply_preset("σ too large (2.5)")
    r = ex.readout
    # ½ log 6.25 = 0.916291;  1 / (2 · 6.25) = 0.08;  ½ (1/6.25 − 1/39.0625) = 0.0672
    assert r["nll"] == pytest.approx(0.9162907319 + 0.08)
    assert r["grad_var"] == pytest.approx(0.5 * (0.16 - 0.0256))
    assert "falls if σ shrinks" in ex.alt_text


def test_nll_is_lowest_at_sigma_equal_to_the_miss_everywhere():
    ex = sigma_explorer()
    art = ex._artists
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for mu in (0.0, 1.5, 2.6, 3.0, 3.35, 5.0, 6.0):
            for s in (0.25, 0.8, 3.0):
                ex.set(y_pred=mu, sigma=s)
                r = ex.readout
                assert all(math.isfinite(v) for v in r.values()), (mu, s, r)
                miss = 3.0 - mu
                assert r["nll"] == pytest.approx(0.5 * math.log(s**2) + miss**2 / (2 * s**2))
                assert r["nll"] == pytest.approx(r["log_term"] + r["fit_term"])
                assert r["sigma_best"] == pytest.approx(abs(miss))
                # the drawn curve over σ bottoms out at |y − μ| when that is on the axis,
                # else at the nearer end of the axis
                xs, ys = art["nll"].line.get_data()
                expect = min(max(abs(miss), 0.25), 3.0)
                assert xs[np.argmin(ys)] == pytest.approx(expect, abs=0.006)
                assert ys.min() == pytest.approx(r["nll_best_on_slider"], abs=1e-4)
                # the star sits at the minimum only when it is on the axis
                sx, sy = art["best"].get_data()
                if 0.25 <= abs(miss) <= 3.0:
                    assert (float(sx[0]), float(sy[0])) == pytest.approx(
                        (abs(miss), r["nll_best_on_slider"]))
                else:
                    assert len(sx) == 0
                    assert "off axis" in art["best_text"].get_text()


def test_markers_and_interval_follow_the_sliders():
    ex = sigma_explorer()
    art = ex._artists
    ex.set(y_pred=2.0, sigma=1.5)
    r = ex.readout
    mx, my = art["nll"].marker.get_data()
    assert (float(mx[0]), float(my[0])) == pytest.approx((1.5, r["nll"]))
    bx, by = art["bell"].get_data()
    assert bx[np.argmax(by)] == pytest.approx(2.0, abs=0.02)
    lo, hi = art["band"].get_xdata()
    # 2 ± 1.96 · 1.5 = [−0.94, 4.94]: the target 3 inside
    assert (lo, hi) == pytest.approx((2 - 1.959964 * 1.5, 2 + 1.959964 * 1.5))
    assert r["inside"] == 1.0
    # the dot on the bell is the density at the target: N(3; 2, 1.5²)
    dx, dy = art["dot"].get_data()
    expect = math.exp(-1 / (2 * 2.25)) / math.sqrt(2 * math.pi * 2.25)
    assert (float(dx[0]), float(dy[0])) == pytest.approx((3.0, expect))
    # the squared-miss term curve (y − μ)² / (2σ²) over the σ grid
    gx, gy = art["fit_term"].get_data()
    np.testing.assert_allclose(gy, 1.0 / (2 * gx**2))


def test_every_move_changes_the_picture_and_the_alt_text(png):
    ex = sigma_explorer()
    for name, values in (("y_pred", [2.0, 5.5, 3.5]), ("sigma", [0.75, 2.5, 1.0])):
        for v in values:
            before_png, before_alt = png(ex), ex.alt_text
            ex.controls[name].value = v
            assert png(ex) != before_png, (name, v)
            assert ex.alt_text != before_alt, (name, v)


def test_fast_redraw_matches_a_full_redraw(png, pixels):
    ex = sigma_explorer()
    ex.set(y_pred=2.2, sigma=0.7)
    fast = pixels(png(ex))
    ex.figure.canvas.draw()
    full = np.asarray(ex.figure.canvas.buffer_rgba())
    # moving artists are drawn last in the blitted frame: only overlaps with static artists
    # drawn above them (the legend, grid lines) may differ
    assert np.mean(np.any(fast != full, axis=2)) < 0.005


def test_snapshot_rows():
    ex = sigma_explorer()
    fig = ex.snapshot([{"sigma": 0.5}, {"sigma": 1.0}, {"sigma": 2.5}])
    assert len(fig.subfigs) == 3
    assert len(fig.axes) == 6
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    assert "NLL 1.307" in titles[0] and "lowest at σ = 1.00" in titles[0]
    assert "NLL 0.500" in titles[1]
    assert "NLL 0.996" in titles[2]
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="outside the control's range"):
        ex.snapshot([{"sigma": 0.1}])


def test_other_targets_and_bad_input():
    ex = sigma_explorer(y_true=10.0, y_pred=12.0, sigma=2.0)
    assert ex.controls["y_pred"].min == pytest.approx(7.0)
    assert ex.controls["y_pred"].max == pytest.approx(13.0)
    # miss −2, σ = 2: ½ log 4 + 4 / 8 = 0.693147 + 0.5, and σ = |y − μ| = 2 is the best
    assert ex.readout["nll"] == pytest.approx(math.log(2) + 0.5)
    assert ex.readout["sigma_best"] == 2.0
    with pytest.raises(ValueError, match=r"y_pred must lie in \[0, 6\]"):
        sigma_explorer(y_pred=7.0)
    with pytest.raises(ValueError, match=r"sigma must lie in \[0.25, 3\]"):
        sigma_explorer(sigma=0.0)
    with pytest.raises(ValueError, match="y_true must be a finite number"):
        sigma_explorer(y_true=float("nan"))
    with pytest.raises(ValueError, match="sigma must be a finite number"):
        sigma_explorer(sigma="1")


def test_docstring_example_prints_what_it_says():
    import doctest

    from lossviz.explorers import uncertainty

    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(uncertainty.sigma_explorer, "sigma_explorer"):
        runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted >= 4 and failed == 0
