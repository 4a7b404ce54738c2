"""deploy/ agrees with itself, with the README, and with the project's own requirements.

No Kubernetes cluster, Docker daemon or TLJH server is reachable from the machines that build this
collection, so the deployment recipes cannot be run here; these tests keep their figures and names
consistent instead. (The local hub of `make hub` is tested for real in tests/browser/test_hub.py.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def z2jh() -> dict:
    return yaml.safe_load((DEPLOY / "z2jh" / "config.yaml").read_text())


def readme_section(text: str, title: str) -> str:
    """The body of the ``## title`` section of a markdown text."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"no section '## {title}'"
    return match.group(1)


def test_z2jh_config_sets_what_the_course_needs():
    single = z2jh()["singleuser"]
    mem, cpu = single["memory"], single["cpu"]
    # Kubernetes quantities: a number of mebibytes with the M suffix, a fraction of a CPU.
    assert re.fullmatch(r"\d+M", mem["guarantee"]) and re.fullmatch(r"\d+M", mem["limit"])
    assert int(mem["guarantee"][:-1]) < int(mem["limit"][:-1])
    assert 0 < float(cpu["guarantee"]) <= float(cpu["limit"])
    assert single["defaultUrl"] == "/lab/tree/lossviz/notebooks/00_start_here.ipynb"
    assert (ROOT / "notebooks" / "00_start_here.ipynb").is_file()
    assert z2jh()["cull"]["enabled"] is True
    assert z2jh()["hub"]["config"]["JupyterHub"]["implicit_spawn_seconds"] > 0


def test_sizing_figures_agree_across_config_deploy_readme_and_readme():
    single = z2jh()["singleuser"]
    guarantee, limit = single["memory"]["guarantee"], single["memory"]["limit"]
    cpu = single["cpu"]["guarantee"]
    deploy_readme = (DEPLOY / "README.md").read_text()
    readme = readme_section((ROOT / "README.md").read_text(), "Run it for a whole course")
    for where, text in [("deploy/README.md", deploy_readme), ("README.md", readme)]:
        assert f"guarantee: {guarantee}" in text, f"{where} does not say guarantee {guarantee}"
        assert f"limit: {limit}" in text, f"{where} does not say limit {limit}"
        assert f"guarantee: {cpu}" in text, f"{where} does not say CPU guarantee {cpu}"
    # TLJH gets the same per-learner limit.
    assert f"tljh-config set limits.memory {limit}" in deploy_readme
    assert "SIZING_TABLE" not in deploy_readme


def test_dockerfile_builds_from_this_repos_requirements_on_a_pinned_base():
    text = (DEPLOY / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)$", text, flags=re.M).group(1)
    # An official Jupyter image, pinned by its date tag (never a moving tag such as latest).
    assert re.fullmatch(r"quay\.io/jupyter/base-notebook:\d{4}-\d{2}-\d{2}", base), base
    assert "-r /tmp/lossviz/requirements.txt -c /tmp/lossviz/constraints.txt" in text
    pinned = re.search(r"nbgitpuller==([\d.]+)", text).group(1)
    constraints = (ROOT / "constraints.txt").read_text()
    assert f"nbgitpuller=={pinned}\n" in constraints
    copied = re.findall(r"^COPY (deploy/\S+)", text, flags=re.M)
    for src in copied:
        assert (ROOT / src).exists(), f"the Dockerfile copies {src}, which is missing"
    # every Voila setting reaches the image (voila.py: a closed tab shuts its kernel down)
    for setting in sorted((DEPLOY / "jupyter-config").glob("voila.*")):
        assert f"deploy/jupyter-config/{setting.name}" in copied, setting.name
        assert f"deploy/jupyter-config/{setting.name} /opt/tljh/user/etc/jupyter/" in (
            DEPLOY / "README.md").read_text(), f"the TLJH steps do not install {setting.name}"


def test_voila_settings_name_a_template_that_ships_here():
    settings = json.loads((DEPLOY / "jupyter-config" / "voila.json").read_text())
    template = settings["VoilaConfiguration"]["template"]
    folder = DEPLOY / "jupyter-data" / "voila" / "templates" / template
    assert json.loads((folder / "conf.json").read_text())["base_template"] == "lab"
    index = (folder / "index.html.j2").read_text()
    # It names no host at all: its notebook_css block is Voila's without the two stylesheet links
    # (tests/browser/test_hub.py checks in Chromium that a hub page asks nothing of other hosts).
    assert not re.search(r"https?://|//cdn", index), "the hub's Voila template names a host"
    assert "super.super()" in index
    # Its only links are the preloads of the page's own scripts, on the page's own server.
    links = re.findall(r"<link[^>]*>", index)
    assert len(links) == 2 and all(
        'rel="preload"' in link and "page_config[" in link for link in links), links


def test_proxy_is_pinned_exactly_in_package_json_and_its_lock():
    package = json.loads((DEPLOY / "hub" / "package.json").read_text())
    lock = json.loads((DEPLOY / "hub" / "package-lock.json").read_text())
    wanted = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted), "pin configurable-http-proxy exactly"
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == wanted
    assert lock["packages"][""]["dependencies"] == package["dependencies"]


def test_nbgitpuller_links_in_the_docs_match_the_course_layout():
    text = (DEPLOY / "README.md").read_text()
    links = re.findall(r"`(https://HUB/hub/user-redirect/git-pull\?[^`]+)`", text)
    assert len(links) == 2
    for link in links:
        assert "targetpath=lossviz" in link
        notebook = re.search(r"lossviz%2Fnotebooks%2F([\w.]+\.ipynb)", link).group(1)
        assert (ROOT / "notebooks" / notebook).is_file(), notebook


def test_make_hub_runs_the_config_the_tests_run():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^hub: .*\$\(CHP\)", makefile, flags=re.M)
    assert "jupyterhub_config.py" in makefile
    assert "make hub" in readme_section((ROOT / "README.md").read_text(),
                                        "Run it for a whole course")
    harness = (ROOT / "tests" / "browser" / "hub_harness.py").read_text()
    assert 'CONFIG = HUB_DIR / "jupyterhub_config.py"' in harness


def test_explore_and_classroom_serve_the_same_cdn_free_page(tmp_path):
    # One page template for every dashboard route: the hub's (above), `make explore` (JUPYTER_PATH
    # + the template named in deploy/jupyter-config/voila.json) and the classroom's lossviz-lab (a
    # copy written at start). tests/browser/test_voila.py and test_classroom.py check in Chromium
    # that the pages ask no other host for anything.
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("present", ROOT / "tools" / "present.py")
    present = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec.loader.exec_module(present)
    finally:
        sys.path.remove(str(ROOT / "tools"))
    source = DEPLOY / "jupyter-data" / "voila" / "templates" / "lossviz" / "index.html.j2"
    assert present.LAB_PAGE_SRC == source
    present.build_templates(tmp_path)
    lab = tmp_path / "voila" / "templates" / "lossviz-lab"
    assert (lab / "index.html.j2").read_text() == source.read_text()
    # ... with the list of scripts the page preloads, which the page imports
    preload = source.parent / "preload.html.j2"
    assert (lab / "preload.html.j2").read_text() == preload.read_text()
    # ... and the redraw of widget outputs a busy page failed to draw, which the deck uses too
    recovery = source.parent / "widget_recovery.html.j2"
    deck = tmp_path / "voila" / "templates" / "lossviz-reveal"
    for template in (lab, deck):
        assert (template / recovery.name).read_text() == recovery.read_text(), template.name
    assert 'import widget_recovery_js' in (deck / "index.html.j2").read_text()
    assert 'import widget_recovery_js' in source.read_text()
    assert (lab / "error.html").is_file()
    makefile = (ROOT / "Makefile").read_text()
    start = makefile.index("\nexplore:")
    explore = makefile[start:makefile.index("\n\n", start)]
    assert 'JUPYTER_PATH="$(abspath deploy/jupyter-data)' in explore
    # make explore reads the hub's Voila settings (template and extension denylist) from
    # deploy/jupyter-config/voila.json; make present and make classroom pass the same denylist,
    # and every route runs its kernels with the same settings (KERNEL_ENV).
    assert 'JUPYTER_CONFIG_PATH="$(abspath deploy/jupyter-config)' in explore
    settings = json.loads((DEPLOY / "jupyter-config" / "voila.json").read_text())
    denied = settings["VoilaConfiguration"]["extension_denylist"]
    assert settings["VoilaConfiguration"]["template"] == "lossviz"
    assert present.extension_denylist(standalone=False) == denied
    # A Voila server of its own also leaves out the MathJax 3 extension; the hub's Voila (inside
    # a Jupyter server, which hands it a MathJax URL) keeps it, or maths would come from a CDN.
    standalone = denied + ["@jupyterlab/mathjax3-extension"]
    assert present.extension_denylist() == standalone
    assert present.EXTENSION_DENYLIST == f"--VoilaConfiguration.extension_denylist={standalone!r}"
    assert "present.extension_denylist()" in explore
    assert "@jupyter-notebook/lab-extension" in denied
    assert "@jupyterlab/mathjax3-extension" not in denied
    assert all(f"{k}={v}" in explore for k, v in present.KERNEL_ENV.items()), explore
    assert present.environment(tmp_path, {})["JUPYTER_WIDGETS_ECHO"] == "0"


def _preload_lists() -> tuple[list[str], dict[str, list[str]]]:
    import jinja2

    source = (DEPLOY / "jupyter-data" / "voila" / "templates" / "lossviz" / "preload.html.j2")
    module = jinja2.Environment().from_string(source.read_text()).module
    return module.voila_scripts, module.extension_scripts


def test_preload_list_names_the_installed_front_end_files():
    """Every script the dashboard template preloads is a file of the installed Voila or of an
    installed front-end extension (the browser test checks that a page loads exactly these)."""
    from jupyter_core.paths import jupyter_path

    voila_scripts, extension_scripts = _preload_lists()
    assert voila_scripts[0] == "voila.js", "voila.js (the page's main script) comes first"
    static = [Path(d) / "templates" / "base" / "static" for d in jupyter_path("voila")]
    stale = [p for p in voila_scripts
             if not any((d / p.split("?")[0]).is_file() for d in static)]
    roots = [Path(d) for d in jupyter_path("labextensions")] + [
        Path(d) / "labextensions" for d in jupyter_path("voila")]
    stale += [f"{name}/{p}" for name, paths in extension_scripts.items() for p in paths
              if not any((r / name / p.split("?")[0]).is_file() for r in roots)]
    assert not stale, f"not installed (regenerate the list with `make preload`): {stale[:5]}"
    # 73 of Voila's scripts and 20 of four extensions when recorded (voila 0.5.13)
    assert len(voila_scripts) >= 50 and set(extension_scripts) >= {
        "@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"}


def test_preload_recorder_keeps_each_servers_script_once():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import voila_preload

    base = "http://127.0.0.1:8866"
    voila, extensions = voila_preload.split_script_urls([
        f"{base}/voila/static/voila.js",
        f"{base}/voila/static/3992.voila.js",
        f"{base}/voila/static/voila.js",                        # twice: kept once
        f"{base}/voila/labextensions/@scope/ext/static/remoteEntry.ab.js",
        f"{base}/voila/labextensions/@scope/ext/static/7.cd.js?v=cd",
        f"{base}/voila/labextensions/plain/static/1.js",
        f"{base}/voila/templates/lossviz/static/voila-style.js?v=1",  # the template's own
        "blob:http://127.0.0.1:8866/0b6e",                      # made in the page
    ], "/voila/static", "/voila/labextensions")
    assert voila == ["voila.js", "3992.voila.js"]
    assert extensions == {"@scope/ext": ["static/remoteEntry.ab.js", "static/7.cd.js?v=cd"],
                          "plain": ["static/1.js"]}
