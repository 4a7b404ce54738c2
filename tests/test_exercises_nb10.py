"""Exercises of notebook 10 (lossviz/exercises/nb10.py): right answers, the typical wrong ones and
what the feedback says about each, garbage, and the reference values against lossviz itself."""

from __future__ import annotations

import numpy as np
import pytest

from lossviz import calibration as cal
from lossviz import exercises as ex


def msg(exercise_id, answer):
    return ex.check(exercise_id, answer, verbose=False)


def test_registered_in_order():
    ids = [i for i in ex.EXERCISES if i.startswith("10.")]
    assert ids == ["10.1", "10.2", "10.3"]
    assert all(ex.EXERCISES[i].notebook == "10_probabilities_you_can_trust" for i in ids)


# 10.1: ECE = (40 * |0.55 - 0.65| + 50 * |0.80 - 0.85| + 10 * |0.90 - 0.95|) / 100
#           = (4 + 2.5 + 0.5) / 100 = 0.07

def test_10_1_reference_agrees_with_lossviz_on_raw_predictions():
    # 100 raw predictions that make exactly the exercise's bins: 22 of 40 right (0.55),
    # 40 of 50 (0.80), 9 of 10 (0.90)
    conf = np.array([0.65] * 40 + [0.85] * 50 + [0.95] * 10)
    right = np.concatenate([[1] * 22, [0] * 18, [1] * 40, [0] * 10, [1] * 9, [0]])
    b = cal.reliability_bins(conf, right)
    assert b.count[[6, 8, 9]].tolist() == [40, 50, 10]
    np.testing.assert_allclose(b.frequency[[6, 8, 9]], [0.55, 0.80, 0.90])
    assert cal.expected_calibration_error(conf, right) == pytest.approx(0.07)
    assert ex.EXERCISES["10.1"].checker.expected == pytest.approx(0.07)


@pytest.mark.parametrize("answer", [0.07, 7 / 100, np.float64(0.07), [0.07], 0.07005])
def test_10_1_right(answer):
    r = msg("10.1", answer)
    assert r.correct, r.message
    assert "7 percentage points" in r.message


@pytest.mark.parametrize("answer, words", [
    (0.2 / 3, "plain mean of the three gaps"),
    (0.1, "largest gap"),
    (7.0, "divide by the 100 examples"),
    (-0.07, "never negative"),
    (0.0705, "close but not close enough"),
    (0.2, "multiply by the bin's examples"),
])
def test_10_1_wrong(answer, words):
    r = msg("10.1", answer)
    assert not r.correct and r.status == "wrong"
    assert words in r.message


# 10.2: pos_weight = negatives / positives = (1000 - 40) / 40 = 960 / 40 = 24

@pytest.mark.parametrize("answer", [24, 24.0, 960 / 40, np.int64(24)])
def test_10_2_right(answer):
    r = msg("10.2", answer)
    assert r.correct and "40 * 24 = 960" in r.message


@pytest.mark.parametrize("answer, words", [
    (25, "1000 / 40 = 25"),
    (0.04, "fraction of spam"),
    (40 / 960, "the inverse"),
    (19, "divide by the number of positives"),
])
def test_10_2_wrong(answer, words):
    r = msg("10.2", answer)
    assert r.status == "wrong" and words in r.message


# 10.3: recall >= 0.90 leaves D (0.91) and E (0.97); D has the higher precision (0.24 > 0.12)

@pytest.mark.parametrize("answer", ["D", "d", "(D)", " D) "])
def test_10_3_right(answer):
    assert msg("10.3", answer).correct


@pytest.mark.parametrize("answer, words", [
    ("A", "finds only 55%"),
    ("B", "misses 30%"),
    ("C", "0.87 is still below 0.90"),
    ("E", "fewer false alarms"),
])
def test_10_3_wrong(answer, words):
    r = msg("10.3", answer)
    assert r.status == "wrong" and words in r.message


@pytest.mark.parametrize("exercise_id, answer, words", [
    ("10.1", "0.07", "without quotes"),
    ("10.1", [0.1, 0.2], "single number"),
    ("10.2", True, "truth value"),
    ("10.3", "F", "not an option"),
    ("10.3", 4, "one letter"),
])
def test_garbage_is_explained(exercise_id, answer, words):
    r = msg(exercise_id, answer)
    assert r.status == "invalid" and words in r.message


@pytest.mark.parametrize("exercise_id", ["10.1", "10.2", "10.3"])
def test_placeholder_and_solution(exercise_id, capsys):
    assert msg(exercise_id, ...).status == "unanswered"
    ex.solution(exercise_id)
    out = capsys.readouterr().out
    expected = {"10.1": "= 0.07", "10.2": "pos_weight = 960 / 40 = 24", "10.3": "Answer D"}
    assert expected[exercise_id] in out
