# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/metrics.md
#   docs/classification/accuracy.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/metrics.md:32
"""Metrics for regression: each takes ``(y_pred, y_true)`` of shape (k, m) and returns a float."""

import numpy as np

from nnbook.checks import (
    check_finite,
    check_finite_number,
    check_non_negative_number,
    check_same_shape,
)


def _checked(y_pred, y_true, where: str) -> tuple[np.ndarray, np.ndarray]:
    """``(y_pred, y_true)`` as float arrays of one shape (k, m) holding finite numbers, or a clear error."""
    y_pred, y_true = check_same_shape(y_pred, y_true, where=where)
    return check_finite(y_pred, "y_pred", where=where), check_finite(y_true, "y_true", where=where)


def mean_squared_error(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    """Mean of ``(y - ŷ)²`` over all k·m entries.

    >>> mean_squared_error(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    2.5
    """
    y_pred, y_true = _checked(y_pred, y_true, "mean_squared_error")
    return float(np.mean((y_true - y_pred) ** 2))


# docs/implementation/metrics.md:71
def mean_absolute_error(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    """Mean of ``|y - ŷ|`` over all k·m entries, in the unit of the targets.

    >>> mean_absolute_error(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    1.5
    """
    y_pred, y_true = _checked(y_pred, y_true, "mean_absolute_error")
    return float(np.mean(np.abs(y_true - y_pred)))


# docs/implementation/metrics.md:99
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
    # Divide only where the column has variance; elsewhere score 1 for an exact fit, else 0.
    ratio = residual / np.where(has_variance, total, 1)
    scores = np.where(has_variance, 1 - ratio, np.where(residual == 0, 1.0, 0.0))
    return float(scores.mean())


# docs/implementation/metrics.md:131
def accuracy_within(y_pred: np.ndarray, y_true: np.ndarray, tolerance: float | None = None) -> float:
    """Share of the k·m predictions within ``tolerance`` of the target (default: std(y_true) / 10).

    >>> accuracy_within(np.array([[0.0], [0.5], [2.0]]), np.array([[0.0], [0.0], [0.0]]), tolerance=0.5)
    0.6666666666666666
    """
    y_pred, y_true = _checked(y_pred, y_true, "accuracy_within")
    if tolerance is None:
        tolerance = float(np.std(y_true)) / 10
    else:
        tolerance = check_non_negative_number(tolerance, "tolerance", where="accuracy_within")
    return float(np.mean(np.abs(y_true - y_pred) <= tolerance))


# The names a Model accepts in ``metrics=``; each entry maps (y_pred, y_true) to a float.
METRICS = {
    "mse": mean_squared_error,
    "mae": mean_absolute_error,
    "r2": r2_score,
    "accuracy": accuracy_within,
}


# docs/classification/accuracy.md:35
def _checked_classes(y_pred, y_true, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Like ``_checked``, with a hint for integer labels (k,) instead of one-hot targets (k, m)."""
    if np.ndim(y_true) == 1 and np.ndim(y_pred) == 2:
        raise ValueError(
            f"{where} expects y_true of shape (k, m) like y_pred {np.shape(y_pred)}; got shape {np.shape(y_true)}: "
            f"for integer class labels use nb.one_hot(labels, {np.shape(y_pred)[1]})"
        )
    return _checked(y_pred, y_true, where)


def categorical_accuracy(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    """Share of the k samples whose largest output (probability or logit) is the true class; (k, m), m >= 2.

    >>> categorical_accuracy(np.array([[0.8, 0.2], [0.6, 0.4]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    0.5
    """
    y_pred, y_true = _checked_classes(y_pred, y_true, "categorical_accuracy")
    if y_pred.shape[1] < 2:
        raise ValueError(
            f"categorical_accuracy expects m >= 2 classes (k, m); got {y_pred.shape}: "
            f"for one yes/no output use binary_accuracy"
        )
    return float(np.mean(y_pred.argmax(axis=1) == y_true.argmax(axis=1)))


def binary_accuracy(y_pred: np.ndarray, y_true: np.ndarray, threshold: float = 0.5) -> float:
    """Share of the k·m yes/no decisions ``ŷ > threshold`` that match targets of 0 or 1; (k, m).

    >>> binary_accuracy(np.array([[0.9], [0.4], [0.5]]), np.array([[1.0], [1.0], [0.0]]))
    0.6666666666666666
    """
    where = "binary_accuracy"
    threshold = check_finite_number(threshold, "threshold", where=where)
    y_pred, y_true = _checked_classes(y_pred, y_true, "binary_accuracy")
    if not ((y_true == 0) | (y_true == 1)).all():
        raise ValueError(f"binary_accuracy expects y_true of 0s and 1s; got values such as {np.unique(y_true)[:5]}")
    return float(np.mean((y_pred > threshold) == (y_true == 1)))


METRICS["categorical_accuracy"] = categorical_accuracy
METRICS["binary_accuracy"] = binary_accuracy


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "METRICS",
    "accuracy_within",
    "binary_accuracy",
    "categorical_accuracy",
    "mean_absolute_error",
    "mean_squared_error",
    "r2_score",
]
