"""Classification explorers (notebooks 02 and 03).

- :func:`softmax_explorer`: cat/dog/bird logits -> softmax probabilities -> cross-entropy and
  its gradient.
- :func:`confident_wrong_explorer`: one probability ``p`` for the true class; MSE and
  cross-entropy, and their gradients with respect to the logit.

The explorer contract is in :mod:`lossviz.explorers._base`.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

import lossviz as lv
from lossviz import plotting as lp
from lossviz.explorers._base import Explorer, _log_grid_origin, _num, _slider

_CLASSES = ("cat", "dog", "bird")
_LOGIT_RANGE = (-4.0, 4.0)


class SoftmaxExplorer(Explorer):
    """See :func:`softmax_explorer`."""

    width_px = 960
    title = "Softmax and cross-entropy: how much probability did the true class get?"

    def __init__(self):
        lo, hi = _LOGIT_RANGE
        # The browser snaps ln 0.70 = -0.3567 to -0.36 at this step; Explorer.values keeps
        # the exact preset value while the slider sits there.
        controls = {c: _slider(math.log(p), lo, hi, 0.01, f"logit z of {c}")
                    for c, p in zip(_CLASSES, (0.70, 0.20, 0.10), strict=True)}
        controls["true_class"] = widgets.Dropdown(options=list(_CLASSES), value="cat",
                                                  description="true class")
        presets = {
            "decent": {"cat": math.log(0.70), "dog": math.log(0.20), "bird": math.log(0.10),
                       "true_class": "cat"},
            "confidently wrong": {"cat": math.log(0.05), "dog": math.log(0.90),
                                  "bird": math.log(0.05), "true_class": "cat"},
        }
        # The smallest probability the sliders can give the true class: its logit at the
        # bottom, both others at the top. It fixes the cross-entropy axis once and for all.
        z_worst = np.array([lo, hi, hi])
        self.p_min = float(lv.softmax(z_worst)[0])
        self.ce_max = float(lv.cross_entropy(z_worst - z_worst.max(), 0))
        super().__init__(controls, presets=presets)

    def _compute(self, values):
        z = np.array([values[c] for c in _CLASSES], dtype=float)
        t = _CLASSES.index(values["true_class"])
        # Softmax and cross-entropy do not change when every logit shifts by the same amount.
        # The shifted logits are <= 0 with a 0 among them, so cross_entropy's check for
        # "probabilities passed by mistake" can never fire on these genuine logits.
        zs = z - z.max()
        p = lv.softmax(zs)
        ce = lv.cross_entropy(zs, t)
        grad = lv.cross_entropy_grad(zs, t)
        return {"z": z, "t": t, "p": p, "ce": float(ce), "grad": grad}

    def _draw(self, fig, state):
        ax_p, ax_ce, ax_g = fig.subplots(1, 3)
        ax_p.set_title("probabilities p")
        probs = lp.probability_bars(ax_p, state["p"], classes=_CLASSES, true_index=state["t"])
        ax_p.set_xlim(-0.6, 2.6)
        # −ln p over every probability the sliders can reach (BCE with y = 1 is −ln p).
        grid = np.unique(np.concatenate([np.geomspace(self.p_min, 0.05, 120),
                                         np.linspace(0.05, 1.0, 120)]))
        curve_y = lv.binary_cross_entropy(grid, np.ones_like(grid), reduction="none")
        ax_ce.set_xlim(0.0, 1.0)
        ax_ce.set_ylim(0.0, math.ceil(self.ce_max))
        ax_ce.set_xlabel("p(true class)")
        ax_ce.set_ylabel("cross-entropy (nats)")
        ax_ce.set_title("cross-entropy")
        p_true = state["p"][state["t"]]
        ce = lp.loss_curve(ax_ce, grid, curve_y, p_true, state["ce"],
                           color=lp.COLORS["cross_entropy"], value_text="")
        ax_g.set_title("gradient p − one-hot")
        grads = lp.gradient_bars(ax_g, state["grad"], classes=_CLASSES,
                                 ylabel="∂CE/∂z (nats per unit z)")
        ax_g.set_xlim(-0.6, 2.6)
        art = {"probs": probs, "ce": ce, "grads": grads}
        self._update(art, state)
        return art

    def _moving(self, art):
        return [*art["probs"].moving, *art["ce"].moving, *art["grads"].moving]

    def _update(self, art, state):
        t = state["t"]
        art["probs"].update(state["p"], colors=lp.class_colors(3, t))
        art["ce"].update(state["p"][t], state["ce"],
                         text=f"CE = −ln {state['p'][t]:.3f}\n= {state['ce']:.3f}")
        art["grads"].update(state["grad"], colors=[
            lp.COLORS["true_class"] if i == t else lp.COLORS["gradient"] for i in range(3)])

    def _readout(self, state):
        out = {f"p_{c}": state["p"][i] for i, c in enumerate(_CLASSES)}
        out["cross_entropy"] = state["ce"]
        return out

    def _describe(self, state):
        t, p, g = state["t"], state["p"], state["grad"]
        name = _CLASSES[t]
        logits = ", ".join(f"{c} {_num(z, 2)}" for c, z in zip(_CLASSES, state["z"], strict=True))
        probs = ", ".join(f"{c} {q:.2f}" for c, q in zip(_CLASSES, p, strict=True))
        return (f"Logits {logits} give probabilities {probs}; the "
                f"true class is {name}, so the cross-entropy is −ln {p[t]:.3f} = "
                f"{state['ce']:.3f}, and the gradient ({', '.join(lp.fmt_signed(x) for x in g)}) "
                f"pushes the {name} logit up and the others down.")

    def _readout_html(self, state):
        t, p = state["t"], state["p"]
        probs = " &nbsp;·&nbsp; ".join(
            (f"<b>p({c}) = {q:.3f}</b>" if i == t else f"p({c}) = {q:.3f}")
            for i, (c, q) in enumerate(zip(_CLASSES, p, strict=True)))
        return (f"{probs}<br>cross-entropy = −ln p({_CLASSES[t]}) = "
                f"<b>{state['ce']:.3f} nats</b> &nbsp;·&nbsp; gradient softmax − one-hot = "
                f"({', '.join(lp.fmt_signed(x) for x in state['grad'])})")

    def _title(self, state):
        t, p = state["t"], state["p"]
        return (f"p = ({', '.join(f'{q:.2f}' for q in p)}), true = {_CLASSES[t]}: "
                f"CE = −ln {p[t]:.2f} = {state['ce']:.3f}")


def softmax_explorer():
    """Move the cat/dog/bird logits; watch the probabilities, the cross-entropy and its gradient.

    Starts at logits ln 0.70, ln 0.20, ln 0.10, so the probabilities are 0.70/0.20/0.10 with
    cat true: cross-entropy −ln 0.70 = 0.357. Presets "decent" (0.70/0.20/0.10) and
    "confidently wrong" (0.05/0.90/0.05, cross-entropy −ln 0.05 = 2.996).

    Returns
    -------
    Explorer
        Controls ``"cat"``, ``"dog"``, ``"bird"`` (logit sliders, −4..4) and ``"true_class"``;
        readout ``"p_cat"``, ``"p_dog"``, ``"p_bird"``, ``"cross_entropy"``.

    Examples
    --------
    >>> ex = softmax_explorer()
    >>> print(f"{ex.readout['p_cat']:.2f} {ex.readout['cross_entropy']:.4f}")
    0.70 0.3567
    >>> ex.apply_preset("confidently wrong")
    >>> print(f"{ex.readout['cross_entropy']:.4f}")  # −ln 0.05
    2.9957
    """
    return SoftmaxExplorer()


_P_MIN, _P_MAX = 0.001, 0.999


def _logit(p):
    """Inverse of the sigmoid: the logit z with sigmoid(z) = p."""
    p = np.asarray(p, dtype=float)
    return np.log(p) - np.log1p(-p)  # log1p keeps 1 − p accurate near p = 0


_P_STEP = 0.001  # in log10 p: 3000 steps from 0.001 to 1


class ConfidentWrongExplorer(Explorer):
    """See :func:`confident_wrong_explorer`."""

    title = "Confidently wrong: cross-entropy keeps pushing where MSE's gradient vanishes"

    def __init__(self):
        presets = {"Model A (p = 0.9)": {"p": 0.9}, "Model B (p = 0.6)": {"p": 0.6},
                   "Model C (p = 0.01)": {"p": 0.01}}
        # The slider's grid starts just above log10 0.001 (by 0.00005 for these presets), so
        # that at every preset the slider's own readout, which shows the snapped value, reads
        # like the value the explorer uses: 0.900, not 0.899.
        lo = _log_grid_origin(math.log10(_P_MIN), _P_STEP,
                              [0.9, *(v["p"] for v in presets.values())])
        controls = {"p": widgets.FloatLogSlider(
            value=0.9, base=10, min=lo, max=math.log10(_P_MAX), step=_P_STEP,
            description="p = predicted probability of the true class (log scale)",
            readout_format=".3g", continuous_update=True)}
        self.grid = np.unique(np.concatenate([np.geomspace(_P_MIN, 0.05, 120),
                                              np.linspace(0.05, _P_MAX, 200)]))
        self.curves = self._losses_and_grads(self.grid)
        super().__init__(controls, presets=presets)

    @staticmethod
    def _losses_and_grads(p):
        """MSE and cross-entropy against y = 1, and their gradients in the logit z."""
        p = np.asarray(p, dtype=float)
        ones = np.ones_like(p)
        z = _logit(p)
        return {
            "mse": lv.mse(p, ones, reduction="none"),                       # (1 − p)²
            "ce": lv.binary_cross_entropy(p, ones, reduction="none"),       # −ln p
            # chain rule through the sigmoid: dMSE/dz = dMSE/dp · dp/dz = 2(p − 1) · p(1 − p)
            "mse_grad": lv.mse_grad(p, ones, reduction="none") * lv.sigmoid_grad(z),
            # the sigmoid's derivative cancels: dCE/dz = p − 1
            "ce_grad": lv.binary_cross_entropy_with_logits_grad(z, ones, reduction="none"),
        }

    def _compute(self, values):
        p = float(values["p"])
        c = self._losses_and_grads(np.array([p]))
        return {"p": p, **{k: float(v[0]) for k, v in c.items()}}

    def _draw(self, fig, state):
        ax_l, ax_g = fig.subplots(1, 2)
        for ax in (ax_l, ax_g):
            ax.set_xlim(0.0, 1.0)
            ax.set_xlabel("p = probability of the true class")
        ax_l.set_ylim(0.0, math.ceil(float(self.curves["ce"].max())) + 0.2)
        ax_l.set_ylabel("loss (nats for CE)")
        ax_l.set_title("loss when the true label is y = 1")
        mse = lp.loss_curve(ax_l, self.grid, self.curves["mse"], color=lp.COLORS["mse"],
                            label="MSE (1 − p)²", value_text="", text_loc="upper right")
        mse.label.set_y(0.55)
        ce = lp.loss_curve(ax_l, self.grid, self.curves["ce"],
                           color=lp.COLORS["cross_entropy"], label="cross-entropy −ln p",
                           value_text="")
        ce.label.set_y(0.68)
        ax_l.legend(loc="upper right")
        # a strip below the curves' lowest point (−1 at p = 0) holds the legend, so no curve
        # or moving marker ever crosses it
        ax_g.set_ylim(-1.62, 0.08)
        ax_g.set_ylabel("∂loss/∂z (per unit logit)")
        ax_g.set_title("gradient in the logit z")
        mse_g = lp.gradient_curve(ax_g, self.grid, self.curves["mse_grad"],
                                  color=lp.COLORS["mse"], label="MSE: 2(p − 1)·p(1 − p)",
                                  value_text="", text_loc="lower right")
        ce_g = lp.gradient_curve(ax_g, self.grid, self.curves["ce_grad"],
                                 color=lp.COLORS["cross_entropy"], label="CE: p − 1",
                                 value_text="", text_loc="lower right")
        # the value texts sit right of and below the CE line p − 1, above the legend's strip
        mse_g.label.set_y(0.55)
        ce_g.label.set_y(0.40)
        ax_g.legend(loc="lower left")
        art = {"mse": mse, "ce": ce, "mse_g": mse_g, "ce_g": ce_g}
        self._update(art, state)
        return art

    def _moving(self, art):
        return [a for c in art.values() for a in c.moving]

    def _update(self, art, state):
        p = state["p"]
        art["mse"].update(p, state["mse"], text=f"MSE = {state['mse']:.4f}")
        art["ce"].update(p, state["ce"], text=f"CE = {state['ce']:.3f}")
        art["mse_g"].update(p, state["mse_grad"], text=f"MSE: {_num(state['mse_grad'], 4)}")
        art["ce_g"].update(p, state["ce_grad"], text=f"CE: {_num(state['ce_grad'], 3)}")

    def _readout(self, state):
        return {"mse": state["mse"], "cross_entropy": state["ce"],
                "mse_grad_logit": state["mse_grad"], "ce_grad_logit": state["ce_grad"]}

    def _describe(self, state):
        ratio = state["ce_grad"] / state["mse_grad"]
        return (f"At p = {state['p']:.3g} for the true class, MSE is {state['mse']:.4f} and "
                f"cross-entropy {state['ce']:.3f}; their gradients with respect to the logit "
                f"are {_num(state['mse_grad'], 4)} (MSE) and {_num(state['ce_grad'], 3)} "
                f"(cross-entropy), so cross-entropy pushes {ratio:.1f} times harder.")

    def _readout_html(self, state):
        ratio = state["ce_grad"] / state["mse_grad"]
        return (f"p = <b>{state['p']:.3g}</b> &nbsp;·&nbsp; MSE (1 − p)² = "
                f"<b>{state['mse']:.4f}</b> &nbsp;·&nbsp; cross-entropy −ln p = "
                f"<b>{state['ce']:.3f}</b><br>∂MSE/∂z = 2(p − 1)·p(1 − p) = "
                f"<b>{_num(state['mse_grad'], 4)}</b> &nbsp;·&nbsp; ∂CE/∂z = p − 1 = "
                f"<b>{_num(state['ce_grad'], 3)}</b> &nbsp;·&nbsp; cross-entropy's push is "
                f"<b>{ratio:.1f}×</b> MSE's")

    def _title(self, state):
        return (f"p = {state['p']:.3g}: MSE {state['mse']:.4f}, CE {state['ce']:.3f}; "
                f"∂/∂z: MSE {_num(state['mse_grad'], 4)}, CE {_num(state['ce_grad'], 3)}")


def confident_wrong_explorer():
    """Slide the probability of the true class from 0.001 to 0.999; compare MSE and CE.

    Shows MSE (1 − p)² and cross-entropy −ln p with markers at the current ``p``, and both
    gradients with respect to the logit z: cross-entropy's is p − 1, MSE's (through the
    sigmoid) 2(p − 1)·p(1 − p), which vanishes exactly where the model is most wrong.

    Returns
    -------
    Explorer
        Control ``"p"`` (log-scale slider, 0.001..0.999); presets "Model A (p = 0.9)",
        "Model B (p = 0.6)", "Model C (p = 0.01)"; readout ``"mse"``, ``"cross_entropy"``,
        ``"mse_grad_logit"``, ``"ce_grad_logit"``.

    Examples
    --------
    >>> ex = confident_wrong_explorer()
    >>> ex.controls["p"].value = 0.01
    >>> r = ex.readout
    >>> print(f"{r['mse']:.4f} {r['cross_entropy']:.3f} {r['mse_grad_logit']:.4f} "
    ...       f"{r['ce_grad_logit']:.2f}")
    0.9801 4.605 -0.0196 -0.99
    """
    return ConfidentWrongExplorer()
