"""Exercises for notebook 02: cross-entropy on cat / dog / bird, softmax, binary cross-entropy."""

from __future__ import annotations

import numpy as np

from lossviz import binary_cross_entropy, cross_entropy, log_softmax, softmax

from ._core import Exercise, Mistake, function_checker, number_checker, quiet, register

NB = "02_cross_entropy_cat_dog_bird"

# 02.1 -----------------------------------------------------------------------------------------
# true class dog, p(dog) = 0.3: loss = -ln 0.3 = 1.2040
ex_02_1 = Exercise(
    id="02.1",
    notebook=NB,
    title="Cross-entropy of one prediction",
    answer="number",
    prompt="""
The picture shows a dog. The model predicts

    cat: 0.6    dog: 0.3    bird: 0.1

What is the cross-entropy loss of this prediction (natural log)? Enter a number:

    answer = ...
    check("02.1", answer)
""",
    checker=number_checker(
        -np.log(0.3),
        why="With a one-hot target only the true class counts: -ln p(dog) = -ln 0.3 = 1.2040.",
        mistakes=[
            (-np.log10(0.3), "you used log10. Cross-entropy uses the natural log (np.log)."),
            (-np.log2(0.3), "you used log2 (that is the loss in bits). "
             "Use the natural log, np.log."),
            (np.log(0.3), "the sign is wrong: the loss is -log p, which is positive because "
             "log p < 0 for p < 1."),
            (-np.log(0.6), "that is -log p(cat). The loss uses the probability of the TRUE class, "
             "dog."),
            (-np.log(0.1), "that is -log p(bird). The loss uses the probability of the true class, "
             "dog."),
            (-np.log([0.6, 0.3, 0.1]).sum(), "you added -log p over all three classes. With a "
             "one-hot target, the other classes are multiplied by 0: only -log p(dog) remains."),
            (-np.log([0.6, 0.3, 0.1]).mean(), "you averaged -log p over the classes. Only the true "
             "class term remains (the one-hot target zeroes the others)."),
            (-np.log(0.7), "that is -log(1 - p(dog)). The loss is -log of the probability of the "
             "true class itself."),
            (0.49, "that is the squared error (1 - 0.3)^2 on the true class. Cross-entropy is "
             "-log p(true class)."),
        ],
        otherwise="Cross-entropy with a one-hot target is -log(probability of the true class).",
    ),
    hint="Which class is true? Take the natural log of the probability the model gave it, and "
    "flip the sign.",
    solution="""
Target (one-hot, classes cat, dog, bird): [0, 1, 0]
Cross-entropy = -sum_k target_k * log p_k = -log p(dog) = -ln(0.3) = 1.2040

In code:  -np.log(0.3)  ->  1.2040
The 0.6 on cat does not enter directly; it matters only because it takes probability from dog.
""",
)

# 02.2 -----------------------------------------------------------------------------------------
CASES_22 = [
    (np.array([2.0, 0.5, -1.0]),),  # the article's logits: [0.7856, 0.1753, 0.0391]
    (np.array([1000.0, 1.0]),),  # naive exp overflows: inf / inf = nan
    (np.array([-1000.0, -1001.0, -999.0]),),  # naive exp underflows: 0 / 0 = nan
    (np.array([3.0]),),  # a single class: probability 1
    (np.array([0.1, 0.2, 0.3, 0.4, -5.5]),),
    (np.array([0.0, 0.0, 0.0, 0.0]),),  # equal logits: uniform
]
LARGE_22 = (1, 2)


def _naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


ex_02_2 = Exercise(
    id="02.2",
    notebook=NB,
    title="A stable softmax",
    answer="function",
    prompt="""
Write `my_softmax(z)` that turns a 1-D array of logits into probabilities,
softmax(z)_k = exp(z_k) / sum_j exp(z_j). It must also work for logits like [1000, 1]
(hidden cases include large positive and large negative logits).

    def my_softmax(z):
        ...

    check("02.2", my_softmax)
""",
    checker=function_checker(
        quiet(lambda z: softmax(z)),
        CASES_22,
        signature="my_softmax(z)",
        why="exp(z - max(z)) / sum(exp(z - max(z))): subtracting the max changes nothing "
        "(exp(-max) cancels) and keeps every exp <= 1, so nothing overflows.",
        mistakes=[
            Mistake(lambda z: np.exp(z),
                    "You forgot to normalise: divide the exponentials by their sum so the "
                    "probabilities add up to 1."),
            Mistake(lambda z: z / z.sum(),
                    "You forgot the exp: dividing the logits by their sum does not give "
                    "probabilities (logits can be negative)."),
            Mistake(lambda z: log_softmax(z),
                    "You return log-probabilities (log-softmax). Softmax returns the "
                    "probabilities themselves: exp of that."),
            Mistake(lambda z: softmax(-z),
                    "The sign is flipped: you computed exp(-z). The largest logit should get "
                    "the largest probability."),
            Mistake(lambda z: softmax(softmax(z)),
                    "You applied softmax twice: the second softmax squashes the probabilities "
                    "toward uniform."),
        ],
        large=LARGE_22,
        overflow_hint="Your softmax returns nan for large logits such as [1000, 1]: exp(1000) "
        "overflows to inf and inf / inf is nan (and exp(-1000) underflows to 0, giving 0 / 0). "
        "Subtract the max first: exp(z - z.max()) gives the same softmax and never overflows.",
        shape_hint="Softmax returns one probability per logit, the same shape as z.",
    ),
    hint="Compute e = np.exp(z - np.max(z)), then return e / e.sum(). Why is subtracting the "
    "max allowed? Multiply numerator and denominator by exp(-max).",
    solution="""
def my_softmax(z):
    e = np.exp(z - np.max(z))   # shift so the largest exponent is exp(0) = 1: no overflow
    return e / e.sum()          # normalise so the probabilities add up to 1

my_softmax(np.array([2.0, 0.5, -1.0]))  ->  [0.7856, 0.1753, 0.0391]
my_softmax(np.array([1000.0, 1.0]))     ->  [1.0, 0.0]     (the naive version gives nan)
The shift is exact: exp(z_k - m) / sum_j exp(z_j - m) = exp(z_k) / sum_j exp(z_j).
""",
)

# 02.3 -----------------------------------------------------------------------------------------
CASES_23 = [
    (np.array([[2.0, 0.5, -1.0]]), np.array([0])),  # the article's example: 0.2413
    (
        np.array([[1.2, -0.3, 0.5], [0.0, 2.5, -1.0], [0.3, 0.3, 0.9], [-1.5, 0.2, 0.25]]),
        np.array([0, 2, 1, 2]),
    ),
    (np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]]), np.array([1, 1])),  # (1000 + 0) / 2
    (
        np.array([[0.5, 1.0, -2.0, 3.0], [2.0, 0.0, 0.0, 0.0], [-1.0, 1.5, 0.5, 0.0],
                  [0.1, 0.2, 0.3, 0.4], [4.0, -4.0, 2.0, 1.0]]),
        np.array([3, 0, 1, 1, 2]),
    ),
]
LARGE_23 = (2,)


def _log_p(z):
    return log_softmax(z, axis=-1)


def _rows(z):
    return np.arange(z.shape[0])


ex_02_3 = Exercise(
    id="02.3",
    notebook=NB,
    title="Cross-entropy for a batch of logits",
    answer="function",
    prompt="""
Write `my_cross_entropy(logits, y)` where `logits` has shape (N, C) (N samples, C classes, raw
scores before softmax) and `y` holds the N true class indices (integers 0 .. C-1). Return the mean
over the samples of -log softmax(logits)[i, y[i]], like `F.cross_entropy`. Hidden cases include a
batch of one and logits as large as 1000.

    def my_cross_entropy(logits, y):
        ...

    check("02.3", my_cross_entropy)
""",
    checker=function_checker(
        quiet(lambda z, y: cross_entropy(z, y)),
        CASES_23,
        signature="my_cross_entropy(logits, y)",
        why="Per sample logsumexp(z_i) - z_i[y_i] (the stable form of -log softmax), then the "
        "mean over the N samples.",
        mistakes=[
            Mistake(lambda z, y: -np.sum(_log_p(z)[_rows(z), y]),
                    "Your function returns the sum over the samples, not the mean: divide by N."),
            Mistake(lambda z, y: -np.sum(_log_p(z)[_rows(z), y]) / z.size,
                    "You averaged over classes as well as samples (divided by N*C, e.g. np.mean "
                    "of the one-hot * log p matrix). Sum over the classes, average over the "
                    "samples only."),
            Mistake(lambda z, y: -np.mean(_log_p(z)[:, y]),
                    "You indexed log_p[:, y], which picks an N x N block. Pick one entry per "
                    "row: log_p[np.arange(N), y]."),
            Mistake(lambda z, y: cross_entropy(softmax(z, axis=-1), y),
                    "Looks like you applied softmax twice (or passed probabilities where logits "
                    "belong): the inputs are logits, apply softmax (log-softmax) only once."),
            Mistake(lambda z, y: -np.mean(log_softmax(z, axis=0)[_rows(z), y]),
                    "Your softmax normalises over the wrong axis: axis=0 runs down the samples. "
                    "Each row of logits is one sample's scores, so take the max, the sum and "
                    "the log-sum-exp over axis=1 (with keepdims=True), one per row."),
            Mistake(lambda z, y: -np.mean(np.log(z[_rows(z), y])),
                    "You took -log of the raw logit. Logits are not probabilities: apply "
                    "(log-)softmax over each row first."),
            Mistake(lambda z, y: -np.mean(_log_p(z)[_rows(z), y - 1]),
                    "Off by one: you picked the class before the true one. Class indices start "
                    "at 0, so use log_p[i, y[i]] as is."),
            Mistake(lambda z, y: -np.mean(_log_p(z)[_rows(z), y]) / np.log(10),
                    "You used log10. Cross-entropy uses the natural log (np.log)."),
            Mistake(lambda z, y: -np.mean(_log_p(z)[_rows(z), y]) / np.log(2),
                    "You used log2. Cross-entropy uses the natural log (np.log)."),
            Mistake(lambda z, y: np.mean(_log_p(z)[_rows(z), y]),
                    "The sign is wrong: the loss is -log p, positive."),
            Mistake(lambda z, y: -np.mean(np.sum(_log_p(z), axis=1)),
                    "You added -log p over all classes. Only the true class's term counts: "
                    "-log p[i, y[i]]."),
        ],
        large=LARGE_23,
        overflow_hint="Your function returns nan or inf for logits like [1000, 0, -1000]: "
        "exp(1000) overflows, or a probability underflows to 0 and log(0) = -inf. Work with "
        "log-probabilities directly: log_p = z - m - log(sum(exp(z - m))) with m the row max.",
        shape_hint="It returns one loss per sample: take the mean over the samples.",
        otherwise="Per sample: -log softmax(logits[i])[y[i]]; then the mean over the samples.",
    ),
    hint="Subtract each row's max, compute log_p = z - log(sum(exp(z), axis=1, keepdims=True)), "
    "pick log_p[np.arange(N), y] and average its negative.",
    solution="""
def my_cross_entropy(logits, y):
    z = logits - logits.max(axis=1, keepdims=True)           # stability: largest logit is 0
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))  # log-softmax of each row
    return -np.mean(log_p[np.arange(len(y)), y])              # true class, mean over samples

my_cross_entropy(np.array([[2.0, 0.5, -1.0]]), np.array([0]))  ->  0.2413
Equivalently loss_i = logsumexp(z_i) - z_i[y_i]; it never forms a probability that could round
to 0, which is why cross_entropy takes logits.
""",
)

# 02.4 -----------------------------------------------------------------------------------------
CASES_24 = [
    (np.array([0.8, 0.3]), np.array([1.0, 0.0])),  # (-ln 0.8 - ln 0.7) / 2 = 0.2899
    (np.array([0.9, 0.6, 0.01]), np.array([1.0, 1.0, 1.0])),  # models A, B, C of the article
    (np.array([0.999999]), np.array([0.0])),  # a batch of one, confidently wrong: -ln 1e-6
    (np.array([0.25, 0.5, 0.75, 0.1, 0.95]), np.array([0.0, 1.0, 1.0, 0.0, 0.0])),
]

ex_02_4 = Exercise(
    id="02.4",
    notebook=NB,
    title="Binary cross-entropy for spam",
    answer="function",
    prompt="""
Write `my_bce(p, y)`: `p` holds predicted probabilities of "spam" (strictly between 0 and 1),
`y` the labels (1 = spam, 0 = not spam), both 1-D arrays of the same length. Return the mean of
-[y log p + (1 - y) log(1 - p)]. Example: an email that is spam with p = 0.8 and one that is not
spam with p = 0.3 give (-ln 0.8 - ln 0.7) / 2 = 0.2899.

    def my_bce(p, y):
        ...

    check("02.4", my_bce)
""",
    checker=function_checker(
        quiet(lambda p, y: binary_cross_entropy(p, y)),
        CASES_24,
        signature="my_bce(p, y)",
        why="-[y log p + (1 - y) log(1 - p)] averaged: each email contributes -log of the "
        "probability given to its true label.",
        mistakes=[
            Mistake(lambda p, y: -np.mean(np.log(p)),
                    "For y = 0 the term must be log(1 - p): the probability of 'not spam'. "
                    "You used log p for every email."),
            Mistake(lambda p, y: -np.mean(y * np.log(p)),
                    "You forgot the (1 - y) log(1 - p) term: emails with y = 0 contribute "
                    "nothing, so a model could call everything spam for free."),
            Mistake(lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)),
                    "Your function returns the sum, not the mean: divide by the number of "
                    "emails."),
            Mistake(lambda p, y: np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)),
                    "The sign is wrong: the loss is -[...], positive."),
            Mistake(lambda p, y: -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)),
                    "You used log10. Binary cross-entropy uses the natural log (np.log)."),
            Mistake(lambda p, y: -np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p)),
                    "You used log2. Binary cross-entropy uses the natural log (np.log)."),
            Mistake(lambda p, y: np.mean((p - y) ** 2),
                    "That is the MSE between p and y. Binary cross-entropy is "
                    "-[y log p + (1 - y) log(1 - p)]."),
        ],
        shape_hint="It returns one loss per email: take the mean.",
        otherwise="Check the argument order (p first, y second) and that you take the log of p "
        "and of 1 - p, never of y.",
    ),
    hint="Write the two terms separately: y * np.log(p) and (1 - y) * np.log(1 - p); add, negate, "
    "average.",
    solution="""
def my_bce(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

Spam email,     y = 1, p = 0.8:  -ln 0.8 = 0.2231
Not-spam email, y = 0, p = 0.3:  -ln(1 - 0.3) = -ln 0.7 = 0.3567
Mean: (0.2231 + 0.3567) / 2 = 0.2899
For y = 1 only the first term is left, for y = 0 only the second: each email pays -log of the
probability the model gave to its true label.
""",
)

register(ex_02_1, ex_02_2, ex_02_3, ex_02_4)
