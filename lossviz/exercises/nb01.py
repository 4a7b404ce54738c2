"""Exercises for notebook 01: mean squared error on house prices."""

from __future__ import annotations

import numpy as np

from lossviz import mse, mse_grad

from ._core import Exercise, Mistake, function_checker, number_checker, quiet, register

NB = "01_mse_house_prices"

# 01.1 -----------------------------------------------------------------------------------------
# errors y_pred - y_true = [1, 0, -2, 3], squared [1, 0, 4, 9], sum 14, mean 14/4 = 3.5
Y_TRUE_11 = np.array([2.0, 4.0, 6.0, 8.0])
Y_PRED_11 = np.array([3.0, 4.0, 4.0, 11.0])

ex_01_1 = Exercise(
    id="01.1",
    notebook=NB,
    title="MSE by hand",
    answer="number",
    prompt="""
Four houses (prices in $100k). The true values and the model's predictions are

    y_true = [2, 4, 6, 8]
    y_pred = [3, 4, 4, 11]

Compute the mean squared error by hand (errors, squares, average) and enter it as a number:

    answer = ...
    check("01.1", answer)
""",
    checker=number_checker(
        float(mse(Y_PRED_11, Y_TRUE_11)),
        why="Errors [1, 0, -2, 3], squared [1, 0, 4, 9], mean 14/4 = 3.5. "
        "The one error of 3 contributes 9 of the 14.",
        mistakes=[
            (14.0, "that is the sum of the squared errors. MSE is the mean: divide by n = 4."),
            (1.5, "that is the mean absolute error. MSE squares each error instead of taking abs."),
            (0.5, "you forgot to square: the signed errors +1 and -2 partly cancel. Square each "
             "error before averaging."),
            (np.sqrt(3.5), "that is the RMSE (the square root of the MSE). The MSE is before the "
             "square root."),
            (14.0 / 3, "you divided by n - 1 = 3. MSE divides by the number of examples, n = 4."),
            (0.25, "you squared the mean error. MSE is the mean of the squared errors: square "
             "first, then average."),
        ],
        otherwise="Write out the errors y_pred - y_true, square each one, then take the mean.",
    ),
    hint="Errors are y_pred - y_true (the sign does not matter once squared). Square each of the "
    "four errors, add them up and divide by 4.",
    solution="""
errors         = y_pred - y_true = [3-2, 4-4, 4-6, 11-8] = [1, 0, -2, 3]
squared errors = [1, 0, 4, 9]
MSE            = (1 + 0 + 4 + 9) / 4 = 14 / 4 = 3.5

In code:  np.mean((np.array([3, 4, 4, 11]) - np.array([2, 4, 6, 8])) ** 2)  ->  3.5
The largest miss (3) contributes 9 of the 14: large mistakes dominate the MSE.
""",
)

# 01.2 -----------------------------------------------------------------------------------------
CASES_12 = [
    (np.array([4.0, 2.0, 3.0]), np.array([3.0, 5.0, 2.0])),  # 11/3, the article's example
    (np.array([2.5, 0.0, 2.1]), np.array([3.0, -0.5, 2.0])),  # 0.17, the PyTorch example
    (np.array([1.5]), np.array([-0.25])),  # a batch of one: 1.75^2 = 3.0625
    (np.array([410e3, 395e3, 402.5e3, 388e3]), np.array([400e3, 400e3, 400e3, 400e3])),
    (
        np.array([0.3, -1.2, 2.75, 0.0, 5.5, -3.1, 1.0]),
        np.array([0.1, -1.0, 2.0, 0.4, 4.0, -3.5, 1.25]),
    ),
]

ex_01_2 = Exercise(
    id="01.2",
    notebook=NB,
    title="Write your own MSE",
    answer="function",
    prompt="""
Write a function `my_mse(y_pred, y_true)` that takes two 1-D numpy arrays of the same length and
returns the mean squared error as one number. Use numpy, not `lossviz.mse`.

    def my_mse(y_pred, y_true):
        ...

    check("01.2", my_mse)

It is tested on hidden cases, including a batch of one and house prices in dollars.
""",
    checker=function_checker(
        quiet(lambda p, t: mse(p, t)),
        CASES_12,
        signature="my_mse(y_pred, y_true)",
        why="Square each error, then average over the examples: "
        "np.mean((y_pred - y_true) ** 2).",
        mistakes=[
            Mistake(lambda p, t: np.sum((p - t) ** 2),
                    "Your function returns the sum of the squared errors, not the mean: "
                    "divide by the number of examples (or use np.mean)."),
            Mistake(lambda p, t: np.mean(np.abs(p - t)),
                    "Your function takes the absolute error (that is MAE). "
                    "MSE squares the errors."),
            Mistake(lambda p, t: np.mean(p - t),
                    "Your function forgot to square: positive and negative errors cancel. "
                    "Square each error before averaging."),
            Mistake(lambda p, t: np.sqrt(np.mean((p - t) ** 2)),
                    "Your function returns the RMSE (it takes a square root). "
                    "MSE is the mean of the squared errors, without the root."),
            Mistake(lambda p, t: np.sum((p - t) ** 2) / (len(p) - 1),
                    "Your function divides by n - 1. MSE divides by n, the number of examples."),
            Mistake(lambda p, t: np.mean(p - t) ** 2,
                    "Your function squares the mean error. Square each error first, then average."),
        ],
        shape_hint="It returns one value per example (the squared errors): average them to a "
        "single number with np.mean.",
    ),
    hint="Subtract, square element-wise with ** 2, then np.mean. Three operations, one line.",
    solution="""
def my_mse(y_pred, y_true):
    errors = y_pred - y_true          # sign does not matter: it is squared next
    return np.mean(errors ** 2)       # average over the examples

my_mse(np.array([4., 2., 3.]), np.array([3., 5., 2.]))    ->  3.6667  (= 11/3)
my_mse(np.array([2.5, 0., 2.1]), np.array([3., -.5, 2.])) ->  0.1700
""",
)

# 01.3 -----------------------------------------------------------------------------------------
# errors in dollars: 410,000 - 400,000 = 10,000 and 395,000 - 400,000 = -5,000
# MSE = (10,000^2 + 5,000^2) / 2 = (1e8 + 2.5e7) / 2 = 6.25e7 squared dollars
# RMSE = sqrt(6.25e7) = 7,905.69 dollars
RMSE_13 = float(np.sqrt(mse(np.array([410e3, 395e3]), np.array([400e3, 400e3]))))

ex_01_3 = Exercise(
    id="01.3",
    notebook=NB,
    title="RMSE in dollars",
    answer="number",
    prompt="""
The article's house sells for $400,000 and the model predicted $410,000: its squared error is
10,000^2 = 100,000,000 "squared dollars", a number hard to read. A second house also sells for
$400,000; the model predicted $395,000.

What is the root mean squared error, RMSE = sqrt(MSE), over these two houses, in dollars?

    answer = ...
    check("01.3", answer)
""",
    checker=number_checker(
        RMSE_13,
        why="MSE = (10,000^2 + 5,000^2) / 2 = 62,500,000 squared dollars, and its square root, "
        "about $7,906, is back in dollars.",
        mistakes=[
            (6.25e7, "that is the MSE, in squared dollars. Take its square root to get dollars."),
            (7500.0, "that is the mean absolute error (10,000 + 5,000) / 2. RMSE squares, "
             "averages, then takes the root."),
            (2500.0, "you averaged the signed errors (+10,000 and -5,000), which cancel. "
             "Square them first."),
            (np.sqrt(1.25e8), "you took the root of the sum of squares. Divide by n = 2 "
             "before the square root."),
            (RMSE_13 / 1000, "that is in thousands of dollars; the question asks for dollars."),
            (1e4, "that is the first house only. Average the squared errors of both houses."),
        ],
        otherwise="Errors are +10,000 and -5,000 dollars: square, average, square root.",
    ),
    hint="MSE first (square each error in dollars, average over the 2 houses), then np.sqrt.",
    solution="""
errors = [410,000 - 400,000, 395,000 - 400,000] = [10,000, -5,000] dollars
MSE    = (10,000^2 + 5,000^2) / 2 = (100,000,000 + 25,000,000) / 2 = 62,500,000 dollars^2
RMSE   = sqrt(62,500,000) = 7905.69 dollars

In code:  np.sqrt(np.mean((np.array([410e3, 395e3]) - 400e3) ** 2))  ->  7905.69
RMSE has the units of the target, so "off by about $7,900" reads naturally.
""",
)

# 01.4 -----------------------------------------------------------------------------------------
CASES_14 = [
    (np.array([4.0, 2.0, 3.0]), np.array([3.0, 5.0, 2.0])),  # 2 * [1, -3, 1] / 3
    (np.array([2.5, 0.0, 2.1]), np.array([3.0, -0.5, 2.0])),
    (np.array([1.5]), np.array([-0.25])),  # n = 1: 2 * 1.75 = 3.5
    (np.array([0.3, -1.2, 2.75, 0.0, 5.5]), np.array([0.1, -1.0, 2.0, 0.4, 4.0])),
]

ex_01_4 = Exercise(
    id="01.4",
    notebook=NB,
    title="The MSE gradient",
    answer="function",
    prompt="""
Gradient descent needs the derivative of the MSE with respect to each prediction.
Write `my_mse_grad(y_pred, y_true)` returning an array with one entry per prediction,
d MSE / d y_pred_i (the MSE being the mean over the n examples).

    def my_mse_grad(y_pred, y_true):
        ...

    check("01.4", my_mse_grad)
""",
    checker=function_checker(
        quiet(lambda p, t: mse_grad(p, t)),
        CASES_14,
        signature="my_mse_grad(y_pred, y_true)",
        why="d/dy_pred_i of (1/n) sum (y_pred - y_true)^2 is 2 (y_pred_i - y_true_i) / n: "
        "the 2 from the square, the 1/n from the mean.",
        mistakes=[
            Mistake(lambda p, t: (p - t) / len(p),
                    "You forgot the 2: the derivative of e^2 is 2e."),
            Mistake(lambda p, t: 2 * (p - t),
                    "You forgot to divide by n: the MSE is a mean, so each term carries 1/n."),
            Mistake(lambda p, t: 2 * (t - p) / len(p),
                    "The sign is flipped. Inside the square, y_true - y_pred is fine, but the "
                    "derivative with respect to y_pred is +2 (y_pred - y_true) / n: a prediction "
                    "that is too high must get a positive gradient so that descent lowers it."),
            Mistake(lambda p, t: p - t,
                    "You forgot both the 2 (from the square) and the 1/n (from the mean)."),
            Mistake(lambda p, t: (p - t) ** 2 / len(p),
                    "That is each example's share of the loss, not its derivative: "
                    "the derivative of e^2 / n is 2e / n."),
        ],
        shape_hint="The gradient has one entry per prediction; do not sum or average it.",
    ),
    hint="Differentiate (1/n) * sum_j (y_pred_j - y_true_j)^2 with respect to one y_pred_i: "
    "only the j = i term depends on it.",
    solution="""
MSE = (1/n) * sum_j (y_pred_j - y_true_j)^2
d MSE / d y_pred_i = (1/n) * 2 * (y_pred_i - y_true_i)

def my_mse_grad(y_pred, y_true):
    return 2 * (y_pred - y_true) / len(y_pred)

my_mse_grad(np.array([4., 2., 3.]), np.array([3., 5., 2.]))  ->  [0.6667, -2.0, 0.6667]
A prediction that is too high gets a positive gradient, so a step y_pred - lr * grad lowers it.
""",
)

register(ex_01_1, ex_01_2, ex_01_3, ex_01_4)
