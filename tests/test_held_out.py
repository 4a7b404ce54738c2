"""data.split_held_out and the held-out scores of notebook 07."""

from __future__ import annotations

import numpy as np
import pytest

from lossviz import data, training


def test_split_keeps_order_and_sizes():
    train, test = data.split_held_out(np.arange(10))
    assert train.tolist() == [0, 1, 2, 3, 4, 5, 6, 7]        # int(0.8 * 10) = 8
    assert test.tolist() == [8, 9]
    train, test = data.split_held_out(np.arange(100), held_out=0.25)
    assert (train.size, test.size) == (75, 25)
    assert train[-1] == 74 and test[0] == 75                   # contiguous, no shuffling


@pytest.mark.parametrize("bad", [0, 1, 0.0, 1.0, -0.1, 1.5, True, "0.2", None])
def test_split_refuses_a_bad_fraction(bad):
    with pytest.raises(ValueError, match="held_out must be a fraction strictly between 0 and 1"):
        data.split_held_out(np.arange(10), held_out=bad)


def test_split_refuses_bad_ids():
    with pytest.raises(ValueError, match="1-D integer array"):
        data.split_held_out(np.zeros(10))
    with pytest.raises(ValueError, match="1-D integer array"):
        data.split_held_out(np.zeros((2, 5), dtype=int))
    with pytest.raises(ValueError, match="fewer than 2 ids"):
        data.split_held_out(np.arange(4))                      # 3 + 1: the test part has 1 id


def test_held_out_scores_of_the_chapter():
    """The numbers notebook 07 prints: counting wins on the training text, not on held-out text."""
    text = data.load_text()
    vocab = data.char_vocab(text)
    train, test = data.split_held_out(data.encode(text, vocab))
    assert (train.size, test.size) == (9012, 2253)             # 80% of 11,265 characters
    counted = training.bigram_count_logits(train, len(vocab))
    W, hist = training.fit_bigram(train, len(vocab), steps=100)
    assert training.bigram_loss(counted, train) == pytest.approx(2.3367, abs=1e-4)
    assert training.bigram_loss(counted, test) == pytest.approx(2.4629, abs=1e-4)
    assert hist.loss[-1] == pytest.approx(2.4332, abs=1e-4)
    assert training.bigram_loss(W, test) == pytest.approx(2.4653, abs=1e-4)
    # The training-text gap between the two (0.097 nats) shrinks to 0.002 nats on held-out text.
    train_gap = hist.loss[-1] - training.bigram_loss(counted, train)
    test_gap = training.bigram_loss(W, test) - training.bigram_loss(counted, test)
    assert train_gap > 0.09 and 0 < test_gap < 0.01
