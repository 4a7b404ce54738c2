"""Slides for the classroom: every notebook carries slide metadata and opens in RISE
(jupyterlab-rise, served by JupyterLab at ``/rise/NB.ipynb``) as a reveal.js deck, and a live
slider works on a slide."""

from __future__ import annotations

import browser_harness as h
import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

START = "00_start_here.ipynb"


def _slide_types(path):
    nb = nbformat.read(path, as_version=4)
    return [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]


def test_every_cell_has_slide_metadata(any_notebook, notebook_dir):
    types = _slide_types(notebook_dir / any_notebook)
    bad = [(i, t) for i, t in enumerate(types) if t not in h.SLIDE_TYPES]
    assert not bad, f"cells without a valid slideshow.slide_type (index, value): {bad}"
    assert types[0] == "slide", f"the first cell opens the deck: slide_type {types[0]!r}"


@pytest.mark.browser
def test_notebook_opens_as_a_deck(any_notebook, chromium, lab_server, notebook_dir):
    slides = _slide_types(notebook_dir / any_notebook).count("slide")
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    errors = h.PageErrors(page, lab_server.url)
    try:
        page.goto(f"{lab_server.url}/rise/{any_notebook}", wait_until="load", timeout=120_000)
        # reveal.js marks the deck with the class "ready" once it is laid out.
        page.wait_for_selector(".reveal.ready .slides > section", timeout=90_000)
        # One top-level <section> per "slide" cell (subslides nest inside it).
        assert page.locator(".reveal .slides > section").count() == slides
        assert page.locator(".reveal .slides > section.present").count() == 1
        # The RISE page logs console errors of its own (see test_live_slider_on_a_slide); an
        # uncaught exception is what would break a deck.
        assert not errors.page_errors, errors.page_errors
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.xfail(
    strict=True,
    raises=pytest.fail.Exception,  # only "no live slider"; any other failure is reported as such
    reason="jupyterlab-rise 0.43.1 cannot load the ipywidgets 8 widget manager in its slideshow "
           "page (\"Shared module @jupyterlab/console doesn't exist in shared scope\"; upstream "
           "jupyterlab-contrib/rise#119), so widgets show no live view in RISE. Strict: when "
           "an upgrade fixes it, this test passes and the marker must go.",
)
def test_live_slider_on_a_slide(chromium, lab_server, notebook_dir):
    """The teacher's path: run the notebook in JupyterLab, save, open the RISE slideshow; the
    explorer on its slide is live (a key press on its slider redraws the picture)."""
    assert h.EXPLORER_CALL.search(h.code_source(notebook_dir / START)), f"{START}: no explorer"
    lab = chromium.new_page(viewport={"width": 1400, "height": 1000})
    try:
        lab.goto(f"{lab_server.url}/lab/tree/{START}?reset", wait_until="load", timeout=120_000)
        idle = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
            return !!k && k.status === 'idle'; }"""
        lab.wait_for_function(idle, timeout=90_000)
        lab.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        lab.wait_for_function(idle, timeout=90_000)
        lab.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")

        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{lab_server.url}/rise/{START}", wait_until="load", timeout=120_000)
        page.wait_for_selector(".reveal.ready .slides > section", timeout=90_000)
        # Widget views are in the DOM on every slide, shown or not: give them time to appear.
        try:
            page.wait_for_selector(".reveal .noUi-handle", state="attached", timeout=10_000)
        except PlaywrightTimeout:
            pytest.fail("the slideshow shows no live slider (no widget view rendered)")
        live = page.locator(".reveal .present .noUi-handle")
        for _ in range(40):  # walk the deck to the first slide with a slider
            if live.count():
                break
            page.keyboard.press("Space")
            page.wait_for_timeout(300)
        assert live.count(), "no slide shows a live slider"
        root = page.locator(".reveal .present").locator(".lossviz-explorer, .jp-OutputArea-output"
                                                          ":has(img.widget-image)").first
        before = h.read_state(root)
        h.press(live.first, "ArrowRight", 3)
        after = h.wait_settled(root, before)
        assert after["digest"] != before["digest"], "the picture on the slide did not change"
        page.close()
    finally:
        lab.close()
