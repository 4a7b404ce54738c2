"""Find legends and labels that cover data or each other in the notebooks' figures.

Usage::

    .venv/bin/python tools/figure_check.py notebooks/03_confidently_wrong.ipynb [...]

Each notebook is executed (not saved) with a hook that inspects every matplotlib figure the
notebook displays, the figures of ``plt.show()`` and the static snapshots of the explorers, just
before it is turned into the stored PNG. For every Axes it compares bounding boxes in display
coordinates (pixels):

- the legend against the data: lines (every segment), markers, bars and scatter points;
- the legend against text drawn in the Axes (labels, annotations);
- text against text, and text against data lines and markers;
- and the figure's canvas against everything drawn: nothing may stick out of it (the stored PNG
  is the canvas, without the inline backend's "tight" crop).

Shaded backgrounds (patches and fills with alpha below 0.5, contour fields, images) are not
data for this purpose. An artist that overlaps on purpose can opt out with
``artist.set_gid("overlap-ok")``. ``tests/test_figure_overlap.py`` runs the check on every
notebook, so a figure that regresses fails ``make test``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.contour import ContourSet
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import Bbox

OPT_OUT = "overlap-ok"
TOLERANCE_PX = 1.0  # boxes that only touch (within a pixel) do not count


def _shrunk(box: Bbox, px: float = TOLERANCE_PX) -> Bbox:
    return Bbox.from_extents(box.x0 + px, box.y0 + px, box.x1 - px, box.y1 - px)


def _overlap(a: Bbox, b: Bbox) -> bool:
    return Bbox.intersection(_shrunk(a), _shrunk(b)) is not None


def _describe(artist) -> str:
    if isinstance(artist, Text):
        return f"text {artist.get_text()!r}"
    label = artist.get_label() if hasattr(artist, "get_label") else ""
    kind = type(artist).__name__
    return f"{kind} {label!r}" if label and not label.startswith("_") else kind


def _skip(artist) -> bool:
    return not artist.get_visible() or artist.get_gid() == OPT_OUT


def _segments_hit(points: np.ndarray, box: Bbox) -> bool:
    """Whether a polyline through ``points`` (display coordinates, NaN breaks it) enters ``box``."""
    finite = np.all(np.isfinite(points), axis=1)
    chunks, current = [], []
    for ok, p in zip(finite, points, strict=True):
        if ok:
            current.append(p)
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    for chunk in chunks:
        if len(chunk) == 1:
            if box.contains(*chunk[0]):
                return True
        elif MplPath(np.array(chunk)).intersects_bbox(box, filled=False):
            return True
    return False


def _marker_boxes(points: np.ndarray, radius_px: np.ndarray | float) -> list[Bbox]:
    radius = np.broadcast_to(np.asarray(radius_px, dtype=float), (len(points),))
    return [Bbox.from_extents(x - r, y - r, x + r, y + r)
            for (x, y), r in zip(points, radius, strict=True) if np.isfinite(x) and np.isfinite(y)]


def _visible_part(box: Bbox, ax) -> Bbox | None:
    """The part of ``box`` inside the Axes (what is drawn, for clipped artists)."""
    return Bbox.intersection(box, ax.get_window_extent())


def _data_hits(ax, box: Bbox, dpi: float) -> list[str]:
    """Descriptions of the data artists of ``ax`` that enter ``box``."""
    hits = []
    box = _shrunk(box)
    for line in ax.get_lines():
        if _skip(line) or len(line.get_xdata()) == 0:
            continue
        xy = line.get_transform().transform(line.get_xydata())
        clipped = line.get_clip_on()
        region = _visible_part(box, ax) if clipped else box
        if region is None:
            continue
        if line.get_linestyle() not in ("None", "", " ") and _segments_hit(xy, region):
            hits.append(_describe(line))
            continue
        if line.get_marker() not in (None, "None", "", " ") and line.get_markersize() > 0:
            r = line.get_markersize() / 2 * dpi / 72
            if any(Bbox.intersection(m, region) is not None for m in _marker_boxes(xy, r)):
                hits.append(_describe(line))
    for patch in ax.patches:
        if _skip(patch) or not isinstance(patch, Rectangle):
            continue
        alpha = patch.get_alpha()
        face_alpha = patch.get_facecolor()[3] if alpha is None else alpha
        if face_alpha < 0.5 or not patch.get_fill():
            continue  # a shaded background, not data
        if _overlap(patch.get_window_extent(), box):
            hits.append(_describe(patch))
    for coll in ax.collections:
        if _skip(coll) or isinstance(coll, ContourSet):
            continue
        if isinstance(coll, PathCollection) and len(coll.get_offsets()):
            xy = coll.get_offset_transform().transform(coll.get_offsets())
            sizes = coll.get_sizes() if len(coll.get_sizes()) else np.array([36.0])
            r = np.sqrt(np.resize(sizes, len(xy))) / 2 * dpi / 72
            if any(Bbox.intersection(m, box) is not None for m in _marker_boxes(xy, r)):
                hits.append(_describe(coll))
        elif isinstance(coll, LineCollection):
            for seg in coll.get_segments():
                if len(seg) and _segments_hit(coll.get_transform().transform(seg), box):
                    hits.append(_describe(coll))
                    break
    return hits


def _legends(fig) -> list[tuple[object, Legend]]:
    """(Axes or None, legend) for every legend of the figure, its subfigures and Axes."""
    found = [(ax, ax.get_legend()) for ax in fig.axes if ax.get_legend() is not None]
    stack = [fig]
    while stack:
        f = stack.pop()
        found += [(None, leg) for leg in f.legends]
        stack += list(getattr(f, "subfigs", []))
    return [(ax, leg) for ax, leg in found if leg.get_visible()]


def _texts(ax) -> list[Text]:
    return [t for t in ax.texts if not _skip(t) and t.get_text().strip()]


def _text_box(text: Text, renderer) -> Bbox:
    """The box of the characters only (an Annotation's own extent also covers its arrow)."""
    return Text.get_window_extent(text, renderer)


def _outside_canvas(fig, renderer) -> list[str]:
    """What sticks out of the figure's canvas. The notebooks' PNGs are the canvas as it is
    (``%config InlineBackend.print_figure_kwargs = {"bbox_inches": None}``: constrained layout
    places everything, and the inline backend's "tight" crop, a second drawing pass, is off), so
    a title, label or legend outside it would be cut off in the picture."""
    outer = fig.get_tightbbox(renderer)  # inches
    canvas = fig.bbox_inches
    tol = TOLERANCE_PX / fig.dpi
    sides = {"left": canvas.x0 - outer.x0, "bottom": canvas.y0 - outer.y0,
             "right": outer.x1 - canvas.x1, "top": outer.y1 - canvas.y1}
    return [f"something sticks out of the figure's {side} edge by {inches * fig.dpi:.0f} px "
            "(it would be cut off: give it room, e.g. with layout=\"constrained\")"
            for side, inches in sides.items() if inches > tol]


def figure_problems(fig) -> list[str]:
    """Every overlap of a legend or a label with data or with other text, as sentences."""
    fig.draw_without_rendering()  # lay out (constrained layout too) as the PNG will be
    renderer = fig._get_renderer()
    dpi = fig.dpi
    problems = []
    for ax, legend in _legends(fig):
        box = legend.get_window_extent(renderer)
        axes = [ax] if ax is not None else fig.axes
        title = ax.get_title() if ax is not None else "figure"
        for a in axes:
            for hit in _data_hits(a, box, dpi):
                problems.append(f"legend of {title!r} covers {hit}")
            for text in _texts(a):
                if _overlap(_text_box(text, renderer), box):
                    problems.append(f"legend of {title!r} covers {_describe(text)}")
    problems += _outside_canvas(fig, renderer)
    for ax in fig.axes:
        texts = _texts(ax)
        boxes = [_text_box(t, renderer) for t in texts]
        for (t1, b1), (t2, b2) in itertools.combinations(zip(texts, boxes, strict=True), 2):
            if _overlap(b1, b2):
                problems.append(f"in {ax.get_title()!r}: {_describe(t1)} overlaps {_describe(t2)}")
        for text, box in zip(texts, boxes, strict=True):
            for hit in _data_hits(ax, box, dpi):
                problems.append(f"in {ax.get_title()!r}: {_describe(text)} is crossed by {hit}")
    return problems


# --- running a notebook with the check ----------------------------------------------------------

MARK = "figure-check: "

# Installed in the kernel after the notebook's first code cell (``%matplotlib inline``): every
# figure displayed as PNG is checked first, and each problem is written to the cell's stderr,
# so it is reported with the cell that displayed the figure.
HOOK = """
import sys as _sys
_fc_ns = {"__name__": "figure_check"}
exec(compile(open(%(path)r, encoding="utf-8").read(), %(path)r, "exec"), _fc_ns)
from matplotlib.figure import Figure as _Figure
_png = get_ipython().display_formatter.formatters["image/png"]
_original = _png.lookup_by_type(_Figure)
def _checked(fig, *args, **kwargs):
    for _p in _fc_ns["figure_problems"](fig):
        print(%(mark)r + _p, file=_sys.stderr)
    return _original(fig, *args, **kwargs)
_png.for_type(_Figure, _checked)
"""


def check_notebook(path: Path, timeout: int = 300) -> list[str]:
    """Execute ``path`` (without saving it) and return the overlap problems of its figures.

    Each problem names the notebook cell (its index in the file) that displayed the figure.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        cell.metadata["figure_check_index"] = index       # the cell's index in the file
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first_code + 1, nbformat.v4.new_code_cell(
        HOOK % {"path": str(Path(__file__).resolve()), "mark": MARK}))
    # nbval-skip cells (optional torch) are left out here too: their output is not compared
    nb.cells = [c for c in nb.cells
                if "nbval-skip" not in c.get("metadata", {}).get("tags", [])]
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent.resolve())}},
                            shutdown_kernel="immediate")
    client.execute()
    problems = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                for line in out.get("text", "").splitlines():
                    if line.startswith(MARK):
                        index = cell.metadata.get("figure_check_index", "?")
                        problems.append(f"{path.name} c{index}: {line[len(MARK):]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    found = []
    for path in args.notebooks:
        problems = check_notebook(path)
        found += problems
        print(f"{path}: {len(problems)} overlap(s)")
        for problem in problems:
            print(f"  {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
