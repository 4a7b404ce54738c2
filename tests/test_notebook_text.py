"""The notebooks' text: headings, one-line summaries, the landing page and the README table.

- Every notebook has exactly one h1 (``# ``) heading in its markdown cells, and headings never skip
  a level (an h3 follows an h1 or h2 only after an h2 has opened the section).
- Every numbered notebook has a one-line summary in ``metadata["lossviz"]["summary"]`` that says
  what *it* teaches, not a recap of another notebook.
- The landing page (``notebooks/index.ipynb``, stored executed) and the README's table of notebooks
  show exactly those summaries.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ALL_NOTEBOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))
NUMBERED = [p for p in ALL_NOTEBOOKS if p.name != "index.ipynb"]


def load_tool():
    path = ROOT / "tools/notebook_index.py"
    spec = importlib.util.spec_from_file_location("notebook_index", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def markdown_headings(nb: dict) -> list[tuple[int, str, int]]:
    """(level, text, cell index) of every ATX heading in the markdown cells, outside code fences."""
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        in_fence = False
        for line in "".join(cell["source"]).splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
                continue
            match = re.match(r"^(#{1,6})\s+(.*\S)", line)
            if match and not in_fence:
                found.append((len(match.group(1)), match.group(2), index))
    return found


def heading_problems(headings: list[tuple[int, str, int]]) -> list[str]:
    """Why a list of headings breaks the rules (an empty list when it does not)."""
    problems = []
    h1 = [h for h in headings if h[0] == 1]
    if len(h1) != 1:
        problems.append(f"{len(h1)} h1 headings, expected exactly 1: {[h[1] for h in h1]}")
    if headings and headings[0][0] != 1:
        problems.append(f"the first heading is h{headings[0][0]} {headings[0][1]!r}, not the h1")
    previous = 0
    for level, text, index in headings:
        if level > previous + 1:
            problems.append(f"cell {index}: h{level} {text!r} follows h{previous} (skips a level)")
        previous = level
    return problems


def test_heading_rules_catch_the_mistakes_they_describe():
    # The checker itself must fail on the mistakes it is there for.
    assert heading_problems([(1, "T", 0), (2, "A", 1), (3, "a", 2), (2, "B", 3)]) == []
    assert heading_problems([(1, "T", 0), (3, "a", 1)]) == [
        "cell 1: h3 'a' follows h1 (skips a level)"]
    assert heading_problems([(1, "T", 0), (2, "A", 1), (1, "U", 2)])[0].startswith("2 h1 headings")
    assert heading_problems([(2, "A", 0)])[0].startswith("0 h1 headings")
    nb = {"cells": [{"cell_type": "markdown", "source": ["# T\n", "```\n", "# not a heading\n",
                                                         "```\n", "## A"]},
                    {"cell_type": "code", "source": ["# a comment, not a heading"]}]}
    assert markdown_headings(nb) == [(1, "T", 0), (2, "A", 0)]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_one_h1_and_no_skipped_heading_levels(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = heading_problems(markdown_headings(nb))
    assert not problems, f"{path.name}: " + "; ".join(problems)


# --- one-line summaries -----------------------------------------------------------------------

# Openings of a recap ("In 01 · MSE ... the target was ...", "[02 · ...](...) ended with ...").
RECAP_OPENING = re.compile(r"^(\[|in\b|as\b|after\b|like\b|unlike\b|following\b|previously\b)",
                           re.IGNORECASE)


def recap_problem(summary: str, own_stem: str, stems: list[str], titles: dict[str, str]) -> str:
    """Why ``summary`` reads as a recap of another notebook ('' when it does not)."""
    if RECAP_OPENING.match(summary):
        return f"starts like a recap: {summary[:40]!r}"
    for stem in stems:
        if stem == own_stem:
            continue
        number = stem[:2]
        if re.search(rf"(?<![\d./]){number}(?![\d.%/])", summary):
            return f"names notebook {number}"
        if titles[stem].lower() in summary.lower():
            return f"quotes the title of {stem}"
    return ""


def titles_by_stem() -> dict[str, str]:
    titles = {}
    for path in NUMBERED:
        nb = json.loads(path.read_text(encoding="utf-8"))
        h1 = [t for level, t, _ in markdown_headings(nb) if level == 1]
        titles[path.stem] = h1[0].split("·", 1)[-1].strip() if h1 else path.stem
    return titles


def test_recap_check_rejects_a_recap():
    stems = [p.stem for p in NUMBERED]
    titles = titles_by_stem()
    first_sentence_of_02 = "In 01 · MSE on house prices the target was a number."
    assert recap_problem(first_sentence_of_02, "02_cross_entropy_cat_dog_bird", stems, titles)
    assert recap_problem("Where 03 left off: training.", "04_gradients_and_saturation", stems,
                         titles) == "names notebook 03"
    assert recap_problem("Logits, softmax and 0.05 probabilities.", "02_cross_entropy_cat_dog_bird",
                         stems, titles) == ""
    # a fraction is a number, not a notebook: 01's "MSE (= 11/3)" does not name notebook 11
    assert recap_problem("MSE (= 11/3) on three houses.", "01_mse_house_prices", stems,
                         titles) == ""


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_summary_is_one_line_about_its_own_notebook(path):
    tool = load_tool()
    summary = tool.summary_of(path)                   # raises when missing or not one line
    assert 30 <= len(summary) <= 300, f"{path.name}: summary of {len(summary)} characters"
    assert "$" not in summary.replace("$1M", ""), f"{path.name}: no TeX in the summary, please"
    problem = recap_problem(summary, path.stem, [p.stem for p in NUMBERED], titles_by_stem())
    assert not problem, f"{path.name}: the summary {problem}; say what this notebook teaches"


def test_summary_of_gives_a_clear_error_when_missing(tmp_path):
    tool = load_tool()
    bad = tmp_path / "09_new.ipynb"
    bad.write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")
    missing = r'09_new.ipynb: metadata\["lossviz"\]\["summary"\] is missing'
    with pytest.raises(ValueError, match=missing):
        tool.summary_of(bad)
    bad.write_text(json.dumps({"cells": [], "metadata": {"lossviz": {"summary": "a\nb"}}}))
    with pytest.raises(ValueError, match="must be one line"):
        tool.summary_of(bad)


def test_readme_table_matches_the_metadata():
    tool = load_tool()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    expected = tool.readme_table()
    assert len(expected) == 2 + len(NUMBERED)
    assert tool.replace_table(readme, expected) == readme, (
        "README.md's table of notebooks differs from the notebooks' metadata summaries; "
        "run .venv/bin/python tools/notebook_index.py --write")
    # Written out for one row, so the comparison above is known to look at the right thing.
    first = NUMBERED[0]
    assert f"| `{first.stem}` | {tool.summary_of(first)} |" in readme.splitlines()


def test_replace_table_swaps_only_the_table():
    tool = load_tool()
    text = ("# X\n\n## Notebooks\n\nintro\n\n| notebook | in one line |\n|---|---|\n"
            "| `a` | old |\n\nafter\n")
    new = tool.replace_table(text, tool.TABLE_HEADER + ["| `a` | new |"])
    assert new == text.replace("| old |", "| new |")
    with pytest.raises(ValueError, match="no \"## Notebooks\" section"):
        tool.replace_table("# X\n", [])


def test_landing_page_shows_every_summary():
    """The stored, executed index.ipynb lists each notebook once, with its metadata summary."""
    tool = load_tool()
    index = json.loads((NOTEBOOKS / "index.ipynb").read_text(encoding="utf-8"))
    html_outputs = ["".join(o["data"]["text/html"])
                    for c in index["cells"] if c["cell_type"] == "code"
                    for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert len(html_outputs) == 1, "index.ipynb must be stored executed with one HTML list"
    items = re.findall(r"<li>(.*?)</li>", html_outputs[0], flags=re.S)
    assert len(items) == len(NUMBERED)
    for path, item in zip(NUMBERED, items, strict=True):
        assert f'<a href="{path.name}">' in item, f"{path.name} is not linked in order"
        after_link = item.split("</a>", 1)[1]
        after_link = after_link.removeprefix(" <strong>live</strong>").removeprefix(": ")
        shown = html.unescape(re.sub(r"<[^>]+>", "", after_link))
        want = re.sub(r"[`*]", "", tool.summary_of(path))
        assert shown == want, (f"index.ipynb shows {shown!r} for {path.name}, its metadata says "
                               f"{want!r}; re-run tools/run_notebooks.py notebooks/index.ipynb")
