"""Every analytic ``*_grad`` against central finite differences (``lossviz.numerical_grad``).

The registry ``lossviz.LOSSES`` drives the tests, so a loss added to it without a correct
gradient fails here. Inputs stay away from kinks (MAE at an error of 0, Huber at |error| = delta)
where the derivative is not defined and finite differences straddle two slopes, and kl_div's
log-probabilities stay far enough below 0 that a finite-difference step never makes one positive.
"""

import warnings
import zlib

import numpy as np
import pytest

import lossviz as lv

REDUCTIONS = ["mean", "sum", "none"]
# central differences with eps = 1e-6 have truncation error ~eps^2 * f''' and rounding error
# ~1e-16 * |f| / eps ~ 1e-10; analytic and numeric gradients agree to well under 1e-6
RTOL, ATOL = 1e-6, 1e-8


def _errors_away_from_kinks(rng, shape, delta=1.0):
    """Errors with |d| in [0.1, 0.9] * delta or [1.1, 3] * delta, random sign."""
    inside = rng.uniform(0.1, 0.9, size=shape) * delta
    outside = rng.uniform(1.1, 3.0, size=shape) * delta
    magnitude = np.where(rng.random(shape) < 0.5, inside, outside)
    return np.where(rng.random(shape) < 0.5, -magnitude, magnitude)


def _cases(name):
    """(first argument, targets, keyword options) for one registered loss, several shapes."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))  # a fixed seed per loss
    cases = []
    if name in ("mse", "mae", "huber"):
        for shape in [(5,), (3, 4)]:
            y_true = rng.normal(size=shape)
            options = [{"delta": 1.0}, {"delta": 0.5}, {}] if name == "huber" else [{}]
            for opts in options:
                d = _errors_away_from_kinks(rng, shape, opts.get("delta", 1.0))
                cases.append((y_true + d, y_true, opts))
        # a single element, 0-d
        cases.append((np.float64(1.7), np.float64(0.2), {}))
    elif name == "binary_cross_entropy":
        for shape in [(6,), (2, 3)]:
            p = rng.uniform(0.05, 0.95, size=shape)
            cases.append((p, (rng.random(shape) < 0.5).astype(float), {}))  # hard labels
            cases.append((p, rng.uniform(0, 1, size=shape), {}))  # soft labels
        cases.append((np.float64(0.3), np.float64(1.0), {}))  # a single probability, 0-d
    elif name == "binary_cross_entropy_with_logits":
        for shape in [(6,), (2, 3)]:
            z = rng.normal(scale=3.0, size=shape)
            cases.append((z, (rng.random(shape) < 0.5).astype(float), {}))
            cases.append((z, rng.uniform(0, 1, size=shape), {}))
        cases.append((np.float64(-0.7), np.float64(1.0), {}))  # a single logit, 0-d
    elif name == "cross_entropy":
        for ls in (0.0, 0.2):
            logits = rng.normal(scale=2.0, size=(5, 4))
            cases.append((logits, rng.integers(0, 4, size=5), {"label_smoothing": ls}))
            # unbatched: 1-D logits (C,) with a scalar label
            cases.append((rng.normal(size=3), 2, {"label_smoothing": ls}))
    elif name == "soft_cross_entropy":
        for ls in (0.0, 0.2):
            logits = rng.normal(scale=2.0, size=(5, 4))
            cases.append((logits, rng.dirichlet(np.ones(4), size=5), {"label_smoothing": ls}))
            cases.append((rng.normal(size=3), rng.dirichlet(np.ones(3)), {"label_smoothing": ls}))
    elif name == "kl_div":
        # input: log q of predicted distributions (every q <= 0.9, so log q <= -0.1); target:
        # distributions with a zero (its terms count 0), or log-probabilities with log_target
        log_q = lv.log_softmax(rng.normal(scale=0.5, size=(5, 4)))
        assert log_q.max() < -0.1
        t = rng.dirichlet(np.ones(4), size=5)
        t[0] = [0.0, 0.25, 0.75, 0.0]
        cases.append((log_q, t, {}))
        cases.append((log_q, np.log(rng.dirichlet(np.ones(4), size=5)), {"log_target": True}))
        cases.append((np.log([0.2, 0.5, 0.3]), np.array([0.6, 0.1, 0.3]), {}))  # one row (C,)
        cases.append((np.float64(np.log(0.25)), np.float64(0.5), {}))  # 0-d, as torch allows
    elif name == "sigmoid_focal_loss":
        # |z| <= 4 keeps 1 - p_t >= 0.018, where (1 - p_t)^(gamma - 1) is smooth for gamma 0.5
        for shape in [(6,), (2, 3)]:
            z = rng.uniform(-4.0, 4.0, size=shape)
            cases.append((z, (rng.random(shape) < 0.5).astype(float), {}))  # alpha .25, gamma 2
            cases.append((z, rng.uniform(0, 1, size=shape), {"alpha": -1.0, "gamma": 0.5}))
            cases.append((z, (rng.random(shape) < 0.5).astype(float),
                          {"alpha": 0.8, "gamma": 3.0}))
        cases.append((np.float64(-0.7), np.float64(1.0), {}))  # a single logit, 0-d
    elif name == "brier_score":
        # binary (element-wise, hard and soft labels, multi-label (N, L)), and class
        # probabilities (N, C) with integer labels (one term per row)
        for shape in [(6,), (2, 3)]:
            p = rng.uniform(0.05, 0.95, size=shape)
            cases.append((p, (rng.random(shape) < 0.5).astype(float), {}))
            cases.append((p, rng.uniform(0, 1, size=shape), {}))
        cases.append((np.float64(0.3), np.float64(1.0), {}))  # a single probability, 0-d
        cases.append((rng.dirichlet(np.ones(4), size=5), rng.integers(0, 4, size=5), {}))
        cases.append((np.array([0.7, 0.2, 0.1]), 2, {}))  # one example (C,), one label
    else:  # pragma: no cover - a new loss must get inputs here
        raise AssertionError(f"no gradient test inputs for registered loss {name!r}")
    return cases


def _params():
    for name in sorted(lv.LOSSES):
        for i, case in enumerate(_cases(name)):
            for reduction in REDUCTIONS:
                yield pytest.param(name, case, reduction, id=f"{name}-{i}-{reduction}")


def test_registry_lists_every_loss_with_its_gradient():
    expected = {"mse", "mae", "huber", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                "cross_entropy", "soft_cross_entropy", "kl_div", "sigmoid_focal_loss",
                "brier_score"}
    assert set(lv.LOSSES) == expected
    for name, (loss, grad) in lv.LOSSES.items():
        assert loss is getattr(lv, name)
        assert grad is getattr(lv, f"{name}_grad")


@pytest.mark.parametrize(("name", "case", "reduction"), list(_params()))
def test_grad_matches_finite_differences(name, case, reduction):
    loss, grad = lv.LOSSES[name]
    x, y_true, opts = case
    x = np.asarray(x, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # valid inputs must not warn

        def total(x_):
            # for reduction="none" the gradient is that of the sum (what autograd gives)
            return np.sum(loss(x_, y_true, reduction=reduction, **opts))

        if name == "brier_score" and np.asarray(y_true).dtype.kind == "i":
            # Class form: a step in one p_c leaves the simplex, which brier_score refuses. Its
            # gradient treats each p_c as a free number: differentiate the same sum written with
            # one-hot rows (the binary form, element-wise), divided by the rows for "mean".
            onehot = np.eye(x.shape[-1])[y_true]
            rows = onehot.size // x.shape[-1] if reduction == "mean" else 1

            def total(x_):
                return np.sum(loss(x_, onehot, reduction="sum")) / rows

        analytic = np.asarray(grad(x, y_true, reduction=reduction, **opts))
        numeric = lv.numerical_grad(total, x)
    assert analytic.shape == x.shape  # the gradient has the shape of the first argument
    assert analytic.dtype == np.float64
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", sorted(lv.LOSSES))
def test_grad_none_is_elementwise_derivative_and_equals_grad_of_sum(name):
    loss, grad = lv.LOSSES[name]
    for x, y_true, opts in _cases(name):
        g_none = grad(x, y_true, reduction="none", **opts)
        g_sum = grad(x, y_true, reduction="sum", **opts)
        g_mean = grad(x, y_true, reduction="mean", **opts)
        np.testing.assert_allclose(g_none, g_sum, rtol=1e-14, atol=0)
        # mean divides by the number of loss terms: elements, or rows for cross-entropy
        n_terms = np.size(loss(x, y_true, reduction="none", **opts))
        np.testing.assert_allclose(g_mean, g_sum / n_terms, rtol=1e-14, atol=0)


def test_numerical_grad_on_known_functions():
    # f(x) = sum(x^3) -> df/dx = 3 x^2
    x = np.array([[0.5, -1.0, 2.0], [3.0, 0.0, -0.25]])
    x_before = x.copy()
    g = lv.numerical_grad(lambda t: np.sum(t**3), x)
    assert g.shape == x.shape
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8, atol=1e-8)
    np.testing.assert_array_equal(x, x_before)  # x is not modified
    # f(x) = sin(x0) * x1 -> [cos(x0) x1, sin(x0)]
    x = np.array([0.3, 2.0])
    g = lv.numerical_grad(lambda t: np.sin(t[0]) * t[1], x)
    np.testing.assert_allclose(g, [np.cos(0.3) * 2.0, np.sin(0.3)], rtol=1e-8)
    # a scalar input gives a scalar-shaped gradient: d/dx exp(x) at 1 = e
    g = lv.numerical_grad(lambda t: np.exp(t), np.float64(1.0))
    assert np.shape(g) == ()
    assert g == pytest.approx(np.e, rel=1e-8)


def test_numerical_grad_uses_central_differences_with_eps():
    # for f(x) = x^3, the central difference is ((x+h)^3 - (x-h)^3) / 2h = 3x^2 + h^2 exactly;
    # a one-sided difference would give 3x^2 + 3xh + h^2. With h = 1e-2 at x = 1: 3.0001
    g = lv.numerical_grad(lambda t: np.sum(t**3), np.array([1.0]), eps=1e-2)
    assert g[0] == pytest.approx(3.0001, rel=1e-9)


def test_numerical_grad_catches_a_wrong_gradient():
    # a learner's wrong MSE gradient (missing the factor 2) is caught by the check
    y_pred, y_true = np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 0.0])
    wrong = (y_pred - y_true) / 3
    numeric = lv.numerical_grad(lambda t: lv.mse(t, y_true), y_pred)
    assert not np.allclose(wrong, numeric, rtol=1e-3)
    np.testing.assert_allclose(lv.mse_grad(y_pred, y_true), numeric, rtol=1e-8)


@pytest.mark.parametrize("activation", ["sigmoid", "log_sigmoid"])
def test_activation_derivatives(activation):
    # sigmoid' = sigma (1 - sigma) = sigmoid_grad ; log_sigmoid' = 1 - sigma = sigma(-z)
    z = np.linspace(-6, 6, 13)
    numeric = lv.numerical_grad(lambda t: np.sum(getattr(lv, activation)(t)), z)
    expected = lv.sigmoid_grad(z) if activation == "sigmoid" else lv.sigmoid(-z)
    np.testing.assert_allclose(numeric, expected, rtol=RTOL, atol=ATOL)


def test_log_softmax_gradient_is_onehot_minus_softmax():
    # d/dz log_softmax(z)_k = onehot_k - softmax(z); logsumexp' = softmax
    z = np.array([0.3, -1.2, 2.0, 0.5])
    numeric = lv.numerical_grad(lambda t: lv.log_softmax(t)[2], z)
    np.testing.assert_allclose(numeric, np.eye(4)[2] - lv.softmax(z), rtol=RTOL, atol=ATOL)
    numeric = lv.numerical_grad(lambda t: lv.logsumexp(t), z)
    np.testing.assert_allclose(numeric, lv.softmax(z), rtol=RTOL, atol=ATOL)
