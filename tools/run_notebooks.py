"""Execute notebooks in place and normalise them, so that a re-run gives a clean git diff.

Usage::

    .venv/bin/python tools/run_notebooks.py notebooks/01_mse_house_prices.ipynb [...]

Each notebook runs top to bottom in a fresh "python3" kernel of the current environment, with its
own folder as the working directory. Then whatever changes from run to run is made deterministic:

- notebook metadata ``widgets`` (the saved widget state) is removed;
- widget model ids in ``application/vnd.jupyter.widget-view+json`` outputs are replaced by ids
  derived from the notebook's name and a counter (32 hex characters, like the real ones);
- ``kernelspec`` and ``language_info`` are set to a fixed python3 kernel, without version numbers;
- execution counts run 1, 2, 3, ... over the executed code cells;
- per-cell timing metadata is not recorded.

A cell that raises stops the run: its source and the error are printed, the notebook file is left
unchanged, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


def widget_model_id(notebook_name: str, counter: int) -> str:
    """A stable stand-in for a widget model id: 32 hex characters, unique within the notebook."""
    return hashlib.md5(f"{notebook_name}:{counter}".encode()).hexdigest()


def normalise(nb: nbformat.NotebookNode, notebook_name: str) -> nbformat.NotebookNode:
    """Make an executed notebook independent of the run that produced it (in place)."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {
        k: (dict(v) if isinstance(v, dict) else v) for k, v in LANGUAGE_INFO.items()
    }

    count = 0
    n_widgets = 0
    for index, cell in enumerate(nb.cells):
        # nbformat >= 4.5 wants cell ids; give missing ones a stable id instead of a random one.
        if "id" not in cell and nb.nbformat_minor >= 5:
            cell["id"] = hashlib.md5(f"{notebook_name}:cell:{index}".encode()).hexdigest()[:8]
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if cell.execution_count is None:  # empty cells are not executed
            continue
        count += 1
        cell.execution_count = count
        for output in cell.outputs:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = count
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                n_widgets += 1
                view["model_id"] = widget_model_id(notebook_name, n_widgets)
    return nb


def run_notebook(path: Path, timeout: int) -> float:
    """Execute ``path`` in place; return the seconds it took. Raises CellExecutionError."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
        # A graceful shutdown sometimes stalls 2.5 s at the end of every notebook.
        shutdown_kernel="immediate",
        record_timing=False,
        store_widget_state=False,
        coalesce_streams=True,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    normalise(nb, path.name)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="notebook files to run in place")
    parser.add_argument(
        "--timeout", type=int, default=300, help="seconds allowed per cell (default 300)"
    )
    args = parser.parse_args(argv)

    # The kernel inherits this environment: an exported MPLBACKEND=Agg would hide inline figures.
    os.environ.pop("MPLBACKEND", None)

    total = 0.0
    for path in args.notebooks:
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"error: {path} is not a notebook file", file=sys.stderr)
            return 2
        try:
            seconds = run_notebook(path, args.timeout)
        except CellExecutionError as err:
            # The message holds the failing cell's source and the traceback.
            print(f"FAILED {path}: a cell raised an error; file not changed.", file=sys.stderr)
            print(f"\n{err}", file=sys.stderr)
            return 1
        total += seconds
        print(f"{seconds:6.1f} s  {path}")
    if len(args.notebooks) > 1:
        print(f"{total:6.1f} s  total ({len(args.notebooks)} notebooks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
