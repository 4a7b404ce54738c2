"""Tiny gradient-descent loops built on lossviz's own losses and gradients (no autograd).

Each ``fit_*`` function writes its forward pass and, right beside it, the backward pass:
the gradient of the mean loss with respect to the model's output comes from the
matching ``*_grad`` function of lossviz, and the chain rule through the model is
written out by hand. Full-batch gradient descent, vectorised with numpy, deterministic
(no randomness at all during training), and small enough to run in well under a second.

Every ``fit_*`` returns the final parameters and a :class:`History`.

Examples
--------
>>> from lossviz import data, training
>>> x, y = data.two_class_1d()
>>> w, b, hist = training.fit_logistic(x, y, lr=1.0, steps=50)
>>> print(f"loss {hist.loss[0]:.4f} -> {hist.loss[-1]:.4f}, accuracy {hist.accuracy[-1]:.2f}")
loss 0.6931 -> 0.1250, accuracy 0.95
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ._checks import check_label_smoothing
from .activations import sigmoid, sigmoid_grad, softmax
from .classification import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
)
from .regression import huber, huber_grad, mae, mae_grad, mse, mse_grad

__all__ = [
    "CONFIDENTLY_WRONG",
    "CONFIDENTLY_WRONG_SOFTMAX",
    "History",
    "bigram_count_logits",
    "bigram_loss",
    "fit_bigram",
    "fit_linear",
    "fit_logistic",
    "fit_softmax",
    "perplexity",
    "sample_bigram",
    "steps_to_accuracy",
]

#: A confidently wrong start for :func:`fit_logistic` on ``data.two_class_1d()``: the
#: weight points the wrong way, so a positive example at the class mean x = +1.5 gets
#: logit -3 * 1.5 + 0 = -4.5, i.e. p = sigmoid(-4.5) = 0.011, and a negative one at
#: x = -1.5 gets p = 0.989. Almost every example starts out confidently wrong.
CONFIDENTLY_WRONG = {"w0": -3.0, "b0": 0.0}

#: A confidently wrong start for :func:`fit_softmax` on ``data.cat_dog_bird()``: each
#: class's weight column points away from its cluster centre (W0 = -0.4 * centres.T, the
#: centres 2.5 from the origin), so a point at its class centre gets logit -2.5 for its
#: own class and +1.25 for the other two: p(true class) = e^-2.5 / (e^-2.5 + 2 e^1.25)
#: = 0.012.
CONFIDENTLY_WRONG_SOFTMAX = {
    "W0": np.array([[0.0, np.sqrt(3) / 2, -np.sqrt(3) / 2], [-1.0, 0.5, 0.5]]),
}
CONFIDENTLY_WRONG_SOFTMAX["W0"].setflags(write=False)


@dataclass
class History:
    """What happened at each step of a gradient-descent run.

    Entry ``t`` describes the parameters *before* update ``t``: entry 0 is the starting
    point and entry ``steps`` the final parameters, so each array has ``steps + 1`` rows.

    Attributes
    ----------
    loss : ndarray of shape (steps + 1,)
        Mean training loss.
    grad_norm : ndarray of shape (steps + 1,)
        Euclidean norm of the gradient over all parameters.
    accuracy : ndarray of shape (steps + 1,) or None
        Fraction of training examples classified correctly (classification only).
    w, b : ndarray or None
        The parameters at each step, stacked along the first axis (for plotting
        gradient-descent paths); None for :func:`fit_bigram`, whose table is large.
    """

    loss: np.ndarray
    grad_norm: np.ndarray
    accuracy: np.ndarray | None = None
    w: np.ndarray | None = None
    b: np.ndarray | None = None

    @property
    def steps(self) -> int:
        """Number of updates made."""
        return len(self.loss) - 1


# ---------------------------------------------------------------------------
# The shared loop
# ---------------------------------------------------------------------------

def _descend(params, loss_and_grads, *, lr, steps, accuracy=None, keep_params=True,
             progress=False, name="fit"):
    """Full-batch gradient descent on the arrays in ``params`` (updated in place).

    ``loss_and_grads(params)`` returns ``(loss, grads)`` with one gradient per parameter;
    ``accuracy(params)`` (optional) returns the training accuracy.
    """
    losses, norms, accs = [], [], []
    trail = [[] for _ in params]
    report_every = max(steps // 10, 1)
    for t in range(steps + 1):
        loss, grads = loss_and_grads(params)
        losses.append(float(loss))
        norms.append(float(np.sqrt(sum(np.sum(g * g) for g in grads))))
        if accuracy is not None:
            accs.append(float(accuracy(params)))
        if keep_params:
            for kept, p in zip(trail, params, strict=True):
                kept.append(p.copy())
        if progress and (t % report_every == 0 or t == steps):
            # Fixed text (no timings), so a notebook's stored output stays reproducible.
            print(f"{name}: step {t:>{len(str(steps))}}/{steps}  loss {loss:.4f}")
        if t == steps:
            break
        for p, g in zip(params, grads, strict=True):
            p -= lr * g
    return History(
        loss=np.array(losses),
        grad_norm=np.array(norms),
        accuracy=np.array(accs) if accuracy is not None else None,
        w=np.array(trail[0]) if keep_params else None,
        b=np.array(trail[1]) if keep_params else None,
    )


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------

def _check_lr_steps(lr, steps, fn):
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"{fn}: lr must be a positive finite number, got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"{fn}: steps must be an int >= 0, got {steps!r}")
    return float(lr), int(steps)


def _check_choice(value, name, choices, fn):
    if value not in choices:
        raise ValueError(f"{fn}: {name} must be one of {choices}, got {value!r}")
    return value


def _features(X, fn):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim not in (1, 2) or X.shape[0] == 0:
        raise ValueError(
            f"{fn}: X must have shape (n,) for one feature or (n, d), got {X.shape}"
        )
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{fn}: X contains NaN or inf")
    return X


def _targets(y, n, fn, *, dtype=np.float64):
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"{fn}: y must have shape ({n},) to match X, got {y.shape}")
    return y.astype(dtype)


def _start(value, shape, name, fn):
    if value is None:
        return np.zeros(shape)
    a = np.array(value, dtype=np.float64)  # a copy: the caller's array is never changed
    if a.shape != shape:
        raise ValueError(f"{fn}: {name} must have shape {shape}, got {a.shape}")
    return a


def _weight_shape(X):
    # One feature given as a vector: a scalar weight, so w * x + b reads like the maths.
    return () if X.ndim == 1 else (X.shape[1],)


def _linear(X, w, b):
    return X * w + b if X.ndim == 1 else X @ w + b


def _back_linear(X, g):
    """Gradients of the mean loss w.r.t. (w, b), given g = d loss / d output (n,)."""
    dw = X @ g if X.ndim == 1 else X.T @ g
    return dw, g.sum()


# ---------------------------------------------------------------------------
# Linear regression: MSE, MAE or Huber
# ---------------------------------------------------------------------------

_REGRESSION = {
    "mse": (mse, mse_grad),
    "mae": (mae, mae_grad),
    "huber": (huber, huber_grad),
}


def fit_linear(X, y, *, loss="mse", delta=1.0, lr=0.1, steps=100, w0=None, b0=0.0,
               progress=False):
    r"""Fit ``y_hat = X @ w + b`` by full-batch gradient descent on MSE, MAE or Huber.

    Parameters
    ----------
    X : array_like of shape (n,) or (n, d)
        Features; a vector means one feature and a scalar weight. Standardise them
        (:func:`lossviz.data.standardize`) so one learning rate suits all parameters.
    y : array_like of shape (n,)
        Targets.
    loss : {"mse", "mae", "huber"}, default "mse"
    delta : float, default 1.0
        Huber's threshold, in the units of ``y`` (ignored for the other losses).
    lr : float, default 0.1
        Learning rate.
    steps : int, default 100
        Number of updates.
    w0 : float or array_like of shape (d,), optional
        Starting weight(s); zeros by default.
    b0 : float, default 0.0
        Starting intercept.
    progress : bool, default False
        Print the loss every ``steps // 10`` updates.

    Returns
    -------
    w : float ndarray of shape () or (d,)
    b : float ndarray of shape ()
    history : History
        Loss, gradient norm and (w, b) at each step.

    Notes
    -----
    With :math:`\hat y = Xw + b` and :math:`g = \partial L / \partial \hat y` from the
    loss's ``*_grad`` (for MSE, :math:`g_i = 2(\hat y_i - y_i)/n`), the chain rule gives

    .. math:: \frac{\partial L}{\partial w} = X^\top g, \qquad
              \frac{\partial L}{\partial b} = \sum_i g_i .

    MAE's gradient is ``sign(y_hat - y) / n`` whatever the size of the miss (Huber's is
    capped at ``delta / n``), so its steps do not shrink with the error: ``lr`` must be
    in the units of ``y`` (with prices in $1000s and standardised sizes, ``lr=10`` for MAE
    and ``lr=1`` for Huber with ``delta=50`` reach the line in 200 steps, where MSE
    needs ``lr=0.1``), and MAE wobbles a little around the optimum.

    Examples
    --------
    >>> from lossviz import data
    >>> X, y = data.house_prices()
    >>> z, mean, std = data.standardize(X)
    >>> w, b, hist = fit_linear(z, y / 1000, lr=0.1, steps=100)   # price in $1000s
    >>> print(f"slope {w / std:.2f} k$/m^2, MSE {hist.loss[0]:.0f} -> {hist.loss[-1]:.0f}")
    slope 3.09 k$/m^2, MSE 210599 -> 621
    """
    fn = "fit_linear"
    lr, steps = _check_lr_steps(lr, steps, fn)
    loss_fn, grad_fn = _REGRESSION[_check_choice(loss, "loss", tuple(_REGRESSION), fn)]
    options = {"delta": delta} if loss == "huber" else {}
    X = _features(X, fn)
    y = _targets(y, X.shape[0], fn)
    w = _start(w0, _weight_shape(X), "w0", fn)
    b = _start(b0, (), "b0", fn)

    def loss_and_grads(params):
        w, b = params
        y_hat = _linear(X, w, b)                      # forward
        g = grad_fn(y_hat, y, **options)              # d loss / d y_hat
        return loss_fn(y_hat, y, **options), _back_linear(X, g)

    hist = _descend([w, b], loss_and_grads, lr=lr, steps=steps, progress=progress, name=fn)
    return w, b, hist


# ---------------------------------------------------------------------------
# Logistic regression: cross-entropy vs MSE through the sigmoid
# ---------------------------------------------------------------------------

def fit_logistic(X, y, *, loss="cross_entropy", lr=0.5, steps=200, w0=None, b0=0.0,
                 weight=None, pos_weight=None, progress=False):
    r"""Fit ``p = sigmoid(X @ w + b)`` to 0/1 labels with cross-entropy or with MSE.

    Parameters
    ----------
    X : array_like of shape (n,) or (n, d)
        Features; a vector means one feature and a scalar weight.
    y : array_like of shape (n,)
        Labels, 0 or 1.
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
        ``"cross_entropy"``: binary cross-entropy on the logits
        (:func:`lossviz.binary_cross_entropy_with_logits`). ``"mse"``: mean squared
        error between ``sigmoid(logits)`` and ``y``.
    lr : float, default 0.5
    steps : int, default 200
    w0 : float or array_like of shape (d,), optional
        Starting weight(s); zeros by default. See :data:`CONFIDENTLY_WRONG`.
    b0 : float, default 0.0
    weight, pos_weight : optional
        Cross-entropy only, passed to :func:`lossviz.binary_cross_entropy_with_logits` (as in
        PyTorch): ``weight`` (n,) multiplies each example's loss; ``pos_weight`` multiplies the
        loss of the positives, e.g. ``n_negative / n_positive`` for a rare positive class.
    progress : bool, default False

    Returns
    -------
    w, b : ndarray
        Final parameters.
    history : History
        Loss, accuracy (prediction ``logit > 0``, i.e. ``p > 0.5``), gradient norm and
        (w, b) at each step.

    Notes
    -----
    With :math:`z = Xw + b` and :math:`p = \sigma(z)`, the gradient of the loss with
    respect to each logit is

    .. math:: \text{cross-entropy: } \frac{p - y}{n}, \qquad
              \text{MSE: } \frac{2(p - y)}{n}\, p(1 - p),

    the second by the chain rule (``mse_grad(p, y) * sigmoid_grad(z)``). The factor
    :math:`p(1-p)` vanishes when the model is confidently wrong (p near 0 with y = 1),
    so MSE learns slowly exactly where it most needs to learn.

    Examples
    --------
    From the confidently wrong start, cross-entropy reaches 90% accuracy first:

    >>> from lossviz import data
    >>> x, y = data.two_class_1d()
    >>> runs = {name: fit_logistic(x, y, loss=name, **CONFIDENTLY_WRONG)[2]
    ...         for name in ("cross_entropy", "mse")}
    >>> {name: steps_to_accuracy(h, 0.9) for name, h in runs.items()}
    {'cross_entropy': 5, 'mse': 60}
    """
    fn = "fit_logistic"
    lr, steps = _check_lr_steps(lr, steps, fn)
    _check_choice(loss, "loss", ("cross_entropy", "mse"), fn)
    X = _features(X, fn)
    y = _targets(y, X.shape[0], fn)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{fn}: y must hold labels 0 or 1")
    w = _start(w0, _weight_shape(X), "w0", fn)
    b = _start(b0, (), "b0", fn)
    weights = {k: v for k, v in (("weight", weight), ("pos_weight", pos_weight)) if v is not None}
    if weights and loss != "cross_entropy":
        raise ValueError(f"{fn}: weight and pos_weight apply to loss='cross_entropy' only")

    def loss_and_grads(params):
        z = _linear(X, *params)                       # forward: logits
        if loss == "cross_entropy":                   # (the weights are validated there)
            value = binary_cross_entropy_with_logits(z, y, **weights)
            g = binary_cross_entropy_with_logits_grad(z, y, **weights)  # (p - y) / n unweighted
        else:
            p = sigmoid(z)
            value = mse(p, y)
            g = mse_grad(p, y) * sigmoid_grad(z)      # chain rule: 2(p - y)/n * p(1 - p)
        return value, _back_linear(X, g)

    def accuracy(params):
        return np.mean((_linear(X, *params) > 0) == (y == 1))

    hist = _descend([w, b], loss_and_grads, lr=lr, steps=steps, accuracy=accuracy,
                    progress=progress, name=fn)
    return w, b, hist


# ---------------------------------------------------------------------------
# Softmax regression: cross-entropy vs MSE on the probabilities
# ---------------------------------------------------------------------------

def fit_softmax(X, y, *, loss="cross_entropy", lr=0.5, steps=200, W0=None, b0=None,
                n_classes=None, label_smoothing=0.0, progress=False):
    r"""Fit ``P = softmax(X @ W + b)`` to class labels with cross-entropy or with MSE.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of int, shape (n,)
        Class indices 0..K-1.
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
        ``"cross_entropy"``: :func:`lossviz.cross_entropy` on the logits. ``"mse"``:
        mean squared error between the softmax probabilities and the one-hot targets,
        averaged over all n * K entries (like ``F.mse_loss``).
    lr : float, default 0.5
    steps : int, default 200
    W0 : array_like of shape (d, K), optional
        Starting weights; zeros by default. See :data:`CONFIDENTLY_WRONG_SOFTMAX`.
    b0 : array_like of shape (K,), optional
        Starting biases; zeros by default.
    n_classes : int, optional
        K; by default ``y.max() + 1``.
    label_smoothing : float in [0, 1], default 0.0
        Cross-entropy only: train against ``(1 - eps) * onehot + eps / K`` instead of
        the one-hot targets (passed to :func:`lossviz.cross_entropy`); the loss recorded
        in the history is the smoothed one.
    progress : bool, default False

    Returns
    -------
    W : ndarray of shape (d, K)
    b : ndarray of shape (K,)
    history : History
        Loss, accuracy (argmax of the logits), gradient norm and (W, b) at each step.

    Notes
    -----
    With :math:`Z = XW + b`, :math:`P = \mathrm{softmax}(Z)` row by row and one-hot
    targets :math:`Y`: cross-entropy gives :math:`\partial L/\partial Z = (P - Y)/n`
    (with label smoothing, :math:`(P - T)/n` for :math:`T = (1-\varepsilon)Y + \varepsilon/K`).
    For MSE, :math:`G = \partial L/\partial P = 2(P - Y)/(nK)`, and the softmax Jacobian
    :math:`\partial p_j/\partial z_k = p_j(\delta_{jk} - p_k)` turns it into

    .. math:: \frac{\partial L}{\partial z_k} = p_k\Big(G_k - \sum_j G_j p_j\Big),

    which, like the binary case, fades as the probabilities saturate.

    Examples
    --------
    >>> from lossviz import data
    >>> X, y, names = data.cat_dog_bird()
    >>> W, b, hist = fit_softmax(X, y, steps=100)
    >>> print(f"loss {hist.loss[0]:.4f} -> {hist.loss[-1]:.4f}, accuracy {hist.accuracy[-1]:.2f}")
    loss 1.0986 -> 0.0504, accuracy 0.99

    From the confidently wrong start, steps to 90% accuracy:

    >>> runs = {name: fit_softmax(X, y, loss=name, **CONFIDENTLY_WRONG_SOFTMAX)[2]
    ...         for name in ("cross_entropy", "mse")}
    >>> {name: steps_to_accuracy(h, 0.9) for name, h in runs.items()}
    {'cross_entropy': 2, 'mse': 27}
    """
    fn = "fit_softmax"
    lr, steps = _check_lr_steps(lr, steps, fn)
    _check_choice(loss, "loss", ("cross_entropy", "mse"), fn)
    eps = check_label_smoothing(label_smoothing, fn)
    if eps and loss != "cross_entropy":
        raise ValueError(f"{fn}: label_smoothing applies to loss='cross_entropy' only, got "
                         f"loss={loss!r}; leave label_smoothing at 0.0 for MSE")
    X = _features(X, fn)
    if X.ndim != 2:
        raise ValueError(f"{fn}: X must have shape (n, d), got {X.shape}")
    y = _targets(y, X.shape[0], fn, dtype=np.int64)
    K = int(y.max()) + 1 if n_classes is None else int(n_classes)
    if y.min() < 0 or y.max() >= K or K < 2:
        raise ValueError(f"{fn}: y must hold class indices 0..{K - 1} with at least 2 classes")
    W = _start(W0, (X.shape[1], K), "W0", fn)
    b = _start(b0, (K,), "b0", fn)
    Y = np.eye(K)[y]                                  # one-hot targets

    def loss_and_grads(params):
        W, b = params
        Z = X @ W + b                                 # forward: logits (n, K)
        if loss == "cross_entropy":
            value = cross_entropy(Z, y, label_smoothing=eps)
            dZ = cross_entropy_grad(Z, y, label_smoothing=eps)    # (P - T) / n
        else:
            P = softmax(Z, axis=1)
            value = mse(P, Y)
            G = mse_grad(P, Y)                        # d loss / d P
            dZ = P * (G - np.sum(G * P, axis=1, keepdims=True))   # softmax Jacobian
        return value, (X.T @ dZ, dZ.sum(axis=0))

    def accuracy(params):
        W, b = params
        return np.mean(np.argmax(X @ W + b, axis=1) == y)

    hist = _descend([W, b], loss_and_grads, lr=lr, steps=steps, accuracy=accuracy,
                    progress=progress, name=fn)
    return W, b, hist


def steps_to_accuracy(history, target):
    """The first step at which the training accuracy reaches ``target``, or None.

    Examples
    --------
    >>> h = History(loss=np.zeros(4), grad_norm=np.zeros(4),
    ...             accuracy=np.array([0.5, 0.8, 0.95, 0.97]))
    >>> steps_to_accuracy(h, 0.9), steps_to_accuracy(h, 0.99)
    (2, None)
    """
    if history.accuracy is None:
        raise ValueError("steps_to_accuracy: this history has no accuracy (a regression run)")
    if not 0 <= target <= 1:
        raise ValueError(f"steps_to_accuracy: target must be in [0, 1], got {target!r}")
    reached = np.flatnonzero(history.accuracy >= target)
    return int(reached[0]) if reached.size else None


# ---------------------------------------------------------------------------
# Character bigram model: next-token prediction with cross-entropy
# ---------------------------------------------------------------------------

def _bigram_ids(ids, vocab_size, fn):
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.size < 2 or ids.dtype.kind not in "iu":
        raise ValueError(f"{fn}: ids must be a 1-D integer array with at least 2 ids")
    if ids.min() < 0 or ids.max() >= vocab_size:
        raise ValueError(f"{fn}: ids must lie in 0..{vocab_size - 1} (vocab_size)")
    return ids[:-1], ids[1:]                          # inputs and next-token targets


def bigram_loss(W, ids):
    """Mean cross-entropy of the bigram logit table ``W`` on a sequence of ids.

    ``W[i, j]`` is the logit of "token j follows token i". A table of zeros predicts
    the uniform distribution and scores exactly ``log(V)``.

    Examples
    --------
    >>> print(f"{bigram_loss(np.zeros((4, 4)), [0, 1, 2, 3]):.4f}, log 4 = {np.log(4):.4f}")
    1.3863, log 4 = 1.3863
    """
    W = np.asarray(W, dtype=np.float64)
    x, t = _bigram_ids(ids, W.shape[0], "bigram_loss")
    return cross_entropy(W[x], t)


def fit_bigram(ids, vocab_size, *, lr=50.0, steps=100, W0=None, progress=False):
    """Train a character bigram model (a V x V table of logits) with cross-entropy.

    Next-token prediction as classification: the current token ``ids[i]`` selects a
    row of logits ``W[ids[i]]``, and the loss is the cross-entropy against the true next
    token ``ids[i + 1]``, averaged over the whole sequence (full batch).

    Parameters
    ----------
    ids : array_like of int, shape (N,)
        The text as token ids (:func:`lossviz.data.encode`).
    vocab_size : int
        V, the number of distinct tokens.
    lr : float, default 50.0
        Learning rate. It is large because each row's gradient is scaled by how often
        that token occurs (a fraction of the N - 1 pairs).
    steps : int, default 100
    W0 : array_like of shape (V, V), optional
        Starting logits; zeros by default (the uniform model, loss log V).
    progress : bool, default False

    Returns
    -------
    W : ndarray of shape (V, V)
    history : History
        Loss, next-token accuracy (argmax) and gradient norm at each step; no
        parameters are kept (``w`` and ``b`` are None).

    Notes
    -----
    With ``G = cross_entropy_grad(W[x], t)``, whose rows are
    ``(softmax(W[x_i]) - onehot(t_i)) / N``, the gradient of the table adds each row of G
    into the row of its input token: ``dW[x_i] += G_i``, i.e. ``np.add.at(dW, x, G)``.
    Every occurrence of the same pair (current, next) has the same row of G, so the loop
    computes each distinct pair once and weights it by its count: the same loss and
    gradient as the position-by-position sum, about 20 times faster (some 600 distinct
    pairs instead of 11,000 positions for the shipped text).

    Examples
    --------
    >>> from lossviz import data
    >>> text = data.load_text()
    >>> vocab = data.char_vocab(text)
    >>> W, hist = fit_bigram(data.encode(text, vocab), len(vocab))
    >>> print(f"log V {np.log(len(vocab)):.4f}, loss {hist.loss[-1]:.4f}")
    log V 4.0775, loss 2.4325
    """
    fn = "fit_bigram"
    lr, steps = _check_lr_steps(lr, steps, fn)
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, numbers.Integral) \
            or vocab_size < 2:
        raise ValueError(f"{fn}: vocab_size must be an int >= 2, got {vocab_size!r}")
    x, t = _bigram_ids(ids, vocab_size, fn)
    W = _start(W0, (vocab_size, vocab_size), "W0", fn)
    # Distinct (current, next) pairs and the fraction of positions each one covers.
    codes, counts = np.unique(x * vocab_size + t, return_counts=True)
    rows, nexts = np.divmod(codes, vocab_size)
    weight = counts / x.size
    # rows is sorted (np.unique), so each token's pairs form one run starting at `starts`.
    tokens, starts = np.unique(rows, return_index=True)

    def loss_and_grads(params):
        (W,) = params
        logits = W[rows]                              # forward: one row per distinct pair
        value = np.sum(weight * cross_entropy(logits, nexts, reduction="none"))
        G = cross_entropy_grad(logits, nexts, reduction="none") * weight[:, None]
        dW = np.zeros_like(W)
        dW[tokens] = np.add.reduceat(G, starts, axis=0)   # sum each token's rows of G
        return value, (dW,)

    def accuracy(params):
        return np.sum(weight * (np.argmax(params[0], axis=1)[rows] == nexts))

    hist = _descend([W], loss_and_grads, lr=lr, steps=steps, accuracy=accuracy,
                    keep_params=False, progress=progress, name=fn)
    return W, hist


def bigram_count_logits(ids, vocab_size, *, smoothing=1e-3):
    """The bigram table that counting gives: ``W[i, j] = log((C_ij + s) / (n_i + s V))``.

    ``C_ij`` counts how often token j follows token i. For ``smoothing`` s -> 0 this is
    the maximum-likelihood bigram model, the minimum of the training cross-entropy that
    :func:`fit_bigram` approaches by gradient descent; s > 0 keeps unseen pairs finite.

    Examples
    --------
    >>> W = bigram_count_logits([0, 1, 0, 1, 1], 2, smoothing=1e-12)
    >>> print(np.exp(W).round(3))
    [[0.  1. ]
     [0.5 0.5]]
    """
    fn = "bigram_count_logits"
    if not smoothing > 0:
        raise ValueError(f"{fn}: smoothing must be > 0 (log 0 = -inf), got {smoothing!r}")
    x, t = _bigram_ids(ids, vocab_size, fn)
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (x, t), 1.0)
    counts += smoothing
    return np.log(counts / counts.sum(axis=1, keepdims=True))


def perplexity(loss):
    """exp(mean cross-entropy in nats): the effective number of equally likely choices.

    The uniform model over V tokens has loss log V and perplexity exactly V.

    Examples
    --------
    >>> print(f"{perplexity(np.log(59)):.4f}")
    59.0000
    """
    return float(np.exp(loss))


def sample_bigram(W, start, n, *, seed=0):
    """Sample ``n`` tokens from a bigram logit table, starting after token ``start``.

    Parameters
    ----------
    W : array_like of shape (V, V)
        ``W[i]`` holds the logits of the token that follows token ``i``.
    start : int
        Id of the token to continue from (not included in the output).
    n : int
        Number of tokens to sample.
    seed : int, default 0
        Seed for ``np.random.default_rng``: same seed, same text.

    Returns
    -------
    ndarray of int64, shape (n,)
        Token ids; turn them into text with :func:`lossviz.data.decode`.

    Examples
    --------
    A table that always continues 0 -> 1 -> 2 -> 0:

    >>> W = np.full((3, 3), -50.0)
    >>> W[0, 1] = W[1, 2] = W[2, 0] = 50.0
    >>> sample_bigram(W, 0, 5).tolist()
    [1, 2, 0, 1, 2]
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"sample_bigram: W must have shape (V, V), got {W.shape}")
    V = W.shape[0]
    if not 0 <= int(start) < V:
        raise ValueError(f"sample_bigram: start must be an id in 0..{V - 1}, got {start!r}")
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(softmax(W, axis=1), axis=1)
    out = np.empty(int(n), dtype=np.int64)
    token = int(start)
    for i, u in enumerate(rng.random(int(n))):
        # Inverse-CDF sampling; min() guards against u landing past a rounded total < 1.
        token = min(int(np.searchsorted(cdf[token], u, side="right")), V - 1)
        out[i] = token
    return out
