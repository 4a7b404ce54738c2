"""Exercises for notebook 03: the confidently wrong model."""

from __future__ import annotations

import numpy as np

from lossviz import binary_cross_entropy, mse

from ._core import Exercise, choice_checker, number_checker, register

NB = "03_confidently_wrong"

# 03.1 -----------------------------------------------------------------------------------------
# Model E: true label 0 (not spam), p(spam) = 0.98.  CE = -ln(1 - 0.98) = -ln 0.02 = 3.9120;
# MSE = (0.98 - 0)^2 = 0.9604
P_31 = 0.98
CE_31 = float(binary_cross_entropy(np.array([P_31]), np.array([0.0])))

ex_03_1 = Exercise(
    id="03.1",
    notebook=NB,
    title="Confidently wrong the other way",
    answer="number",
    prompt="""
An email is NOT spam (true label y = 0), but Model E is sure it is: p(spam) = 0.98.
What is its binary cross-entropy loss (natural log)? Enter a number:

    answer = ...
    check("03.1", answer)
""",
    checker=number_checker(
        CE_31,
        why="With y = 0 only the (1 - y) log(1 - p) term is left: -ln(1 - 0.98) = -ln 0.02 = "
        "3.9120. MSE would say (0.98 - 0)^2 = 0.9604, again close to its ceiling of 1.",
        mistakes=[
            (-np.log(P_31), "that is -ln p, the loss if the email WERE spam. The true label is "
             "0, so the loss is -ln(1 - p): the probability given to 'not spam'."),
            (P_31**2, "that is the MSE (0.98 - 0)^2. Cross-entropy is -log of the probability "
             "given to the true label."),
            (-np.log10(1 - P_31), "you used log10. Use the natural log: -ln 0.02."),
            (-np.log2(1 - P_31), "you used log2 (bits). Use the natural log: -ln 0.02."),
            (np.log(1 - P_31), "the sign is wrong: the loss is -ln(1 - p), positive."),
        ],
        otherwise="With y = 0 the binary cross-entropy is -ln(1 - p).",
    ),
    hint="y = 0, so only the (1 - y) log(1 - p) term of -[y log p + (1 - y) log(1 - p)] is left. "
    "Which probability did the model give to the true answer, 'not spam'?",
    solution="""
y = 0, p = 0.98:  loss = -[0 * ln 0.98 + 1 * ln(1 - 0.98)] = -ln 0.02 = 3.9120
The model gave only 0.02 to the true answer ("not spam"), so this is Model C's situation
mirrored: confidently wrong. MSE = (0.98 - 0)^2 = 0.9604, close to its ceiling of 1.
In code:  -np.log(1 - 0.98)  ->  3.9120
""",
)

# 03.2 -----------------------------------------------------------------------------------------
# Model D: p = 0.001.  MSE 0.9801 -> 0.998 (+0.018);  CE 4.6052 -> 6.9078 (+2.30)
MSE_D = float(mse(np.array([0.001]), np.array([1.0])))
CE_D = float(binary_cross_entropy(np.array([0.001]), np.array([1.0])))

OPTIONS_32 = {
    "A": "Both losses grow by about the same factor.",
    "B": "MSE barely changes, while cross-entropy grows by about 2.3.",
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
# With p = sigmoid(z) = 0.05, y = 1: dCE/dz = p - 1 = -0.95;
# dMSE/dz = 2 (p - 1) p (1 - p) = 2 * (-0.95) * 0.05 * 0.95 = -0.09025
# ratio = 0.95 / 0.09025 = 1 / (2 * 0.05 * 0.95) = 10.526   (the p (1 - p) factor cancels 1 - p)
P_33 = 0.05
RATIO_33 = (1 - P_33) / (2 * (1 - P_33) * P_33 * (1 - P_33))
CE_33 = float(binary_cross_entropy(np.array([P_33]), np.array([1.0])))
MSE_33 = float(mse(np.array([P_33]), np.array([1.0])))

ex_03_3 = Exercise(
    id="03.3",
    notebook=NB,
    title="How much stronger is the cross-entropy gradient?",
    answer="number",
    prompt="""
A model outputs p = sigmoid(z) = 0.05 for true label 1. With respect to the logit z the
gradients are

    cross-entropy:          dL/dz = p - y
    MSE through a sigmoid:  dL/dz = 2 (p - y) p (1 - p)

How many times larger is the cross-entropy gradient than the MSE gradient at p = 0.05
(ratio of their magnitudes)? (The notebook did this for p = 0.01 and got about 50.) Here three
significant digits are enough: answers within 1.5% count.

    answer = ...
    check("03.3", answer)
""",
    checker=number_checker(
        RATIO_33,
        rtol=0.015,
        why="|p - 1| / |2 (p - 1) p (1 - p)| = 1 / (2 p (1 - p)) = 1 / 0.095 = 10.53. The "
        "closer p gets to 0, the smaller the sigmoid's slope p (1 - p) and the weaker MSE's "
        "push: 10.5 times weaker at p = 0.05, 50.5 times at p = 0.01.",
        mistakes=[
            (1 / (P_33 * (1 - P_33)), "you dropped the 2 of the MSE gradient (the derivative "
             "of the square)."),
            (1 / RATIO_33, "that is MSE's gradient over cross-entropy's. The question asks how "
             "many times LARGER the cross-entropy gradient is."),
            (-RATIO_33, "both gradients are negative (they push z up); the ratio of their "
             "magnitudes is positive."),
            (CE_33 / MSE_33, "that is the ratio of the losses (-ln 0.05 / 0.95^2). The question "
             "is about the gradients with respect to z."),
            (1 / (2 * 0.01 * 0.99), "that is the ratio at p = 0.01 from the notebook. Redo it "
             "with p = 0.05."),
        ],
        otherwise="Compute both gradients at p = 0.05, y = 1, then divide their magnitudes.",
    ),
    hint="Plug p = 0.05, y = 1 into both formulas. Many factors cancel in the ratio.",
    solution=f"""
Cross-entropy:  dL/dz = p - 1 = 0.05 - 1 = -0.95
MSE:            dL/dz = 2 (p - 1) p (1 - p) = 2 * (-0.95) * 0.05 * 0.95 = -0.090250
Ratio:          0.95 / 0.09025 = 1 / (2 * 0.05 * 0.95) = {RATIO_33:.2f}

So cross-entropy pushes the logit about 10.5 times harder here (and 50.5 times at p = 0.01).
MSE's gradient is multiplied by the sigmoid's slope p (1 - p), small near p = 0;
cross-entropy's -log cancels that factor.
""",
)

register(ex_03_1, ex_03_2, ex_03_3)
