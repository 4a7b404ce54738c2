"""Every notebook with an explorer, as a Voila dashboard in Chromium: it renders without errors,
every slider moved with the keyboard redraws its picture, readout and caption, preset buttons show
the course's numbers, and the sliders are keyboard-operable with visible labels."""

from __future__ import annotations

import json
import re
import time

import browser_harness as h
import pytest

pytestmark = pytest.mark.browser

# Preset button label -> numbers its readout must show, with the arithmetic:
PRESETS = {
    # p = 0.9: MSE (1 - 0.9)^2 = 0.01; cross-entropy -ln 0.9 = 0.1054
    "Model A": (0.01, 0.105),
    # p = 0.6: MSE 0.4^2 = 0.16; cross-entropy -ln 0.6 = 0.5108
    "Model B": (0.16, 0.511),
    # p = 0.01: MSE 0.99^2 = 0.9801; cross-entropy -ln 0.01 = 4.6052
    "Model C": (0.9801, 4.605),
    # p = 0.70/0.20/0.10, cat true: cross-entropy -ln 0.70 = 0.3567
    "decent": (0.70, 0.20, 0.10, 0.357),
    # p = 0.05/0.90/0.05, cat true: cross-entropy -ln 0.05 = 2.9957
    "confidently wrong": (0.05, 0.90, 2.996),
    # Notebook 04, the 1-D logistic model from w = -3, b = 0 (the confidently-wrong start of
    # lossviz.training): 5% accuracy, cross-entropy 4.908 vs MSE 0.868, gradient norms
    # 1.5844 vs 0.0340, a ratio of 46.7.
    "confidently wrong (−3, 0)": (4.908, 0.868, 46.7),
    "deep on the plateau (−6, 3)": (9.763, 0.896, 97.9),
    "near the best (4, −0.4)": (0.119, 0.036),
    # Notebook 05, house prices (k$ per m²): the clean slope 3.09; three +$1M typos pull MSE's
    # slope to 5.18 while MAE stays at 3.22 and Huber (δ = 50 k$) at 3.24.
    "no outliers": (3.09, 3.15),
    "one $1M typo": (3.83, 3.18, 3.14),
    "three $1M typos": (5.18, 3.22, 3.24),
    "Huber ≈ MSE (δ = 1000 k$)": (5.18, 3.22),
    "Huber ≈ MAE (δ = 2 k$)": (5.18, 3.22),
    # Notebook 06, y = 3: with ŷ = 4 the squared error is 1; NLL = 1/(2σ²) + ½log(2πσ²):
    # σ = 1: 0.5 + 0.919 = 1.419; σ = 2: 0.125 + 1.612 = 1.737; ŷ = y, σ = 0.5: 0 + 0.226.
    "ŷ = 4, σ = 1": (1.419, 0.500, 0.919),
    "ŷ = 4, σ = 2": (1.737, 0.125, 1.612),
    "ŷ = y, σ = 0.5": (0.226,),
    # Notebook 09 ("decent" and "confidently wrong" are the rows above): p = t gives KL = 0 and
    # CE = H(t). Soft (0.7, 0.2, 0.1): H = 0.250 + 0.322 + 0.230 = 0.802; smoothed, eps = 0.1:
    # t = (0.9333, 0.0333, 0.0333), H = 0.0644 + 2 * 0.1134 = 0.2911.
    "p = soft target": (0.7, 0.2, 0.1, 0.802),
    "p = smoothed target": (0.933, 0.033, 0.291),
    # Notebook 11, y = 3, μ = 4 (a miss of 1): NLL = ½ log σ² + 1 / (2σ²), lowest at σ = 1:
    # σ = 0.5: −0.693 + 2 = 1.307; σ = 1: 0 + 0.5 = 0.500; σ = 2.5: 0.916 + 0.080 = 0.996.
    "σ too small (0.5)": (1.307, 2.000, 1.00),
    "σ = |y − μ| = 1": (0.500,),
    "σ too large (2.5)": (0.996, 0.916, 0.080),
    # Notebook 10, focal loss of a positive example, BCE −ln 0.1 = 2.3026 (hard), −ln 0.9 = 0.1054
    # (easy). Focal = α (1 − p)^γ · BCE: γ = 2, α = 0.25: 0.25 · 0.81 = 0.2025 and
    # 0.25 · 0.01 = 0.0025, focal 0.2025 · 2.3026 = 0.4663; 0.2025 / 0.0025 = 81 = 9².
    # γ = 2, α = 1: 0.81 · 2.3026 = 1.865; γ = 5, α = 1: 0.9⁵ = 0.59, 0.59 · 2.3026 = 1.36.
    "BCE (γ = 0, α = 1)": (2.3026, 0.1054),
    "RetinaNet (γ = 2, α = 0.25)": (0.4663, 0.202, 0.0025, 81),
    "γ = 2, α = 1": (1.865, 0.81, 0.01),
    "γ = 5, α = 1": (1.36, 0.59),
}
# A factory whose explorer must offer these presets (issue 3).
REQUIRED_PRESETS = {
    "confident_wrong_explorer(": ("Model A", "Model B", "Model C"),
    "softmax_explorer(": ("decent", "confidently wrong"),
}


def _roots(loaded):
    roots = h.explorer_roots(loaded.page)
    assert roots.count() >= 1, f"{loaded.name}: no explorer on the page"
    return [roots.nth(i) for i in range(roots.count())]


def test_page_renders_explorers_without_errors(voila_notebook, notebook_dir, screenshot_dir):
    page = voila_notebook.page
    roots = _roots(voila_notebook)
    source = h.code_source(notebook_dir / voila_notebook.name)
    calls = len(h.EXPLORER_CALL.findall(source))
    assert 1 <= len(roots) <= calls, f"{len(roots)} explorers on the page for {calls} factory calls"
    # Dashboards hide the code.
    h.assert_code_hidden(page)
    # No error output: a traceback shown by Voila means a cell raised.
    errors = page.locator('[data-mime-type="application/vnd.jupyter.error"], .jp-RenderedText'
                          '[data-mime-type="application/vnd.jupyter.stderr"]')
    texts = [errors.nth(i).inner_text() for i in range(errors.count())]
    assert not [t for t in texts if "Error" in t or "Traceback" in t], texts
    for i, root in enumerate(roots):
        state = h.read_state(root)
        assert state["readout"], f"explorer {i} shows no readout"
        alt = state["alt"] or state["caption"]
        # The picture's description is a sentence, not a label.
        assert len(alt.split()) >= 5, f"explorer {i}: alt text/caption too short: {alt!r}"
        shot = screenshot_dir / f"voila-{voila_notebook.name.removesuffix('.ipynb')}-{i}.png"
        root.screenshot(path=str(shot))
        assert shot.stat().st_size > 2000, f"{shot} is nearly empty"
    # Maths is typeset by the MathJax in Voila's own bundle (the mathjax3 front-end extension is
    # kept out of dashboards, deploy/jupyter-config/voila.json): no raw TeX is left on the page,
    # and every dollar written \$ in the markdown (a price) is shown as a dollar, not paired with
    # another into maths (the lossviz template's markdowncell block).
    markdown = h.markdown_source(notebook_dir / voila_notebook.name)
    if re.search(r"\$[^$\n]+\$", markdown):
        page.locator("mjx-container").first.wait_for(timeout=30_000)
        count = -1
        while count != (count := page.locator("mjx-container").count()):
            page.wait_for_timeout(300)  # until MathJax has typeset every cell
        raw = page.evaluate("""() => [...document.querySelectorAll('.jp-RenderedMarkdown')]
            .map(e => e.innerText).filter(t => /\\\\(frac|log|sigma|hat|cdot|sum)\\b/.test(t))""")
        assert not raw, f"{voila_notebook.name}: maths left as raw TeX: {raw[:2]}"
    escaped = markdown.count("\\$")
    if escaped:
        shown = page.evaluate("""() => [...document.querySelectorAll('.jp-RenderedMarkdown')]
            .map(e => (e.innerText.match(/[$]/g) || []).length).reduce((a, b) => a + b, 0)""")
        assert shown >= escaped, (
            f"{voila_notebook.name}: the markdown writes {escaped} dollar signs as \\$, the page "
            f"shows {shown}: MathJax took the others for maths delimiters")
    voila_notebook.assert_clean()


def _direction(handle) -> tuple[str, str]:
    """Towards the end with more room first, so three presses and three back return home
    (an integer slider at 3 of 0..5 has room for only two presses to the right)."""
    now, top, bottom = (handle.get_attribute(a)
                        for a in ("aria-valuenow", "aria-valuemax", "aria-valuemin"))
    if None not in (now, top, bottom) and float(top) - float(now) < float(now) - float(bottom):
        return "ArrowLeft", "ArrowRight"
    return "ArrowRight", "ArrowLeft"


def test_every_slider_redraws_picture_readout_and_caption(voila_notebook):
    moved = 0
    for i, root in enumerate(_roots(voila_notebook)):
        slider_widgets = h.sliders(root)
        for j in range(slider_widgets.count()):
            slider = slider_widgets.nth(j)
            label = slider.locator(".widget-label").inner_text().strip()
            handle = slider.locator(".noUi-handle")
            forward, back = _direction(handle)
            before = h.read_state(root)
            h.press(handle, forward, 3)
            after = h.wait_settled(root, before)
            where = f"explorer {i}, slider {label!r}"
            assert after["values"] != before["values"], f"{where}: the slider did not move"
            assert after["digest"] != before["digest"], f"{where}: the picture did not change"
            assert after["readout"] != before["readout"], f"{where}: the readout did not change"
            assert (after["alt"], after["caption"]) != (before["alt"], before["caption"]), (
                f"{where}: the alt text/caption did not follow the state: {after['caption']!r}"
            )
            # Three steps back restore the state: same numbers, same picture (nothing left over
            # from the previous drawing).
            h.press(handle, back, 3)
            again = h.wait_settled(root, after)
            assert again["readout"] == before["readout"], f"{where}: readout not restored"
            assert again["digest"] == before["digest"], f"{where}: picture not restored"
            moved += 1
    assert moved >= 1, "no slider found in any explorer"
    voila_notebook.assert_clean()


def _wait_readout_shows(root, expected, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = h.read_state(root)
        if all(h.shows_value(state["readout"], x) for x in expected):
            return state
        if time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def test_preset_buttons_show_the_course_numbers(voila_notebook, notebook_dir):
    source = h.code_source(notebook_dir / voila_notebook.name)
    required = {p for call, names in REQUIRED_PRESETS.items() if call in source for p in names}
    found = set()
    for i, root in enumerate(_roots(voila_notebook)):
        buttons = root.locator(".lossviz-preset, button.jupyter-button")
        # Model C first: a preset equal to the starting state would not redraw anything.
        labels = sorted((buttons.nth(k).inner_text().strip() for k in range(buttons.count())),
                        key=lambda s: "Model C" not in s)
        for label in labels:
            key = label if label in PRESETS else next(
                (k for k in PRESETS if k.lower() in label.lower()), None)
            assert key is not None, f"explorer {i}: preset {label!r} has no expected numbers here"
            before = h.read_state(root)
            root.get_by_role("button", name=label, exact=True).click()
            state = _wait_readout_shows(root, PRESETS[key])
            missing = [x for x in PRESETS[key] if not h.shows_value(state["readout"], x)]
            assert not missing, f"{label!r}: readout {state['readout']!r} lacks {missing}"
            if key == "Model C":
                # The kernel sends the new readout just before the new picture: wait for it.
                deadline = time.monotonic() + 10.0
                while state["digest"] == before["digest"] and time.monotonic() < deadline:
                    time.sleep(0.1)
                    state = h.read_state(root)
                assert state["digest"] != before["digest"], "Model C did not redraw the picture"
            found.add(key)
    assert required <= found, f"missing preset buttons: {sorted(required - found)}"
    voila_notebook.assert_clean()


def test_sliders_are_keyboard_operable_with_visible_labels(voila_notebook):
    page = voila_notebook.page
    # Controls an explorer hides for its current state (Huber's δ) are not offered to the learner.
    handles = page.locator(".lossviz-explorer .noUi-handle:visible") if page.locator(
        ".lossviz-explorer").count() else page.locator(".noUi-handle:visible")
    n = handles.count()
    assert n >= 1
    for k in range(n):
        slider = handles.nth(k).locator("xpath=ancestor::*[contains(@class,'widget-slider')][1]")
        label = slider.locator(".widget-label")
        assert label.is_visible() and label.inner_text().strip(), f"slider {k} has no visible label"
        # ipywidgets cuts a long description to "p (true cla..." unless description_width is set.
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), (
            f"slider {k}: label {label.inner_text()!r} is cut off"
        )
        assert slider.locator(".widget-readout").is_visible(), f"slider {k} shows no value"
        assert handles.nth(k).get_attribute("role") == "slider"
    # Tab from the top of the page reaches every slider handle.
    page.evaluate("""() => {
        [...document.querySelectorAll('.noUi-handle')].filter(e => e.offsetParent !== null)
            .forEach((e, i) => e.dataset.lvTab = i);
        document.activeElement && document.activeElement.blur();
        window.scrollTo(0, 0);
    }""")
    focusable = page.locator("a[href], button, input, select, textarea, [tabindex]").count()
    reached = set()
    for _ in range(focusable + 5):
        page.keyboard.press("Tab")
        idx = page.evaluate("() => document.activeElement && document.activeElement.dataset.lvTab")
        if idx is not None:
            reached.add(int(idx))
    all_handles = page.locator(".noUi-handle:visible").count()
    assert reached == set(range(all_handles)), (
        f"Tab reached handles {sorted(reached)} of {all_handles}"
    )


def test_landing_page_lists_every_notebook(chromium, voila_server, notebook_dir):
    assert (notebook_dir / h.LANDING).exists(), f"{h.LANDING} (the landing page) is missing"
    page = chromium.new_page(viewport={"width": 1280, "height": 1600})
    errors = h.PageErrors(page, voila_server.url)
    try:
        page.goto(f"{voila_server.url}/voila/render/{h.LANDING}", wait_until="load",
                  timeout=180_000)
        page.wait_for_selector("a[href$='.ipynb']", timeout=60_000)
        hrefs = page.eval_on_selector_all("a[href$='.ipynb']", "els => els.map(e => e.href)")
        listed = {re.sub(r".*/", "", u) for u in hrefs}
        expected = {n for n in h.all_notebooks(notebook_dir) if n != h.LANDING}
        assert listed == expected, f"listed {sorted(listed)}, expected {sorted(expected)}"
        h.assert_code_hidden(page)
        # A link opens the dashboard (Voila makes output links open in a new tab).
        first = h.explorer_notebooks(notebook_dir)[0]
        with page.context.expect_page() as opened:
            page.locator(f"a[href$='{first}']").first.click()
        dashboard = opened.value
        dashboard.wait_for_selector("img.widget-image", timeout=90_000)
        assert dashboard.url.endswith(f"/voila/render/{first}")
        dashboard.close()
        assert not errors.page_errors, errors.page_errors
        assert not errors.console_errors, errors.console_errors
    finally:
        page.close()


def test_page_fetches_its_scripts_while_the_notebook_runs(chromium, voila_server):
    """The dashboard template preloads the scripts a page loads (preload.html.j2, written by
    tools/voila_preload.py), so the browser fetches them while the kernel still runs the cells.
    Without it, voila.js (the page's last tag) and its ~90 chunks were fetched only after the
    whole notebook had run."""
    name = "03_confidently_wrong.ipynb"
    page = chromium.new_page(viewport={"width": 1280, "height": 1600})
    errors = h.PageErrors(page, voila_server.url)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if r.resource_type == "script" else None)
    try:
        page.goto(f"{voila_server.url}/voila/render/{name}", wait_until="load", timeout=180_000)
        page.locator(".noUi-handle").first.wait_for(timeout=90_000)
        time.sleep(2)  # chunks that load after the first slider is drawn
        preloaded = page.eval_on_selector_all(
            "head link[rel=preload][as=script]", "els => els.map(e => e.href)")
        timing = page.evaluate("""() => {
            const doc = performance.getEntriesByType('navigation')[0];
            const main = performance.getEntriesByType('resource')
                .find(e => new URL(e.name).pathname.endsWith('/voila/static/voila.js'));
            return {html_done: doc.responseEnd, voila_js_start: main ? main.startTime : null};
        }""")
    finally:
        page.close(run_before_unload=True)
    from_voila = [u for u in requested
                  if u.startswith(voila_server.url) and "/voila-style.js" not in u]
    # Every script the page loads was preloaded, and nothing preloaded went unused:
    regenerate = "the list is stale: regenerate it with `make preload`"
    missing = sorted(set(from_voila) - set(preloaded))
    unused = sorted(set(preloaded) - set(from_voila))
    assert len(preloaded) >= 50, f"only {len(preloaded)} scripts preloaded; {regenerate}"
    assert not missing, (
        f"{len(missing)} scripts loaded but not preloaded ({missing[:3]}); {regenerate}")
    assert not unused, (
        f"{len(unused)} scripts preloaded but not loaded ({unused[:3]}); {regenerate}")
    # ... each fetched once (a preload that does not match the later <script> is fetched twice):
    twice = sorted({u for u in from_voila if from_voila.count(u) > 1})
    assert not twice, f"fetched twice: {twice[:3]}"
    # ... and voila.js was asked for while the notebook still ran, before the page's HTML ended.
    assert timing["voila_js_start"] is not None, "no voila.js in the page's resource timings"
    assert timing["voila_js_start"] < timing["html_done"], (
        f"voila.js was requested {timing['voila_js_start']:.0f} ms after navigation, the page's "
        f"HTML ended at {timing['html_done']:.0f} ms: it was not fetched while the notebook ran")
    assert not errors.page_errors, errors.page_errors
    assert not errors.console_errors, errors.console_errors


# The race of ipywidgets 8.1.9's renderer (jupyter-widgets/ipywidgets#4026), produced on purpose:
# the renderer asks for the explorer's model before the kernel's widgets have arrived and polls
# every 100 ms for 2 s. The models arrive during that wait, but the page is "busy" (its next poll
# is held) until the 2 s are over, so the renderer gives up with "model not found" although the
# model is there. widget_recovery.html.j2 must redraw it.
RACE_JS = """
(() => {
  const realNow = Date.now.bind(Date);
  const realSetTimeout = window.setTimeout.bind(window);
  let skew = 0;
  const held = [];
  Date.now = () => realNow() + skew;
  window.__race = {
    hold: false,
    held: () => held.length,
    // the busy stretch: the clock moves on by `ms` and the held polls run only then
    pass(ms) {
      skew += ms;
      this.hold = false;
      held.splice(0).forEach(([fn, args]) => realSetTimeout(fn, 0, ...args));
    },
  };
  window.setTimeout = function (fn, delay, ...args) {
    if (window.__race.hold && delay === 100 && typeof fn === "function") {
      held.push([fn, args]);
      return 0;
    }
    return realSetTimeout(fn, delay, ...args);
  };
})();
"""


def _wait_until(page, expression: str, what: str, timeout: float = 60.0):
    """Poll ``expression`` from here (the page's own timers are under the test's control)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.05)


def test_an_explorer_the_busy_page_gave_up_on_is_redrawn(chromium, voila_server):
    page = chromium.new_page(viewport={"width": 1280, "height": 2400})
    errors = h.PageErrors(page, voila_server.url)
    page.add_init_script(RACE_JS)
    states, holding, routes = [], [True], []

    def on_socket(ws):
        server = ws.connect_to_server()
        routes.append(ws)
        ws.on_message(server.send)

        def from_kernel(message):
            text = message if isinstance(message, str) else message.decode(errors="replace")
            if holding[0] and '"update_states"' in text:
                states.append(message)  # the kernel's widgets: held back for now
            else:
                ws.send(message)
        server.on_message(from_kernel)

    page.route_web_socket(re.compile(r".*/api/kernels/[^/]+/channels.*"), on_socket)
    try:
        page.goto(f"{voila_server.url}/voila/render/03_confidently_wrong.ipynb",
                  wait_until="load", timeout=180_000)
        # 1. The renderer waits for the explorer's model; the kernel's widgets are held back.
        _wait_until(page, """() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                     .some((n) => n.textContent.trim() === 'Loading widget...')""",
                    "the explorer's output never started rendering")
        deadline = time.monotonic() + 30
        while not states:
            assert time.monotonic() < deadline, "the kernel never sent its widgets"
            page.wait_for_timeout(50)
        # 2. The page turns busy: the renderer's next poll is held.
        page.evaluate("() => { window.__race.hold = true; }")
        _wait_until(page, "() => window.__race.held() > 0", "the renderer is not polling")
        # 3. The kernel's widgets arrive and the manager loads them all...
        holding[0] = False
        for message in states:
            routes[0].send(message)
        _wait_until(page, """() => window.jupyterapp && window.jupyterapp.widgetManager
                     && window.jupyterapp.widgetManager.restoredStatus""",
                    "the widget manager never loaded the kernel's widgets")
        # 4. ... and the busy stretch ends 3 s later: the renderer's 2 s are over.
        page.evaluate("() => window.__race.pass(3000)")
        try:
            page.wait_for_selector("img.lossviz-picture", timeout=30_000)
        except Exception as exc:
            pytest.fail(f"the explorer was not redrawn ({type(exc).__name__}):\n"
                        + h.describe_page(page, errors))
        # The renderer did give up (that is what the redraw answers), and the redrawn explorer
        # works: a key press changes its picture and readout.
        assert page.evaluate("() => window.lossvizWidgetsRedrawn") == 1
        assert any("widget model not found" in e for e in errors.console_errors), \
            errors.console_errors
        assert page.locator("text=Error displaying widget").count() == 0
        root = h.explorer_roots(page).first
        before = h.read_state(root, timeout=30)
        h.press(root.locator(".noUi-handle").first, "ArrowRight", 2)
        after = h.wait_settled(root, before, timeout=30)
        assert after["digest"] != before["digest"] and after["readout"] != before["readout"]
        assert not errors.page_errors, errors.page_errors
        h.assert_no_external_requests(errors)
    finally:
        page.close()


def test_a_closed_dashboard_shuts_its_kernel_down(chromium, voila_server):
    """Voila's page asks the server to shut its kernel down when it unloads (a beacon whose XSRF
    token is the page's _xsrf cookie); deploy/jupyter-config/voila.py makes the page set that
    cookie. Without it the server refused the beacon and every reload left a kernel running."""
    page = chromium.new_page()
    try:
        page.goto(f"{voila_server.url}/voila/render/00_start_here.ipynb", wait_until="load",
                  timeout=180_000)
        page.wait_for_selector("img.widget-image", timeout=60_000)
        first = json.loads(page.locator("#jupyter-config-data").inner_text())["kernelId"]
        assert any(c["name"] == "_xsrf" for c in page.context.cookies()), page.context.cookies()
        assert h.kernel_status(voila_server, first) == 200
        # a reload: the old page unloads (its kernel goes), the new one gets a kernel of its own
        page.reload(wait_until="load", timeout=180_000)
        page.wait_for_selector("img.widget-image", timeout=60_000)
        second = json.loads(page.locator("#jupyter-config-data").inner_text())["kernelId"]
        assert second != first
        h.wait_kernel_gone(voila_server, first)
        # leaving the page
        page.goto("about:blank")
        h.wait_kernel_gone(voila_server, second)
        assert "_xsrf' argument missing" not in voila_server.log_tail(200)
    finally:
        page.close()
