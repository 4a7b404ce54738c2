"""Notebook 7 (``jupyter notebook``) in Chromium: the first notebook runs top to bottom without an
error output, and a slider moved with the keyboard redraws its explorer's picture and readout."""

from __future__ import annotations

import shutil

import browser_harness as h
import pytest

pytestmark = pytest.mark.browser

START = "00_start_here.ipynb"

KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.context.path.endsWith(%r);
}"""

# Notebook 7's keyboard-shortcuts settings plugin reads the schema of every plugin that reports a
# settings change (notebook_core.js, the shortcut extension's pluginChanged handler) and throws
# this when the first widget of a page is displayed: a bare `ipywidgets.IntSlider()` in a
# one-cell notebook does it too (checked with Notebook 7.6.5, ipywidgets 8.1.9). Not ours.
NOTEBOOK7_NOISE = "Cannot read properties of undefined (reading 'schema')"


@pytest.fixture(scope="module")
def notebook7(chromium, notebook_dir, state_dir):
    # Notebook 7 saves (autosave): it serves a copy, never the tracked notebooks.
    root = state_dir / "notebook7-root"
    shutil.copytree(notebook_dir, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server = h.start_notebook7(root, state_dir / "notebook7")
    yield server
    server.stop()


def test_start_here_runs_all_cells_and_a_slider_redraws(chromium, notebook7, notebook_dir,
                                                         screenshot_dir):
    assert (notebook_dir / START).exists(), f"{START} is missing from {notebook_dir}"
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    errors = h.PageErrors(page, notebook7.url)
    try:
        page.goto(f"{notebook7.url}/notebooks/{START}", wait_until="load", timeout=120_000)
        page.wait_for_function(KERNEL_IDLE % START, timeout=90_000)
        # Notebook 7 is a JupyterLab application: the same command runs every cell.
        ok = page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        assert ok is not False, "notebook:run-all-cells reported a failure"
        page.wait_for_function(KERNEL_IDLE % START, timeout=90_000)
        h.wait_stable_count(page, ".jp-Notebook img.widget-image")

        # Every code cell ran: each has an execution count (read from the notebook's model;
        # off-screen cells of the windowed notebook show no prompt text).
        counts = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
            .filter((c) => c.model.type === 'code').map((c) => c.model.executionCount)""")
        assert counts and all(isinstance(c, int) and c > 0 for c in counts), counts
        h.assert_no_error_outputs(page)

        root = h.explorer_roots(page).first
        before, after = h.press_first_slider(root, 3)
        assert after["values"] != before["values"], "the slider did not move"
        assert after["digest"] != before["digest"], "the picture did not change"
        assert after["readout"] != before["readout"], "the readout did not change"
        root.screenshot(path=str(screenshot_dir / "notebook7-00_start_here.png"))
        page_errors = [e for e in errors.page_errors if NOTEBOOK7_NOISE not in e]
        assert not page_errors, page_errors
        assert not errors.console_errors, errors.console_errors
    finally:
        page.close()
