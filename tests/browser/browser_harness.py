"""Servers, Chromium and page helpers for the browser tests and ``benchmarks/bench_browser.py``.

Everything here drives real front ends: a Voila or JupyterLab server started on 127.0.0.1 on a
free port, and Debian's Chromium (``/usr/bin/chromium``) through Playwright for Python. No browser
is ever downloaded.

How an explorer is found in a page (the DOM hooks the explorers provide)::

    .lossviz-explorer        the explorer's whole widget (``ex.widget``)
    img.lossviz-picture      the ipywidgets.Image the figure is rendered into
    .lossviz-readout         the HTML widget with the numbers
    .lossviz-caption         the HTML widget with the one-sentence description (the alt text)
    .lossviz-preset          preset buttons ("Model C", "decent", ...)

Without these classes a page is read generically: every output area holding an ipywidgets image is
an explorer, its first image is the picture, and its HTML widgets are the readout.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
LANDING = "index.ipynb"
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out of a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A notebook "has an explorer" when a code cell calls a factory named ``*_explorer(...)``.
EXPLORER_CALL = re.compile(r"\b\w+_explorer\(")
# Text that ipywidgets puts where a widget view failed to render.
WIDGET_FAILURES = (
    "Click to show javascript error", "Failed to create view", "Error displaying widget",
)
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "-", "notes"}


# --- notebooks ------------------------------------------------------------------------------------
def code_source(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def markdown_source(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def explorer_notebooks(nb_dir: Path) -> list[str]:
    """Names of the notebooks in ``nb_dir`` whose code calls an explorer factory."""
    return sorted(
        p.name for p in Path(nb_dir).glob("*.ipynb") if EXPLORER_CALL.search(code_source(p))
    )


def all_notebooks(nb_dir: Path) -> list[str]:
    return sorted(p.name for p in Path(nb_dir).glob("*.ipynb"))


# --- servers --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(state_dir: Path) -> dict[str, str]:
    """The environment of a server: no MPLBACKEND, and all Jupyter user state in ``state_dir``."""
    env = dict(os.environ)
    # An inherited MPLBACKEND=Agg reaches the kernels and inline figures vanish.
    env.pop("MPLBACKEND", None)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ("IPYTHONDIR", "ipython"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
    ]:
        (state_dir / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(state_dir / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # The kernels import lossviz from this checkout even when it is not pip-installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


class Server:
    """A server process started by us; ``stop()`` ends it by its handle."""

    def __init__(self, name: str, cmd: list[str], cwd: Path, state_dir: Path, port: int,
                 env: dict[str, str] | None = None):
        self.name, self.port = name, port
        self.url = f"http://127.0.0.1:{port}"
        state_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = state_dir / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env or server_env(state_dir), stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_tail(self, n: int = 40) -> str:
        if not self._log.closed:
            self._log.flush()
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-n:])

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        """Poll ``path`` over HTTP until it answers 200; fail early if the process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


# Test kernels hold no state worth a graceful five-second goodbye.
FAST_SHUTDOWN = ["--KernelManager.shutdown_wait_time=0.5"]
# `make explore`'s template: deploy/jupyter-data/voila/templates/lossviz (also the hub's).
EXPLORE_JUPYTER_PATH = REPO / "deploy" / "jupyter-data"
EXPLORE_JUPYTER_CONFIG = REPO / "deploy" / "jupyter-config"
EXPLORE_TEMPLATE_FLAGS = ["--VoilaConfiguration.template=lossviz"]


def start_voila(nb_dir: Path, state_dir: Path) -> Server:
    """Voila serving ``nb_dir`` (tree at ``/``, pages at ``/voila/render/NB.ipynb``)."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "voila", str(nb_dir), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", f"--Voila.root_dir={nb_dir}",
        # Tracebacks in the page make a failing notebook readable in a test report.
        "--VoilaConfiguration.show_tracebacks=True",
        *VOILA_EXTENSION_FLAGS,
        *EXPLORE_TEMPLATE_FLAGS,
        *FAST_SHUTDOWN,
    ]
    # make explore's template (Voila's lab template without its CDN links) and kernel settings
    # (no ipywidgets echo), as the Makefile does
    env = server_env(state_dir)
    env.update(_tools_module("present").KERNEL_ENV)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(EXPLORE_JUPYTER_PATH), env.get("JUPYTER_PATH", "")) if p)
    # ... and its Voila settings (deploy/jupyter-config: voila.json, voila.py)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(EXPLORE_JUPYTER_CONFIG), env.get("JUPYTER_CONFIG_PATH", "")) if p)
    server = Server("voila", cmd, nb_dir, state_dir, port, env=env)
    server.wait_ready("/")
    return server


def start_lab(root_dir: Path, state_dir: Path) -> Server:
    """JupyterLab on ``root_dir``, no token (127.0.0.1 only), with ``window.jupyterapp``.

    The same server also serves RISE slideshows at ``/rise/NB.ipynb`` (jupyterlab_rise's server
    extension).
    """
    port = free_port()
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={root_dir}",
        "--IdentityProvider.token=", "--ServerApp.password=",
        "--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabServerApp.workspaces_dir={state_dir / 'lab-workspaces'}",
        *FAST_SHUTDOWN,
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    server = Server("jupyterlab", cmd, root_dir, state_dir, port)
    server.wait_ready("/api/status", timeout=90)
    return server


def start_notebook7(root_dir: Path, state_dir: Path) -> Server:
    """Notebook 7 (``jupyter notebook``) on ``root_dir``, no token (127.0.0.1 only), with
    ``window.jupyterapp``; a notebook opens at ``/notebooks/NB.ipynb``."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "notebook", "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={root_dir}",
        "--IdentityProvider.token=", "--ServerApp.password=",
        "--JupyterNotebookApp.expose_app_in_browser=True",
        *FAST_SHUTDOWN,
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    server = Server("notebook7", cmd, root_dir, state_dir, port)
    server.wait_ready("/api/status", timeout=90)
    return server


TOOLS = REPO / "tools"


def _tools_module(name: str):
    """Import ``tools/<name>.py`` (the scripts behind ``make present`` / ``make classroom``)."""
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    return __import__(name)


# The front-end extensions kept out of a Voila server of its own, as in `make explore`
# (tools/present.py: deploy/jupyter-config/voila.json plus the MathJax 3 extension). Notebook 7's
# cannot load inside Voila (a module-federation error, "shared module is not a function ...
# @jupyterlab/docregistry", in the console); the others are not needed.
VOILA_EXTENSION_FLAGS = [_tools_module("present").EXTENSION_DENYLIST]


def start_present(notebook_dir: Path, state_dir: Path, notebook: str) -> Server:
    """``make present``'s server: ``notebook`` as a reveal.js deck (lossviz-reveal template, every
    asset served locally). The deck is at ``server.deck_url``."""
    present = _tools_module("present")
    port = free_port()
    data_dir = state_dir / "present-data"
    present.build_templates(data_dir)
    cmd = present.voila_command(Path(notebook_dir) / notebook, port) + FAST_SHUTDOWN
    # server_env() plus JUPYTER_PATH, where Voila finds the lossviz-reveal template
    (state_dir / "runtime").mkdir(parents=True, exist_ok=True)
    env = present.environment(data_dir, server_env(state_dir))
    server = Server("present", cmd, Path(notebook_dir), state_dir, port, env=env)
    server.deck_url = server.url + "/"
    server.wait_ready("/voila/templates/lossviz-reveal/static/reveal/dist/reveal.css")
    return server


class ClassroomServer(Server):
    """``make classroom``'s server; ``wait_ready_line()`` waits for its ``ready for`` line."""

    token: str | None = None

    def wait_ready_line(self, timeout: float = 240.0) -> str:
        present = _tools_module("classroom")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"classroom exited with {self.proc.returncode}:\n"
                                   f"{self.log_tail()}")
            self._log.flush()
            text = self.log_path.read_text(errors="replace")
            match = re.search(r"token \(shown once\): (\S+)", text)
            if match:
                self.token = match.group(1)
            lines = [ln for ln in text.splitlines() if present.READY_MARK in ln]
            if lines:
                return lines[0]
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"classroom never printed its ready line:\n{self.log_tail()}")

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")


def start_classroom(notebook_dir: Path, state_dir: Path, *, pools: dict[str, int],
                    max_kernels: int, require_token: bool = False,
                    extra: tuple[str, ...] = ()) -> ClassroomServer:
    """``tools/classroom.py`` on 127.0.0.1 with only the given pools (no default pools)."""
    port = free_port()
    cmd = [sys.executable, "-u", str(TOOLS / "classroom.py"), "--host", "127.0.0.1",
           "--port", str(port), "--notebook-dir", str(notebook_dir), "--no-default-pools",
           "--max-kernels", str(max_kernels), *extra,
           *[f"--pool={name}={n}" for name, n in pools.items()]]
    if require_token:
        cmd.append("--require-token")
    return ClassroomServer("classroom", cmd, Path(notebook_dir), state_dir, port)


# --- the browser ----------------------------------------------------------------------------------
def chromium_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
    return None


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def is_loopback(url: str) -> bool:
    """True for addresses on this machine (and for data:, blob: and about: URLs)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in ("127.0.0.1", "localhost", "::1")


def assert_no_external_requests(errors: PageErrors) -> None:
    assert not errors.external_requests, (
        "the page asked other hosts for (aborted): " + ", ".join(errors.external_requests))


class PageErrors:
    """Page errors and console errors of one page, without the known harmless noise."""

    # Offline, requests to CDNs (Font Awesome, MathJax) fail; that is not our code.
    NOISE = re.compile(r"fontawesome|font-awesome|cdnjs|cdn\.jsdelivr|unpkg\.com"
                       r"|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED",
                       re.I)

    def __init__(self, page, origin: str):
        self.origin = origin
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        # Requests to any host but this machine are aborted and recorded: a page must work
        # offline and ask nothing of a CDN (assert_no_external_requests).
        self.external_requests: list[str] = []
        page.on("pageerror", self._on_page_error)
        page.on("console", self._on_console)
        page.route(lambda url: not is_loopback(url), self._abort_external)

    def _abort_external(self, route) -> None:
        self.external_requests.append(route.request.url)
        route.abort()

    def _on_page_error(self, exc) -> None:
        text = f"{exc.name}: {exc.message}\n{exc.stack or ''}"
        if not self.NOISE.search(text):
            self.page_errors.append(text)

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        text = f"{msg.text} ({url})"
        # A failed request to another host is offline noise; failures on our server are not.
        external = url and not url.startswith(self.origin)
        if not self.NOISE.search(text) and not external:
            self.console_errors.append(text)

    def clear(self) -> None:
        self.page_errors.clear()
        self.console_errors.clear()


class SocketLog:
    """The websockets a page opens, with the frames each sent and received and how it ended."""

    def __init__(self, page):
        self.t0 = time.monotonic()
        self.sockets: list[dict] = []
        page.on("websocket", self._on_socket)

    def _on_socket(self, ws) -> None:
        entry = {"url": ws.url.split("?")[0], "opened": time.monotonic() - self.t0,
                 "sent": 0, "received": 0, "closed": None, "error": None, "states": None}
        self.sockets.append(entry)

        def count(key):
            def on_frame(frame):
                entry[key] += 1
                text = frame if isinstance(frame, str) else frame.decode(errors="replace")
                if key == "received" and '"update_states"' in text:
                    entry["states"] = sorted(self._states(text))
            return on_frame

        ws.on("framesent", count("sent"))
        ws.on("framereceived", count("received"))
        ws.on("close", lambda _ws: entry.update(closed=time.monotonic() - self.t0))
        ws.on("socketerror", lambda err: entry.update(error=str(err)))

    @staticmethod
    def _states(text: str) -> set[str]:
        # {"states": {"<model id>": {"model_name": ...}, ...}}, in a JSON or a binary frame
        return set(re.findall(r'"([0-9a-f]{32})":\s*\{\s*"model_', text))

    def model_ids(self) -> list[str] | None:
        """The widget models the page's kernel reported (ipywidgets' update_states), if any."""
        for s in self.sockets:
            if s["states"] is not None:
                return s["states"]
        return None

    def __str__(self) -> str:
        if not self.sockets:
            return "no websocket opened"
        return "; ".join(
            f"{s['url']} opened at {s['opened']:.1f} s, {s['sent']} frames sent, "
            f"{s['received']} received, "
            + (f"closed at {s['closed']:.1f} s" if s["closed"] is not None else "still open")
            + (f", error {s['error']}" if s["error"] else "")
            for s in self.sockets)


def describe_page(page, errors: PageErrors | None = None, sockets: SocketLog | None = None) -> str:
    """What a page shows and did, for a failure message: its kernel, what its widget outputs
    hold, its errors and its websockets."""
    try:
        facts = page.evaluate("""() => ({
            kernel: (() => { try { return JSON.parse(document.getElementById(
                'jupyter-config-data').textContent).kernelId; } catch (e) { return null; } })(),
            html: document.documentElement.outerHTML.length,
            state: document.readyState,
            views: document.querySelectorAll(
                'script[type="application/vnd.jupyter.widget-view+json"]').length,
            rendered: document.querySelectorAll('.jupyter-widgets, .widget-box').length,
            text: document.body ? document.body.innerText.slice(0, 400) : '',
            tail: document.documentElement.outerHTML.slice(-300),
        })""")
    except Exception as exc:  # the page crashed or closed
        return f"the page could not be read: {exc}"
    lines = [f"kernel {facts['kernel']}; document {facts['state']}, {facts['html']} characters; "
             f"{facts['views']} widget views in the HTML, {facts['rendered']} rendered",
             f"the page shows {facts['text']!r}", f"the HTML ends {facts['tail']!r}"]
    if errors is not None:
        lines.append(f"page errors {errors.page_errors[:3]}; console errors "
                     f"{errors.console_errors[:5]}")
    if sockets is not None:
        lines.append(f"websockets: {sockets}")
    return "\n".join(lines)


def assert_no_widget_failures(page) -> None:
    text = page.locator("body").inner_text()
    for marker in WIDGET_FAILURES:
        assert marker not in text, f"the page shows {marker!r}:\n{text[:2000]}"


def assert_code_hidden(page) -> None:
    """No code cell shows its source (a dashboard shows results only). Markdown cells also have a
    ``.jp-InputArea`` (their rendered text), so only code cells and editors count."""
    shown = page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor")
    assert shown.count() == 0, f"{shown.count()} code cells show their source"


# --- explorers in a page --------------------------------------------------------------------------
# One JS function reads the state of an explorer root: the picture's bytes (a SHA-256 of what
# the <img> shows: ipywidgets gives every update a new blob: URL), readout, caption, slider values.
STATE_JS = """
async (root) => {
  const q = (sel) => Array.from(root.querySelectorAll(sel));
  const img = root.querySelector('img.lossviz-picture') || root.querySelector('img.widget-image');
  let digest = null;
  if (img && img.src) {
    try {
      const buf = await (await fetch(img.src)).arrayBuffer();
      const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
      digest = Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
    } catch (e) { digest = null; }  // the blob was revoked by a newer update: read again
  }
  let readout = q('.lossviz-readout');
  if (!readout.length) readout = q('.widget-html, .widget-htmlmath')
      .filter((e) => !e.classList.contains('lossviz-caption'));
  const caption = q('.lossviz-caption');
  return {
    digest,
    src: img ? img.src : null,
    complete: img ? (img.complete && img.naturalWidth > 0) : false,
    alt: img ? (img.getAttribute('alt') || '') : '',
    readout: readout.map((e) => e.innerText.trim()).join(' | '),
    caption: caption.map((e) => e.innerText.trim()).join(' | '),
    values: q('.widget-readout').map((e) => e.innerText.trim()),
  };
}
"""


def explorer_roots(page):
    """Locator of every explorer on the page (see the module docstring)."""
    tagged = page.locator(".lossviz-explorer")
    if tagged.count():
        return tagged
    return page.locator(".jp-OutputArea-output:has(img.widget-image)")


def wait_stable_count(page, selector: str, quiet: float = 1.0, timeout: float = 60.0) -> int:
    """Wait until the number of elements matching ``selector`` is non-zero and stays the same for
    ``quiet`` seconds (widget views appear one by one after the page has loaded)."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = page.locator(selector).count()
        if n != last:
            last, since = n, time.monotonic()
        elif n and time.monotonic() - since >= quiet:
            return n
        time.sleep(0.1)
    raise AssertionError(f"{selector!r}: count never settled (last {last})")


def kernel_status(server: Server, kernel_id: str, token: str | None = None) -> int:
    """The HTTP status of the kernel's API: 200 while it runs, 404 once it is shut down."""
    url = f"{server.url}/api/kernels/{kernel_id}" + (f"?token={token}" if token else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def wait_kernel_gone(server: Server, kernel_id: str, token: str | None = None,
                     timeout: float = 20.0) -> None:
    """Poll the kernel's API until it answers 404; fail with its last status and the log."""
    deadline = time.monotonic() + timeout
    while (status := kernel_status(server, kernel_id, token)) != 404:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"kernel {kernel_id} still answers {status} {timeout:.0f} s after its tab left; "
                f"the server's log ends:\n{server.log_tail(15)}")
        time.sleep(0.25)


def open_voila_page(browser, server: Server, name: str):
    """A new page showing the Voila dashboard of ``name``, with every explorer's picture loaded.
    Returns ``(page, errors)``."""
    # A tall viewport: Voila's lab template scrolls inside a container.
    page = browser.new_page(viewport={"width": 1280, "height": 2400})
    errors = PageErrors(page, server.url)
    # Voila runs the whole notebook before the page finishes loading: allow for a busy machine.
    page.goto(f"{server.url}/voila/render/{name}", wait_until="load", timeout=180_000)
    page.wait_for_selector("img.widget-image", timeout=60_000)
    wait_stable_count(page, "img.widget-image")
    roots = explorer_roots(page)
    for i in range(roots.count()):
        read_state(roots.nth(i), timeout=30)
    return page, errors


def read_state(root, timeout: float = 10.0) -> dict:
    """The explorer's state, once its picture is loaded and readable."""
    deadline = time.monotonic() + timeout
    while True:
        state = root.evaluate(STATE_JS)
        if state["digest"] and state["complete"]:
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"the explorer's picture never became readable: {state}")
        time.sleep(0.05)


def wait_settled(root, before: dict, *, quiet: float = 0.4, timeout: float = 15.0,
                 need=("digest", "readout")) -> dict:
    """Wait until the state differs from ``before`` in every key of ``need`` and then stays the same
    for ``quiet`` seconds (a key press or a drag can send several updates). Returns the last state;
    if nothing changed before ``timeout``, returns the unchanged state (the caller asserts)."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = read_state(root)
        key = tuple(state[k] for k in ("digest", "readout", "caption", "alt"))
        if last is None or key != last:
            last, since = key, time.monotonic()
        changed = all(state[k] != before[k] for k in need)
        if changed and time.monotonic() - since >= quiet:
            return state
        time.sleep(0.05)
    return state


def assert_no_error_outputs(page) -> None:
    """No cell of a notebook page (JupyterLab, Notebook 7) shows a traceback or an error, and no
    widget failed to render."""
    errors_out = page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
        ' .jp-RenderedText[data-mime-type*="error"]'
    )
    texts = [errors_out.nth(i).inner_text() for i in range(errors_out.count())]
    assert not [t for t in texts if "Traceback" in t or "Error" in t], texts
    assert_no_widget_failures(page)


def press_first_slider(root, times: int = 3) -> tuple[dict, dict]:
    """Press the arrow key away from the end the first slider sits at, ``times`` times; returns
    the explorer's state before and after (settled)."""
    root.scroll_into_view_if_needed()
    handle = sliders(root).first.locator(".noUi-handle")
    before = read_state(root)
    now, top = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if now and top and float(now) >= float(top) else "ArrowRight"
    press(handle, key, times)
    return before, wait_settled(root, before)


def sliders(root):
    """Locator of the visible slider widgets (ipywidgets 8: label, noUiSlider track, readout).

    A control an explorer hides for the current state (Huber's δ while another loss is shown)
    is not offered to the learner, so it is not pressed either.
    """
    return root.locator(".widget-slider:visible")


def press(handle, key: str, times: int = 1) -> None:
    handle.focus()
    for _ in range(times):
        handle.press(key)


NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def numbers_in(text: str) -> list[float]:
    return [float(m.replace("−", "-")) for m in NUMBER.findall(text.replace(",", ""))]


def shows_value(text: str, expected: float) -> bool:
    """True when ``text`` shows ``expected`` to the precision it was written with (0.9801 matches
    0.98010 and 0.9801; 4.605 matches 4.6052 since both round to 4.605)."""
    decimals = len(repr(expected).split(".")[1]) if "." in repr(expected) else 0
    return any(round(x, decimals) == round(expected, decimals) for x in numbers_in(text))


# --- the stand-in: a tiny notebook set obeying the explorer contract ------------------------------
STANDIN_EXPLORERS = r'''
import io
import math

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


class _StandinExplorer:
    """A miniature of a lossviz explorer: controls, a PNG picture, a readout and a caption."""

    def __init__(self, controls, draw, describe, readout, presets=None):
        self.controls = controls
        self._draw, self._describe, self._readout = draw, describe, readout
        self.figure = Figure(figsize=(5, 2.2), dpi=80)
        FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        self.image = widgets.Image(format="png").add_class("lossviz-picture")
        self.readout_html = widgets.HTML().add_class("lossviz-readout")
        self.caption = widgets.HTML().add_class("lossviz-caption")
        buttons = []
        for label, values in (presets or {}).items():
            b = widgets.Button(description=label).add_class("lossviz-preset")
            b.on_click(lambda _b, v=values: self.set(**v))
            buttons.append(b)
        self.widget = widgets.VBox(
            [*controls.values(), widgets.HBox(buttons), self.image, self.caption, self.readout_html]
        ).add_class("lossviz-explorer")
        self.artists = self._draw(self.ax, None, self.values())
        for c in controls.values():
            c.style.description_width = "initial"  # the whole label, not "p (true cla..."
            c.observe(self._update, names="value")
        self._update()

    def values(self):
        return {k: c.value for k, c in self.controls.items()}

    def set(self, **values):
        for k, v in values.items():
            self.controls[k].value = v

    def _update(self, change=None):
        v = self.values()
        self._draw(self.ax, self.artists, v)
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png")
        self.image.value = buf.getvalue()
        self.readout = self._readout(v)
        self.readout_html.value = " &nbsp; ".join(f"{k} = {x:.4f}" for k, x in self.readout.items())
        self.caption.value = self._describe(v)

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)


def confident_wrong_explorer():
    def draw(ax, artists, v):
        p = v["p"]
        if artists is None:
            ps = [i / 200 for i in range(1, 200)]
            ax.plot(ps, [-math.log(q) for q in ps], label="cross-entropy")
            ax.plot(ps, [(1 - q) ** 2 for q in ps], label="MSE")
            ax.set_xlabel("p (true class)")
            ax.legend()
            return ax.plot([p, p], [-math.log(p), (1 - p) ** 2], "ko")[0]
        artists.set_data([p, p], [-math.log(p), (1 - p) ** 2])
        return artists

    slider = widgets.FloatSlider(value=0.6, min=0.01, max=0.99, step=0.01,
                                 description="p (true class)")
    return _StandinExplorer(
        {"p": slider}, draw,
        lambda v: (f"Loss curves against p with markers at p = {v['p']:.2f}: cross-entropy "
                   f"{-math.log(v['p']):.3f}, MSE {(1 - v['p']) ** 2:.4f}."),
        lambda v: {"mse": (1 - v["p"]) ** 2, "cross_entropy": -math.log(v["p"])},
        presets={"Model A": {"p": 0.9}, "Model B": {"p": 0.6}, "Model C": {"p": 0.01}},
    )


def mse_explorer(y_true=(3, 5, 2), y_pred=(4, 2, 3)):
    def draw(ax, artists, v):
        preds = [v[f"y_pred_{i}"] for i in range(len(y_true))]
        if artists is None:
            ax.plot(range(len(y_true)), y_true, "s", label="target")
            ax.set_ylim(-11, 11)
            ax.legend()
            return ax.plot(range(len(y_true)), preds, "o", label="prediction")[0]
        artists.set_ydata(preds)
        return artists

    controls = {f"y_pred_{i}": widgets.FloatSlider(value=y, min=-10, max=10, step=0.5,
                                                   description=f"prediction {i}")
                for i, y in enumerate(y_pred)}

    def mse(v):
        return sum((v[f"y_pred_{i}"] - t) ** 2 for i, t in enumerate(y_true)) / len(y_true)

    return _StandinExplorer(
        controls, draw,
        lambda v: f"Targets and predictions for {len(y_true)} points; the MSE is {mse(v):.4f}.",
        lambda v: {"mse": mse(v)},
    )
'''


def _cell(kind: str, source: str, slide_type: str) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    return make(source, metadata={"slideshow": {"slide_type": slide_type}})


KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _notebook(cells) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": dict(KERNELSPEC)})


def write_standin(nb_dir: Path) -> Path:
    """Write the stand-in notebooks (and a copy of the landing page) into ``nb_dir``."""
    nb_dir.mkdir(parents=True, exist_ok=True)
    (nb_dir / "standin_explorers.py").write_text(STANDIN_EXPLORERS)
    start = _notebook([
        _cell("markdown", "# Start here (stand-in)\n\nTwo explorers to move with the keyboard.",
              "slide"),
        _cell("code", "%matplotlib inline\nfrom standin_explorers import "
                      "confident_wrong_explorer, mse_explorer", "skip"),
        _cell("markdown", "## How wrong is confidently wrong?", "slide"),
        _cell("code", "confident_wrong_explorer()", "-"),
        _cell("markdown", "## Squared errors", "slide"),
        _cell("code", "mse_explorer()", "-"),
    ])
    (nb_dir / "00_start_here.ipynb").write_text(nbformat.writes(start))
    prose = _notebook([
        _cell("markdown", "# Reading only (stand-in)\n\nA notebook without an explorer.", "slide"),
        _cell("code", "print(f'{2 / 3:.4f}')", "-"),
        _cell("markdown", "## Summary", "subslide"),
    ])
    (nb_dir / "01_reading_only.ipynb").write_text(nbformat.writes(prose))
    if (NOTEBOOKS / LANDING).exists():
        shutil.copy(NOTEBOOKS / LANDING, nb_dir / LANDING)
    return nb_dir


@contextlib.contextmanager
def standin_dir():
    tmp = Path(tempfile.mkdtemp(prefix="lossviz-standin-"))
    try:
        yield write_standin(tmp / "notebooks")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def default_notebook_dir() -> Path | None:
    """``notebooks/`` once it holds an explorer notebook; ``None`` means: use the stand-in."""
    if NOTEBOOKS.is_dir() and explorer_notebooks(NOTEBOOKS):
        return NOTEBOOKS
    return None
