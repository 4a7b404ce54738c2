"""Exercises for notebook 06: the probabilistic view (Gaussian and Bernoulli likelihoods)."""

from __future__ import annotations

import numpy as np

from lossviz import binary_cross_entropy, mse

from ._core import (
    Exercise,
    Mistake,
    choice_checker,
    function_checker,
    number_checker,
    quiet,
    register,
)

NB = "06_probabilistic_view"

# 06.1 -----------------------------------------------------------------------------------------
# y = 3, y_hat = 4, sigma = 2:  (3 - 4)^2 / (2 * 4) + 0.5 ln(2 pi 4) = 0.125 + 1.6121 = 1.7371
SQ_61 = (3.0 - 4.0) ** 2 / (2 * 2.0**2)
CONST_61 = 0.5 * np.log(2 * np.pi * 2.0**2)
NLL_61 = SQ_61 + CONST_61

ex_06_1 = Exercise(
    id="06.1",
    notebook=NB,
    title="The Gaussian negative log-likelihood of one house",
    answer="number",
    prompt="""
A single house: the target is y = 3, the prediction y_hat = 4 and the assumed noise sigma = 2.
What is the Gaussian negative log-likelihood of this example (natural log)?

    NLL = (y - y_hat)^2 / (2 sigma^2) + 0.5 * ln(2 pi sigma^2)

    answer = ...
    check("06.1", answer)
""",
    checker=number_checker(
        NLL_61,
        why="(3 - 4)^2 / (2 * 4) = 0.125 plus 0.5 ln(8 pi) = 1.6121 gives 1.7371. Only the "
        "first term depends on the prediction: it is the squared error, scaled.",
        mistakes=[
            (SQ_61, "that is only the squared-error term. Add the constant 0.5 ln(2 pi sigma^2)."),
            (CONST_61, "that is only the constant 0.5 ln(2 pi sigma^2). Add the squared-error "
             "term (y - y_hat)^2 / (2 sigma^2)."),
            (1 / (2 * 2.0) + 0.5 * np.log(2 * np.pi * 2.0), "you used sigma where sigma^2 = 4 "
             "belongs."),
            (1 / 2.0**2 + CONST_61, "the squared error is divided by 2 sigma^2 = 8, not by "
             "sigma^2 = 4."),
            (SQ_61 + 2 * CONST_61, "you forgot the 0.5 in front of ln(2 pi sigma^2)."),
            (SQ_61 + 0.5 * np.log10(2 * np.pi * 2.0**2), "you used log10. Use the natural log."),
            (-NLL_61, "the sign is wrong: the NEGATIVE log-likelihood of a density this small is "
             "positive."),
            (np.exp(-NLL_61), "that is the likelihood (the density) itself. Take -ln of it."),
        ],
        otherwise="Compute the two terms separately: (y - y_hat)^2 / (2 sigma^2) and "
        "0.5 ln(2 pi sigma^2).",
    ),
    hint="sigma^2 = 4. First term: 1 / 8. Second term: 0.5 * np.log(2 * np.pi * 4).",
    solution=f"""
squared-error term:  (3 - 4)^2 / (2 * 2^2) = 1 / 8 = 0.125
constant:            0.5 * ln(2 * pi * 2^2) = 0.5 * ln(25.1327) = {CONST_61:.4f}
NLL = 0.125 + {CONST_61:.4f} = {NLL_61:.4f}

In code:  (3 - 4)**2 / (2 * 2**2) + 0.5 * np.log(2 * np.pi * 2**2)  ->  {NLL_61:.4f}
The constant does not depend on y_hat, so minimising the NLL over y_hat minimises the squared
error: MSE is the Gaussian NLL up to a scale and a shift.
""",
)

# 06.2 -----------------------------------------------------------------------------------------
CASES_62 = [
    (np.array([4.0]), np.array([3.0]), 2.0),  # one example: 0.125 + 1.6121 = 1.7371
    (np.array([2.5, 0.0, 2.1]), np.array([3.0, -0.5, 2.0]), 1.0),  # MSE 0.17 / 2 + 0.9189
    (np.array([410.0, 395.0, 402.5, 388.0]), np.array([400.0, 400.0, 400.0, 400.0]), 10.0),
    (np.array([0.3, -1.2, 2.75, 0.0, 5.5]), np.array([0.1, -1.0, 2.0, 0.4, 4.0]), 0.5),
]


def _gaussian_nll(p, t, s):
    # mean NLL = MSE / (2 sigma^2) + 0.5 ln(2 pi sigma^2): the identity the notebook shows
    return mse(p, t) / (2 * s**2) + 0.5 * np.log(2 * np.pi * s**2)


ex_06_2 = Exercise(
    id="06.2",
    notebook=NB,
    title="Write the Gaussian negative log-likelihood",
    answer="function",
    prompt="""
Write `my_gaussian_nll(y_pred, y_true, sigma)` that returns the MEAN Gaussian negative
log-likelihood of arrays of predictions and targets for a fixed noise level `sigma` (a number):

    NLL_i = (y_true_i - y_pred_i)^2 / (2 sigma^2) + 0.5 * ln(2 pi sigma^2)

Use NumPy; no loops needed.

    def my_gaussian_nll(y_pred, y_true, sigma):
        ...

    check("06.2", my_gaussian_nll)
""",
    checker=function_checker(
        quiet(_gaussian_nll),
        CASES_62,
        signature="my_gaussian_nll(y_pred, y_true, sigma)",
        why="mean((y_true - y_pred)^2) / (2 sigma^2) + 0.5 ln(2 pi sigma^2): MSE, scaled, plus "
        "a constant.",
        mistakes=[
            Mistake(lambda p, t, s: np.mean((t - p) ** 2) / (2 * s**2),
                    "You left out the constant 0.5 ln(2 pi sigma^2). It does not change the "
                    "best prediction, but it is part of the negative log-likelihood."),
            Mistake(lambda p, t, s: np.mean((t - p) ** 2) / (2 * s) + 0.5 * np.log(2 * np.pi * s),
                    "You used sigma where the formula has sigma^2 (the variance)."),
            Mistake(lambda p, t, s: np.mean((t - p) ** 2) / s**2 + 0.5 * np.log(2 * np.pi * s**2),
                    "The squared error is divided by 2 sigma^2, not sigma^2."),
            Mistake(lambda p, t, s: np.mean((t - p) ** 2) / (2 * s**2) + np.log(2 * np.pi * s**2),
                    "You forgot the 0.5 in front of ln(2 pi sigma^2)."),
            Mistake(lambda p, t, s: np.sum((t - p) ** 2 / (2 * s**2)
                                           + 0.5 * np.log(2 * np.pi * s**2)),
                    "Your function returns the sum over the examples, not the mean."),
            Mistake(lambda p, t, s: -_gaussian_nll(p, t, s),
                    "The sign is wrong: that is the log-likelihood. Return its negative."),
            Mistake(lambda p, t, s: np.mean((t - p) ** 2) / (2 * s**2) + 0.5 * np.log(s**2),
                    "The constant is 0.5 ln(2 pi sigma^2): you left out the 2 pi."),
        ],
        shape_hint="It returns one value per example: take the mean.",
        otherwise="Compute NLL_i for each example with array operations, then np.mean.",
    ),
    hint="Two terms: np.mean((y_true - y_pred) ** 2) / (2 * sigma**2) and "
    "0.5 * np.log(2 * np.pi * sigma**2).",
    solution=f"""
def my_gaussian_nll(y_pred, y_true, sigma):
    squared = (y_true - y_pred) ** 2 / (2 * sigma**2)   # the part that depends on y_pred
    constant = 0.5 * np.log(2 * np.pi * sigma**2)       # the same for every example
    return np.mean(squared + constant)

my_gaussian_nll(np.array([4.0]), np.array([3.0]), 2.0)  ->  {NLL_61:.4f}   (exercise 06.1)
Equivalently MSE / (2 sigma^2) + 0.5 ln(2 pi sigma^2): the same minimiser as MSE for any sigma.
""",
)

# 06.3 -----------------------------------------------------------------------------------------
# labels [1, 0, 1], p = [0.8, 0.3, 0.6]: probabilities of the observed labels 0.8, 0.7, 0.6
# mean NLL = -(ln 0.8 + ln 0.7 + ln 0.6) / 3 = (0.2231 + 0.3567 + 0.5108) / 3 = 0.3635
P_63 = np.array([0.8, 0.3, 0.6])
Y_63 = np.array([1.0, 0.0, 1.0])
NLL_63 = float(binary_cross_entropy(P_63, Y_63))

ex_06_3 = Exercise(
    id="06.3",
    notebook=NB,
    title="Bernoulli likelihood is binary cross-entropy",
    answer="number",
    prompt="""
Three emails with labels y = [1, 0, 1] get spam probabilities p = [0.8, 0.3, 0.6]. What is the
mean negative log-likelihood of the labels under this Bernoulli model, that is, the binary
cross-entropy (natural log)?

    answer = ...
    check("06.3", answer)
""",
    checker=number_checker(
        NLL_63,
        why="The probabilities of the observed labels are 0.8, 1 - 0.3 = 0.7 and 0.6; "
        "-(ln 0.8 + ln 0.7 + ln 0.6) / 3 = 0.3635, exactly the binary cross-entropy.",
        mistakes=[
            (0.8 * 0.7 * 0.6, "0.336 is the likelihood itself (the product). Take -ln and "
             "average over the 3 labels."),
            (-np.log(0.8 * 0.7 * 0.6), "that is the total negative log-likelihood (a sum). "
             "Divide by the 3 labels for the mean."),
            (-(np.log(0.8) + np.log(0.3) + np.log(0.6)) / 3, "for the label y = 0 the "
             "likelihood is 1 - p = 0.7, not p = 0.3."),
            (-NLL_63, "the sign is wrong: the NEGATIVE log-likelihood is positive."),
            (NLL_63 / np.log(10), "you used log10. Use the natural log."),
            ((0.8 + 0.7 + 0.6) / 3, "that is the mean probability of the observed labels. "
             "Take -ln of each probability first, then average."),
            (float(np.mean((P_63 - Y_63) ** 2)), "that is the MSE between p and y, not the "
             "negative log-likelihood."),
        ],
        otherwise="Write down the probability the model gave each observed label, then "
        "average -ln of them.",
    ),
    hint="For each email: the probability of what actually happened (p if y = 1, 1 - p if y = 0). "
    "Then -ln, then the mean.",
    solution=f"""
likelihood of each observed label:  y=1, p=0.8 -> 0.8;  y=0, p=0.3 -> 0.7;  y=1, p=0.6 -> 0.6
mean NLL = -(ln 0.8 + ln 0.7 + ln 0.6) / 3 = (0.2231 + 0.3567 + 0.5108) / 3 = {NLL_63:.4f}
That is binary_cross_entropy(p, y): -[y ln p + (1 - y) ln(1 - p)] picks ln p or ln(1 - p) exactly
as the Bernoulli likelihood does.
In code:  -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))  ->  {NLL_63:.4f}
""",
)

# 06.4 -----------------------------------------------------------------------------------------
OPTIONS_64 = {
    "A": "a sigmoid output and binary cross-entropy",
    "B": "a linear output (any real number) and MSE",
    "C": "a softmax over 10 demand levels and MSE",
    "D": "a linear output and cross-entropy",
}

ex_06_4 = Exercise(
    id="06.4",
    notebook=NB,
    title="Match the output and the loss to the task",
    answer="choice",
    prompt="""
You predict tomorrow's electricity demand in megawatts. Which output and loss match the task?

""" + "\n".join(f"    {k}) {v}" for k, v in OPTIONS_64.items()) + """

    answer = ...        # a letter, e.g. "A"
    check("06.4", answer)
""",
    checker=choice_checker(
        OPTIONS_64,
        "B",
        why="Demand is a real number: a linear output can take any value, and MSE is the "
        "negative log-likelihood of Gaussian noise around it.",
        wrong_hints={
            "A": "A sigmoid squashes the output into (0, 1) and binary cross-entropy needs a "
            "target between 0 and 1; demand in megawatts is an unbounded number.",
            "C": "Ten demand levels throw away the distance between values (predicting level 4 "
            "for a 5 is as wrong as predicting 9), and MSE on softmax outputs is the mismatch "
            "of notebook 04. Demand is a number: predict it directly.",
            "D": "Cross-entropy needs a probability for each class; a linear output is a number, "
            "not a distribution. A number with Gaussian noise calls for MSE.",
        },
    ),
    hint="Is the target a number or a class? Which probabilistic model (Gaussian or Bernoulli / "
    "categorical) fits it?",
    solution="""
Electricity demand is a real number (megawatts), so the Gaussian view applies: a linear output
y_hat (any real value) and MSE, the Gaussian negative log-likelihood up to a scale and a shift.
Answer B. A and D use losses built for probabilities of classes; C throws away the order and
distance of demand values and puts MSE on a softmax.
""",
)

register(ex_06_1, ex_06_2, ex_06_3, ex_06_4)
