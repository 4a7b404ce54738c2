"""Serve the dashboards to a room of learners (`make classroom`).

    python tools/classroom.py [--host 127.0.0.1] [--port 8866] [--pool 03_confidently_wrong=10]
                              [--max-kernels N] [--cull-idle-minutes 20]

This is Voila (`make explore`) with what a room needs, all from Voila and jupyter_server options:

- **Preheated kernels, per notebook.** Each learner's page needs a kernel that has run the notebook.
  Voila can keep a pool of kernels that already have (``kernel_pools_config``): a learner who
  arrives takes one and sees the sliders at once. Pools are sized per notebook, so the explorer
  notebooks are warm and the heavy ones are not (a global ``pool_size`` would start one pool per
  notebook: 10 notebooks x 10 = 100 kernels). A taken kernel is replaced after ``--refill-delay``
  seconds, so refills do not compete with a room that is arriving.
- **Limits.** At most ``--max-kernels`` kernels live at once (warm ones included), so a room
  cannot exhaust the machine's memory; a learner past the cap gets a clear "the room is full"
  page (HTTP 503), never a hang. A tab that closes or reloads shuts its kernel down (Voila's
  beacon, see set_xsrf_cookie_on_pages); kernels idle for ``--cull-idle-minutes`` (5) whose page
  is gone without that (a crash, a lost network) are shut down too.
- **A ready line.** Once every pool is full it prints one line containing ``ready for``.
- **Authentication beyond this machine.** On 127.0.0.1 no token is needed. Any other ``--host``
  (e.g. ``HOST=0.0.0.0``) is an explicit opt-in and always requires a token, generated and printed
  once (or taken from ``LOSSVIZ_CLASSROOM_TOKEN``): without it a request gets the login page or 403.

Voila runs in this process. The cap and the "serve ready kernels first" rule are a thin subclass
of the kernel manager that Voila builds for preheating (``voila_kernel_manager_factory``); Voila
is pinned below 0.6 and tests/browser/test_classroom.py checks that the hook still takes.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import secrets
import sys
import weakref
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import present  # noqa: E402  (tools/present.py: lossviz's Voila templates)

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
# Kernels kept warm per notebook by default: the explorer notebooks a teacher opens in class.
# Notebooks not listed get no pool (their pages start a kernel when opened, as `make explore`).
DEFAULT_POOLS = {
    "index.ipynb": 1,
    "00_start_here.ipynb": 2,
    "01_mse_house_prices.ipynb": 2,
    "02_cross_entropy_cat_dog_bird.ipynb": 2,
    "03_confidently_wrong.ipynb": 6,
}
# How long Voila waits for a cell's output once the kernel has replied (nbclient's default is 4 s).
IOPUB_TIMEOUT_S = 120
# A learner's kernel with notebook 03 open holds about 120 MB (benchmarks/bench_classroom.py).
KERNEL_MB = 150
LOOPBACK_NAMES = {"localhost"}
READY_MARK = "ready for"
ROOM_FULL = (
    "The room is full: this server already runs {n} of its {cap} kernels. Close a dashboard tab "
    "you no longer use, or wait a minute and reload. (Teacher: start it with a larger "
    "--max-kernels, e.g. make classroom MAX_KERNELS=..., if the machine has the memory.)"
)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def needs_token(host: str, require_token: bool = False) -> bool:
    """A token is required on every address but loopback (and on loopback when asked)."""
    return require_token or not is_loopback(host)


def default_max_kernels() -> int:
    """Half the machine's memory at KERNEL_MB per kernel, between 4 and 100."""
    try:
        total_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (ValueError, OSError, AttributeError):
        return 20
    return int(min(100, max(4, total_mb * 0.5 / KERNEL_MB)))


def parse_pools(items: list[str], nb_dir: Path, *, defaults: bool = True) -> dict[str, int]:
    """``["03_confidently_wrong=10", ...]`` on top of DEFAULT_POOLS (unless ``defaults`` is
    false), checked against ``nb_dir``."""
    pools = {name: n for name, n in DEFAULT_POOLS.items()
             if defaults and (nb_dir / name).is_file()}
    for item in items:
        name, sep, size = item.partition("=")
        if not sep or not size.strip().isdigit():
            raise SystemExit(f"--pool {item!r}: write NOTEBOOK=SIZE, "
                             "e.g. --pool 03_confidently_wrong=10")
        name = name.strip()
        if not name.endswith(".ipynb"):
            name += ".ipynb"
        if not (nb_dir / name).is_file():
            names = ", ".join(sorted(p.stem for p in nb_dir.glob("*.ipynb")))
            raise SystemExit(f"--pool {item!r}: there is no {name} in {nb_dir}; use one of {names}")
        pools[name] = int(size)
    return {name: n for name, n in pools.items() if n > 0}


def sort_pool(pool: list) -> dict[str, list]:
    """Voila's pool entries for one notebook, by state.

    An entry is a task that starts a kernel; its result holds the ``task`` that runs the notebook
    in that kernel. ``ready``: the notebook has run. ``warming``: it is running. ``pending``: the
    kernel is not started yet. ``failed``: the kernel did not start, or running the notebook
    raised (the kernel never became ready, say). A failed entry must never be handed out: its page
    would stop right after its head, with no kernel and no error.
    """
    groups: dict[str, list] = {"ready": [], "warming": [], "pending": [], "failed": []}
    for entry in pool:
        if not entry.done():
            groups["pending"].append(entry)
        elif entry.cancelled() or entry.exception() is not None:
            groups["failed"].append(entry)
        else:
            render = entry.result()["task"]
            if not render.done():
                groups["warming"].append(entry)
            elif render.cancelled() or render.exception() is not None:
                groups["failed"].append(entry)
            else:
                groups["ready"].append(entry)
    return groups


def install_classroom_kernel_manager(max_kernels: int, pools: dict[str, int], announce) -> None:
    """Make Voila build its preheating kernel manager with the room's rules on top.

    Voila builds its kernel manager class with ``voila.app.voila_kernel_manager_factory``; this
    wraps that factory, so Voila's own pooling code runs unchanged underneath.
    """
    import voila.app
    from tornado import web
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    def factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
        voila_class = voila_kernel_manager_factory(
            base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook
        )

        class ClassroomKernelManager(voila_class):
            """Voila's kernel manager with a cap on live kernels and ready kernels served first."""

            _starting = 0
            _announced = False

            def __init__(self, **kwargs):
                # pool entries whose end is watched until the room is announced (set before
                # Voila's __init__, which fills the pools)
                self._watched = weakref.WeakSet()
                super().__init__(**kwargs)

            def _live(self) -> int:
                return len(self.list_kernel_ids()) + self._starting

            async def start_kernel(self, *args, **kwargs):
                env = kwargs.get("env") or {}
                refill = env.get("VOILA_PREHEAT") == "True"
                if refill:
                    # A pool refill waits for room rather than failing: a failed pool entry
                    # would be handed to the next learner as an error.
                    while self._live() >= max_kernels:
                        await asyncio.sleep(1.0)
                elif self._live() >= max_kernels:
                    n = self._live()
                    self.log.warning("room full: %d of %d kernels; refusing a page", n, max_kernels)
                    raise web.HTTPError(503, ROOM_FULL.format(n=n, cap=max_kernels),
                                        reason="The room is full")
                self._starting += 1
                try:
                    return await super().start_kernel(*args, **kwargs)
                finally:
                    self._starting -= 1

            def _ready_tasks(self, notebook_name: str) -> list:
                """Pool entries whose kernel has started *and* run the notebook."""
                return sort_pool(self._pools.get(notebook_name, []))["ready"]

            def _drop_failed(self, notebook_name: str) -> None:
                """Take failed entries out of the pool, shut their kernels down and refill them
                (after --refill-delay, so a notebook whose kernels always fail cannot spin)."""
                pool = self._pools.get(notebook_name, [])
                failed = sort_pool(pool)["failed"]
                if not failed:
                    return
                for entry in failed:
                    pool.remove(entry)
                    started = not entry.cancelled() and entry.exception() is None
                    # what failed: the kernel's start, or the notebook's run in it
                    failure = entry.result()["task"] if started else entry
                    reason = "cancelled" if failure.cancelled() else repr(failure.exception())
                    if started and entry.result()["kernel_id"] in self:
                        asyncio.ensure_future(self._shutdown_quietly(entry.result()["kernel_id"]))
                    self.log.warning("a warm kernel for %s failed (%s); it is replaced",
                                     notebook_name, reason)
                self.fill_if_needed(notebook_name=notebook_name)

            async def _shutdown_quietly(self, kernel_id: str) -> None:
                try:
                    await self.shutdown_kernel(kernel_id)
                except Exception as exc:  # already gone
                    self.log.debug("shutting down %s: %r", kernel_id, exc)

            def get_pool_size(self, notebook_name: str) -> int:
                # Kernels that have run the notebook count. While there is room, a learner never
                # waits behind a kernel that is still warming up (a fresh kernel is as quick);
                # at the cap, a warming kernel beats "the room is full".
                self._drop_failed(notebook_name)
                groups = sort_pool(self._pools.get(notebook_name, []))
                if groups["ready"] or self._live() < max_kernels:
                    return len(groups["ready"])
                return len(groups["warming"])

            async def get_rendered_notebook(self, notebook_name: str, *args, **kwargs):
                self._drop_failed(notebook_name)
                pool = self._pools.get(notebook_name, [])
                # Voila takes pool[0]: ready kernels first, then warming ones, then pending ones.
                groups = sort_pool(pool)
                pool[:] = groups["ready"] + groups["warming"] + groups["pending"]
                return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

            def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
                super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)
                if not self._announced:
                    for entry in self._pools.get(notebook_name, []):
                        if entry not in self._watched:
                            self._watched.add(entry)
                            entry.add_done_callback(self._watch_render)

            def _watch_render(self, entry) -> None:
                if not entry.cancelled() and entry.exception() is None:
                    entry.result()["task"].add_done_callback(lambda _t: self._render_done())
                else:
                    self._render_done()

            def _render_done(self) -> None:
                # a kernel that failed before the room is announced is replaced, and the ready
                # line waits for its replacement
                for name in list(self._pools):
                    self._drop_failed(name)
                self._check_ready()

            def _check_ready(self) -> None:
                if self._announced:
                    return
                ready = {name: len(self._ready_tasks(name)) for name in pools}
                if all(ready[name] >= size for name, size in pools.items()):
                    self._announced = True
                    announce(ready)

        return ClassroomKernelManager

    voila.app.voila_kernel_manager_factory = factory


def set_xsrf_cookie_on_pages() -> None:
    """Give every page Voila's _xsrf cookie, so that closing the tab shuts its kernel down.

    Voila's page sends a beacon on "beforeunload" that asks the server to shut the page's kernel
    down, with the page's _xsrf cookie as its XSRF token. Voila's page handler never sets that
    cookie, so the server refused the beacon (403) and every closed or reloaded tab kept its
    kernel until culling, counting against --max-kernels. Reading the handler's ``xsrf_token``
    sets it. (`make explore` and the hub do the same with a prelaunch hook in
    deploy/jupyter-config/voila.py; a prelaunch hook cannot be combined with warm kernels.)
    """
    from voila.handler import VoilaHandler

    prepare = VoilaHandler.prepare

    async def prepare_with_xsrf_cookie(self, *args, **kwargs):
        result = await prepare(self, *args, **kwargs)
        if not self._finished:  # not redirected to the login page
            self.xsrf_token  # noqa: B018 - read for its side effect: the _xsrf cookie
        return result

    VoilaHandler.prepare = prepare_with_xsrf_cookie


def voila_argv(args, pools: dict[str, int], token: str | None) -> list[str]:
    pools_config = {"default": {"pool_size": 0}}
    pools_config.update({name: {"pool_size": n} for name, n in pools.items()})
    argv = [
        str(args.notebook_dir), "--no-browser", f"--port={args.port}", f"--Voila.ip={args.host}",
        f"--Voila.root_dir={args.notebook_dir}",
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaKernelManager.kernel_pools_config={pools_config!r}",
        f"--VoilaKernelManager.fill_delay={args.refill_delay}",
        # Culling: kernels whose page is closed and that sat idle are shut down; pooled kernels
        # are never culled (Voila protects them).
        f"--MappingKernelManager.cull_idle_timeout={int(args.cull_idle_minutes * 60)}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, int(args.cull_idle_minutes * 60)))}",
        "--MappingKernelManager.cull_connected=False",
        "--KernelManager.shutdown_wait_time=1",
        # A room's pools warm many kernels at once, and the server then reads their output late:
        # with nbclient's default of 4 s after a cell's reply, a warm kernel's page lost the
        # explorer's output (the widget view) without any error, "Timeout waiting for IOPub
        # output" in the log (2 of 10 pages with 30 kernels warming; benchmarks/bench_classroom.py).
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_S}",
        "--VoilaConfiguration.template=lossviz-lab",
        # The front-end extensions a dashboard does not load (deploy/jupyter-config/voila.json).
        present.EXTENSION_DENYLIST,
    ]
    argv.append(f"--Voila.token={token}" if token else "--Voila.token=")
    return argv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on; anything but loopback requires a token")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--notebook-dir", type=Path, default=NOTEBOOKS)
    parser.add_argument("--pool", action="append", default=[], metavar="NOTEBOOK=SIZE",
                        help="warm kernels for a notebook, e.g. 03_confidently_wrong=30 (defaults: "
                             + ", ".join(f"{k[:-6]}={v}" for k, v in DEFAULT_POOLS.items()) + ")")
    parser.add_argument("--max-kernels", type=int, default=None,
                        help="cap on live kernels, warm ones included (default: half the "
                             f"machine's memory at {KERNEL_MB} MB per kernel)")
    # A tab that closes shuts its kernel down; one that vanishes without unloading (a crash, a
    # lost network) leaves a disconnected kernel until culling. Kernels with an open page are
    # never culled, so a short timeout costs nothing to a learner who stays (a laptop asleep for
    # longer gets a new kernel on reload).
    parser.add_argument("--cull-idle-minutes", type=float, default=5.0,
                        help="shut down kernels whose page is closed after this many idle minutes")
    parser.add_argument("--refill-delay", type=float, default=20.0,
                        help="seconds before a taken warm kernel is replaced")
    parser.add_argument("--no-default-pools", action="store_true",
                        help="warm only the notebooks named with --pool")
    parser.add_argument("--require-token", action="store_true",
                        help="require a token even on 127.0.0.1 (always on for other hosts)")
    args = parser.parse_args(argv)
    args.notebook_dir = args.notebook_dir.resolve()

    pools = parse_pools(args.pool, args.notebook_dir, defaults=not args.no_default_pools)
    max_kernels = args.max_kernels or default_max_kernels()
    if sum(pools.values()) > max_kernels:
        raise SystemExit(f"the pools hold {sum(pools.values())} warm kernels, more than "
                         f"--max-kernels {max_kernels}: shrink a --pool or raise --max-kernels")

    token = None
    if needs_token(args.host, args.require_token):
        token = os.environ.get("LOSSVIZ_CLASSROOM_TOKEN") or secrets.token_urlsafe(18)
        if len(token) < 12:
            raise SystemExit("LOSSVIZ_CLASSROOM_TOKEN is too short: use at least 12 characters")

    shown_host = "127.0.0.1" if is_loopback(args.host) else (
        "<this machine's address>" if args.host in ("0.0.0.0", "::") else args.host)
    landing = f"http://{shown_host}:{args.port}/voila/render/index.ipynb"

    def announce(ready: dict[str, int]) -> None:
        rooms = ", ".join(f"{n} on {name[:-6]}" for name, n in ready.items())
        print(f"lossviz classroom: ready for learners ({rooms} warm; "
              f"at most {max_kernels} kernels)", flush=True)

    if token:
        print("lossviz classroom: learners need this token "
              f"(shown once): {token}\n  Learners open {landing}?token={token}", flush=True)
    else:
        print(f"lossviz classroom: learners on this machine open {landing}", flush=True)
    print(f"lossviz classroom: warming {sum(pools.values())} kernels "
          f"({', '.join(f'{k[:-6]}={v}' for k, v in pools.items())}); max {max_kernels} kernels, "
          f"idle kernels closed after {args.cull_idle_minutes:g} min", flush=True)
    if not pools:
        announce({})

    install_classroom_kernel_manager(max_kernels, pools, announce)
    set_xsrf_cookie_on_pages()
    from voila.app import Voila

    # lossviz's templates (the room's error page among them), found through JUPYTER_PATH.
    present.build_templates(present.DATA_DIR)
    os.environ.update(present.environment(present.DATA_DIR))
    Voila.launch_instance(argv=voila_argv(args, pools, token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
