"""Loss + gradient: lossviz against PyTorch's forward + backward on the CPU, and `import lossviz`.

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench_losses.py``. Everything is float64;
torch runs on one thread (``torch.set_num_threads(1)``), because its default two threads are
unstable on a busy 2-core machine. Each figure is the median of interleaved repeats, so a busy
moment slows both sides alike. Without torch installed, only the lossviz times are printed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

import numpy as np
from _util import median_ms, print_table

import lossviz as lv

N = 2_000_000
CE_SHAPE = (4096, 1000)
IMPORT_TARGET_MS = 50.0

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # torch is optional: `make bench WITH_TORCH=1` installs it
    torch = None


def cases(rng: np.random.Generator):
    """(name, target ratio, lossviz loss+grad, inputs for torch, torch loss function)."""
    y_pred = rng.normal(size=N)
    y_true = rng.normal(size=N)
    z = rng.normal(scale=3.0, size=N)
    y01 = (rng.random(N) < 0.5).astype(np.float64)
    logits = rng.normal(scale=2.0, size=CE_SHAPE)
    labels = rng.integers(0, CE_SHAPE[1], size=CE_SHAPE[0])

    def mse():
        return lv.mse_and_grad(y_pred, y_true)

    def mse_two_calls():
        return lv.mse(y_pred, y_true), lv.mse_grad(y_pred, y_true)

    def bce():
        return lv.binary_cross_entropy_with_logits_and_grad(z, y01)

    def bce_two_calls():
        return (
            lv.binary_cross_entropy_with_logits(z, y01),
            lv.binary_cross_entropy_with_logits_grad(z, y01),
        )

    def ce():
        return lv.cross_entropy_and_grad(logits, labels)

    def ce_two_calls():
        return lv.cross_entropy(logits, labels), lv.cross_entropy_grad(logits, labels)

    class_weight = rng.uniform(0.5, 2.0, size=CE_SHAPE[1])

    def ce_weighted():
        return lv.cross_entropy_and_grad(logits, labels, weight=class_weight, label_smoothing=0.1)

    def bce_pos_weight():
        return lv.binary_cross_entropy_with_logits_and_grad(z, y01, pos_weight=2.0)

    # The targets apply to the fused *_and_grad call (one validation, one softmax), which is
    # what torch's forward + backward does; two separate calls are shown for information.
    yield "MSE, N = 2e6: mse_and_grad", 1.0, mse, (y_pred, y_true), "mse_loss"
    yield "MSE: mse + mse_grad (two calls)", None, mse_two_calls, (y_pred, y_true), "mse_loss"
    yield ("BCE with logits, N = 2e6: ..._and_grad", 1.5, bce, (z, y01),
           "binary_cross_entropy_with_logits")
    yield ("BCE with logits: loss + grad (two calls)", None, bce_two_calls, (z, y01),
           "binary_cross_entropy_with_logits")
    yield "cross-entropy, (4096, 1000): cross_entropy_and_grad", 2.0, ce, (logits, labels), \
        "cross_entropy"
    yield "cross-entropy: loss + grad (two calls)", None, ce_two_calls, (logits, labels), \
        "cross_entropy"
    # the torch options of notebook 10, for information (torch gets the same options)
    yield ("cross-entropy: weight= + label_smoothing=0.1", None, ce_weighted, (logits, labels),
           ("cross_entropy", {"weight": class_weight, "label_smoothing": 0.1}))
    yield ("BCE with logits: pos_weight=2", None, bce_pos_weight, (z, y01),
           ("binary_cross_entropy_with_logits", {"pos_weight": np.array(2.0)}))


def torch_step(inputs, loss_name):
    """A closure running forward + backward of torch.nn.functional.<loss_name> on a leaf tensor.

    ``loss_name`` may be a pair (name, options); NumPy options become tensors.
    """
    x = torch.tensor(inputs[0], dtype=torch.float64, requires_grad=True)
    target = torch.from_numpy(inputs[1])
    loss_name, opts = loss_name if isinstance(loss_name, tuple) else (loss_name, {})
    opts = {k: torch.from_numpy(np.asarray(v)) if isinstance(v, np.ndarray) else v
            for k, v in opts.items()}
    loss_fn = getattr(F, loss_name)

    def step():
        x.grad = None
        loss = loss_fn(x, target, **opts)
        loss.backward()
        return loss

    return step


def import_ms(repeats: int = 7) -> float:
    """Median time `import lossviz` adds after `import numpy`, each in a fresh interpreter."""
    code = (
        "import time, numpy\n"
        "t = time.perf_counter()\n"
        "import lossviz\n"
        "print((time.perf_counter() - t) * 1e3)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    times = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env=env).stdout)
        for _ in range(repeats)
    ]
    return statistics.median(times)


def main() -> None:
    rng = np.random.default_rng(0)
    if torch is not None:
        torch.set_num_threads(1)
    rows = []
    for name, target, ours, inputs, loss_name in cases(rng):
        repeats = 9 if "cross-entropy" in name else 21
        if torch is None:
            (ms,) = median_ms(ours, repeats=repeats)
            goal = f"≤ {target:.1f}×" if target else "-"
            rows.append([name, f"{ms:.2f}", "n/a", "needs torch", goal, "-"])
            continue
        ms, torch_ms = median_ms(ours, torch_step(inputs, loss_name), repeats=repeats)
        ratio = ms / torch_ms
        if target is None:
            goal, verdict = "(info)", "-"
        else:
            goal, verdict = f"≤ {target:.1f}×", "pass" if ratio <= target else "FAIL"
        rows.append([name, f"{ms:.2f}", f"{torch_ms:.2f}", f"{ratio:.2f}×", goal, verdict])

    imp = import_ms()
    rows.append(["`import lossviz` after `import numpy`", f"{imp:.1f}", "-", "-",
                 f"≤ {IMPORT_TARGET_MS:.0f} ms", "pass" if imp <= IMPORT_TARGET_MS else "FAIL"])

    threads = "torch on 1 thread" if torch is not None else "torch not installed"
    print(f"Loss + gradient, float64, median of repeats ({threads}; numpy {np.__version__}"
          + (f", torch {torch.__version__}" if torch is not None else "") + ")\n")
    print_table(["case", "lossviz ms", "torch ms", "ratio", "target", "result"], rows)
    if torch is None:
        print("\nThe ratios need torch: `make bench WITH_TORCH=1` installs torch==2.13.0 (CPU).")


if __name__ == "__main__":
    main()
