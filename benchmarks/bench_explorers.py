"""Latency of one slider move in each explorer, against a naive ``interact``-style callback.

One move = set one control's value, which recomputes the numbers (lossviz), updates the
artists in place, redraws (background restored, moving artists blitted) and puts one PNG into
the ``ipywidgets.Image``. The naive callback draws the same content the way ``interact`` code
usually does: a new pyplot figure, plot everything, ``savefig(bbox_inches="tight")``, close.
Both walk the same drag path (small steps back and forth, as a hand on a slider makes), and
their repeats are interleaved so a busy moment on a shared machine slows both alike.

Target per explorer: median <= 16.7 ms (one 60 Hz frame) and >= 4x faster than naive.

    .venv/bin/python benchmarks/bench_explorers.py            # prints the table
    .venv/bin/python benchmarks/bench_explorers.py --strict   # exit status 1 if a target is missed
"""

from __future__ import annotations

import gc
import io
import itertools
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # this process only; never exported to notebook kernels

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _util import median_ms, print_table  # noqa: E402

from lossviz import explorers as E  # noqa: E402
from lossviz import plotting as lp  # noqa: E402

FRAME_MS = 1000 / 60
MIN_SPEEDUP = 4.0
REPEATS = 41


def there_and_back(values):
    """A drag: forward along ``values`` and back again, forever."""
    values = [float(v) for v in values]
    return itertools.cycle(values + values[-2:0:-1])


CASES = [
    # (label, factory, control, drag path)
    ("mse_explorer", E.mse_explorer, "y_pred_1", np.arange(2.0, 4.01, 0.1)),
    ("mse_explorer(house_prices=True)", lambda: E.mse_explorer(house_prices=True), "y_pred_0",
     np.arange(405_000, 425_001, 1_000)),
    ("softmax_explorer", E.softmax_explorer, "dog", np.arange(-1.6, 0.41, 0.05)),
    ("confident_wrong_explorer", E.confident_wrong_explorer, "p",
     np.geomspace(0.05, 0.9, 41)),
    ("loss_curve_explorer", E.loss_curve_explorer, "prediction", np.arange(-2.0, 2.01, 0.05)),
    ("information_explorer", E.information_explorer, "p_cat", np.arange(0.05, 0.951, 0.025)),
    ("focal_explorer", E.focal_explorer, "gamma", np.arange(0.0, 5.01, 0.1)),
    ("sigma_explorer", E.sigma_explorer, "sigma", np.arange(0.25, 3.001, 0.05)),
]


def naive_callback(ex):
    """What ``interact`` code does on every move: build, plot, save with a tight box, close."""
    w, h = ex.width_px / 100, ex.height_px / 100

    def update(values):
        state = ex._compute(values)
        fig = plt.figure(figsize=(w, h), dpi=100)
        with lp.style():
            ex._draw(fig, state)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
        plt.close(fig)
        return buf.getvalue()

    return update


def bench_case(factory, control, path):
    ex = factory()
    naive = naive_callback(ex)
    fast_path, naive_path = there_and_back(path), there_and_back(path)
    values = ex.values

    def fast_move():
        ex.controls[control].value = next(fast_path)

    def naive_move():
        values[control] = next(naive_path)
        naive(values)
        # A closed figure is a heap of reference cycles; collect it here, as part of the naive
        # callback's cost, rather than whenever the collector happens to run next (often in
        # the middle of the other callable's timing).
        gc.collect()

    fast_ms, naive_ms = median_ms(fast_move, naive_move, repeats=REPEATS, warmup=3)
    return fast_ms, naive_ms


def main(argv):
    rows, ok_all = [], True
    for label, factory, control, path in CASES:
        fast_ms, naive_ms = bench_case(factory, control, path)
        speedup = naive_ms / fast_ms
        ok = fast_ms <= FRAME_MS and speedup >= MIN_SPEEDUP
        ok_all &= ok
        rows.append([f"{label} ({control!r})", f"{fast_ms:.1f}", f"{naive_ms:.1f}",
                     f"{speedup:.1f}x", f"<= {FRAME_MS:.1f} ms & >= {MIN_SPEEDUP:g}x",
                     "pass" if ok else "FAIL"])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"One slider move, median of {REPEATS} (interleaved); {os.cpu_count()} CPUs, "
          f"load average {load:.1f} at the end.\n")
    print_table(["explorer (control)", "lossviz ms", "naive ms", "speed-up", "target", "result"],
                rows)
    if "--strict" in argv and not ok_all:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
