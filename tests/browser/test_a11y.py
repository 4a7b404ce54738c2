"""Accessibility audit with axe-core (WCAG 2.2 A and AA) of every front end a learner opens.

Pages: every notebook as a Voila dashboard (the landing page ``index.ipynb`` included), notebook 03
opened in JupyterLab and in Notebook 7, and the ``make present`` deck. axe-core is the copy bundled
in the ``axe-playwright-python`` wheel, injected into the page from the package (no request leaves
the machine; the test checks that).

The gate: 0 serious or critical violations, except those in ``a11y_allowlist.yaml`` (Jupyter's and
Voila's own chrome; see that file for how an entry is matched). Nothing inside an explorer
(``.lossviz-explorer``) can be excused. Every page's full result (every impact level, excused or
not) is written to ``artifacts/a11y/PAGE.json``.

Also here: the live region of each explorer (lossviz._a11y) holds the new numbers after a key press.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import browser_harness as h
import pytest
import yaml

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
GATED = {"serious", "critical"}
ALLOWLIST = Path(__file__).with_name("a11y_allowlist.yaml")
FRONTS = {"voila", "lab", "notebook7", "deck"}
OURS = ".lossviz-explorer"
NB03 = "03_confidently_wrong.ipynb"
REPORT_DIR = h.REPO / "artifacts" / "a11y"

# Violations in our own content that are known and wait for a fix in the notebook (not in the
# allow-list, which is for upstream chrome only): page -> (rule, a marker of the flagged
# element's HTML, what is wrong). The page's test xfails while the violation is there and fails
# once it is gone, so that the entry is deleted.
# Empty: the last ones (dollar amounts in 01's and 05's alt text that MathJax took for maths)
# were fixed by writing the amounts in words.
KNOWN_CONTENT_BUGS: dict[str, tuple[str, str, str]] = {}

KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.context.path.endsWith(%r);
}"""

# For each flagged node: find it from axe's selector, say whether it is inside an explorer and
# which allow-list entries (by index) its element matches.
CLASSIFY_JS = """
([target, ours, selectors]) => {
  let scope = document, el = null;
  for (const part of target) {  // one selector per frame/shadow level; nested lists for shadow
    const sel = Array.isArray(part) ? part : [part];
    for (const s of sel) {
      el = scope.querySelector(s);
      if (!el) return {found: false};
      scope = el.shadowRoot || el;
    }
  }
  const matched = [];
  selectors.forEach((s, i) => { try { if (el.matches(s)) matched.push(i); } catch (e) {} });
  return {found: true, ours: !!el.closest(ours), matched};
}
"""


def load_allowlist(path: Path = ALLOWLIST) -> list[dict]:
    data = yaml.safe_load(path.read_text())
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a mapping with a list under 'entries'")
    for i, e in enumerate(entries):
        missing = {"rule", "selector", "fronts", "component", "why"} - set(e)
        if missing:
            raise ValueError(f"{path}: entry {i} ({e.get('rule')!r}) lacks {sorted(missing)}")
        unknown = set(e["fronts"]) - FRONTS
        if unknown:
            raise ValueError(f"{path}: entry {i} names unknown fronts {sorted(unknown)}; "
                             f"use some of {sorted(FRONTS)}")
        if OURS in e["selector"] or "lossviz" in e["selector"]:
            raise ValueError(f"{path}: entry {i} selects lossviz's own elements "
                             f"({e['selector']!r}); fix the violation instead")
    return entries


def audit(page, front: str, name: str, allowlist: list[dict], used: set[int]) -> dict:
    """Run axe on ``page``; return ``{"ours": [...], "excused": [...], "counts": {...}}`` and
    write the full result to artifacts/a11y/. ``used`` collects the allow-list entries that
    matched."""
    from axe_playwright_python.sync_playwright import Axe

    requests: list[tuple[str, str]] = []
    page.on("request", lambda r: requests.append((r.url, r.resource_type)))
    response = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS},
                                        "resultTypes": ["violations"]}).response
    # axe comes from the wheel: running it fetched no script. (axe re-reads the page's own
    # stylesheets for its CSS rules; Voila's template links Font Awesome's from a CDN, which
    # fails offline: that is the page's link, not axe.)
    fetched = [u for u, kind in requests if kind == "script" or "axe" in u.lower()]
    assert not fetched, f"running axe fetched {fetched}"
    assert response["testEngine"]["name"] == "axe-core"

    entries = [(i, e) for i, e in enumerate(allowlist) if front in e["fronts"]]
    ours, excused = [], []
    counts = {"all": 0, "gated": 0, "excused": 0, "ours": 0}
    for v in response["violations"]:
        rule_entries = [(i, e) for i, e in entries if e["rule"] == v["id"]]
        for node in v["nodes"]:
            impact = node.get("impact") or v["impact"]
            counts["all"] += 1
            if impact not in GATED:
                continue
            counts["gated"] += 1
            where = page.evaluate(CLASSIFY_JS, [node["target"], OURS,
                                                [e["selector"] for _, e in rule_entries]])
            item = {"rule": v["id"], "impact": impact, "target": node["target"],
                    "html": node["html"][:300], "summary": node.get("failureSummary", "")}
            matched = where.get("matched", []) if where["found"] and not where["ours"] else []
            if matched:
                idx = rule_entries[matched[0]][0]
                used.add(idx)
                excused.append({**item, "entry": idx})
            else:
                ours.append({**item, "found": where["found"],
                             "in_explorer": where.get("ours", False)})
    counts["excused"], counts["ours"] = len(excused), len(ours)
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / f"{front}-{name.removesuffix('.ipynb')}.json").write_text(json.dumps(
        {"front": front, "page": name, "axe": response["testEngine"]["version"], "tags": TAGS,
         "counts": counts, "ours": ours, "excused": excused,
         "violations": response["violations"]}, indent=1))
    return {"ours": ours, "excused": excused, "counts": counts}


def assert_clean(result: dict, where: str) -> None:
    lines = [f"{o['impact']} {o['rule']} at {o['target']}"
             f"{' (inside an explorer)' if o['in_explorer'] else ''}:\n  {o['html']}\n"
             f"  {o['summary']}" for o in result["ours"]]
    assert not lines, (f"{where}: {len(lines)} serious/critical accessibility violation(s) not in "
                       f"{ALLOWLIST.name}:\n" + "\n".join(lines))


def wait_helpers_ready(page, timeout: float = 30.0) -> int:
    """Wait until every explorer's accessibility helper has run: its live region holds the
    readout and every visible slider handle carries a name. Returns the number of explorers."""
    deadline = time.monotonic() + timeout
    while True:
        state = page.evaluate("""() => {
            const roots = [...document.querySelectorAll('.lossviz-explorer')];
            const ready = roots.filter((r) => {
                const live = r.querySelector('.lossviz-live');
                const handles = [...r.querySelectorAll('.noUi-handle')]
                    .filter((e) => e.offsetParent !== null);
                return live && live.textContent.trim()
                    && handles.every((e) => e.getAttribute('aria-label'));
            });
            return [roots.length, ready.length];
        }""")
        if state[0] == state[1]:
            return state[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"only {state[1]} of {state[0]} explorers got their "
                                 "accessibility helper running")
        time.sleep(0.1)


# --- which pages --------------------------------------------------------------------------------
def _notebook_dir_of(config) -> Path:
    """The notebook folder the browser conftest chose (same rules, same stand-in)."""
    for plugin in config.pluginmanager.get_plugins():
        choose = getattr(plugin, "_notebook_dir", None)
        if callable(choose) and getattr(plugin, "__name__", "").endswith("conftest"):
            return choose(config)
    return h.NOTEBOOKS


def pytest_generate_tests(metafunc):
    if "voila_page" in metafunc.fixturenames:
        names = h.all_notebooks(_notebook_dir_of(metafunc.config))
        metafunc.parametrize("voila_page", names, ids=names)


@pytest.fixture(scope="module")
def allowlist() -> list[dict]:
    return load_allowlist()


@pytest.fixture(scope="module")
def used_entries() -> dict:
    """Allow-list entries matched so far in this module, and which pages were audited."""
    return {"used": set(), "pages": set()}


# --- the audits ---------------------------------------------------------------------------------
def test_voila_page_has_no_serious_violations(voila_page, chromium, voila_server, notebook_dir,
                                               allowlist, used_entries):
    explorers = voila_page in h.explorer_notebooks(notebook_dir)
    if explorers:
        page, errors = h.open_voila_page(chromium, voila_server, voila_page)
        wait_helpers_ready(page)
    else:
        page = chromium.new_page(viewport={"width": 1280, "height": 2400})
        errors = h.PageErrors(page, voila_server.url)
        page.goto(f"{voila_server.url}/voila/render/{voila_page}", wait_until="load",
                  timeout=180_000)
        page.wait_for_selector(".jp-Cell", timeout=60_000)
        h.wait_stable_count(page, ".jp-Cell")
    try:
        result = audit(page, "voila", voila_page, allowlist, used_entries["used"])
        used_entries["pages"].add(f"voila:{voila_page}")
        known, hits = KNOWN_CONTENT_BUGS.get(voila_page), []
        if known:
            rule, marker, _ = known
            hits = [o for o in result["ours"] if o["rule"] == rule and marker in o["html"]]
            result["ours"] = [o for o in result["ours"] if o not in hits]
        assert_clean(result, f"Voila {voila_page}")
        assert not errors.page_errors, errors.page_errors
        if known and hits:
            pytest.xfail(f"known, in the notebook's content: {known[0]}: {known[2]}")
        assert not known, (f"{voila_page}: the known {known[0]} violation is gone: delete it "
                           "from KNOWN_CONTENT_BUGS")
    finally:
        page.close(run_before_unload=True)


def _open_and_run(chromium, server, url: str, name: str):
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    errors = h.PageErrors(page, server.url)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_function(KERNEL_IDLE % name, timeout=90_000)
    ok = page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    assert ok is not False, "notebook:run-all-cells reported a failure"
    page.wait_for_function(KERNEL_IDLE % name, timeout=90_000)
    h.wait_stable_count(page, "img.widget-image")
    wait_helpers_ready(page)
    return page, errors


def test_notebook_03_in_jupyterlab_has_no_serious_violations(chromium, lab_server, allowlist,
                                                             used_entries):
    page, _ = _open_and_run(chromium, lab_server, f"{lab_server.url}/lab/tree/{NB03}?reset",
                            NB03)
    try:
        result = audit(page, "lab", NB03, allowlist, used_entries["used"])
        used_entries["pages"].add("lab")
        assert_clean(result, f"JupyterLab {NB03}")
    finally:
        page.close()


@pytest.fixture(scope="module")
def notebook7_server(chromium, notebook_dir, state_dir):
    import shutil

    root = state_dir / "notebook7-a11y-root"
    shutil.copytree(notebook_dir, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server = h.start_notebook7(root, state_dir / "notebook7-a11y")
    yield server
    server.stop()


def test_notebook_03_in_notebook7_has_no_serious_violations(chromium, notebook7_server,
                                                            allowlist, used_entries):
    page, _ = _open_and_run(chromium, notebook7_server,
                            f"{notebook7_server.url}/notebooks/{NB03}", NB03)
    try:
        result = audit(page, "notebook7", NB03, allowlist, used_entries["used"])
        used_entries["pages"].add("notebook7")
        assert_clean(result, f"Notebook 7 {NB03}")
    finally:
        page.close()


def test_present_deck_has_no_serious_violations(chromium, notebook_dir, state_dir, allowlist,
                                                used_entries):
    """The ``make present`` deck of notebook 03 (served by ``browser_harness.start_present``)."""
    if not hasattr(h, "start_present"):
        reason = ("browser_harness.start_present (the `make present` deck server) is not there "
                  "yet, so the deck cannot be audited")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI=true)")
        pytest.skip(reason)
    server = h.start_present(notebook_dir, state_dir / "present-a11y", NB03)
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(server.deck_url, wait_until="load", timeout=180_000)
        page.wait_for_selector(".reveal.ready", timeout=90_000)
        page.wait_for_selector("img.lossviz-picture", state="attached", timeout=120_000)
        wait_helpers_ready(page)
        # axe checks what is shown: the title slide, then the explorer's slide (Space walks
        # through the slides in order).
        result = audit(page, "deck", "03-title", allowlist, used_entries["used"])
        assert_clean(result, f"the deck of {NB03}, title slide")
        page.locator("body").click(position={"x": 5, "y": 5})
        for _ in range(60):
            if page.locator("section.present .lossviz-explorer").count():
                break
            page.keyboard.press("Space")
            time.sleep(0.25)
        assert page.locator("section.present .lossviz-explorer").count(), "no explorer slide"
        time.sleep(1.0)  # the slide transition
        result = audit(page, "deck", "03-explorer", allowlist, used_entries["used"])
        used_entries["pages"].add("deck")
        assert_clean(result, f"the deck of {NB03}, explorer slide")
    finally:
        page.close(run_before_unload=True)
        server.stop()


def test_allowlist_has_no_stale_entries(allowlist, used_entries, notebook_dir):
    """Run after the audits above (file order): every entry must still excuse something, so an
    upstream fix shows up as an entry to delete."""
    expected = {f"voila:{n}" for n in h.all_notebooks(notebook_dir)} | {"lab", "notebook7"}
    missing = expected - used_entries["pages"]
    if missing:
        pytest.skip(f"not every page was audited in this run (missing {sorted(missing)[:3]}...)")
    stale = [f"{e['rule']} / {e['selector']} ({e['component']})"
             for i, e in enumerate(allowlist) if i not in used_entries["used"]]
    assert not stale, f"{ALLOWLIST.name}: entries that no longer match anything: {stale}"


# --- the live region ------------------------------------------------------------------------------
def test_live_region_announces_the_new_numbers_after_a_key_press(chromium, voila_server,
                                                                  notebook_dir):
    """Voila page of 03: after a key press on the log-scale p slider, the polite live region holds
    the readout of the new p: MSE (1 − p)² and cross-entropy −ln p, and the handle's value text
    is p itself (not its exponent)."""
    if NB03 not in h.all_notebooks(notebook_dir):
        pytest.skip(f"{NB03} is not in {notebook_dir}")
    page, _ = h.open_voila_page(chromium, voila_server, NB03)
    try:
        wait_helpers_ready(page)
        root = h.explorer_roots(page).first
        live = root.locator(".lossviz-live")
        assert live.get_attribute("role") == "status"
        assert live.get_attribute("aria-live") == "polite"
        handle = root.locator(".widget-slider .noUi-handle").first
        assert "probability of the true class" in handle.get_attribute("aria-label")
        before = live.inner_text()
        # The explorer starts at p = 0.9; three steps left on the log slider (step 0.001 in
        # log10 p) give p = 10^(log10(0.9) − 0.003).
        # The slider snaps log10 p to its step 0.001: log10 0.9 = −0.0458 sits at −0.046, and three
        # steps left give −0.049, p = 10^−0.049 = 0.8933.
        h.press(handle, "ArrowLeft", 3)
        deadline = time.monotonic() + 15
        while live.inner_text() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        text = live.inner_text()
        assert text != before, f"the live region still says {before!r}"
        p = 10 ** (round(math.log10(0.9), 3) - 0.003)
        # The handle's value text is the slider's readout (3 significant digits), not −0.049.
        assert handle.get_attribute("aria-valuetext") == "0.893"
        # The readout prints p with 3 significant digits, MSE with 4 and CE with 3 decimals.
        assert h.shows_value(text, 0.893), text
        assert h.shows_value(text, round((1 - p) ** 2, 4)), text   # (1 − 0.8933)² = 0.0114
        assert h.shows_value(text, round(-math.log(p), 3)), text   # −ln 0.8933 = 0.113
        assert round((1 - p) ** 2, 4) == 0.0114 and round(-math.log(p), 3) == 0.113
        # Polite and settled: the region changes once after the move, then stays.
        time.sleep(1.0)
        assert live.inner_text() == text
    finally:
        page.close(run_before_unload=True)
