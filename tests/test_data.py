"""Tests for lossviz.data: shapes, determinism, documented structure, the shipped text."""

import numpy as np
import pytest

from lossviz import data

# ---------------------------------------------------------------------------
# House prices
# ---------------------------------------------------------------------------


def test_house_prices_shapes_units_and_trend():
    X, y = data.house_prices()
    assert X.shape == (50,) and y.shape == (50,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    # Sizes are uniform on [50, 200] m^2.
    assert X.min() >= 50.0 and X.max() <= 200.0
    # The fitted line recovers price = 50_000 + 3_000 * size within the noise:
    # slope standard error = 25_000 / (std(X) * sqrt(50)) ~ 25_000 / (43 * 7.1) ~ 80 $/m^2.
    slope, intercept = np.polyfit(X, y, 1)
    assert 2_700.0 < slope < 3_300.0
    # Mean price = 50_000 + 3_000 * mean size, up to the noise (25_000 / sqrt(50) ~ 3_500).
    assert abs(y.mean() - (50_000.0 + 3_000.0 * X.mean())) < 4 * 3_600.0


def test_house_prices_noise_level():
    X, y = data.house_prices(2000, seed=1)
    residual = y - (50_000.0 + 3_000.0 * X)
    # Noise ~ N(0, 25_000^2): the sample std of 2000 draws is within ~2% of 25_000.
    assert 23_500.0 < residual.std() < 26_500.0
    assert abs(residual.mean()) < 2_000.0


def test_house_prices_same_seed_same_data_different_seed_different_data():
    X1, y1 = data.house_prices(seed=3)
    X2, y2 = data.house_prices(seed=3)
    X3, y3 = data.house_prices(seed=4)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3) and not np.array_equal(y1, y3)


def test_house_prices_outliers_sit_on_the_largest_houses():
    X, y = data.house_prices(seed=0)
    X_o, y_o = data.house_prices(n_outliers=3, outlier_size=250_000.0, seed=0)
    # Same houses; only the prices of the 3 largest change, each by exactly +250_000.
    assert np.array_equal(X, X_o)
    largest = np.argsort(X)[-3:]
    diff = y_o - y
    assert np.array_equal(np.flatnonzero(diff), np.sort(largest))
    assert np.all(diff[largest] == 250_000.0)
    assert diff.sum() == 3 * 250_000.0


def test_house_prices_negative_outliers_and_zero_outliers():
    X, y = data.house_prices(10, seed=2)
    _, y0 = data.house_prices(10, n_outliers=0, outlier_size=1e9, seed=2)
    assert np.array_equal(y, y0)  # outlier_size is ignored without outliers
    _, y_neg = data.house_prices(10, n_outliers=1, outlier_size=-100_000.0, seed=2)
    assert (y_neg - y).sum() == -100_000.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 0}, ValueError, "n must be >= 1"),
        ({"n": 2.5}, TypeError, "n must be an int"),
        ({"n": 5, "n_outliers": 6}, ValueError, "n_outliers must be <= n = 5"),
        ({"n_outliers": -1}, ValueError, "n_outliers must be >= 0"),
    ],
)
def test_house_prices_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.house_prices(**kwargs)


def test_standardize():
    z, mean, std = data.standardize([1.0, 2.0, 3.0])
    # mean 2, population std sqrt(((1-2)^2 + 0 + (3-2)^2) / 3) = sqrt(2/3) = 0.8165
    assert mean == 2.0
    assert std == pytest.approx(np.sqrt(2.0 / 3.0))
    assert z == pytest.approx([-1.0 / np.sqrt(2.0 / 3.0), 0.0, 1.0 / np.sqrt(2.0 / 3.0)])
    Z, means, stds = data.standardize(np.array([[1.0, 10.0], [3.0, 30.0]]))
    assert np.array_equal(means, [2.0, 20.0]) and np.array_equal(stds, [1.0, 10.0])
    assert np.array_equal(Z, [[-1.0, -1.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match="constant column"):
        data.standardize([5.0, 5.0])
    with pytest.raises(ValueError, match="shape"):
        data.standardize([1.0])


# ---------------------------------------------------------------------------
# Classification sets
# ---------------------------------------------------------------------------


def test_two_class_balanced_and_centred():
    X, y = data.two_class()
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.dtype == np.int64 and y.tolist()[:4] == [0, 1, 0, 1]
    assert np.bincount(y).tolist() == [100, 100]
    # Centres at -/+ (3 / 2) * (1, 1) / sqrt(2) = -/+ (1.0607, 1.0607); the mean of 100
    # unit-variance points is within 0.1 * 4 = 0.4 of its centre.
    c = 1.5 / np.sqrt(2.0)
    assert np.all(np.abs(X[y == 0].mean(axis=0) + c) < 0.4)
    assert np.all(np.abs(X[y == 1].mean(axis=0) - c) < 0.4)


def test_two_class_1d_balanced_and_centred():
    x, y = data.two_class_1d()
    assert x.shape == (100,) and y.shape == (100,)
    assert np.bincount(y).tolist() == [50, 50]
    # Means -1.5 and +1.5; standard error 1 / sqrt(50) = 0.14, so within 0.5.
    assert abs(x[y == 0].mean() + 1.5) < 0.5 and abs(x[y == 1].mean() - 1.5) < 0.5
    x_far, _ = data.two_class_1d(separation=10.0)
    assert x_far[y == 1].min() > x_far[y == 0].max()  # 10 sd apart: no overlap here


def test_cat_dog_bird():
    X, y, names = data.cat_dog_bird()
    assert names == ("cat", "dog", "bird") == data.CAT_DOG_BIRD
    assert X.shape == (150, 2) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [50, 50, 50]
    # The "cat" centre is (0, 2.5), "dog" (-2.165, -1.25), "bird" (2.165, -1.25)
    # (2.5 * (cos, sin) of 90, 210, 330 degrees); means of 50 points are within 0.6.
    centres = np.array([[0.0, 2.5], [-2.5 * np.sqrt(3) / 2, -1.25], [2.5 * np.sqrt(3) / 2, -1.25]])
    for k in range(3):
        assert np.all(np.abs(X[y == k].mean(axis=0) - centres[k]) < 0.6)


@pytest.mark.parametrize("make", [data.two_class, data.two_class_1d, data.cat_dog_bird])
def test_classification_sets_deterministic(make):
    a, b, c = make(seed=7), make(seed=7), make(seed=8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


# ---------------------------------------------------------------------------
# Shipped text and character vocabulary
# ---------------------------------------------------------------------------


def test_load_text_is_the_shipped_chapter():
    text = data.load_text()
    assert text.startswith("CHAPTER I.\nDown the Rabbit-Hole\n\n\nAlice was beginning to get")
    assert text.rstrip().endswith("So she set to work, and very soon finished off the cake.")
    assert text.isascii()
    assert len(text) == 11_265  # the body of lossviz/_text/alice_ch1.txt, header excluded
    assert "public domain" not in text  # the source header is not part of the text


def test_text_file_header_names_source_and_public_domain():
    from importlib import resources

    raw = resources.files("lossviz").joinpath("_text").joinpath("alice_ch1.txt").read_bytes()
    header = raw.split(b"\n", 1)[0].decode("ascii")
    assert "Lewis Carroll" in header and "1865" in header and "public domain" in header
    assert len(raw) < 20_000  # small enough to ship


def test_load_text_bad_name():
    with pytest.raises(ValueError, match="name must be one of"):
        data.load_text("hamlet")


def test_char_vocab_encode_decode():
    text = data.load_text()
    vocab = data.char_vocab(text)
    assert vocab == sorted(set(text)) and len(vocab) == 59
    assert vocab[0] == "\n" and vocab[1] == " "  # sorted by code point: "\n" (10), " " (32)
    ids = data.encode(text, vocab)
    assert ids.dtype == np.int64 and ids.shape == (len(text),)
    assert ids.min() == 0 and ids.max() == 58
    assert data.decode(ids, vocab) == text
    assert data.encode("hello", data.char_vocab("hello")).tolist() == [1, 0, 2, 2, 3]


def test_encode_refuses_unknown_characters():
    with pytest.raises(ValueError, match="not in vocab"):
        data.encode("hex", data.char_vocab("hello"))
    with pytest.raises(ValueError, match="non-empty str"):
        data.char_vocab("")
