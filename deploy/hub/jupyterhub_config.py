"""JupyterHub configuration for a LOCAL TRIAL of the collection on one machine (`make hub`).

FOR LOCAL TRIALS ONLY. Every learner's server runs as the same system user as the hub, and one
shared password lets anybody in under any name: there is no isolation between learners beyond the
hub's own access checks. For a real course use Zero to JupyterHub or The Littlest JupyterHub (see
deploy/README.md), which give every learner a separate container or system user.

What it sets up, all on 127.0.0.1:

- the hub behind configurable-http-proxy (from npm, installed into deploy/hub/node_modules by
  `make hub` / `make test`), the proxy listening on ``LOSSVIZ_HUB_PORT``;
- ``SharedPasswordAuthenticator`` (JupyterHub's dummy authenticator with one shared password,
  the replacement of ``DummyAuthenticator.password``): any user name, the password in
  ``LOSSVIZ_HUB_PASSWORD``;
- ``SimpleLocalProcessSpawner``: each learner's single-user Jupyter server is a local process with
  its home in ``LOSSVIZ_HUB_STATE/home/<name>``. Before each start the course notebooks are copied
  into that home, each one only if the learner has no file of that name yet, so a learner's edits
  and own files survive a restart (like nbgitpuller, which never overwrites a learner's change).
  Voila runs inside every learner's server: ``/user/<name>/voila/render/03_confidently_wrong.ipynb``.

Environment variables (the Makefile and the tests set them):

    LOSSVIZ_HUB_STATE     folder for the hub database, cookie secret, logs and learners' homes
    LOSSVIZ_HUB_PORT      the port learners open (default 8000)
    LOSSVIZ_HUB_PASSWORD  the shared password (at least 8 characters)
    LOSSVIZ_HUB_API_TOKEN optional: registers a service "lossviz-admin" with this token and the
                          right to start, stop and open every server (used by tests/benchmarks)
    LOSSVIZ_HUB_NOTEBOOKS optional: folder of notebooks to hand out (default: notebooks/)
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DEPLOY = HERE.parent
VENV_BIN = Path(sys.executable).parent
CHP = HERE / "node_modules" / ".bin" / "configurable-http-proxy"


def _setting(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise SystemExit(
            f"jupyterhub_config.py: the environment variable {name} is not set. "
            "Start the local hub with `make hub` (it sets LOSSVIZ_HUB_STATE, LOSSVIZ_HUB_PORT "
            "and LOSSVIZ_HUB_PASSWORD), or set them yourself."
        )
    return value


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STATE = Path(_setting("LOSSVIZ_HUB_STATE")).resolve()
PORT = int(_setting("LOSSVIZ_HUB_PORT", "8000"))
PASSWORD = _setting("LOSSVIZ_HUB_PASSWORD")
NOTEBOOKS = Path(os.environ.get("LOSSVIZ_HUB_NOTEBOOKS") or REPO / "notebooks").resolve()
HOMES = STATE / "home"

if not CHP.exists():
    raise SystemExit(
        f"jupyterhub_config.py: {CHP} is missing. Install configurable-http-proxy from npm with "
        "`make hub` (or `cd deploy/hub && npm ci`); it needs Node.js and npm "
        "(`apt-get install -y nodejs npm`)."
    )
if not NOTEBOOKS.is_dir():
    raise SystemExit(f"jupyterhub_config.py: no notebook folder at {NOTEBOOKS}")
HOMES.mkdir(parents=True, exist_ok=True)

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

# --- the hub and its proxy, loopback only ---------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = _free_port()
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.command = [str(CHP)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
# Stopping the hub stops the learners' servers too: nothing keeps running after `make hub` ends.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
# A link into a learner's server (an nbgitpuller link, /user/NAME/voila/render/...) starts that
# server when it is not running, instead of showing a "Launch Server" button first.
c.JupyterHub.implicit_spawn_seconds = 0.5

# --- who may log in: anyone, with the shared password (LOCAL TRIALS ONLY) -------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = PASSWORD
c.Authenticator.allow_all = True

token = os.environ.get("LOSSVIZ_HUB_API_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "lossviz-admin", "api_token": token}]
    c.JupyterHub.load_roles = [{
        "name": "lossviz-admin",
        "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"],
        "services": ["lossviz-admin"],
    }]

# --- each learner's server ------------------------------------------------------------------------
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.args = [
    # Jupyter Server refuses to run as root without this; the trial runs as whoever starts it.
    *(["--allow-root"] if os.geteuid() == 0 else []),
    # Kernels of closed pages and idle learners are shut down (as on a real hub with culling).
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=120",
]
c.Spawner.default_url = "/lab/tree/00_start_here.ipynb"
# The same Python environment as the hub (this checkout's .venv, where lossviz is installed);
# MPLBACKEND is deliberately not passed on (an inherited Agg would hide inline figures).
c.Spawner.env_keep = ["PATH", "PYTHONPATH", "VIRTUAL_ENV", "LANG", "LC_ALL"]
c.Spawner.environment = {
    "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
    # deploy/jupyter-config/voila.json and the "lossviz" Voila template in deploy/jupyter-data:
    # what every learner's server needs (a hub image copies both into /etc/jupyter and
    # /usr/local/share/jupyter; see deploy/Dockerfile).
    "JUPYTER_CONFIG_PATH": str(DEPLOY / "jupyter-config"),
    "JUPYTER_PATH": str(DEPLOY / "jupyter-data"),
}
# Ten servers starting at once on two cores take a while: do not give up on them early.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300


def copy_course_notebooks(spawner) -> None:
    """Put the course notebooks into the learner's home, never overwriting a file they have."""
    home = Path(spawner.home_dir)
    home.mkdir(parents=True, exist_ok=True)
    for src in sorted(NOTEBOOKS.glob("*.ipynb")):
        dest = home / src.name
        if not dest.exists():
            shutil.copy2(src, dest)


c.Spawner.pre_spawn_hook = copy_course_notebooks
