"""The collection on a real JupyterHub (the one ``make hub`` runs): configurable-http-proxy from
npm, JupyterHub from PyPI, SimpleLocalProcessSpawner, the shared-password login form.

Three learners log in through the hub's login form in Chromium, each in a browser context of
their own (their own cookies), and move the slider of notebook 03 on their own server. Then:
one learner cannot reach another's server or files; a request without a login gets the login
page; a file saved by a learner is still there after their server is stopped and started again.
Every request that would leave 127.0.0.1 is aborted and listed, and there must be none.

Skipped without Node.js or configurable-http-proxy (``make test`` installs it from npm), except
under CI=true, where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import browser_harness as h
import hub_harness as hh
import pytest

pytestmark = pytest.mark.browser

LEARNERS = ("ada", "ben", "cleo")


@pytest.fixture(scope="module")
def hub(chromium):
    reason = hh.hub_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: the hub tests must run in CI)")
        pytest.skip(reason)
    state = Path(tempfile.mkdtemp(prefix="lossviz-hub-"))
    hub = hh.start_hub(state)
    yield hub
    hub.stop()
    shutil.rmtree(state, ignore_errors=True)


class Learner:
    """One learner: a browser context (own cookies) with the off-network guard, and a page."""

    def __init__(self, browser, hub: hh.Hub, name: str):
        self.name, self.hub = name, hub
        self.context = browser.new_context(viewport={"width": 1280, "height": 2400})
        self.guard = hh.OffNetworkGuard(self.context)
        self.page = self.context.new_page()
        self.errors = h.PageErrors(self.page, hub.url)

    def get(self, path: str, **kwargs):
        """An HTTP GET with this learner's cookies (no page)."""
        return self.context.request.get(self.hub.url + path, **kwargs)


@pytest.fixture(scope="module")
def learners(chromium, hub):
    """The three learners, logged in through the login form, each on notebook 03 in Voila."""
    logged_in = {}
    for name in LEARNERS:
        learner = Learner(chromium, hub, name)
        hh.log_in(learner.page, hub, name, hh.voila_path(name))
        learner.root = hh.wait_for_explorer(learner.page, hub=hub, user=name)
        logged_in[name] = learner
    yield logged_in
    for learner in logged_in.values():
        learner.page.close(run_before_unload=True)
        learner.context.close()


def test_three_learners_log_in_and_move_their_own_slider(hub, learners, screenshot_dir):
    servers = {}
    for name, learner in learners.items():
        page = learner.page
        # The login form sent each learner on to notebook 03 on their own server.
        assert urlparse(page.url).path == hh.voila_path(name), page.url
        h.assert_no_widget_failures(page)
        before, after = hh.move_slider(learner.root, "ArrowLeft", 3)
        assert after["digest"] != before["digest"], f"{name}: the picture did not change"
        assert after["readout"] != before["readout"], f"{name}: the numbers did not change"
        # The slider's readout (p) moved down: three presses to the left lower p.
        p_before, p_after = h.numbers_in(before["values"][0]), h.numbers_in(after["values"][0])
        assert p_after[0] < p_before[0], (name, before["values"], after["values"])
        learner.page.screenshot(path=str(screenshot_dir / f"hub-{name}-03.png"))
        assert not learner.errors.page_errors, learner.errors.page_errors
        # Each learner's server is theirs: a server of their own on its own port, and the course
        # notebooks were copied into their own home.
        model = hub.server_model(name)
        assert model["ready"] and model["url"] == f"/user/{name}/", model
        servers[name] = model
        assert (hub.home(name) / hh.EXPLORER_NOTEBOOK).is_file()
    assert len({s["started"] for s in servers.values()}) == len(LEARNERS)
    processes = {name: hh.learner_processes(name) for name in LEARNERS}
    for name, procs in processes.items():
        # The single-user server and at least the kernel of the open Voila page.
        assert len(procs) >= 2, f"{name}: processes {procs}"
    pids = [p.pid for procs in processes.values() for p in procs]
    assert len(pids) == len(set(pids)), "two learners share a process"
    for name, learner in learners.items():
        assert learner.guard.aborted == [], f"{name}'s page asked for other hosts"


def test_a_learner_cannot_open_another_learners_server_or_files(hub, learners):
    ada, ben = learners["ada"], learners["ben"]
    secret = "ben's private answer: 42"
    (hub.home("ben") / "private.txt").write_text(secret)
    # Ben can read his own file over HTTP (so the paths below are the right ones).
    own = ben.get("/user/ben/files/private.txt")
    assert own.status == 200 and own.text() == secret, (own.status, own.url)

    for path in ["/user/ben/files/private.txt", "/user/ben/api/contents/private.txt",
                 "/user/ben/api/contents", hh.voila_path("ben"), "/user/ben/lab"]:
        response = ada.get(path)
        final = urlparse(response.url).path
        # 403, or sent back to Ada's own server: never Ben's content.
        assert response.status == 403 or final.startswith("/user/ada/"), (
            path, response.status, response.url)
        assert secret not in response.text(), path
        assert "ben's private" not in response.text()
    # In the browser too: Ada's tab on Ben's dashboard shows no explorer.
    page = ada.context.new_page()
    response = page.goto(hub.url + hh.voila_path("ben"), wait_until="load")
    assert response.status == 403 or urlparse(page.url).path.startswith("/user/ada/"), page.url
    assert page.locator("img.widget-image").count() == 0
    page.close()
    # Through the hub's API with her own session, Ada cannot even see Ben (404: the hub does not
    # say whether a user it hides exists), nor stop his server, even with her valid XSRF token.
    assert ada.get("/hub/api/users/ben").status in (403, 404)
    xsrf = next(c["value"] for c in ada.context.cookies(hub.url + "/hub/") if c["name"] == "_xsrf")
    stop = ada.context.request.delete(hub.url + "/hub/api/users/ben/server",
                                      headers={"X-XSRFToken": xsrf})
    assert stop.status in (403, 404), stop.status
    assert hub.server_model("ben")["ready"], "Ben's server was stopped by Ada"


def test_a_request_without_login_gets_the_login_page(chromium, hub, learners):
    context = chromium.new_context()
    guard = hh.OffNetworkGuard(context)
    page = context.new_page()
    for path in [hh.voila_path("ada"), "/user/ada/files/03_confidently_wrong.ipynb", "/hub/home"]:
        page.goto(hub.url + path, wait_until="load")
        url = urlparse(page.url)
        assert url.path == "/hub/login", (path, page.url)
        assert page.locator("#username_input").is_visible()
        assert page.locator("#password_input").is_visible()
        assert page.locator("img.widget-image").count() == 0
    # The API answers 403 to a request with no credentials: no notebook content.
    api = context.request.get(hub.url + "/user/ada/api/contents/03_confidently_wrong.ipynb")
    assert api.status == 403, api.status
    assert "confident" not in api.text()
    # A wrong password keeps the learner on the login page, with no server started for them.
    hh.log_in(page, hub, "mallory", hh.voila_path("mallory"), password="not-the-password")
    page.wait_for_load_state("load")
    assert urlparse(page.url).path == "/hub/login", page.url
    assert hub.api("GET", "/users/mallory")[0] == 404
    assert guard.aborted == []
    context.close()


def test_a_saved_file_survives_a_server_restart(hub, learners):
    cleo = learners["cleo"]
    # Cleo saves a file and edits a course notebook through her server's Contents API, as
    # JupyterLab does (her cookies, and the XSRF token her server set).
    cleo.get("/user/cleo/lab")  # sets the _xsrf cookie of her server
    xsrf = next(c["value"] for c in cleo.context.cookies(hub.url + "/user/cleo/")
                if c["name"] == "_xsrf")
    headers = {"X-XSRFToken": xsrf, "Content-Type": "application/json"}
    note = "p = 0.01: cross-entropy -ln 0.01 = 4.605, MSE 0.99^2 = 0.9801"
    saved = cleo.context.request.put(
        hub.url + "/user/cleo/api/contents/my_notes.txt", headers=headers,
        data=json.dumps({"type": "file", "format": "text", "content": note}))
    assert saved.status in (200, 201), (saved.status, saved.text())
    nb = cleo.get("/user/cleo/api/contents/00_start_here.ipynb").json()["content"]
    nb["cells"].insert(0, {"cell_type": "markdown", "id": "cleo-note", "metadata": {},
                           "source": "Cleo's own note"})
    edited = cleo.context.request.put(
        hub.url + "/user/cleo/api/contents/00_start_here.ipynb", headers=headers,
        data=json.dumps({"type": "notebook", "format": "json", "content": nb}))
    assert edited.status == 200, (edited.status, edited.text())
    first = hub.server_model("cleo")

    hub.stop_server("cleo")
    assert hh.learner_processes("cleo") == []
    # With her server stopped, her files are not served.
    assert cleo.get("/user/cleo/api/contents/my_notes.txt").status != 200

    second = hub.start_server("cleo")
    assert second["started"] != first["started"], "the server was not restarted"
    # Cleo opens her dashboard again: the restarted server logs her in through the hub (OAuth
    # redirects, no password), and the explorer works.
    page = cleo.context.new_page()
    page.goto(hub.url + hh.voila_path("cleo"), wait_until="load", timeout=180_000)
    assert urlparse(page.url).path == hh.voila_path("cleo"), page.url
    root = hh.wait_for_explorer(page)
    before, after = hh.move_slider(root, "ArrowLeft", 2)
    assert after["digest"] != before["digest"]
    page.close(run_before_unload=True)
    # Her file is still there, and the copy of the course notebooks made at each start did not
    # overwrite her edit.
    again = cleo.get("/user/cleo/api/contents/my_notes.txt")
    assert again.status == 200, again.status
    assert again.json()["content"] == note
    nb = cleo.get("/user/cleo/api/contents/00_start_here.ipynb").json()["content"]
    assert nb["cells"][0]["source"] == "Cleo's own note"
    assert (hub.home("cleo") / "my_notes.txt").read_text() == note
    assert cleo.guard.aborted == []


def test_an_nbgitpuller_link_clones_the_course_and_opens_a_dashboard(chromium, hub):
    """The link format of deploy/README.md, on this repository as the course: the learner logs
    in, nbgitpuller clones the course into their home, and Voila opens notebook 03 from it."""
    branch = subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=hh.REPO,
                            capture_output=True, text=True, check=False).stdout.strip()
    if not (hh.REPO / ".git").exists():
        pytest.skip("this checkout is not a git repository: nothing for nbgitpuller to clone")
    link = hh.nbgitpuller_path(str(hh.REPO), branch if branch not in ("", "HEAD") else None,
                               f"voila/render/lossviz/notebooks/{hh.EXPLORER_NOTEBOOK}")
    learner = Learner(chromium, hub, "dora")
    hh.log_in(learner.page, hub, "dora", link)
    root = hh.wait_for_explorer(learner.page, hub=hub, user="dora")
    assert urlparse(learner.page.url).path == (
        f"/user/dora/voila/render/lossviz/notebooks/{hh.EXPLORER_NOTEBOOK}"), learner.page.url
    before, after = hh.move_slider(root, "ArrowLeft", 2)
    assert after["digest"] != before["digest"]
    clone = hub.home("dora") / "lossviz"
    assert (clone / ".git").is_dir()
    assert (clone / "notebooks" / hh.EXPLORER_NOTEBOOK).is_file()
    assert learner.guard.aborted == [], learner.guard.aborted
    learner.page.close(run_before_unload=True)
    learner.context.close()
