"""The outlier explorer of notebook 05 and its exact line fits (lossviz.explorers), headless.

Slopes are in k$ per m² and prices in k$, as in the notebook.
"""

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lossviz as lv
from lossviz import data, training
from lossviz import explorers as E

LOSSES = ("mse", "mae", "huber")


@pytest.fixture(scope="module")
def shared_explorer():
    return E.outlier_explorer()


@pytest.fixture
def ex(shared_explorer):
    """One explorer for the module (building one draws a full figure), reset before each test."""
    shared_explorer.set(**shared_explorer.defaults)
    return shared_explorer


# ---------------------------------------------------------------------------------------------
# line_fits: exact minimisers
# ---------------------------------------------------------------------------------------------


def test_line_fits_small_example_by_hand():
    # Points on y = 2x + 1 and one 20 above it at x = 4.
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    y = 2 * x + 1
    y[4] += 20
    fits = E.line_fits(x, y, delta=1.0)
    # MSE: slope = sum((x - 2)(y - mean y)) / sum((x - 2)^2); the bump adds 20 * 2 / 10 = 4 to 2
    assert fits["mse"] == pytest.approx((6.0, -3.0))
    # MAE: the line through the four clean points has total error 20, no other line does better
    assert fits["mae"] == pytest.approx((2.0, 1.0))
    # Huber, delta 1: residuals of y = 2.5x + 0.5 are 0.5, 0, -0.5, -1, 18.5; the clipped
    # gradients 0.5 + 0 - 0.5 - 1 + 1 = 0 and 0*0.5 + 0 - 2*0.5 - 3*1 + 4*1 = 0: a minimum
    assert fits["huber"] == pytest.approx((2.5, 0.5))


def test_mse_line_is_the_least_squares_line(houses):
    size, price = houses
    slope, intercept = E.line_fits(size, price)["mse"]
    np.testing.assert_allclose([slope, intercept], np.polyfit(size, price, 1), rtol=1e-12)


def test_mae_line_beats_every_nearby_line(houses):
    size, price = data.house_prices(50, n_outliers=3, outlier_size=1e6, seed=0)
    price = price / 1000
    slope, intercept = E.line_fits(size, price)["mae"]
    best = lv.mae(slope * size + intercept, price)
    # For a fixed slope the best intercept is the median residual; scan slopes around the fit.
    for s in slope + np.linspace(-0.05, 0.05, 201):
        b = np.median(price - s * size)
        assert lv.mae(s * size + b, price) >= best - 1e-9


@pytest.mark.parametrize("delta", [2.0, 10.0, 50.0, 1000.0])
@pytest.mark.parametrize("k", [0, 3])
def test_huber_line_has_zero_gradient(k, delta):
    size, price = data.house_prices(50, n_outliers=k, outlier_size=1e6, seed=0)
    price = price / 1000
    slope, intercept = E.line_fits(size, price, delta=delta)["huber"]
    g = lv.huber_grad(slope * size + intercept, price, delta=delta)  # d mean loss / d y_hat
    # chain rule: d/d slope = sum(g * size), d/d intercept = sum(g); each |g_i| <= delta / 50,
    # so the sums could reach 200 * delta and delta; at the minimum they vanish
    assert abs(np.sum(g * size)) < 1e-6 * 200 * delta
    assert abs(np.sum(g)) < 1e-6 * delta


def test_huber_becomes_mse_when_delta_covers_every_error(houses):
    size, price = houses
    fits = E.line_fits(size, price, delta=1000.0)  # every residual is < 100 k$ < delta
    assert fits["huber"] == pytest.approx(fits["mse"], rel=1e-10)


def test_line_fits_is_vectorised_over_data_sets():
    pairs = [data.house_prices(50, n_outliers=k, outlier_size=1e6, seed=s)
             for s, k in ((0, 0), (1, 1), (2, 3))]
    sizes = np.array([p[0] for p in pairs])
    prices = np.array([p[1] for p in pairs]) / 1000
    batch = E.line_fits(sizes, prices, delta=25.0)
    for i in range(3):
        one = E.line_fits(sizes[i], prices[i], delta=25.0)
        for loss in LOSSES:
            assert batch[loss][0].shape == (3,)
            assert batch[loss][0][i] == pytest.approx(one[loss][0], rel=1e-9)
            assert batch[loss][1][i] == pytest.approx(one[loss][1], rel=1e-9, abs=1e-9)


def test_line_fits_refuses_bad_input():
    with pytest.raises(ValueError, match=r"same shape \(\.\.\., n\) with n >= 2"):
        E.line_fits([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="must be finite"):
        E.line_fits([1.0, 2.0, 3.0], [1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="x is constant"):
        E.line_fits([2.0, 2.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="delta must be a positive number, got 0"):
        E.line_fits([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], delta=0)


# ---------------------------------------------------------------------------------------------
# The explorer: contract
# ---------------------------------------------------------------------------------------------


def test_contract(ex, png, pixels):
    assert isinstance(ex.widget, E.widgets.VBox)
    assert ex.image in ex.widget.children
    bundle = ex._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert list(ex.controls) == ["outlier_size", "n_outliers", "delta"]
    assert all(c.description for c in ex.controls.values())
    assert len(ex.figure.axes) == 2
    assert set(ex.readout) == {"slope_mse", "slope_mae", "slope_huber", "intercept_mse",
                               "intercept_mae", "intercept_huber", "slope_clean"}
    assert all(isinstance(v, float) for v in ex.readout.values())
    assert not ex.image.tooltip
    assert ex.alt_text and ex.alt_text in ex._caption.value.replace("&#x27;", "'")
    assert pixels(png(ex)).shape[:2] == (ex.height_px, ex.width_px)
    assert plt.get_fignums() == []


def test_starts_at_three_one_million_dollar_typos(ex, houses):
    size, price = houses
    r = ex.readout
    assert ex.values == {"outlier_size": 1000.0, "n_outliers": 3, "delta": 50.0}
    assert r["slope_clean"] == pytest.approx(np.polyfit(size, price, 1)[0])
    # the notebook's numbers: MSE 5.18, MAE 3.22, Huber 3.24 against 3.09 without outliers
    assert [round(r[f"slope_{k}"], 2) for k in LOSSES] == [5.18, 3.22, 3.24]
    assert round(r["slope_clean"], 2) == 3.09


def test_readout_matches_line_fits_on_the_data_module(ex):
    ex.set(n_outliers=2, outlier_size=640.0, delta=20.0)
    size, price = data.house_prices(50, n_outliers=2, outlier_size=640_000.0, seed=0)
    fits = E.line_fits(size, price / 1000, delta=20.0)
    for loss in LOSSES:
        assert ex.readout[f"slope_{loss}"] == pytest.approx(fits[loss][0], rel=1e-12)
        assert ex.readout[f"intercept_{loss}"] == pytest.approx(fits[loss][1], rel=1e-12)
    # the drawn lines are these lines
    x, y = ex._artists["lines"]["mae"].get_data()
    np.testing.assert_allclose(y, fits["mae"][0] * x + fits["mae"][1])
    # the diamonds are the two largest houses at their corrupted prices
    xo, yo = ex._artists["outliers"].get_data()
    largest = np.argsort(size)[-2:]
    assert sorted(xo) == sorted(size[largest])
    assert sorted(yo) == pytest.approx(sorted(price[largest] / 1000))


def test_without_outliers_all_three_slopes_are_near_the_clean_slope(ex):
    for setting in ({"outlier_size": 0.0}, {"n_outliers": 0}):
        ex.set(**setting)
        clean = ex.readout["slope_clean"]
        assert ex.readout["slope_mse"] == pytest.approx(clean, rel=1e-12)
        for loss in ("mae", "huber"):
            assert abs(ex.readout[f"slope_{loss}"] - clean) < 0.1
        ex.set(**ex.defaults)


def test_a_huge_outlier_moves_mse_far_more_than_mae_and_huber(ex):
    ex.set(n_outliers=1, outlier_size=2000.0)
    moved = {k: abs(ex.readout[f"slope_{k}"] - ex.readout["slope_clean"]) for k in LOSSES}
    assert moved["mse"] > 1.0  # one +$2M typo adds about 1.5 k$/m² to MSE's slope
    assert moved["mse"] > 10 * moved["huber"]
    assert moved["mse"] > 10 * moved["mae"]


def test_mse_slope_grows_in_proportion_to_the_outlier_while_mae_and_huber_stay(ex):
    slopes = {}
    for amount in (0.0, 1000.0, 2000.0):
        ex.set(n_outliers=1, outlier_size=amount)
        slopes[amount] = {k: ex.readout[f"slope_{k}"] for k in LOSSES}
    # MSE is linear in the data: equal steps in the outlier give equal steps in the slope
    step1 = slopes[1000.0]["mse"] - slopes[0.0]["mse"]
    step2 = slopes[2000.0]["mse"] - slopes[1000.0]["mse"]
    assert step1 == pytest.approx(step2, rel=1e-9) and step1 > 0.5
    # once the point is far above every line, its pull is fixed: MAE and Huber do not move
    for loss in ("mae", "huber"):
        assert slopes[2000.0][loss] == pytest.approx(slopes[1000.0][loss], abs=1e-9)


def test_delta_moves_huber_from_mae_to_mse(ex):
    ex.set(delta=1000.0)  # residuals ~900 k$ < delta: Huber is (half) MSE
    assert ex.readout["slope_huber"] == pytest.approx(ex.readout["slope_mse"], rel=1e-9)
    ex.set(delta=2.0)
    assert abs(ex.readout["slope_huber"] - ex.readout["slope_mae"]) < 0.02
    # the ±delta band is drawn around the Huber line
    xy = ex._artists["band"].get_xy()
    slope, intercept = ex.readout["slope_huber"], ex.readout["intercept_huber"]
    np.testing.assert_allclose(xy[2, 1] - (slope * xy[2, 0] + intercept), 2.0)
    np.testing.assert_allclose(xy[0, 1] - (slope * xy[0, 0] + intercept), -2.0)


def test_slope_bars_show_the_slopes(ex):
    bars = ex._artists["bars"]
    np.testing.assert_allclose(bars.heights, [ex.readout[f"slope_{k}"] for k in LOSSES])
    assert [t.get_text() for t in bars.texts] == ["5.18", "3.22", "3.24"]


def test_presets(ex):
    ex.apply_preset("no outliers")
    assert ex.controls["n_outliers"].value == 0
    ex.apply_preset("Huber ≈ MSE (δ = 1000 k$)")
    assert ex.controls["delta"].value == pytest.approx(1000.0)


def test_price_axis_always_shows_every_house(ex):
    ax = ex.figure.axes[0]
    for k, amount in ((5, 2000.0), (0, 0.0), (2, 700.0), (5, 10.0)):
        ex.set(n_outliers=k, outlier_size=amount)
        top = ax.get_ylim()[1]
        prices = np.concatenate([a.get_ydata() for a in (ex._artists["points"],
                                                          ex._artists["outliers"])])
        assert prices.max() < top <= max(3 * prices.max(), 1200.0)


def test_every_move_changes_the_picture_and_the_alt_text(ex, png):
    for name, value in (("outlier_size", 400.0), ("n_outliers", 1), ("delta", 7.0)):
        before_png, before_alt = png(ex), ex.alt_text
        ex.controls[name].value = value
        assert png(ex) != before_png, name
        assert ex.alt_text != before_alt, name


def test_fast_redraw_matches_a_full_redraw(ex, png, pixels):
    ex.controls["outlier_size"].value = 1500.0
    fast = pixels(png(ex))
    ex.figure.canvas.draw()
    full = np.asarray(ex.figure.canvas.buffer_rgba())
    assert np.mean(np.any(fast != full, axis=2)) < 0.005


def test_sweep_every_control_over_its_whole_range(ex, sweep):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("outlier_size", "n_outliers", "delta"):
            for other in ({}, {"outlier_size": 2000.0, "n_outliers": 5}):
                if name in other:
                    continue
                ex.set(**other)
                for v in sweep(ex.controls[name]):
                    ex.controls[name].value = v
                    assert all(math.isfinite(x) for x in ex.readout.values()), (name, v)
                ex.set(**ex.defaults)


def test_snapshot_has_one_row_per_setting_and_leaves_the_live_figure_alone(ex):
    live_top = ex.figure.axes[0].get_ylim()
    fig = ex.snapshot([{"n_outliers": 0}, {"outlier_size": 2000.0, "n_outliers": 5},
                       {"delta": 1000.0}])
    assert len(fig.subfigs) == 3 and len(fig.axes) == 6
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    assert titles[0].startswith("no outliers") and "MSE 3.09" in titles[0]
    assert "MSE 9.76" in titles[1]
    assert "Huber 5.18" in titles[2]
    assert ex.figure.axes[0].get_ylim() == live_top
    ex.controls["outlier_size"].value = 1990.0  # the live axis still follows the data
    assert ex.figure.axes[0].get_ylim()[1] > 1.08 * 1990.0
    assert plt.get_fignums() == []


# ---------------------------------------------------------------------------------------------
# The landscape explorer of notebook 04
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def land():
    return E.landscape_explorer()


def test_landscape_contract_and_start(land, png, pixels):
    land.set(**land.defaults)
    assert list(land.controls) == ["w", "b", "lr"]
    assert all(c.description for c in land.controls.values())
    assert len(land.figure.axes) == 2
    assert pixels(png(land)).shape[:2] == (land.height_px, land.width_px)
    assert land.alt_text and land.alt_text in land._caption.value.replace("&#x27;", "'")
    # it starts at training.CONFIDENTLY_WRONG, with the same loss and gradient as fit_logistic
    x, y = data.two_class_1d()
    for loss, short in (("cross_entropy", "ce"), ("mse", "mse")):
        _, _, hist = training.fit_logistic(x, y, loss=loss, steps=0, **training.CONFIDENTLY_WRONG)
        assert land.readout[f"loss_{short}"] == pytest.approx(hist.loss[0], rel=1e-12)
        assert land.readout[f"grad_norm_{short}"] == pytest.approx(hist.grad_norm[0], rel=1e-12)
    assert land.readout["accuracy"] == pytest.approx(0.05)
    # 1.5844 / 0.0340: cross-entropy's push is about 47 times MSE's here
    assert land.readout["grad_norm_ce"] / land.readout["grad_norm_mse"] == pytest.approx(46.66,
                                                                                       rel=1e-3)


def test_landscape_arrow_is_one_gradient_step(land):
    land.set(w=0.5, b=-1.0, lr=3.0)
    for loss, short in (("cross_entropy", "ce"), ("mse", "mse")):
        arrow = land._artists["arrows"][loss]
        (w0, b0), (w1, b1) = arrow._posA_posB
        assert (w0, b0) == (0.5, -1.0)
        # the step's length is lr * |gradient|, as in the readout
        assert math.hypot(w1 - w0, b1 - b0) == pytest.approx(land.readout[f"step_{short}"])
        assert arrow.get_visible()
    assert land.readout["step_ce"] == pytest.approx(3.0 * land.readout["grad_norm_ce"])


def test_landscape_mse_arrow_vanishes_on_the_plateau(land):
    land.set(w=-6.0, b=3.0, lr=2.0)
    # MSE's step 2 * 0.0162 = 0.03 is shorter than the 0.3 drawn as an arrow; CE's is 3.2
    assert not land._artists["arrows"]["mse"].get_visible()
    assert land._artists["arrows"]["cross_entropy"].get_visible()
    assert land.readout["step_mse"] < 0.05 < 3.0 < land.readout["step_ce"]
    land.set(lr=10.0)  # the largest rate: 10 * 0.0162 = 0.16, still no arrow for MSE
    assert not land._artists["arrows"]["mse"].get_visible()


def test_landscape_sweep_is_finite_without_warnings(land):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for w in np.linspace(-8.0, 8.0, 5):
            for b in np.linspace(-8.0, 8.0, 5):
                for lr in (0.1, 10.0):
                    land.set(w=float(w), b=float(b), lr=lr)
                    assert all(math.isfinite(v) for v in land.readout.values()), (w, b, lr)


def test_landscape_snapshot(land):
    fig = land.snapshot([{"w": -3.0, "b": 0.0}, {"w": -6.0, "b": 3.0}])
    assert len(fig.subfigs) == 2 and len(fig.axes) == 4
    assert "MSE 0.0340" in fig.subfigs[0]._suptitle.get_text()
    assert plt.get_fignums() == []
