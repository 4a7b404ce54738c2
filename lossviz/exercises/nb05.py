"""Exercises for notebook 05: outliers, MAE and Huber."""

from __future__ import annotations

import numpy as np

from lossviz import huber, mae, mae_grad

from ._core import Exercise, Mistake, function_checker, number_checker, quiet, register

NB = "05_outliers_mae_huber"

# 05.1 -----------------------------------------------------------------------------------------
CASES_51 = [
    (np.array([4.0, 2.0, 3.0]), np.array([3.0, 5.0, 2.0]), 1.0),  # 0.5 + 2.5 + 0.5 = 3.5, / 3
    (np.array([0.2, -0.3, 0.1]), np.array([0.0, 0.0, 0.0]), 1.0),  # all quadratic
    (np.array([10.0]), np.array([0.0]), 2.0),  # one outlier: 2 * (10 - 1) = 18
    (np.array([1.0, -2.5, 0.4, 3.0, 0.0]), np.array([0.0, 0.0, 0.0, 0.0, 0.25]), 0.5),
    (np.array([2.0, -3.0]), np.array([0.5, 0.5]), 3.0),
]


def _huber_terms(p, t, d, quad=0.5, lin_offset=0.5):
    a = np.abs(p - t)
    return np.where(a <= d, quad * a**2, d * (a - lin_offset * d))


ex_05_1 = Exercise(
    id="05.1",
    notebook=NB,
    title="Write the Huber loss",
    answer="function",
    prompt="""
The Huber loss is quadratic for small errors and linear for large ones. For an error r = y_pred -
y_true and a threshold delta > 0, each example contributes

    0.5 * r^2                     if |r| <= delta
    delta * (|r| - 0.5 * delta)   otherwise

Write `my_huber(y_pred, y_true, delta)` returning the mean over the examples (1-D arrays).
It is called with delta as the third positional argument.

    def my_huber(y_pred, y_true, delta=1.0):
        ...

    check("05.1", my_huber)
""",
    checker=function_checker(
        quiet(lambda p, t, d: huber(p, t, delta=d)),
        CASES_51,
        signature="my_huber(y_pred, y_true, delta)",
        why="Quadratic inside |r| <= delta, linear outside, and the two pieces meet with the "
        "same value and slope at |r| = delta; then the mean.",
        mistakes=[
            Mistake(lambda p, t, d: np.mean(_huber_terms(p, t, d, quad=1.0)),
                    "The quadratic part is 0.5 * r^2, not r^2 (with the 0.5 its slope at "
                    "|r| = delta is delta, matching the linear part)."),
            Mistake(lambda p, t, d: np.mean(_huber_terms(p, t, d, lin_offset=0.0)),
                    "The linear part is delta * (|r| - 0.5 * delta): without the "
                    "- 0.5 * delta the two pieces do not meet at |r| = delta (the loss jumps)."),
            Mistake(lambda p, t, d: np.sum(_huber_terms(p, t, d)),
                    "Your function returns the sum, not the mean: divide by the number of "
                    "examples."),
            Mistake(lambda p, t, d: np.mean(_huber_terms(p, t, 1.0)),
                    "Your function ignores delta (it always uses 1). Use the delta argument."),
            Mistake(lambda p, t, d: np.mean(_huber_terms(p, t, d)) / d,
                    "That is the smooth L1 loss (Huber divided by delta). Do not divide by "
                    "delta."),
            Mistake(lambda p, t, d: np.mean(np.where(np.abs(p - t) <= d,
                                                     d * (np.abs(p - t) - 0.5 * d),
                                                     0.5 * (p - t) ** 2)),
                    "The branches are swapped: small errors (|r| <= delta) get the quadratic "
                    "0.5 r^2, large ones the linear part."),
            Mistake(lambda p, t, d: np.mean(0.5 * (p - t) ** 2),
                    "Your loss is quadratic everywhere. For |r| > delta switch to the linear "
                    "delta * (|r| - 0.5 * delta): that is what limits an outlier's pull."),
            Mistake(lambda p, t, d: np.mean(np.abs(p - t)),
                    "That is MAE. Huber is quadratic (0.5 r^2) for |r| <= delta."),
        ],
        shape_hint="It returns one loss per example: take the mean.",
        otherwise="Check both branches and the threshold |r| <= delta.",
    ),
    hint="a = np.abs(y_pred - y_true); "
    "np.where(a <= delta, 0.5 * a**2, delta * (a - 0.5 * delta)), then np.mean.",
    solution="""
def my_huber(y_pred, y_true, delta=1.0):
    a = np.abs(y_pred - y_true)
    per_example = np.where(a <= delta, 0.5 * a**2, delta * (a - 0.5 * delta))
    return np.mean(per_example)

my_huber(np.array([4., 2., 3.]), np.array([3., 5., 2.]), 1.0)
  errors 1, -3, 1  ->  0.5 + 1 * (3 - 0.5) + 0.5 = 3.5,  mean 3.5 / 3 = 1.1667
At |r| = delta both pieces equal 0.5 delta^2 and have slope delta, so the loss is smooth; beyond
delta its gradient stays at +-delta, which is why one outlier cannot dominate.
""",
)

# 05.2 -----------------------------------------------------------------------------------------
# the constant c minimising mean |y - c| is the median: 340 (MSE's best constant is the mean, 664)
Y_52 = np.array([300.0, 320.0, 340.0, 360.0, 2000.0])
BEST_52 = float(np.median(Y_52))

ex_05_2 = Exercise(
    id="05.2",
    notebook=NB,
    title="The best constant under MAE",
    answer="number",
    prompt="""
Five house prices in $1000s, one of them an outlier:

    y = [300, 320, 340, 360, 2000]

A "model" that predicts the same constant c for every house is fitted by minimising the mean
absolute error, mean(|y - c|). Which c is best? (Under MSE the best constant is the mean, 664.)

    answer = ...
    check("05.2", answer)
""",
    checker=number_checker(
        BEST_52,
        why="The median minimises the mean absolute error: 340. Moving c away from it adds "
        "more distance on one side than it removes on the other. The outlier counts as one "
        "point above c, however far above it is.",
        mistakes=[
            (float(np.mean(Y_52)), "664 is the mean, the best constant under MSE: the "
             "outlier pulls it far from the other four houses. Under MAE the answer is different."),
            (float(np.mean(Y_52[:4])), "you dropped the outlier. MAE does not drop it; it just "
             "does not care how far away it is."),
            (float(Y_52.min() + Y_52.max()) / 2, "that mid-range value minimises the largest "
             "error, not the mean absolute error."),
        ],
        otherwise="Try a few values of c and compare mean(|y - c|); or think about what "
        "happens when c moves a little past one of the data points.",
    ),
    hint="When c moves up by a small step, every house above c gets closer and every house below "
    "gets farther, each by the same step. When does that trade stop paying off?",
    solution=f"""
Moving c up by a small step s changes mean(|y - c|) by s * (number below c - number above c) / 5.
It stops decreasing when as many houses lie below c as above: at the median.
sorted y = [300, 320, 340, 360, 2000]  ->  median = {BEST_52:.0f}

Check:  c = np.arange(250, 2001); c[np.argmin([np.mean(np.abs(y - ci)) for ci in c])]  ->  340
(mean |y - c| at c = 340 is {float(mae(np.full(5, BEST_52), Y_52)):.1f}; MSE's best c, the mean,
is 664.) Making the outlier 20,000 would not move the median at all; it would move the mean a lot.
""",
)

# 05.3 -----------------------------------------------------------------------------------------
CASES_53 = [
    (np.array([4.0, 2.0, 3.0]), np.array([3.0, 5.0, 2.0])),  # [1, -1, 1] / 3
    (np.array([2.5, 0.0, 2.1]), np.array([3.0, -0.5, 2.0])),  # [-1, 1, 1] / 3
    (np.array([1000.0]), np.array([0.0])),  # one outlier: the push is still 1
    (np.array([0.3, -1.2, 2.75, 0.01, 5.5]), np.array([0.1, -1.0, 2.0, 0.4, 4.0])),
]

ex_05_3 = Exercise(
    id="05.3",
    notebook=NB,
    title="The MAE gradient",
    answer="function",
    prompt="""
Write `my_mae_grad(y_pred, y_true)` returning d MAE / d y_pred_i for each prediction, where
MAE = mean(|y_pred - y_true|) over the n examples (the hidden cases have no exact ties,
y_pred_i != y_true_i).

    def my_mae_grad(y_pred, y_true):
        ...

    check("05.3", my_mae_grad)
""",
    checker=function_checker(
        quiet(lambda p, t: mae_grad(p, t)),
        CASES_53,
        signature="my_mae_grad(y_pred, y_true)",
        why="d|r|/dr = sign(r), so the gradient is sign(y_pred - y_true) / n: every example "
        "pushes with the same strength 1/n, an outlier included.",
        mistakes=[
            Mistake(lambda p, t: np.sign(t - p) / len(p),
                    "The sign is flipped: a prediction that is too high (y_pred > y_true) must "
                    "get a positive gradient, sign(y_pred - y_true)."),
            Mistake(lambda p, t: np.sign(p - t),
                    "You forgot to divide by n: MAE is a mean."),
            Mistake(lambda p, t: 2 * (p - t) / len(p),
                    "That is the MSE gradient 2 (y_pred - y_true) / n. The derivative of |r| is "
                    "sign(r)."),
            Mistake(lambda p, t: (p - t) / len(p),
                    "The derivative of |r| is sign(r), not r: its size does not depend on how "
                    "big the error is."),
            Mistake(lambda p, t: np.abs(p - t) / len(p),
                    "That is each example's share of the loss. Its derivative is "
                    "sign(y_pred - y_true) / n."),
        ],
        shape_hint="The gradient has one entry per prediction; do not sum or average it.",
    ),
    hint="|r| has slope +1 for r > 0 and -1 for r < 0: np.sign.",
    solution="""
MAE = (1/n) * sum_j |y_pred_j - y_true_j|,   d|r|/dr = sign(r)  (r != 0)
d MAE / d y_pred_i = sign(y_pred_i - y_true_i) / n

def my_mae_grad(y_pred, y_true):
    return np.sign(y_pred - y_true) / len(y_pred)

my_mae_grad(np.array([4., 2., 3.]), np.array([3., 5., 2.]))  ->  [0.3333, -0.3333, 0.3333]
An outlier with error 1000 pushes exactly as hard as an error of 0.1; under MSE it would push
10,000 times harder (2 * 1000 / n vs 2 * 0.1 / n).
""",
)

register(ex_05_1, ex_05_2, ex_05_3)
