"""`make present`: a notebook as a reveal.js deck with live sliders, working with no network.

The deck of notebook 03 is loaded in Chromium with every request to a host other than 127.0.0.1
aborted. reveal.js must lay the deck out from the local assets, the keyboard must reach the
explorer's slide, and a key press on its slider must change the picture and the readout, with no
page error and no failed request.
"""

from __future__ import annotations

import time

import browser_harness as h
import pytest

DECK = "03_confidently_wrong.ipynb"
# The explorer's slide: the live slider must be on a slide, not hidden behind a "skip".
EXPLORER_SLIDE = "section.present .lossviz-explorer"


@pytest.fixture(scope="module")
def present_server(chromium, notebook_dir, state_dir):
    server = h.start_present(notebook_dir, state_dir / "present", DECK)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def deck(chromium, present_server):
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    blocked, failed, bad_status = [], [], []

    def loopback_only(route):
        url = route.request.url
        if url.startswith("http://127.0.0.1:") or url.startswith(("blob:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", loopback_only)
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: bad_status.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    errors = h.PageErrors(page, present_server.url)
    page.goto(present_server.deck_url, wait_until="load", timeout=180_000)
    # reveal.js marks the deck "ready" once it is laid out (Voila's bundle exposes no global
    # Reveal to ask instead).
    page.wait_for_selector(".reveal.ready", timeout=90_000)
    page.wait_for_selector("img.lossviz-picture", state="attached", timeout=90_000)
    yield page, errors, blocked, failed, bad_status
    page.close(run_before_unload=True)


def _on_explorer_slide(page) -> bool:
    return page.locator(EXPLORER_SLIDE).count() > 0


def test_deck_is_laid_out_from_local_assets(deck):
    page, errors, blocked, failed, bad_status = deck
    # reveal.css is applied: the slides container is absolutely positioned (unstyled it is
    # static) and the theme's fonts and sizes are in force.
    position = page.evaluate(
        "getComputedStyle(document.querySelector('.reveal .slides')).position")
    assert position == "absolute", f".reveal .slides is {position!r}: reveal.css did not load"
    theme_font = page.evaluate("getComputedStyle(document.querySelector('.reveal')).fontFamily")
    assert "Source Sans Pro" in theme_font, f"the white theme is missing: font {theme_font!r}"
    # Font Awesome from the package, served by the deck's own server: the stylesheet is parsed
    # (it declares well over 1,000 icon rules).
    fa_rules = page.evaluate("""() => Array.from(document.styleSheets)
        .filter((s) => s.href && s.href.includes('/fontawesome/css/all.min.css'))
        .map((s) => [s.href, s.cssRules.length])""")
    assert len(fa_rules) == 1, f"Font Awesome stylesheets: {fa_rules}"
    href, n_rules = fa_rules[0]
    assert href.startswith("http://127.0.0.1:") and n_rules > 1000, fa_rules
    # One top-level section per "slide" cell of the notebook, no more, no fewer.
    assert page.locator(".reveal .slides > section").count() >= 5
    assert not blocked, f"the deck asked for non-loopback hosts: {blocked}"
    assert not failed, f"failed requests: {failed}"
    assert not bad_status, f"HTTP errors: {bad_status}"
    assert not errors.page_errors, errors.page_errors


def test_keyboard_reaches_the_explorer_and_its_slider_is_live(deck):
    page, errors, blocked, failed, bad_status = deck
    page.locator("body").click(position={"x": 5, "y": 5})
    presses = 0
    # Space walks through every slide and subslide in order.
    while not _on_explorer_slide(page) and presses < 60:
        page.keyboard.press("Space")
        presses += 1
        time.sleep(0.25)
    assert _on_explorer_slide(page), f"no explorer slide after {presses} presses of Space"
    slide_hash = page.evaluate("location.hash")

    root = page.locator(EXPLORER_SLIDE).first
    before = h.read_state(root, timeout=30)
    handle = root.locator(".noUi-handle").first
    h.press(handle, "ArrowRight", 3)
    after = h.wait_settled(root, before)
    assert after["digest"] != before["digest"], "the picture did not change after three presses"
    assert after["readout"] != before["readout"], (
        f"the readout did not change: {before['readout']!r}")
    # p moved up from Model A's 0.9 on the log-scale slider: the readout's p is larger.
    p_before = h.numbers_in(before["readout"])[0]
    p_after = h.numbers_in(after["readout"])[0]
    assert p_before == pytest.approx(0.9)
    assert p_after > p_before
    # The key presses stayed with the slider: the deck did not move to another slide.
    assert page.evaluate("location.hash") == slide_hash
    # Escape hands the keys back to the deck.
    handle.press("Escape")
    page.keyboard.press("ArrowRight")
    time.sleep(0.5)
    assert page.evaluate("location.hash") != slide_hash, "after Escape the deck did not move"
    assert not blocked, f"the deck asked for non-loopback hosts: {blocked}"
    assert not failed, f"failed requests: {failed}"
    assert not errors.page_errors, errors.page_errors


def test_prices_written_with_an_escaped_dollar_stay_dollars_on_the_slides(
        chromium, notebook_dir, state_dir):
    # 06 writes twelve prices as \$ ("k\$ per m²"). nbconvert's markdown turns each into a bare
    # `$`, which MathJax would pair into maths; the deck's template keeps them literal dollars.
    name = "06_probabilistic_view.ipynb"
    source = h.markdown_source(notebook_dir / name)
    escaped = source.count("\\$")
    assert escaped == 12, escaped
    server = h.start_present(notebook_dir, state_dir / "present-06", name)
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    try:
        errors = h.PageErrors(page, server.url)
        page.goto(server.deck_url, wait_until="load", timeout=180_000)
        page.wait_for_selector(".reveal.ready", timeout=90_000)
        page.locator("mjx-container").first.wait_for(state="attached", timeout=90_000)
        count = -1
        while count != (count := page.locator("mjx-container").count()):
            page.wait_for_timeout(300)  # until MathJax has typeset every slide
        # textContent: the slides not shown are hidden, and innerText skips hidden text
        shown = page.evaluate("""() => [...document.querySelectorAll('.jp-RenderedMarkdown')]
            .map(e => (e.textContent.match(/[$]/g) || []).length).reduce((a, b) => a + b, 0)""")
        assert shown == escaped, f"the slides show {shown} of the {escaped} dollars"
        assert not errors.page_errors, errors.page_errors
        h.assert_no_external_requests(errors)
    finally:
        page.close(run_before_unload=True)
        server.stop()
