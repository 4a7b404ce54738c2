"""lossviz.uncertainty_fits (heteroscedastic Gaussian and quantile lines) and data.noisy_line.

Tolerances are stated beside each recovery test with the standard error they come from.
"""

import math

import numpy as np
import pytest

import lossviz as lv
from lossviz import data
from lossviz import uncertainty_fits as uf

TRUE = {"w": 2.0, "b": 1.0, "u": 2.0, "c": 2 * math.log(0.5)}  # noisy_line's defaults


# ---------------------------------------------------------------------------------------------
# data.noisy_line
# ---------------------------------------------------------------------------------------------

def test_noisy_line_shapes_range_and_determinism():
    x, y = data.noisy_line(300, seed=4)
    assert x.shape == y.shape == (300,)
    assert x.dtype == y.dtype == np.float64
    assert x.min() >= -1.0 and x.max() <= 1.0
    x2, y2 = data.noisy_line(300, seed=4)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    x3, _ = data.noisy_line(300, seed=5)
    assert not np.array_equal(x, x3)


def test_noisy_line_noise_law():
    # sigma(x) = 0.5 exp(x): the residuals divided by sigma(x) are standard normal, whose sample
    # std over 20,000 draws is within 1 +- 0.005 (1 / sqrt(2 n)); 3% leaves room for any seed.
    x, y = data.noisy_line(20_000, seed=2)
    z = (y - (1.0 + 2.0 * x)) / (0.5 * np.exp(x))
    assert abs(z.std() - 1.0) < 0.03
    assert abs(z.mean()) < 0.03
    # the spread grows with x: for x in (0.5, 1] sigma is between 0.82 and 1.36, for
    # x in [-1, -0.5) between 0.18 and 0.30
    r = y - (1.0 + 2.0 * x)
    assert r[x > 0.5].std() > 3 * r[x < -0.5].std()


def test_noisy_line_noise_growth_zero_is_one_noise_level_on_the_same_x():
    x, y = data.noisy_line(5000, noise_growth=0.0, seed=1)
    x1, _ = data.noisy_line(5000, seed=1)
    assert np.array_equal(x, x1)  # the same x whatever the noise law
    r = y - (1.0 + 2.0 * x)
    assert r[x < 0].std() == pytest.approx(0.5, rel=0.06)
    assert r[x >= 0].std() == pytest.approx(0.5, rel=0.06)


def test_noisy_line_options_move_the_line():
    x, y = data.noisy_line(50, slope=-1.0, intercept=10.0, noise=1e-9, seed=0)
    np.testing.assert_allclose(y, 10.0 - x, atol=1e-7)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n": 0}, ValueError, "n must be >= 1"),
    ({"n": 2.5}, TypeError, "n must be an int"),
    ({"noise": 0.0}, ValueError, "noise must be > 0"),
    ({"noise": -1.0}, ValueError, "noise must be > 0"),
    ({"slope": float("nan")}, ValueError, "slope must be a finite number"),
    ({"intercept": "1"}, ValueError, "intercept must be a finite number"),
    ({"noise_growth": float("inf")}, ValueError, "noise_growth must be a finite number"),
    ({"noise_growth": True}, ValueError, "noise_growth must be a finite number"),
])
def test_noisy_line_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.noisy_line(**kwargs)


# ---------------------------------------------------------------------------------------------
# fit_gaussian_linear
# ---------------------------------------------------------------------------------------------

def _gaussian_objective(x, y):
    def f(p):
        w, b, u, c = p
        return lv.gaussian_nll(w * x + b, y, np.exp(u * x + c))
    return f


def test_gaussian_fit_recovers_the_generating_parameters():
    # n = 5000: the maximum-likelihood standard errors are about 0.007 (w), 0.005 (b) and
    # sqrt(2 / (n E[x^2])) = sqrt(2 / (5000 / 3)) = 0.035 (u), sqrt(2 / n) = 0.02 (c);
    # the tolerances are about 4 standard errors.
    x, y = data.noisy_line(5000, seed=7)
    fit = uf.fit_gaussian_linear(x, y, lr=0.1, steps=1500)
    assert fit.grad_norm[-1] < 1e-6  # converged: the rest is sampling error
    assert fit.params["w"] == pytest.approx(TRUE["w"], abs=0.04)
    assert fit.params["b"] == pytest.approx(TRUE["b"], abs=0.03)
    assert fit.params["u"] == pytest.approx(TRUE["u"], abs=0.15)
    assert fit.params["c"] == pytest.approx(TRUE["c"], abs=0.08)
    # sigma(x) = 0.5 exp(x): 0.5 / e = 0.184 at x = -1, 0.5 e = 1.359 at x = 1
    assert fit.sigma(-1.0) == pytest.approx(0.5 / math.e, rel=0.1)
    assert fit.sigma(1.0) == pytest.approx(0.5 * math.e, rel=0.1)
    np.testing.assert_allclose(fit.var([0.0, 1.0]), np.exp([fit.params["c"],
                                                            fit.params["u"] + fit.params["c"]]))


def test_gaussian_fit_gradient_matches_finite_differences():
    x, y = data.noisy_line(40, seed=3)
    start = np.array([0.3, -0.2, 0.5, 0.1])
    lr = 0.01
    fit = uf.fit_gaussian_linear(x, y, lr=lr, steps=1, w0=start[0], b0=start[1], u0=start[2],
                                 c0=start[3])
    # one step moves the parameters by -lr * gradient
    used = (start - np.array([fit.trail[k][1] for k in ("w", "b", "u", "c")])) / lr
    numeric = lv.numerical_grad(_gaussian_objective(x, y), start)
    np.testing.assert_allclose(used, numeric, rtol=1e-6, atol=1e-8)
    assert fit.grad_norm[0] == pytest.approx(np.linalg.norm(numeric), rel=1e-6)
    assert fit.loss[0] == pytest.approx(_gaussian_objective(x, y)(start))


def test_gaussian_fit_with_one_sigma_is_least_squares_with_var_equal_to_mse():
    # u fixed at 0: the NLL's minimiser is the least-squares line, and its variance exp(c) is
    # that line's MSE (d/dc of 1/2 (c + MSE e^-c) = 0 gives e^c = MSE)
    x, y = data.noisy_line(200, seed=0)
    fit = uf.fit_gaussian_linear(x, y, lr=0.2, steps=1500, fit_var_slope=False)
    slope, intercept = np.polyfit(x, y, 1)
    mse = lv.mse(slope * x + intercept, y)
    assert fit.params["u"] == 0.0
    assert all(t == 0.0 for t in fit.trail["u"])
    assert fit.params["w"] == pytest.approx(slope, abs=1e-6)
    assert fit.params["b"] == pytest.approx(intercept, abs=1e-6)
    assert math.exp(fit.params["c"]) == pytest.approx(mse, rel=1e-6)
    # and the NLL there is 1/2 (log MSE + 1)
    assert fit.loss[-1] == pytest.approx(0.5 * (math.log(mse) + 1.0), rel=1e-9)


def test_gaussian_fit_beats_one_sigma_on_held_out_data():
    x, y = data.noisy_line(300, seed=0)
    x_t, y_t = data.noisy_line(3000, seed=1)
    het = uf.fit_gaussian_linear(x, y, steps=1500)
    one = uf.fit_gaussian_linear(x, y, steps=1500, fit_var_slope=False)
    nll_het = lv.gaussian_nll(het.predict(x_t), y_t, het.var(x_t))
    nll_one = lv.gaussian_nll(one.predict(x_t), y_t, one.var(x_t))
    # the one-sigma model's held-out NLL is higher by about E[(log sigma^2(x) - log sigma^2)]/2
    # terms; with sigma varying 7x over x the gap is well above 0.2 nats
    assert nll_one - nll_het > 0.2


def test_gaussian_fit_history_layout_and_progress(capsys):
    x, y = data.noisy_line(30, seed=0)
    fit = uf.fit_gaussian_linear(x, y, steps=20, progress=True)
    assert fit.steps == 20
    assert fit.loss.shape == fit.grad_norm.shape == (21,)
    assert set(fit.trail) == {"w", "b", "u", "c"}
    assert all(v.shape == (21,) for v in fit.trail.values())
    assert fit.trail["w"][0] == 0.0 and fit.trail["w"][-1] == fit.params["w"]
    assert fit.loss[-1] < fit.loss[0]
    assert fit.quantile is None
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 11  # steps 0, 2, ..., 20
    assert lines[0].startswith("fit_gaussian_linear: step  0/20  loss ")
    assert lines[-1].startswith("fit_gaussian_linear: step 20/20  loss ")


def test_gaussian_fit_with_zero_steps_returns_the_start():
    x, y = data.noisy_line(30, seed=0)
    fit = uf.fit_gaussian_linear(x, y, steps=0, w0=1.0, b0=2.0, u0=3.0, c0=4.0)
    assert fit.params == {"w": 1.0, "b": 2.0, "u": 3.0, "c": 4.0}
    assert fit.loss[0] == pytest.approx(_gaussian_objective(x, y)([1.0, 2.0, 3.0, 4.0]))


def test_gaussian_fit_that_diverges_says_so():
    x, y = data.noisy_line(50, seed=0)
    with pytest.raises(FloatingPointError, match="lr = 50 is too large"):
        uf.fit_gaussian_linear(x, 1000 * y, lr=50.0, steps=50)


# ---------------------------------------------------------------------------------------------
# fit_quantile_linear
# ---------------------------------------------------------------------------------------------

def _best_quantile_line(x, y, q):
    """The exact minimiser of the mean pinball loss over lines: some optimal line passes
    through two of the points (a vertex of the linear programme), so try every pair."""
    i, j = np.triu_indices(len(x), 1)
    w = (y[j] - y[i]) / (x[j] - x[i])
    b = y[i] - w * x[i]
    r = y[None, :] - (w[:, None] * x[None, :] + b[:, None])
    loss = np.maximum(q * r, (q - 1) * r).mean(axis=1)
    k = int(np.argmin(loss))
    return w[k], b[k], loss[k]


@pytest.mark.parametrize("growth", [0.0, 1.0])
@pytest.mark.parametrize("q", [0.05, 0.5, 0.95])
def test_quantile_fit_reaches_the_exact_minimum(q, growth):
    x, y = data.noisy_line(120, noise_growth=growth, seed=5)
    w, b, best = _best_quantile_line(x, y, q)
    fit = uf.fit_quantile_linear(x, y, quantile=q)
    # within 1e-4 of the optimal mean pinball loss (the losses are ~0.05-0.5)
    assert fit.loss[-1] - best < 1e-4
    assert fit.loss[-1] >= best - 1e-12  # nothing beats the exact minimum
    assert fit.params["w"] == pytest.approx(w, abs=0.05)
    assert fit.params["b"] == pytest.approx(b, abs=0.05)
    assert fit.quantile == q


@pytest.mark.parametrize("q", [0.05, 0.5, 0.95])
def test_quantile_fit_recovers_the_true_quantile_line(q):
    # one noise level sigma = 0.5: the q-quantile of y at x is 1 + 2x + 0.5 z_q. With n = 4000
    # the standard error of the intercept is sqrt(q(1-q)) / (f(z_q) sqrt(n)) <= 0.017 and of
    # the slope about sqrt(3) times that: tolerances 0.06 and 0.1 (about 3.5 standard errors).
    z = {0.05: -1.6448536269514722, 0.5: 0.0, 0.95: 1.6448536269514722}[q]
    x, y = data.noisy_line(4000, noise_growth=0.0, seed=11)
    fit = uf.fit_quantile_linear(x, y, quantile=q, steps=1500)
    assert fit.params["w"] == pytest.approx(2.0, abs=0.1)
    assert fit.params["b"] == pytest.approx(1.0 + 0.5 * z, abs=0.06)
    # and on its training data a fraction q lies on or below the line (to within 3 points
    # of 4000: a line through two points has up to two on it)
    assert np.mean(y <= fit.predict(x)) == pytest.approx(q, abs=1e-3)


def test_quantile_fit_gradient_matches_finite_differences():
    x, y = data.noisy_line(40, seed=3)
    start = np.array([0.7, 0.2])  # no target lies on this line: the loss is smooth here
    assert np.min(np.abs(y - (start[0] * x + start[1]))) > 1e-3
    fit = uf.fit_quantile_linear(x, y, quantile=0.8, lr=0.01, steps=1, w0=start[0],
                                 b0=start[1])
    used = (start - np.array([fit.trail["w"][1], fit.trail["b"][1]])) / 0.01
    numeric = lv.numerical_grad(
        lambda p: lv.pinball_loss(p[0] * x + p[1], y, quantile=0.8), start)
    np.testing.assert_allclose(used, numeric, rtol=1e-6, atol=1e-9)
    # by hand: d/db = (number below * 0.2 - number above * 0.8) / n
    below = np.sum(y < start[0] * x + start[1])
    assert used[1] == pytest.approx((below * 0.2 - (len(y) - below) * 0.8) / len(y))


def test_quantile_fit_has_no_variance():
    x, y = data.noisy_line(30, seed=0)
    fit = uf.fit_quantile_linear(x, y, quantile=0.9, steps=5)
    with pytest.raises(ValueError, match="predicts no variance"):
        fit.sigma(0.0)
    assert set(fit.params) == {"w", "b"}
    np.testing.assert_allclose(fit.predict([0.0, 1.0]), [fit.b, fit.w + fit.b])


# ---------------------------------------------------------------------------------------------
# coverage
# ---------------------------------------------------------------------------------------------

def test_coverage_counts_the_targets_inside_bounds_included():
    # 1 in [0, 2], 2 on the bound 2, 5 above 4, 3 above 2.5: 2 of 4 inside
    assert uf.coverage([1.0, 2.0, 5.0, 3.0], 0.0, [2.0, 2.0, 4.0, 2.5]) == 0.5
    assert uf.coverage([1.0], 1.0, 1.0) == 1.0


@pytest.mark.parametrize("args, match", [
    (([1.0, 2.0], [0.0], 3.0), r"lower must be a number or have shape \(2,\)"),
    (([1.0, 2.0], 0.0, [3.0, 1.0, 2.0]), r"upper must be a number or have shape \(2,\)"),
    (([1.0, 2.0], 2.0, 1.0), "lower > upper at index 0"),
    (([], 0.0, 1.0), r"y must have shape \(n,\) with n >= 1"),
    (([1.0, np.nan], 0.0, 1.0), "y contains NaN or inf"),
])
def test_coverage_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        uf.coverage(*args)


# ---------------------------------------------------------------------------------------------
# Bad input for the fits
# ---------------------------------------------------------------------------------------------

X_OK, Y_OK = data.noisy_line(20, seed=0)


@pytest.mark.parametrize("fit", ["gaussian", "quantile"])
@pytest.mark.parametrize("x, y, kwargs, error, match", [
    (np.ones((20, 2)), Y_OK, {}, ValueError, r"x must have shape \(n,\) with n >= 2"),
    (X_OK[:1], Y_OK[:1], {}, ValueError, r"x must have shape \(n,\) with n >= 2"),
    (X_OK, Y_OK[:19], {}, ValueError, r"y must have shape \(20,\) to match x, got \(19,\)"),
    (np.where(np.arange(20) == 3, np.nan, X_OK), Y_OK, {}, ValueError,
     r"x contains NaN or inf \(first at index 3\)"),
    (X_OK, np.where(np.arange(20) == 5, np.inf, Y_OK), {}, ValueError,
     r"y contains NaN or inf \(first at index 5\)"),
    (np.full(20, 0.3), Y_OK, {}, ValueError, "every x is 0.3; a line needs at least two"),
    (X_OK.astype(str), Y_OK, {}, TypeError, "x must hold real numbers"),
    (X_OK, Y_OK, {"lr": 0.0}, ValueError, "lr must be a positive finite number, got 0.0"),
    (X_OK, Y_OK, {"lr": float("nan")}, ValueError, "lr must be a positive finite number"),
    (X_OK, Y_OK, {"lr": True}, ValueError, "lr must be a positive finite number"),
    (X_OK, Y_OK, {"steps": -1}, ValueError, "steps must be an int >= 0, got -1"),
    (X_OK, Y_OK, {"steps": 2.0}, ValueError, "steps must be an int >= 0, got 2.0"),
    (X_OK, Y_OK, {"w0": float("nan")}, ValueError, "w0 must be a finite number"),
    (X_OK, Y_OK, {"b0": "0"}, ValueError, "b0 must be a finite number"),
    (X_OK, Y_OK, {"progress": "yes"}, TypeError, "progress must be True or False"),
])
def test_fits_bad_input(fit, x, y, kwargs, error, match):
    with pytest.raises(error, match=match):
        if fit == "gaussian":
            uf.fit_gaussian_linear(x, y, **kwargs)
        else:
            uf.fit_quantile_linear(x, y, quantile=0.5, **kwargs)


@pytest.mark.parametrize("q", [0.0, 1.0, 1.5, -0.1, True, None, "0.5", float("nan")])
def test_quantile_must_be_strictly_between_0_and_1(q):
    with pytest.raises(ValueError, match="quantile must be a number strictly between 0 and 1"):
        uf.fit_quantile_linear(X_OK, Y_OK, quantile=q)


def test_quantile_is_required_and_keyword_only():
    with pytest.raises(TypeError, match="quantile"):
        uf.fit_quantile_linear(X_OK, Y_OK)
    with pytest.raises(TypeError):
        uf.fit_quantile_linear(X_OK, Y_OK, 0.5)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"u0": float("inf")}, ValueError, "u0 must be a finite number"),
    ({"c0": None}, ValueError, "c0 must be a finite number"),
    ({"fit_var_slope": 1}, TypeError, "fit_var_slope must be True or False"),
])
def test_gaussian_fit_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        uf.fit_gaussian_linear(X_OK, Y_OK, **kwargs)


# ---------------------------------------------------------------------------------------------
# The printed examples in the docstrings
# ---------------------------------------------------------------------------------------------

def _run_doctests(obj, name):
    import doctest

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(obj, name):
        runner.run(test)
    return runner.summarize(verbose=False)


def test_docstring_examples_print_what_they_say():
    failed, attempted = _run_doctests(uf, "lossviz.uncertainty_fits")
    assert attempted >= 6 and failed == 0
    failed, attempted = _run_doctests(data.noisy_line, "noisy_line")
    assert attempted >= 4 and failed == 0
