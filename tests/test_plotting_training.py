"""lossviz.plotting, learning curves and loss landscapes: artists carry exactly the data given."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from lossviz import data, training
from lossviz import plotting as lp

PALETTE = {v.lower() for v in lp.OKABE_ITO.values()}


@pytest.fixture
def ax():
    fig = lp.new_figure(600, 400)
    return fig.subplots()


# ---------------------------------------------------------------------------------------------
# learning_curves
# ---------------------------------------------------------------------------------------------


def test_learning_curves_draw_each_run_against_the_step(ax):
    runs = {"cross_entropy": [0.7, 0.4, 0.2], "mse": [0.25, 0.24, 0.2]}
    lc = lp.learning_curves(ax, runs, labels={"cross_entropy": "cross-entropy", "mse": "MSE"})
    for name, values in runs.items():
        x, y = lc.lines[name].get_data()
        assert list(x) == [0, 1, 2]  # entry t is the value before update t
        assert list(y) == values
    # a loss's own colour: cross-entropy blue, MSE orange
    assert to_hex(lc.lines["cross_entropy"].get_color()) == lp.OKABE_ITO["blue"].lower()
    assert to_hex(lc.lines["mse"].get_color()) == lp.OKABE_ITO["orange"].lower()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cross-entropy", "MSE"]
    assert ax.get_xlabel() == "gradient-descent step"
    assert ax.get_ylabel() == "training loss"
    assert lc.target_line is None and lc.reached == {"cross_entropy": None, "mse": None}


def test_learning_curves_mark_the_first_step_that_reaches_the_target(ax):
    runs = {"fast": [0.05, 0.5, 0.92, 0.95], "slow": [0.05, 0.05, 0.3, 0.9], "never": [0.1] * 4}
    lc = lp.learning_curves(ax, runs, ylabel="accuracy", target=0.9)
    # first entries >= 0.9: fast at step 2 (0.92), slow at step 3 (exactly 0.9), never: none
    assert lc.reached == {"fast": 2, "slow": 3, "never": None}
    assert [list(a) for a in lc.markers["fast"].get_data()] == [[2], [0.92]]
    assert [list(a) for a in lc.markers["slow"].get_data()] == [[3], [0.9]]
    assert lc.markers["never"] is None
    assert list(lc.target_line.get_ydata()) == [0.9, 0.9]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["fast: 2 steps", "slow: 3 steps", "never: not reached in 3 steps"]
    # names that are not losses take the palette in turn
    assert {to_hex(line.get_color()) for line in lc.lines.values()} <= PALETTE
    assert len({to_hex(line.get_color()) for line in lc.lines.values()}) == 3


def test_learning_curves_target_below_for_a_loss(ax):
    lc = lp.learning_curves(ax, {"mse": [1.0, 0.5, 0.09, 0.01]}, target=0.1, above=False,
                            logy=True, title="loss")
    assert lc.reached == {"mse": 2}  # 0.09 is the first value <= 0.1
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "loss"


def test_learning_curves_reproduce_steps_to_accuracy_of_a_real_run(ax):
    x, y = data.two_class_1d()
    hist = {loss: training.fit_logistic(x, y, loss=loss, steps=80, **training.CONFIDENTLY_WRONG)[2]
            for loss in ("cross_entropy", "mse")}
    lc = lp.learning_curves(ax, {k: h.accuracy for k, h in hist.items()}, target=0.9)
    assert lc.reached == {k: training.steps_to_accuracy(h, 0.9) for k, h in hist.items()}
    assert lc.reached["cross_entropy"] < lc.reached["mse"]


def test_learning_curves_reject_empty_or_shapeless_input(ax):
    with pytest.raises(ValueError, match="non-empty dict"):
        lp.learning_curves(ax, {})
    with pytest.raises(ValueError, match=r"curves\['a'\] must be a non-empty 1-D"):
        lp.learning_curves(ax, {"a": [[1.0, 2.0]]})


# ---------------------------------------------------------------------------------------------
# loss_landscape and descent_path
# ---------------------------------------------------------------------------------------------


def bowl():
    w = np.linspace(-2.0, 2.0, 21)
    b = np.linspace(-1.0, 3.0, 11)
    W, B = np.meshgrid(w, b)
    return w, b, (W - 0.6) ** 2 + 2 * (B - 1.4) ** 2 + 0.5  # lowest grid value at (0.6, 1.4)


def test_loss_landscape_spans_the_values_and_marks_the_lowest_point(ax):
    w, b, values = bowl()
    land = lp.loss_landscape(ax, w, b, values, levels=8, color=lp.COLORS["mse"])
    # 8 evenly spaced levels from the lowest value (0.5) to the highest, 9 boundaries
    assert len(land.levels) == 9
    assert land.levels[0] == pytest.approx(values.min())
    assert land.levels[-1] == pytest.approx(values.max())
    np.testing.assert_allclose(np.diff(land.levels), (values.max() - values.min()) / 8)
    assert [list(a) for a in land.minimum.get_data()] == [[pytest.approx(0.6)],
                                                          [pytest.approx(1.4)]]
    assert ax.get_xlabel() == "weight w" and ax.get_ylabel() == "bias b"
    # white at the bottom of the colour scale, the loss's colour at the top
    cmap = land.filled.get_cmap()
    assert to_hex(cmap(0.0)) == "#ffffff"
    assert to_hex(cmap(1.0)) == lp.COLORS["mse"].lower()
    assert to_hex(land.minimum.get_markerfacecolor()) in PALETTE


def test_loss_landscape_log_levels_are_geometric(ax):
    w, b, values = bowl()
    land = lp.loss_landscape(ax, w, b, values, levels=4, log=True)
    ratios = land.levels[1:] / land.levels[:-1]
    np.testing.assert_allclose(ratios, (values.max() / values.min()) ** (1 / 4))


def test_loss_landscape_rejects_bad_grids(ax):
    w, b, values = bowl()
    with pytest.raises(ValueError, match=r"shape \(len\(b_grid\), len\(w_grid\)\) = \(11, 21\)"):
        lp.loss_landscape(ax, w, b, values.T)
    with pytest.raises(ValueError, match="NaN or inf"):
        lp.loss_landscape(ax, w, b, np.where(values > 5, np.inf, values))
    with pytest.raises(ValueError, match="log=True needs positive values"):
        lp.loss_landscape(ax, w, b, values - 1.0, log=True)


def test_descent_path_follows_a_training_history(ax):
    x, y = data.two_class_1d()
    _, _, hist = training.fit_logistic(x, y, steps=30, **training.CONFIDENTLY_WRONG)
    path = lp.descent_path(ax, hist.w, hist.b, every=10, label="cross-entropy")
    np.testing.assert_array_equal(path.line.get_xdata(), hist.w)
    np.testing.assert_array_equal(path.line.get_ydata(), hist.b)
    assert [list(a) for a in path.start.get_data()] == [[-3.0], [0.0]]  # CONFIDENTLY_WRONG
    assert [list(a) for a in path.end.get_data()] == [[hist.w[-1]], [hist.b[-1]]]
    assert path.line.get_markevery() == 10
    assert to_hex(path.line.get_color()) == lp.COLORS["gradient"].lower()
    path.update([0.0, 1.0, 2.0], [0.0, -1.0, -1.5])
    assert [list(a) for a in path.end.get_data()] == [[2.0], [-1.5]]
    assert path.moving == [path.line, path.start, path.end]


def test_descent_path_rejects_mismatched_arrays(ax):
    with pytest.raises(ValueError, match=r"same length, got shapes \(3,\) and \(2,\)"):
        lp.descent_path(ax, [0.0, 1.0, 2.0], [0.0, 1.0])


def test_new_helpers_leave_pyplot_alone():
    before = plt.get_fignums()
    fig = lp.new_figure(600, 300)
    ax1, ax2 = fig.subplots(1, 2)
    lp.learning_curves(ax1, {"mse": [1.0, 0.5]})
    w, b, values = bowl()
    lp.loss_landscape(ax2, w, b, values)
    lp.descent_path(ax2, [0.0, 0.5], [1.0, 1.2])
    fig.canvas.draw()
    assert plt.get_fignums() == before
