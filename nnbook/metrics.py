# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/metrics.md
#   docs/classification/accuracy.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/metrics.md:34
"""Regression metrics: each maps ``(y_pred, y_true)``, (k, m), to a float."""

import numpy as np

# docs/implementation/errors.md:1095
from nnbook.checks import (
    check_finite,
    check_finite_number,
    check_non_negative_number,
    check_same_shape,
)

# docs/implementation/errors.md:1464
import functools
import inspect

from nnbook import boundary
from nnbook.datasets import class_targets


# docs/implementation/metrics.md:41
def _checked(y_pred, y_true, where: str) -> tuple[np.ndarray, np.ndarray]:
    """(y_pred, y_true) as finite arrays of one shape (k, m), or raise."""
    # docs/implementation/errors.md:1824
    y_pred, y_true = check_same_shape(y_pred, y_true, where=where)
    y_pred = check_finite(y_pred, "y_pred", where=where)
    y_true = check_finite(y_true, "y_true", where=where)
    # docs/implementation/metrics.md:44
    return np.asarray(y_pred), np.asarray(y_true)


def mean_squared_error(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    """Mean of ``(y - ŷ)²`` over all k·m entries.

    >>> y_pred, y_true = np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]])
    >>> mean_squared_error(y_pred, y_true)
    2.5
    """
    y_pred, y_true = _checked(y_pred, y_true, "mean_squared_error")
    return float(np.mean((y_true - y_pred) ** 2))


# docs/implementation/metrics.md:69
def mean_absolute_error(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    """Mean of ``|y - ŷ|`` over all k·m entries, in the unit of the targets.

    >>> y_pred, y_true = np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]])
    >>> mean_absolute_error(y_pred, y_true)
    1.5
    """
    y_pred, y_true = _checked(y_pred, y_true, "mean_absolute_error")
    return float(np.mean(np.abs(y_true - y_pred)))


# docs/implementation/metrics.md:98
def r2_score(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    """Coefficient of determination, averaged over the m output columns.

    >>> y = np.array([[1.0], [2.0], [3.0]])
    >>> r2_score(y, y), r2_score(np.full_like(y, 2.0), y)
    (1.0, 0.0)
    """
    y_pred, y_true = _checked(y_pred, y_true, "r2_score")
    residual = ((y_true - y_pred) ** 2).sum(axis=0)  # (m,)
    total = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)  # (m,)
    has_variance = total > 0
    # Divide only where the column has variance; elsewhere score 1 for an
    # exact fit, else 0.
    ratio = residual / np.where(has_variance, total, 1)
    constant_column = np.where(residual == 0, 1.0, 0.0)
    scores = np.where(has_variance, 1 - ratio, constant_column)
    return float(scores.mean())


# docs/implementation/metrics.md:132
def accuracy_within(
    y_pred: np.ndarray,
    y_true: np.ndarray,
    tolerance: float | None = None,
) -> float:
    """Share of the k·m predictions within ``tolerance`` of the target.

    The default tolerance is std(y_true) / 10.

    >>> y_pred, y_true = np.array([[0.0], [0.5], [2.0]]), np.zeros((3, 1))
    >>> accuracy_within(y_pred, y_true, tolerance=0.5)
    0.6666666666666666
    """
    where = "accuracy_within"
    y_pred, y_true = _checked(y_pred, y_true, where)
    # docs/implementation/errors.md:1830
    if tolerance is not None:
        name = "tolerance"
        tolerance = check_non_negative_number(tolerance, name, where=where)
    # docs/implementation/metrics.md:148
    if tolerance is None:
        tolerance = float(np.std(y_true)) / 10
    return float(np.mean(np.abs(y_true - y_pred) <= tolerance))


# docs/classification/accuracy.md:43
def categorical_accuracy(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    """Share of the k samples whose largest output is the true class.

    ``y_pred`` (k, m), m >= 2, are probabilities or logits; ``y_true``
    one-hot (k, m).

    >>> y_pred = np.array([[0.8, 0.2], [0.6, 0.4]])
    >>> categorical_accuracy(y_pred, np.array([[1.0, 0.0], [0.0, 1.0]]))
    0.5
    """
    predicted = y_pred.argmax(axis=1)  # (k,)
    return float(np.mean(predicted == y_true.argmax(axis=1)))


def binary_accuracy(
    y_pred: np.ndarray,
    y_true: np.ndarray,
    threshold: float = 0.5,
) -> float:
    """Share of the k·m yes/no decisions ``ŷ > threshold`` that are right.

    ``y_pred`` and ``y_true`` (k, m); the targets are 0s and 1s.

    >>> y_pred = np.array([[0.9], [0.4], [0.5]])
    >>> binary_accuracy(y_pred, np.array([[1.0], [1.0], [0.0]]))
    0.6666666666666666
    """
    return float(np.mean((y_pred > threshold) == (y_true == 1)))


def binary_accuracy_from_logits(
    y_pred: np.ndarray,
    y_true: np.ndarray,
) -> float:
    """``binary_accuracy`` for logits z (k, m): "yes" when z > 0.

    z > 0 is σ(z) > 0.5: the metric of ``SigmoidBinaryCrossEntropy``.

    >>> z = np.array([[2.0], [-0.5], [0.0]])
    >>> binary_accuracy_from_logits(z, np.array([[1.0], [1.0], [0.0]]))
    0.6666666666666666
    """
    return binary_accuracy(y_pred, y_true, threshold=0.0)


# docs/implementation/metrics.md:156
# The names a Model accepts in ``metrics=``; each maps (y_pred, y_true) to a
# float.
METRICS = {
    "mse": mean_squared_error,
    "mae": mean_absolute_error,
    "r2": r2_score,
    "accuracy": accuracy_within,
    # docs/classification/accuracy.md:92
    "categorical_accuracy": categorical_accuracy,
    "binary_accuracy": binary_accuracy,
    "binary_accuracy_from_logits": binary_accuracy_from_logits,
    # docs/implementation/metrics.md:164
}


# docs/implementation/metrics.md:368
def _tolerance_metric(name):
    """The metric ``accuracy@T`` or ``accuracy@std/D`` names; None if none."""
    prefix, relative = "accuracy@", "std/"
    if not isinstance(name, str) or not name.startswith(prefix):
        return None
    spec = name[len(prefix) :]
    number = spec[len(relative) :] if spec.startswith(relative) else spec
    try:
        value = float(number)
    except ValueError:
        return None
    relative_to_std = number is not spec
    usable = np.isfinite(value) and value >= 0
    if not usable or (relative_to_std and value == 0):
        return None

    def metric(y_pred: np.ndarray, y_true: np.ndarray) -> float:
        tolerance = value
        if relative_to_std:  # a fraction of the targets' spread
            tolerance = float(np.std(np.asarray(y_true, dtype=float))) / value
        return accuracy_within(y_pred, y_true, tolerance=tolerance)

    metric.__name__ = name
    return metric


class _Metrics(dict):
    """The metric names a Model accepts, and any ``accuracy@...`` name."""

    def __missing__(self, name):
        metric = _tolerance_metric(name)
        if metric is None:
            raise KeyError(name)
        return metric

    def __contains__(self, name) -> bool:
        known = dict.__contains__(self, name)
        return known or _tolerance_metric(name) is not None


METRICS = _Metrics(METRICS)


# docs/implementation/metrics.md:443
def metric_for(name: str, loss):
    """The function that the metric ``name`` means next to ``loss``.

    ``"accuracy"`` is the loss's ``accuracy_metric`` if it names one (the
    classification losses do), else the tolerance accuracy; every other
    name means what ``METRICS`` holds under it.
    """
    if name == "accuracy":
        name = getattr(loss, "accuracy_metric", name)
    return METRICS[name]


# docs/implementation/errors.md:1472
def _checked_classes(y_pred, y_true, where: str):
    """Finite (y_pred, y_true), both (k, m); integer labels (k,) converted.

    Returns ``(y_pred, y_true)``, or raises.
    """
    if np.ndim(y_pred) == 2:  # see "Integer labels" in the Softmax chapter
        m, dtype = np.shape(y_pred)[1], getattr(y_pred, "dtype", np.float64)
        binary = where.startswith("binary")
        y_true = class_targets(y_true, m, dtype, where=where, binary=binary)
    y_pred, y_true = check_same_shape(y_pred, y_true, where=where)
    y_pred = check_finite(y_pred, "y_pred", where=where)
    y_true = check_finite(y_true, "y_true", where=where)
    return np.asarray(y_pred), np.asarray(y_true)


def _categorical(y_pred, y_true) -> dict:
    """The arguments of ``categorical_accuracy``, checked: m >= 2."""
    where = "categorical_accuracy"
    y_pred, y_true = _checked_classes(y_pred, y_true, where)
    if y_pred.shape[1] < 2:
        expected = "m >= 2 classes (k, m)"
        hint = "for one yes/no output use binary_accuracy"
        got = f"got {y_pred.shape}"
        raise ValueError(f"{where} expects {expected}; {got}: {hint}")
    return {"y_pred": y_pred, "y_true": y_true}


def _binary(y_pred, y_true, threshold) -> dict:
    """The arguments of ``binary_accuracy``, checked: targets 0 or 1."""
    where = "binary_accuracy"
    threshold = check_finite_number(threshold, "threshold", where=where)
    y_pred, y_true = _checked_classes(y_pred, y_true, "binary_accuracy")
    if not ((y_true == 0) | (y_true == 1)).all():
        got = f"values such as {np.unique(y_true)[:5]}"
        raise ValueError(f"binary_accuracy expects y_true of 0s and 1s; {got}")
    return {"y_pred": y_pred, "y_true": y_true, "threshold": threshold}


def _guard_metric(metric, constraint):
    """``metric`` behind ``constraint(**arguments) -> arguments``."""
    signature = inspect.signature(metric)

    @functools.wraps(metric)
    def checked(*args, **kwargs):
        if boundary.inside():  # a Model's epoch: its data is checked
            return metric(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        bound.arguments.update(constraint(**bound.arguments))
        return metric(*bound.args, **bound.kwargs)

    return checked


categorical_accuracy = _guard_metric(categorical_accuracy, _categorical)
binary_accuracy = _guard_metric(binary_accuracy, _binary)
METRICS["categorical_accuracy"] = categorical_accuracy
METRICS["binary_accuracy"] = binary_accuracy


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "METRICS",
    "accuracy_within",
    "binary_accuracy",
    "binary_accuracy_from_logits",
    "categorical_accuracy",
    "mean_absolute_error",
    "mean_squared_error",
    "metric_for",
    "r2_score",
]
