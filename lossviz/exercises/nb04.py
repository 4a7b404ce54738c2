"""Exercises for notebook 04: gradients with respect to the logit, and saturation."""

from __future__ import annotations

import numpy as np

from lossviz import sigmoid, softmax

from ._core import (
    Exercise,
    Mistake,
    array_checker,
    function_checker,
    number_checker,
    quiet,
    register,
)

NB = "04_gradients_and_saturation"

# 04.1 -----------------------------------------------------------------------------------------
CASES_41 = [
    (np.array([-4.59512, 0.0, 2.0]), np.array([1.0, 1.0, 0.0])),  # z = -4.595 is p = 0.01
    (np.array([0.3]), np.array([0.0])),  # a single example
    (np.array([-30.0, 30.0, 10.0, -10.0]), np.array([1.0, 0.0, 1.0, 0.0])),  # saturated
    (np.array([-1000.0, 1000.0, 0.5]), np.array([1.0, 0.0, 1.0])),  # exp(1000) overflows
]
LARGE_41 = (3,)


def _mse_logit_grad(z, y):
    p = sigmoid(z)
    return 2 * (p - y) * p * (1 - p)


ex_04_1 = Exercise(
    id="04.1",
    notebook=NB,
    title="The MSE gradient through a sigmoid",
    answer="function",
    prompt="""
A binary classifier outputs p = sigmoid(z) and is trained with the squared error (p - y)^2.
Write `my_mse_logit_grad(z, y)` returning d(p - y)^2 / dz for each example (element-wise, the
same shape as z; no averaging). Use the chain rule: dL/dz = dL/dp * dp/dz, and
sigmoid'(z) = p (1 - p). Hidden cases include logits of +-1000.

    def my_mse_logit_grad(z, y):
        ...

    check("04.1", my_mse_logit_grad)
""",
    checker=function_checker(
        quiet(_mse_logit_grad),
        CASES_41,
        signature="my_mse_logit_grad(z, y)",
        why="dL/dp = 2 (p - y) and dp/dz = p (1 - p), so dL/dz = 2 (p - y) p (1 - p): it "
        "vanishes when p is near 0 or 1, even when the prediction is wrong.",
        mistakes=[
            Mistake(lambda z, y: 2 * (sigmoid(z) - y),
                    "That is dL/dp, the gradient with respect to the probability. With respect "
                    "to the logit, multiply by the sigmoid's slope dp/dz = p (1 - p)."),
            Mistake(lambda z, y: (sigmoid(z) - y) * sigmoid(z) * (1 - sigmoid(z)),
                    "You forgot the 2 from the derivative of the square."),
            Mistake(lambda z, y: -_mse_logit_grad(z, y),
                    "The sign is flipped: the derivative of (p - y)^2 with respect to p is "
                    "+2 (p - y)."),
            Mistake(lambda z, y: sigmoid(z) - y,
                    "That is the cross-entropy gradient p - y. For the squared error the "
                    "chain rule gives 2 (p - y) p (1 - p)."),
            Mistake(lambda z, y: 2 * (z - y) * sigmoid(z) * (1 - sigmoid(z)),
                    "You used the logit z in the error. The error is p - y with p = sigmoid(z)."),
        ],
        large=LARGE_41,
        overflow_hint="Your function returns nan for z = +-1000: exp(1000) overflows "
        "(e.g. exp(z) / (1 + exp(z)) is inf / inf). Use 1 / (1 + exp(-z)), or a sigmoid that "
        "branches on the sign of z, such as lossviz.sigmoid.",
        reject_overflow="It computes exp of about 1000, which is inf (NumPy warns "
        "'overflow encountered in exp'); the answer comes out right only because "
        "1 / (1 + inf) happens to be 0, and one step later such an inf turns into nan "
        "(inf / inf, 0 * inf). Use a sigmoid that never exponentiates a large positive number: "
        "lossviz.sigmoid, or exp(-|z|) with the sign handled by boolean masks (np.where "
        "evaluates both branches, so it still overflows).",
        shape_hint="Return one gradient per example, the same shape as z (no mean).",
    ),
    hint="p = lv.sigmoid(z), a sigmoid that cannot overflow; then multiply 2 (p - y) by "
    "p (1 - p).",
    solution="""
L = (p - y)^2 with p = sigmoid(z)
dL/dp = 2 (p - y)          dp/dz = p (1 - p)
dL/dz = 2 (p - y) p (1 - p)

def my_mse_logit_grad(z, y):
    e = np.exp(-np.abs(z))                           # never exp of a large positive number
    p = np.where(z >= 0, 1 / (1 + e), e / (1 + e))   # = sigmoid(z), also for z = +-1000
    return 2 * (p - y) * p * (1 - p)

(lv.sigmoid(z) does the same. The naive 1 / (1 + np.exp(-z)) computes exp(1000) = inf at
z = -1000: the result happens to be right, 1 / inf = 0, but the check rejects it.)

At z = -4.595 (p = 0.01) and y = 1:  2 * (-0.99) * 0.01 * 0.99 = -0.0196, against -0.99 for
cross-entropy. The factor p (1 - p) is what makes MSE learn slowly from a confidently wrong start.
""",
)

# 04.2 -----------------------------------------------------------------------------------------
# |dL/dz| = 2 (1 - p) p (1 - p) = 2 p (1 - p)^2 for y = 1
# d/dp [p (1 - p)^2] = (1 - p)^2 - 2 p (1 - p) = (1 - p)(1 - 3p) = 0  ->  p = 1/3
P_MAX_42 = 1.0 / 3.0
G_MAX_42 = 2 * P_MAX_42 * (1 - P_MAX_42) ** 2  # 8/27 = 0.2963

ex_04_2 = Exercise(
    id="04.2",
    notebook=NB,
    title="Where is the MSE gradient strongest?",
    answer="number",
    prompt="""
For true label y = 1, the magnitude of the MSE-through-sigmoid gradient with respect to the
logit is |2 (p - 1) p (1 - p)| = 2 p (1 - p)^2. At which probability p (between 0 and 1) is it
largest? Enter p as a number (for example as a fraction such as 1/4 or a decimal). Here two
decimals are enough: answers within 1.1% count.

    answer = ...
    check("04.2", answer)
""",
    checker=number_checker(
        P_MAX_42,
        rtol=0.011,
        why="d/dp [p (1 - p)^2] = (1 - p)(1 - 3p) = 0 at p = 1/3. Below 1/3 the gradient "
        "shrinks again, down to 0 at p = 0: MSE pushes least where the model is most wrong.",
        mistakes=[
            (0.5, "p = 1/2 is where the sigmoid's slope p (1 - p) peaks. The error factor "
             "(1 - p) shifts the peak of 2 p (1 - p)^2 lower."),
            (G_MAX_42, "that is the largest value of the gradient, 8/27. The question asks "
             "for the p where it occurs."),
            (0.25, "0.25 is the largest value of p (1 - p), at p = 1/2. Differentiate "
             "p (1 - p)^2 and set it to 0."),
            (2 / 3, "p = 2/3 is the answer for y = 0 (the mirror image). For y = 1 the gradient "
             "is 2 p (1 - p)^2."),
            (0.0, "at p = 0 the gradient is 0: that is the minimum, the saturation the "
             "notebook is about. Look for the maximum."),
            (1.0, "at p = 1 the gradient is 0 (the prediction is perfect). Look for the "
             "maximum in between."),
        ],
        otherwise="Differentiate f(p) = p (1 - p)^2, factor it, and find where it is 0 inside "
        "(0, 1).",
    ),
    hint="f(p) = p (1 - p)^2. Its derivative factors as (1 - p) times something linear in p.",
    solution=f"""
f(p) = p (1 - p)^2
f'(p) = (1 - p)^2 - 2 p (1 - p) = (1 - p) (1 - 3p)
f'(p) = 0 inside (0, 1) at p = 1/3 = {P_MAX_42:.4f}; there |dL/dz| = 2 * (1/3) * (2/3)^2 = 8/27
= {G_MAX_42:.4f}.

Check numerically:  p = np.linspace(0, 1, 100001); p[np.argmax(2 * p * (1 - p) ** 2)]  ->  0.3333
Below p = 1/3 the push weakens again, to 0 at p = 0: the more confidently wrong, the weaker.
""",
)

# 04.3 -----------------------------------------------------------------------------------------
# softmax([4, 0, 0]) = [e^4, 1, 1] / (e^4 + 2) = [0.96466, 0.01767, 0.01767]; true class 2
Z_43 = np.array([4.0, 0.0, 0.0])
P_43 = softmax(Z_43)
ONEHOT_43 = np.array([0.0, 0.0, 1.0])

ex_04_3 = Exercise(
    id="04.3",
    notebook=NB,
    title="The softmax cross-entropy gradient",
    answer="array",
    prompt="""
Three classes (cat, dog, bird) with logits z = [4, 0, 0]; the true class is bird (index 2).
The gradient of the cross-entropy with respect to the logits is softmax(z) - onehot(y).
Enter it as an array of 3 numbers (at least 4 decimals, or computed with numpy):

    answer = ...
    check("04.3", answer)
""",
    checker=array_checker(
        P_43 - ONEHOT_43,
        atol=5e-4,
        why="softmax([4, 0, 0]) = [0.9647, 0.0177, 0.0177]; subtracting the one-hot target "
        "[0, 0, 1] gives [0.9647, 0.0177, -0.9823]: push cat down hard and bird up hard.",
        mistakes=[
            (ONEHOT_43 - P_43, "the sign is flipped: the gradient is softmax(z) - onehot, so the "
             "true class gets a negative entry (descent raises its logit)."),
            (P_43, "that is softmax(z) alone. Subtract the one-hot target [0, 0, 1]."),
            (P_43 - np.array([1.0, 0.0, 0.0]), "you put the 1 of the one-hot target on class 0. "
             "The true class is bird, index 2."),
            (P_43 - np.array([0.0, 1.0, 0.0]), "you put the 1 of the one-hot target on class 1 "
             "(off by one). The true class is bird, index 2."),
            ((P_43 - ONEHOT_43) / 3, "you divided by the number of classes. For one example "
             "the gradient is softmax(z) - onehot, with no averaging over classes."),
            (P_43 - 1, "you subtracted 1 from every entry. Only the true class has a 1 in the "
             "one-hot target."),
        ],
        otherwise="Compute p = softmax(z) (subtract the max, exponentiate, normalise), then "
        "subtract 1 at index 2.",
    ),
    hint="p = np.exp(z - z.max()); p /= p.sum(); then subtract 1 from p[2].",
    solution=f"""
softmax([4, 0, 0]) = [e^4, 1, 1] / (e^4 + 2) = [{P_43[0]:.4f}, {P_43[1]:.4f}, {P_43[2]:.4f}]
onehot(bird)       = [0, 0, 1]
gradient           = [{P_43[0]:.4f}, {P_43[1]:.4f}, {P_43[2] - 1:.4f}]

In code:  p = np.exp(z - z.max()); p /= p.sum(); p - np.array([0, 0, 1])
The entries add up to 0; the true class's logit is pushed up by 1 - p(bird), about 0.98: no
saturation, however wrong the model is.
""",
)

register(ex_04_1, ex_04_2, ex_04_3)
