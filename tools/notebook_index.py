"""The list of notebooks, from one source: each notebook's ``metadata["lossviz"]["summary"]``.

Usage::

    .venv/bin/python tools/notebook_index.py            # print the README table
    .venv/bin/python tools/notebook_index.py --write    # rewrite the table in README.md
    .venv/bin/python tools/notebook_index.py --check    # exit 1 if README.md is out of step

Every numbered notebook carries a one-line summary of what it teaches in its own metadata. The
landing page (``notebooks/index.ipynb``) reads those summaries when it runs, and this tool writes
the same summaries into the table under "## Notebooks" in README.md; ``tests/test_notebook_text.py``
fails when the README table, the landing page's stored output and the metadata disagree.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
LANDING = "index.ipynb"
TABLE_HEADER = ["| notebook | in one line |", "|---|---|"]


def summary_of(path: Path) -> str:
    """The notebook's one-line summary; a clear error when it is missing or not one line."""
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    summary = meta.get("lossviz", {}).get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise ValueError(f'{path.name}: metadata["lossviz"]["summary"] is missing; add a one-line '
                         "summary of what the notebook teaches (Edit -> Notebook metadata)")
    if "\n" in summary or summary != summary.strip():
        raise ValueError(f'{path.name}: metadata["lossviz"]["summary"] must be one line without '
                         f"leading or trailing spaces, got {summary!r}")
    return summary


def numbered_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks of the sequence, in order (everything but the landing page)."""
    return sorted(p for p in folder.glob("*.ipynb") if p.name != LANDING)


def readme_table(folder: Path = NOTEBOOKS) -> list[str]:
    """The README's table of notebooks, one row per notebook, from the metadata summaries."""
    return TABLE_HEADER + [f"| `{p.stem}` | {summary_of(p)} |" for p in numbered_notebooks(folder)]


def replace_table(readme_text: str, table: list[str]) -> str:
    """README text with the table under "## Notebooks" replaced by ``table``."""
    lines = readme_text.split("\n")
    try:
        section = lines.index("## Notebooks")
    except ValueError:
        raise ValueError('README.md has no "## Notebooks" section to hold the table') from None
    start = next((i for i in range(section + 1, len(lines)) if lines[i] == TABLE_HEADER[0]), None)
    if start is None:
        raise ValueError(f'README.md: no "{TABLE_HEADER[0]}" table under "## Notebooks"')
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[:start] + table + lines[end:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="rewrite the table in README.md")
    group.add_argument("--check", action="store_true", help="exit 1 if README.md is out of step")
    args = parser.parse_args(argv)
    table = readme_table()
    if not (args.write or args.check):
        print("\n".join(table))
        return 0
    old = README.read_text(encoding="utf-8")
    new = replace_table(old, table)
    if args.check:
        if new != old:
            print("README.md: the notebook table differs from the notebooks' metadata summaries; "
                  "run .venv/bin/python tools/notebook_index.py --write", file=sys.stderr)
            return 1
        return 0
    if new != old:
        README.write_text(new, encoding="utf-8")
        print("README.md: notebook table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())

