# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/data.md
#   docs/classification/softmax.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/data.md:22
"""Small seeded data sets for the examples, and a seeded three-way split.

Every function takes ``rng`` (an int seed, a ``numpy.random.Generator`` or
None), so the same seed always gives the same arrays.
"""

import numbers

import numpy as np

# docs/implementation/errors.md:1086
from nnbook.checks import (
    as_float_dtype,
    as_generator,
    check_non_negative_number,
    check_positive_int,
)


# docs/implementation/data.md:35
def sine(
    n_samples: int = 1000,
    *,
    noise: float = 0.0,
    rng: int | np.random.Generator | None = None,
    dtype: type | np.dtype = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """One period of a sine: X (k, 1) in [0, 1), y (k, 1) = sin(2πx) + noise.

    >>> X, y = sine(5, rng=0)
    >>> X.shape, y.shape
    ((5, 1), (5, 1))
    """
    return _wave((np.sin,), n_samples, noise, rng, dtype, where="sine")


def _wave(functions, n_samples, noise, rng, dtype, *, where: str) -> tuple:
    """X (k, 1) uniform in [0, 1), y (k, m): each function of 2πx, plus noise.

    The m columns of y are the functions, in order.
    """
    # docs/implementation/errors.md:1810
    n_samples = check_positive_int(n_samples, "n_samples", where=where)
    noise = check_non_negative_number(noise, "noise", where=where)
    dtype = as_float_dtype(dtype, where=where)
    rng = as_generator(rng, where=where)
    # docs/implementation/data.md:57
    generator = np.random.default_rng(rng)
    X = generator.uniform(0.0, 1.0, size=(n_samples, 1))
    angle = 2 * np.pi * X  # (k, 1)
    y = np.hstack([function(angle) for function in functions])  # (k, m)
    # The noise is drawn after X, so a seed gives the same X with or without.
    if noise:
        y = y + noise * generator.standard_normal(y.shape)
    return X.astype(dtype), y.astype(dtype)


# docs/implementation/data.md:100
def sine_cosine(
    n_samples: int = 1000,
    *,
    noise: float = 0.0,
    rng: int | np.random.Generator | None = None,
    dtype: type | np.dtype = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """Two outputs of one input: y (k, 2) = [sin(2πx), cos(2πx)] + noise.

    X (k, 1) is uniform in [0, 1), as in ``sine``.

    >>> X, y = sine_cosine(4, rng=0)
    >>> X.shape, y.shape
    ((4, 1), (4, 2))
    """
    functions = (np.sin, np.cos)
    return _wave(functions, n_samples, noise, rng, dtype, where="sine_cosine")


# docs/implementation/data.md:144
# An (X, y) pair: inputs (k, n) and targets (k, m).
_Pair = tuple[np.ndarray, np.ndarray]


def train_val_test_split(
    X: np.ndarray,
    y: np.ndarray,
    *,
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    rng: int | np.random.Generator | None = None,
) -> tuple[_Pair, _Pair, _Pair]:
    """Shuffle the k rows once and cut them into (train, val, test) pairs.

    Each part is an ``(X, y)`` pair. The validation and test parts get
    ``round(k * fraction)`` rows each; training gets the rest. ``y`` is
    (k, m), or integer class labels (k,), as ``Model.fit`` takes them.

    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = np.arange(10.0).reshape(10, 1)
    >>> train, val, test = train_val_test_split(X, y, rng=0)
    >>> len(train[0]), len(val[0]), len(test[0])
    (6, 2, 2)
    """
    where = "train_val_test_split"
    X, y = np.asarray(X), np.asarray(y)
    labels = y.ndim == 1 and y.dtype.kind in "iu"  # class labels (k,)
    if X.ndim != 2 or not (y.ndim == 2 or labels):
        expected = "X of shape (k, n) and y of shape (k, m) (or labels (k,))"
        got = f"{X.shape} and {y.shape}"
        raise ValueError(f"{where} expects {expected}; got {got}")
    k = len(X)
    if len(y) != k:
        expected = "X and y with the same number of samples k"
        raise ValueError(f"{where} expects {expected}; got {k} and {len(y)}")
    n_val = _split_size(val_fraction, "val_fraction", k)
    n_test = _split_size(test_fraction, "test_fraction", k)
    if n_val + n_test >= k:
        val_part = f"val_fraction={val_fraction}"
        test_part = f"test_fraction={test_fraction}"
        asked = f"{val_part} and {test_part} of {k} samples"
        problem = f"{asked} leave no training samples"
        raise ValueError(f"{where}: {problem} ({n_val} + {n_test} >= {k})")
    # docs/implementation/errors.md:1817
    rng = as_generator(rng, where=where)
    # docs/implementation/data.md:188
    order = np.random.default_rng(rng).permutation(k)
    test = order[:n_test]
    val = order[n_test : n_test + n_val]
    train = order[n_test + n_val :]
    return (X[train], y[train]), (X[val], y[val]), (X[test], y[test])


def _split_size(fraction, name: str, k: int) -> int:
    """round(k * fraction) rows; a fraction > 0 must give at least one row."""
    where = "train_val_test_split"
    expected = f"{where} expects {name} to be a number in [0, 1)"
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real):
        kind = type(fraction).__name__
        raise TypeError(f"{expected}; got {fraction!r} ({kind})")
    if not 0 <= fraction < 1:
        raise ValueError(f"{expected}; got {fraction!r}")
    rows = round(k * fraction)
    if fraction > 0 and rows == 0:
        too_few = f"{name}={fraction!r} of {k} samples is less than one sample"
        raise ValueError(f"{where}: {too_few}; use more data or 0")
    return rows


# docs/implementation/data.md:285
def __dir__() -> list[str]:
    """What ``dir(nb.datasets)`` lists: the public names, nothing else."""
    return sorted(__all__)


# docs/classification/softmax.md:27
def whole_labels(labels: np.ndarray, *, where: str) -> np.ndarray:
    """Class labels (k,) as integers: floats pass if they are whole numbers.

    A table read from a file often holds its classes as 0.0, 1.0, 2.0;
    they are labels all the same. 0.5, NaN or 1e300 is no label: it raises.
    """
    if labels.dtype.kind != "f":
        return labels
    whole = (labels == np.round(labels)) & (np.abs(labels) < 2**53)
    if not whole.all():
        found = labels[~whole].flat[0]
        floats = "or floats that are whole numbers, such as 0.0 and 1.0"
        message = f"{where} expects integer class labels (k,), {floats}"
        message += f"; got {found}"
        raise ValueError(message)
    return labels.astype(np.int64)


def one_hot(
    labels,
    n_classes: int | None = None,
    *,
    dtype: type | np.dtype = np.float64,
) -> np.ndarray:
    """Integer class labels (k,) in [0, m) -> one-hot targets (k, m).

    m is ``n_classes``, or the largest label + 1 when it is None.

    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    labels = np.asarray(labels)
    if labels.ndim == 1:  # 0.0, 1.0, ...: see whole_labels
        labels = whole_labels(labels, where="one_hot")
    is_integer = labels.dtype.kind in "iu"
    if labels.ndim != 1 or labels.size == 0 or not is_integer:
        expected = "integer class labels of shape (k,), k >= 1"
        got = f"{labels.dtype} of shape {labels.shape}"
        raise ValueError(f"one_hot expects {expected}; got {got}")
    m = int(labels.max()) + 1 if n_classes is None else int(n_classes)
    if labels.min() < 0 or labels.max() >= m:
        got = f"labels from {labels.min()} to {labels.max()}"
        raise ValueError(f"one_hot expects labels in [0, {m}); got {got}")
    try:
        targets = np.zeros((labels.size, m), dtype=dtype)  # (k, m)
    except MemoryError:
        shape = f"({labels.size}, {m})"  # more than memory holds
        message = f"one_hot cannot hold a {shape} array: is n_classes={m}"
        raise ValueError(message + " meant?") from None
    # One fancy-indexed write, no loop over samples.
    targets[np.arange(labels.size), labels] = 1
    return targets


# docs/classification/softmax.md:612
def class_targets(
    y_true,
    n_classes: int,
    dtype,
    *,
    where: str,
    binary: bool = False,
):
    """Targets for a classification loss or metric of predictions (k, C).

    Integer labels (k,) become one-hot rows (k, C), or a column (k, 1) of 0/1
    when C = 1; anything else passes unchanged. A (k, 1) column next to C >= 2
    outputs is refused with the fix. ``binary``: labels only for C = 1.
    """
    shape = np.shape(y_true)
    wanted = f"integer labels (k,) or targets (k, {n_classes})"
    if len(shape) == 2 and shape[1] == 1 and n_classes >= 2:
        fix = f"pass labels.ravel(), shape ({shape[0]},)"
        found = f"got a column {shape}"
        raise ValueError(f"{where} expects {wanted}; {found}: {fix}")
    if len(shape) != 1:
        return y_true
    if binary and n_classes != 1:
        found = f"got {n_classes} outputs"
        raise ValueError(f"{where} takes labels (k,) for one output; {found}")
    labels = whole_labels(np.asarray(y_true), where=where)
    if labels.dtype.kind not in "iub":
        found = f"got {labels.dtype} of shape {shape}"
        raise TypeError(f"{where} expects {wanted}; {found}")
    if labels.dtype.kind == "b" and n_classes >= 2:  # numpy: a mask
        found = "got booleans: for classes 0 and 1 use labels.astype(int)"
        raise TypeError(f"{where} expects {wanted}; {found}")
    count = max(n_classes, 2)  # one sigmoid output: labels 0 and 1
    if labels.size and (labels.min() < 0 or labels.max() >= count):
        found = f"{labels.min()} to {labels.max()}"
        expected = f"class labels from 0 to {count - 1}"
        raise ValueError(f"{where} expects {expected}; got {found}")
    if n_classes == 1:
        return labels.reshape(-1, 1).astype(dtype)
    return np.eye(n_classes, dtype=dtype)[labels]  # (k, C): identity rows


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "class_targets",
    "one_hot",
    "sine",
    "sine_cosine",
    "train_val_test_split",
    "whole_labels",
]
