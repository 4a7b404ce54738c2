"""Bad input gets a clear error, never a silent number.

Every check asserts the exception type and a ``match=`` on the message: the argument's name and
the words that tell the learner what to do. One warning exists, for the most common mistake
the course teaches (softmax applied before cross_entropy); valid input produces no warning.
"""

import re
import warnings

import numpy as np
import pytest

import lossviz as lv

# (function, name of the first argument, valid first argument, valid targets)
# for every loss and every gradient
_VALID = {
    "mse": ("y_pred", [0.5, 1.0, 2.0], [0.0, 1.0, 1.5]),
    "mae": ("y_pred", [0.5, 1.0, 2.0], [0.0, 1.0, 1.5]),
    "huber": ("y_pred", [0.5, 1.0, 2.0], [0.0, 1.0, 1.5]),
    "binary_cross_entropy": ("p", [0.2, 0.5, 0.9], [0.0, 1.0, 1.0]),
    "binary_cross_entropy_with_logits": ("logits", [-1.0, 0.5, 3.0], [0.0, 1.0, 1.0]),
    "cross_entropy": ("logits", [[1.0, 2.0, -1.0], [0.0, 3.0, 1.0]], [0, 2]),
    "soft_cross_entropy": ("logits", [[1.0, 2.0, -1.0], [0.0, 3.0, 1.0]],
                           [[0.5, 0.5, 0.0], [0.0, 0.25, 0.75]]),
    # kl_div, as torch: input = log-probabilities of the prediction, target = the distribution
    "kl_div": ("input", np.log([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]).tolist(),
               [[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]),
    "sigmoid_focal_loss": ("logits", [-1.0, 0.5, 3.0], [0.0, 1.0, 1.0]),
    # the binary form (the class form, (N, C) rows with integer labels, is tested below)
    "brier_score": ("p", [0.2, 0.5, 0.9], [0.0, 1.0, 1.0]),
}
ELEMENTWISE = ["mse", "mae", "huber", "binary_cross_entropy", "binary_cross_entropy_with_logits",
               "sigmoid_focal_loss"]


def _target_name(name):
    """The name a loss gives its second argument in messages (kl_div keeps torch's "target")."""
    return "target" if name == "kl_div" else "y_true"


def _functions(names):
    for name in names:
        for suffix in ("", "_grad"):
            yield pytest.param(name, getattr(lv, name + suffix), id=name + suffix)


ALL = list(_functions(sorted(_VALID)))
PAIRS = list(_functions(ELEMENTWISE))
# every loss whose empty input with "mean" is refused by this test (cross-entropy's empty
# batch of logits has its own test below)
EMPTY = list(_functions([*ELEMENTWISE, "kl_div", "brier_score"]))


def test_every_registered_loss_has_valid_input_here():
    assert set(_VALID) == set(lv.LOSSES)


def test_valid_inputs_are_accepted_by_every_function():
    # the baseline for the bad inputs below: each valid call returns a finite number
    for name, (_, x, y) in _VALID.items():
        for suffix in ("", "_grad"):
            assert np.all(np.isfinite(getattr(lv, name + suffix)(x, y)))


# --------------------------------------------------------------------------------------------
# Shapes: never broadcast
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fn"), [*PAIRS, *_functions(["kl_div"])])
@pytest.mark.parametrize(("shape_x", "shape_y"), [((3,), (3, 1)), ((3, 1), (3,)), ((3,), (1,)),
                                                  ((2, 3), (3,)), ((3,), (4,))])
def test_shape_mismatch_is_refused(name, fn, shape_x, shape_y):
    # numpy would broadcast (3,) against (3, 1) to (3, 3) and compare every prediction with
    # every target; torch only warns. lossviz refuses and says how to reshape.
    arg = _VALID[name][0]
    x, y = np.full(shape_x, 0.5), np.full(shape_y, 0.5)
    if name == "kl_div":
        x = np.full(shape_x, -0.5)  # log-probabilities
    message = (rf"{arg} has shape {re.escape(str(shape_x))} but {_target_name(name)} has shape "
               rf"{re.escape(str(shape_y))}.*(?i:reshape)")
    with pytest.raises(ValueError, match=message):
        fn(x, y)
    with pytest.raises(ValueError, match=message):
        fn(x, y, reduction="none")


@pytest.mark.parametrize("fn", [lv.brier_score, lv.brier_score_grad])
@pytest.mark.parametrize(("shape_x", "shape_y"), [((3,), (3, 1)), ((3,), (1,)), ((2, 3), (3,)),
                                                  ((3,), (4,))])
def test_brier_score_shapes_fit_neither_form(fn, shape_x, shape_y):
    # neither p.shape == y_true.shape (binary) nor y_true.shape == p.shape[:-1] (classes)
    with pytest.raises(ValueError, match=rf"p has shape {re.escape(str(shape_x))} and y_true has "
                                         rf"shape {re.escape(str(shape_y))}.*binary probabilities"
                                         r".*\(N, C\).*integer class labels"):
        fn(np.full(shape_x, 0.5), np.full(shape_y, 0.5))
    # (3, 1) probabilities with 3 labels take the class form: the labels must be integers
    with pytest.raises(TypeError, match=r"y_true must hold integer class indices"):
        fn(np.full((3, 1), 1.0), np.full(3, 0.5))


@pytest.mark.parametrize("fn", [lv.soft_cross_entropy, lv.soft_cross_entropy_grad])
def test_soft_targets_of_a_different_shape(fn):
    logits = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"y_true has shape \(2, 2\) but logits have shape "
                                         r"\(2, 3\).*same shape"):
        fn(logits, np.full((2, 2), 0.5))
    # class indices given to soft_cross_entropy: the message points to cross_entropy
    with pytest.raises(ValueError, match=r"y_true has shape \(2,\).*use cross_entropy"):
        fn(logits, np.array([0.0, 1.0]))


# --------------------------------------------------------------------------------------------
# NaN, inf, empty, options
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fn"), ALL)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["first", "targets"])
def test_nan_and_inf_are_refused(name, fn, bad, where):
    arg, x, y = _VALID[name]
    x, y = np.array(x, dtype=float), np.array(y)
    if where == "first":
        x.flat[1] = bad
        arg_named = arg
    else:
        if name == "cross_entropy":  # integer labels cannot be NaN; float labels are refused
            with pytest.raises(TypeError, match=r"y_true must hold integer class indices"):
                fn(x, np.array([0.0, bad]))
            return
        y = y.astype(float)
        y.flat[1] = bad
        arg_named = _target_name(name)
    what = "NaN" if np.isnan(bad) else "infinite"
    # the message names the argument, the bad value and where it is, and what to do
    message = rf"{arg_named} contains (an )?{what}.*index.*fix"
    if np.isinf(bad) and name == "binary_cross_entropy":
        # an infinite probability or binary target is first of all outside [0, 1]
        # (binary_cross_entropy_with_logits checks finiteness of both arguments first)
        message = rf"{arg_named} must lie in \[0, 1\].*{'-' if bad < 0 else ''}inf.*index"
    if name == "kl_div" and where == "first" and bad == -np.inf:
        # log q = -inf is the log of a predicted probability 0: the message says so
        message = r"input contains -inf, the log of a predicted probability 0.*log_softmax"
    with warnings.catch_warnings():
        # some losses compute first and check the (cheap) result afterwards, so inf - inf may
        # raise numpy's RuntimeWarning on the way to the ValueError; the error is what counts
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match=message):
            fn(x, y)
        with pytest.raises(ValueError, match=rf"{arg_named} (contains|must lie)"):
            fn(x, y, reduction="none")


@pytest.mark.parametrize("fn", [lv.brier_score, lv.brier_score_grad])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_brier_score_class_form_refuses_nan_and_inf(fn, bad):
    p = np.array([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
    p[1, 1] = bad
    what = "NaN" if np.isnan(bad) else "an infinite value"
    with pytest.raises(ValueError, match=rf"p contains {what}.*index \(1, 1\).*fix"):
        fn(p, [0, 2])
    # labels are integers: a float label (NaN or not) is refused as such
    with pytest.raises(TypeError, match=r"y_true must hold integer class indices"):
        fn([[0.5, 0.3, 0.2]], np.array([bad]))


@pytest.mark.parametrize(("name", "fn"), EMPTY)
def test_empty_input_with_mean_is_refused(name, fn):
    # the mean of no losses is 0/0; torch returns nan, lossviz explains
    arg = _VALID[name][0]
    with pytest.raises(ValueError, match=rf"{arg} is empty.*reduction='sum'"):
        fn([], [], reduction="mean")  # explicit: the focal loss defaults to "none"
    # "sum" of nothing is a well-defined 0
    assert np.sum(fn([], [], reduction="sum")) == 0


@pytest.mark.parametrize("fn", [lv.cross_entropy, lv.cross_entropy_grad])
def test_empty_batch_of_logits_with_mean_is_refused(fn):
    with pytest.raises(ValueError, match=r"logits is empty.*reduction='sum'"):
        fn(np.zeros((0, 3)), np.zeros(0, dtype=int))


@pytest.mark.parametrize(("name", "fn"), ALL)
@pytest.mark.parametrize("reduction", ["avg", "Mean", "", None, "elementwise_mean"])
def test_unknown_reduction_is_refused(name, fn, reduction):
    _, x, y = _VALID[name]
    # kl_div also takes torch's "batchmean" (the KL divergence per example) and lists it
    choices = ("'mean', 'sum', 'none', 'batchmean'" if name == "kl_div"
               else "'mean', 'sum' or 'none'")
    with pytest.raises(ValueError, match=rf"reduction must be one of {choices}, "
                                         rf"got {re.escape(repr(reduction))}"):
        fn(x, y, reduction=reduction)


@pytest.mark.parametrize("fn", [lv.huber, lv.huber_grad])
@pytest.mark.parametrize("delta", [0.0, -1.0, np.inf, np.nan])
def test_delta_must_be_positive(fn, delta):
    with pytest.raises(ValueError, match=r"delta must be a positive.*delta=1\.0"):
        fn([1.0, 2.0], [0.0, 0.0], delta=delta)


@pytest.mark.parametrize("fn", [lv.huber, lv.huber_grad])
def test_delta_must_be_a_number(fn):
    with pytest.raises(TypeError, match=r"delta must be a real number"):
        fn([1.0, 2.0], [0.0, 0.0], delta="1")


@pytest.mark.parametrize(("name", "fn"), list(_functions(["cross_entropy",
                                                          "soft_cross_entropy"])))
@pytest.mark.parametrize("ls", [-0.1, 1.5, 2.0])
def test_label_smoothing_outside_unit_interval(name, fn, ls):
    _, x, y = _VALID[name]
    with pytest.raises(ValueError, match=rf"label_smoothing must be in \[0, 1\], got {ls}"):
        fn(x, y, label_smoothing=ls)


# --------------------------------------------------------------------------------------------
# Binary cross-entropy: probabilities and targets in [0, 1]
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [lv.binary_cross_entropy, lv.binary_cross_entropy_grad])
@pytest.mark.parametrize("p", [[0.5, 1.2], [-0.1, 0.5], [2.3, -1.7]])
def test_probabilities_outside_unit_interval_suggest_the_logits_version(fn, p):
    # values like 2.3 or -1.7 are raw scores: the message names the fix
    with pytest.raises(ValueError,
                       match=r"p must lie in \[0, 1\].*binary_cross_entropy_with_logits"):
        fn(p, [1.0, 0.0])


@pytest.mark.parametrize("fn", [lv.binary_cross_entropy, lv.binary_cross_entropy_grad,
                                lv.binary_cross_entropy_with_logits,
                                lv.binary_cross_entropy_with_logits_grad])
@pytest.mark.parametrize("y", [[1.0, 2.0], [-1.0, 0.0], [0.0, 1.0000001]])
def test_binary_targets_outside_unit_interval(fn, y):
    # e.g. labels -1/+1 from an SVM text book, or 1/2 from 1-based class numbers
    with pytest.raises(ValueError, match=r"y_true must lie in \[0, 1\].*labels 0 or 1"):
        fn([0.3, 0.6], y)


# --------------------------------------------------------------------------------------------
# Cross-entropy with class indices
# --------------------------------------------------------------------------------------------

CE = [lv.cross_entropy, lv.cross_entropy_grad]
LOGITS = np.array([[1.0, 2.0, -1.0], [0.0, 3.0, 1.0], [0.5, 0.5, 0.0]])  # N = 3, C = 3


@pytest.mark.parametrize("fn", CE)
@pytest.mark.parametrize("labels", [np.array([0.0, 1.0, 2.0]), [0.5, 1, 2], [True, False, True]])
def test_class_labels_must_be_integers(fn, labels):
    with pytest.raises(TypeError, match=r"y_true must hold integer class indices"):
        fn(LOGITS, labels)


@pytest.mark.parametrize("fn", CE)
def test_float_labels_get_the_fix(fn):
    # whole numbers stored as floats: convert; probability rows: use soft_cross_entropy
    with pytest.raises(TypeError, match=r"y_true.*astype\(int\).*soft_cross_entropy"):
        fn(LOGITS, np.array([0.0, 1.0, 2.0]))


@pytest.mark.parametrize("fn", CE)
def test_class_labels_out_of_range_are_listed(fn):
    # C = 3 classes: valid labels 0, 1, 2; 3 and -1 are listed with the range
    with pytest.raises(ValueError, match=r"y_true.*\[-1, 3\].*valid range 0\.\.2"):
        fn(LOGITS, np.array([3, -1, 0]))
    # 1-based labels 1..3 -- the classic off-by-one
    with pytest.raises(ValueError, match=r"y_true.*\[3\].*0\.\.2.*0-based"):
        fn(LOGITS, np.array([1, 2, 3]))
    # one example (C,) with a scalar label
    with pytest.raises(ValueError, match=r"y_true.*\[5\].*0\.\.2"):
        fn(LOGITS[0], 5)


@pytest.mark.parametrize("fn", CE)
@pytest.mark.parametrize("labels", [np.array([0, 1]), np.array([0, 1, 2, 0]),
                                    np.array([[0], [1], [2]]), np.array(1)])
def test_wrong_number_of_class_labels(fn, labels):
    with pytest.raises(ValueError,
                       match=r"y_true has shape .* but one class index per row of logits, "
                             r"shape \(3,\).*one label per example"):
        fn(LOGITS, labels)


@pytest.mark.parametrize("fn", CE)
def test_single_example_needs_a_scalar_label(fn):
    with pytest.raises(ValueError, match=r"y_true has shape \(2,\).*single integer class index"):
        fn(LOGITS[0], np.array([0, 1]))


@pytest.mark.parametrize(("name", "fn"), list(_functions(["cross_entropy",
                                                          "soft_cross_entropy"])))
def test_logits_need_a_class_axis(name, fn):
    # a single number has no classes; a yes/no problem with one logit is the binary loss
    target = 0 if name == "cross_entropy" else 1.0
    with pytest.raises(ValueError, match=r"logits is a single number \(0-d\).*class axis.*"
                                         r"binary_cross_entropy_with_logits"):
        fn(np.float64(2.0), target)


@pytest.mark.parametrize(("name", "fn"), list(_functions(["cross_entropy",
                                                          "soft_cross_entropy"])))
def test_logits_with_more_than_two_axes(name, fn):
    target = np.zeros((2, 2), dtype=int) if name == "cross_entropy" else np.full((2, 2, 3), 1 / 3)
    with pytest.raises(ValueError, match=r"logits has shape \(2, 2, 3\).*\(N, C\)"):
        fn(np.zeros((2, 2, 3)), target)


# --------------------------------------------------------------------------------------------
# Cross-entropy with probability targets
# --------------------------------------------------------------------------------------------

SOFT = [lv.soft_cross_entropy, lv.soft_cross_entropy_grad]


@pytest.mark.parametrize("fn", SOFT)
def test_soft_targets_must_not_be_negative(fn):
    # [1.2, -0.2, 0] sums to 1 but is not a distribution
    with pytest.raises(ValueError, match=r"y_true must be probabilities.*negative.*-0\.2"):
        fn(LOGITS[:2], [[1.2, -0.2, 0.0], [0.0, 0.5, 0.5]])


@pytest.mark.parametrize("fn", SOFT)
@pytest.mark.parametrize("row", [[0.5, 0.5, 0.5], [0.2, 0.2, 0.2], [0.0, 0.0, 0.0],
                                 [0.3333, 0.3333, 0.3333]])
def test_soft_target_rows_must_sum_to_one(fn, row):
    # 0.3333 * 3 = 0.9999: off by 1e-4, beyond the ~1e-6 tolerance
    with pytest.raises(ValueError, match=r"each row of y_true must sum to 1.*row 1 sums to"
                                         r".*[Nn]ormalise"):
        fn(LOGITS[:2], [[0.0, 1.0, 0.0], row])


@pytest.mark.parametrize("fn", SOFT)
def test_soft_target_rows_within_tolerance_are_accepted(fn):
    # rows normalised in float32 or by a division are off by ~1e-8: accepted
    q = np.array([[1 / 3 + 1e-8, 1 / 3, 1 / 3], [0.1, 0.2, 0.7]])
    assert np.all(np.isfinite(fn(LOGITS[:2], q)))


# --------------------------------------------------------------------------------------------
# Non-numeric input
# --------------------------------------------------------------------------------------------

NON_NUMERIC = [
    pytest.param("0.5", id="str"),
    pytest.param(b"0.5", id="bytes"),
    pytest.param(None, id="None"),
    pytest.param([object(), object(), object()], id="objects"),
    pytest.param(np.array(["a", "b", "c"]), id="str-array"),
    pytest.param([0.5, [1.0, 2.0], 3.0], id="ragged-list"),
    pytest.param(np.array([1 + 2j, 0j, 1j]), id="complex"),
]


@pytest.mark.parametrize(("name", "fn"), ALL)
@pytest.mark.parametrize("bad", NON_NUMERIC)
def test_non_numeric_first_argument(name, fn, bad):
    arg, _, y = _VALID[name]
    if name in ("cross_entropy", "soft_cross_entropy") and isinstance(bad, np.ndarray):
        bad = np.stack([bad, bad])  # keep the (N, C) shape so only the type is wrong
        y = y[:2]
    with pytest.raises(TypeError, match=rf"{arg} (must|could not)"):
        fn(bad, y)


@pytest.mark.parametrize(("name", "fn"), ALL)
@pytest.mark.parametrize("bad", NON_NUMERIC)
def test_non_numeric_targets(name, fn, bad):
    _, x, _ = _VALID[name]
    with pytest.raises(TypeError, match=rf"{_target_name(name)} (must|could not)"):
        fn(x, bad)


@pytest.mark.parametrize("fn", [lv.sigmoid, lv.sigmoid_grad, lv.log_sigmoid, lv.softmax,
                                lv.log_softmax, lv.logsumexp])
@pytest.mark.parametrize("bad", ["1.0", None, [object()]])
def test_activations_refuse_non_numeric_input(fn, bad):
    with pytest.raises(TypeError, match=r"(must|could not)"):
        fn(bad)


# --------------------------------------------------------------------------------------------
# The one warning: softmax applied before cross_entropy
# --------------------------------------------------------------------------------------------

PROBABILITY_ROWS = [
    [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]],
    [[0.25, 0.25, 0.25, 0.25]],
    [[1.0, 0.0]],
]


@pytest.mark.parametrize("rows", PROBABILITY_ROWS)
def test_cross_entropy_warns_when_given_probabilities(rows):
    labels = [0] * len(rows)
    with pytest.warns(UserWarning, match=r"(?i)looks like probabilities.*logits.*softmax"):
        loss = lv.cross_entropy(rows, labels)
    # it still computes what was asked (softmax of the probabilities), like torch
    assert np.isfinite(loss)


def test_cross_entropy_on_softmax_output_warns():
    # the course's mistake: softmax first, then cross_entropy
    probs = lv.softmax(np.array([[2.0, 0.5, -1.0]]))
    with pytest.warns(UserWarning, match=r"softmax"):
        lv.cross_entropy(probs, [0])


@pytest.mark.parametrize("logits", [
    [[2.0, 0.5, -1.0]],          # the course example
    [[0.7, 0.2, 0.2]],           # in [0, 1] but sums to 1.1
    [[0.5, 0.4, 0.0]],           # in [0, 1] but sums to 0.9
    [[0.7, 0.2, 0.1], [2.0, 0.0, 1.0]],  # only one row looks like probabilities
    np.log([[0.7, 0.2, 0.1]]),   # log-probabilities are valid logits
    [[0.0, 0.0, 0.0]],
])
def test_valid_logits_produce_no_warning(logits):
    labels = [0] * len(logits)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lv.cross_entropy(logits, labels)
        lv.cross_entropy_grad(logits, labels)
        for name, (loss, grad) in lv.LOSSES.items():
            _, x, y = _VALID[name]
            loss(x, y)
            grad(x, y)


# --------------------------------------------------------------------------------------------
# Losses of notebooks 09-11 and the new options: each error names the argument and the fix
# --------------------------------------------------------------------------------------------

_Z = [[1.0, 2.0, -1.0], [0.0, 3.0, 1.0]]
_LOGQ = np.log([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
_P = [[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]

NEW_BAD = [
    # entropy
    ("entropy-scalar", lambda: lv.entropy(0.5), ValueError, r"entropy: p .*class axis"),
    ("entropy-sum", lambda: lv.entropy([0.5, 0.6]), ValueError,
     r"entropy: each row of p must sum to 1.*row 0 sums to 1\.1.*Normalise"),
    ("entropy-negative", lambda: lv.entropy([1.5, -0.5]), ValueError,
     r"entropy: p must be non-negative"),
    ("entropy-nan", lambda: lv.entropy([np.nan, 1.0]), ValueError, r"entropy: p contains NaN"),
    ("entropy-str", lambda: lv.entropy("0.5"), TypeError, r"entropy: p must be numbers"),
    # kl_div
    ("kl-shape", lambda: lv.kl_div(_LOGQ, [0.5, 0.3, 0.2]), ValueError,
     r"kl_div: input has shape \(2, 3\) but target has shape \(3,\)"),
    ("kl-reduction", lambda: lv.kl_div(_LOGQ, _P, reduction="avg"), ValueError,
     r"kl_div: reduction must be one of .*'batchmean'"),
    ("kl-log-target", lambda: lv.kl_div(_LOGQ, _P, log_target="yes"), TypeError,
     r"kl_div: log_target must be True or False"),
    ("kl-neg-inf", lambda: lv.kl_div([[0.0, -np.inf]], [[0.5, 0.5]]), ValueError,  # log(1), log(0)
     r"kl_div: input contains -inf.*log_softmax"),
    ("kl-nan", lambda: lv.kl_div([[np.nan, -1.0]], [[0.5, 0.5]]), ValueError,
     r"kl_div: input contains NaN"),
    ("kl-negative-target", lambda: lv.kl_div(_LOGQ, np.log(_P)), ValueError,
     r"kl_div: target must be non-negative.*log_target=True"),
    ("kl-target-inf", lambda: lv.kl_div(_LOGQ, [[np.inf, 0, 0], [0, 0, 1]]), ValueError,
     r"kl_div: target contains an infinite value"),
    ("kl-empty-batchmean", lambda: lv.kl_div(np.zeros((0, 3)), np.zeros((0, 3)),
                                             reduction="batchmean"), ValueError,
     r"kl_div: input is empty.*reduction='sum'"),
    ("kl-grad-neg-inf", lambda: lv.kl_div_grad([[-np.inf, 0.0]], [[0.0, 1.0]]), ValueError,
     r"kl_div_grad: input contains -inf"),
    # cross_entropy options
    ("ce-weight-length", lambda: lv.cross_entropy(_Z, [0, 1], weight=[1.0, 2.0]), ValueError,
     r"cross_entropy: weight has shape \(2,\).*shape \(3,\)"),
    ("ce-weight-2d", lambda: lv.cross_entropy(_Z, [0, 1], weight=[[1.0, 2.0, 3.0]]), ValueError,
     r"cross_entropy: weight has shape \(1, 3\).*one weight per class"),
    ("ce-weight-negative", lambda: lv.cross_entropy(_Z, [0, 1], weight=[1.0, -2.0, 1.0]),
     ValueError, r"cross_entropy: weight must be non-negative.*\[-2\]"),
    ("ce-weight-nan", lambda: lv.cross_entropy_grad(_Z, [0, 1], weight=[1.0, np.nan, 1.0]),
     ValueError, r"cross_entropy_grad: weight contains NaN"),
    ("ce-weight-str", lambda: lv.cross_entropy(_Z, [0, 1], weight="balanced"), TypeError,
     r"cross_entropy: weight must be numbers"),
    ("ce-ignore-float", lambda: lv.cross_entropy(_Z, [0, 1], ignore_index=-100.0), TypeError,
     r"cross_entropy: ignore_index must be an integer"),
    ("ce-ignore-bool", lambda: lv.cross_entropy_and_grad(_Z, [0, 1], ignore_index=True),
     TypeError, r"cross_entropy_and_grad: ignore_index must be an integer"),
    ("ce-label-not-ignored", lambda: lv.cross_entropy(_Z, [0, -1]), ValueError,
     r"cross_entropy: y_true has class label\(s\) \[-1\] outside.*ignore_index \(-100\)"),
    ("ce-all-ignored", lambda: lv.cross_entropy(_Z, [-100, -100]), ValueError,
     r"cross_entropy: every target equals ignore_index \(-100\).*reduction='sum'"),
    ("ce-zero-weights", lambda: lv.cross_entropy_grad(_Z, [0, 0], weight=[0.0, 1.0, 1.0]),
     ValueError, r"cross_entropy_grad: the class weights .* sum to 0"),
    # binary cross-entropy options
    ("bce-weight-rows", lambda: lv.binary_cross_entropy(np.full((4, 3), 0.5), np.ones((4, 3)),
                                                        weight=np.ones(4)), ValueError,
     r"binary_cross_entropy: weight has shape \(4,\).*\(4, 3\).*\(4, 1\)"),
    ("bce-weight-too-many-dims", lambda: lv.binary_cross_entropy([0.5], [1.0],
                                                                 weight=np.ones((2, 1))),
     ValueError, r"binary_cross_entropy: weight has shape \(2, 1\)"),
    ("bce-weight-negative", lambda: lv.binary_cross_entropy_grad([0.5], [1.0], weight=[-1.0]),
     ValueError, r"binary_cross_entropy_grad: weight must be non-negative"),
    ("bcel-pos-weight-length", lambda: lv.binary_cross_entropy_with_logits(
        np.zeros((2, 3)), np.ones((2, 3)), pos_weight=[1.0, 2.0]), ValueError,
     r"binary_cross_entropy_with_logits: pos_weight has shape \(2,\)"),
    ("bcel-pos-weight-negative", lambda: lv.binary_cross_entropy_with_logits_grad(
        [0.0], [1.0], pos_weight=-2.0), ValueError,
     r"binary_cross_entropy_with_logits_grad: pos_weight must be non-negative"),
    ("bcel-pos-weight-inf", lambda: lv.binary_cross_entropy_with_logits_and_grad(
        [0.0], [1.0], pos_weight=[np.inf]), ValueError,
     r"binary_cross_entropy_with_logits_and_grad: pos_weight contains an infinite value"),
    ("bcel-weight-str", lambda: lv.binary_cross_entropy_with_logits([0.0], [1.0], weight="w"),
     TypeError, r"binary_cross_entropy_with_logits: weight must be numbers"),
    # gaussian_nll
    ("gnll-var-zero", lambda: lv.gaussian_nll([0.0, 1.0], [0.0, 1.0], [0.0, 1.0]), ValueError,
     r"gaussian_nll: var must be positive.*exp\(log_var\)"),
    ("gnll-var-negative", lambda: lv.gaussian_nll_grad([0.0], [1.0], -1.0), ValueError,
     r"gaussian_nll_grad: var must be positive"),
    ("gnll-var-nan", lambda: lv.gaussian_nll([0.0], [1.0], [np.nan]), ValueError,
     r"gaussian_nll: var contains NaN"),
    ("gnll-var-shape", lambda: lv.gaussian_nll(np.zeros((2, 3)), np.zeros((2, 3)), np.ones(3)),
     ValueError, r"gaussian_nll: var has shape \(3,\).*\(2, 3\).*without its last axis"),
    ("gnll-var-two-axes", lambda: lv.gaussian_nll(np.zeros((2, 3)), np.zeros((2, 3)),
                                                  np.ones((1, 1))), ValueError,
     r"gaussian_nll: var has shape \(1, 1\)"),
    ("gnll-target-shape", lambda: lv.gaussian_nll([0.0, 1.0], [0.0], [1.0, 1.0]), ValueError,
     r"gaussian_nll: y_pred has shape \(2,\) but y_true has shape \(1,\)"),
    ("gnll-eps", lambda: lv.gaussian_nll([0.0], [1.0], [1.0], eps=0.0), ValueError,
     r"gaussian_nll: eps must be a finite number in \(0, inf\)"),
    ("gnll-full", lambda: lv.gaussian_nll([0.0], [1.0], [1.0], full="yes"), TypeError,
     r"gaussian_nll: full must be True or False"),
    ("gnll-nan-pred", lambda: lv.gaussian_nll([np.nan], [1.0], [1.0]), ValueError,
     r"gaussian_nll: y_pred contains NaN"),
    # sigmoid_focal_loss
    ("focal-gamma", lambda: lv.sigmoid_focal_loss([0.0], [1.0], gamma=-0.5), ValueError,
     r"sigmoid_focal_loss: gamma must be a finite number in \[0, inf\)"),
    ("focal-alpha", lambda: lv.sigmoid_focal_loss_grad([0.0], [1.0], alpha=1.5), ValueError,
     r"sigmoid_focal_loss_grad: alpha must be .*negative value such as -1"),
    ("focal-alpha-str", lambda: lv.sigmoid_focal_loss([0.0], [1.0], alpha="0.25"), TypeError,
     r"sigmoid_focal_loss: alpha must be a real number"),
    ("focal-y", lambda: lv.sigmoid_focal_loss([0.0], [2.0]), ValueError,
     r"sigmoid_focal_loss: y_true must lie in \[0, 1\]"),
    ("focal-logits-inf", lambda: lv.sigmoid_focal_loss([np.inf], [1.0]), ValueError,
     r"sigmoid_focal_loss: logits contains an infinite value"),
    ("focal-reduction", lambda: lv.sigmoid_focal_loss([0.0], [1.0], reduction="batchmean"),
     ValueError, r"sigmoid_focal_loss: reduction must be one of 'mean', 'sum' or 'none'"),
    # brier_score
    ("brier-logits", lambda: lv.brier_score([2.0, -1.0], [1, 0]), ValueError,
     r"brier_score: p must lie in \[0, 1\].*sigmoid"),
    ("brier-rows", lambda: lv.brier_score([[0.5, 0.6]], [0]), ValueError,
     r"brier_score: each row of p must sum to 1.*softmax"),
    ("brier-float-labels", lambda: lv.brier_score([[0.5, 0.5]], [0.0]), TypeError,
     r"brier_score: y_true must hold integer class indices"),
    ("brier-label-range", lambda: lv.brier_score_grad([[0.5, 0.5]], [2]), ValueError,
     r"brier_score_grad: y_true has class label\(s\) \[2\] outside"),
    ("brier-shapes", lambda: lv.brier_score([[0.5, 0.5]], [0, 1]), ValueError,
     r"brier_score: p has shape \(1, 2\) and y_true has shape \(2,\).*integer class labels"),
    ("brier-y-range", lambda: lv.brier_score([0.5], [3.0]), ValueError,
     r"brier_score: y_true must lie in \[0, 1\]"),
    # pinball_loss
    ("pinball-q-1", lambda: lv.pinball_loss([0.0], [1.0], quantile=1.0), ValueError,
     r"pinball_loss: quantile must be a finite number in \(0, 1\).*quantile=0\.9"),
    ("pinball-q-0", lambda: lv.pinball_loss_grad([0.0], [1.0], quantile=0), ValueError,
     r"pinball_loss_grad: quantile must be .* \(0, 1\)"),
    ("pinball-q-percent", lambda: lv.pinball_loss([0.0], [1.0], quantile=90), ValueError,
     r"pinball_loss: quantile must be .* \(0, 1\), got 90"),
    ("pinball-q-nan", lambda: lv.pinball_loss([0.0], [1.0], quantile=float("nan")), ValueError,
     r"pinball_loss: quantile must be a finite number"),
    ("pinball-q-str", lambda: lv.pinball_loss([0.0], [1.0], quantile="0.9"), TypeError,
     r"pinball_loss: quantile must be a real number"),
    ("pinball-shape", lambda: lv.pinball_loss([0.0, 1.0], [[0.0, 1.0]], quantile=0.5),
     ValueError, r"pinball_loss: y_pred has shape \(2,\) but y_true has shape \(1, 2\)"),
    ("pinball-nan", lambda: lv.pinball_loss([np.nan], [1.0], quantile=0.5), ValueError,
     r"pinball_loss: y_pred contains NaN"),
]


@pytest.mark.parametrize(("call", "exc", "pattern"), [c[1:] for c in NEW_BAD],
                         ids=[c[0] for c in NEW_BAD])
def test_new_losses_reject_bad_input_naming_the_argument(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_pinball_quantile_is_required():
    with pytest.raises(TypeError, match="quantile"):
        lv.pinball_loss([0.0], [1.0])


def test_new_losses_accept_their_valid_input_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [
            lv.entropy(_P), lv.kl_div(_LOGQ, _P), lv.kl_div_grad(_LOGQ, _P, reduction="batchmean"),
            lv.cross_entropy(_Z, [0, -100], weight=[1.0, 2.0, 0.0], label_smoothing=0.1),
            lv.binary_cross_entropy_with_logits(np.zeros((2, 3)), np.ones((2, 3)),
                                                weight=np.ones((2, 1)), pos_weight=np.ones(3)),
            lv.gaussian_nll(np.zeros((2, 3)), np.ones((2, 3)), np.ones(2)),
            lv.sigmoid_focal_loss([0.0], [1.0]), lv.brier_score(_P, [0, 2]),
            lv.pinball_loss([0.0], [1.0], quantile=0.1),
        ]
    assert all(np.all(np.isfinite(v)) for v in values)


def test_float_labels_advice_fits_the_function():
    # (N, C) probabilities with float labels: Brier's error must not send the learner to a
    # cross-entropy; cross_entropy's own error does point at soft_cross_entropy.
    with pytest.raises(TypeError, match=r"brier_score: y_true must hold integer") as err:
        lv.brier_score([[0.5, 0.5]], [0.0])
    assert "cross_entropy" not in str(err.value)
    with pytest.raises(TypeError, match=r"cross_entropy: .*use soft_cross_entropy instead"):
        lv.cross_entropy([[0.5, 0.5]], [0.0])


# Each warning names the learner's own line, whichever entry point it came through (a fixed
# stacklevel pointed cross_entropy's warning at lossviz/classification.py), and the gradients warn
# as the losses do. Probability rows as logits / as kl_div's input, one call per line:
_PROB_ROW = [[0.7, 0.2, 0.1]]
_WARNING_CALLS = [
    lambda: lv.cross_entropy(_PROB_ROW, [0]),
    lambda: lv.cross_entropy(_PROB_ROW, [0], weight=[1.0, 2.0, 1.0]),
    lambda: lv.cross_entropy_grad(_PROB_ROW, [0]),
    lambda: lv.cross_entropy_grad(_PROB_ROW, [0], weight=[1.0, 2.0, 1.0]),
    lambda: lv.cross_entropy_and_grad(_PROB_ROW, [0]),
    lambda: lv.soft_cross_entropy(_PROB_ROW, [[1.0, 0.0, 0.0]]),
    lambda: lv.soft_cross_entropy_grad(_PROB_ROW, [[1.0, 0.0, 0.0]]),
    lambda: lv.kl_div(_PROB_ROW, _PROB_ROW, reduction="batchmean"),
    lambda: lv.kl_div_grad(_PROB_ROW, _PROB_ROW, reduction="batchmean"),
    lambda: lv.kl_div([[0.5, -1.0]], [[0.5, 0.5]], reduction="batchmean"),  # positive "log-probs"
]


@pytest.mark.parametrize("call", _WARNING_CALLS,
                         ids=[f"line{c.__code__.co_firstlineno}" for c in _WARNING_CALLS])
def test_a_warning_points_at_the_learners_line(call):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        call()
    assert len(record) == 1, [str(w.message) for w in record]
    w = record[0]
    assert issubclass(w.category, UserWarning)
    assert (w.filename, w.lineno) == (__file__, call.__code__.co_firstlineno), (
        f"the warning points at {w.filename}:{w.lineno}: {w.message}")
