"""JupyterLab in Chromium: the first notebook runs top to bottom without an error output, and a
slider moved with the keyboard redraws its explorer's picture."""

from __future__ import annotations

import browser_harness as h
import pytest

pytestmark = pytest.mark.browser

START = "00_start_here.ipynb"

KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.context.path.endsWith(%r);
}"""


def test_start_here_runs_all_cells_and_a_slider_redraws(chromium, lab_server, notebook_dir,
                                                         screenshot_dir):
    assert (notebook_dir / START).exists(), f"{START} is missing from {notebook_dir}"
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    errors = h.PageErrors(page, lab_server.url)
    try:
        # ?reset: start from an empty workspace, not a restored layout.
        page.goto(f"{lab_server.url}/lab/tree/{START}?reset", wait_until="load", timeout=120_000)
        page.wait_for_function(KERNEL_IDLE % START, timeout=90_000)
        # runAll resolves when every cell has run (or one failed).
        ok = page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        assert ok is not False, "notebook:run-all-cells reported a failure"
        page.wait_for_function(KERNEL_IDLE % START, timeout=90_000)
        h.wait_stable_count(page, ".jp-Notebook img.widget-image")

        h.assert_no_error_outputs(page)

        root = h.explorer_roots(page).first
        before, after = h.press_first_slider(root, 3)
        assert after["digest"] != before["digest"], "the picture did not change"
        assert after["readout"] != before["readout"], "the readout did not change"
        root.screenshot(path=str(screenshot_dir / "lab-00_start_here.png"))
        assert not errors.page_errors, errors.page_errors
        assert not errors.console_errors, errors.console_errors
    finally:
        page.close()
