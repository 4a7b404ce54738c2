"""The collection on a real JupyterHub (``make hub``'s): login to a working slider, and what one
learner costs.

Three runs, in this order, on the same machine:

1. **Voila alone** (the baseline, no hub): one learner opens notebook 03 on ``voila notebooks/``
   and presses a slider key; the time from ``goto`` to the redrawn picture.
2. **Hub, one learner**: one learner submits the hub's login form; the time from the submit to
   the redrawn picture, through the server spawn, the Voila render and a key press.
3. **Hub, ten learners at once**: ten browser contexts submit the login form together; the same
   times for each, p50 and p95. Then, with all ten dashboards open, the memory (RSS) of each
   learner's single-user server and of its kernels, and the CPU time each used from spawn to
   working slider; and the CPU time one slider update costs in the kernel (20 key presses).

From those measured figures it works out, **on paper**, what a Zero to JupyterHub cluster needs
for 200 learners: the per-learner memory guarantee and limit, and the nodes.

Usage::

    .venv/bin/python benchmarks/bench_hub.py                 # 10 learners at once
    .venv/bin/python benchmarks/bench_hub.py --learners 5

A benchmark, not a test: the exit status is 0 unless the hub, a server or the browser fails.
Needs Node.js and configurable-http-proxy (``make bench`` installs it); without them it prints
why and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

import browser_harness as h  # noqa: E402
import hub_harness as hh  # noqa: E402
import psutil  # noqa: E402

MB = 1024 * 1024
# The on-paper cluster: a common 4 vCPU / 16 GiB node, of which Kubernetes keeps about 1.5 GiB
# and 0.2 CPU for itself (kubelet, system pods, the image puller and the hub's own pods aside).
NODE_CPUS, NODE_GIB, NODE_RESERVED_GIB, NODE_RESERVED_CPU = 4, 16, 1.5, 0.2
COURSE = 200
# Extra notebooks a learner may have open besides the one measured (each a kernel of its own).
EXTRA_KERNELS = 3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --- async page helpers (the sync ones live in browser_harness) -----------------------------------
async def guard(context, aborted: list[str]) -> None:
    async def route(r):
        host = urlparse(r.request.url).hostname
        if urlparse(r.request.url).scheme in ("http", "https", "ws", "wss") and host not in (
            "127.0.0.1", "localhost", "::1"
        ):
            aborted.append(r.request.url)
            await r.abort("internetdisconnected")
        else:
            await r.continue_()

    await context.route("**/*", route)


async def read_state(root, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = await root.evaluate(h.STATE_JS)
        if state["digest"] and state["complete"]:
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"the picture never became readable: {state}")
        await asyncio.sleep(0.05)


async def picture_then_slider(page, t0: float, marks: dict, timeout: float = 600) -> None:
    """Wait for the explorer's picture (marks['picture']), press ArrowLeft on its slider and wait
    for a new picture (marks['slider']); times in seconds after ``t0``."""
    await page.wait_for_selector("img.widget-image", timeout=timeout * 1000)
    root = page.locator(".lossviz-explorer").first
    before = await read_state(root)
    marks["picture"] = time.perf_counter() - t0
    handle = root.locator(".widget-slider:visible").first.locator(".noUi-handle")
    await handle.focus()
    await handle.press("ArrowLeft")
    deadline = time.monotonic() + timeout
    while (await read_state(root))["digest"] == before["digest"]:
        if time.monotonic() > deadline:
            raise AssertionError("the slider did not change the picture")
        await asyncio.sleep(0.02)
    marks["slider"] = time.perf_counter() - t0


async def voila_alone(browser, server: h.Server) -> dict:
    context = await browser.new_context(viewport={"width": 1280, "height": 2400})
    aborted: list[str] = []
    await guard(context, aborted)
    page = await context.new_page()
    marks: dict = {}
    t0 = time.perf_counter()
    await page.goto(f"{server.url}/voila/render/{hh.EXPLORER_NOTEBOOK}", timeout=600_000)
    await picture_then_slider(page, t0, marks)
    await page.close(run_before_unload=True)
    await context.close()
    marks["aborted"] = aborted
    return marks


async def hub_learner(browser, hub: hh.Hub, name: str, start: asyncio.Event, keep: list) -> dict:
    context = await browser.new_context(viewport={"width": 1280, "height": 2400})
    aborted: list[str] = []
    await guard(context, aborted)
    page = await context.new_page()
    target = hh.voila_path(name)
    await page.goto(f"{hub.url}/hub/login?next={target}", timeout=120_000)
    await page.fill("#username_input", name)
    await page.fill("#password_input", hub.password)
    marks: dict = {"aborted": aborted}

    def on_nav(frame):
        if frame == page.main_frame and urlparse(frame.url).path == target:
            marks.setdefault("server", time.perf_counter() - t0)

    page.on("framenavigated", on_nav)
    await start.wait()  # every learner submits at the same moment
    t0 = time.perf_counter()
    await page.click("#login_submit")
    watchdog = asyncio.create_task(unstick(page, hub, name, marks))
    try:
        await picture_then_slider(page, t0, marks)
    finally:
        watchdog.cancel()
    keep.append((context, page))
    return marks


async def unstick(page, hub: hh.Hub, name: str, marks: dict, grace: float = 15.0) -> None:
    """What a learner does when the "server starting" page does not move on although their
    server is up: reload it (after ``grace`` seconds). Counted in marks['reloads']."""
    ready_since = None
    marks["reloads"] = 0
    while True:
        await asyncio.sleep(1.0)
        if "/hub/spawn-pending/" not in page.url:
            ready_since = None
            continue
        model = await asyncio.to_thread(hub.server_model, name)
        if not (model and model.get("ready")):
            continue
        ready_since = ready_since or time.monotonic()
        if time.monotonic() - ready_since > grace:
            marks["reloads"] += 1
            ready_since = None
            await page.reload()


# --- measurements on the processes ----------------------------------------------------------------
def learner_figures(name: str) -> dict:
    procs = hh.learner_processes(name)
    assert procs, f"no processes for {name}"
    server, kernels = procs[0], procs[1:]

    def rss(ps):
        return sum(p.memory_info().rss for p in ps) / MB

    def cpu(ps):
        return sum(sum(p.cpu_times()[:2]) for p in ps)

    return {"server_mb": rss([server]), "kernels_mb": rss(kernels), "kernels": len(kernels),
            "total_mb": rss(procs), "cpu_s": cpu(procs)}


def hub_overhead_mb(hub: hh.Hub) -> float:
    parent = psutil.Process(hub.proc.pid)
    procs = [parent] + [p for p in parent.children(recursive=True)
                        if "jupyterhub-singleuser" not in " ".join(p.cmdline())
                        and not any("jupyterhub-singleuser" in " ".join(a.cmdline())
                                    for a in p.parents())]
    return sum(p.memory_info().rss for p in procs) / MB


async def kernel_cpu_per_update(page, name: str, presses: int = 20) -> float:
    kernels = hh.learner_processes(name)[1:]
    root = page.locator(".lossviz-explorer").first
    handle = root.locator(".widget-slider:visible").first.locator(".noUi-handle")
    cpu0 = sum(sum(k.cpu_times()[:2]) for k in kernels)
    done = 0
    key = "ArrowRight"
    misses = 0
    while done < presses and misses < 6:
        before = (await read_state(root))["digest"]
        await handle.focus()
        await handle.press(key)
        deadline = time.monotonic() + 5
        while (await read_state(root))["digest"] == before and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if (await read_state(root))["digest"] == before:
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"  # at an end: turn round
            misses += 1
            continue
        done += 1
    cpu1 = sum(sum(k.cpu_times()[:2]) for k in kernels)
    assert done, "no slider update was seen"
    return (cpu1 - cpu0) / done * 1e3


# --- the run --------------------------------------------------------------------------------------
async def run(n: int, state: Path) -> dict:
    from playwright.async_api import async_playwright

    results: dict = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=h.CHROMIUM, args=h.CHROMIUM_ARGS)

        voila = h.start_voila(h.NOTEBOOKS, state / "voila")
        try:
            results["voila"] = await voila_alone(browser, voila)
        finally:
            voila.stop()

        hub = hh.start_hub(state / "hub")
        try:
            keep: list = []
            go = asyncio.Event()
            task = asyncio.create_task(hub_learner(browser, hub, "solo", go, keep))
            await asyncio.sleep(0.5)
            go.set()
            results["solo"] = await task
            for context, page in keep:
                await page.close(run_before_unload=True)
                await context.close()
            hub.stop_server("solo")

            keep = []
            go = asyncio.Event()
            names = [f"learner{i:02d}" for i in range(1, n + 1)]
            tasks = [asyncio.create_task(hub_learner(browser, hub, name, go, keep))
                     for name in names]
            await asyncio.sleep(2.0)  # every login page loaded and filled in
            go.set()
            results["crowd"] = await asyncio.gather(*tasks)
            await asyncio.sleep(3.0)  # let the kernels go idle before reading memory
            results["figures"] = [learner_figures(name) for name in names]
            results["hub_mb"] = hub_overhead_mb(hub)
            _, page = next((c, pg) for c, pg in keep if f"/user/{names[0]}/" in pg.url)
            results["update_ms"] = await kernel_cpu_per_update(page, names[0])
            for context, page in keep:
                await page.close(run_before_unload=True)
                await context.close()
        finally:
            hub.stop()
        await browser.close()
    return results


def timing_table(results: dict, n: int) -> str:
    alone_v, solo, crowd = results["voila"], results["solo"], results["crowd"]
    rows = [
        "| from login (submit) to ... | Voila alone, 1 learner (baseline) | hub, 1 learner "
        f"| hub, {n} at once: p50 | p95 | p95 / baseline |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    labels = {"server": "own server up (Voila page requested)", "picture": "explorer picture shown",
              "slider": "**working slider** (key press redrew the picture)"}
    for key, label in labels.items():
        values = [m[key] for m in crowd]
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        base = alone_v.get(key)
        base_text, ratio = ("-", "-") if base is None else (f"{base:.1f} s", f"{p95 / base:.1f}×")
        rows.append(f"| {label} | {base_text} | {solo[key]:.1f} s | {p50:.1f} s | {p95:.1f} s "
                    f"| {ratio} |")
    return "\n".join(rows)


def memory_table(results: dict, n: int) -> str:
    figs = results["figures"]
    rows = [f"| per learner ({n} servers, notebook 03 open in Voila) | median | max |",
            "|---|---:|---:|"]
    for key, label, fmt in [
        ("server_mb", "single-user server (Jupyter Server + Voila), RSS", "{:.0f} MB"),
        ("kernels_mb", "its kernel(s), RSS", "{:.0f} MB"),
        ("total_mb", "**learner total, RSS**", "{:.0f} MB"),
        ("cpu_s", "CPU time from spawn to working slider", "{:.1f} s"),
    ]:
        values = [f[key] for f in figs]
        rows.append(f"| {label} | {fmt.format(statistics.median(values))} | "
                    f"{fmt.format(max(values))} |")
    update, hub_mb = results["update_ms"], results["hub_mb"]
    rows.append(f"| kernel CPU per slider update (20 presses) | {update:.0f} ms | - |")
    rows.append(f"| the hub itself (JupyterHub + proxy), RSS, once | {hub_mb:.0f} MB | - |")
    return "\n".join(rows)


def sizing(results: dict) -> tuple[str, dict]:
    """The 200-learner cluster worked out from the measured figures (on paper)."""
    figs = results["figures"]
    total = max(f["total_mb"] for f in figs)
    kernel = statistics.median(f["kernels_mb"] / max(f["kernels"], 1) for f in figs)
    cpu_start = statistics.median(f["cpu_s"] for f in figs)
    update_ms = results["update_ms"]
    mem_guarantee = math.ceil(total / 64) * 64
    mem_limit = math.ceil((total + EXTRA_KERNELS * kernel) / 128) * 128
    # Peaks: all learners open the link within a minute of the lecture starting; or all drag a
    # slider at once, 10 updates a second each (ipywidgets sends one update per round trip).
    cores_start = COURSE * cpu_start / 60
    cores_drag = COURSE * 10 * update_ms / 1e3
    peak = max(cores_start, cores_drag)
    cpu_guarantee = math.ceil(peak / COURSE / 0.05) * 0.05
    alloc_mb = (NODE_GIB - NODE_RESERVED_GIB) * 1024
    alloc_cpu = NODE_CPUS - NODE_RESERVED_CPU
    by_mem = int(alloc_mb // mem_guarantee)
    by_cpu = int(alloc_cpu / cpu_guarantee + 1e-9)
    per_node = min(by_mem, by_cpu)
    nodes = math.ceil(COURSE / per_node)
    lines = [
        f"ON PAPER, not measured: a Zero to JupyterHub cluster for {COURSE} learners, "
        "worked out from the figures above.",
        "",
        "| item | worked out | result |",
        "|---|---|---:|",
        f"| memory guarantee per learner | the largest learner total, {total:.0f} MB, "
        f"rounded up to 64 MB | {mem_guarantee} MB |",
        f"| memory limit per learner | {total:.0f} MB + {EXTRA_KERNELS} more notebooks open × "
        f"{kernel:.0f} MB a kernel, rounded up to 128 MB | {mem_limit} MB |",
        f"| CPU, all {COURSE} open the link within 60 s | {COURSE} × {cpu_start:.1f} CPU-s / 60 s"
        f" | {cores_start:.1f} cores |",
        f"| CPU, all {COURSE} drag a slider at once | {COURSE} × 10 updates/s × "
        f"{update_ms:.0f} ms | {cores_drag:.1f} cores |",
        f"| CPU guarantee per learner | the larger peak / {COURSE}, rounded up to 0.05 "
        f"| {cpu_guarantee:.2f} CPU |",
        f"| learners per {NODE_CPUS} vCPU / {NODE_GIB} GiB node | memory: "
        f"({NODE_GIB} − {NODE_RESERVED_GIB}) GiB / {mem_guarantee} MB = {by_mem}; "
        f"CPU: ({NODE_CPUS} − {NODE_RESERVED_CPU}) / {cpu_guarantee:.2f} = {by_cpu} "
        f"| {per_node} |",
        f"| **nodes for {COURSE} learners** | {COURSE} / {per_node}, rounded up | **{nodes}** |",
    ]
    return "\n".join(lines), {"mem_guarantee": mem_guarantee, "mem_limit": mem_limit,
                              "cpu_guarantee": cpu_guarantee, "nodes": nodes}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10)
    args = parser.parse_args(argv)
    reason = hh.hub_missing_reason() or h.chromium_missing_reason()
    if reason:
        print(f"skipped: {reason}")
        return 0
    state = Path(tempfile.mkdtemp(prefix="lossviz-bench-hub-"))
    try:
        results = asyncio.run(run(args.learners, state))
    finally:
        shutil.rmtree(state, ignore_errors=True)
    n = args.learners
    cores = psutil.cpu_count()
    load = psutil.getloadavg()[0]
    print(f"JupyterHub (make hub's config) + Chromium on this machine ({cores} cores, load "
          f"{load:.1f} at the end); notebook 03 in Voila on each learner's own server.\n")
    print(timing_table(results, n))
    print()
    print(memory_table(results, n))
    print()
    print(sizing(results)[0])
    reloads = [m["reloads"] for m in [results["solo"], *results["crowd"]]]
    print(f"\nlearners who had to reload a \"server starting\" page that did not move on "
          f"15 s after their server was up: {sum(1 for r in reloads if r)} of {len(reloads)}")
    aborted = [u for m in [results["solo"], *results["crowd"]] for u in m["aborted"]]
    print(f"hub pages: requests to hosts other than 127.0.0.1 (aborted): {len(aborted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
