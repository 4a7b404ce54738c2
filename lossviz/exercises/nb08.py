"""Exercises for notebook 08: common mistakes (double softmax, task-output-loss alignment)."""

from __future__ import annotations

import warnings

import numpy as np

from lossviz import cross_entropy, softmax

from ._core import Exercise, matching_checker, number_checker, register

NB = "08_common_mistakes"


def _double_softmax_loss(z, y):
    # cross_entropy warns that its input looks like probabilities: that is the point here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cross_entropy(softmax(z), y))


# 08.1 -----------------------------------------------------------------------------------------
# softmax([2, 0.5, -1]) = [0.7856, 0.1753, 0.0391]; fed in again as logits:
# logsumexp([0.7856, 0.1753, 0.0391]) - 0.7856 = 1.4873 - 0.7856 = 0.7017 (the right loss: 0.2413)
Z_81 = np.array([2.0, 0.5, -1.0])
DOUBLE_81 = _double_softmax_loss(Z_81, 0)
SINGLE_81 = float(cross_entropy(Z_81, 0))

ex_08_1 = Exercise(
    id="08.1",
    notebook=NB,
    title="The loss after a double softmax",
    answer="number",
    prompt="""
A model produces logits z = [2.0, 0.5, -1.0] for (cat, dog, bird); the true class is cat (0).
By mistake the code applies softmax and passes the probabilities to cross_entropy, which applies
softmax again: loss = cross_entropy(softmax(z), 0). What loss does the buggy code report?

    answer = ...
    check("08.1", answer)
""",
    checker=number_checker(
        DOUBLE_81,
        why="softmax(z) = [0.7856, 0.1753, 0.0391] taken as logits gives "
        "logsumexp(...) - 0.7856 = 0.7017, almost three times the correct 0.2413.",
        mistakes=[
            (SINGLE_81, "0.2413 is the correct loss, cross_entropy(z, 0). The question asks "
             "what the buggy code reports, cross_entropy(softmax(z), 0)."),
            (np.log(3), "ln 3 = 1.0986 is the loss of equal logits. The probabilities "
             "[0.79, 0.18, 0.04] are not equal, so the second softmax is not quite uniform."),
            (-DOUBLE_81, "the sign is wrong: cross-entropy is positive."),
            (DOUBLE_81 / np.log(10), "you used log10. Use the natural log."),
        ],
        otherwise="First p = softmax(z); then cross-entropy of p taken as logits: "
        "ln(sum exp(p)) - p[0].",
    ),
    hint="Compute p = softmax(z), then treat p as logits: loss = ln(e^p0 + e^p1 + e^p2) - p0.",
    solution=f"""
p = softmax([2.0, 0.5, -1.0]) = [0.7856, 0.1753, 0.0391]
cross_entropy(p, 0) = ln(e^0.7856 + e^0.1753 + e^0.0391) - 0.7856
                    = 1.4873 - 0.7856 = {DOUBLE_81:.4f}
The correct loss is cross_entropy(z, 0) = {SINGLE_81:.4f}. The second softmax squeezes the
"logits" into [0, 1], so the probabilities it produces are close to uniform.
""",
)

# 08.2 -----------------------------------------------------------------------------------------
# A 10-class classifier with the double softmax can at best make softmax(z) = [1, 0, ..., 0]; the
# second softmax then gives the true class e / (e + 9), so the floor is
# ln(e + 9) - 1 = ln(11.718282) - 1 = 2.461150 - 1 = 1.461150.  (3 classes: ln(e + 2) - 1 = 0.5514)
C_82 = 10
ONE_HOT_82 = np.eye(C_82)[0]
with warnings.catch_warnings():  # a one-hot row looks like probabilities: that is the point
    warnings.simplefilter("ignore")
    BEST_82 = float(cross_entropy(ONE_HOT_82, 0))
P0_82 = float(np.e / (np.e + C_82 - 1))

ex_08_2 = Exercise(
    id="08.2",
    notebook=NB,
    title="The floor of a double softmax",
    answer="number",
    prompt="""
A digit classifier has C = 10 classes and, by mistake, applies softmax before cross_entropy.
Even a perfect model can at best make the first softmax [1, 0, ..., 0] (all probability on the
true class 0). What is the smallest loss cross_entropy(softmax(z), 0) can then reach?

    answer = ...
    check("08.2", answer)
""",
    checker=number_checker(
        BEST_82,
        why="[1, 0, ..., 0] as logits gives ln(e^1 + 9 e^0) - 1 = ln(e + 9) - 1 = 1.4612: the "
        "loss can never go below it, however good the model, so training keeps pushing in vain.",
        mistakes=[
            (0.0, "with a single softmax the loss can approach 0. With the double softmax the "
             "second softmax sees 'logits' in [0, 1]: feed [1, 0, ..., 0] through cross_entropy."),
            (np.log(C_82), "ln 10 = 2.3026 is the loss when all ten logits are equal. The best "
             "case is [1, 0, ..., 0]."),
            (np.log(np.e + C_82 - 1), "ln(e + 9) = 2.4612 is the log-sum-exp; subtract the true "
             "class's logit, 1."),
            (np.log(np.e + 2) - 1, "0.5514 is the floor for 3 classes, ln(e + 2) - 1. Here there "
             "are C = 10 classes: nine zeros next to the 1."),
            (-BEST_82, "the sign is wrong: cross-entropy is positive."),
        ],
        otherwise="Compute cross_entropy([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0) = "
        "ln(e^1 + 9 e^0) - 1.",
    ),
    hint="The second softmax sees the logits [1, 0, ..., 0] (nine zeros). Its probability for "
    "class 0 is e / (e + 9).",
    solution=f"""
Best case: softmax(z) -> [1, 0, ..., 0]; the second softmax gives p0 = e / (e + 9) = {P0_82:.4f}.
loss = -ln(e / (e + 9)) = ln(e + 9) - 1 = {BEST_82:.4f}
In code:  np.log(np.e + 9) - 1  ->  {BEST_82:.4f}
In general, with C classes the floor is ln(e + C - 1) - 1 (0.5514 for C = 3); for many classes
it approaches ln C - 1, only one nat better than a uniform guess. Near the floor the gradients are
tiny: the model trains slowly towards a target it cannot reach.
""",
)

# 08.3 -----------------------------------------------------------------------------------------
TASKS_83 = [
    "house price",
    "spam or not spam",
    "cat / dog / bird photo",
    "next token over 50,000 tokens",
]
OPTIONS_83 = {
    "A": "one output, no activation (identity), MSE",
    "B": "one logit, sigmoid, binary cross-entropy (binary_cross_entropy_with_logits on the logit)",
    "C": "one logit per class, softmax, cross-entropy (cross_entropy on the logits)",
    "D": "one logit per class, softmax, MSE against the one-hot target",
    "E": "one logit, sigmoid, MSE",
}
ANSWER_83 = "ABCC"

_regression = (
    "a price is a number, not a class: predict it directly (no squashing activation) and "
    "use MSE."
)
_not_mse = "classification outputs come from a sigmoid/softmax, and MSE on them saturates; " \
    "use cross-entropy."
HINTS_83 = {
    0: {
        "B": "a sigmoid squashes the output into (0, 1): " + _regression,
        "C": "there are no classes here: " + _regression,
        "D": "there are no classes here: " + _regression,
        "E": "a sigmoid squashes the output into (0, 1): " + _regression,
    },
    1: {
        "A": "the target is a class (spam or not); use one logit, a sigmoid and binary "
        "cross-entropy.",
        "C": "two-class softmax works too, but the standard setup for a yes/no label is one "
        "logit with sigmoid + binary cross-entropy (B).",
        "D": _not_mse,
        "E": _not_mse,
    },
    2: {
        "A": "the target is one of three classes; use one logit per class, softmax and "
        "cross-entropy.",
        "B": "sigmoid + BCE is for one yes/no label (or independent labels); three mutually "
        "exclusive classes need softmax + cross-entropy.",
        "D": _not_mse,
        "E": _not_mse,
    },
    3: {
        "A": "the next token is a class out of the vocabulary: softmax + cross-entropy, as "
        "for any multi-class problem.",
        "B": "only one token comes next: the classes are mutually exclusive, so softmax + "
        "cross-entropy.",
        "D": _not_mse,
        "E": _not_mse,
    },
}

ex_08_3 = Exercise(
    id="08.3",
    notebook=NB,
    title="Task, output and loss must fit together",
    answer="choice",
    prompt="""
Match each task with its final layer, activation and loss. Tasks:

""" + "\n".join(f"    {i + 1}. {t}" for i, t in enumerate(TASKS_83)) + """

Options (an option can be used more than once):

""" + "\n".join(f"    {k}) {v}" for k, v in OPTIONS_83.items()) + """

Answer with one letter per task, in order, as a string such as "AAAA":

    answer = ...
    check("08.3", answer)
""",
    checker=matching_checker(
        TASKS_83,
        OPTIONS_83,
        ANSWER_83,
        why="A number -> identity + MSE; a yes/no label -> sigmoid + binary cross-entropy; one "
        "of several classes (cat/dog/bird, or the next token) -> softmax + cross-entropy.",
        hints=HINTS_83,
    ),
    hint="Ask of each target: is it a number, a yes/no label, or one class out of several?",
    solution="""
1. house price             -> A  one output, identity, MSE                (a number)
2. spam or not spam        -> B  one logit, sigmoid, binary cross-entropy  (a yes/no label)
3. cat / dog / bird photo  -> C  one logit per class, softmax, cross-entropy
4. next token              -> C  the same, with 50,000 classes
Answer: "ABCC". D and E put MSE on top of a softmax/sigmoid: they train, but slowly (notebook 04).
""",
)

register(ex_08_1, ex_08_2, ex_08_3)
