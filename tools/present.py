"""Serve one notebook as a reveal.js slide deck with live sliders, fully offline (`make present`).

    python tools/present.py notebooks/03_confidently_wrong.ipynb [--port 8870]

The deck is Voila's ``reveal`` template (code hidden, widgets live, the slide metadata on every
cell drives the slides) through lossviz's own template, ``tools/voila_templates/lossviz-reveal``,
which takes every asset from the Voila server itself instead of a CDN:

- reveal.js's CSS and themes from the ``sphinx-revealjs`` package (reveal.js 5.2, MIT),
- Font Awesome from ``XStatic-Font-Awesome``, jQuery from ``XStatic-jQuery``,
- the maths is typeset by the MathJax that Voila's JupyterLab renderers bundle.

The assets are copied out of those installed (pinned) packages into a template folder made at
start-up, so nothing here depends on the network, and nothing is vendored into this repository.
It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

TEMPLATE_NAME = "lossviz-reveal"
# Where `make present` and `make classroom` write lossviz's Voila templates (rebuilt at every
# start, inside the virtualenv, so nothing piles up in /tmp).
DATA_DIR = Path(sys.prefix) / "share" / "lossviz-voila"
TEMPLATE_SRC = Path(__file__).resolve().parent / "voila_templates" / TEMPLATE_NAME
# The dashboards' page (Voila's lab template without its two CDN links): one file, shared by
# `make explore`, the hub (deploy/) and the classroom's lossviz-lab template.
LAB_PAGE_SRC = (Path(__file__).resolve().parents[1] / "deploy" / "jupyter-data" / "voila"
                / "templates" / "lossviz" / "index.html.j2")
# Beside it: the script that redraws a widget output a busy page failed to draw (deck too).
RECOVERY_FILE = "widget_recovery.html.j2"
# Voila's settings for every dashboard page, `make explore`, `make present`, `make classroom` and
# the hub alike. Its extension_denylist keeps front-end extensions out of Voila pages: Notebook 7's
# cannot load inside Voila; RISE is JupyterLab's slideshow and ipympl's canvas is for %matplotlib
# widget, which no notebook uses.
VOILA_SETTINGS = Path(__file__).resolve().parents[1] / "deploy" / "jupyter-config" / "voila.json"
# Voila run on its own (`make explore`, `make present`, `make classroom`) also leaves out the
# MathJax 3 extension (jupyterlab-rise's dependency): Voila's bundle typesets maths with its own
# MathJax 3 there, so the extension was a second copy (an 817 KB chunk). Inside a Jupyter server
# (the hub, `make lab`) Voila's page is given the server's MathJax URL and would fetch MathJax 2
# from a CDN without it.
STANDALONE_DENYLIST = ["@jupyterlab/mathjax3-extension"]


def extension_denylist(standalone: bool = True) -> list[str]:
    """The front-end extensions kept out of Voila pages (``VOILA_SETTINGS``, plus
    ``STANDALONE_DENYLIST`` for a Voila server of its own)."""
    settings = json.loads(VOILA_SETTINGS.read_text())
    names = list(settings["VoilaConfiguration"]["extension_denylist"])
    return names + (STANDALONE_DENYLIST if standalone else [])


# traitlets reads a List option given as a Python literal.
EXTENSION_DENYLIST = f"--VoilaConfiguration.extension_denylist={extension_denylist()!r}"
# The environment of every dashboard's kernel. ipywidgets 8 answers each slider update from the
# page with an "echo_update" message back to it, which only matters when several pages show the
# same widget (JupyterLab's "new view for output"); a Voila page is the only view of its kernel's
# widgets. Without the echo a slider move costs the kernel and the server one message fewer (of
# five); with 29 learners dragging, that is about 1 ms of the 14 ms of CPU a move costs
# (benchmarks/bench_classroom.py, README "Teach a class").
KERNEL_ENV = {"JUPYTER_WIDGETS_ECHO": "0"}


class MissingAsset(RuntimeError):
    """A package that provides the deck's assets is not installed."""


def _package_dir(module: str, attr: str | None, pip_name: str) -> Path:
    try:
        mod = __import__(module, fromlist=["_"])
    except ImportError as exc:
        raise MissingAsset(
            f"the slide deck needs {pip_name} for its offline assets, and it is not installed: "
            f"run `make setup` (or `pip install -r requirements.txt -c constraints.txt`)"
        ) from exc
    return Path(getattr(mod, attr) if attr else Path(mod.__file__).parent)


def asset_sources() -> dict[str, Path]:
    """Where each group of assets lives in the installed packages."""
    revealjs = _package_dir("sphinx_revealjs", None, "sphinx-revealjs") / "_static" / "revealjs"
    return {
        "reveal": revealjs,
        "fontawesome": _package_dir("xstatic.pkg.font_awesome", "BASE_DIR", "XStatic-Font-Awesome"),
        "jquery": _package_dir("xstatic.pkg.jquery", "BASE_DIR", "XStatic-jQuery"),
    }


def build_templates(data_dir: Path) -> Path:
    """Write lossviz's Voila templates into ``<data_dir>/voila/templates/``: ``lossviz-reveal``
    (the deck, with its static assets) and ``lossviz-lab`` (the classroom's dashboards: Voila's
    lab template without its CDN links, ``LAB_PAGE_SRC``, with a clear error page).

    ``data_dir`` is then put on ``JUPYTER_PATH`` so that Voila finds the templates by name.
    Returns the deck's template folder.
    """
    sources = asset_sources()
    templates = Path(data_dir) / "voila" / "templates"
    for src in TEMPLATE_SRC.parent.iterdir():
        if src.is_dir():
            if (templates / src.name).exists():
                shutil.rmtree(templates / src.name)
            shutil.copytree(src, templates / src.name)
    # the page, the list of scripts it preloads (preload.html.j2, tools/voila_preload.py) and the
    # redraw of widget outputs that a busy page failed to draw (widget_recovery.html.j2, which
    # the deck uses too)
    for page_file in LAB_PAGE_SRC.parent.glob("*.j2"):
        shutil.copy(page_file, templates / "lossviz-lab" / page_file.name)
    dest = templates / TEMPLATE_NAME
    shutil.copy(LAB_PAGE_SRC.parent / RECOVERY_FILE, dest / RECOVERY_FILE)
    static = dest / "static"
    # reveal.js: dist/ (reveal.css, theme/white.css and the theme's fonts) and its licence.
    shutil.copytree(sources["reveal"] / "dist", static / "reveal" / "dist",
                    ignore=shutil.ignore_patterns("*.map", "*.esm.js"))
    shutil.copy(sources["reveal"] / "LICENSE", static / "reveal" / "LICENSE")
    shutil.copytree(sources["fontawesome"] / "css", static / "fontawesome" / "css")
    shutil.copytree(sources["fontawesome"] / "webfonts", static / "fontawesome" / "webfonts")
    (static / "jquery").mkdir(parents=True)
    shutil.copy(sources["jquery"] / "jquery.min.js", static / "jquery" / "jquery.min.js")
    missing = [p for p in ("reveal/dist/reveal.css", "reveal/dist/theme/white.css",
                           "fontawesome/css/all.min.css", "jquery/jquery.min.js")
               if not (static / p).is_file()]
    if missing:
        raise MissingAsset(f"the installed asset packages lack {missing}: reinstall them with "
                           "`pip install -r requirements.txt -c constraints.txt`")
    return dest


def reveal_resources(base_url: str = "/") -> dict:
    """nbconvert's ``resources.reveal`` for the deck: local reveal.js, fade, scrolling slides."""
    return {
        "reveal": {
            "url_prefix": f"{base_url}voila/templates/{TEMPLATE_NAME}/static/reveal",
            "theme": "white",
            "transition": "fade",
            # Explorer slides can be taller than the 700 px slide: let them scroll.
            "scroll": True,
        }
    }


def voila_command(notebook: Path, port: int, *, python: str = sys.executable) -> list[str]:
    """The Voila command line that serves ``notebook`` as a deck on 127.0.0.1:``port``."""
    return [
        python, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", f"--template={TEMPLATE_NAME}",
        # traitlets reads a Dict option as a Python literal (True, not JSON's true).
        f"--VoilaConfiguration.resources={reveal_resources()!r}",
        EXTENSION_DENYLIST,
    ]


def environment(data_dir: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with ``data_dir`` first on JUPYTER_PATH, and the
    dashboard kernels' settings (``KERNEL_ENV``)."""
    env = dict(os.environ if env is None else env)
    env.update(KERNEL_ENV)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data_dir), env.get("JUPYTER_PATH")]))
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path, help="the notebook to present, e.g. "
                        "notebooks/03_confidently_wrong.ipynb")
    parser.add_argument("--port", type=int, default=8870)
    args = parser.parse_args(argv)
    # NB=03_confidently_wrong, 03_confidently_wrong.ipynb or notebooks/03_confidently_wrong.ipynb
    name = args.notebook
    candidates = [name, Path("notebooks") / name]
    candidates += [p.with_name(p.name + ".ipynb") for p in candidates if p.suffix != ".ipynb"]
    notebook = next((p for p in candidates if p.is_file()), name)
    if not notebook.is_file():
        names = sorted(p.stem for p in Path("notebooks").glob("[0-9]*.ipynb"))
        parser.error(f"no notebook {args.notebook}: use one of {', '.join(names)} "
                     "(e.g. make present NB=03_confidently_wrong)")
    try:
        build_templates(DATA_DIR)
    except MissingAsset as exc:
        print(f"make present: {exc}", file=sys.stderr)
        return 2
    print(f"Slides of {notebook.name}: http://127.0.0.1:{args.port}/  "
          "(arrow keys or space to move between slides; Tab to a slider, then arrow keys)",
          flush=True)
    # Voila runs in this process (Ctrl+C or a signal stops it and its kernel); it finds the
    # lossviz-reveal template through JUPYTER_PATH.
    os.environ.update(environment(DATA_DIR))
    from voila.app import Voila

    Voila.launch_instance(argv=voila_command(notebook, args.port)[3:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
