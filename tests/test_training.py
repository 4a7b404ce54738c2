"""Tests for lossviz.training: losses go down, gradients are right, CE beats MSE from a
confidently wrong start, runs are deterministic, and the bigram model beats log(V)."""

import numpy as np
import pytest

import lossviz as lv
from lossviz import data, training

# ---------------------------------------------------------------------------
# Helpers: read the gradient the loop used back from one update
# ---------------------------------------------------------------------------


def one_step_gradient(fit, *args, lr=1e-3, **kwargs):
    """Run one update; the step taken was -lr * grad, so grad = (start - end) / lr."""
    p0, q0, hist = fit(*args, lr=lr, steps=0, **kwargs)
    p1, q1, _ = fit(*args, lr=lr, steps=1, **kwargs)
    return (p0 - p1) / lr, (q0 - q1) / lr, hist


# ---------------------------------------------------------------------------
# Linear regression
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def houses():
    X, y = data.house_prices()
    z, mean, std = data.standardize(X)
    return z, y / 1000.0, mean, std  # standardised size, price in $1000s


@pytest.mark.parametrize(
    ("loss", "lr", "steps", "floor"),
    [
        # The noise is N(0, 25^2) in $1000s, so at the true line the mean losses are about
        # MSE 25^2 = 625, MAE 25 * sqrt(2 / pi) = 19.9 and, with delta = 50 (twice the noise
        # sd, mostly quadratic), Huber ~ 0.5 * 625 = 312. The bounds leave room for sampling.
        ("mse", 0.1, 100, 700.0),
        ("mae", 10.0, 200, 25.0),
        ("huber", 1.0, 200, 400.0),
    ],
)
def test_fit_linear_decreases_loss_and_finds_the_slope(houses, loss, lr, steps, floor):
    z, y, mean, std = houses
    w, b, hist = training.fit_linear(z, y, loss=loss, delta=50.0, lr=lr, steps=steps)
    assert hist.loss.shape == (steps + 1,) and hist.w.shape == (steps + 1,)
    assert hist.accuracy is None
    # From w = b = 0 every prediction is $0 for prices around $440k: the first loss is
    # large (MSE ~ 440^2 ~ 2e5); the last is down at the noise level.
    assert hist.loss[0] > 10 * floor
    assert hist.loss[-1] < floor
    assert hist.w[-1] == w and hist.b[-1] == b
    # Back in original units: 3.0 k$ per m^2 (the data's slope), within 0.3.
    assert abs(w / std - 3.0) < 0.3


def test_mse_line_moves_with_outliers_mae_and_huber_much_less():
    # Three +$1M typos on the three largest houses.
    X, y = data.house_prices(n_outliers=3, outlier_size=1_000_000.0)
    z, mean, std = data.standardize(X)
    slopes = {}
    for loss, lr in [("mse", 0.1), ("mae", 10.0), ("huber", 1.0)]:
        w, _, _ = training.fit_linear(z, y / 1000, loss=loss, delta=50.0, lr=lr, steps=200)
        slopes[loss] = float(w / std)
    # Measured: MSE 5.18 k$/m^2, MAE 3.23, Huber 3.24 (clean data: 3.09; truth 3.0).
    assert slopes["mse"] > 4.5
    assert abs(slopes["mae"] - 3.0) < 0.4 and abs(slopes["huber"] - 3.0) < 0.4


def test_fit_linear_mse_converges_to_least_squares(houses):
    z, y, _, _ = houses
    w, b, hist = training.fit_linear(z, y, lr=0.1, steps=300)
    # For standardised z the least-squares solution is w = cov(z, y), b = mean(y), and
    # gradient descent contracts the error by (1 - 2 * 0.1) = 0.8 per step: 0.8^300 ~ 1e-29.
    assert w == pytest.approx(np.mean(z * y))
    assert b == pytest.approx(np.mean(y))
    assert hist.grad_norm[-1] < 1e-10 * hist.grad_norm[0]


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_fit_linear_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3))
    y = rng.normal(size=12)
    w0, b0 = np.array([0.3, -0.2, 0.5]), 0.1
    loss_fn = {"mse": lv.mse, "mae": lv.mae, "huber": lambda a, t: lv.huber(a, t, delta=0.5)}[loss]

    def mean_loss(theta):
        return loss_fn(X @ theta[:3] + theta[3], y)

    dw, db, hist = one_step_gradient(training.fit_linear, X, y, loss=loss, delta=0.5, w0=w0, b0=b0)
    numeric = lv.numerical_grad(mean_loss, np.append(w0, b0))
    assert np.concatenate([dw, [db]]) == pytest.approx(numeric, rel=1e-5, abs=1e-8)
    assert hist.grad_norm[0] == pytest.approx(np.linalg.norm(numeric), rel=1e-5)
    assert hist.loss[0] == pytest.approx(mean_loss(np.append(w0, b0)))


def test_fit_linear_one_feature_vector_gives_scalar_weight():
    w, b, _ = training.fit_linear([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], lr=0.1, steps=500)
    assert w.shape == () and b.shape == ()
    assert float(w) == pytest.approx(2.0) and float(b) == pytest.approx(1.0)  # y = 2x + 1


def test_fit_linear_does_not_modify_the_start():
    w0 = np.array([1.0, 2.0])
    training.fit_linear(np.eye(2), [0.0, 0.0], w0=w0, steps=5)
    assert w0.tolist() == [1.0, 2.0]


# ---------------------------------------------------------------------------
# Logistic regression: cross-entropy vs MSE through the sigmoid
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_fit_logistic_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(10, 2))
    y = (rng.random(10) < 0.5).astype(float)
    w0, b0 = np.array([0.7, -1.2]), 0.4

    def mean_loss(theta):
        z = X @ theta[:2] + theta[2]
        if loss == "cross_entropy":
            return lv.binary_cross_entropy_with_logits(z, y)
        return lv.mse(lv.sigmoid(z), y)

    dw, db, hist = one_step_gradient(training.fit_logistic, X, y, loss=loss, w0=w0, b0=b0)
    numeric = lv.numerical_grad(mean_loss, np.append(w0, b0))
    assert np.concatenate([dw, [db]]) == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    assert hist.loss[0] == pytest.approx(mean_loss(np.append(w0, b0)))


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_fit_logistic_decreases_loss_from_zero(loss):
    x, y = data.two_class_1d()
    _, _, hist = training.fit_logistic(x, y, loss=loss)
    # At w = b = 0 every p is 0.5: CE = log 2 = 0.6931, MSE = 0.5^2 = 0.25.
    assert hist.loss[0] == pytest.approx(np.log(2.0) if loss == "cross_entropy" else 0.25)
    assert hist.loss[-1] < 0.6 * hist.loss[0]
    assert hist.accuracy[-1] >= 0.9


def test_cross_entropy_beats_mse_from_the_confidently_wrong_start():
    x, y = data.two_class_1d()
    start = training.CONFIDENTLY_WRONG  # w0 = -3, b0 = 0: the weight points the wrong way
    # A positive at the class mean x = +1.5 gets p = sigmoid(-4.5) = 0.011.
    assert lv.sigmoid(start["w0"] * 1.5 + start["b0"]) == pytest.approx(0.0110, abs=5e-5)
    _, _, ce = training.fit_logistic(x, y, loss="cross_entropy", **start)
    _, _, ms = training.fit_logistic(x, y, loss="mse", **start)
    # Same start: 5% of the 100 points are right (the 5 on the wrong side of 0).
    assert ce.accuracy[0] == ms.accuracy[0] == 0.05
    # The logit gradient is (p - y) for CE but 2 (p - y) p (1 - p) for MSE: at p = 0.011,
    # y = 1 that is -0.989 vs -0.0215, so CE's first step is far larger.
    assert ce.grad_norm[0] > 10 * ms.grad_norm[0]
    # Measured with lr = 0.5: CE reaches 90% accuracy after 5 steps, MSE after 60.
    assert training.steps_to_accuracy(ce, 0.9) == 5
    assert training.steps_to_accuracy(ms, 0.9) == 60
    # ... and 95% after 6 steps vs 60 (the accuracy jumps when w changes sign).
    assert training.steps_to_accuracy(ce, 0.95) == 6
    assert training.steps_to_accuracy(ms, 0.95) == 60


def test_cross_entropy_beats_mse_for_every_seed():
    # Not an accident of seed 0: 10x fewer steps to 90% on every one of 10 data sets.
    for seed in range(10):
        x, y = data.two_class_1d(seed=seed)
        runs = [training.fit_logistic(x, y, loss=name, steps=70, **training.CONFIDENTLY_WRONG)[2]
                for name in ("cross_entropy", "mse")]
        ce_steps, mse_steps = (training.steps_to_accuracy(h, 0.9) for h in runs)
        # None: MSE has not reached 90% within the 70 steps.
        assert ce_steps <= 6 and (mse_steps is None or mse_steps >= 50), (seed, ce_steps, mse_steps)


def test_fit_logistic_same_start_same_history():
    x, y = data.two_class_1d(seed=5)
    a = training.fit_logistic(x, y, loss="mse", steps=30)[2]
    b = training.fit_logistic(x, y, loss="mse", steps=30)[2]
    for field in ("loss", "grad_norm", "accuracy", "w", "b"):
        assert np.array_equal(getattr(a, field), getattr(b, field))
    x2, y2 = data.two_class_1d(seed=6)
    c = training.fit_logistic(x2, y2, loss="mse", steps=30)[2]
    assert not np.array_equal(a.loss, c.loss)


# ---------------------------------------------------------------------------
# Softmax regression
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_fit_softmax_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(9, 2))
    y = np.arange(9) % 3
    W0, b0 = rng.normal(size=(2, 3)), rng.normal(size=3)
    Y = np.eye(3)[y]

    def mean_loss(theta):
        Z = X @ theta[:6].reshape(2, 3) + theta[6:]
        if loss == "cross_entropy":
            return lv.cross_entropy(Z, y)
        return lv.mse(lv.softmax(Z, axis=1), Y)

    dW, db, _ = one_step_gradient(training.fit_softmax, X, y, loss=loss, W0=W0, b0=b0)
    numeric = lv.numerical_grad(mean_loss, np.concatenate([W0.ravel(), b0]))
    assert np.concatenate([dW.ravel(), db]) == pytest.approx(numeric, rel=1e-5, abs=1e-9)


def test_softmax_cross_entropy_beats_mse_from_the_confidently_wrong_start():
    X, y, _ = data.cat_dog_bird()
    W0 = training.CONFIDENTLY_WRONG_SOFTMAX["W0"]
    # At the "cat" centre (0, 2.5) the logits are 2.5 * W0[1] = (-2.5, 1.25, 1.25):
    # p(cat) = e^-2.5 / (e^-2.5 + 2 e^1.25) = 0.0116.
    assert lv.softmax(np.array([0.0, 2.5]) @ W0)[0] == pytest.approx(0.0116, abs=1e-4)
    _, _, ce = training.fit_softmax(X, y, loss="cross_entropy", W0=W0)
    _, _, ms = training.fit_softmax(X, y, loss="mse", W0=W0)
    assert ce.accuracy[0] == ms.accuracy[0] == 0.0  # every point starts out wrong
    # Measured with lr = 0.5: 90% accuracy after 2 steps with CE, 27 with MSE.
    assert training.steps_to_accuracy(ce, 0.9) == 2
    assert training.steps_to_accuracy(ms, 0.9) == 27
    assert ce.loss[-1] < 0.1 * ce.loss[0] and ms.loss[-1] < 0.1 * ms.loss[0]
    assert W0.flags.writeable is False


def test_fit_softmax_history_shapes():
    X, y, _ = data.cat_dog_bird(30)
    W, b, hist = training.fit_softmax(X, y, steps=7)
    assert W.shape == (2, 3) and b.shape == (3,)
    assert hist.w.shape == (8, 2, 3) and hist.b.shape == (8, 3) and hist.steps == 7
    assert hist.loss[0] == pytest.approx(np.log(3.0))  # zero logits: uniform over 3 classes


# ---------------------------------------------------------------------------
# Character bigram model
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alice():
    text = data.load_text()
    vocab = data.char_vocab(text)
    ids = data.encode(text, vocab)
    W, hist = training.fit_bigram(ids, len(vocab))
    return text, vocab, ids, W, hist


def test_bigram_beats_the_uniform_baseline(alice):
    _, vocab, ids, W, hist = alice
    V = len(vocab)
    # Zero logits = uniform over V = 59 characters: loss log 59 = 4.0775, perplexity 59.
    assert hist.loss[0] == pytest.approx(np.log(V), abs=1e-12)
    assert training.perplexity(hist.loss[0]) == pytest.approx(V)
    # Measured: 100 steps at lr 50 give 2.4325 nats, perplexity exp(2.4325) = 11.39.
    assert hist.loss[-1] == pytest.approx(2.4325, abs=5e-4)
    assert hist.loss[-1] < np.log(V) - 1.5
    assert training.perplexity(hist.loss[-1]) == pytest.approx(np.exp(hist.loss[-1]))
    assert training.perplexity(hist.loss[-1]) < 12.0
    assert np.all(np.diff(hist.loss) < 0)  # strictly decreasing at this learning rate


def test_bigram_pair_counting_equals_the_position_by_position_loss(alice):
    _, _, ids, W, hist = alice
    # The loop groups identical (current, next) pairs; the plain mean over all 11,264
    # positions (bigram_loss) must give the same number.
    assert hist.loss[-1] == pytest.approx(training.bigram_loss(W, ids), rel=1e-12)


def test_gradient_descent_heads_for_the_counting_solution(alice):
    _, vocab, ids, _, hist = alice
    V = len(vocab)
    W_count = training.bigram_count_logits(ids, V, smoothing=1e-6)
    floor = training.bigram_loss(W_count, ids)
    # Measured: the counting (maximum-likelihood) table scores 2.3364 nats, perplexity
    # 10.34; 100 steps of gradient descent reach 2.4325, between it and log 59 = 4.0775.
    assert floor == pytest.approx(2.3364, abs=5e-4)
    assert floor < hist.loss[-1] < np.log(V)
    # It is the minimum: the full-batch gradient there vanishes (up to the smoothing).
    _, at_floor = training.fit_bigram(ids, V, steps=0, W0=W_count)
    assert at_floor.grad_norm[0] < 1e-5 < hist.grad_norm[-1]
    with pytest.raises(ValueError, match="smoothing must be > 0"):
        training.bigram_count_logits(ids, V, smoothing=0.0)


def test_bigram_gradient_matches_finite_differences():
    ids = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0])
    rng = np.random.default_rng(3)
    W0 = rng.normal(size=(3, 3))
    lr = 1e-3
    W1, _ = training.fit_bigram(ids, 3, lr=lr, steps=1, W0=W0)
    numeric = lv.numerical_grad(lambda W: training.bigram_loss(W.reshape(3, 3), ids), W0.ravel())
    assert ((W0 - W1) / lr).ravel() == pytest.approx(numeric, rel=1e-5, abs=1e-9)


def test_sample_bigram_uses_the_vocabulary_and_is_seeded(alice):
    _, vocab, _, W, _ = alice
    start = vocab.index("T")
    a = training.sample_bigram(W, start, 200, seed=0)
    b = training.sample_bigram(W, start, 200, seed=0)
    c = training.sample_bigram(W, start, 200, seed=1)
    assert a.shape == (200,) and a.dtype == np.int64
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    text = data.decode(a, vocab)
    assert set(text) <= set(vocab)
    # A trained model writes mostly letters and spaces; uniform sampling would give
    # letters (52 of 59 symbols... here 46 letters + space = 47/59 = 80%) less reliably.
    assert text.count(" ") > 20  # space is the most common character (about 1 in 5)


def test_sample_bigram_follows_a_deterministic_table():
    W = np.full((3, 3), -50.0)
    W[0, 1] = W[1, 2] = W[2, 0] = 50.0
    assert training.sample_bigram(W, 2, 4, seed=9).tolist() == [0, 1, 2, 0]


# ---------------------------------------------------------------------------
# Helpers and validation
# ---------------------------------------------------------------------------


def test_steps_to_accuracy():
    h = training.History(loss=np.zeros(4), grad_norm=np.zeros(4),
                         accuracy=np.array([0.5, 0.8, 0.95, 0.97]))
    assert training.steps_to_accuracy(h, 0.8) == 1  # reached exactly at step 1
    assert training.steps_to_accuracy(h, 0.9) == 2
    assert training.steps_to_accuracy(h, 0.99) is None
    with pytest.raises(ValueError, match="no accuracy"):
        training.steps_to_accuracy(training.History(np.zeros(2), np.zeros(2)), 0.9)


def test_progress_prints_fixed_lines(capsys):
    training.fit_linear([0.0, 1.0], [1.0, 3.0], steps=20, progress=True)
    lines = capsys.readouterr().out.splitlines()
    # Every steps // 10 = 2 updates, plus the start: steps 0, 2, ..., 20 = 11 lines.
    assert len(lines) == 11
    assert lines[0].startswith("fit_linear: step  0/20  loss ")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: training.fit_linear([1.0, 2.0], [1.0, 2.0], loss="l1"), "loss must be one of"),
        (lambda: training.fit_linear([1.0, 2.0], [1.0, 2.0], lr=0.0), "lr must be a positive"),
        (lambda: training.fit_linear([1.0, 2.0], [1.0, 2.0], steps=-1), "steps must be an int"),
        (lambda: training.fit_linear([1.0, 2.0], [1.0, 2.0, 3.0]), r"y must have shape \(2,\)"),
        (lambda: training.fit_linear(np.eye(2), [1.0, 2.0], w0=[1.0]), r"w0 must have shape"),
        (lambda: training.fit_logistic([1.0, 2.0], [0.0, 2.0]), "labels 0 or 1"),
        (lambda: training.fit_logistic([1.0, np.nan], [0, 1]), "NaN"),
        (lambda: training.fit_softmax([1.0, 2.0], [0, 1]), r"shape \(n, d\)"),
        (lambda: training.fit_bigram([0, 5], 3), "ids must lie in 0..2"),
        (lambda: training.fit_bigram([0], 3), "at least 2 ids"),
        (lambda: training.sample_bigram(np.zeros((3, 3)), 3, 5), "start must be an id"),
    ],
)
def test_bad_input_is_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()
