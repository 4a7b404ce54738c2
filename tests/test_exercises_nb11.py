"""Exercises of notebook 11 (lossviz/exercises/nb11.py): right answers, the typical wrong ones and
what the feedback says about each, garbage, and the reference values against lossviz itself."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lossviz as lv
from lossviz import exercises as ex


def msg(exercise_id, answer):
    return ex.check(exercise_id, answer, verbose=False)


def test_registered_in_order():
    ids = [i for i in ex.EXERCISES if i.startswith("11.")]
    assert ids == ["11.1", "11.2", "11.3"]
    assert all(ex.EXERCISES[i].notebook == "11_predicting_uncertainty" for i in ids)


# 11.1: y = 2.5, mu = 4.0: NLL(s) = log s + 2.25 / (2 s^2), lowest at s = |2.5 - 4.0| = 1.5

def test_11_1_reference_is_the_minimiser_of_lossviz_gaussian_nll():
    sigmas = np.linspace(0.5, 3.0, 2501)  # steps of 0.001
    nll = lv.gaussian_nll(np.full(sigmas.size, 4.0), np.full(sigmas.size, 2.5), sigmas**2,
                          reduction="none")
    assert sigmas[np.argmin(nll)] == pytest.approx(1.5)
    assert ex.EXERCISES["11.1"].checker.expected == 1.5
    # the NLL there: log 1.5 + 1/2 = 0.405465 + 0.5
    assert float(nll.min()) == pytest.approx(math.log(1.5) + 0.5)


@pytest.mark.parametrize("answer", [1.5, 3 / 2, np.float64(1.5), [1.5], 1.5005])
def test_11_1_right(answer):
    r = msg("11.1", answer)
    assert r.correct, r.message
    assert "sigma = |y - mu|" in r.message


@pytest.mark.parametrize("answer, words", [
    (2.25, "best VARIANCE"),
    (-1.5, "never negative"),
    (0.75, "not sigma = (y - mu) / 2"),
    (3.0, "twice the miss"),
    (0.0, "blow up"),
    (math.log(1.5) + 0.5, "NLL at the best sigma"),
    (1.0, "only for a miss of size 1"),
    (1.52, "close but not close enough"),
    (7.0, "Differentiate"),
])
def test_11_1_wrong(answer, words):
    r = msg("11.1", answer)
    assert not r.correct and r.status == "wrong"
    assert words in r.message


# 11.2: q = 0.9, prediction 100, targets 90 and 130: (0.1 * 10 + 0.9 * 30) / 2 = (1 + 27) / 2 = 14

def test_11_2_reference_agrees_with_lossviz_pinball_loss():
    value = lv.pinball_loss([100.0, 100.0], [90.0, 130.0], quantile=0.9)
    assert value == pytest.approx((0.1 * 10 + 0.9 * 30) / 2)
    assert ex.EXERCISES["11.2"].checker.expected == pytest.approx(14.0)


@pytest.mark.parametrize("answer", [14, 14.0, 28 / 2, np.float64(14.0)])
def test_11_2_right(answer):
    r = msg("11.2", answer)
    assert r.correct, r.message
    assert "(1 + 27) / 2 = 14" in r.message


@pytest.mark.parametrize("answer, words", [
    (6.0, "swapped the two slopes"),   # (0.9 * 10 + 0.1 * 30) / 2
    (28.0, "sum over the two houses"),
    (20.0, "mean absolute error"),
    (10.0, "q = 0.5 gives half"),
    (9.0, "every miss costs something"),  # (0.9 * 30 - 0.9 * 10) / 2
    (-14.0, "never negative"),
    (3.0, "weight it by 0.9 if positive"),
])
def test_11_2_wrong(answer, words):
    r = msg("11.2", answer)
    assert not r.correct and r.status == "wrong"
    assert words in r.message


# 11.3: between the 0.05 and 0.95 quantiles: 0.95 - 0.05 = 0.90

@pytest.mark.parametrize("answer", [0.9, 0.90, 9 / 10, np.float64(0.9)])
def test_11_3_right(answer):
    r = msg("11.3", answer)
    assert r.correct, r.message
    assert "0.95 - 0.05 = 0.90" in r.message


@pytest.mark.parametrize("answer, words", [
    (0.95, "subtract those"),
    (0.10, "OUTSIDE"),
    (90, "percentage"),
    (0.9025, "not independent"),
    (1.0, "do not cover every target"),
    (0.05, "fraction below the lower line"),
    (0.5, "holds the difference"),
])
def test_11_3_wrong(answer, words):
    r = msg("11.3", answer)
    assert not r.correct and r.status == "wrong"
    assert words in r.message


def test_11_3_is_what_quantile_lines_measure():
    # the empirical 0.05 and 0.95 quantiles of 10,000 numbers hold 90% of them (within 2 of
    # 10,000, the two ends themselves)
    y = np.random.default_rng(0).normal(size=10_000)
    lo, hi = np.quantile(y, [0.05, 0.95])
    inside = np.mean((y >= lo) & (y <= hi))
    assert inside == pytest.approx(ex.EXERCISES["11.3"].checker.expected, abs=3e-4)


@pytest.mark.parametrize("exercise_id", ["11.1", "11.2", "11.3"])
@pytest.mark.parametrize("answer, words", [
    (..., "Not answered yet"),
    ("one and a half", "number"),
    ([1.0, 2.0], "one number"),
])
def test_garbage_is_not_marked_wrong(exercise_id, answer, words):
    r = msg(exercise_id, answer)
    assert not r.correct and r.status != "wrong"
    assert words in r.message


@pytest.mark.parametrize("exercise_id, words", [
    ("11.1", "sigma = |r| = 1.5"),
    ("11.2", "mean = (1.0 + 27.0) / 2 = 14.0"),
    ("11.3", "0.95 - 0.05 = 0.90"),
])
def test_solutions_and_hints_print(exercise_id, words, capsys):
    ex.solution(exercise_id)
    out = capsys.readouterr().out
    assert out.startswith(f"Solution {exercise_id}:")
    assert words in out
    ex.hint(exercise_id)
    assert capsys.readouterr().out.startswith(f"Hint for {exercise_id}:")
