"""`make classroom`: a room of learners on one dashboard, served from preheated kernels.

Five learners (Chromium pages) open notebook 03 at the same moment on a classroom server with a
warm pool of five kernels for 03 and a cap of five live kernels. Each gets a working slider from a
preheated kernel; a sixth learner gets the "room is full" page; every kernel is still alive at the
end; and a request without the token is refused when a token is required. Which addresses require
the token (every one but loopback) is checked without binding anything but 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import time
import urllib.error
import urllib.request

import browser_harness as h
import pytest

NB = "03_confidently_wrong.ipynb"
LEARNERS = 5
classroom = h._tools_module("classroom")


# --- the rules, without a server ------------------------------------------------------------------
@pytest.mark.parametrize("host, required", [
    ("127.0.0.1", False), ("localhost", False), ("::1", False), ("127.0.0.2", False),
    ("0.0.0.0", True), ("::", True), ("192.168.1.20", True), ("10.0.0.5", True),
    ("classroom.example.org", True),
])
def test_every_address_but_loopback_requires_a_token(host, required):
    assert classroom.needs_token(host) is required
    # --require-token forces it on loopback too (how the tests below exercise the token).
    assert classroom.needs_token(host, require_token=True) is True


def test_pools_are_sized_per_notebook(notebook_dir):
    pools = classroom.parse_pools(["03_confidently_wrong=30", "04_gradients_and_saturation=0"],
                                  notebook_dir)
    assert pools["03_confidently_wrong.ipynb"] == 30
    # a pool of 0 is no pool; notebooks not named keep their defaults, the rest get none
    assert "04_gradients_and_saturation.ipynb" not in pools
    assert pools["00_start_here.ipynb"] == classroom.DEFAULT_POOLS["00_start_here.ipynb"]
    assert "07_next_token_prediction.ipynb" not in pools
    only = classroom.parse_pools(["03_confidently_wrong"  "=4"], notebook_dir, defaults=False)
    assert only == {"03_confidently_wrong.ipynb": 4}


@pytest.mark.parametrize("item, message", [
    ("03_confidently_wrong", "write NOTEBOOK=SIZE"),
    ("03_confidently_wrong=many", "write NOTEBOOK=SIZE"),
    ("99_missing=3", "there is no 99_missing.ipynb"),
])
def test_a_bad_pool_is_refused_with_the_fix(item, message, notebook_dir):
    with pytest.raises(SystemExit, match=re.escape(message)):
        classroom.parse_pools([item], notebook_dir)


def test_voila_gets_per_notebook_pools_culling_and_the_token(notebook_dir):
    args = classroom.argparse.Namespace(
        notebook_dir=notebook_dir, port=9999, host="0.0.0.0", refill_delay=20.0,
        cull_idle_minutes=20.0)
    argv = classroom.voila_argv(args, {NB: 10}, "s3cret-token-123")
    joined = "\n".join(argv)
    # pools: 0 by default, 10 for 03 (a global pool_size would warm every notebook)
    pools = next(a for a in argv if a.startswith("--VoilaKernelManager.kernel_pools_config="))
    assert eval(pools.split("=", 1)[1]) == {"default": {"pool_size": 0}, NB: {"pool_size": 10}}
    # 20 minutes idle = 1200 s, checked every 60 s; kernels with an open page are kept
    assert "--MappingKernelManager.cull_idle_timeout=1200" in argv
    assert "--MappingKernelManager.cull_interval=60" in argv
    assert "--MappingKernelManager.cull_connected=False" in argv
    assert "--VoilaConfiguration.preheat_kernel=True" in argv
    # a warm kernel's page must not lose the explorer's output while many kernels warm at once
    assert f"--VoilaExecutor.iopub_timeout={classroom.IOPUB_TIMEOUT_S}" in argv
    assert classroom.IOPUB_TIMEOUT_S >= 60
    assert "--Voila.token=s3cret-token-123" in argv
    assert "--Voila.ip=0.0.0.0" in joined


def test_a_warm_kernel_that_failed_is_never_handed_out():
    """Pool entries by state (tools/classroom.py sort_pool): only kernels that ran the notebook
    are ready. One whose kernel never became ready (nbclient gives up after 60 s, which a machine
    warming dozens of kernels can reach) would give its learner a page that stops after its head."""

    async def entries():
        loop = asyncio.get_running_loop()

        def entry(render=None, start_error=None):
            started = loop.create_future()
            if start_error is not None:
                started.set_exception(start_error)
            elif render is not None:
                started.set_result({"kernel_id": f"k{len(made)}", "task": render})
            made.append(started)
            return started

        def render(result=None, error=None, cancel=False):
            task = loop.create_future()
            if error is not None:
                task.set_exception(error)
            elif cancel:
                task.cancel()
            elif result is not None:
                task.set_result(result)
            return task

        made: list = []
        ready = entry(render(result=([], None)))
        warming = entry(render())
        pending = entry()
        dead = entry(render(error=RuntimeError("Kernel didn't respond in 60 seconds")))
        cancelled = entry(render(cancel=True))
        no_start = entry(start_error=OSError("no such kernel"))
        groups = classroom.sort_pool([dead, pending, warming, no_start, ready, cancelled])
        # futures with exceptions nobody reads would warn at exit
        for f in made:
            if f.done() and not f.cancelled():
                f.exception()
        return groups, {"ready": ready, "warming": warming, "pending": pending,
                        "dead": dead, "cancelled": cancelled, "no_start": no_start}

    # in a thread of its own: Playwright's sync API keeps an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        groups, e = pool.submit(asyncio.run, entries()).result()
    assert groups["ready"] == [e["ready"]]
    assert groups["warming"] == [e["warming"]]
    assert groups["pending"] == [e["pending"]]
    # in pool order: the dead kernel, the kernel that never started, the cancelled run
    assert groups["failed"] == [e["dead"], e["no_start"], e["cancelled"]]


# --- a room on a real server ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def room(chromium, notebook_dir, state_dir):
    server = h.start_classroom(notebook_dir, state_dir / "classroom", pools={NB: LEARNERS},
                               max_kernels=LEARNERS, require_token=True,
                               extra=("--refill-delay", "600"))
    try:
        ready_line = server.wait_ready_line()
        yield server, ready_line
    finally:
        server.stop()


def _get(url: str) -> tuple[int, str, dict]:
    """GET without following redirects: (status, body, headers)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=120) as r:
            return r.status, r.read().decode(errors="replace"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace"), dict(e.headers)


def test_a_request_without_the_token_is_refused(room):
    server, _ = room
    status, body, headers = _get(f"{server.url}/voila/render/{NB}")
    # a login page (a redirect to it) or 403, never the notebook
    assert status in (302, 403), status
    if status == 302:
        assert "/login" in headers.get("Location", ""), headers
        status, body, _ = _get(server.url + headers["Location"])
        assert status == 200 and 'type="password"' in body
    # nothing of the notebook: no kernel, no cell output, no page config
    for marker in ("kernelId", "application/vnd.voila.cell-output", "jupyter-config-data",
                   "How wrong is confidently wrong"):
        assert marker not in body, f"the refused page contains {marker!r}"
    # the API is closed too
    status, _, _ = _get(f"{server.url}/api/kernels")
    assert status in (302, 403, 404), status


def test_five_learners_at_once_each_get_a_working_slider(room, chromium):
    server, ready_line = room
    assert f"{LEARNERS} on 03_confidently_wrong" in ready_line, ready_line
    assert server.token, "the token was not printed"
    url = f"{server.url}/voila/render/{NB}?token={server.token}"
    pages, errors, frames, sockets, responses = [], [], [], [], []
    for _ in range(LEARNERS):
        context = chromium.new_context(viewport={"width": 1280, "height": 2000})
        page = context.new_page()
        errors.append(h.PageErrors(page, server.url))
        sockets.append(h.SocketLog(page))
        if not pages:  # the first learner's kernel messages, as the page receives them
            page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
        # "commit": the request is sent and answered; all five are in flight together
        responses.append(page.goto(url, wait_until="commit", timeout=180_000))
        pages.append(page)
    try:
        kernel_ids = []
        for i, page in enumerate(pages):
            try:
                page.wait_for_load_state("load", timeout=180_000)
                page.wait_for_selector("img.lossviz-picture", timeout=120_000)
            except Exception as exc:
                html = responses[i].text()
                views = sorted(set(re.findall(r'model_id\\?": \\?"([0-9a-f]{32})', html)))
                known = sockets[i].model_ids()
                pytest.fail(f"learner {i} got no explorer: {type(exc).__name__}\n"
                            + h.describe_page(page, errors[i], sockets[i])
                            + f"\nviews in the HTML {views}; models the kernel reported: "
                            + (f"{len(known)}, missing {sorted(set(views) - set(known))}"
                               if known is not None else "none")
                            + "; other learners' views: " + str([
                                sorted(set(re.findall(r'model_id\\?": \\?"([0-9a-f]{32})',
                                                      r.text())))[:3]
                                for j, r in enumerate(responses) if j != i])
                            + f"\nthe server's log ends:\n{server.log_tail(80)}")
            root = h.explorer_roots(page).first
            before = h.read_state(root, timeout=60)
            h.press(root.locator(".noUi-handle").first, "ArrowRight", 2)
            after = h.wait_settled(root, before, timeout=60)
            assert after["digest"] != before["digest"], f"learner {i}: the picture did not change"
            assert after["readout"] != before["readout"], f"learner {i}: the readout is stuck"
            h.assert_no_widget_failures(page)
            assert not errors[i].page_errors, errors[i].page_errors
            h.assert_no_external_requests(errors[i])
            config = json.loads(page.locator("#jupyter-config-data").inner_text())
            kernel_ids.append(config["kernelId"])
        assert len(set(kernel_ids)) == LEARNERS, f"learners share kernels: {kernel_ids}"
        # The kernels answer a slider move with the new picture and readout only: ipywidgets'
        # echo of the update (one more message per move, through the kernel and the server) is
        # off (tools/present.py KERNEL_ENV).
        payloads = [f if isinstance(f, bytes) else f.encode() for f in frames]
        updates = [f for f in payloads if b'"method": "update"' in f]
        echoes = [f for f in payloads if b"echo_update" in f]
        assert len(updates) >= 2, f"learner 0's page received {len(updates)} widget updates"
        assert not echoes, f"learner 0's kernel echoed {len(echoes)} slider updates"
        log = server.log_text()
        # every learner was served from the warm pool, none waited for a cold start
        served_warm = set(re.findall(r"Using pre-heated kernel: (\S+) for " + re.escape(NB), log))
        assert served_warm == set(kernel_ids), (served_warm, kernel_ids)

        # a sixth learner: all five kernels are taken and the cap is five
        status, body, _ = _get(f"{url}")
        assert status == 503, status
        assert "The room is full" in body and f"already runs {LEARNERS} of its {LEARNERS}" in body

        # every kernel is still alive after the room has used it
        time.sleep(1.0)
        for kid in kernel_ids:
            status, body, _ = _get(f"{server.url}/api/kernels/{kid}?token={server.token}")
            assert status == 200, (kid, status, body[:200])
            assert json.loads(body)["execution_state"] in ("idle", "busy"), body
    finally:
        for page in pages:
            page.context.close()


# --- a learner who reloads or leaves --------------------------------------------------------------
@pytest.fixture(scope="module")
def small_room(chromium, notebook_dir, state_dir):
    server = h.start_classroom(notebook_dir, state_dir / "small-classroom", pools={NB: 1},
                               max_kernels=2, require_token=True,
                               extra=("--refill-delay", "600"))
    try:
        server.wait_ready_line()
        yield server
    finally:
        server.stop()


def test_a_reloaded_or_closed_tab_gives_its_kernel_back(small_room, chromium):
    """A tab that reloads or leaves shuts its kernel down (Voila's beacon, accepted now that the
    page has its _xsrf cookie: tools/classroom.py set_xsrf_cookie_on_pages), so it does not count
    against the room's cap until culling."""
    server = small_room
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(f"{server.url}/voila/render/{NB}?token={server.token}", wait_until="load",
                  timeout=180_000)
        page.wait_for_selector("img.lossviz-picture", timeout=120_000)
        warm = json.loads(page.locator("#jupyter-config-data").inner_text())["kernelId"]
        assert f"Using pre-heated kernel: {warm}" in server.log_text()
        assert any(c["name"] == "_xsrf" for c in context.cookies()), context.cookies()
        page.reload(wait_until="load", timeout=180_000)
        page.wait_for_selector("img.lossviz-picture", timeout=120_000)
        fresh = json.loads(page.locator("#jupyter-config-data").inner_text())["kernelId"]
        assert fresh != warm
        h.wait_kernel_gone(server, warm, server.token)
        page.goto("about:blank")
        h.wait_kernel_gone(server, fresh, server.token)
        assert "_xsrf' argument missing" not in server.log_text()
    finally:
        context.close()
