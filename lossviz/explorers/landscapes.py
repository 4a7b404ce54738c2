"""Loss curves and loss landscapes: where gradients saturate (notebooks 00 and 04).

- :func:`loss_curve_explorer`: any loss of ``lossviz.LOSSES`` as a curve, with its gradient.
- :func:`landscape_explorer`: the cross-entropy and MSE landscapes of a logistic model, and
  where one gradient step takes each loss.

The explorer contract is in :mod:`lossviz.explorers._base`.
"""

from __future__ import annotations

import html
import inspect
import math

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

import lossviz as lv
from lossviz import plotting as lp
from lossviz.explorers._base import Explorer, _num, _slider

# How each loss of lossviz.LOSSES becomes a curve over one number, the "prediction":
#   kind       the prediction is ...                     target
#   value      a regression prediction ŷ                 y = 0
#   prob       a probability p                           y = 1
#   logit      a logit z                                 y = 1
#   class      the true class's logit (others 0)         class 0 of 3
#   soft       the first class's logit (others 0)        soft target (0.8, 0.1, 0.1)
#   kl         as soft; kl_div's input is log_softmax of the logits, the loss KL(t‖softmax(z))
_LOSS_KINDS = {
    "mse": "value", "mae": "value", "huber": "value",
    "binary_cross_entropy": "prob",
    "binary_cross_entropy_with_logits": "logit",
    "cross_entropy": "class",
    "soft_cross_entropy": "soft",
    "kl_div": "kl",
    "sigmoid_focal_loss": "logit",
    "brier_score": "prob",
}
_KIND_SPECS = {
    #        (lo, hi, step, default, slider description, x-axis label)
    "value": (-4.0, 4.0, 0.05, 1.5, "prediction ŷ (target y = 0)",
              "prediction ŷ (units of y; target y = 0)"),
    "prob": (0.01, 0.99, 0.01, 0.6, "predicted probability p (label y = 1)",
             "predicted probability p (label y = 1)"),
    "logit": (-6.0, 6.0, 0.05, 0.5, "logit z (label y = 1)", "logit z (label y = 1)"),
    "class": (-6.0, 6.0, 0.05, 0.5, "logit of the true class (other two logits 0)",
              "logit of the true class, z₀ (z₁ = z₂ = 0)"),
    "soft": (-6.0, 6.0, 0.05, 0.5, "logit of class 0 (other two 0; target 0.8/0.1/0.1)",
             "logit z₀ (z₁ = z₂ = 0; t = 0.8, 0.1, 0.1)"),
}
_KIND_SPECS["kl"] = _KIND_SPECS["soft"]  # the same logits and target, another loss of them
# The focal loss is drawn with its defaults (torchvision's), read from its signature.
_FOCAL_DEFAULTS = {k: inspect.signature(lv.sigmoid_focal_loss).parameters[k].default
                   for k in ("gamma", "alpha")}
_LOSS_TITLES = {
    "mse": "mean squared error", "mae": "mean absolute error", "huber": "Huber loss",
    "binary_cross_entropy": "binary cross-entropy (on a probability)",
    "binary_cross_entropy_with_logits": "binary cross-entropy (on a logit)",
    "cross_entropy": "cross-entropy (3 classes)",
    "soft_cross_entropy": "soft-target cross-entropy (3 classes)",
    "kl_div": "KL divergence KL(t ‖ softmax(z))",
    "sigmoid_focal_loss": (f"focal loss (on a logit), γ = {_FOCAL_DEFAULTS['gamma']:g}, "
                           f"α = {_FOCAL_DEFAULTS['alpha']:g}"),
    "brier_score": "Brier score (on a probability)",
}
_LOSS_UNITS = {
    "mse": "units of y²", "mae": "units of y", "huber": "units of y",
    "binary_cross_entropy": "nats", "binary_cross_entropy_with_logits": "nats",
    "cross_entropy": "nats", "soft_cross_entropy": "nats",
    "kl_div": "nats", "sigmoid_focal_loss": "nats", "brier_score": "squared probability",
}
_SOFT_TARGET = np.array([0.8, 0.1, 0.1])
_DELTA_RANGE = (0.1, 3.0)


def _loss_and_grad(name, x, delta=1.0):
    """Loss and d loss / d prediction of ``lossviz.LOSSES[name]`` at each prediction in ``x``."""
    loss_fn, grad_fn = lv.LOSSES[name]
    kind = _LOSS_KINDS[name]
    x = np.asarray(x, dtype=float)
    kw = {"reduction": "none"}
    if name == "huber":
        kw["delta"] = float(delta)
    if kind in ("value", "prob", "logit"):
        y = np.zeros_like(x) if kind == "value" else np.ones_like(x)
        return loss_fn(x, y, **kw), grad_fn(x, y, **kw)
    # Three-class losses: logits (x, 0, 0). Shifting a row by its maximum changes neither the
    # loss nor the gradient, and leaves no row that could pass for probabilities (rows are
    # <= 0 with a 0), which cross_entropy would rightly warn about.
    z = np.zeros((x.size, 3))
    z[:, 0] = x
    z -= z.max(axis=1, keepdims=True)
    y = np.zeros(x.size, dtype=int) if kind == "class" else np.tile(_SOFT_TARGET, (x.size, 1))
    if kind != "kl":
        return loss_fn(z, y, **kw), grad_fn(z, y, **kw)[:, 0]
    # KL(t ‖ q) with q = softmax(z): kl_div takes log q = log_softmax(z) and gives one term per
    # class ("none"); a row's terms sum to the divergence. Its gradient g is w.r.t. log q; with
    # d log q_j / d z₀ = [j = 0] − q₀ the chain rule gives d/dz₀ = g₀ − q₀ Σ_j g_j (= q₀ − t₀).
    log_q = lv.log_softmax(z)
    g = grad_fn(log_q, y, **kw)
    q0 = lv.softmax(z)[:, 0]
    return loss_fn(log_q, y, **kw).sum(axis=1), g[:, 0] - q0 * g.sum(axis=1)


class LossCurveExplorer(Explorer):
    """See :func:`loss_curve_explorer`."""

    title = "Any loss as a curve: the gradient is the slope under the marker"

    def __init__(self, loss="mse"):
        if loss not in lv.LOSSES:
            raise ValueError(f"loss_curve_explorer: unknown loss {loss!r}; choose one of "
                             f"{list(lv.LOSSES)}")
        lo, hi, step, default, desc, _ = _KIND_SPECS[_LOSS_KINDS[loss]]
        controls = {
            "loss": widgets.Dropdown(options=list(lv.LOSSES), value=loss, description="loss"),
            "prediction": _slider(default, lo, hi, step, desc),
            "delta": _slider(1.0, *_DELTA_RANGE, 0.05, "Huber δ (where squared turns linear)"),
        }
        # δ only means something for Huber: the slider is shown only then (a greyed-out slider
        # that ignores the keyboard confuses more than it helps).
        controls["delta"].layout.display = None if loss == "huber" else "none"
        self._limits_cache = {}
        self._curves = {}
        super().__init__(controls)

    def _limits(self, name):
        """Fixed axis limits per loss, covering the slider's whole range (and every Huber δ)."""
        if name not in self._limits_cache:
            lo, hi = _KIND_SPECS[_LOSS_KINDS[name]][:2]
            x = np.linspace(lo, hi, 401)
            deltas = _DELTA_RANGE if name == "huber" else (1.0,)
            ls, gs = zip(*(_loss_and_grad(name, x, d) for d in deltas), strict=True)
            ls, gs = np.concatenate(ls), np.concatenate(gs)

            def pad(a, b, keep_zero):
                lo_, hi_ = (min(a, 0.0), max(b, 0.0)) if keep_zero else (a, b)
                m = 0.06 * (hi_ - lo_ or 1.0)
                return lo_ - m, hi_ + m

            self._limits_cache[name] = ((lo, hi), pad(ls.min(), ls.max(), True),
                                        pad(gs.min(), gs.max(), True))
        return self._limits_cache[name]

    def _react(self, change):
        if change["owner"] is not self.controls["loss"]:
            return
        name = change["new"]
        lo, hi, step, default, desc, _ = _KIND_SPECS[_LOSS_KINDS[name]]
        s = self.controls["prediction"]
        with self._quiet(), s.hold_trait_notifications():
            # widen first so min <= value <= max holds at every step
            s.min, s.max = min(s.min, lo), max(s.max, hi)
            s.value = default
            s.min, s.max, s.step = lo, hi, step
            s.description = desc
        self.controls["delta"].layout.display = None if name == "huber" else "none"
        self._relayout = True

    def _complete(self, setting):
        # A loss named without a prediction starts at that loss's default prediction.
        setting = dict(setting)
        name = setting.get("loss", self.defaults["loss"])
        if name not in lv.LOSSES:
            raise ValueError(f"snapshot: loss={name!r} is not one of {list(lv.LOSSES)}")
        lo, hi, _, default, _, _ = _KIND_SPECS[_LOSS_KINDS[name]]
        x = setting.setdefault("prediction", default)
        if not lo <= x <= hi:
            raise ValueError(f"snapshot: prediction={x!r} is outside [{lo:g}, {hi:g}] for "
                             f"loss {name!r}")
        setting.pop("prediction")
        values = super()._complete(setting)
        values["prediction"] = x
        return values

    def _compute(self, values):
        name, x, delta = values["loss"], float(values["prediction"]), float(values["delta"])
        curve_key = (name, delta if name == "huber" else None)
        if curve_key not in self._curves:  # the curves change only with the loss (and δ)
            lo, hi = _KIND_SPECS[_LOSS_KINDS[name]][:2]
            grid = np.linspace(lo, hi, 401)
            if len(self._curves) > 64:
                self._curves.clear()
            self._curves[curve_key] = (grid, *_loss_and_grad(name, grid, delta))
        grid, curve_l, curve_g = self._curves[curve_key]
        loss, grad = _loss_and_grad(name, np.array([x]), delta)
        return {"name": name, "x": x, "delta": delta, "grid": grid, "curve_l": curve_l,
                "curve_g": curve_g, "loss": float(loss[0]), "grad": float(grad[0])}

    def _draw(self, fig, state):
        ax_l, ax_g = fig.subplots(1, 2)
        lc = lp.loss_curve(ax_l, state["grid"], state["curve_l"], value_text="")
        # top centre: above the minimum of the U-shaped losses and right of the steep left
        # end of the cross-entropies, where no loss curve, marker or tangent reaches
        lc.label.set_x(0.5)
        lc.label.set_horizontalalignment("center")
        tangent = lp.tangent_line(ax_l, state["x"], state["loss"], state["grad"], half_width=1.0)
        gc = lp.gradient_curve(ax_g, state["grid"], state["curve_g"], value_text="")
        ax_g.set_ylabel("gradient ∂loss/∂prediction")
        ax_g.set_title("gradient (slope of the loss)")
        art = {"ax_l": ax_l, "ax_g": ax_g, "lc": lc, "tangent": tangent, "gc": gc}
        self._update(art, state)
        return art

    def _moving(self, art):
        # The curves move too: Huber's δ reshapes them without changing the axes.
        return [art["lc"].line, art["tangent"].line, *art["lc"].moving, art["gc"].line,
                *art["gc"].moving]

    def _update(self, art, state):
        name = state["name"]
        (xlo, xhi), ylim_l, ylim_g = self._limits(name)
        color = lp.LOSS_COLORS[name]
        xlabel = _KIND_SPECS[_LOSS_KINDS[name]][5]
        # Labels change with the loss, outside the style context: pass the style's sizes.
        label_kw = {"fontsize": lp.STYLE["axes.labelsize"]}
        for ax in (art["ax_l"], art["ax_g"]):
            if ax.get_xlim() != (xlo, xhi):
                ax.set_xlim(xlo, xhi)
            if ax.get_xlabel() != xlabel:
                ax.set_xlabel(xlabel, **label_kw)
        ylabel = f"loss ({_LOSS_UNITS[name]})"
        if art["ax_l"].get_ylabel() != ylabel:
            art["ax_l"].set_ylabel(ylabel, **label_kw)
        if art["ax_l"].get_ylim() != ylim_l:
            art["ax_l"].set_ylim(*ylim_l)
            art["ax_g"].set_ylim(*ylim_g)
        title = _LOSS_TITLES[name] + (f", δ = {state['delta']:.2f}" if name == "huber" else "")
        art["ax_l"].set_title(title, fontsize=lp.STYLE["axes.titlesize"],
                              fontweight=lp.STYLE["axes.titleweight"])
        lc, gc = art["lc"], art["gc"]
        for c in (lc, gc):
            c.line.set_color(color)
            c.marker.set_color(color)
            c.marker.set_markeredgecolor(lp.COLORS["marker"])
        gc.line.set_color(lp.COLORS["gradient"])
        gc.marker.set_color(lp.COLORS["gradient"])
        gc.marker.set_markeredgecolor(lp.COLORS["marker"])
        lc.label.set_color(lp.text_color(color))
        lc.update(state["x"], state["loss"], x=state["grid"], y=state["curve_l"],
                  text=f"loss = {_num(state['loss'])}")
        gc.update(state["x"], state["grad"], x=state["grid"], y=state["curve_g"],
                  text=f"gradient = {_num(state['grad'])}")
        art["tangent"].update(state["x"], state["loss"], state["grad"],
                              half_width=0.12 * (xhi - xlo))

    def _static_key(self, state):
        # the loss title (with Huber's δ) is drawn with the axes: part of the background
        return (state["name"], state["delta"] if state["name"] == "huber" else None)

    def _readout(self, state):
        return {"loss": state["loss"], "grad": state["grad"]}

    def _describe(self, state):
        name, x, g = state["name"], state["x"], state["grad"]
        where = _KIND_SPECS[_LOSS_KINDS[name]][4]
        if g > 0:
            move = "so gradient descent moves the prediction left (down the slope)"
        elif g < 0:
            move = "so gradient descent moves the prediction right (down the slope)"
        else:
            move = "so the prediction sits at the bottom and gradient descent stops"
        title = _LOSS_TITLES[name]
        return (f"{title[:1].upper()}{title[1:]} at {where.split(' (')[0]} = {_num(x, 2)}: "
                f"loss {_num(state['loss'])}, gradient {_num(g)}, {move}.")

    def _readout_html(self, state):
        extra = f" &nbsp;·&nbsp; δ = {state['delta']:.2f}" if state["name"] == "huber" else ""
        return (f"{html.escape(_LOSS_TITLES[state['name']])}: prediction = "
                f"{_num(state['x'], 2)}{extra} &nbsp;·&nbsp; loss = <b>{_num(state['loss'])}"
                f"</b> &nbsp;·&nbsp; gradient = <b>{_num(state['grad'])}</b>")

    def _title(self, state):
        extra = f", δ = {state['delta']:.2f}" if state["name"] == "huber" else ""
        return (f"{_LOSS_TITLES[state['name']]}{extra} at {_num(state['x'], 2)}: "
                f"loss {_num(state['loss'])}, gradient {_num(state['grad'])}")


def loss_curve_explorer(loss="mse"):
    """Pick a loss from ``lossviz.LOSSES``, move the prediction, watch loss and gradient.

    Each loss is drawn over one number: a regression prediction ŷ with target 0 (MSE, MAE,
    Huber), a probability p with label 1 (binary cross-entropy, the Brier score), a logit z
    with label 1 (the logits version; the focal loss with its defaults γ = 2, α = 0.25), or
    the first of three logits with the others at 0 (cross-entropy with class 0 true; soft
    cross-entropy and the KL divergence KL(t ‖ softmax(z)) with target t = 0.8/0.1/0.1). The
    dashed tangent's slope is the gradient.

    Returns
    -------
    Explorer
        Controls ``"loss"`` (dropdown), ``"prediction"`` (its range follows the loss) and
        ``"delta"`` (Huber only); readout ``"loss"``, ``"grad"``.

    Examples
    --------
    >>> ex = loss_curve_explorer()
    >>> ex.set(loss="huber", prediction=3.0, delta=1.0)
    >>> print(f"{ex.readout['loss']:.2f} {ex.readout['grad']:.2f}")  # 1·(3 − 0.5), slope δ
    2.50 1.00
    """
    return LossCurveExplorer(loss)


_LANDSCAPE_RANGE = (-8.0, 8.0)
_LANDSCAPE_GRID = 81
_LR_RANGE = (0.1, 10.0)  # log slider
_LANDSCAPE_LOSSES = ("cross_entropy", "mse")
_LANDSCAPE_NAMES = {"cross_entropy": "cross-entropy", "mse": "MSE"}
_ARROW_MIN = 0.3  # shortest step drawn as an arrow (units of w and b)


def _logistic_loss_and_grad(loss, w, b, x, y):
    """Mean loss of p = sigmoid(w x + b) over (x, y) and its gradient (d/dw, d/db).

    ``w`` and ``b`` may be arrays of any (equal) shape: one loss per (w, b).
    """
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    z = w[..., None] * x + b[..., None]
    t = np.broadcast_to(y, z.shape)
    if loss == "cross_entropy":
        per = lv.binary_cross_entropy_with_logits(z, t, reduction="none")
        g = lv.binary_cross_entropy_with_logits_grad(z, t, reduction="none")  # p - y
    else:
        p = lv.sigmoid(z)
        per = lv.mse(p, t, reduction="none")
        # chain rule through the sigmoid: 2 (p - y) p (1 - p)
        g = lv.mse_grad(p, t, reduction="none") * lv.sigmoid_grad(z)
    n = x.shape[-1]
    return per.mean(-1), (g * x).sum(-1) / n, g.sum(-1) / n


class LandscapeExplorer(Explorer):
    """See :func:`landscape_explorer`."""

    width_px = 960
    height_px = 430
    snapshot_row_px = 380
    title = "Loss landscapes: where does one gradient step take each loss?"

    def __init__(self, n=100, seed=0):
        from lossviz import data

        x, y = data.two_class_1d(n, seed=seed)
        self.x, self.y = x, y.astype(float)
        lo, hi = _LANDSCAPE_RANGE
        self.grid = np.linspace(lo, hi, _LANDSCAPE_GRID)
        W, B = np.meshgrid(self.grid, self.grid)
        self.surfaces = {loss: _logistic_loss_and_grad(loss, W, B, self.x, self.y)[0]
                         for loss in _LANDSCAPE_LOSSES}
        controls = {
            "w": _slider(-3.0, lo, hi, 0.05, "weight w of p = σ(w·x + b)"),
            "b": _slider(0.0, lo, hi, 0.05, "bias b"),
            "lr": widgets.FloatLogSlider(
                value=2.0, base=10, min=math.log10(_LR_RANGE[0]), max=math.log10(_LR_RANGE[1]),
                step=0.01, description="learning rate (each arrow is one step)",
                readout_format=".3g", continuous_update=True),
        }
        presets = {
            "confidently wrong (−3, 0)": {"w": -3.0, "b": 0.0},
            "deep on the plateau (−6, 3)": {"w": -6.0, "b": 3.0},
            "near the best (4, −0.4)": {"w": 4.0, "b": -0.4},
        }
        super().__init__(controls, presets=presets)

    def _compute(self, values):
        w, b, lr = float(values["w"]), float(values["b"]), float(values["lr"])
        out = {"w": w, "b": b, "lr": lr,
               "accuracy": float(np.mean((w * self.x + b > 0) == (self.y == 1)))}
        for loss in _LANDSCAPE_LOSSES:
            value, gw, gb = _logistic_loss_and_grad(loss, w, b, self.x, self.y)
            out[loss] = {"loss": float(value), "gw": float(gw), "gb": float(gb),
                         "norm": math.hypot(float(gw), float(gb))}
        return out

    def _draw(self, fig, state):
        axes = fig.subplots(1, 2)
        art = {"markers": {}, "arrows": {}}
        for ax, loss in zip(axes, _LANDSCAPE_LOSSES, strict=True):
            lp.loss_landscape(ax, self.grid, self.grid, self.surfaces[loss], levels=12,
                              log=loss == "cross_entropy", color=lp.LOSS_COLORS[loss],
                              title=f"{_LANDSCAPE_NAMES[loss]} through the sigmoid")
            ax.set_xlim(*_LANDSCAPE_RANGE)
            ax.set_ylim(*_LANDSCAPE_RANGE)
            # shrinkA/B = 0: the arrow runs exactly from (w, b) to the end of the step
            arrow = mpl.patches.FancyArrowPatch((0.0, 0.0), (1.0, 0.0), arrowstyle="-|>",
                                                mutation_scale=22, linewidth=3, shrinkA=0,
                                                shrinkB=0, color=lp.COLORS["gradient"], zorder=7)
            ax.add_patch(arrow)
            (marker,) = ax.plot([], [], "o", markersize=10, markerfacecolor="white",
                                markeredgecolor=lp.COLORS["gradient"], markeredgewidth=2.5,
                                zorder=6)
            art["markers"][loss], art["arrows"][loss] = marker, arrow
        self._update(art, state)
        return art

    def _moving(self, art):
        return [*art["arrows"].values(), *art["markers"].values()]

    def _update(self, art, state):
        w, b, lr = state["w"], state["b"], state["lr"]
        for loss in _LANDSCAPE_LOSSES:
            s = state[loss]
            art["markers"][loss].set_data([w], [b])
            # one gradient-descent step: (w, b) - lr * gradient; a step shorter than the arrow
            # head (0.3 in w and b) shows as no arrow at all, just the marker
            arrow = art["arrows"][loss]
            arrow.set_visible(lr * s["norm"] >= _ARROW_MIN)
            if arrow.get_visible():
                arrow.set_positions((w, b), (w - lr * s["gw"], b - lr * s["gb"]))

    def _readout(self, state):
        out = {"accuracy": state["accuracy"]}
        for loss, short in (("cross_entropy", "ce"), ("mse", "mse")):
            s = state[loss]
            out[f"loss_{short}"] = s["loss"]
            out[f"grad_norm_{short}"] = s["norm"]
            out[f"step_{short}"] = state["lr"] * s["norm"]
        return out

    def _describe(self, state):
        ce, ms = state["cross_entropy"], state["mse"]
        ratio = ce["norm"] / ms["norm"] if ms["norm"] > 0 else math.inf
        return (f"At w = {_num(state['w'], 2)}, b = {_num(state['b'], 2)} the model classifies "
                f"{state['accuracy']:.0%} of the examples correctly. Cross-entropy is "
                f"{ce['loss']:.3f} with gradient norm {ce['norm']:.4f}, so one step of learning "
                f"rate {state['lr']:.3g} moves (w, b) by {state['lr'] * ce['norm']:.3f}; MSE is "
                f"{ms['loss']:.3f} with gradient norm {ms['norm']:.4f}, a step of "
                f"{state['lr'] * ms['norm']:.3f}: cross-entropy's push is {ratio:.1f} times "
                "stronger.")

    def _readout_html(self, state):
        ce, ms = state["cross_entropy"], state["mse"]
        ratio = ce["norm"] / ms["norm"] if ms["norm"] > 0 else math.inf
        return (f"w = {_num(state['w'], 2)}, b = {_num(state['b'], 2)}: accuracy "
                f"<b>{state['accuracy']:.0%}</b><br>cross-entropy <b>{ce['loss']:.3f}</b>, "
                f"gradient norm <b>{ce['norm']:.4f}</b> &nbsp;·&nbsp; MSE <b>{ms['loss']:.3f}"
                f"</b>, gradient norm <b>{ms['norm']:.4f}</b> &nbsp;·&nbsp; ratio "
                f"<b>{ratio:.1f}×</b>; step length at rate {state['lr']:.3g}: "
                f"{state['lr'] * ce['norm']:.3f} vs {state['lr'] * ms['norm']:.3f}")

    def _title(self, state):
        ce, ms = state["cross_entropy"], state["mse"]
        return (f"(w, b) = ({_num(state['w'], 2)}, {_num(state['b'], 2)}), accuracy "
                f"{state['accuracy']:.0%}: gradient norm CE {ce['norm']:.3f}, "
                f"MSE {ms['norm']:.4f}")


def landscape_explorer():
    """Move the parameters (w, b) of a 1-D logistic model over both loss landscapes.

    The data are :func:`lossviz.data.two_class_1d` (100 points, seed 0) and the model is
    ``p = sigmoid(w * x + b)``. Both panels show a loss over (w, b), cross-entropy on the left
    and MSE on the right (drawn once, as in notebook 04), with a marker at the current (w, b)
    and an arrow for one gradient-descent step, ``-lr * gradient`` (steps shorter than 0.3 are
    not drawn). On MSE's plateau the arrow vanishes while cross-entropy's stays long.

    Returns
    -------
    Explorer
        Controls ``"w"``, ``"b"`` (−8..8) and ``"lr"`` (log slider 0.1..10, default 2);
        presets;
        readout ``"accuracy"``, ``"loss_ce"``, ``"loss_mse"``, ``"grad_norm_ce"``,
        ``"grad_norm_mse"``, ``"step_ce"``, ``"step_mse"`` (the arrows' lengths).

    Examples
    --------
    At the confidently wrong start (w, b) = (−3, 0):

    >>> ex = landscape_explorer()
    >>> r = ex.readout
    >>> print(f"{r['accuracy']:.2f} {r['grad_norm_ce']:.4f} {r['grad_norm_mse']:.4f}")
    0.05 1.5844 0.0340
    """
    return LandscapeExplorer()
