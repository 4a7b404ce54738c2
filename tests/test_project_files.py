"""The project's setup files agree with each other.

conda cannot be installed on the machines that build this collection, so nothing solves
environment.yml there: these tests keep it in step with requirements.txt instead. They also check
that constraints.txt pins everything the requirements name, that `import lossviz` stays light, and
that tools/run_notebooks.py makes re-executed notebooks deterministic.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # requirements-dev.txt installs tomli on Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

# pip name -> conda-forge name, where they differ. matplotlib-base is matplotlib without a GUI
# toolkit (the "matplotlib" conda package also pulls in Qt).
# Installed by the pip section of environment.yml (from PyPI) rather than from conda-forge.
PIP_ONLY = {"sphinx-revealjs", "xstatic-font-awesome", "xstatic-jquery"}
PIP_TO_CONDA = {
    "matplotlib": "matplotlib-base",
    "jupyterlab-rise": "jupyterlab_rise",
}


def read_requirements(name: str) -> dict[str, Requirement]:
    """Requirements of a pip requirements file, following `-r` includes, keyed by canonical name."""
    reqs: dict[str, Requirement] = {}
    for raw in (ROOT / name).read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r"):
            reqs.update(read_requirements(line[2:].strip()))
            continue
        req = Requirement(line)
        key = canonicalize_name(req.name)
        assert key not in reqs, f"{name}: {req.name} is listed twice"
        reqs[key] = req
    return reqs


def read_constraints() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for raw in (ROOT / "constraints.txt").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line)
        assert match, f"constraints.txt: {line!r} is not an exact pin name==version"
        key = canonicalize_name(match.group(1))
        assert key not in pins, f"constraints.txt: {match.group(1)} is pinned twice"
        pins[key] = Version(match.group(2))
    return pins


def read_conda_env() -> tuple[dict[str, SpecifierSet], list]:
    """(conda-forge name -> version range, pip section) of environment.yml."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    specs: dict[str, SpecifierSet] = {}
    pip_section: list = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section.extend(dep["pip"])
            continue
        # conda match specs here have the form name>=a,<b (or a bare name)
        match = re.fullmatch(r"([A-Za-z0-9._-]+)\s*(.*)", dep)
        assert match, dep
        specs[match.group(1)] = SpecifierSet(match.group(2))
    return specs, pip_section


def test_requirement_files_parse_to_the_expected_packages():
    learner = set(read_requirements("requirements.txt"))
    assert learner == {
        "numpy", "matplotlib", "ipywidgets", "anywidget", "jupyterlab", "notebook", "ipykernel",
        "voila", "jupyterlab-rise", "ipympl",
        # make present's offline assets (reveal.js CSS and themes, Font Awesome, jQuery)
        "sphinx-revealjs", "xstatic-font-awesome", "xstatic-jquery",
    }
    dev = set(read_requirements("requirements-dev.txt"))
    # requirements-dev.txt includes requirements.txt (-r) and adds the test and lint tools.
    assert dev - learner == {
        "pytest", "nbval", "nbconvert", "nbclient", "nbformat", "hypothesis", "ruff",
        "playwright", "axe-playwright-python", "jupyterhub", "nbgitpuller", "packaging", "pyyaml",
        "tomli",
    }


def test_requirement_ranges_have_a_lower_bound_and_a_cap():
    for name, req in read_requirements("requirements.txt").items():
        ops = sorted(spec.operator for spec in req.specifier)
        assert ops == ["<", ">="], f"requirements.txt: {name} should read name>=low,<cap"


def test_environment_yml_lists_the_same_packages_as_requirements_txt():
    pip_reqs = read_requirements("requirements.txt")
    conda_specs, pip_section = read_conda_env()

    expected = {PIP_TO_CONDA.get(name, name) for name in pip_reqs if name not in PIP_ONLY}
    listed = set(conda_specs) - {"python", "pip"}
    assert listed == expected, (
        f"only in environment.yml: {sorted(listed - expected)}; "
        f"only in requirements.txt: {sorted(expected - listed)}"
    )
    for name, req in pip_reqs.items():
        if name in PIP_ONLY:
            continue
        conda_name = PIP_TO_CONDA.get(name, name)
        # Same range on both sides, e.g. numpy: ">=1.24,<3" in each file.
        assert conda_specs[conda_name] == req.specifier, (
            f"{name}: requirements.txt says {req.specifier}, "
            f"environment.yml says {conda_specs[conda_name]}"
        )
    # lossviz itself is not on conda-forge: the pip section installs this checkout, and the
    # pip-only packages with requirements.txt's ranges, e.g. "sphinx-revealjs>=3.2,<4".
    assert pip_section[0] == "-e ."
    pip_only = {canonicalize_name(Requirement(r).name): Requirement(r) for r in pip_section[1:]}
    assert set(pip_only) == PIP_ONLY
    for name, req in pip_only.items():
        assert req.specifier == pip_reqs[name].specifier, (
            f"{name}: requirements.txt says {pip_reqs[name].specifier}, "
            f"environment.yml's pip section says {req.specifier}"
        )


def test_environment_yml_python_matches_pyproject():
    conda_specs, _ = read_conda_env()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requires_python = SpecifierSet(project["requires-python"])
    assert conda_specs["python"] == requires_python == SpecifierSet(">=3.10")


@pytest.mark.parametrize("req_file", ["requirements.txt", "requirements-dev.txt"])
def test_every_requirement_is_pinned_within_its_range(req_file):
    pins = read_constraints()
    for name, req in read_requirements(req_file).items():
        assert name in pins, f"{req_file}: {req.name} has no pin in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {name}=={pins[name]}, outside {req_file}'s range {req.specifier}"
        )


def test_constraints_do_not_pin_lossviz_or_torch():
    pins = read_constraints()
    # lossviz is this checkout; only `make test WITH_TORCH=1` installs torch, with its own pin.
    assert "lossviz" not in pins
    assert "torch" not in pins
    # A sample of the transitive pins, so that an empty or truncated file fails.
    assert pins["jupyter-server"] >= Version("2")
    assert pins["pyzmq"] >= Version("25")


def test_makefile_installs_torch_only_with_an_exact_pin():
    makefile = (ROOT / "Makefile").read_text()
    specs = re.findall(r"torch[=<>~!]=?[^\s\"']*", makefile)
    assert specs and set(specs) == {"torch==2.13.0"}, specs
    assert re.search(r"^TORCH_SPEC := torch==2\.13\.0$", makefile, flags=re.MULTILINE)


def test_pyproject_metadata():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = pyproject["project"]
    assert (project["name"], project["version"]) == ("lossviz", "0.1.0")
    # The package itself needs numpy only, with the same range as requirements.txt.
    assert project["dependencies"] == ["numpy>=1.24,<3"]
    numpy_req = Requirement(project["dependencies"][0])
    assert numpy_req.specifier == read_requirements("requirements.txt")["numpy"].specifier
    assert pyproject["tool"]["setuptools"]["package-data"]["lossviz"] == ["_text/*.txt"]
    markers = {m.split(":")[0] for m in pyproject["tool"]["pytest"]["ini_options"]["markers"]}
    assert markers == {"browser", "torch"}
    assert pyproject["tool"]["ruff"]["line-length"] == 100


def test_import_lossviz_imports_numpy_and_nothing_heavy():
    code = (
        "import json, sys\n"
        "import lossviz\n"
        "heavy = ['matplotlib', 'ipywidgets', 'torch', 'scipy', 'IPython']\n"
        "print(json.dumps({'numpy': 'numpy' in sys.modules,\n"
        "                  'loaded': [m for m in heavy if m in sys.modules]}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"numpy": True, "loaded": []}


def test_ci_script_is_executable_and_runs_make_test_with_torch():
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert "set -euo pipefail" in text
    assert "unset MPLBACKEND" in text
    assert "make test --no-print-directory WITH_TORCH=1" in text


# --- tools/run_notebooks.py: normalisation -------------------------------------------------------


def load_run_notebooks():
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "tools/run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def executed_notebook(model_ids: list[str], first_count: int) -> nbformat.NotebookNode:
    """A notebook as a run leaves it: widget state, run-specific ids and counts, timing metadata."""
    view = "application/vnd.jupyter.widget-view+json"
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["kernelspec"] = {"name": "venv", "display_name": "venv", "language": "py"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Title", id="title")]
    for i, model_id in enumerate(model_ids):
        cell = nbformat.v4.new_code_cell(
            f"slider_{i}", execution_count=first_count + i, id=f"cell-{i}"
        )
        cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
        cell.outputs = [
            nbformat.v4.new_output(
                "execute_result",
                data={view: {"model_id": model_id, "version_major": 2, "version_minor": 0},
                      "text/plain": "IntSlider(value=3)"},
                execution_count=first_count + i,
            )
        ]
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_code_cell("", id="empty"))  # an empty cell is not executed
    return nb


def test_run_notebooks_normalise_makes_two_runs_identical():
    rn = load_run_notebooks()
    first = rn.normalise(executed_notebook(["a" * 32, "b" * 32], first_count=7), "01_x.ipynb")
    second = rn.normalise(executed_notebook(["c" * 32, "d" * 32], first_count=1), "01_x.ipynb")
    assert nbformat.writes(first) == nbformat.writes(second)

    assert "widgets" not in first.metadata
    assert first.metadata["kernelspec"] == {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3",
    }
    assert "version" not in first.metadata["language_info"]
    code = [c for c in first.cells if c.cell_type == "code"]
    # Counts 7, 8 become 1, 2; the empty cell keeps no count.
    assert [c.execution_count for c in code] == [1, 2, None]
    assert [c.outputs[0]["execution_count"] for c in code[:2]] == [1, 2]
    assert all("execution" not in c.metadata for c in code)
    ids = [c.outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
           for c in code[:2]]
    assert ids[0] != ids[1]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    # Another notebook gets other ids, so two notebooks never share a model id.
    other = rn.normalise(executed_notebook(["e" * 32], first_count=1), "02_y.ipynb")
    other_id = other.cells[1].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert other_id["model_id"] not in ids
