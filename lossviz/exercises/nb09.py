"""Exercises for notebook 09: the information view (entropy, KL, label smoothing, kl_div)."""

from __future__ import annotations

import numpy as np

from ._core import Exercise, choice_checker, number_checker, register

NB = "09_information_view"


def _entropy(t):
    """H(t) = -sum t log t in nats, with 0 log 0 = 0 (written out: the reference of 09.1/09.2)."""
    t = np.asarray(t, dtype=float)
    nz = t > 0
    return float(-np.sum(t[nz] * np.log(t[nz])))


# 09.1 -----------------------------------------------------------------------------------------
# K = 4, eps = 0.2: t = (1 - 0.2 + 0.2/4, 0.2/4, 0.2/4, 0.2/4) = (0.85, 0.05, 0.05, 0.05)
# H = -(0.85 ln 0.85 + 3 * 0.05 ln 0.05) = 0.85 * 0.162519 + 0.15 * 2.995732
#   = 0.138141 + 0.449360 = 0.587501 nats
K_91, EPS_91 = 4, 0.2
T_91 = (1 - EPS_91) * np.eye(K_91)[0] + EPS_91 / K_91
FLOOR_91 = _entropy(T_91)
TRUE_TERM_91 = float(-T_91[0] * np.log(T_91[0]))
REST_TERM_91 = FLOOR_91 - TRUE_TERM_91
# the two usual slips: 1 - eps on the true class without its eps / K share (the row then sums
# to 0.95), and the other convention that spreads eps over the K - 1 wrong classes only
NO_SHARE_91 = float(-(0.8 * np.log(0.8) + 3 * 0.05 * np.log(0.05)))
OTHER_CONVENTION_91 = _entropy([0.8, 0.2 / 3, 0.2 / 3, 0.2 / 3])

ex_09_1 = Exercise(
    id="09.1",
    notebook=NB,
    title="The floor under a label-smoothed loss",
    answer="number",
    prompt="""
A classifier with K = 4 classes is trained with cross_entropy(..., label_smoothing=0.2). Each
one-hot target becomes t = (1 - eps) * onehot + eps / K. What is the smallest value the loss of
one example can ever reach, in nats? (It is the entropy H(t) of the smoothed target.)

    answer = ...
    check("09.1", answer)
""",
    checker=number_checker(
        FLOOR_91,
        why="t = (0.85, 0.05, 0.05, 0.05) and H(t) = -(0.85 ln 0.85 + 3 * 0.05 ln 0.05) = "
        "0.1381 + 0.4494 = 0.5875 nats. Cross-entropy = H(t) + KL(t||p) and KL >= 0, so no "
        "prediction scores lower; p = t reaches it.",
        mistakes=[
            (0.0, "0 is the floor for a one-hot target, whose entropy is 0. The smoothed target "
             "is spread out: compute H(t) = -sum t_c ln t_c for t = (0.85, 0.05, 0.05, 0.05)."),
            (np.log(K_91), "ln 4 = 1.3863 is the entropy of the uniform distribution (eps = 1). "
             "With eps = 0.2 the true class keeps 0.85."),
            (FLOOR_91 / np.log(2), "that is the floor in bits (log2). The question asks for "
             "nats: use the natural log."),
            (NO_SHARE_91, "you gave the true class 1 - eps = 0.8, but it also gets its share "
             "eps / K = 0.05 of the uniform part: 0.85 (the four entries must sum to 1)."),
            (OTHER_CONVENTION_91, "you spread eps over the K - 1 = 3 wrong classes only. "
             "label_smoothing (in lossviz and PyTorch) mixes with the uniform distribution over "
             "all K classes: t = (0.85, 0.05, 0.05, 0.05)."),
            (TRUE_TERM_91, "that is only the true class's term -0.85 ln 0.85. Add the three "
             "terms -0.05 ln 0.05 of the other classes."),
            (REST_TERM_91, "that is only the three other classes' terms. Add the true class's "
             "term -0.85 ln 0.85."),
            (-FLOOR_91, "the sign is wrong: entropy is -sum t ln t, which is >= 0."),
        ],
        otherwise="Build t = (1 - 0.2) * onehot + 0.2 / 4 = (0.85, 0.05, 0.05, 0.05), then "
        "H(t) = -sum t_c ln t_c.",
    ),
    hint="First write down the smoothed target: every class gets eps / K = 0.05, and the true "
    "class also keeps 1 - eps. Then take its entropy.",
    solution=f"""
t = (1 - 0.2) * (1, 0, 0, 0) + 0.2 / 4 = (0.85, 0.05, 0.05, 0.05)
H(t) = -(0.85 ln 0.85 + 3 * 0.05 ln 0.05)
     = 0.85 * 0.1625 + 0.15 * 2.9957 = {TRUE_TERM_91:.4f} + {REST_TERM_91:.4f} = {FLOOR_91:.4f} nats
In code:  t = np.array([0.85, 0.05, 0.05, 0.05]);  -(t * np.log(t)).sum()  ->  {FLOOR_91:.4f}
Cross-entropy against t is H(t) + KL(t||p) and KL(t||p) >= 0, so the loss of every example stays
above {FLOOR_91:.4f}, reached only by the prediction p = t (0.85 on the true class, not 1).
""",
)

# 09.2 -----------------------------------------------------------------------------------------
# t = (0.7, 0.2, 0.1), p = (0.5, 0.25, 0.25):
# CE = -(0.7 ln 0.5 + 0.2 ln 0.25 + 0.1 ln 0.25) = 0.485203 + 0.277259 + 0.138629 = 0.901092
# H(t) = -(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) = 0.249672 + 0.321888 + 0.230259 = 0.801819
# KL(t||p) = CE - H(t) = 0.099273
T_92 = np.array([0.7, 0.2, 0.1])
P_92 = np.array([0.5, 0.25, 0.25])
CE_92 = float(-np.sum(T_92 * np.log(P_92)))
H_92 = _entropy(T_92)
KL_92 = CE_92 - H_92
REVERSE_92 = float(np.sum(P_92 * np.log(P_92 / T_92)))  # KL(p||t)
H_P_92 = _entropy(P_92)

ex_09_2 = Exercise(
    id="09.2",
    notebook=NB,
    title="KL divergence from cross-entropy and entropy",
    answer="number",
    prompt="""
Three annotators' votes give the soft target t = (0.7, 0.2, 0.1) for (cat, dog, bird); a model
predicts p = (0.5, 0.25, 0.25). Its cross-entropy H(t, p) = -sum t_c ln p_c is 0.9011 nats.
Compute the entropy H(t) of the target and from it the KL divergence KL(t||p), in nats.

    answer = ...
    check("09.2", answer)
""",
    checker=number_checker(
        KL_92,
        why="H(t) = -(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) = 0.8018, so KL(t||p) = "
        "0.9011 - 0.8018 = 0.0993 nats: only this part of the loss can be trained away.",
        mistakes=[
            (CE_92, "0.9011 is the whole cross-entropy. Subtract the entropy of the target, "
             "H(t), which no prediction can remove."),
            (H_92, "0.8018 is H(t), the part the model cannot change. The question asks for "
             "the rest, KL(t||p) = H(t, p) - H(t)."),
            (REVERSE_92, "that is KL(p||t) = sum p ln(p / t), the arguments the other way round. "
             "KL(t||p) weights by the target: sum t ln(t / p)."),
            (CE_92 - H_P_92, "you subtracted H(p) = 1.0397, the entropy of the prediction. The "
             "floor of the loss is the entropy of the target, H(t)."),
            (KL_92 / np.log(2), "that is KL in bits (log2). The question asks for nats."),
            (CE_92 + H_92, "cross-entropy = H(t) + KL(t||p), so KL = H(t, p) - H(t): subtract, "
             "do not add."),
            (-KL_92, "the sign is wrong: KL(t||p) = H(t, p) - H(t) >= 0."),
        ],
        otherwise="KL(t||p) = H(t, p) - H(t) with H(t) = -sum t_c ln t_c; or directly "
        "sum t_c ln(t_c / p_c).",
    ),
    hint="Cross-entropy splits as H(t, p) = H(t) + KL(t||p). Compute H(t) = -sum t_c ln t_c "
    "and subtract.",
    solution=f"""
H(t) = -(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) = 0.2497 + 0.3219 + 0.2303 = {H_92:.4f}
KL(t||p) = H(t, p) - H(t) = {CE_92:.4f} - {H_92:.4f} = {KL_92:.4f} nats
Directly: sum t ln(t / p) = 0.7 ln 1.4 + 0.2 ln 0.8 + 0.1 ln 0.4 = {KL_92:.4f}
(The other order, KL(p||t) = sum p ln(p / t), is {REVERSE_92:.4f}: KL is not symmetric.)
""",
)

# 09.3 -----------------------------------------------------------------------------------------
OPTIONS_93 = {
    "A": 'kl_div(softmax(logits), t, reduction="batchmean")',
    "B": 'kl_div(log_softmax(logits), t, reduction="batchmean")',
    "C": 'kl_div(log(t), softmax(logits), reduction="batchmean")',
    "D": 'kl_div(log_softmax(logits), t, reduction="mean")',
}

ex_09_3 = Exercise(
    id="09.3",
    notebook=NB,
    title="kl_div: which argument is which",
    answer="choice",
    prompt="""
A model outputs logits of shape (N, C); t holds the target distributions, also (N, C). Which
call (torch.nn.functional.kl_div, or lossviz.kl_div, which has the same semantics) gives the
mean over the N examples of KL(t||p), where p = softmax(logits)? Softmaxes are over the classes.

""" + "\n".join(f"    {k}) {v}" for k, v in OPTIONS_93.items()) + """

    answer = ...        # a letter, e.g. "A"
    check("09.3", answer)
""",
    checker=choice_checker(
        OPTIONS_93,
        "B",
        why="kl_div(input, target) computes sum target * (log target - input): the input must "
        "be the MODEL's log-probabilities, the target the true distribution, and 'batchmean' "
        "divides the sum by N, giving KL(t||p) per example.",
        wrong_hints={
            "A": "The input must be log-probabilities. With probabilities p the call computes "
            "sum t (log t - p) = -H(t) - sum t p, which is not a KL at all and is often "
            "negative (lossviz.kl_div warns when its input looks like probabilities).",
            "C": "This swaps the roles: the input is log t and the target p, so it computes "
            "KL(p||t), the other direction, and a 0 in t becomes log 0 = -inf.",
            "D": "With 'mean' the sum is divided by N * C (every element), so the result is C "
            "times too small; 'batchmean' divides by N and gives the KL per example.",
        },
    ),
    hint="kl_div(input, target) computes sum target * (log target - input). Which argument "
    "has to be a log, and which one weights the terms?",
    solution="""
kl_div(input, target) = sum target * (log target - input), reduced.
For KL(t||p) = sum t (log t - log p) the target is t and the input is log p = log_softmax(logits).
"batchmean" divides the sum by N (the KL per example); "mean" divides by N * C.
Answer B: kl_div(log_softmax(logits), t, reduction="batchmean").
A passes probabilities (a number that can be negative), C computes KL(p||t), D is C times too small.
""",
)

register(ex_09_1, ex_09_2, ex_09_3)
