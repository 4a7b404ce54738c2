"""Exercises for notebook 11: predicting uncertainty (a learned σ, the pinball loss, coverage)."""

from __future__ import annotations

import numpy as np

from lossviz import gaussian_nll, pinball_loss

from ._core import Exercise, number_checker, register

NB = "11_predicting_uncertainty"

# 11.1 -----------------------------------------------------------------------------------------
# y = 2.5, mu = 4.0: the NLL 1/2 log s^2 + r^2 / (2 s^2) is lowest at s = |y - mu| = 1.5
# (d/ds: 1/s - r^2/s^3 = 0 gives s^2 = r^2), where it is log 1.5 + 1/2 = 0.9055.
Y_111, MU_111 = 2.5, 4.0
SIGMA_111 = abs(Y_111 - MU_111)
NLL_111 = float(gaussian_nll([MU_111], [Y_111], [SIGMA_111**2]))

ex_11_1 = Exercise(
    id="11.1",
    notebook=NB,
    title="The σ that minimises the Gaussian NLL of one miss",
    answer="number",
    prompt="""
A model predicts the mean mu = 4.0 and a standard deviation sigma for a target y = 2.5. Its
Gaussian negative log-likelihood (lossviz.gaussian_nll with var = sigma^2) is

    NLL(sigma) = 0.5 * log(sigma^2) + (y - mu)^2 / (2 sigma^2)

Which sigma makes it smallest?

    answer = ...
    check("11.1", answer)
""",
    checker=number_checker(
        SIGMA_111,
        why="d/dsigma [log sigma + r^2 / (2 sigma^2)] = 1/sigma - r^2/sigma^3 = 0 gives "
        "sigma^2 = r^2, so sigma = |y - mu| = |2.5 - 4.0| = 1.5: trained with this loss, a model "
        "learns to predict the size of its own misses.",
        mistakes=[
            (SIGMA_111**2, "2.25 is the best VARIANCE sigma^2 = (y - mu)^2. The question asks for "
             "sigma, its square root."),
            (-SIGMA_111, "a standard deviation is never negative: sigma = |y - mu|, the size of "
             "the miss."),
            (SIGMA_111 / 2, "setting the derivative to zero gives sigma^2 = (y - mu)^2, not "
             "sigma = (y - mu) / 2: differentiate 0.5 log sigma^2 = log sigma to 1/sigma."),
            (2 * SIGMA_111, "that is twice the miss; the derivative 1/sigma - r^2/sigma^3 is zero "
             "at sigma = |r| = 1.5."),
            (0.0, "sigma -> 0 makes (y - mu)^2 / (2 sigma^2) blow up, since the miss is not "
             "zero. A small sigma is only rewarded when the prediction is right."),
            (NLL_111, "that is the NLL at the best sigma (log 1.5 + 0.5). The question asks for "
             "the sigma itself."),
            (1.0, "sigma = 1 is the best only for a miss of size 1; here |y - mu| = 1.5."),
        ],
        otherwise="Differentiate log sigma + (y - mu)^2 / (2 sigma^2) with respect to sigma and "
        "set it to zero; or try a few sigmas with lossviz.gaussian_nll.",
    ),
    hint="0.5 * log(sigma^2) = log(sigma). Its derivative is 1/sigma; the other term's is "
    "-(y - mu)^2 / sigma^3. Where do they cancel?",
    solution=f"""
NLL(sigma) = log sigma + r^2 / (2 sigma^2) with r = y - mu = 2.5 - 4.0 = -1.5
dNLL/dsigma = 1/sigma - r^2 / sigma^3 = 0   ->   sigma^2 = r^2   ->   sigma = |r| = {SIGMA_111:.1f}
There the NLL is log 1.5 + 0.5 = {NLL_111:.4f}; a smaller sigma is punished by the squared miss,
a larger one by log sigma.

Check numerically:
    sigmas = np.linspace(0.5, 3, 251)
    nll = lv.gaussian_nll(np.full(251, 4.0), np.full(251, 2.5), sigmas**2, reduction="none")
    sigmas[np.argmin(nll)]   ->  1.5
""",
)

# 11.2 -----------------------------------------------------------------------------------------
# q = 0.9, prediction 100, targets 90 and 130: residuals y - y_hat = -10 and +30.
# Below the line: (1 - 0.9) * 10 = 1.0; above: 0.9 * 30 = 27.0; mean (1 + 27) / 2 = 14.0.
Y_112 = np.array([90.0, 130.0])
PRED_112 = np.array([100.0, 100.0])
Q_112 = 0.9
PINBALL_112 = float(pinball_loss(PRED_112, Y_112, quantile=Q_112))

ex_11_2 = Exercise(
    id="11.2",
    notebook=NB,
    title="The pinball loss at q = 0.9",
    answer="number",
    prompt="""
A model for the 0.9 quantile predicts 100 for two houses whose prices turn out to be 90 and 130
(k$). What is the mean pinball loss, lossviz.pinball_loss(y_pred, y_true, quantile=0.9)?

    loss of one target = q * (y - y_hat)        if y >= y_hat  (under-predicted)
                         (1 - q) * (y_hat - y)  if y <  y_hat  (over-predicted)

    answer = ...
    check("11.2", answer)
""",
    checker=number_checker(
        PINBALL_112,
        why="The house at 90 is 10 below the prediction: (1 - 0.9) * 10 = 1. The house at 130 is "
        "30 above: 0.9 * 30 = 27. The mean is (1 + 27) / 2 = 14. Missing on the high side costs "
        "9 times as much as on the low side, so the fitted 0.9 line sits high.",
        mistakes=[
            ((0.9 * 10 + 0.1 * 30) / 2, "you swapped the two slopes: a target ABOVE the "
             "prediction costs q = 0.9 per unit, one below costs 1 - q = 0.1."),
            (1.0 + 27.0, "that is the sum over the two houses; the loss is the mean."),
            ((10 + 30) / 2, "that is the mean absolute error. The pinball loss weights the two "
             "sides by q and 1 - q."),
            ((0.5 * 10 + 0.5 * 30) / 2, "q = 0.5 gives half the absolute error; this model is "
             "for q = 0.9."),
            ((0.9 * 30 - 0.9 * 10) / 2, "a target below the prediction costs (1 - q) times the "
             "miss, a positive amount: every miss costs something."),
            (-PINBALL_112, "the pinball loss is never negative."),
        ],
        otherwise="Work out each house's miss y - y_hat, weight it by 0.9 if positive and by 0.1 "
        "(times its size) if negative, then average.",
    ),
    hint="Misses: 90 - 100 = -10 (the prediction is too high) and 130 - 100 = +30 (too low). "
    "Which one is weighted by 0.9?",
    solution=f"""
house 1: y = 90,  y - y_hat = -10: over-predicted,  (1 - 0.9) * 10 = 1.0
house 2: y = 130, y - y_hat = +30: under-predicted, 0.9 * 30      = 27.0
mean = (1.0 + 27.0) / 2 = {PINBALL_112:.1f}

In code:  lv.pinball_loss([100.0, 100.0], [90.0, 130.0], quantile=0.9)  ->  {PINBALL_112:.1f}
""",
)

# 11.3 -----------------------------------------------------------------------------------------
# Between the 0.05 and the 0.95 quantile: 0.95 - 0.05 = 0.90 of new targets.
COVER_113 = 0.95 - 0.05

ex_11_3 = Exercise(
    id="11.3",
    notebook=NB,
    title="The coverage an interval should have",
    answer="number",
    prompt="""
You fitted two lines with the pinball loss, one with quantile=0.05 and one with quantile=0.95.
For new data from the same source, what fraction of the targets should fall between the two
lines? Answer as a fraction between 0 and 1.

    answer = ...
    check("11.3", answer)
""",
    checker=number_checker(
        COVER_113,
        why="5% of the targets should fall below the 0.05 line and 5% above the 0.95 line, which "
        "leaves 0.95 - 0.05 = 0.90 between them: a 90% prediction interval. Measure it on "
        "held-out data; a model that is too simple or too sure covers less.",
        mistakes=[
            (0.95, "0.95 of the targets fall below the upper line, but 0.05 of them also fall "
             "below the lower line: subtract those."),
            (0.10, "0.10 is the fraction OUTSIDE the interval (0.05 below plus 0.05 above)."),
            (90.0, "that is a percentage; answer as a fraction between 0 and 1."),
            (0.95 * 0.95, "the two lines are not independent events: the fraction between them "
             "is the difference of their quantiles, 0.95 - 0.05."),
            (1.0, "quantile lines do not cover every target: by design 5% fall below the lower "
             "one and 5% above the upper one."),
            (0.05, "that is the fraction below the lower line (or above the upper one)."),
        ],
        otherwise="What fraction falls below the upper line? Below the lower one? The interval "
        "holds the difference.",
    ),
    hint="Below the 0.95 line: 95% of the targets. Below the 0.05 line: 5%.",
    solution=f"""
below the 0.95 line: 0.95;  below the 0.05 line: 0.05
between them: 0.95 - 0.05 = {COVER_113:.2f}, a 90% prediction interval (nominal coverage).
On held-out data the measured coverage is close to 0.90 but not exactly: 200 training points
give noisy lines, and a straight line cannot follow a spread that grows faster than linearly.
""",
)

register(ex_11_1, ex_11_2, ex_11_3)
