# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/data.md
# Edit the chapters, then run `make tangle`.

"""Small seeded data sets for the examples, and a seeded train/validation/test split.

Every function takes ``rng`` (an int seed, a ``numpy.random.Generator`` or None),
so the same seed always gives the same arrays.
"""

import numpy as np


def sine(
    n_samples: int = 1000,
    *,
    noise: float = 0.0,
    rng: int | np.random.Generator | None = None,
    dtype: type | np.dtype = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """One period of a sine wave: ``X`` (k, 1) uniform in [0, 1), ``y`` (k, 1) = sin(2πx) + noise.

    >>> X, y = sine(5, rng=0)
    >>> X.shape, y.shape
    ((5, 1), (5, 1))
    """
    generator = np.random.default_rng(rng)
    X = generator.uniform(0.0, 1.0, size=(n_samples, 1))
    y = np.sin(2 * np.pi * X)
    if noise:
        y = y + noise * generator.standard_normal(y.shape)
    return X.astype(dtype), y.astype(dtype)


def sine_cosine(
    n_samples: int = 1000,
    *,
    noise: float = 0.0,
    rng: int | np.random.Generator | None = None,
    dtype: type | np.dtype = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """Two outputs of one input: ``X`` (k, 1) in [0, 1), ``y`` (k, 2) = [sin(2πx), cos(2πx)] + noise.

    >>> X, y = sine_cosine(4, rng=0)
    >>> X.shape, y.shape
    ((4, 1), (4, 2))
    """
    generator = np.random.default_rng(rng)
    X = generator.uniform(0.0, 1.0, size=(n_samples, 1))
    angle = 2 * np.pi * X
    y = np.hstack([np.sin(angle), np.cos(angle)])
    if noise:
        y = y + noise * generator.standard_normal(y.shape)
    return X.astype(dtype), y.astype(dtype)


def train_val_test_split(
    X: np.ndarray,
    y: np.ndarray,
    *,
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    rng: int | np.random.Generator | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Shuffle the k rows once and cut them into ``(train, val, test)``, each an ``(X, y)`` pair.

    The validation and test parts get ``round(k * fraction)`` rows each; training gets the rest.

    >>> X, y = np.arange(20.0).reshape(10, 2), np.arange(10.0).reshape(10, 1)
    >>> (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = train_val_test_split(X, y, rng=0)
    >>> len(X_tr), len(X_va), len(X_te)
    (6, 2, 2)
    """
    k = len(X)
    if len(y) != k:
        raise ValueError(f"X and y must have the same number of rows, got {k} and {len(y)}")
    n_val, n_test = round(k * val_fraction), round(k * test_fraction)
    if n_val + n_test >= k:
        raise ValueError(f"val_fraction + test_fraction leave no training rows out of {k}")
    order = np.random.default_rng(rng).permutation(k)
    test, val, train = order[:n_test], order[n_test : n_test + n_val], order[n_test + n_val :]
    return (X[train], y[train]), (X[val], y[val]), (X[test], y[test])
