"""Fixtures for the real-browser tests: servers on 127.0.0.1, Debian's Chromium, page error checks.

Which notebooks are tested: ``--notebook-dir DIR`` if given, else ``notebooks/`` once it holds a
notebook with an explorer, else a small stand-in set written to a temporary folder (it obeys the
same explorer contract, so the tests themselves are exercised before the real notebooks exist).

One Voila server and one JupyterLab server (which also serves RISE at ``/rise/``) per session, one
Chromium per session; each notebook is loaded once per test module.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import browser_harness as h  # noqa: E402

ARTIFACTS = h.REPO / "artifacts"


def pytest_addoption(parser):
    parser.addoption(
        "--notebook-dir", default=None,
        help="folder of notebooks for the browser tests (default: notebooks/, or the stand-in "
             "while notebooks/ has no explorer)",
    )
    parser.addoption(
        "--browser-standin", action="store_true",
        help="run the browser tests on the built-in stand-in notebooks (checks the harness itself)",
    )


def _notebook_dir(config) -> Path:
    if config.getoption("--notebook-dir"):
        return Path(config.getoption("--notebook-dir")).resolve()
    real = h.default_notebook_dir()
    if real is not None and not config.getoption("--browser-standin"):
        return real
    # Collection needs the names before any fixture runs: write the stand-in now, remove it at exit.
    if not hasattr(config, "_lossviz_standin"):
        tmp = Path(tempfile.mkdtemp(prefix="lossviz-standin-"))
        config._lossviz_standin = tmp
        h.write_standin(tmp / "notebooks")
    return config._lossviz_standin / "notebooks"


def pytest_unconfigure(config):
    tmp = getattr(config, "_lossviz_standin", None)
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)


def pytest_report_header(config):
    return f"lossviz browser notebooks: {_notebook_dir(config)}"


def pytest_generate_tests(metafunc):
    nb_dir = _notebook_dir(metafunc.config)
    # Module-scoped parameters make pytest group the tests by notebook: each page loads once.
    if "voila_notebook" in metafunc.fixturenames:
        names = h.explorer_notebooks(nb_dir)
        metafunc.parametrize("voila_notebook", names, ids=names, indirect=True, scope="module")
    if "any_notebook" in metafunc.fixturenames:
        names = [n for n in h.all_notebooks(nb_dir) if n != h.LANDING]
        metafunc.parametrize("any_notebook", names, ids=names)


@pytest.fixture(scope="session")
def notebook_dir(request) -> Path:
    return _notebook_dir(request.config)


@pytest.fixture(scope="session")
def state_dir():
    """Jupyter config, settings, workspaces and server logs of this session only."""
    path = Path(tempfile.mkdtemp(prefix="lossviz-browser-state-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def chromium():
    reason = h.chromium_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: the browser tests must run in CI)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = h.launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def voila_server(chromium, notebook_dir, state_dir):
    server = h.start_voila(notebook_dir, state_dir / "voila")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab_server(chromium, notebook_dir, state_dir):
    # JupyterLab saves (autosave, or a test's save): it serves a copy, never the tracked notebooks.
    root = state_dir / "lab-root"
    shutil.copytree(notebook_dir, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server = h.start_lab(root, state_dir / "lab")
    yield server
    server.stop()


class LoadedPage:
    """A page with its error collector."""

    def __init__(self, page, errors: h.PageErrors, name: str):
        self.page, self.errors, self.name = page, errors, name

    def assert_clean(self) -> None:
        h.assert_no_widget_failures(self.page)
        assert not self.errors.page_errors, "page errors:\n" + "\n".join(self.errors.page_errors)
        assert not self.errors.console_errors, (
            "console errors:\n" + "\n".join(self.errors.console_errors)
        )
        h.assert_no_external_requests(self.errors)


@pytest.fixture(scope="module")
def voila_notebook(request, chromium, voila_server) -> LoadedPage:
    """The Voila page of one explorer notebook, rendered, loaded once per module."""
    name = request.param
    page, errors = h.open_voila_page(chromium, voila_server, name)
    yield LoadedPage(page, errors, name)
    # beforeunload tells Voila to shut the page's kernel down now, not at server exit.
    page.close(run_before_unload=True)
