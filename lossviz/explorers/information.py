"""The information view of cross-entropy (notebook 09): CE = H(t) + KL(t‖p).

:func:`information_explorer`: drag the predicted cat/dog/bird distribution p and pick the target
t (one-hot, label-smoothed or soft); a stacked bar splits the cross-entropy into the entropy of
the target, H(t), which no prediction can remove, and the divergence KL(t‖p), which training
removes. The explorer contract is in :mod:`lossviz.explorers._base`.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

import lossviz as lv
from lossviz import plotting as lp
from lossviz.explorers._base import Explorer, _num, _slider

_CLASSES = ("cat", "dog", "bird")
_LN2 = math.log(2.0)
_SMOOTHING = 0.1
_P_RANGE = (0.01, 0.99)  # both sliders: no probability is ever exactly 0 or 1
_CE_TOP = 5.0  # nats; the largest cross-entropy the sliders reach is −ln 0.01 = 4.605

#: The targets the explorer offers: (menu label, distribution over cat, dog, bird).
TARGETS = {
    "one-hot": ("one-hot: cat", np.array([1.0, 0.0, 0.0])),
    # label smoothing as in lv.cross_entropy(..., label_smoothing=0.1): (1 − ε)·onehot + ε / K
    "smoothed": (f"label smoothing ε = {_SMOOTHING:g}: cat",
                 (1 - _SMOOTHING) * np.array([1.0, 0.0, 0.0]) + _SMOOTHING / 3),
    "soft": ("soft: cat 0.7, dog 0.2, bird 0.1", np.array([0.7, 0.2, 0.1])),
}
for _label, _t in TARGETS.values():
    _t.setflags(write=False)


def prediction(p_cat, dog_share):
    """The predicted distribution (cat, dog, bird) from p(cat) and dog's share of the rest."""
    rest = 1.0 - p_cat
    return np.array([p_cat, rest * dog_share, rest * (1.0 - dog_share)])


def split(p, t):
    """Cross-entropy of ``p`` against ``t`` and its two parts, in nats, from lossviz.

    Returns ``(ce, h, kl)`` with ``ce = soft_cross_entropy(log p, t)``, ``h = entropy(t)`` and
    ``kl = kl_div(log p, t, reduction="sum")`` = KL(t‖p); ``ce = h + kl`` up to rounding.
    """
    log_p = np.log(p)  # logits whose softmax is p: all < 0, so never mistaken for probabilities
    ce = float(lv.soft_cross_entropy(log_p, t))
    h = float(lv.entropy(t))
    kl = float(lv.kl_div(log_p, t, reduction="sum"))
    return ce, h, kl


def _zero(x, digits=3):
    """Like ``_num``, but rounding noise around 0 (−1e-17 for KL at p = t) reads 0.000."""
    return _num(0.0 if abs(x) < 1e-12 else x, digits)


def _pair(x):
    """'0.357 nats (0.515 bits)'."""
    return f"{_zero(x)} nats ({_zero(x / _LN2)} bits)"


class InformationExplorer(Explorer):
    """See :func:`information_explorer`."""

    title = "Cross-entropy = entropy of the target H(t) + divergence KL(t‖p)"
    width_px = 960
    snapshot_margins_px = {"left": 74, "right": 62, "bottom": 40, "top": 58}

    def __init__(self):
        controls = {
            "p_cat": _slider(0.70, *_P_RANGE, 0.01,
                             "p(cat) = predicted probability of cat, the true class"),
            "dog_share": _slider(2 / 3, *_P_RANGE, 0.01,
                                 "dog's share of the rest: p(dog) / (p(dog) + p(bird))"),
            "target": widgets.Dropdown(options=[(label, key) for key, (label, _) in
                                                TARGETS.items()],
                                       value="one-hot", description="target t"),
        }
        presets = {
            "decent": {"p_cat": 0.70, "dog_share": 2 / 3, "target": "one-hot"},
            "confidently wrong": {"p_cat": 0.05, "dog_share": 0.90 / 0.95, "target": "one-hot"},
            "p = soft target": {"p_cat": 0.70, "dog_share": 2 / 3, "target": "soft"},
            "p = smoothed target": {"p_cat": 1 - _SMOOTHING + _SMOOTHING / 3, "dog_share": 0.5,
                                    "target": "smoothed"},
        }
        super().__init__(controls, presets=presets)

    def _compute(self, values):
        key = values["target"]
        t = TARGETS[key][1]
        p = prediction(float(values["p_cat"]), float(values["dog_share"]))
        ce, h, kl = split(p, t)
        return {"p": p, "t": t, "target": key, "ce": ce, "h": h, "kl": kl}

    def _draw(self, fig, state):
        ax_d, ax_s = fig.subplots(1, 2)
        ax_d.set_title("target t and prediction p")
        ax_d.set_ylim(0.0, 1.4)
        ax_d.set_ylabel("probability")
        t_bars = lp.value_bars(ax_d, _CLASSES, state["t"], color=lp.COLORS["target"],
                               width=0.38, offset=-0.2, label="target t", text_size=11)
        p_bars = lp.value_bars(ax_d, _CLASSES, state["p"], color=lp.COLORS["prediction"],
                               width=0.38, offset=0.2, label="prediction p", text_size=11)
        ax_d.set_xlim(-0.6, 2.6)
        ax_d.legend(loc="upper right", ncols=2, fontsize=11)

        ax_s.set_title("cross-entropy, split")
        ax_s.set_xlim(-0.4, 2.6)
        ax_s.set_ylim(0.0, _CE_TOP)
        ax_s.set_xticks([])
        ax_s.set_ylabel("nats")
        bits = ax_s.secondary_yaxis("right", functions=(lambda x: x / _LN2, lambda b: b * _LN2))
        bits.set_ylabel("bits")
        (h_bar,) = ax_s.bar([0.0], [state["h"]], width=0.5, color=lp.COLORS["target"],
                            edgecolor=lp.COLORS["text"], linewidth=1, zorder=2,
                            label="H(t): fixed by the target")
        (kl_bar,) = ax_s.bar([0.0], [state["kl"]], bottom=[state["h"]], width=0.5,
                             color=lp.COLORS["cross_entropy"], edgecolor=lp.COLORS["text"],
                             linewidth=1, zorder=2, label="KL(t‖p): the model's part")
        (floor,) = ax_s.plot([-0.4, 2.6], [state["h"]] * 2, color=lp.COLORS["text"],
                             linestyle="--", linewidth=1.5, zorder=3)
        text = lp.corner_text(ax_s, "", loc="upper right", size=12, zorder=5)
        # right of the bar (which never leaves the left quarter), between the text and the floor
        ax_s.legend(loc="center right", fontsize=10.5, framealpha=0.9, edgecolor="none")
        art = {"t": t_bars, "p": p_bars, "h": h_bar, "kl": kl_bar, "floor": floor, "text": text}
        self._update(art, state)
        return art

    def _moving(self, art):
        return [*art["t"].moving, *art["p"].moving, art["h"], art["kl"], art["floor"],
                art["text"]]

    def _update(self, art, state):
        art["t"].update(state["t"])
        art["p"].update(state["p"])
        h, kl = state["h"], state["kl"]
        art["h"].set_height(h)
        art["kl"].set_y(h)
        art["kl"].set_height(kl)
        art["floor"].set_ydata([h, h])
        art["text"].set_text(f"CE = {_zero(state['ce'])} nats\nH(t) = {_zero(h)}\n"
                             f"KL(t‖p) = {_zero(kl)}\ndashed: the floor H(t)")

    def _readout(self, state):
        out = {f"p_{c}": state["p"][i] for i, c in enumerate(_CLASSES)}
        out.update(cross_entropy=state["ce"], entropy=state["h"], kl=state["kl"],
                   cross_entropy_bits=state["ce"] / _LN2, entropy_bits=state["h"] / _LN2,
                   kl_bits=state["kl"] / _LN2)
        return out

    @staticmethod
    def _dist(d):
        return ", ".join(f"{c} {q:.2f}" for c, q in zip(_CLASSES, d, strict=True))

    def _describe(self, state):
        return (f"Target t ({TARGETS[state['target']][0]}) = {self._dist(state['t'])}; "
                f"prediction p = {self._dist(state['p'])}. The stacked bar shows the "
                f"cross-entropy {_zero(state['ce'])} nats as the entropy of the target H(t) = "
                f"{_zero(state['h'])} (the floor, dashed) plus KL(t‖p) = {_zero(state['kl'])}.")

    def _readout_html(self, state):
        probs = " &nbsp;·&nbsp; ".join(f"p({c}) = {q:.3f}"
                                       for c, q in zip(_CLASSES, state["p"], strict=True))
        target = ", ".join(f"{q:.3f}" for q in state["t"])
        return (f"{probs} &nbsp;·&nbsp; target t = ({target})<br>"
                f"cross-entropy = <b>{_pair(state['ce'])}</b> = entropy H(t) "
                f"<b>{_pair(state['h'])}</b> + KL(t‖p) <b>{_pair(state['kl'])}</b>")

    def _title(self, state):
        p = ", ".join(f"{q:.2f}" for q in state["p"])
        return (f"target {state['target']}, p = ({p}): CE {_zero(state['ce'])} = "
                f"H {_zero(state['h'])} + KL {_zero(state['kl'])} nats")


def information_explorer():
    """Drag the predicted cat/dog/bird distribution; see cross-entropy split into H(t) + KL(t‖p).

    The sliders set p(cat), the probability of the true class, and how the rest is shared
    between dog and bird; the menu picks the target t: one-hot (cat), label-smoothed
    (ε = 0.1: 0.933, 0.033, 0.033) or soft (0.7, 0.2, 0.1). Starts at the course's decent
    prediction 0.70 / 0.20 / 0.10 with the one-hot target: CE = KL = −ln 0.70 = 0.357 nats.

    Returns
    -------
    Explorer
        Controls ``"p_cat"`` and ``"dog_share"`` (0.01..0.99) and ``"target"`` (``"one-hot"``,
        ``"smoothed"``, ``"soft"``); presets "decent", "confidently wrong", "p = soft target",
        "p = smoothed target"; readout ``"p_cat"``, ``"p_dog"``, ``"p_bird"``,
        ``"cross_entropy"``, ``"entropy"``, ``"kl"`` (nats) and the same three in bits
        (``"cross_entropy_bits"``, ``"entropy_bits"``, ``"kl_bits"``).

    Examples
    --------
    >>> ex = information_explorer()
    >>> r = ex.readout  # one-hot target: H = 0, so CE = KL = −ln 0.70
    >>> print(f"{r['cross_entropy']:.4f} = {r['entropy']:.4f} + {r['kl']:.4f}")
    0.3567 = 0.0000 + 0.3567
    >>> ex.controls["target"].value = "soft"  # p = t: KL = 0, CE = H(0.7, 0.2, 0.1)
    >>> print(f"{ex.readout['cross_entropy']:.4f} = {ex.readout['entropy']:.4f} + "
    ...       f"{ex.readout['kl']:.4f}")
    0.8018 = 0.8018 + 0.0000
    """
    return InformationExplorer()
