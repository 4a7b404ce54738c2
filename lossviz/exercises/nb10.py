"""Exercises for notebook 10: probabilities you can trust (ECE, pos_weight, a threshold)."""

from __future__ import annotations

from ._core import Exercise, choice_checker, number_checker, register

NB = "10_probabilities_you_can_trust"

# 10.1 -----------------------------------------------------------------------------------------
# Three non-empty bins of 100 predictions:
#   40 at mean confidence 0.65, right 55% of the time:  |0.55 - 0.65| = 0.10
#   50 at 0.85, right 80%:                               |0.80 - 0.85| = 0.05
#   10 at 0.95, right 90%:                               |0.90 - 0.95| = 0.05
# ECE = (40 * 0.10 + 50 * 0.05 + 10 * 0.05) / 100 = (4 + 2.5 + 0.5) / 100 = 0.07
BINS_101 = [(40, 0.65, 0.55), (50, 0.85, 0.80), (10, 0.95, 0.90)]
_N_101 = sum(n for n, _, _ in BINS_101)
ECE_101 = sum(n * abs(acc - conf) for n, conf, acc in BINS_101) / _N_101
UNWEIGHTED_101 = sum(abs(acc - conf) for _, conf, acc in BINS_101) / len(BINS_101)   # 0.0667
MAX_101 = max(abs(acc - conf) for _, conf, acc in BINS_101)                          # 0.10
SUM_101 = sum(n * abs(acc - conf) for n, conf, acc in BINS_101)                      # 7

ex_10_1 = Exercise(
    id="10.1",
    notebook=NB,
    title="Expected calibration error from a reliability table",
    answer="number",
    prompt="""
A model made 100 predictions. Grouped by confidence (the other bins are empty):

    bin          examples   mean confidence   fraction right
    [0.6, 0.7)      40           0.65              0.55
    [0.8, 0.9)      50           0.85              0.80
    [0.9, 1.0]      10           0.95              0.90

What is its expected calibration error (ECE)?

    answer = ...
    check("10.1", answer)
""",
    checker=number_checker(
        ECE_101,
        why="ECE = (40 * 0.10 + 50 * 0.05 + 10 * 0.05) / 100 = 0.07: on average the confidence "
        "is 7 percentage points away from how often the model is right (here it is too sure).",
        mistakes=[
            (UNWEIGHTED_101, "that is the plain mean of the three gaps, (0.10 + 0.05 + 0.05) / 3. "
             "ECE weights each bin by its share of the examples: 40/100, 50/100 and 10/100."),
            (MAX_101, "0.10 is the largest gap (the 'maximum calibration error'). ECE is the "
             "average gap, each bin weighted by its number of examples."),
            (SUM_101, "you summed examples x gap; divide by the 100 examples."),
            (-ECE_101, "ECE averages the absolute gaps |fraction right - confidence|, so it is "
             "never negative."),
        ],
        otherwise="For each bin take |fraction right - mean confidence|, multiply by the bin's "
        "examples, add up and divide by all 100 examples.",
    ),
    hint="Weight each bin's gap |fraction right - mean confidence| by its share of the examples.",
    solution=f"""
gaps: |0.55 - 0.65| = 0.10, |0.80 - 0.85| = 0.05, |0.90 - 0.95| = 0.05
ECE = (40 * 0.10 + 50 * 0.05 + 10 * 0.05) / 100 = (4 + 2.5 + 0.5) / 100 = {ECE_101:.2f}
In every bin the model is right less often than it claims: it is overconfident.
With lossviz, on the raw predictions: lossviz.calibration.expected_calibration_error(conf, correct).
""",
)

# 10.2 -----------------------------------------------------------------------------------------
# 1000 training emails, 40 of them spam: pos_weight = negatives / positives = 960 / 40 = 24,
# so the 40 positives weigh 40 * 24 = 960, as much as the 960 negatives.
N_102, POS_102 = 1000, 40
POS_WEIGHT_102 = (N_102 - POS_102) / POS_102

ex_10_2 = Exercise(
    id="10.2",
    notebook=NB,
    title="pos_weight for an imbalanced training set",
    answer="number",
    prompt="""
A spam filter's training set has 1000 emails, 40 of them spam (label 1). You want the spam
emails, taken together, to weigh as much in binary_cross_entropy_with_logits as the rest, using
pos_weight (PyTorch's usual recipe: number of negatives / number of positives). What pos_weight?

    answer = ...
    check("10.2", answer)
""",
    checker=number_checker(
        POS_WEIGHT_102,
        why="960 negatives / 40 positives = 24: the 40 spam emails then weigh 40 * 24 = 960, as "
        "much as the 960 others.",
        mistakes=[
            (N_102 / POS_102, "1000 / 40 = 25 divides all emails by the spam ones. Divide the "
             "negatives (1000 - 40 = 960) by the positives."),
            (POS_102 / N_102, "0.04 is the fraction of spam. pos_weight multiplies the loss of "
             "each positive, so it must be large when positives are rare."),
            (POS_102 / (N_102 - POS_102), "40 / 960 is the inverse: pos_weight multiplies the "
             "positives' loss, so it is negatives / positives."),
        ],
        otherwise="Count the negatives (not spam) and divide by the number of positives (spam).",
    ),
    hint="How many emails are not spam? pos_weight = negatives / positives.",
    solution=f"""
negatives = 1000 - 40 = 960;  pos_weight = 960 / 40 = {POS_WEIGHT_102:g}
Each spam email's loss is multiplied by {POS_WEIGHT_102:g}, so the 40 of them weigh 960 in total.
The price: the trained model's probabilities are no longer calibrated (they are pushed up, by
about log 24 = 3.18 in the logit); it behaves much like the unweighted model with its threshold
moved from 0.5 down to 1 / (1 + 24) = 0.04.
""",
)

# 10.3 -----------------------------------------------------------------------------------------
OPTIONS_103 = {
    "A": "threshold 0.5:  precision 0.81, recall 0.55, accuracy 0.971",
    "B": "threshold 0.2:  precision 0.58, recall 0.70, accuracy 0.960",
    "C": "threshold 0.05: precision 0.31, recall 0.87, accuracy 0.896",
    "D": "threshold 0.03: precision 0.24, recall 0.91, accuracy 0.850",
    "E": "threshold 0.01: precision 0.12, recall 0.97, accuracy 0.660",
}

ex_10_3 = Exercise(
    id="10.3",
    notebook=NB,
    title="Choosing a threshold",
    answer="choice",
    prompt="""
A screening model for a rare disease (5% of patients) gives calibrated probabilities. The clinic
needs it to flag at least 90% of the sick patients (recall >= 0.90) and, within that, as few
false alarms as possible (the highest precision). Which threshold?

    A) threshold 0.5:  precision 0.81, recall 0.55, accuracy 0.971
    B) threshold 0.2:  precision 0.58, recall 0.70, accuracy 0.960
    C) threshold 0.05: precision 0.31, recall 0.87, accuracy 0.896
    D) threshold 0.03: precision 0.24, recall 0.91, accuracy 0.850
    E) threshold 0.01: precision 0.12, recall 0.97, accuracy 0.660

    answer = ...       # a letter, e.g. "A"
    check("10.3", answer)
""",
    checker=choice_checker(
        OPTIONS_103,
        "D",
        why="0.03 is the highest threshold whose recall reaches 0.90 (0.91), so it has the most "
        "precision of those that qualify. Accuracy does not enter: it is highest for the "
        "threshold that misses almost half of the sick.",
        wrong_hints={
            "A": "Threshold 0.5 has the best accuracy, but it finds only 55% of the sick patients. "
            "With 5% positives, accuracy mostly counts the healthy; the requirement is recall "
            ">= 0.90.",
            "B": "Recall 0.70 misses 30% of the sick patients; the requirement is recall >= 0.90.",
            "C": "Close: recall 0.87 is still below 0.90. Lower the threshold a little more.",
            "E": "Recall 0.97 meets the requirement, but so does a higher threshold with fewer "
            "false alarms (higher precision). Pick the best precision among those with recall "
            ">= 0.90.",
        },
    ),
    hint="First cross out every option whose recall is below 0.90; of the rest, take the one with "
    "the highest precision.",
    solution="""
Recall >= 0.90: only D (0.91) and E (0.97). Of these, D has the higher precision (0.24 against
0.12), i.e. fewer false alarms per patient found. Answer D.
Lowering the threshold trades precision for recall; the loss the model was trained with does not
choose the threshold: the cost of each kind of mistake does.
""",
)

register(ex_10_1, ex_10_2, ex_10_3)
