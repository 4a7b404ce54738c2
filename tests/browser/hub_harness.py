"""A real JupyterHub for the hub tests and ``benchmarks/bench_hub.py``.

The hub is the one ``make hub`` runs: ``deploy/hub/jupyterhub_config.py`` (JupyterHub from PyPI,
configurable-http-proxy from npm in ``deploy/hub/node_modules``, SimpleLocalProcessSpawner, one
shared password), started on a free port of 127.0.0.1 with its state (database, learners' homes,
logs) in a folder of the caller's. Learners log in through the hub's own login form in Chromium;
the hub's REST API (with a service token the config registers) starts and stops servers.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser_harness as h  # noqa: E402

REPO = h.REPO
HUB_DIR = REPO / "deploy" / "hub"
CONFIG = HUB_DIR / "jupyterhub_config.py"
CHP = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
JUPYTERHUB = Path(sys.executable).parent / "jupyterhub"
EXPLORER_NOTEBOOK = "03_confidently_wrong.ipynb"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def hub_missing_reason() -> str | None:
    """Why the hub cannot run here, or None."""
    if not JUPYTERHUB.exists():
        return (f"{JUPYTERHUB} is missing: install requirements-dev.txt "
                "(`make setup-dev`, which pins jupyterhub)")
    if shutil.which("node") is None:
        return ("Node.js is missing (configurable-http-proxy runs on it): "
                "apt-get install -y nodejs npm")
    if not CHP.exists():
        return (f"{CHP.relative_to(REPO)} is missing: `make test` installs it from npm "
                "(or run `npm ci` in deploy/hub)")
    return None


def voila_path(user: str, notebook: str = EXPLORER_NOTEBOOK) -> str:
    return f"/user/{quote(user)}/voila/render/{notebook}"


def nbgitpuller_path(repo: str, branch: str | None, urlpath: str,
                     targetpath: str = "lossviz") -> str:
    """The hub-relative nbgitpuller link of deploy/README.md: log in, start the learner's
    server, clone (or update) ``repo`` into ``~/targetpath``, then open ``urlpath``."""
    query = {"repo": repo, "targetpath": targetpath, "urlpath": urlpath}
    if branch:
        query["branch"] = branch
    return "/hub/user-redirect/git-pull?" + urlencode(query)


class Hub(h.Server):
    """``jupyterhub -f deploy/hub/jupyterhub_config.py`` on a free loopback port, its state in
    ``state_dir``; ``stop()`` stops every learner's server and then the hub (and its proxy)."""

    def __init__(self, state_dir: Path, notebooks: Path | None = None):
        self.state_dir = Path(state_dir)
        self.name, self.port = "jupyterhub", h.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = "trial-" + secrets.token_hex(8)
        self.api_token = secrets.token_hex(24)
        logs = self.state_dir / "logs"
        env = h.server_env(logs)
        env.update({
            "LOSSVIZ_HUB_STATE": str(self.state_dir),
            "LOSSVIZ_HUB_PORT": str(self.port),
            "LOSSVIZ_HUB_PASSWORD": self.password,
            "LOSSVIZ_HUB_API_TOKEN": self.api_token,
            "LOSSVIZ_HUB_NOTEBOOKS": str(notebooks or h.NOTEBOOKS),
        })
        self.log_path = logs / "jupyterhub.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(JUPYTERHUB), "-f", str(CONFIG)], cwd=self.state_dir, env=env,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def home(self, user: str) -> Path:
        return self.state_dir / "home" / user

    # --- the REST API, with the service token ----------------------------------------------------
    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}", data=data, method=method,
            headers={"Authorization": f"token {self.api_token}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode(errors="replace")

    def server_model(self, user: str) -> dict | None:
        status, model = self.api("GET", f"/users/{quote(user)}")
        assert status == 200, f"GET /users/{user}: {status} {model}"
        return model["servers"].get("")

    def wait_server(self, user: str, ready: bool, timeout: float = 300) -> dict | None:
        """Wait until ``user``'s server is ready (or, with ``ready=False``, gone)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.server_model(user)
            if ready and model and model.get("ready"):
                return model
            if not ready and not model:
                return None
            time.sleep(0.25)
        raise TimeoutError(f"{user}'s server not {'ready' if ready else 'stopped'} after "
                           f"{timeout:.0f} s:\n{self.log_tail()}")

    def start_server(self, user: str) -> dict:
        status, body = self.api("POST", f"/users/{quote(user)}/server")
        assert status in (201, 202), f"starting {user}'s server: {status} {body}"
        return self.wait_server(user, ready=True)

    def stop_server(self, user: str) -> None:
        status, body = self.api("DELETE", f"/users/{quote(user)}/server")
        assert status in (202, 204), f"stopping {user}'s server: {status} {body}"
        self.wait_server(user, ready=False)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                status, users = self.api("GET", "/users")
                users = users if status == 200 else []
                running = [u["name"] for u in users if u["servers"].get("")]
                for user in running:
                    self.api("DELETE", f"/users/{quote(user)}/server")
                for user in running:
                    self.wait_server(user, ready=False, timeout=60)
            except (OSError, TimeoutError, AssertionError):
                pass  # the hub's cleanup_servers still stops them when it gets SIGTERM
        super().stop()


def start_hub(state_dir: Path, notebooks: Path | None = None, timeout: float = 90) -> Hub:
    """A running hub on 127.0.0.1."""
    hub = Hub(state_dir, notebooks)
    hub.wait_ready("/hub/api/", timeout=timeout)
    return hub


# --- the browser side -----------------------------------------------------------------------------
class OffNetworkGuard:
    """Aborts every request of a browser context that leaves the loopback interface, and keeps
    the list (a page of the course must load everything from the hub itself)."""

    def __init__(self, context):
        self.aborted: list[str] = []
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in {
            host.strip("[]") for host in LOOPBACK_HOSTS
        }:
            self.aborted.append(url)
            route.abort("internetdisconnected")
        else:
            route.continue_()


def log_in(page, hub: Hub, user: str, next_path: str, password: str | None = None) -> None:
    """Fill in and submit the hub's login form; ``next_path`` is where the hub sends the learner."""
    page.goto(f"{hub.url}/hub/login?next={quote(next_path)}", wait_until="load", timeout=60_000)
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password if password is None else password)
    page.click("#login_submit")


def wait_for_explorer(page, timeout: float = 300, hub: Hub | None = None, user: str = "",
                      grace: float = 20.0):
    """Wait until the Voila page shows the explorer with a readable picture; returns its root.

    With ``hub`` and ``user``: JupyterHub's "server starting" page now and then does not move on
    by itself on a busy machine although the server is up (seen with ten learners spawning at
    once); after ``grace`` seconds of that the page is reloaded, as a learner would."""
    from playwright.sync_api import Error as PlaywrightError

    def pictures() -> int:
        try:
            return page.locator("img.widget-image").count()
        except PlaywrightError:  # the page is navigating (login, spawn, OAuth redirects)
            return 0

    deadline = time.monotonic() + timeout
    up_since = None
    while pictures() == 0:
        if time.monotonic() > deadline:
            raise AssertionError(f"no explorer picture after {timeout:.0f} s on {page.url}")
        if hub is not None and "/hub/spawn-pending/" in page.url:
            model = hub.server_model(user)
            if model and model.get("ready"):
                up_since = up_since or time.monotonic()
                if time.monotonic() - up_since > grace:
                    page.reload()
                    up_since = None
        page.wait_for_timeout(500)
    h.wait_stable_count(page, "img.widget-image", timeout=timeout)
    roots = h.explorer_roots(page)
    assert roots.count() >= 1, f"no explorer on {page.url}"
    root = roots.first
    h.read_state(root, timeout=60)
    return root


def move_slider(root, key: str = "ArrowLeft", times: int = 3) -> tuple[dict, dict]:
    """Press ``key`` on the first slider; returns (state before, state after it settled)."""
    before = h.read_state(root)
    handle = h.sliders(root).first.locator(".noUi-handle")
    h.press(handle, key, times)
    after = h.wait_settled(root, before, timeout=60)
    return before, after


def learner_processes(user: str):
    """psutil processes of ``user``'s single-user server and everything it started (kernels)."""
    import psutil

    for proc in psutil.process_iter(["cmdline"]):
        try:
            cmd = " ".join(proc.info["cmdline"] or [])
            if "jupyterhub-singleuser" in cmd and proc.environ().get("JUPYTERHUB_USER") == user:
                return [proc, *proc.children(recursive=True)]
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return []

