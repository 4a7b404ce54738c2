"""Self-checking exercises for the lossviz notebooks 01-11.

Each exercise has an id ``"NN.k"`` (notebook NN, exercise k). In a notebook::

    from lossviz import exercises as ex

    print(ex.prompt("01.2"))         # the task
    def my_mse(y_pred, y_true):
        ...                          # the learner's code
    ex.check("01.2", my_mse)         # prints "Correct! ..." or a specific hint
    ex.hint("01.2")                  # prints a nudge
    ex.solution("01.2")              # prints a worked solution

``check`` never raises on an answer: ``...`` or ``None`` give "Not answered yet", and input of the
wrong kind gives a message saying what was expected. Answers are numbers, arrays, letters (for
multiple choice) or functions; functions are run on fixed hidden cases and compared with the
reference implementations in :mod:`lossviz`.

The exercises of notebook NN live in ``lossviz/exercises/nbNN.py``.
"""

from __future__ import annotations

from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11  # noqa: F401  (they register)
from ._core import REGISTRY, Exercise, Result, Text

__all__ = [
    "EXERCISES",
    "Exercise",
    "Result",
    "check",
    "hint",
    "list_exercises",
    "prompt",
    "solution",
]

#: All exercises by id, in notebook order.
EXERCISES: dict[str, Exercise] = dict(sorted(REGISTRY.items()))


def _get(exercise_id) -> Exercise:
    key = str(exercise_id).strip()
    if key not in EXERCISES:
        known = ", ".join(EXERCISES)
        raise KeyError(f"no exercise {exercise_id!r}; the exercises are: {known}")
    return EXERCISES[key]


def check(exercise_id: str, answer, *, verbose: bool = True) -> Result:
    """Check an answer, print the feedback (unless ``verbose=False``) and return a :class:`Result`.

    ``result.correct`` is True for a right answer; ``result.message`` (also the repr) is the
    feedback. Unknown exercise ids raise ``KeyError``; answers never make it raise.
    """
    result = _get(exercise_id).check(answer)
    if verbose:
        print(result.message)
        result.mark_echoed()
    return result


def prompt(exercise_id: str) -> Text:
    """The task text of an exercise (a ``str``; shows as plain text in a notebook cell)."""
    ex = _get(exercise_id)
    return Text(f"Exercise {ex.id}: {ex.title}\n\n{ex.prompt.strip()}")


def hint(exercise_id: str) -> None:
    """Print a hint for an exercise."""
    ex = _get(exercise_id)
    print(f"Hint for {ex.id}: {ex.hint.strip()}")


def solution(exercise_id: str) -> None:
    """Print a worked solution of an exercise (try it yourself first)."""
    ex = _get(exercise_id)
    print(f"Solution {ex.id}: {ex.title}\n\n{ex.solution.strip()}")


def list_exercises(notebook: str | int | None = None) -> Text:
    """A table of the exercises (of one notebook, e.g. ``"01"`` or ``1``, or of all)."""
    nb = notebook
    if nb is not None and str(nb).isdigit():
        nb = f"{int(nb):02d}"
    rows = [
        f"{ex.id}  {ex.title}  [{ex.answer}]"
        for ex in EXERCISES.values()
        if nb is None or ex.id.startswith(f"{nb}.") or ex.notebook == nb
    ]
    return Text("\n".join(rows))
