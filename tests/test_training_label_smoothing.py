"""fit_softmax(label_smoothing=eps): the loop trains on the smoothed cross-entropy, its
gradient matches finite differences of that loss written out by hand, eps = 0 is exactly
the unsmoothed fit, and a smoothed model ends less confident and above the entropy floor."""

import numpy as np
import pytest

import lossviz as lv
from lossviz import data, training


def smoothed_ce(Z, y, eps):
    """Mean of -sum_c t_c log softmax(Z)_c with t = (1 - eps) * onehot(y) + eps / K, by hand."""
    K = Z.shape[1]
    T = (1 - eps) * np.eye(K)[y] + eps / K
    logp = Z - Z.max(axis=1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
    return float(np.mean(-(T * logp).sum(axis=1)))


def entropy_floor(eps, K):
    # H(t) for t = (1 - eps + eps/K, eps/K, ..., eps/K): no model can score below it.
    top, rest = 1 - eps + eps / K, eps / K
    return -(top * np.log(top) + (K - 1) * rest * np.log(rest))


@pytest.mark.parametrize("eps", [0.1, 0.3])
def test_gradient_of_the_smoothed_loss_matches_finite_differences(eps):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(9, 2))
    y = np.arange(9) % 3
    W0, b0 = rng.normal(size=(2, 3)), rng.normal(size=3)

    def mean_loss(theta):
        return smoothed_ce(X @ theta[:6].reshape(2, 3) + theta[6:], y, eps)

    # One update of size lr: the gradient the loop used is (start - end) / lr.
    lr = 1e-3
    W1, b1, hist = training.fit_softmax(X, y, lr=lr, steps=1, W0=W0, b0=b0,
                                        label_smoothing=eps)
    used = np.concatenate([((W0 - W1) / lr).ravel(), (b0 - b1) / lr])
    theta0 = np.concatenate([W0.ravel(), b0])
    numeric = lv.numerical_grad(mean_loss, theta0)
    assert used == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    # The recorded loss is the smoothed one, not the plain cross-entropy.
    assert hist.loss[0] == pytest.approx(mean_loss(theta0), rel=1e-12)
    assert hist.loss[0] != pytest.approx(lv.cross_entropy(X @ W0 + b0, y), rel=1e-3)
    # And the smoothed gradient differs from the unsmoothed one.
    plain = lv.numerical_grad(lambda th: smoothed_ce(X @ th[:6].reshape(2, 3) + th[6:], y, 0.0),
                              theta0)
    assert np.max(np.abs(used - plain)) > 1e-3


def test_eps_zero_is_exactly_the_unsmoothed_fit():
    X, y, _ = data.cat_dog_bird(60)
    W_a, b_a, h_a = training.fit_softmax(X, y, steps=30)
    W_b, b_b, h_b = training.fit_softmax(X, y, steps=30, label_smoothing=0.0)
    np.testing.assert_array_equal(W_a, W_b)
    np.testing.assert_array_equal(b_a, b_b)
    np.testing.assert_array_equal(h_a.loss, h_b.loss)
    np.testing.assert_array_equal(h_a.accuracy, h_b.accuracy)


def test_entropy_floor_arithmetic():
    # eps = 0.1, K = 3: t = (0.9 + 0.1/3, 0.1/3, 0.1/3) = (0.93333, 0.03333, 0.03333);
    # H = 0.93333 * 0.068993 + 2 * 0.03333 * 3.401197 = 0.064393 + 0.226746 = 0.291140.
    assert entropy_floor(0.1, 3) == pytest.approx(0.291140, abs=2e-6)


def test_smoothing_lowers_the_trained_models_confidence_and_keeps_the_loss_above_the_floor():
    X, y, _ = data.cat_dog_bird()
    rows = np.arange(len(y))
    W0, b0, h0 = training.fit_softmax(X, y, steps=300)
    W1, b1, h1 = training.fit_softmax(X, y, steps=300, label_smoothing=0.1)
    P0 = lv.softmax(X @ W0 + b0, axis=1)
    P1 = lv.softmax(X @ W1 + b1, axis=1)
    # Without smoothing the model is ~97% sure of each training point's class; with
    # eps = 0.1 it aims at 1 - 0.1 + 0.1/3 = 0.9333 and ends near 0.875 (overlapping
    # clusters pull it lower still). Measured: 0.972 and 0.875.
    conf0, conf1 = P0[rows, y].mean(), P1[rows, y].mean()
    assert conf0 > 0.95
    assert 0.84 < conf1 < 1 - 0.1 + 0.1 / 3
    assert conf0 - conf1 > 0.07
    # Accuracy barely moves: smoothing changes confidence, not the decision.
    assert abs(h0.accuracy[-1] - h1.accuracy[-1]) <= 0.02
    # The smoothed loss can never go below H(t_smoothed) = 0.2911; the plain one heads to 0.
    floor = entropy_floor(0.1, 3)
    assert floor < h1.loss[-1] < floor + 0.15
    assert h0.loss[-1] < floor
    # Smoothing keeps the weights small: the optimum is finite.
    assert np.abs(W1).max() < 0.6 * np.abs(W0).max()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"label_smoothing": 1.5}, ValueError, r"label_smoothing must be in \[0, 1\]"),
        ({"label_smoothing": -0.1}, ValueError, r"label_smoothing must be in \[0, 1\]"),
        ({"label_smoothing": "0.1"}, TypeError, "label_smoothing must be a number"),
        ({"label_smoothing": True}, TypeError, "label_smoothing must be a number"),
        ({"label_smoothing": 0.1, "loss": "mse"}, ValueError,
         "label_smoothing applies to loss='cross_entropy' only"),
    ],
)
def test_bad_label_smoothing_is_refused(kwargs, error, match):
    X, y, _ = data.cat_dog_bird(9)
    with pytest.raises(error, match=match) as info:
        training.fit_softmax(X, y, steps=1, **kwargs)
    assert "fit_softmax" in str(info.value)
