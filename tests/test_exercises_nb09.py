"""Exercises 09.1-09.3 (notebook 09, the information view): right answers in the forms a learner
writes them, typical wrong answers with the reason each must be told, garbage, and the reference
values against the arithmetic written out."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from lossviz import exercises as ex

NB09 = ["09.1", "09.2", "09.3"]

# 09.1: K = 4, eps = 0.2 -> t = (0.85, 0.05, 0.05, 0.05);
#       H = 0.85 * 0.162519 + 0.15 * 2.995732 = 0.138141 + 0.449360 = 0.587501
FLOOR = 0.587501
T91 = np.array([0.85, 0.05, 0.05, 0.05])
# 09.2: t = (0.7, 0.2, 0.1), p = (0.5, 0.25, 0.25); CE = 0.901092, H(t) = 0.801819,
#       KL(t||p) = 0.099273;  KL(p||t) = 0.5 ln(5/7) + 0.25 ln 1.25 + 0.25 ln 2.5 = 0.116623
KL = 0.099273

RIGHT = {
    "09.1": [FLOOR, 0.5875, float(-(T91 * np.log(T91)).sum()), np.float64(0.58750),
             np.array([0.5875])],
    "09.2": [KL, 0.0993, 0.9011 - 0.8018 + 0.0000027, float(np.sum([0.7, 0.2, 0.1] * np.log(
        np.array([0.7, 0.2, 0.1]) / np.array([0.5, 0.25, 0.25]))))],
    "09.3": ["B", "b", " (B) ", "B)", ["b"]],
}

# (answer, words the feedback must contain)
WRONG = {
    "09.1": [
        (0, ["one-hot", "entropy is 0"]),
        (np.log(4), ["uniform", "0.85"]),
        (FLOOR / np.log(2), ["bits", "natural log"]),
        (0.627899, ["eps / K = 0.05", "sum to 1"]),            # 0.8 on the true class
        (0.720130, ["K - 1 = 3 wrong classes", "all K classes"]),  # eps spread over 3 classes
        (0.138141, ["only the true class", "three"]),
        (0.449360, ["only the three other", "-0.85 ln 0.85"]),
        (-FLOOR, ["sign", ">= 0"]),
        (0.3, ["You gave 0.3", "(0.85, 0.05, 0.05, 0.05)"]),    # anything else: the recipe
        (0.59, ["close but not close enough"]),                # 0.4% off: keep 4 digits
    ],
    "09.2": [
        (0.9011, ["whole cross-entropy", "Subtract"]),
        (0.8018, ["H(t)", "cannot change"]),
        (0.116623, ["KL(p||t)", "other way round"]),
        (0.901092 - 1.039721, ["H(p) = 1.0397", "entropy of the target"]),
        (KL / np.log(2), ["bits"]),
        (0.901092 + 0.801819, ["subtract, do not add"]),
        (-KL, ["sign", ">= 0"]),
        (0.5, ["You gave 0.5", "sum t_c ln(t_c / p_c)"]),
    ],
    "09.3": [
        ("A", ["log-probabilities", "negative", "warns"]),
        ("c", ["swaps", "KL(p||t)", "-inf"]),
        ("D", ["N * C", "C times too small", "batchmean"]),
    ],
}

GARBAGE = ["abc", "3.5", object(), {"a": 1}, np.array([[1.0, 2.0], [3.0, 4.0]]), float("nan"),
           float("inf"), True, 1j, [1, "x"], print]


def test_the_three_exercises_are_registered_for_notebook_09():
    assert [i for i in ex.EXERCISES if i.startswith("09.")] == NB09
    assert all(ex.EXERCISES[i].notebook == "09_information_view" for i in NB09)
    assert ex.list_exercises(9).splitlines() == [
        "09.1  The floor under a label-smoothed loss  [number]",
        "09.2  KL divergence from cross-entropy and entropy  [number]",
        "09.3  kl_div: which argument is which  [choice]",
    ]


@pytest.mark.parametrize(("exercise_id", "answer"),
                         [(i, a) for i, answers in RIGHT.items() for a in answers])
def test_right_answers_are_correct(exercise_id, answer):
    result = ex.check(exercise_id, answer, verbose=False)
    assert result.correct, (answer, result.message)
    assert result.message.startswith("Correct! ")


@pytest.mark.parametrize(("exercise_id", "answer", "words"),
                         [(i, a, w) for i, rows in WRONG.items() for a, w in rows])
def test_wrong_answers_are_told_why(exercise_id, answer, words):
    result = ex.check(exercise_id, answer, verbose=False)
    assert result.status == "wrong", (answer, result.message)
    assert result.message.startswith("Not quite. ")
    missing = [w for w in words if w.lower() not in result.message.lower()]
    assert not missing, (answer, missing, result.message)


@pytest.mark.parametrize("exercise_id", NB09)
def test_every_listed_mistake_gets_its_own_hint(exercise_id):
    checker = ex.EXERCISES[exercise_id].checker
    assert len(checker.mistakes) >= 3
    for answer, hint in checker.mistakes:
        result = ex.check(exercise_id, answer, verbose=False)
        assert result.status == "wrong" and hint in result.message, (answer, result.message)


@pytest.mark.parametrize("exercise_id", NB09)
def test_placeholders_and_garbage(exercise_id):
    for placeholder in (..., None):
        assert ex.check(exercise_id, placeholder, verbose=False).status == "unanswered"
    for answer in GARBAGE:
        result = ex.check(exercise_id, answer, verbose=False)
        assert not result.correct
        assert result.status in ("invalid", "wrong"), (answer, result.message)
        assert "Cannot check this answer (" not in result.message  # the checker did not crash
    if ex.EXERCISES[exercise_id].answer == "number":
        assert "without quotes" in ex.check(exercise_id, "0.5875", verbose=False).message
    else:
        assert "one letter" in ex.check(exercise_id, "AB", verbose=False).message
        assert "not an option" in ex.check(exercise_id, "E", verbose=False).message


def test_reference_values_against_hand_arithmetic():
    c1, c2 = ex.EXERCISES["09.1"].checker, ex.EXERCISES["09.2"].checker
    # 09.1: -(0.85 ln 0.85 + 3 * 0.05 ln 0.05)
    assert c1.expected == pytest.approx(0.85 * 0.1625189295 + 0.15 * 2.9957322736, rel=1e-9)
    assert c1.expected == pytest.approx(FLOOR, abs=1e-6)
    # 09.2: CE 0.901092 (0.7 ln 2 + 0.3 ln 4) minus H(t) 0.801819
    ce = 0.7 * np.log(2) + 0.3 * np.log(4)
    h = 0.7 * 0.3566749439 + 0.2 * 1.6094379124 + 0.1 * 2.3025850930
    assert ce == pytest.approx(0.901092, abs=1e-6) and h == pytest.approx(0.801819, abs=1e-6)
    assert c2.expected == pytest.approx(ce - h, rel=1e-9)
    assert c2.expected == pytest.approx(KL, abs=1e-6)
    assert ex.EXERCISES["09.3"].checker.expected == "B"
    # the prompt of 09.2 states the cross-entropy the learner starts from
    assert "0.9011" in ex.EXERCISES["09.2"].prompt
    assert Fraction(85, 100) + 3 * Fraction(5, 100) == 1  # 09.1's target sums to 1


@pytest.mark.parametrize(("exercise_id", "texts"), [
    ("09.1", ["(0.85, 0.05, 0.05, 0.05)", f"{FLOOR:.4f}"]),
    ("09.2", ["0.8018", f"{KL:.4f}", "0.1166"]),
    ("09.3", ["Answer B", "batchmean"]),
])
def test_solutions_print_the_worked_answer(exercise_id, texts, capsys):
    ex.solution(exercise_id)
    out = capsys.readouterr().out
    assert out.startswith(f"Solution {exercise_id}: ")
    for text in texts:
        assert text in out, text


def test_prompts_show_the_check_call():
    for i in NB09:
        text = ex.prompt(i)
        assert text.startswith(f"Exercise {i}: ") and f'check("{i}", ' in text
