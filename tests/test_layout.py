"""The package's shape: imports run one way, no module is too long to read, moved names still work.

Layers, lowest first (a module may import from its own layer and the layers below only):

0. math: ``lossviz`` itself and every module not named below (numpy only: losses, training,
   data, fits, ...);
1. rendering: ``lossviz._mpl_private``, ``lossviz.rendering`` (the engine behind the pictures);
2. plotting: ``lossviz.plotting`` (draw helpers);
3. explorers: ``lossviz.explorers``, ``lossviz._a11y`` (ipywidgets);
4. exercises: ``lossviz.exercises``.
"""

import ast
import sys
from pathlib import Path

import pytest

import lossviz

PACKAGE = Path(lossviz.__file__).parent
MAX_LINES = 700
LAYERS = {"math": 0, "rendering": 1, "plotting": 2, "explorers": 3, "exercises": 4}
_LAYER_OF_PREFIX = {
    "lossviz._mpl_private": "rendering",
    "lossviz.rendering": "rendering",
    "lossviz.plotting": "plotting",
    "lossviz.explorers": "explorers",
    "lossviz._a11y": "explorers",
    "lossviz.exercises": "exercises",
}


def layer(module):
    """The layer name of a dotted ``lossviz`` module name."""
    for prefix, name in _LAYER_OF_PREFIX.items():
        if module == prefix or module.startswith(prefix + "."):
            return name
    return "math"


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def python_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _is_module(dotted):
    rel = Path(*dotted.split("."))
    base = PACKAGE.parent / rel
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def lossviz_imports(path):
    """The ``lossviz`` modules a file imports (anywhere in it, functions included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "lossviz")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "lossviz":
                continue
            for alias in node.names:  # ``from lossviz import plotting`` imports a module
                sub = f"{source}.{alias.name}"
                found.add(sub if _is_module(sub) else source)
    return found


def test_the_import_parser_sees_every_form_of_import(tmp_path, monkeypatch):
    pkg = tmp_path / "lossviz"
    (pkg / "explorers").mkdir(parents=True)
    (pkg / "plotting").mkdir()
    for f in ("__init__.py", "rendering.py", "plotting/__init__.py", "plotting/charts.py",
              "explorers/__init__.py", "explorers/_base.py"):
        (pkg / f).write_text("")
    (pkg / "explorers" / "x.py").write_text(
        "import lossviz as lv\nimport lossviz.rendering\nfrom lossviz import plotting as lp, mse\n"
        "from . import _base\nfrom ..plotting.charts import loss_curve\n"
        "def f():\n    from lossviz.explorers._base import Explorer\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    assert lossviz_imports(pkg / "explorers" / "x.py") == {
        "lossviz", "lossviz.rendering", "lossviz.plotting", "lossviz.explorers._base",
        "lossviz.plotting.charts"}
    assert [layer(m) for m in ("lossviz", "lossviz.rendering", "lossviz._mpl_private",
                               "lossviz.plotting.charts", "lossviz.explorers.information",
                               "lossviz._a11y", "lossviz.exercises.nb01", "lossviz.calibration")
            ] == ["math", "rendering", "rendering", "plotting", "explorers", "explorers",
                  "exercises", "math"]


def test_imports_run_one_way():
    wrong = []
    for path in python_files():
        here = module_name(path)
        for target in sorted(lossviz_imports(path)):
            if LAYERS[layer(target)] > LAYERS[layer(here)]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)} ({layer(here)}) imports "
                             f"{target} ({layer(target)})")
    assert not wrong, ("imports must run math <- rendering <- plotting <- explorers <- "
                       "exercises (see tests/test_layout.py); against that:\n  "
                       + "\n  ".join(wrong))


def test_the_layers_are_really_used():
    # the check above means something only if these imports exist and are classified
    seen = {(module_name(p), t) for p in python_files() for t in lossviz_imports(p)}
    assert ("lossviz.explorers._base", "lossviz.rendering") in seen
    assert ("lossviz.explorers._base", "lossviz.plotting") in seen
    assert ("lossviz.plotting.palette", "lossviz.rendering") in seen
    assert ("lossviz.rendering", "lossviz._mpl_private") in seen


def test_no_module_is_longer_than_700_lines():
    sizes = {p.relative_to(PACKAGE.parent).as_posix(): len(p.read_text(encoding="utf-8")
                                                            .splitlines())
             for p in python_files()}
    assert len(sizes) >= 20  # the whole package was found
    long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not long, (f"modules over {MAX_LINES} lines (split them by topic, see README "
                      "'Package layout'):\n  " + "\n  ".join(
                          f"{name}: {n} lines" for name, n in sorted(long.items())))


# Every name these modules offered before they became packages (issue #12), still importable.
EXPLORER_NAMES = [
    "Explorer", "mse_explorer", "house_price_explorer", "softmax_explorer",
    "confident_wrong_explorer", "loss_curve_explorer", "gaussian_explorer", "line_fits",
    "outlier_explorer", "landscape_explorer", "MSEExplorer", "SoftmaxExplorer",
    "ConfidentWrongExplorer", "LossCurveExplorer", "GaussianExplorer", "OutlierExplorer",
    "LandscapeExplorer", "widgets", "_control_range", "_log_grid_origin", "_loss_and_grad",
    "_use_ipympl",
]
PLOTTING_NAMES = [
    "OKABE_ITO", "COLORS", "LOSS_COLORS", "STYLE", "TEXT_CONTRAST", "style", "apply_style",
    "persist_tick_style", "new_figure", "freeze_layout", "Curve", "Tangent", "Bars",
    "SquaredErrorBars", "loss_curve", "gradient_curve", "tangent_line", "value_bars",
    "ErrorStems", "target_prediction_errors", "BlitRenderer", "rgba_to_png", "PngStream",
    "squared_error_bars", "probability_bars", "gradient_bars", "class_colors", "corner_text",
    "text_color", "contrast_ratio", "fmt_signed", "fmt_money", "LearningCurves",
    "learning_curves", "landscape_cmap", "Landscape", "loss_landscape", "DescentPath",
    "descent_path", "_PER_GLYPH_TEXT", "_FastTextCanvasAgg",
]


@pytest.mark.parametrize("module, names", [("lossviz.explorers", EXPLORER_NAMES),
                                           ("lossviz.plotting", PLOTTING_NAMES)])
def test_moved_names_are_still_importable(module, names):
    import importlib

    mod = importlib.import_module(module)
    missing = [n for n in names if not hasattr(mod, n)]
    assert not missing, f"{module} no longer offers {missing}"
    assert set(mod.__all__) <= set(dir(mod))


def test_moved_objects_are_the_same_objects():
    from lossviz import explorers, plotting, rendering, robust_fits
    from lossviz.explorers import _base

    assert explorers.line_fits is robust_fits.line_fits
    assert plotting.BlitRenderer is rendering.BlitRenderer
    assert plotting.freeze_layout is rendering.freeze_layout
    assert explorers.Explorer is _base.Explorer
    assert explorers._use_ipympl is rendering.use_ipympl
