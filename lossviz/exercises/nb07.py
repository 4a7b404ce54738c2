"""Exercises for notebook 07: next-token prediction, the uniform baseline and perplexity."""

from __future__ import annotations

import numpy as np

from lossviz import cross_entropy, log_softmax

from ._core import Exercise, Mistake, function_checker, number_checker, quiet, register

NB = "07_next_token_prediction"

# 07.1 -----------------------------------------------------------------------------------------
# uniform over V = 65 characters: -ln(1/65) = ln 65 = 4.1744
V_71 = 65

ex_07_1 = Exercise(
    id="07.1",
    notebook=NB,
    title="The uniform baseline",
    answer="number",
    prompt="""
A character-level model over a vocabulary of V = 65 characters knows nothing yet: it gives every
character probability 1/65. What is its cross-entropy loss per character (natural log)?

    answer = ...
    check("07.1", answer)
""",
    checker=number_checker(
        np.log(V_71),
        why="-ln(1/65) = ln 65 = 4.1744 nats: any model worth training must get below this "
        "baseline.",
        mistakes=[
            (np.log2(V_71), "you used log2 (that is 6.02 bits). Use the natural log."),
            (np.log10(V_71), "you used log10. Use the natural log."),
            (1 / V_71, "that is the probability of each character. The loss is -ln of it."),
            (float(V_71), "65 is the perplexity of the uniform model, exp(loss). The loss is "
             "ln 65."),
            (-np.log(V_71), "the sign is wrong: the loss is -ln(1/65) = +ln 65."),
        ],
        otherwise="Cross-entropy is -ln p(true character), and here p = 1/65 for every character.",
    ),
    hint="Whatever the next character is, the model gave it probability 1/65.",
    solution=f"""
p(any character) = 1/65
loss = -ln(1/65) = ln 65 = {np.log(V_71):.4f}

In code:  np.log(65)  ->  {np.log(V_71):.4f}
For a vocabulary of V tokens the uniform baseline is ln V: for V = 50,000, ln 50000 = 10.82.
""",
)

# 07.2 -----------------------------------------------------------------------------------------
LOSS_72 = 2.5
PPL_72 = float(np.exp(LOSS_72))

ex_07_2 = Exercise(
    id="07.2",
    notebook=NB,
    title="Perplexity from a loss",
    answer="number",
    prompt="""
After training, a bigram model reaches a cross-entropy of 2.5 nats per character (natural log).
What is its perplexity?

    answer = ...
    check("07.2", answer)
""",
    checker=number_checker(
        PPL_72,
        why="perplexity = exp(2.5) = 12.18: the model is as unsure as if it chose uniformly "
        "among about 12 characters (the uniform baseline is 65).",
        mistakes=[
            (2**LOSS_72, "2^loss is the perplexity when the loss is in bits (log2). This loss "
             "is in nats: use exp."),
            (10**LOSS_72, "10^loss would match a log10 loss. This loss is in nats: use exp."),
            (np.log(LOSS_72), "perplexity is exp(loss), not log(loss)."),
            (np.exp(-LOSS_72), "exp(-loss) = 0.082 is the geometric-mean probability of the "
             "correct character. Perplexity is its inverse, exp(+loss)."),
            (LOSS_72, "2.5 is the loss itself. Perplexity = exp(loss)."),
        ],
        otherwise="perplexity = exp(cross-entropy in nats).",
    ),
    hint="Perplexity undoes the log: it is e raised to the loss.",
    solution=f"""
perplexity = exp(cross-entropy) = exp(2.5) = {PPL_72:.4f}

In code:  np.exp(2.5)  ->  {PPL_72:.4f}
Read it as an effective number of choices: about 12 equally likely characters, down from 65 for
the uniform model (whose perplexity is exp(ln 65) = 65 = V).
""",
)

# 07.3 -----------------------------------------------------------------------------------------
CASES_73 = [
    (np.zeros((4, 5)), np.array([0, 1, 2, 3])),  # uniform over V = 5: perplexity 5
    (np.array([[2.0, 0.5, -1.0]]), np.array([0])),  # one token: exp(0.2413) = 1.2729
    (
        np.array([[1.0, 2.0, 0.5, -1.0], [0.0, 0.3, 2.2, 1.0], [1.5, -0.5, 0.0, 0.25]]),
        np.array([1, 3, 0]),
    ),
    (np.array([[1000.0, 0.0, 0.0], [0.0, 0.0, 1000.0]]), np.array([0, 2])),  # certain: 1
]
LARGE_73 = (3,)


def _per_token(z, y):
    return -log_softmax(z, axis=-1)[np.arange(z.shape[0]), y]


ex_07_3 = Exercise(
    id="07.3",
    notebook=NB,
    title="Perplexity of a batch of predictions",
    answer="function",
    prompt="""
Write `my_perplexity(logits, next_ids)`: `logits` has shape (N, V), one row of scores over the
vocabulary for each of N positions, and `next_ids` holds the N tokens that actually came next.
Return the perplexity, exp of the mean cross-entropy over the N positions. (You may reuse your
`my_cross_entropy` from notebook 02.) Hidden cases include a uniform model and logits of 1000.

    def my_perplexity(logits, next_ids):
        ...

    check("07.3", my_perplexity)
""",
    checker=function_checker(
        quiet(lambda z, y: np.exp(cross_entropy(z, y))),
        CASES_73,
        signature="my_perplexity(logits, next_ids)",
        why="exp(mean cross-entropy): the exponential of the average loss, e.g. exactly V for "
        "a uniform model.",
        mistakes=[
            Mistake(lambda z, y: np.mean(np.exp(_per_token(z, y))),
                    "You averaged exp(loss) over the positions. Perplexity is exp of the MEAN "
                    "loss (a geometric mean), not the mean of the exponentials."),
            Mistake(lambda z, y: np.exp(np.sum(_per_token(z, y))),
                    "You took exp of the SUM of the losses, which grows with the length of the "
                    "text. Use the mean over the positions."),
            Mistake(lambda z, y: np.mean(_per_token(z, y)),
                    "That is the cross-entropy. Perplexity is exp(cross-entropy)."),
            Mistake(lambda z, y: 2 ** np.mean(_per_token(z, y)),
                    "You used 2^loss, which matches a loss in bits. The cross-entropy is in "
                    "nats (natural log): use np.exp."),
            Mistake(lambda z, y: np.exp(-np.mean(_per_token(z, y))),
                    "exp(-loss) is the geometric-mean probability of the correct tokens. "
                    "Perplexity is exp(+loss)."),
        ],
        large=LARGE_73,
        overflow_hint="Your function returns nan or inf for logits like [1000, 0, 0]: use a stable "
        "log-softmax (subtract each row's max) as in my_cross_entropy.",
        shape_hint="It returns one value per position: average the losses first, then exp.",
    ),
    hint="Compute the mean cross-entropy of the batch (stable log-softmax, pick the true tokens, "
    "average the negatives), then np.exp of it.",
    solution="""
def my_perplexity(logits, next_ids):
    z = logits - logits.max(axis=1, keepdims=True)            # stability
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))   # log-softmax per row
    loss = -np.mean(log_p[np.arange(len(next_ids)), next_ids]) # mean cross-entropy
    return np.exp(loss)

Uniform logits over V = 5 tokens: loss = ln 5, perplexity = 5.0000 (= V).
One position with logits [2.0, 0.5, -1.0] and next token 0: exp(0.2413) = 1.2729.
""",
)

register(ex_07_1, ex_07_2, ex_07_3)
