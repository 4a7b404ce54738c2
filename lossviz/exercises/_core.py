"""Exercise definitions and answer checkers for :mod:`lossviz.exercises`.

An :class:`Exercise` bundles a prompt, a checker, a hint and a worked solution. A checker takes
the learner's answer and returns ``(status, message)``; :meth:`Exercise.check` wraps it so that no
answer, however odd, makes it raise. Four checker factories cover the exercises:

- :func:`number_checker`  a single number, compared with a tolerance;
- :func:`array_checker`   an array of numbers;
- :func:`choice_checker`  a letter for a multiple-choice question;
- :func:`function_checker` a function the learner wrote, run on fixed hidden cases and compared
  with a reference implementation.

Wrong answers are diagnosed by comparing them with the typical mistakes listed for the exercise
(a value, or a wrong variant of the function), so the feedback can name the mistake.
"""

from __future__ import annotations

import inspect
import numbers
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

CORRECT, WRONG, INVALID, UNANSWERED = "correct", "wrong", "invalid", "unanswered"

NOT_ANSWERED = "Not answered yet: replace ... with your answer."

Feedback = tuple  # (status, message)


class Text(str):
    """A ``str`` whose repr is the text itself, so a notebook cell shows it as plain text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


class Result:
    """Outcome of :func:`lossviz.exercises.check`.

    Attributes
    ----------
    exercise_id : str
    status : {"correct", "wrong", "invalid", "unanswered"}
    correct : bool
        True only for a correct answer.
    message : str
        The feedback, e.g. ``"Correct! ..."`` or ``"Not quite. ..."``.

    The repr is the message. ``check`` has already printed the message, so when a ``Result`` is
    the last expression of the notebook cell that called ``check``, IPython does not show it a
    second time; displaying it in a later cell (``r``) prints it.
    """

    __slots__ = ("exercise_id", "status", "message", "_echoed")

    def __init__(self, exercise_id: str, status: str, message: str):
        self.exercise_id = exercise_id
        self.status = status
        self.message = message
        self._echoed = False

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__

    def _ipython_display_(self) -> None:
        if self._echoed:  # check() printed it in this cell already: do not show it twice
            return
        print(self.message)

    def mark_echoed(self) -> None:
        """Record that the message was printed; in IPython, only until the current cell ends."""
        ip = _ipython()
        if ip is None:
            return
        self._echoed = True
        _ECHOED.append(self)
        if not _HOOK:
            ip.events.register("post_run_cell", _end_of_cell)
            _HOOK.append(_end_of_cell)


_ECHOED: list[Result] = []  # results printed by check() in the running cell
_HOOK: list = []


def _ipython():
    """The running IPython shell, or None (without importing IPython)."""
    mod = sys.modules.get("IPython")
    try:
        return mod.get_ipython() if mod is not None else None
    except Exception:
        return None


def _end_of_cell(*_args) -> None:
    for result in _ECHOED:
        result._echoed = False
    _ECHOED.clear()


@dataclass(frozen=True)
class Exercise:
    """One self-checking exercise.

    Parameters
    ----------
    id : str
        ``"NN.k"``: notebook number and exercise number, e.g. ``"01.2"``.
    notebook : str
        Notebook file stem, e.g. ``"01_mse_house_prices"``.
    title : str
        A few words, shown in :func:`lossviz.exercises.list_exercises`.
    prompt : str
        The task as the learner reads it (plain text / Markdown), including the check call.
    answer : str
        The kind of answer: ``"number"``, ``"array"``, ``"choice"`` or ``"function"``.
    checker : callable
        ``checker(answer) -> (status, message)``; see the factories in this module.
    hint : str
        A nudge that does not give the answer away.
    solution : str
        A short worked solution with the result.
    """

    id: str
    notebook: str
    title: str
    prompt: str
    answer: str
    checker: Callable[[object], Feedback]
    hint: str
    solution: str

    def check(self, answer) -> Result:
        if answer is Ellipsis or answer is None:
            return Result(self.id, UNANSWERED, NOT_ANSWERED)
        try:
            status, message = self.checker(answer)
        except Exception as exc:  # the last line of defence: a checker must never raise
            status, message = INVALID, f"Cannot check this answer ({_exc_text(exc)})."
        return Result(self.id, status, message)


REGISTRY: dict[str, Exercise] = {}


def register(*exercises: Exercise) -> None:
    """Add exercises to the registry (called once by each ``nbNN`` module)."""
    for ex in exercises:
        if not re.fullmatch(r"\d\d\.\d+", ex.id):
            raise ValueError(f"exercise id must look like '01.2', got {ex.id!r}")
        if ex.id in REGISTRY:
            raise ValueError(f"exercise {ex.id!r} is registered twice")
        if ex.answer not in ("number", "array", "choice", "function"):
            raise ValueError(f"exercise {ex.id!r}: unknown answer kind {ex.answer!r}")
        REGISTRY[ex.id] = ex


# --------------------------------------------------------------------------------------------
# small helpers


def _exc_text(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def fmt(x) -> str:
    """Format a number or an array compactly for feedback (4 significant digits)."""
    a = np.asarray(x)
    if a.ndim == 0:
        v = float(a)
        return f"{v:.6g}" if abs(v) >= 1e5 else f"{v:.4g}"
    return np.array2string(a, precision=4, separator=", ", suppress_small=False)


def _type_name(x) -> str:
    if callable(x):
        return "a function"
    if isinstance(x, str):
        return f"the text {x!r}"
    return f"a {type(x).__name__}"


def _correct(why: str) -> Feedback:
    return CORRECT, f"Correct! {why}"


def _wrong(text: str) -> Feedback:
    return WRONG, f"Not quite. {text}"


def _invalid(text: str) -> Feedback:
    return INVALID, f"Cannot check this answer: {text}"


def as_number(answer):
    """``(value, None)`` for a real number, or ``(None, feedback)`` explaining the problem."""
    if isinstance(answer, (bool, np.bool_)):
        return None, _invalid(f"{answer} is a truth value; the answer is a number.")
    if isinstance(answer, str):
        return None, _invalid(
            f"your answer is the text {answer!r}. Write the number without quotes, e.g. 3.5."
        )
    if callable(answer):
        return None, _invalid("you passed a function; this exercise wants a number.")
    if isinstance(answer, numbers.Real):
        try:
            value = float(answer)
        except OverflowError:
            return None, _invalid("your answer is too large to be a float.")
    else:
        try:
            arr = np.asarray(answer, dtype=float)
        except (TypeError, ValueError, OverflowError):
            return None, _invalid(f"expected a number, got {_type_name(answer)}.")
        if arr.size != 1:
            return None, _invalid(
                f"expected a single number, got an array of shape {arr.shape}. "
                "Reduce it to one number (e.g. with np.mean)."
            )
        value = float(arr.reshape(()))
    if not np.isfinite(value):
        return None, _invalid(f"your answer is {value}; the answer is a finite number.")
    return value, None


def _close(a, b, rtol, atol) -> bool:
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


# --------------------------------------------------------------------------------------------
# checker factories


def number_checker(
    expected: float,
    *,
    why: str,
    mistakes: Sequence[tuple[float, str]] = (),
    rtol: float = 1e-3,
    atol: float = 0.0,
    otherwise: str = "",
) -> Callable[[object], Feedback]:
    """Check a single number against ``expected`` (relative tolerance ``rtol``).

    The rule for every exercise: a number is right within a relative 1e-3 (0.1%) of the exact
    value, unless the exercise's prompt says otherwise (e.g. "two decimals are enough").

    ``mistakes`` lists ``(wrong_value, hint)`` pairs; an answer matching a wrong value (same
    tolerance) gets that hint. ``otherwise`` is added to the message for any other wrong number.
    """
    expected = float(expected)

    def check(answer) -> Feedback:
        value, problem = as_number(answer)
        if problem:
            return problem
        if _close(value, expected, rtol, atol):
            return _correct(why)
        for wrong, hint in mistakes:
            if _close(value, wrong, rtol, atol):
                return _wrong(f"You gave {fmt(value)}: {hint}")
        if expected != 0 and abs(value - expected) <= 0.05 * abs(expected):
            return _wrong(
                f"You gave {fmt(value)}, which is close but not close enough: answers must "
                "be within 0.1% unless the exercise says otherwise, so keep at least 4 "
                "significant digits (or let Python compute it)."
            )
        return _wrong(f"You gave {fmt(value)}. {otherwise}".rstrip())

    check.expected, check.mistakes = expected, list(mistakes)  # for the tests
    return check


def array_checker(
    expected,
    *,
    why: str,
    mistakes: Sequence[tuple[object, str]] = (),
    rtol: float = 1e-3,
    atol: float = 1e-6,
    otherwise: str = "",
) -> Callable[[object], Feedback]:
    """Check an array of numbers (same shape as ``expected``) element-wise."""
    expected = np.asarray(expected, dtype=float)
    mistakes = [(np.asarray(w, dtype=float), hint) for w, hint in mistakes]

    def check(answer) -> Feedback:
        not_array = _invalid(
            f"expected an array of {expected.size} numbers, got {_type_name(answer)}."
        )
        if isinstance(answer, str) or callable(answer):
            return not_array
        try:
            arr = np.asarray(answer, dtype=float)
        except (TypeError, ValueError, OverflowError):
            return not_array
        if arr.shape != expected.shape:
            return _invalid(
                f"expected an array of shape {expected.shape}, got shape {arr.shape}."
            )
        if not np.all(np.isfinite(arr)):
            return _invalid(f"your array contains nan or inf: {fmt(arr)}.")
        if _close(arr, expected, rtol, atol):
            return _correct(why)
        for wrong, hint in mistakes:
            if _close(arr, wrong, rtol, atol):
                return _wrong(f"You gave {fmt(arr)}: {hint}")
        return _wrong(f"You gave {fmt(arr)}. {otherwise}".rstrip())

    check.expected, check.mistakes = expected, mistakes  # for the tests
    return check


_LETTERS = re.compile(r"[A-Za-z]")


def _letters(answer) -> str | None:
    """'b', ' (B) ', 'B)' -> 'B'; ['a', 'b'] / 'a, b' / 'ab' -> 'AB'; None if not letters."""
    if isinstance(answer, str):
        text = re.sub(r"[\s,;()\[\].:'\"-]+", "", answer)
        return text.upper() if text and _LETTERS.fullmatch(text[0]) and text.isalpha() else None
    if isinstance(answer, (list, tuple)) and all(isinstance(a, str) for a in answer):
        parts = [_letters(a) for a in answer]
        if all(p is not None and len(p) == 1 for p in parts):
            return "".join(parts)
    return None


def choice_checker(
    options: dict[str, str],
    correct: str,
    *,
    why: str,
    wrong_hints: dict[str, str],
) -> Callable[[object], Feedback]:
    """Check a multiple-choice answer given as a letter (``"B"``, ``"b"``, ``"(b)"``)."""
    letters = ", ".join(options)

    def check(answer) -> Feedback:
        choice = _letters(answer)
        if choice is None or len(choice) != 1:
            return _invalid(f"answer with one letter as a string, one of {letters} (e.g. \"A\").")
        if choice not in options:
            return _invalid(f"{choice!r} is not an option; choose one of {letters}.")
        if choice == correct:
            return _correct(why)
        return _wrong(wrong_hints[choice])

    check.expected = correct  # for the tests
    check.mistakes = [(k, h) for k, h in wrong_hints.items()]
    return check


@dataclass(frozen=True)
class Mistake:
    """A typical wrong implementation: if the learner's function agrees with ``variant`` on every
    hidden case (and not with the reference), the feedback is ``hint``."""

    variant: Callable
    hint: str


def _param_names(signature: str) -> list[str]:
    inside = signature[signature.index("(") + 1 : signature.rindex(")")]
    return [p.split("=")[0].strip() for p in inside.split(",") if p.strip()]


def _quiet_call(fn, args, overflows=None):
    """``fn(*args)`` on copies of the arguments, with every warning kept from the learner.

    With a list ``overflows``, appends whether NumPy overflowed inside the call (e.g. ``np.exp``
    of 1000 gives inf with "overflow encountered in exp"): a result can be right by luck
    (``1 / (1 + inf) = 0``) while the computation is not safe.
    """
    args = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore", over="warn"):
        warnings.simplefilter("always")
        out = fn(*args)
    if overflows is not None:
        overflows.append(any(issubclass(w.category, RuntimeWarning)
                             and "overflow" in str(w.message) for w in caught))
    return out


def _arity_problem(fn, nargs: int, signature: str) -> str | None:
    try:
        inspect.signature(fn).bind(*range(nargs))
    except TypeError:
        return (
            f"your function cannot be called with {nargs} argument(s); "
            f"it should look like `def {signature}:`."
        )
    except ValueError:  # builtins without a signature: just try calling them
        return None
    return None


def function_checker(
    reference: Callable,
    cases: Sequence[tuple],
    *,
    signature: str,
    why: str,
    mistakes: Sequence[Mistake] = (),
    large: Sequence[int] = (),
    overflow_hint: str = "",
    reject_overflow: str = "",
    shape_hint: str = "",
    otherwise: str = "",
    rtol: float = 1e-5,
    atol: float = 1e-8,
) -> Callable[[object], Feedback]:
    """Check a learner's function on fixed hidden ``cases`` against ``reference``.

    Parameters
    ----------
    reference : callable
        The right implementation (usually built from lossviz); called as ``reference(*case)``.
    cases : sequence of tuples
        Positional arguments for each hidden case. Include awkward ones (batch of 1, large
        values, non-integers).
    signature : str
        How the learner's function is called, e.g. ``"my_mse(y_pred, y_true)"``; used in messages.
    mistakes : sequence of Mistake
        Typical wrong versions and their hints.
    large : sequence of int
        Indices of cases with extreme values; nan/inf there (and correct elsewhere) gives
        ``overflow_hint``.
    reject_overflow : str
        When given, a function that returns the right numbers but overflows inside NumPy on one
        of the ``large`` cases (a RuntimeWarning such as "overflow encountered in exp") is
        wrong, with this message: the exercise asks for a computation that cannot overflow.
    shape_hint : str
        Message when the learner returns a result of the wrong shape (e.g. a per-sample array
        instead of the mean).
    """
    cases = [tuple(c) for c in cases]
    names = _param_names(signature)
    fname = signature[: signature.index("(")]
    large = set(large)
    cache: dict = {}

    def outputs_of(fn):
        outs = []
        for args in cases:
            try:
                outs.append(np.asarray(_quiet_call(fn, args), dtype=float))
            except Exception:
                outs.append(None)
        return outs

    def refs():
        if "ref" not in cache:
            cache["ref"] = outputs_of(reference)
            if any(r is None for r in cache["ref"]):
                raise RuntimeError(f"reference for {fname} failed on a hidden case")
        return cache["ref"]

    def variants():
        if "variants" not in cache:
            cache["variants"] = [outputs_of(m.variant) for m in mistakes]
        return cache["variants"]

    def describe(args) -> str:
        shown = ", ".join(f"{n}={fmt(a)}" for n, a in zip(names, args, strict=False))
        return f"{fname}({shown})"

    def agrees(outs, target, idx) -> bool:
        for i in idx:
            t = target[i]
            if t is None or outs[i].shape != t.shape or not _close(outs[i], t, rtol, atol):
                return False
        return True

    def check(answer) -> Feedback:
        if not callable(answer):
            return _invalid(
                f"expected a function, got {_type_name(answer)}. Define `def {signature}: ...` "
                f"and pass the function itself: check(..., {fname}) without parentheses."
            )
        problem = _arity_problem(answer, len(cases[0]), signature)
        if problem:
            return _invalid(problem)
        expected = refs()
        outs = []
        overflowed: list[bool] = []
        for args, ref in zip(cases, expected, strict=True):
            try:
                raw = _quiet_call(answer, args, overflowed)
            except Exception as exc:
                return _invalid(
                    f"your function raised {_exc_text(exc)} when called as {describe(args)}."
                )
            if raw is None:
                if not outs:  # the first case already returns None: the body is not written
                    return UNANSWERED, (
                        f"{NOT_ANSWERED[:-1]} in the body of {fname} and `return` the result "
                        "(your function returns None)."
                    )
                return _invalid(f"your function returned None for {describe(args)}.")
            try:
                out = np.asarray(raw, dtype=float)
            except (TypeError, ValueError, OverflowError):
                return _invalid(
                    f"your function returned {_type_name(raw)} for {describe(args)}; "
                    "it should return numbers."
                )
            if ref.ndim == 0 and out.size == 1:
                out = out.reshape(())
            if out.shape != ref.shape:
                what = "a single number" if ref.ndim == 0 else f"an array of shape {ref.shape}"
                got = "a single number" if out.ndim == 0 else f"an array of shape {out.shape}"
                return _wrong(
                    f"For {describe(args)} your function returned {got}; expected {what}. "
                    f"{shape_hint}".rstrip()
                )
            outs.append(out)

        every = range(len(cases))
        if agrees(outs, expected, every):
            unsafe = [i for i in every if i in large and overflowed[i]]
            if reject_overflow and unsafe:
                return _wrong(f"Right numbers, but for {describe(cases[unsafe[0]])} your "
                              f"function overflows inside NumPy. {reject_overflow}")
            return _correct(why)
        ordinary = [i for i in every if i not in large]
        finite = [bool(np.all(np.isfinite(o))) for o in outs]
        blown = [i for i in every if not finite[i]]
        overflow = bool(blown) and set(blown) <= large
        for mistake, vout in zip(mistakes, variants(), strict=True):
            if agrees(outs, vout, every):
                return _wrong(mistake.hint)
        if overflow:
            if agrees(outs, expected, ordinary):
                return _wrong(overflow_hint or _generic_overflow(describe(cases[blown[0]])))
            for mistake, vout in zip(mistakes, variants(), strict=True):
                if agrees(outs, vout, ordinary):
                    return _wrong(f"{mistake.hint} Also: {overflow_hint}")
        if blown:
            i = blown[0]
            return _wrong(
                f"For {describe(cases[i])} your function returned {fmt(outs[i])} (nan or inf); "
                f"the answer is {fmt(expected[i])}. nan comes from 0/0, inf - inf or the log of "
                f"a negative number; inf from dividing by 0 or log(0). {otherwise}".rstrip()
            )
        i = next(i for i in every if not agrees(outs, expected, [i]))
        return _wrong(
            f"For {describe(cases[i])} your function returned {fmt(outs[i])}; "
            f"the answer is {fmt(expected[i])}. {otherwise}".rstrip()
        )

    check.reference, check.cases, check.mistakes = reference, cases, list(mistakes)  # for tests
    return check


def _generic_overflow(call: str) -> str:
    return (
        f"Your function returns nan or inf for large inputs, e.g. {call}. "
        "Rewrite it so that it never computes exp of a large number."
    )


def quiet(fn: Callable) -> Callable:
    """Wrap a reference so numpy warnings inside it are not shown to the learner."""

    def wrapped(*args):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args)

    return wrapped


def matching_checker(
    items: Sequence[str],
    options: dict[str, str],
    correct: str,
    *,
    why: str,
    hints: dict[int, dict[str, str]],
) -> Callable[[object], Feedback]:
    """Check one letter per item (``"ABCC"``, ``"a, b, c, c"`` or ``["A", "B", "C", "C"]``).

    ``hints[i][letter]`` is the feedback when item ``i`` (0-based) gets the wrong ``letter``.
    """
    letters = ", ".join(options)
    n = len(items)

    def check(answer) -> Feedback:
        got = _letters(answer)
        if got is None:
            return _invalid(
                f"answer with {n} letters, one per task, as a string like \"{'A' * n}\" "
                f"(options {letters})."
            )
        if len(got) != n:
            return _invalid(f"expected {n} letters (one per task), got {len(got)}: {got!r}.")
        unknown = sorted(set(got) - set(options))
        if unknown:
            return _invalid(f"{', '.join(unknown)} is not an option; use {letters}.")
        wrong = [i for i in range(n) if got[i] != correct[i]]
        if not wrong:
            return _correct(why)
        lines = [f"{len(wrong)} of {n} tasks need another look:"]
        for i in wrong:
            lines.append(f"  task {i + 1} ({items[i]}): {hints[i].get(got[i], '')}".rstrip())
        return _wrong("\n".join(lines))

    check.expected = correct  # for the tests
    return check
