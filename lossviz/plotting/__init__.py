"""Matplotlib drawing helpers shared by the notebooks and the explorers.

Every ``draw`` function here draws onto an ``Axes`` it is given and returns a small object that
holds the artists it made, with an ``update(...)`` method that changes them in place
(``set_data``, ``set_height``, ``set_text``) and a ``moving`` list of the artists an update
touches. Callers that redraw often (the slider explorers) draw the static parts once and then
redraw only ``moving``; callers that draw once simply ignore it.

Modules (every name below is importable as ``lossviz.plotting.X``)
-----------------------------------------------------------------
- ``palette``: :data:`OKABE_ITO`, :data:`COLORS`, :data:`LOSS_COLORS`, :data:`STYLE`,
  :func:`style`, :func:`apply_style`, :func:`new_figure`, :func:`text_color`,
  :func:`contrast_ratio`; text: :func:`corner_text`, :func:`fmt_signed`, :func:`fmt_money`.
- ``charts``: curves (:func:`loss_curve`, :func:`gradient_curve`, :func:`tangent_line`) and bars
  (:func:`value_bars`, :func:`target_prediction_errors`, :func:`squared_error_bars`,
  :func:`probability_bars`, :func:`gradient_bars`).
- ``training_runs``: :func:`learning_curves`, :func:`loss_landscape`, :func:`descent_path`.
- The rendering engine (:class:`BlitRenderer`, :class:`PngStream`, :func:`rgba_to_png`,
  :func:`freeze_layout`) lives in :mod:`lossviz.rendering`; it is re-exported here.

Only matplotlib and numpy are imported here (no pyplot state is touched, no ipywidgets), so
figures built with :func:`new_figure` are never shown twice by an inline backend.
"""

from lossviz.plotting.charts import (  # noqa: F401  (class_colors: not in __all__, as before)
    Bars,
    Curve,
    ErrorStems,
    SquaredErrorBars,
    Tangent,
    class_colors,
    gradient_bars,
    gradient_curve,
    loss_curve,
    probability_bars,
    squared_error_bars,
    tangent_line,
    target_prediction_errors,
    value_bars,
)
from lossviz.plotting.palette import (  # noqa: F401  (TEXT_CONTRAST: not in __all__, as before)
    COLORS,
    LOSS_COLORS,
    OKABE_ITO,
    STYLE,
    TEXT_CONTRAST,
    apply_style,
    contrast_ratio,
    corner_text,
    fmt_money,
    fmt_signed,
    new_figure,
    persist_tick_style,
    style,
    text_color,
)
from lossviz.plotting.training_runs import (
    DescentPath,
    Landscape,
    LearningCurves,
    descent_path,
    landscape_cmap,
    learning_curves,
    loss_landscape,
)
from lossviz.rendering import (  # noqa: F401  (private names: the tests use them)
    _PER_GLYPH_TEXT,
    BlitRenderer,
    PngStream,
    _FastTextCanvasAgg,
    freeze_layout,
    rgba_to_png,
)

__all__ = [
    "OKABE_ITO",
    "COLORS",
    "LOSS_COLORS",
    "STYLE",
    "style",
    "apply_style",
    "persist_tick_style",
    "new_figure",
    "freeze_layout",
    "Curve",
    "Tangent",
    "Bars",
    "SquaredErrorBars",
    "loss_curve",
    "gradient_curve",
    "tangent_line",
    "value_bars",
    "ErrorStems",
    "target_prediction_errors",
    "BlitRenderer",
    "rgba_to_png",
    "PngStream",
    "squared_error_bars",
    "probability_bars",
    "gradient_bars",
    "corner_text",
    "text_color",
    "contrast_ratio",
    "fmt_signed",
    "fmt_money",
    "LearningCurves",
    "learning_curves",
    "landscape_cmap",
    "Landscape",
    "loss_landscape",
    "DescentPath",
    "descent_path",
]
