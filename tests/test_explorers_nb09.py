"""lossviz.explorers.information_explorer (notebook 09), headless.

Cross-entropy of a predicted cat/dog/bird distribution p against a target t, split as
H(t, p) = H(t) + KL(t‖p). The numbers are checked with the arithmetic beside them.
"""

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossviz import explorers as E
from lossviz.explorers import information_explorer
from lossviz.explorers.information import TARGETS, prediction

LN2 = math.log(2)




def by_hand(p, t):
    """(CE, H, KL) written out: -sum t ln p, -sum t ln t, sum t ln(t / p) (0 ln 0 = 0)."""
    p, t = np.asarray(p, float), np.asarray(t, float)
    nz = t > 0
    ce = -np.sum(t[nz] * np.log(p[nz]))
    h = -np.sum(t[nz] * np.log(t[nz]))
    kl = np.sum(t[nz] * np.log(t[nz] / p[nz]))
    return ce, h, kl


def test_contract(check_contract):
    ex = information_explorer()
    # two axes: the distributions and the split (its bits axis is a child)
    check_contract(ex, controls=["p_cat", "dog_share", "target"],
                   readout={"p_cat", "p_dog", "p_bird", "cross_entropy", "entropy", "kl",
                            "cross_entropy_bits", "entropy_bits", "kl_bits"})
    assert E.InformationExplorer is type(ex)
    assert "information_explorer" in E.__all__


def test_default_is_the_course_decent_prediction():
    r = information_explorer().readout
    # p = (0.70, 0.30 * 2/3, 0.30 * 1/3) = (0.70, 0.20, 0.10); one-hot cat: H = 0,
    # CE = KL = -ln 0.70 = 0.356675 nats = 0.356675 / 0.693147 = 0.514573 bits
    assert (r["p_cat"], r["p_dog"], r["p_bird"]) == pytest.approx((0.70, 0.20, 0.10))
    assert r["entropy"] == 0.0
    assert r["cross_entropy"] == pytest.approx(0.3566749439)
    assert r["kl"] == pytest.approx(0.3566749439)
    assert r["cross_entropy_bits"] == pytest.approx(0.5145731728)


def test_presets_are_the_course_numbers():
    ex = information_explorer()
    assert list(ex.presets) == ["decent", "confidently wrong", "p = soft target",
                                "p = smoothed target"]
    ex.apply_preset("confidently wrong")
    r = ex.readout
    # p = (0.05, 0.95 * 0.90/0.95, 0.95 * 0.05/0.95) = (0.05, 0.90, 0.05): CE = KL = -ln 0.05
    assert (r["p_cat"], r["p_dog"], r["p_bird"]) == pytest.approx((0.05, 0.90, 0.05))
    assert r["cross_entropy"] == pytest.approx(2.9957322736) and r["entropy"] == 0.0
    ex.apply_preset("p = soft target")
    r = ex.readout
    # p = t = (0.7, 0.2, 0.1): KL = 0 and CE = H = 0.249672 + 0.321888 + 0.230259 = 0.801819
    assert r["kl"] == pytest.approx(0.0, abs=1e-12)
    assert r["cross_entropy"] == pytest.approx(0.8018185525)
    assert r["entropy"] == pytest.approx(0.8018185525)
    ex.apply_preset("p = smoothed target")
    r = ex.readout
    # eps = 0.1, K = 3: t = (0.933333, 0.033333, 0.033333);
    # H = 0.933333 * 0.068993 + 2 * 0.033333 * 3.401197 = 0.064393 + 0.226746 = 0.291140
    assert r["p_cat"] == pytest.approx(0.9333333333)
    assert r["kl"] == pytest.approx(0.0, abs=1e-12)
    assert r["entropy"] == pytest.approx(0.2911398388)
    assert r["cross_entropy"] == pytest.approx(0.2911398388)
    assert r["entropy_bits"] == pytest.approx(0.2911398388 / LN2)


def test_smoothed_target_with_the_decent_prediction():
    ex = information_explorer()
    ex.controls["target"].value = "smoothed"
    r = ex.readout
    # -(0.933333 ln 0.7 + 0.033333 ln 0.2 + 0.033333 ln 0.1)
    #   = 0.332897 + 0.053648 + 0.076753 = 0.463298;  KL = 0.463298 - 0.291140 = 0.172158
    assert r["cross_entropy"] == pytest.approx(0.463298, abs=2e-6)
    assert r["kl"] == pytest.approx(0.172158, abs=2e-6)


@pytest.mark.parametrize("target", list(TARGETS))
def test_split_matches_the_arithmetic_everywhere(target):
    ex = information_explorer()
    t = TARGETS[target][1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # genuine log-probabilities: kl_div must not warn
        for a in np.linspace(0.01, 0.99, 6):
            for s in np.linspace(0.01, 0.99, 5):
                ex.set(p_cat=a, dog_share=s, target=target)
                r = ex.readout
                p = prediction(a, s)
                ce, h, kl = by_hand(p, t)
                assert (r["p_cat"], r["p_dog"], r["p_bird"]) == pytest.approx(tuple(p))
                assert r["cross_entropy"] == pytest.approx(ce, rel=1e-12)
                assert r["entropy"] == pytest.approx(h, rel=1e-12, abs=1e-15)
                assert r["kl"] == pytest.approx(kl, rel=1e-10, abs=1e-13)
                assert r["cross_entropy"] == pytest.approx(r["entropy"] + r["kl"], abs=1e-12)
                assert r["kl"] >= -1e-15
                assert r["kl_bits"] == pytest.approx(r["kl"] / LN2)
                assert r["cross_entropy"] < 5.0  # the split axis tops out at 5 nats


def test_one_hot_target_ignores_how_the_rest_is_shared():
    ex = information_explorer()
    before = ex.readout["cross_entropy"]
    ex.controls["dog_share"].value = 0.1
    assert ex.readout["cross_entropy"] == pytest.approx(before)  # only p(cat) counts
    ex.controls["target"].value = "soft"
    soft_a = ex.readout["kl"]
    ex.controls["dog_share"].value = 0.9
    assert ex.readout["kl"] != pytest.approx(soft_a)  # with a soft target it matters


def test_bars_follow_the_numbers():
    ex = information_explorer()
    art = ex._artists
    ex.set(p_cat=0.4, dog_share=0.25, target="soft")
    r = ex.readout
    np.testing.assert_allclose(art["p"].heights, [0.4, 0.15, 0.45])
    np.testing.assert_allclose(art["t"].heights, [0.7, 0.2, 0.1])
    # the stacked bar: H(t) from 0, KL(t‖p) on top of it, the dashed floor at H(t)
    assert art["h"].get_y() == 0.0 and art["h"].get_height() == pytest.approx(r["entropy"])
    assert art["kl"].get_y() == pytest.approx(r["entropy"])
    assert art["kl"].get_height() == pytest.approx(r["kl"])
    assert art["kl"].get_y() + art["kl"].get_height() == pytest.approx(r["cross_entropy"])
    assert list(art["floor"].get_ydata()) == pytest.approx([r["entropy"]] * 2)
    assert f"CE = {r['cross_entropy']:.3f}" in art["text"].get_text()


def test_every_move_changes_the_picture_and_the_alt_text(png):
    ex = information_explorer()
    for name, values in (("p_cat", [0.3, 0.9, 0.7]), ("dog_share", [0.2, 0.9, 0.5]),
                         ("target", ["smoothed", "soft", "one-hot"])):
        for v in values:
            before_png, before_alt = png(ex), ex.alt_text
            ex.controls[name].value = v
            assert png(ex) != before_png, (name, v)
            assert ex.alt_text != before_alt, (name, v)


def test_fast_redraw_matches_a_full_redraw(png, pixels):
    ex = information_explorer()
    ex.set(p_cat=0.3, dog_share=0.8, target="smoothed")
    fast = pixels(png(ex))
    ex.figure.canvas.draw()
    full = np.asarray(ex.figure.canvas.buffer_rgba())
    assert np.mean(np.any(fast != full, axis=2)) < 0.005


def test_snapshot_rows():
    ex = information_explorer()
    fig = ex.snapshot([{"target": "one-hot"}, {"target": "smoothed"},
                       {"target": "soft", "p_cat": 0.05, "dog_share": 0.90 / 0.95}])
    assert len(fig.subfigs) == 3
    titles = [sf._suptitle.get_text() for sf in fig.subfigs]
    assert "CE 0.357 = H 0.000 + KL 0.357" in titles[0]
    assert "CE 0.463 = H 0.291 + KL 0.172" in titles[1]
    # soft target, confidently wrong p: -(0.7 ln 0.05 + 0.2 ln 0.9 + 0.1 ln 0.05)
    #   = 2.097013 + 0.021072 + 0.299573 = 2.417658;  KL = 2.417658 - 0.801819 = 1.615840
    assert "CE 2.418 = H 0.802 + KL 1.616" in titles[2]
    assert plt.get_fignums() == []
    with pytest.raises(ValueError, match="outside the control's range"):
        ex.snapshot([{"p_cat": 1.0}])
    with pytest.raises(ValueError, match="is not one of"):
        ex.snapshot([{"target": "uniform"}])
