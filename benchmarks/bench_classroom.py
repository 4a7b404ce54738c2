"""A class on one machine: `make classroom` with 30 learners on notebook 03's dashboard.

Most learners are protocol-level clients: each fetches the Voila page (which hands it a
preheated kernel that has already run the notebook), opens the kernel's websocket, asks for the
widget states as the browser's widget manager does (``request_states`` on the
``jupyter.widget.control`` comm) and moves the slider by sending ``update`` comm messages, one in
flight at a time, as ipywidgets does. One learner is a real Chromium page, which measures.

Phases (one classroom server, pools warmed before any timing):

0. **Voila's floor**: a notebook holding one slider and nothing else, warm then cold (median of
   3 pages each): what Voila's own front end costs before any lossviz code runs.
1. **Cold pages**: notebooks without a warm pool, one at a time, in Chromium (what `make explore`
   gives every learner): time from opening the page to a readable picture and slider (median of
   3 pages each, the notebooks taken in turn).
2. **One learner, warm**: the same for notebook 03 from the pool (median of 5 pages, one at a
   time).
3. **30 at once, warm**: 29 protocol learners and the Chromium learner open 03 together; page
   ready = the widget states received (protocol) or the picture readable (Chromium).
4. **Under load**: the 29 protocol learners move their sliders (an update every 250 ms, each
   waiting for its new picture) while the Chromium learner presses a key 20 times; the time runs
   from ``keydown`` to the new picture painted.
5. **Memory and loss**: resident memory of each learner's kernel; kernels still alive at the end.

Usage::

    .venv/bin/python benchmarks/bench_classroom.py [--learners 30] [--presses 20]

A benchmark, not a test: it prints a table with the targets and exits 0 unless a server fails.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_browser  # noqa: E402
import browser_harness as h  # noqa: E402

NB = "03_confidently_wrong.ipynb"
COLD = ["00_start_here.ipynb", "01_mse_house_prices.ipynb", "02_cross_entropy_cat_dog_bird.ipynb",
        "04_gradients_and_saturation.ipynb", "05_outliers_mae_huber.ipynb",
        "06_probabilistic_view.ipynb"]
MOVE_EVERY_S = 0.25  # default: each protocol learner drags, 4 updates per second
FLOOR_PAGES = 3  # Voila's floor, warm and cold: median of this many pages each
WARM_PAGES = 5  # one learner on 03 from the pool: median of this many pages, one at a time
COLD_PAGES = 3  # each notebook without a pool: median of this many cold pages


def percentile(values, q):
    return bench_browser.percentile(values, q)


# --- a protocol-level learner ---------------------------------------------------------------------
V1 = "v1.kernel.websocket.jupyter.org"


def _msg(session: str, msg_type: str, content: dict, channel: str = "shell",
         metadata: dict | None = None) -> bytes:
    """A kernel message in the websocket protocol the browser speaks (v1: binary frames).

    (Voila 0.5.13's websocket handler parses every outgoing binary frame as v1, so a client on
    the legacy JSON protocol sends its server into a runaway allocation; never use it.)
    """
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    msg = {
        "header": {"msg_id": uuid.uuid4().hex, "username": "learner", "session": session,
                   "msg_type": msg_type, "version": "5.3",
                   "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
        "parent_header": {}, "metadata": metadata or {}, "content": content,
    }
    return serialize_msg_to_ws_v1(msg, channel, pack=lambda part: json.dumps(part).encode())


def _decode(frame) -> dict:
    """A kernel message from a v1 websocket frame: header, content, buffers."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    channel, parts = deserialize_msg_from_ws_v1(frame)
    header, content = json.loads(parts[0]), json.loads(parts[3])
    return {"channel": channel, "msg_type": header.get("msg_type"), "content": content,
            "buffers": parts[4:]}


class ProtocolLearner:
    def __init__(self, base_url: str, move_every: float = MOVE_EVERY_S):
        self.base_url, self.move_every = base_url, move_every
        self.ready_s: float | None = None
        self.kernel_id: str | None = None
        self.moves = 0
        self.error: str | None = None

    async def open(self, start: float):
        import websockets

        loop = asyncio.get_running_loop()
        url = f"{self.base_url}/voila/render/{NB}"
        html = await loop.run_in_executor(
            None, lambda: urllib.request.urlopen(url, timeout=300).read().decode())
        config = re.search(r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})'
                           r'\s*</script>', html, re.S)
        if config is None:
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
            raise RuntimeError(f"the page ({len(html)} characters) names no kernel: "
                               f"{text[-400:]!r}")
        self.kernel_id = json.loads(config.group(1))["kernelId"]
        self.session = uuid.uuid4().hex
        ws_url = (self.base_url.replace("http://", "ws://") +
                  f"/api/kernels/{self.kernel_id}/channels?session_id={self.session}")
        self.ws = await websockets.connect(ws_url, max_size=None, subprotocols=[V1])
        control = uuid.uuid4().hex
        # as ipywidgets 8's widget manager: the control comm, protocol version 1.0.0
        await self.ws.send(_msg(self.session, "comm_open", {
            "comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": "1.0.0"}))
        await self.ws.send(_msg(self.session, "comm_msg", {
            "comm_id": control, "data": {"method": "request_states"}}))
        while True:
            msg = _decode(await self.ws.recv())
            data = msg.get("content", {}).get("data", {})
            if msg.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                states = data["states"]
                break
        self.ready_s = time.perf_counter() - start
        self.slider = next(mid for mid, s in states.items()
                           if s["model_name"] in ("FloatLogSliderModel", "FloatSliderModel"))
        self.image = next(mid for mid, s in states.items() if s["model_name"] == "ImageModel"
                          and "lossviz-picture" in s["state"].get("_dom_classes", []))
        self.value = states[self.slider]["state"]["value"]

    async def move(self, stop: threading.Event):
        """Move the slider back and forth, one update in flight, until ``stop`` is set."""
        values = [0.2, 0.35, 0.5, 0.65, 0.8, 0.65, 0.5, 0.35]
        i = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            await self.ws.send(_msg(self.session, "comm_msg", {
                "comm_id": self.slider,
                "data": {"method": "update", "state": {"value": values[i % len(values)]},
                         "buffer_paths": []}}, metadata={"version": "2.1.0"}))
            i += 1
            while True:  # wait for this learner's new picture
                msg = _decode(await asyncio.wait_for(self.ws.recv(), timeout=60))
                content = msg.get("content", {})
                data = content.get("data", {})
                # the picture's new PNG: an update of the Image's value (sent as a buffer)
                if (msg.get("msg_type") == "comm_msg" and content.get("comm_id") == self.image
                        and data.get("method") == "update"
                        and (["value"] in data.get("buffer_paths", [])
                             or "value" in data.get("state", {}))):
                    break
            self.moves += 1
            await asyncio.sleep(max(0.0, self.move_every - (time.perf_counter() - t0)))

    async def close(self):
        await self.ws.close()


def run_protocol_learners(base_url: str, n: int, start_evt: threading.Event,
                          move_evt: threading.Event, stop_evt: threading.Event,
                          learners: list, move_every: float):
    async def main():
        group = [ProtocolLearner(base_url, move_every) for _ in range(n)]
        learners.extend(group)
        start_evt.wait()
        t0 = time.perf_counter()
        results = await asyncio.gather(*(g.open(t0) for g in group), return_exceptions=True)
        for g, r in zip(group, results, strict=True):
            if isinstance(r, Exception):
                g.error = repr(r)
        while not move_evt.is_set():
            await asyncio.sleep(0.05)
        live = [g for g in group if g.error is None]
        results = await asyncio.gather(*(g.move(stop_evt) for g in live), return_exceptions=True)
        for g, r in zip(live, results, strict=True):
            if isinstance(r, Exception):
                g.error = repr(r)
        await asyncio.gather(*(g.close() for g in live), return_exceptions=True)

    asyncio.run(main())


# --- the Chromium learner -------------------------------------------------------------------------
class PageNotReady(RuntimeError):
    """A page showed no working explorer in time; the message says what the page showed."""


def chromium_page_ready(browser, url: str, timeout_s: float = 300) -> tuple[float, object]:
    page = browser.new_page(viewport={"width": 1280, "height": 2000})
    errors = h.PageErrors(page, url)
    t0 = time.perf_counter()
    try:
        page.goto(url, wait_until="load", timeout=300_000)
        page.wait_for_selector("img.lossviz-picture", timeout=timeout_s * 1000)
        root = h.explorer_roots(page).first
        h.read_state(root, timeout=120)
        page.locator(".noUi-handle").first.wait_for(timeout=60_000)
    except Exception as exc:
        secs = time.perf_counter() - t0
        try:
            config = json.loads(page.locator("#jupyter-config-data").inner_text(timeout=2000))
            kernel = config.get("kernelId")
        except Exception:
            kernel = None
        text = page.evaluate("document.body ? document.body.innerText.slice(0, 300) : ''")
        page.close()
        raise PageNotReady(
            f"{url}: no working explorer after {secs:.0f} s ({type(exc).__name__}); kernel "
            f"{kernel}; page errors {errors.page_errors[:2]}; console errors "
            f"{errors.console_errors[:3]}; the page shows {text!r}") from exc
    return time.perf_counter() - t0, page


FLOOR = "zz_voila_floor.ipynb"


def write_floor_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(
            "import ipywidgets\nipywidgets.IntSlider(description='x')")],
        metadata={"kernelspec": dict(h.KERNELSPEC)})
    nbformat.write(nb, path)


def floor_ready(browser, url: str) -> float:
    """Seconds from opening the floor notebook's page to its slider drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    t0 = time.perf_counter()
    page.goto(url, wait_until="load", timeout=300_000)
    page.locator(".noUi-handle").first.wait_for(timeout=120_000)
    secs = time.perf_counter() - t0
    page.close(run_before_unload=True)
    return secs


def kernel_rss_mb(server) -> dict[str, float]:
    """Resident memory of each kernel process started by the server, by kernel id."""
    import psutil

    out = {}
    for child in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            cmd = " ".join(child.cmdline())
            match = re.search(r"kernel-([0-9a-f-]{36})\.json", cmd)
            if match:
                out[match.group(1)] = child.memory_info().rss / 2**20
        except psutil.Error:
            continue
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--move-every", type=float, default=MOVE_EVERY_S,
                        help="seconds between two slider updates of a protocol learner")
    args = parser.parse_args(argv)
    reason = h.chromium_missing_reason()
    if reason:
        print(f"bench_classroom: skipped, {reason}")
        return 0
    from playwright.sync_api import sync_playwright

    n = args.learners
    state = Path(tempfile.mkdtemp(prefix="lossviz-bench-classroom-"))
    # The course's notebooks plus Voila's floor: a notebook holding one slider and nothing else.
    nb_dir = state / "notebooks"
    shutil.copytree(h.NOTEBOOKS, nb_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    write_floor_notebook(nb_dir / FLOOR)
    t_start = time.perf_counter()
    # Every page below takes a kernel and keeps it (no refills): the floor's warm and cold pages,
    # the cold pages, the warm single learner's pages and the n learners at once.
    used = 2 * FLOOR_PAGES + COLD_PAGES * len(COLD) + WARM_PAGES + n
    server = h.start_classroom(nb_dir, state, pools={NB: n + WARM_PAGES, FLOOR: FLOOR_PAGES},
                               max_kernels=used + 4, extra=("--refill-delay", "3600"))
    rows = []
    try:
        ready_line = server.wait_ready_line(timeout=900)
        warmup_s = time.perf_counter() - t_start
        with sync_playwright() as p:
            browser = h.launch_chromium(p)
            # 0. Voila's own floor, warm: the page of a notebook with one slider; once its pool
            # is used up, its pages are cold
            floor_url = f"{server.url}/voila/render/{FLOOR}"
            floor_s = statistics.median(floor_ready(browser, floor_url)
                                        for _ in range(FLOOR_PAGES))
            floor_cold_s = statistics.median(floor_ready(browser, floor_url)
                                             for _ in range(FLOOR_PAGES))
            # 1. cold pages, one at a time, the notebooks in turn
            cold = {name: [] for name in COLD}
            for _ in range(COLD_PAGES):
                for name in COLD:
                    secs, page = chromium_page_ready(browser, f"{server.url}/voila/render/{name}")
                    cold[name].append(secs)
                    page.close(run_before_unload=True)
            time.sleep(2)
            # 2. one learner, warm, one page at a time (a page that never shows its picture is
            # reported, not fatal)
            warm, failures = [], []
            for _ in range(WARM_PAGES):
                try:
                    secs, page = chromium_page_ready(browser, f"{server.url}/voila/render/{NB}",
                                                     timeout_s=90)
                    page.close(run_before_unload=True)
                except PageNotReady as exc:
                    secs = float("nan")
                    failures.append(str(exc))
                warm.append(secs)
                time.sleep(1)
            one_s = float("nan") if any(w != w for w in warm) else statistics.median(warm)
            time.sleep(2)
            # 3. n at once: n - 1 protocol learners and the Chromium learner
            start_evt, move_evt, stop_evt = (threading.Event() for _ in range(3))
            learners: list[ProtocolLearner] = []
            worker = threading.Thread(target=run_protocol_learners, daemon=True, args=(
                server.url, n - 1, start_evt, move_evt, stop_evt, learners, args.move_every))
            worker.start()
            time.sleep(0.5)
            start_evt.set()
            real_s, page = chromium_page_ready(browser, f"{server.url}/voila/render/{NB}")
            deadline = time.monotonic() + 300
            while any(g.ready_s is None and g.error is None for g in learners):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            at_once = [g.ready_s for g in learners if g.ready_s is not None] + [real_s]
            # 4. under load
            move_evt.set()
            time.sleep(2.0)
            root = h.explorer_roots(page).first
            root.scroll_into_view_if_needed()
            presses = bench_browser.measure(root, args.presses)
            stop_evt.set()
            worker.join(timeout=120)
            moves = sum(g.moves for g in learners)
            errors = [g.error for g in learners if g.error]
            # 5. memory and loss
            config = json.loads(page.locator("#jupyter-config-data").inner_text())
            ids = [g.kernel_id for g in learners if g.kernel_id] + [config["kernelId"]]
            rss = kernel_rss_mb(server)
            learner_rss = [rss[k] for k in ids if k in rss]
            lost = [k for k in ids if k not in rss]
            page.close(run_before_unload=True)
            browser.close()
        # Voila gave up waiting for a cell's output (a warm page then lacks the explorer)
        server_log = server.log_text()
        iopub_timeouts = server_log.count("Timeout waiting for IOPub output")
    finally:
        server.stop()
        shutil.rmtree(state, ignore_errors=True)

    med_at_once, p95_at_once = statistics.median(at_once), percentile(at_once, 0.95)
    print(f"make classroom, notebook 03, {n} learners ({n - 1} protocol-level + 1 Chromium); "
          f"pools warmed in {warmup_s:.0f} s: {ready_line.strip()}\n")
    verdict = lambda ok: "pass" if ok else "FAIL"  # noqa: E731
    rows.append((f"Voila's floor: a one-slider notebook, warm page (median of {FLOOR_PAGES})",
                 f"{floor_s:.1f} s", "(info)", "-"))
    rows.append((f"Voila's floor: a one-slider notebook, cold page (median of {FLOOR_PAGES})",
                 f"{floor_cold_s:.1f} s", "(info)", "-"))
    for name, pages in cold.items():
        secs = statistics.median(pages)
        rows.append((f"cold page, {name.removesuffix('.ipynb')} (no pool), one learner (median of "
                     f"{len(pages)}: " + ", ".join(f"{c:.1f}" for c in pages) + " s)",
                     f"{secs:.1f} s", "≤ 3 s", verdict(secs <= 3.0)))
    rows.append((f"warm page, 03, one learner (median of {WARM_PAGES} pages: "
                 + ", ".join(f"{w:.1f}" for w in warm) + " s)",
                 f"{one_s:.1f} s" if one_s == one_s else "no picture after 90 s", "≤ 2 s",
                 verdict(one_s <= 2.0)))
    rows.append((f"warm page, 03, {len(at_once)} learners at once: median",
                 f"{med_at_once:.1f} s", "(info)", "-"))
    rows.append((f"warm page, 03, {len(at_once)} learners at once: p95", f"{p95_at_once:.1f} s",
                 "≤ 10 s", verdict(p95_at_once <= 10.0 and len(at_once) == n)))
    rows.append((f"warm page, 03, {len(at_once)} learners at once: the Chromium learner",
                 f"{real_s:.1f} s", "(info)", "-"))
    if presses:
        med, p95 = statistics.median(presses), percentile(presses, 0.95)
        rows.append((f"key press → picture under load ({n - 1} learners moving, one update "
                     f"each per {args.move_every:g} s; {moves} updates), median",
                     f"{med:.0f} ms", "≤ 150 ms", verdict(med <= 150)))
        rows.append(("key press → picture under load, p95", f"{p95:.0f} ms", "≤ 300 ms",
                     verdict(p95 <= 300)))
    else:
        rows.append(("key press → picture under load", "no picture", "≤ 150 ms", "FAIL"))
    if learner_rss:
        rows.append(("resident memory per learner's kernel, median (max)",
                     f"{statistics.median(learner_rss):.0f} MB ({max(learner_rss):.0f})",
                     "≤ 150 MB", verdict(max(learner_rss) <= 150)))
    rows.append(("cells whose output Voila stopped waiting for (IOPub timeouts in the log)",
                 str(iopub_timeouts), "0", verdict(iopub_timeouts == 0)))
    rows.append(("kernels lost / learners with an error", f"{len(lost)} / {len(errors)}", "0 / 0",
                 verdict(not lost and not errors)))
    print("| measure | value | target | result |")
    print("|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    import importlib.util

    torch = importlib.util.find_spec("torch") is not None
    print(f"\ntorch is {'installed' if torch else 'not installed'}: the cold pages of 01 and 02 "
          f"{'run' if torch else 'skip'} their PyTorch comparison (the kernels use this Python).")
    for e in errors[:3]:
        print(f"\nlearner error: {e}")
    if errors:
        kept = Path(tempfile.gettempdir()) / f"bench_classroom-{datetime.datetime.now():%H%M%S}.log"
        kept.write_text(server_log)
        print(f"\nthe server's log: {kept}")
    for f in failures:
        print(f"\nwarm page failed: {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
