"""Key press to new picture, in a real browser: every explorer served by Voila, driven in Chromium.

For each explorer on each notebook's dashboard, its first slider gets 20 key presses (ArrowRight
or ArrowLeft, one at a time). Inside the page, the time runs from the ``keydown`` event to the
first animation frame after the new PNG has been decoded, i.e. when the browser can paint it: the
kernel round trip, the redraw and PNG encoding in Python, the transfer and the decode.

Usage::

    .venv/bin/python benchmarks/bench_browser.py                  # notebooks/ (or the stand-in)
    .venv/bin/python benchmarks/bench_browser.py --standin        # the built-in stand-in
    .venv/bin/python benchmarks/bench_browser.py --notebook-dir DIR --presses 20

Prints a markdown table: explorer, median and 90th-percentile milliseconds, the 100 ms target.
A benchmark, not a test: the exit status is 0 unless the browser or a server fails.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

import browser_harness as h  # noqa: E402

TARGET_MS = 100.0

# Installs the timer on one explorer: keydown (capture phase, before the slider sees it) starts
# it; a change of the picture's src, once decoded and one frame later, stops it.
INSTRUMENT_JS = """
(root) => {
  const img = root.querySelector('img.lossviz-picture') || root.querySelector('img.widget-image');
  const lv = { t0: null, shown: [] };
  root.__lvBench = lv;
  root.addEventListener('keydown', () => { lv.t0 = performance.now(); }, true);
  new MutationObserver(() => {
    const t0 = lv.t0;
    if (t0 === null) return;
    lv.t0 = null;  // one measurement per key press: the first new picture
    img.decode().then(() => requestAnimationFrame(() => lv.shown.push(performance.now() - t0)))
               .catch(() => {});  // replaced before it was decoded: a newer update follows
  }).observe(img, { attributes: true, attributeFilter: ['src'] });
}
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def explorer_name(notebook: str, index: int, root) -> str:
    first_line = root.inner_text().strip().splitlines()[0] if root.inner_text().strip() else ""
    return f"{notebook.removesuffix('.ipynb')} #{index}: {first_line[:48]}"


def measure(root, presses: int) -> list[float]:
    root.evaluate(INSTRUMENT_JS)
    handle = h.sliders(root).first.locator(".noUi-handle")
    now, top = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if now and top and float(now) >= float(top) else "ArrowRight"
    handle.focus()
    times: list[float] = []
    misses = 0
    while len(times) < presses and misses < 6:
        n = root.evaluate("(r) => r.__lvBench.shown.length")
        handle.press(key)
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            if root.evaluate("(r) => r.__lvBench.shown.length") > n:
                break
            time.sleep(0.01)
        else:
            # No new picture: the slider is at an end (or the press was lost). Turn around.
            misses += 1
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
            root.evaluate("(r) => { r.__lvBench.t0 = null; }")
            continue
        times.append(root.evaluate("(r) => r.__lvBench.shown.at(-1)"))
        time.sleep(0.05)  # let the kernel go idle: presses are measured one at a time
        if len(times) % 10 == 0:  # walk back and forth over distinct states
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    return times


def run(nb_dir: Path, presses: int) -> list[tuple[str, list[float]]]:
    from playwright.sync_api import sync_playwright

    state = Path(tempfile.mkdtemp(prefix="lossviz-bench-"))
    server = h.start_voila(nb_dir, state)
    results = []
    try:
        with sync_playwright() as p:
            browser = h.launch_chromium(p)
            for name in h.explorer_notebooks(nb_dir):
                page, _errors = h.open_voila_page(browser, server, name)
                roots = h.explorer_roots(page)
                for i in range(roots.count()):
                    root = roots.nth(i)
                    if not h.sliders(root).count():
                        continue
                    root.scroll_into_view_if_needed()
                    results.append((explorer_name(name, i, root), measure(root, presses)))
                page.close(run_before_unload=True)  # Voila shuts the kernel down
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(state, ignore_errors=True)
    return results


def table(results: list[tuple[str, list[float]]]) -> str:
    lines = [
        "| explorer | presses | median ms | p90 ms | target | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, times in results:
        if not times:
            lines.append(f"| {name} | 0 | – | – | ≤ {TARGET_MS:.0f} ms | no picture change |")
            continue
        med, p90 = statistics.median(times), percentile(times, 0.9)
        verdict = "pass" if med <= TARGET_MS else "FAIL"
        lines.append(f"| {name} | {len(times)} | {med:.0f} | {p90:.0f} | ≤ {TARGET_MS:.0f} ms "
                     f"| {verdict} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook-dir", type=Path, default=None)
    parser.add_argument("--standin", action="store_true", help="use the built-in stand-in")
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args(argv)

    reason = h.chromium_missing_reason()
    if reason:
        print(f"bench_browser: skipped, {reason}")
        return 0
    with contextlib.ExitStack() as stack:
        nb_dir = args.notebook_dir or (None if args.standin else h.default_notebook_dir())
        if nb_dir is None:
            nb_dir = stack.enter_context(h.standin_dir())
            print("(the stand-in notebooks)\n")
        print(f"Voila + Chromium, key press on a slider -> new picture painted; "
              f"{args.presses} presses per explorer; notebooks: {nb_dir}\n")
        print(table(run(Path(nb_dir), args.presses)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
