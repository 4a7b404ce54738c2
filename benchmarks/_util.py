"""Tiny timing helpers shared by the benchmarks: medians of interleaved repeats, markdown tables."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def median_ms(*fns: Callable[[], object], repeats: int = 15, warmup: int = 2) -> list[float]:
    """Median wall time in milliseconds of each callable.

    The callables run in turn within every repeat, so a busy moment on a shared machine slows
    all of them alike instead of one.
    """
    for _ in range(warmup):
        for fn in fns:
            fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            ts.append((time.perf_counter() - start) * 1e3)
    return [statistics.median(ts) for ts in times]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a markdown table (column widths padded so it also reads in a terminal)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    print(line(cells[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print(line(row))
