"""Exercises for notebook 03: the confidently wrong model."""

from __future__ import annotations

import numpy as np

from lossviz import binary_cross_entropy, mse

from ._core import Exercise, choice_checker, number_checker, register

NB = "03_confidently_wrong"

# 03.1 -----------------------------------------------------------------------------------------
# Model C: true label 1, p = 0.01.  CE = -ln 0.01 = 4.6052;  MSE = 0.99^2 = 0.9801
CE_C = float(binary_cross_entropy(np.array([0.01]), np.array([1.0])))

ex_03_1 = Exercise(
    id="03.1",
    notebook=NB,
    title="The loss of a confidently wrong model",
    answer="number",
    prompt="""
The true label is 1 and Model C predicts p = 0.01. What is its binary cross-entropy loss
(natural log)? Enter a number:

    answer = ...
    check("03.1", answer)
""",
    checker=number_checker(
        CE_C,
        why="-ln 0.01 = 4.6052, almost five times the MSE of 0.9801 for the same prediction, "
        "and it keeps growing without bound as p -> 0.",
        mistakes=[
            (0.9801, "that is the MSE (1 - 0.01)^2. Cross-entropy is -log of the probability "
             "of the true label."),
            (2.0, "you used log10. Use the natural log: -ln 0.01."),
            (-np.log2(0.01), "you used log2 (bits). Use the natural log: -ln 0.01."),
            (-np.log(0.99), "that is -ln(1 - p). The true label is 1, so the loss is -ln p."),
            (np.log(0.01), "the sign is wrong: the loss is -ln p, positive."),
        ],
        otherwise="With y = 1 the binary cross-entropy is -ln p.",
    ),
    hint="y = 1, so only the y log p term of -[y log p + (1 - y) log(1 - p)] is left.",
    solution="""
y = 1, p = 0.01:  loss = -[1 * ln 0.01 + 0 * ln 0.99] = -ln 0.01 = 4.6052
For comparison MSE = (1 - 0.01)^2 = 0.9801, which can never exceed 1 for a probability.
In code:  -np.log(0.01)  ->  4.6052
""",
)

# 03.2 -----------------------------------------------------------------------------------------
# Model D: p = 0.001.  MSE 0.9801 -> 0.998 (+0.018);  CE 4.6052 -> 6.9078 (+2.30)
MSE_D = float(mse(np.array([0.001]), np.array([1.0])))
CE_D = float(binary_cross_entropy(np.array([0.001]), np.array([1.0])))

OPTIONS_32 = {
    "A": "Both losses grow by about the same factor.",
    "B": f"MSE barely changes (0.9801 -> {MSE_D:.4f}) while cross-entropy grows by about 2.3 "
    f"(4.6052 -> {CE_D:.4f}).",
    "C": "Cross-entropy stays below 1, like MSE, because p is a probability.",
    "D": "MSE grows faster, because the error 1 - p is squared.",
}

ex_03_2 = Exercise(
    id="03.2",
    notebook=NB,
    title="Even more confidently wrong",
    answer="choice",
    prompt="""
A fourth model D is even more confidently wrong: true label 1, p = 0.001 (Model C had 0.01).
What happens to the two losses when we go from C to D?

""" + "\n".join(f"    {k}) {v}" for k, v in OPTIONS_32.items()) + """

    answer = ...        # a letter, e.g. "A"
    check("03.2", answer)
""",
    checker=choice_checker(
        OPTIONS_32,
        "B",
        why=f"MSE is capped at 1 for a probability ({MSE_D:.4f} at p = 0.001), while "
        f"-ln p grows by ln 10 = 2.30 for every factor of 10: {CE_D:.4f}.",
        wrong_hints={
            "A": "Compute both: MSE (1 - 0.001)^2 = 0.998 vs 0.9801; CE -ln 0.001 = 6.91 vs "
            "4.61. One barely moves.",
            "C": "-ln p is not bounded: -ln 0.001 = 6.91 > 1. Only MSE on probabilities is "
            "capped at 1.",
            "D": "Squaring an error that is already almost 1 changes little: 0.999^2 = 0.998 vs "
            "0.99^2 = 0.9801. Compare with -ln 0.001 = 6.91.",
        },
    ),
    hint="Evaluate (1 - p)^2 and -ln p at p = 0.01 and at p = 0.001.",
    solution=f"""
p = 0.01:   MSE = 0.99^2  = 0.9801     CE = -ln 0.01  = 4.6052
p = 0.001:  MSE = 0.999^2 = {MSE_D:.4f}     CE = -ln 0.001 = {CE_D:.4f}
Answer B: MSE cannot exceed 1 for a probability, so it hardly distinguishes "wrong" from "very
confidently wrong"; cross-entropy adds ln 10 = 2.30 for every factor of 10 in p.
""",
)

# 03.3 -----------------------------------------------------------------------------------------
# With p = sigmoid(z), y = 1: dCE/dz = p - 1 = -0.99;  dMSE/dz = 2 (p - 1) p (1 - p) = -0.019602
# ratio = 0.99 / 0.019602 = 1 / (2 * 0.01) = 50.5   (the p (1 - p) factor cancels the 1 - p)
P_33 = 0.01
RATIO_33 = (1 - P_33) / (2 * (1 - P_33) * P_33 * (1 - P_33))

ex_03_3 = Exercise(
    id="03.3",
    notebook=NB,
    title="How much stronger is the cross-entropy gradient?",
    answer="number",
    prompt="""
Model C outputs p = sigmoid(z) = 0.01 for true label 1. With respect to the logit z the
gradients are

    cross-entropy:          dL/dz = p - y
    MSE through a sigmoid:  dL/dz = 2 (p - y) p (1 - p)

How many times larger is the cross-entropy gradient than the MSE gradient at p = 0.01
(ratio of their magnitudes)?

    answer = ...
    check("03.3", answer)
""",
    checker=number_checker(
        RATIO_33,
        rtol=0.015,
        why="|p - 1| / |2 (p - 1) p (1 - p)| = 1 / (2 p (1 - p)) = 1 / 0.0198 = 50.5: the "
        "sigmoid's slope p (1 - p) throttles the MSE gradient exactly where the model is most "
        "wrong.",
        mistakes=[
            (1 / (P_33 * (1 - P_33)), "you dropped the 2 of the MSE gradient (the derivative "
             "of the square)."),
            (1 / RATIO_33, "that is MSE's gradient over cross-entropy's. The question asks how "
             "many times LARGER the cross-entropy gradient is."),
            (-RATIO_33, "both gradients are negative (they push z up); the ratio of their "
             "magnitudes is positive."),
            (CE_C / 0.9801, "that is the ratio of the losses (4.605 / 0.9801). The question is "
             "about the gradients with respect to z."),
        ],
        otherwise="Compute both gradients at p = 0.01, y = 1, then divide their magnitudes.",
    ),
    hint="Plug p = 0.01, y = 1 into both formulas. Many factors cancel in the ratio.",
    solution=f"""
Cross-entropy:  dL/dz = p - 1 = 0.01 - 1 = -0.99
MSE:            dL/dz = 2 (p - 1) p (1 - p) = 2 * (-0.99) * 0.01 * 0.99 = -0.019602
Ratio:          0.99 / 0.019602 = 1 / (2 * 0.01 * 0.99) = {RATIO_33:.2f}

So cross-entropy pushes the logit about 50 times harder. The sigmoid's slope p (1 - p) is tiny at
p = 0.01, and MSE's gradient is multiplied by it; cross-entropy's -log cancels that factor.
""",
)

register(ex_03_1, ex_03_2, ex_03_3)
