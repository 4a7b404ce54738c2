"""Tests for lossviz.exercises: every exercise with right answers, typical wrong answers (and the
hint each one must get), garbage input, placeholders and the printed solutions.

The tables below are grouped by notebook; a notebook author adding an exercise to
lossviz/exercises/nbNN.py adds its rows here. test_every_exercise_is_covered fails until they do.
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest

import lossviz as lv
from lossviz import exercises as ex
from lossviz.exercises import _core

# --------------------------------------------------------------------------------------------
# learner-style implementations (right and wrong), written the way a learner would


def _stable_softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def _log_softmax_rows(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _ce(z, y):
    return -np.mean(_log_softmax_rows(z)[np.arange(len(y)), y])


def _ce_loop(z, y):
    total = 0.0
    for row, k in zip(z, y, strict=True):
        m = max(row)
        total += m + np.log(sum(np.exp(v - m) for v in row)) - row[k]
    return total / len(y)


def _naive_ce(z, y):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


def _sig(z):
    return 1 / (1 + np.exp(-z))


def _stable_sig(z):
    # exp of -|z| only, with the sign handled by masks: never exp of a large positive number
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _huber_terms(p, t, d):
    a = np.abs(p - t)
    return np.where(a <= d, 0.5 * a**2, d * (a - 0.5 * d))


def _huber_kwonly(y_pred, y_true, *, delta=1.0):
    return np.mean(_huber_terms(y_pred, y_true, delta))


def _not_written(*args):
    ...


# --------------------------------------------------------------------------------------------
# RIGHT[id]: answers that must be accepted
# WRONG[id]: (answer, key words the feedback must contain)

RIGHT = {
    # errors [1, 0, -2, 3], squared [1, 0, 4, 9]: 14 / 4 = 3.5
    "01.1": [3.5, 14 / 4, np.float64(3.5), np.array(3.5), [3.5], Fraction(7, 2), 3.501],
    "01.2": [
        lambda p, t: np.mean((p - t) ** 2),
        lambda p, t: sum((a - b) ** 2 for a, b in zip(p, t, strict=True)) / len(p),
        lambda p, t: np.array([((t - p) ** 2).sum() / p.size]),  # shape (1,) is one number
    ],
    # sqrt((10000^2 + 5000^2) / 2) = sqrt(62,500,000) = 7905.69
    "01.3": [7905.69, np.sqrt(62_500_000), 7906],
    "01.4": [lambda p, t: 2 * (p - t) / len(p), lambda p, t: 2 * (p - t) / p.size],
    # -ln 0.3 = 1.20397
    "02.1": [1.204, -np.log(0.3), 1.2040],
    "02.2": [_stable_softmax, lambda z: np.exp(z - z.max() - np.log(np.exp(z - z.max()).sum()))],
    "02.3": [_ce, _ce_loop],
    "02.4": [
        lambda p, y: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)),
        lambda p, y: np.mean(np.where(y == 1, -np.log(p), -np.log(1 - p))),
    ],
    # y = 0, p = 0.98: -ln(1 - 0.98) = -ln 0.02 = 3.91202
    "03.1": [3.912, -np.log(0.02), -np.log(1 - 0.98)],
    "03.2": ["B", "b", " (b) ", "B)"],
    # 0.95 / (2 * 0.95 * 0.05 * 0.95) = 1 / 0.095 = 10.526; "about 10.5" is accepted
    "03.3": [10.53, 10.5, 1 / (2 * 0.05 * 0.95)],
    # (the naive 1 / (1 + exp(-z)) overflows at z = -1000 and is rejected: see
    # test_04_1_rejects_a_sigmoid_that_overflows)
    "04.1": [
        lambda z, y: 2 * (_stable_sig(z) - y) * _stable_sig(z) * (1 - _stable_sig(z)),
        lambda z, y: 2 * (lv.sigmoid(z) - y) * lv.sigmoid_grad(z),
    ],
    # (1 - p)(1 - 3p) = 0 at p = 1/3
    "04.2": [1 / 3, 0.3333, 0.33, Fraction(1, 3)],
    # softmax([4, 0, 0]) = [e^4, 1, 1] / (e^4 + 2) = [0.96466, 0.01767, 0.01767], minus [0, 0, 1]
    "04.3": [
        [0.9647, 0.0177, -0.9823],
        (0.96466, 0.01767, -0.98233),
        lv.softmax(np.array([4.0, 0.0, 0.0])) - np.array([0.0, 0.0, 1.0]),
    ],
    "05.1": [
        lambda p, t, d: np.mean(_huber_terms(p, t, d)),
        lambda p, t, delta=1.0: lv.huber(p, t, delta=delta),
    ],
    # median of [300, 320, 340, 360, 2000]
    "05.2": [340, 340.0],
    "05.3": [lambda p, t: np.sign(p - t) / len(p), lambda p, t: (p - t) / np.abs(p - t) / p.size],
    # (3 - 4)^2 / (2 * 4) + 0.5 ln(2 pi 4) = 0.125 + 1.61209 = 1.73709
    "06.1": [1.7371, 0.125 + 0.5 * np.log(8 * np.pi)],
    "06.2": [
        lambda p, t, s: np.mean((t - p) ** 2 / (2 * s**2) + 0.5 * np.log(2 * np.pi * s**2)),
        lambda p, t, s: float(lv.mse(p, t)) / (2 * s * s) + np.log(np.sqrt(2 * np.pi) * s),
    ],
    # -(ln 0.8 + ln 0.7 + ln 0.6) / 3 = (0.22314 + 0.35667 + 0.51083) / 3 = 0.36355
    "06.3": [0.3635, 0.36355],
    "06.4": ["B", "b"],
    # ln 65 = 4.17439
    "07.1": [4.1744, np.log(65)],
    # exp(2.5) = 12.18249
    "07.2": [12.18, np.exp(2.5)],
    "07.3": [lambda z, y: np.exp(_ce(z, y)), lambda z, y: np.exp(_ce_loop(z, y))],
    # softmax([2, .5, -1]) = [.78560, .17529, .03911]; ln(e^.7856 + e^.17529 + e^.03911) - .7856
    # = 1.48730 - 0.78560 = 0.70172
    "08.1": [0.7017, 0.70172],
    # ln(e + 9) - 1 = 2.46115 - 1 = 1.46115
    "08.2": [1.4612, np.log(np.e + 9) - 1],
    "08.3": ["ABCC", "a b c c", ["A", "B", "C", "C"], "A, B, C, C"],
    # notebook 09 (more cases in tests/test_exercises_nb09.py)
    # K = 4, eps = 0.2: -(0.85 ln 0.85 + 3 * 0.05 ln 0.05) = 0.13814 + 0.44936 = 0.58750
    "09.1": [0.5875, 0.58750],
    # KL(t||p) = H(t, p) - H(t) = 0.90109 - 0.80182 = 0.09927
    "09.2": [0.09927, 0.0993],
    "09.3": ["B", "(b)"],
    # notebook 10 (more cases in tests/test_exercises_nb10.py)
    # (40 * 0.10 + 50 * 0.05 + 10 * 0.05) / 100 = 0.07
    "10.1": [0.07, 7 / 100],
    # (1000 - 40) / 40 = 24
    "10.2": [24, 960 / 40],
    "10.3": ["D", "(d)"],
    # notebook 11 (more cases in tests/test_exercises_nb11.py)
    # sigma = |y - mu| = |2.5 - 4.0| = 1.5
    "11.1": [1.5, 3 / 2],
    # (0.1 * 10 + 0.9 * 30) / 2 = 14
    "11.2": [14, 28 / 2],
    # 0.95 - 0.05 = 0.90
    "11.3": [0.9, 9 / 10],
}

WRONG = {
    "01.1": [
        (14, ["sum", "mean"]),
        (1.5, ["absolute"]),
        (0.5, ["forgot to square"]),
        (1.8708, ["RMSE"]),
        (14 / 3, ["n - 1"]),
        (0.25, ["squared the mean error"]),
        (3.6, ["close"]),
        (10, ["You gave 10", "square"]),
    ],
    "01.2": [
        (lambda p, t: np.sum((p - t) ** 2), ["sum", "not the mean"]),
        (lambda p, t: np.mean(np.abs(p - t)), ["absolute", "MAE"]),
        (lambda p, t: np.mean(p - t), ["forgot to square"]),
        (lambda p, t: np.sqrt(np.mean((p - t) ** 2)), ["RMSE"]),
        (lambda p, t: np.sum((p - t) ** 2) / (len(p) - 1), ["n - 1"]),
        (lambda p, t: np.mean(p - t) ** 2, ["squares the mean error"]),
        (lambda p, t: (p - t) ** 2, ["one value per example", "np.mean"]),
        (lambda p, t: np.mean(np.abs(p - t) ** 3), ["my_mse(", "the answer is"]),
    ],
    "01.3": [
        (6.25e7, ["squared dollars", "square root"]),
        (7500, ["mean absolute error"]),
        (2500, ["cancel"]),
        (11180.34, ["divide by n = 2"]),
        (7.9057, ["thousands"]),
        (10000, ["first house"]),
    ],
    "01.4": [
        (lambda p, t: (p - t) / len(p), ["forgot the 2"]),
        (lambda p, t: 2 * (p - t), ["divide by n"]),
        (lambda p, t: 2 * (t - p) / len(p), ["sign is flipped"]),
        (lambda p, t: p - t, ["both the 2", "1/n"]),
        (lambda p, t: np.mean(2 * (p - t)), ["one entry per prediction"]),
    ],
    "02.1": [
        (0.5229, ["log10"]),
        (1.737, ["log2"]),
        (-1.204, ["sign"]),
        (0.5108, ["p(cat)", "TRUE class"]),
        (2.3026, ["p(bird)"]),
        (4.0174, ["all three classes"]),
        (1.3391, ["averaged", "over the classes"]),
        (0.3567, ["1 - p(dog)"]),
        (0.49, ["squared error"]),
    ],
    "02.2": [
        (lambda z: np.exp(z) / np.exp(z).sum(), ["nan", "subtract the max"]),
        (lambda z: np.exp(z - z.min()) / np.exp(z - z.min()).sum(), ["subtract the max"]),
        (lambda z: np.exp(z), ["normalise"]),
        (lambda z: z / z.sum(), ["forgot the exp"]),
        (lambda z: z - z.max() - np.log(np.exp(z - z.max()).sum()), ["log-probabilities"]),
        (lambda z: _stable_softmax(-z), ["sign is flipped"]),
        (lambda z: _stable_softmax(_stable_softmax(z)), ["softmax twice"]),
        (lambda z: np.max(_stable_softmax(z)), ["one probability per logit"]),
    ],
    "02.3": [
        (lambda z, y: -np.mean((z - z.max(axis=0) - np.log(np.exp(z - z.max(axis=0)).sum(axis=0)))
                               [np.arange(len(y)), y]), ["wrong axis", "axis=1"]),
        (lambda z, y: -np.sum(_log_softmax_rows(z)[np.arange(len(y)), y]), ["sum", "divide by N"]),
        (lambda z, y: -np.mean(np.eye(z.shape[1])[y] * _log_softmax_rows(z)),
         ["averaged over classes"]),
        (lambda z, y: -np.mean(_log_softmax_rows(z)[:, y]), ["N x N", "np.arange"]),
        (lambda z, y: _ce(lv.softmax(z, axis=-1), y), ["softmax twice"]),
        (lambda z, y: -np.mean(np.log(z[np.arange(len(y)), y])), ["raw logit"]),
        (lambda z, y: -np.mean(_log_softmax_rows(z)[np.arange(len(y)), y - 1]), ["Off by one"]),
        (lambda z, y: _ce(z, y) / np.log(10), ["log10"]),
        (lambda z, y: _ce(z, y) / np.log(2), ["log2"]),
        (lambda z, y: -_ce(z, y), ["sign"]),
        (lambda z, y: -np.mean(_log_softmax_rows(z).sum(axis=1)), ["all classes"]),
        (_naive_ce, ["1000", "log-probabilities"]),
        (lambda z, y: -_log_softmax_rows(z)[np.arange(len(y)), y], ["one loss per sample"]),
        # naive softmax AND a sum: both mistakes are named
        (lambda z, y: _naive_ce(z, y) * len(y), ["sum", "Also", "1000"]),
    ],
    "02.4": [
        (lambda p, y: -np.mean(np.log(p)), ["log(1 - p)"]),
        (lambda p, y: -np.mean(y * np.log(p)), ["(1 - y) log(1 - p)"]),
        (lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)), ["sum"]),
        (lambda p, y: np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), ["sign"]),
        (lambda p, y: -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)), ["log10"]),
        (lambda p, y: -np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p)), ["log2"]),
        (lambda p, y: np.mean((p - y) ** 2), ["MSE"]),
        (lambda p, y: -np.mean(p * np.log(y) + (1 - p) * np.log(1 - y)), ["argument order"]),
        (lambda p, y: -(y * np.log(p) + (1 - y) * np.log(1 - p)), ["one loss per email"]),
    ],
    "03.1": [
        (0.02020, ["-ln p", "not spam"]),  # -ln 0.98
        (0.9604, ["MSE"]),  # 0.98^2
        (1.699, ["log10"]),  # -log10 0.02
        (5.644, ["log2"]),  # -log2 0.02
        (-3.912, ["sign"]),
    ],
    "03.2": [("A", ["barely moves"]), ("C", ["not bounded"]), ("D", ["0.998"])],
    "03.3": [
        (21.05, ["dropped the 2"]),  # 1 / (0.05 * 0.95)
        (0.095, ["MSE's gradient over cross-entropy's"]),  # 2 * 0.05 * 0.95
        (-10.53, ["magnitudes"]),
        (3.319, ["ratio of the losses"]),  # -ln 0.05 / 0.95^2 = 2.9957 / 0.9025
        (50.5, ["p = 0.01"]),  # the notebook's ratio, not redone for p = 0.05
    ],
    "04.1": [
        (lambda z, y: 2 * (_sig(z) - y), ["dL/dp", "p (1 - p)"]),
        (lambda z, y: (_sig(z) - y) * _sig(z) * (1 - _sig(z)), ["forgot the 2"]),
        (lambda z, y: 2 * (y - _sig(z)) * _sig(z) * (1 - _sig(z)), ["sign is flipped"]),
        (lambda z, y: _sig(z) - y, ["cross-entropy gradient"]),
        (lambda z, y: 2 * (z - y) * _sig(z) * (1 - _sig(z)), ["logit z in the error"]),
        (lambda z, y: 2 * (np.exp(z) / (1 + np.exp(z)) - y) * _sig(z) * (1 - _sig(z)),
         ["overflows", "1000"]),
        (lambda z, y: np.mean(2 * (_sig(z) - y) * _sig(z) * (1 - _sig(z))),
         ["one gradient per example"]),
    ],
    "04.2": [
        (0.5, ["slope"]),
        (0.2963, ["largest value of the gradient"]),
        (0.25, ["p (1 - p)"]),
        (2 / 3, ["y = 0"]),
        (0, ["minimum"]),
        (1, ["perfect"]),
        (0.1, ["Differentiate"]),
    ],
    "04.3": [
        ([-0.9647, -0.0177, 0.9823], ["sign is flipped"]),
        ([0.9647, 0.0177, 0.0177], ["softmax(z) alone"]),
        ([-0.0353, 0.0177, 0.0177], ["class 0"]),
        ([0.9647, -0.9823, 0.0177], ["off by one"]),
        ([0.3216, 0.0059, -0.3274], ["number of classes"]),
        ([-0.0353, -0.9823, -0.9823], ["every entry"]),
        ([0.5, 0.5, -1.0], ["softmax(z)"]),
    ],
    "05.1": [
        (lambda p, t, d: np.mean(np.where(np.abs(p - t) <= d, (p - t) ** 2,
                                          d * (np.abs(p - t) - 0.5 * d))), ["0.5 * r^2"]),
        (lambda p, t, d: np.mean(np.where(np.abs(p - t) <= d, 0.5 * (p - t) ** 2,
                                          d * np.abs(p - t))), ["do not meet"]),
        (lambda p, t, d: np.sum(_huber_terms(p, t, d)), ["sum"]),
        (lambda p, t, d: np.mean(_huber_terms(p, t, 1.0)), ["ignores delta"]),
        (lambda p, t, d: np.mean(_huber_terms(p, t, d)) / d, ["smooth L1"]),
        (lambda p, t, d: np.mean(np.where(np.abs(p - t) > d, 0.5 * (p - t) ** 2,
                                          d * (np.abs(p - t) - 0.5 * d))), ["swapped"]),
        (lambda p, t, d: np.mean(0.5 * (p - t) ** 2), ["quadratic everywhere"]),
        (lambda p, t, d: np.mean(np.abs(p - t)), ["MAE"]),
        (lambda p, t, d: _huber_terms(p, t, d), ["one loss per example"]),
    ],
    "05.2": [
        (664, ["mean", "MSE"]),
        (330, ["dropped the outlier"]),
        (1150, ["largest error"]),
        (300, ["Try a few values"]),
    ],
    "05.3": [
        (lambda p, t: np.sign(t - p) / len(p), ["sign is flipped"]),
        (lambda p, t: np.sign(p - t), ["divide by n"]),
        (lambda p, t: 2 * (p - t) / len(p), ["MSE gradient"]),
        (lambda p, t: (p - t) / len(p), ["sign(r), not r"]),
        (lambda p, t: np.abs(p - t) / len(p), ["share of the loss"]),
        (lambda p, t: np.mean(np.sign(p - t)), ["one entry per prediction"]),
    ],
    "06.1": [
        (0.125, ["only the squared-error term"]),  # 1 / 8
        (1.6121, ["only the constant"]),  # 0.5 ln(8 pi)
        (1.5155, ["sigma where sigma^2"]),  # 1/4 + 0.5 ln(4 pi)
        (1.8621, ["2 sigma^2 = 8"]),  # 1/4 + 0.5 ln(8 pi)
        (3.3492, ["forgot the 0.5"]),  # 1/8 + ln(8 pi)
        (0.8251, ["log10"]),  # 1/8 + 0.5 log10(8 pi)
        (-1.7371, ["sign"]),
        (0.1760, ["likelihood (the density)"]),  # exp(-1.7371)
        (2.0, ["two terms separately"]),
    ],
    "06.2": [
        (lambda p, t, s: np.mean((t - p) ** 2) / (2 * s**2), ["left out the constant"]),
        (lambda p, t, s: np.mean((t - p) ** 2 / (2 * s) + 0.5 * np.log(2 * np.pi * s)),
         ["sigma where the formula has sigma^2"]),
        (lambda p, t, s: np.mean((t - p) ** 2 / s**2 + 0.5 * np.log(2 * np.pi * s**2)),
         ["not sigma^2"]),
        (lambda p, t, s: np.mean((t - p) ** 2 / (2 * s**2) + np.log(2 * np.pi * s**2)),
         ["forgot the 0.5"]),
        (lambda p, t, s: np.sum((t - p) ** 2 / (2 * s**2) + 0.5 * np.log(2 * np.pi * s**2)),
         ["sum"]),
        (lambda p, t, s: -np.mean((t - p) ** 2 / (2 * s**2) + 0.5 * np.log(2 * np.pi * s**2)),
         ["sign", "log-likelihood"]),
        (lambda p, t, s: np.mean((t - p) ** 2 / (2 * s**2) + np.log(s)), ["2 pi"]),
        (lambda p, t, s: (t - p) ** 2 / (2 * s**2) + 0.5 * np.log(2 * np.pi * s**2),
         ["one value per example"]),
    ],
    "06.3": [
        (0.336, ["likelihood itself"]),  # 0.8 * 0.7 * 0.6
        (1.0906, ["total"]),  # -ln 0.336
        (0.6460, ["1 - p = 0.7"]),  # -(ln .8 + ln .3 + ln .6) / 3
        (-0.3635, ["sign"]),
        (0.1579, ["log10"]),
        (0.7, ["mean probability"]),  # (0.8 + 0.7 + 0.6) / 3
        (0.0967, ["MSE"]),  # (0.04 + 0.09 + 0.16) / 3
    ],
    "06.4": [("A", ["unbounded"]), ("C", ["distance"]), ("D", ["probability for each class"])],
    "07.1": [
        (6.0224, ["log2"]),
        (1.8129, ["log10"]),
        (1 / 65, ["probability"]),
        (65, ["perplexity"]),
        (-4.1744, ["sign"]),
    ],
    "07.2": [
        (5.657, ["bits"]),
        (316.23, ["log10"]),
        (0.9163, ["not log(loss)"]),
        (0.0821, ["inverse"]),
        (2.5, ["loss itself"]),
    ],
    "07.3": [
        (lambda z, y: np.mean(np.exp(-_log_softmax_rows(z)[np.arange(len(y)), y])),
         ["MEAN", "not the mean of the exponentials"]),
        (lambda z, y: np.exp(len(y) * _ce(z, y)), ["SUM"]),
        (_ce, ["That is the cross-entropy"]),
        (lambda z, y: 2 ** _ce(z, y), ["bits"]),
        (lambda z, y: np.exp(-_ce(z, y)), ["geometric-mean probability"]),
        (lambda z, y: np.exp(_naive_ce(z, y)), ["stable"]),
        (lambda z, y: np.exp(-_log_softmax_rows(z)[np.arange(len(y)), y]),
         ["one value per position"]),
    ],
    "08.1": [
        (0.2413, ["correct loss"]),
        (1.0986, ["equal logits"]),
        (-0.7017, ["sign"]),
        (0.3048, ["log10"]),
    ],
    "08.2": [(0, ["single softmax"]), (2.3026, ["equal"]), (2.4612, ["subtract"]),
             (0.5514, ["3 classes"]), (-1.4612, ["sign"])],
    "08.3": [
        ("ACCC", ["1 of 4", "task 2", "sigmoid"]),
        ("ABCD", ["task 4", "saturates"]),
        ("EBCC", ["task 1", "squashes"]),
        ("ABBC", ["task 3", "mutually exclusive"]),
        ("BAAA", ["4 of 4", "task 1", "task 4"]),
    ],
    "09.1": [(0.0, ["one-hot"]), (np.log(4), ["uniform"]), (0.5875 / np.log(2), ["bits"])],
    "09.2": [(0.9011, ["whole cross-entropy"]), (0.116623, ["KL(p||t)"]),
             (0.8018, ["cannot change"])],
    "09.3": [("A", ["log-probabilities"]), ("C", ["KL(p||t)"]), ("D", ["N * C"])],
    "10.1": [(0.2 / 3, ["plain mean"]), (0.1, ["largest gap"]), (7.0, ["divide"]),
             (-0.07, ["never negative"])],
    "10.2": [(25, ["1000 / 40"]), (0.04, ["fraction of spam"]), (40 / 960, ["inverse"])],
    "10.3": [("A", ["55%"]), ("B", ["30%"]), ("C", ["below 0.90"]), ("E", ["false alarms"])],
    "11.1": [(2.25, ["VARIANCE"]), (-1.5, ["never negative"]), (0.0, ["blow up"])],
    "11.2": [(6.0, ["swapped"]), (28.0, ["sum"]), (20.0, ["mean absolute error"])],
    "11.3": [(0.95, ["subtract"]), (0.10, ["OUTSIDE"]), (90, ["percentage"])],
}

# SOLUTION[id]: text that ex.solution(id) must print (numbers computed here from lossviz)
_P43 = lv.softmax(np.array([4.0, 0.0, 0.0]))
SOLUTION = {
    "01.1": ["14 / 4 = 3.5", "np.mean"],
    "01.2": [
        "def my_mse(y_pred, y_true):",
        f"{float(lv.mse(np.array([4.0, 2, 3]), np.array([3.0, 5, 2]))):.4f}",  # 11/3
        f"{float(lv.mse(np.array([2.5, 0, 2.1]), np.array([3, -0.5, 2]))):.4f}",  # 0.17
    ],
    "01.3": [f"{np.sqrt(float(lv.mse(np.array([410e3, 395e3]), np.array([400e3, 400e3])))):.2f}"],
    "01.4": ["return 2 * (y_pred - y_true) / len(y_pred)", "0.6667"],
    "02.1": [f"{-np.log(0.3):.4f}"],
    "02.2": ["np.exp(z - np.max(z))",
             ", ".join(f"{v:.4f}" for v in lv.softmax(np.array([2.0, 0.5, -1.0])))],
    "02.3": [f"{float(lv.cross_entropy(np.array([[2.0, 0.5, -1.0]]), np.array([0]))):.4f}"],
    "02.4": [f"{float(lv.binary_cross_entropy(np.array([.8, .3]), np.array([1., 0.]))):.4f}"],
    "03.1": [f"{-np.log(0.02):.4f}", "0.9604"],
    "03.2": ["Answer B", f"{float(lv.binary_cross_entropy(np.array([.001]), np.array([1.]))):.4f}"],
    "03.3": [f"{0.95 / (2 * 0.95 * 0.05 * 0.95):.2f}", "0.090250"],
    "04.1": ["return 2 * (p - y) * p * (1 - p)", "-0.0196"],
    "04.2": ["(1 - p) (1 - 3p)", f"{1 / 3:.4f}", f"{8 / 27:.4f}"],
    "04.3": [f"{_P43[0]:.4f}", f"{_P43[2] - 1:.4f}"],
    "05.1": [f"{float(lv.huber(np.array([4., 2, 3]), np.array([3., 5, 2]))):.4f}"],
    "05.2": ["median = 340"],
    "05.3": ["np.sign(y_pred - y_true) / len(y_pred)", "0.3333"],
    "06.1": [f"{0.5 * np.log(2 * np.pi * 4):.4f}", f"{0.125 + 0.5 * np.log(2 * np.pi * 4):.4f}"],
    "06.2": ["def my_gaussian_nll(y_pred, y_true, sigma):",
             f"{0.125 + 0.5 * np.log(2 * np.pi * 4):.4f}"],
    "06.3": [f"{float(lv.binary_cross_entropy(np.array([.8, .3, .6]), np.array([1., 0, 1]))):.4f}"],
    "06.4": ["Answer B"],
    "07.1": [f"{np.log(65):.4f}"],
    "07.2": [f"{np.exp(2.5):.4f}"],
    "07.3": ["5.0000", f"{np.exp(float(lv.cross_entropy(np.array([2.0, 0.5, -1.0]), 0))):.4f}"],
    "08.1": ["0.7017", "0.2413"],
    "08.2": [f"{np.log(np.e + 9) - 1:.4f}", f"{np.e / (np.e + 9):.4f}"],
    "08.3": ['"ABCC"'],
    "09.1": ["= 0.5875 nats"],
    "09.2": ["0.9011 - 0.8018 = 0.0993"],
    "09.3": ["Answer B"],
    "10.1": ["= 0.07"],
    "10.2": ["960 / 40 = 24"],
    "10.3": ["Answer D"],
    "11.1": ["sigma = |r| = 1.5"],
    "11.2": ["(1.0 + 27.0) / 2 = 14.0"],
    "11.3": ["0.95 - 0.05 = 0.90"],
}

GARBAGE_VALUES = ["abc", "3.5", object(), {"a": 1}, np.array([[1.0, 2.0], [3.0, 4.0]]),
                  float("nan"), float("inf"), True, 1j, [1, "x"], print]
GARBAGE_FUNCTIONS = [
    lambda *a: 1 / 0,  # raises
    lambda *a: float("nan"),  # nan everywhere
    lambda *a: "text",  # not numbers
    lambda: 1.0,  # wrong number of arguments
    lambda *a: np.zeros((7, 7)),  # wrong shape
    lambda *a: {"a": 1},  # not an array
    lambda *a: [1, "x"],
]


def _ids(kind):
    return [i for i, e in ex.EXERCISES.items() if e.answer == kind]


def _has_all(message, words):
    low = message.lower()
    return all(w.lower() in low for w in words)


# --------------------------------------------------------------------------------------------
# the registry


def test_every_notebook_has_two_to_four_exercises():
    per_nb = {}
    for i in ex.EXERCISES:
        per_nb.setdefault(i[:2], []).append(i)
    assert sorted(per_nb) == ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]
    assert all(2 <= len(v) <= 4 for v in per_nb.values()), per_nb
    # ids are numbered 1, 2, ... within each notebook
    for nb, ids in per_nb.items():
        assert ids == [f"{nb}.{k}" for k in range(1, len(ids) + 1)]
        assert all(ex.EXERCISES[i].notebook.startswith(nb + "_") for i in ids)


def test_every_exercise_is_covered():
    assert set(RIGHT) == set(ex.EXERCISES)
    assert set(WRONG) == set(ex.EXERCISES)
    assert set(SOLUTION) == set(ex.EXERCISES)


@pytest.mark.parametrize("exercise_id", list(ex.EXERCISES))
def test_prompt_shows_the_check_call(exercise_id):
    text = ex.prompt(exercise_id)
    assert isinstance(text, str)
    assert repr(text) == str(text)  # shows as plain text in a notebook cell
    assert text.startswith(f"Exercise {exercise_id}: ")
    assert f'check("{exercise_id}", ' in text


def test_list_exercises():
    assert ex.list_exercises(1).splitlines() == [
        "01.1  MSE by hand  [number]",
        "01.2  Write your own MSE  [function]",
        "01.3  RMSE in dollars  [number]",
        "01.4  The MSE gradient  [function]",
    ]
    assert ex.list_exercises("08_common_mistakes") == ex.list_exercises("08")
    assert len(ex.list_exercises().splitlines()) == len(ex.EXERCISES)


def test_unknown_id_is_a_key_error_naming_the_exercises():
    with pytest.raises(KeyError, match=r"no exercise '9\.9'.*01\.1, 01\.2"):
        ex.check("9.9", 1.0)


# --------------------------------------------------------------------------------------------
# right, wrong, garbage, placeholder


@pytest.mark.parametrize(
    ("exercise_id", "answer"),
    [(i, a) for i, answers in RIGHT.items() for a in answers],
)
def test_right_answer_is_correct(exercise_id, answer):
    result = ex.check(exercise_id, answer, verbose=False)
    assert result.correct, result.message
    assert result.status == "correct"
    assert result.message.startswith("Correct! ")


@pytest.mark.parametrize(
    ("exercise_id", "answer", "words"),
    [(i, a, w) for i, rows in WRONG.items() for a, w in rows],
)
def test_wrong_answer_gets_its_specific_hint(exercise_id, answer, words):
    result = ex.check(exercise_id, answer, verbose=False)
    assert not result.correct
    assert result.status == "wrong", result.message
    assert result.message.startswith("Not quite. ")
    assert _has_all(result.message, words), result.message


@pytest.mark.parametrize("exercise_id", list(ex.EXERCISES))
def test_every_listed_mistake_is_reachable(exercise_id):
    # each typical mistake the checker knows, given as the answer, gets exactly its own hint:
    # it is neither accepted as correct nor shadowed by another mistake
    checker = ex.EXERCISES[exercise_id].checker
    mistakes = getattr(checker, "mistakes", [])
    for mistake in mistakes:
        answer, hint = (mistake.variant, mistake.hint) if hasattr(mistake, "variant") else mistake
        result = ex.check(exercise_id, answer, verbose=False)
        assert result.status == "wrong", (answer, result.message)
        assert hint in result.message


@pytest.mark.parametrize("exercise_id", _ids("function"))
def test_function_mistakes_differ_from_the_reference(exercise_id):
    checker = ex.EXERCISES[exercise_id].checker
    ref = [np.asarray(_core._quiet_call(checker.reference, c), dtype=float) for c in checker.cases]
    assert len(checker.cases) >= 4
    for m in checker.mistakes:
        out = [np.asarray(_core._quiet_call(m.variant, c), dtype=float) for c in checker.cases]
        differs = [
            o.shape != r.shape or not np.allclose(o, r, equal_nan=True)
            for o, r in zip(out, ref, strict=True)
        ]
        assert any(differs), m.hint


@pytest.mark.parametrize("exercise_id", list(ex.EXERCISES))
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_answered_yet(exercise_id, placeholder):
    result = ex.check(exercise_id, placeholder, verbose=False)
    assert not result.correct
    assert result.status == "unanswered"
    assert result.message == "Not answered yet: replace ... with your answer."


@pytest.mark.parametrize("exercise_id", _ids("function"))
def test_function_with_an_unwritten_body_is_not_answered_yet(exercise_id):
    result = ex.check(exercise_id, _not_written, verbose=False)
    assert result.status == "unanswered"
    assert result.message.startswith("Not answered yet: replace ... with your answer in the body")


@pytest.mark.parametrize("exercise_id", list(ex.EXERCISES))
def test_garbage_gets_a_clear_message_and_no_exception(exercise_id):
    kind = ex.EXERCISES[exercise_id].answer
    if kind == "function":  # a callable such as print is a (wrong) function answer there
        garbage = [g for g in GARBAGE_VALUES if not callable(g)] + GARBAGE_FUNCTIONS
    else:
        garbage = GARBAGE_VALUES
    for answer in garbage:
        result = ex.check(exercise_id, answer, verbose=False)
        assert not result.correct
        assert result.status in ("invalid", "wrong"), (answer, result.message)
        assert result.message.startswith(("Cannot check this answer: ", "Not quite. "))
        assert "Cannot check this answer (" not in result.message  # no checker crash


def test_garbage_messages_say_what_was_expected():
    def msg(i, a):
        return ex.check(i, a, verbose=False).message

    assert "Write the number without quotes" in msg("01.1", "3.5")
    assert "expected a single number, got an array of shape (2, 2)" in msg(
        "01.1", np.ones((2, 2)))
    assert "your answer is nan" in msg("01.1", float("nan"))
    assert "truth value" in msg("01.1", True)
    assert "too large to be a float" in msg("01.1", 10**400)
    assert "this exercise wants a number" in msg("01.1", print)
    assert "expected a function, got a float" in msg("01.2", 3.5)
    assert "check(..., my_mse) without parentheses" in msg("01.2", 3.5)
    assert "raised ZeroDivisionError: division by zero when called as my_mse(" in msg(
        "01.2", lambda p, t: 1 / 0)
    assert "cannot be called with 2 argument(s)" in msg("01.2", lambda p: 1.0)
    assert "def my_huber(y_pred, y_true, delta):" in msg("05.1", _huber_kwonly)
    assert "returned the text 'text'" in msg("01.2", lambda p, t: "text")
    assert "(nan or inf)" in msg("01.2", lambda p, t: float("nan"))
    assert "expected an array of shape (3,), got shape (2,)" in msg("04.3", [1.0, 2.0])
    assert "one letter" in msg("03.2", 2)
    assert "'E' is not an option" in msg("03.2", "E")
    assert "expected 4 letters (one per task), got 3" in msg("08.3", "ABC")
    assert "Z is not an option" in msg("08.3", "ABCZ")


def test_function_answer_is_called_on_copies():
    def my_mse(y_pred, y_true):
        y_pred -= y_true  # a learner may modify the inputs in place
        return np.mean(y_pred**2)

    assert ex.check("01.2", my_mse, verbose=False).correct
    assert ex.check("01.2", my_mse, verbose=False).correct  # the hidden cases are unchanged
    assert ex.EXERCISES["01.2"].checker.cases[0][0].tolist() == [4.0, 2.0, 3.0]


def test_04_1_rejects_a_sigmoid_that_overflows(recwarn):
    # 1 / (1 + exp(-z)) gives the right numbers at z = -1000 only because 1 / (1 + inf) = 0;
    # the exercise asks for a sigmoid that cannot overflow, so this is wrong, with a hint
    def naive(z, y):
        p = 1 / (1 + np.exp(-z))
        return 2 * (p - y) * p * (1 - p)

    result = ex.check("04.1", naive, verbose=False)
    assert result.status == "wrong"
    assert "Right numbers" in result.message and "overflow" in result.message
    assert "lossviz.sigmoid" in result.message and "np.where" in result.message
    assert len(recwarn) == 0                       # the learner sees the feedback, not warnings
    # the same formula on the hidden cases without +-1000 raises no overflow: only the large
    # case is the problem
    overflows = []
    for case in ex.EXERCISES["04.1"].checker.cases:
        _core._quiet_call(naive, case, overflows)
    assert overflows == [False, False, False, True]


def test_one_tolerance_rule_for_numbers():
    # relative 1e-3 unless the prompt says otherwise: 02.1 (-ln 0.3 = 1.20397) rejects 0.3% off
    assert ex.check("02.1", 1.2040, verbose=False).correct
    off = ex.check("02.1", 1.20397 * 1.003, verbose=False)
    assert off.status == "wrong" and "within 0.1% unless the exercise says otherwise" in off.message
    # the exceptions say so in their prompts
    assert "answers within 1.1% count" in ex.EXERCISES["04.2"].prompt
    assert ex.check("04.2", 0.33, verbose=False).correct           # 1% off 1/3
    assert "answers within 1.5% count" in ex.EXERCISES["03.3"].prompt
    tolerant = {"03.3", "04.2"}
    for exercise_id, exercise in ex.EXERCISES.items():
        if exercise.answer == "number" and exercise_id not in tolerant:
            expected = exercise.checker.expected
            assert not ex.check(exercise_id, expected * 1.002, verbose=False).correct, exercise_id
            assert ex.check(exercise_id, expected * 1.0009, verbose=False).correct, exercise_id


def test_warnings_from_the_learner_function_are_silenced(recwarn):
    # the naive softmax overflows (RuntimeWarning inside); the learner sees only the feedback
    result = ex.check("02.2", lambda z: np.exp(z) / np.exp(z).sum(), verbose=False)
    assert "subtract the max" in result.message.lower()
    assert len(recwarn) == 0


# --------------------------------------------------------------------------------------------
# what the learner sees


def test_check_prints_the_feedback_and_returns_a_result(capsys):
    result = ex.check("01.1", 14)  # 1 + 0 + 4 + 9 = 14 is the sum
    printed = capsys.readouterr().out
    assert printed == result.message + "\n"
    assert repr(result) == str(result) == result.message
    assert result.correct is False
    assert result.exercise_id == "01.1"
    assert ex.check("01.1", 3.5, verbose=False).correct is True
    assert capsys.readouterr().out == ""


def test_result_is_not_shown_twice_in_the_cell_that_printed_it(capsys, monkeypatch):
    hooks = []

    class Events:
        def register(self, name, fn):
            hooks.append((name, fn))

    class Shell:
        events = Events()

    monkeypatch.setattr(_core, "_ipython", lambda: Shell())
    monkeypatch.setattr(_core, "_HOOK", [])
    monkeypatch.setattr(_core, "_ECHOED", [])
    result = ex.check("01.1", 3.5)
    result._ipython_display_()  # same cell: check() printed it already
    assert capsys.readouterr().out == result.message + "\n"
    assert [name for name, _ in hooks] == ["post_run_cell"]
    hooks[0][1]()  # the cell ends
    result._ipython_display_()  # a later cell shows it
    assert capsys.readouterr().out == result.message + "\n"
    ex.check("01.1", 3.5)
    assert len(hooks) == 1  # the hook is registered once


def test_hint_prints_a_nudge(capsys):
    ex.hint("01.1")
    out = capsys.readouterr().out
    assert out.startswith("Hint for 01.1: ")
    assert "3.5" not in out  # a hint does not give the answer away


@pytest.mark.parametrize("exercise_id", list(ex.EXERCISES))
def test_solution_prints_the_worked_answer(exercise_id, capsys):
    assert ex.solution(exercise_id) is None
    out = capsys.readouterr().out
    assert out.startswith(f"Solution {exercise_id}: ")
    for text in SOLUTION[exercise_id]:
        assert text in out, text


@pytest.mark.parametrize("exercise_id", _ids("function"))
def test_solution_code_passes_its_own_check(exercise_id):
    text = ex.EXERCISES[exercise_id].solution
    block = re.search(r"^def .*?(?=\n\S|\n\n|\Z)", text, flags=re.M | re.S).group(0)
    namespace = {"np": np}
    exec(block, namespace)  # noqa: S102 - the package's own solution text
    fn = next(v for k, v in namespace.items() if k.startswith("my_"))
    result = ex.check(exercise_id, fn, verbose=False)
    assert result.correct, result.message


def test_reference_values_against_hand_arithmetic():
    checks = {i: ex.EXERCISES[i].checker for i in ex.EXERCISES}
    assert checks["01.1"].expected == pytest.approx(3.5)  # (1 + 0 + 4 + 9) / 4
    assert checks["01.3"].expected == pytest.approx(7905.694, abs=1e-3)  # sqrt(6.25e7)
    assert checks["02.1"].expected == pytest.approx(1.2039728)  # -ln 0.3
    assert checks["03.1"].expected == pytest.approx(3.9120230)  # -ln(1 - 0.98) = -ln 0.02
    assert checks["03.3"].expected == pytest.approx(10.526316)  # 1 / (2 * 0.05 * 0.95)
    assert checks["04.2"].expected == pytest.approx(1 / 3)
    assert checks["05.2"].expected == 340.0
    assert checks["06.1"].expected == pytest.approx(0.125 + 1.6120857)  # 1/8 + 0.5 ln(8 pi)
    assert checks["06.3"].expected == pytest.approx(0.36354804)  # 1.09064411 / 3
    assert checks["07.1"].expected == pytest.approx(4.1743873)  # ln 65
    assert checks["07.2"].expected == pytest.approx(12.182494)  # e^2.5
    assert checks["08.1"].expected == pytest.approx(0.7017175)
    assert checks["08.2"].expected == pytest.approx(1.4611502)  # ln(e + 9) - 1 = 2.4611502 - 1
    np.testing.assert_allclose(checks["04.3"].expected, [0.96466316, 0.01766842, -0.98233158],
                               rtol=1e-6)
    # the MAE-best constant is the median: a fine grid over c agrees
    y = np.array([300.0, 320.0, 340.0, 360.0, 2000.0])
    c = np.arange(250.0, 2001.0)
    assert c[np.argmin([float(lv.mae(np.full(5, ci), y)) for ci in c])] == 340.0
    # the Gaussian NLL minus MSE / (2 sigma^2) is the same constant for any predictions
    rng = np.random.default_rng(0)
    y_true, y_hat, sigma = rng.normal(size=6), rng.normal(size=6), 2.0
    nll = np.mean(0.5 * np.log(2 * np.pi * sigma**2) + (y_true - y_hat) ** 2 / (2 * sigma**2))
    assert nll - float(lv.mse(y_hat, y_true)) / (2 * sigma**2) == pytest.approx(1.6120857)
    assert ex.EXERCISES["06.2"].checker.reference(y_hat, y_true, sigma) == pytest.approx(nll)
