"""Small data sets for the lossviz notebooks, generated with a fixed seed.

Everything here is deterministic given ``seed`` (``np.random.default_rng(seed)``) and
nothing is downloaded: the synthetic sets are drawn from a few lines of numpy, and the
text for the next-token notebook ships inside the package (``lossviz/_text/``).

=====================  ==================================================  ===========
function               what                                                notebooks
=====================  ==================================================  ===========
``house_prices``       size (m^2) -> price ($), a line plus noise;          01, 05, 06
                       optional outliers
``standardize``        z-scores, so one learning rate suits every feature  01, 05
``two_class``          2-D two-class blobs (labels 0/1)                     04
``two_class_1d``       1-D two-class data for the (w, b) logistic           04
                       landscape and the confidently-wrong start
``imbalanced_two_class`` 2-D blobs where label 1 is rare (e.g. 5%)         10
``cat_dog_bird``       2-D three-class toy set with class names             02, 04
``load_text``          opening chapter of "Alice's Adventures in            07
                       Wonderland" (Lewis Carroll, 1865; public domain)
``char_vocab``,        character vocabulary, text <-> integer ids           07
``encode``, ``decode``
``split_held_out``     a sequence -> training part, held-out last part      07
``noisy_line``         a line whose noise grows with x (heteroscedastic)    11
=====================  ==================================================  ===========
"""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = [
    "CAT_DOG_BIRD",
    "cat_dog_bird",
    "char_vocab",
    "decode",
    "encode",
    "house_prices",
    "imbalanced_two_class",
    "load_text",
    "noisy_line",
    "split_held_out",
    "standardize",
    "two_class",
    "two_class_1d",
]

#: Class names of :func:`cat_dog_bird`, indexed by label.
CAT_DOG_BIRD = ("cat", "dog", "bird")

# The house-price model: price = HOUSE_BASE + HOUSE_SLOPE * size + noise.
HOUSE_BASE = 50_000.0  # dollars
HOUSE_SLOPE = 3_000.0  # dollars per square metre
HOUSE_NOISE = 25_000.0  # dollars, standard deviation of the noise
HOUSE_SIZE_RANGE = (50.0, 200.0)  # square metres

_TEXTS = {"alice": "alice_ch1.txt"}


def _check_count(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def house_prices(n=50, *, n_outliers=0, outlier_size=300_000.0, seed=0):
    """House sizes and prices: a clear linear trend plus noise, optionally with outliers.

    Parameters
    ----------
    n : int, default 50
        Number of houses.
    n_outliers : int, default 0
        How many prices to corrupt (0 <= n_outliers <= n).
    outlier_size : float, default 300_000.0
        Dollars added to each corrupted price (negative values subtract).
    seed : int, default 0
        Seed for ``np.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n,), float64
        Living area in square metres, uniform on [50, 200].
    y : ndarray of shape (n,), float64
        Price in dollars: ``50_000 + 3_000 * X + noise`` with noise ~ N(0, 25_000^2),
        so a 120 m^2 house costs about $410,000 on average.

    Notes
    -----
    The outliers are placed on the ``n_outliers`` *largest* houses (the last entries of
    ``np.argsort(X)``), whose prices get ``outlier_size`` added, like a typo that
    adds a digit to the most expensive listings. Far from the mean size, they have the
    most leverage on a fitted line. The clean data do not depend on ``n_outliers`` or
    ``outlier_size``: for the same seed, only those prices change.

    Examples
    --------
    >>> X, y = house_prices(5, seed=0)
    >>> X.shape, y.dtype
    ((5,), dtype('float64'))
    >>> X_out, y_out = house_prices(5, n_outliers=1, outlier_size=100_000.0, seed=0)
    >>> bool((X_out == X).all()), float((y_out - y).sum())
    (True, 100000.0)
    """
    n = _check_count("n", n, 1)
    n_outliers = _check_count("n_outliers", n_outliers, 0)
    if n_outliers > n:
        raise ValueError(f"n_outliers must be <= n = {n}, got {n_outliers}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(*HOUSE_SIZE_RANGE, size=n)
    y = HOUSE_BASE + HOUSE_SLOPE * X + rng.normal(0.0, HOUSE_NOISE, size=n)
    if n_outliers:
        largest = np.argsort(X)[n - n_outliers :]
        y[largest] += float(outlier_size)
    return X, y


def standardize(x):
    """Rescale to mean 0 and standard deviation 1 (per column for 2-D input).

    Gradient descent with one learning rate works badly when features live on very
    different scales (square metres ~ 100 next to an intercept ~ 1); z-scores fix that.

    Parameters
    ----------
    x : array_like of shape (n,) or (n, d)

    Returns
    -------
    z : ndarray, same shape as ``x``
        ``(x - mean) / std``.
    mean, std : float or ndarray of shape (d,)
        To map back: a line ``w * z + b`` fitted on ``z`` is
        ``(w / std) * x + (b - w * mean / std)`` in the original units.

    Examples
    --------
    >>> z, mean, std = standardize([1.0, 2.0, 3.0])
    >>> z.round(4).tolist(), float(mean), round(float(std), 4)
    ([-1.2247, 0.0, 1.2247], 2.0, 0.8165)
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim not in (1, 2) or x.shape[0] < 2:
        raise ValueError(f"x must have shape (n,) or (n, d) with n >= 2, got {x.shape}")
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    if np.any(std == 0):
        raise ValueError("x has a constant column (std 0); it cannot be standardised")
    return (x - mean) / std, mean, std


def _balanced_labels(n, n_classes):
    # Classes in turn (0, 1, 2, 0, 1, 2, ...): counts differ by at most one.
    return np.arange(n) % n_classes


def two_class(n=200, *, separation=3.0, seed=0):
    """Two Gaussian blobs in 2-D, labels 0 and 1 taken in turn.

    Parameters
    ----------
    n : int, default 200
        Number of points; class ``i % 2`` for point ``i``, so the classes are balanced.
    separation : float, default 3.0
        Distance between the two centres, in units of the blobs' standard deviation (1).
    seed : int, default 0

    Returns
    -------
    X : ndarray of shape (n, 2), float64
        Class 0 centred at ``-(separation / 2) * (1, 1) / sqrt(2)``, class 1 at the
        opposite point, each with identity covariance.
    y : ndarray of shape (n,), int64
        Labels in {0, 1}.

    Examples
    --------
    >>> X, y = two_class(6)
    >>> X.shape, y.tolist()
    ((6, 2), [0, 1, 0, 1, 0, 1])
    """
    n = _check_count("n", n, 2)
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2)
    direction = np.array([1.0, 1.0]) / np.sqrt(2.0)
    centres = np.array([-direction, direction]) * (separation / 2.0)
    X = centres[y] + rng.normal(size=(n, 2))
    return X, y


def two_class_1d(n=100, *, separation=3.0, seed=0):
    """Two classes on a line: x ~ N(-separation/2, 1) for class 0, N(+separation/2, 1) for 1.

    A logistic model ``p = sigmoid(w * x + b)`` has just two parameters here, so its loss
    can be drawn as a landscape over (w, b).

    Parameters
    ----------
    n : int, default 100
        Number of points; class ``i % 2`` for point ``i``.
    separation : float, default 3.0
        Distance between the class means, in standard deviations.
    seed : int, default 0

    Returns
    -------
    x : ndarray of shape (n,), float64
    y : ndarray of shape (n,), int64
        Labels in {0, 1}.

    Examples
    --------
    >>> x, y = two_class_1d(4)
    >>> x.shape, y.tolist()
    ((4,), [0, 1, 0, 1])
    """
    n = _check_count("n", n, 2)
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2)
    x = (y - 0.5) * separation + rng.normal(size=n)
    return x, y


def imbalanced_two_class(n=1000, *, positive_rate=0.05, separation=2.5, seed=0):
    """Two Gaussian blobs in 2-D where the positive class (label 1) is rare.

    The geometry of :func:`two_class` (centres ``separation`` apart along the diagonal, unit
    variance), but only ``round(n * positive_rate)`` of the ``n`` points are positive, placed
    at random positions in the array: a fraud, disease or defect detector's data.

    Parameters
    ----------
    n : int, default 1000
        Number of points.
    positive_rate : float, default 0.05
        Fraction of positives, strictly between 0 and 1; the count ``round(n * positive_rate)``
        must leave at least one point of each class.
    separation : float, default 2.5
        Distance between the two centres, in standard deviations (> 0).
    seed : int, default 0
        Seed for ``np.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), int64
        Labels in {0, 1}; exactly ``round(n * positive_rate)`` ones.

    Examples
    --------
    >>> X, y = imbalanced_two_class(200, positive_rate=0.1)
    >>> X.shape, int(y.sum())
    ((200, 2), 20)
    """
    fn = "imbalanced_two_class"
    n = _check_count("n", n, 2)
    if isinstance(positive_rate, bool) or not isinstance(positive_rate, (int, float)) \
            or not 0 < positive_rate < 1:
        raise ValueError(f"{fn}: positive_rate must be a fraction strictly between 0 and 1, "
                         f"got {positive_rate!r}")
    n_pos = int(round(n * positive_rate))
    if not 1 <= n_pos <= n - 1:
        raise ValueError(f"{fn}: n = {n} with positive_rate = {positive_rate!r} gives {n_pos} "
                         f"positives and {n - n_pos} negatives; both classes need at least one "
                         f"point: raise n or move positive_rate away from 0 and 1")
    if isinstance(separation, bool) or not isinstance(separation, (int, float)) \
            or not (np.isfinite(separation) and separation > 0):
        raise ValueError(f"{fn}: separation must be a finite number > 0, got {separation!r}")
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.array([0, 1], dtype=np.int64), [n - n_pos, n_pos]))
    direction = np.array([1.0, 1.0]) / np.sqrt(2.0)
    centres = np.array([-direction, direction]) * (separation / 2.0)
    X = centres[y] + rng.normal(size=(n, 2))
    return X, y


def cat_dog_bird(n=150, *, spread=1.0, seed=0):
    """A three-class 2-D toy set: "cat", "dog" and "bird" clusters.

    Parameters
    ----------
    n : int, default 150
        Number of points; class ``i % 3`` for point ``i``.
    spread : float, default 1.0
        Standard deviation of each cluster (the centres are 2.5 from the origin,
        120 degrees apart, so the default leaves a little overlap).
    seed : int, default 0

    Returns
    -------
    X : ndarray of shape (n, 2), float64
        Two made-up features.
    y : ndarray of shape (n,), int64
        Class indices in {0, 1, 2}.
    names : tuple of str
        ``("cat", "dog", "bird")``: ``names[y[i]]`` is the class of point ``i``.

    Examples
    --------
    >>> X, y, names = cat_dog_bird(6)
    >>> X.shape, [names[k] for k in y[:3]]
    ((6, 2), ['cat', 'dog', 'bird'])
    """
    n = _check_count("n", n, 3)
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 3)
    angles = np.deg2rad([90.0, 210.0, 330.0])
    centres = 2.5 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    X = centres[y] + spread * rng.normal(size=(n, 2))
    return X, y, CAT_DOG_BIRD


def load_text(name="alice"):
    """A small public-domain text shipped with lossviz (nothing is downloaded).

    Parameters
    ----------
    name : {"alice"}
        ``"alice"``: Chapter I, "Down the Rabbit-Hole", of Lewis Carroll's "Alice's
        Adventures in Wonderland" (1865), in the public domain; plain ASCII, with straight
        quotes, "--" for dashes and the italics marks dropped. About 11,000 characters.

    Returns
    -------
    str
        The text, without the file's one-line source header.

    Examples
    --------
    >>> text = load_text()
    >>> text[:39]
    'CHAPTER I.\\nDown the Rabbit-Hole\\n\\n\\nAlice'
    """
    if name not in _TEXTS:
        raise ValueError(f"name must be one of {sorted(_TEXTS)}, got {name!r}")
    path = resources.files("lossviz").joinpath("_text").joinpath(_TEXTS[name])
    raw = path.read_text(encoding="ascii")
    _header, _blank, body = raw.partition("\n\n")
    return body


def char_vocab(text):
    """The sorted list of distinct characters in ``text``: id ``i`` is ``vocab[i]``.

    Examples
    --------
    >>> char_vocab("hello")
    ['e', 'h', 'l', 'o']
    """
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty str")
    return sorted(set(text))


def encode(text, vocab):
    """Characters -> integer ids (positions in ``vocab``).

    Examples
    --------
    >>> encode("hello", char_vocab("hello")).tolist()
    [1, 0, 2, 2, 3]
    """
    index = {ch: i for i, ch in enumerate(vocab)}
    missing = sorted(set(text) - index.keys())
    if missing:
        raise ValueError(f"text has characters not in vocab: {missing[:10]!r}")
    return np.fromiter((index[ch] for ch in text), dtype=np.int64, count=len(text))


def decode(ids, vocab):
    """Integer ids -> characters, the inverse of :func:`encode`.

    Examples
    --------
    >>> vocab = char_vocab("hello")
    >>> decode(encode("hole", vocab), vocab)
    'hole'
    """
    return "".join(vocab[int(i)] for i in np.asarray(ids).ravel())


def split_held_out(ids, *, held_out=0.2):
    """Split a sequence into a training part and a held-out last part, without shuffling.

    A language model is scored on text it was not trained on. For a text the usual split is
    contiguous: the first ``1 - held_out`` of the sequence trains the model and the last
    ``held_out`` tests it, so no test context is seen in training.

    Parameters
    ----------
    ids : array_like of int, shape (N,)
        The sequence, e.g. ``encode(text, vocab)``.
    held_out : float, default 0.2
        Fraction of the sequence kept for testing, strictly between 0 and 1.

    Returns
    -------
    train, test : ndarray
        ``ids[:k]`` and ``ids[k:]`` with ``k = int((1 - held_out) * N)``. The pair that
        straddles the cut (``ids[k - 1]`` followed by ``ids[k]``) belongs to neither part.

    Examples
    --------
    >>> train, test = split_held_out(np.arange(10))
    >>> train.tolist(), test.tolist()
    ([0, 1, 2, 3, 4, 5, 6, 7], [8, 9])
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(f"split_held_out: ids must be a 1-D integer array, got dtype {ids.dtype} "
                         f"and shape {ids.shape}; encode the text first (data.encode)")
    if isinstance(held_out, bool) or not isinstance(held_out, (float, int)) \
            or not 0 < held_out < 1:
        raise ValueError(f"split_held_out: held_out must be a fraction strictly between 0 and 1, "
                         f"got {held_out!r}")
    k = int((1 - held_out) * ids.size)
    if k < 2 or ids.size - k < 2:
        raise ValueError(f"split_held_out: {ids.size} ids split at {k} leave a part with fewer "
                         f"than 2 ids (no next-token pair); use a longer sequence or another "
                         f"held_out")
    return ids[:k], ids[k:]


# ---------------------------------------------------------------------------------------------
# Notebook 11: noise that grows with x
# ---------------------------------------------------------------------------------------------

def _check_real(name, value, fn, *, positive=False):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value):
        raise ValueError(f"{fn}: {name} must be a finite number, got {value!r}")
    if positive and not value > 0:
        raise ValueError(f"{fn}: {name} must be > 0 (a standard deviation), got {value!r}")
    return float(value)


def noisy_line(n=200, *, slope=2.0, intercept=1.0, noise=0.5, noise_growth=1.0, seed=0):
    """Points around a line whose noise grows with x: ``y = intercept + slope * x + noise(x)``.

    The noise at ``x`` is Gaussian with standard deviation
    ``sigma(x) = noise * exp(noise_growth * x)``, so ``log sigma(x)^2`` is a line in x,
    ``2 log(noise) + 2 noise_growth * x``: exactly the form a model with a linear log-variance
    head can represent, and its parameters are known.

    Parameters
    ----------
    n : int, default 200
        Number of points.
    slope, intercept : float, default 2.0 and 1.0
        The line the noise is centred on.
    noise : float, default 0.5
        sigma(0), the noise at x = 0 (> 0).
    noise_growth : float, default 1.0
        How fast the noise grows: sigma is multiplied by ``exp(noise_growth)`` per unit of x
        (e^1 = 2.72 by default, so sigma(1) / sigma(-1) = e^2 = 7.39). 0 gives one noise level
        for every x; a negative value makes the noise shrink with x.
    seed : int, default 0
        Seed for ``np.random.default_rng``.

    Returns
    -------
    x : ndarray of shape (n,), float64
        Uniform on [-1, 1].
    y : ndarray of shape (n,), float64
        The targets.

    Examples
    --------
    >>> x, y = noisy_line(4, seed=0)
    >>> x.shape, y.dtype
    ((4,), dtype('float64'))
    >>> x2, y2 = noisy_line(4, noise_growth=0.0, seed=0)   # same x, one noise level
    >>> bool((x2 == x).all())
    True
    """
    fn = "noisy_line"
    n = _check_count("n", n, 1)
    slope = _check_real("slope", slope, fn)
    intercept = _check_real("intercept", intercept, fn)
    noise = _check_real("noise", noise, fn, positive=True)
    noise_growth = _check_real("noise_growth", noise_growth, fn)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=n)
    # standard normal draws scaled afterwards: the same seed gives the same x and the same
    # standardised noise whatever noise and noise_growth are
    y = intercept + slope * x + noise * np.exp(noise_growth * x) * rng.normal(size=n)
    return x, y
