# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/gradcheck.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/gradcheck.md:28
"""Gradient checking: compare analytic gradients with centered finite differences (use float64)."""

from collections.abc import Callable

import numpy as np

from nnbook.losses import regularization_loss


def numerical_gradient(f: Callable[[], float], array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Centered differences of ``f()`` with respect to every entry of ``array``; same shape, float64.

    ``f`` takes no argument: it reads ``array``, which is nudged in place and restored entry by entry.

    >>> w = np.array([1.0, 2.0])
    >>> numerical_gradient(lambda: float(np.sum(w**2)), w).round(6)
    array([2., 4.])
    """
    grad = np.zeros(array.shape, dtype=np.float64)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        up = f()
        array[index] = saved - eps
        down = f()
        array[index] = saved
        grad[index] = (up - down) / (2 * eps)
    return grad


# docs/implementation/gradcheck.md:81
def relative_error(a: np.ndarray, n: np.ndarray) -> float:
    """``||a - n|| / max(||a||, ||n||)`` over all entries; 0.0 when both are zero.

    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    >>> relative_error(np.array([0.0]), np.array([0.0]))
    0.0
    >>> relative_error(1.0, -1.0)
    2.0
    """
    a = np.asarray(a, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    largest = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(n), initial=0.0)))
    if largest == 0.0:  # both gradients are zero: they agree
        return 0.0
    a, n = a / largest, n / largest  # so that squaring tiny entries in the norm cannot underflow to 0
    return float(np.linalg.norm(a - n)) / max(float(np.linalg.norm(a)), float(np.linalg.norm(n)))


# docs/implementation/gradcheck.md:121
def check_layer(layer, inputs: np.ndarray, *, eps: float = 1e-6, seed: int = 0) -> dict[str, float]:
    """Relative errors of ``layer.backward`` against finite differences, for inputs (k, n).

    Returns ``{"dinputs": ...}`` plus ``"dweights"``/``"dbiases"`` for a layer with parameters.

    >>> from nnbook.layers import Dense
    >>> report = check_layer(Dense(3, 2, rng=0), np.ones((4, 3)))
    >>> sorted(report), max(report.values()) < 1e-7
    (['dbiases', 'dinputs', 'dweights'], True)
    """
    inputs = np.array(inputs, copy=True)  # nudged in place below: the caller's array stays untouched
    G = np.random.default_rng(seed).standard_normal(layer.forward(inputs).shape).astype(inputs.dtype)

    def f() -> float:
        penalty = layer.regularization_loss() if hasattr(layer, "regularization_loss") else 0.0
        return float(np.sum(G * layer.forward(inputs))) + penalty

    layer.forward(inputs)
    analytic = {"dinputs": np.array(layer.backward(G.copy()))}
    parameters = [name for name in ("weights", "biases") if hasattr(layer, "d" + name)]
    for name in parameters:  # copies: later backward calls may overwrite the arrays in place
        analytic["d" + name] = np.array(getattr(layer, "d" + name))
    numeric = {"dinputs": numerical_gradient(f, inputs, eps)}
    for name in parameters:
        numeric["d" + name] = numerical_gradient(f, getattr(layer, name), eps)
    return {key: relative_error(analytic[key], numeric[key]) for key in analytic}


# docs/implementation/gradcheck.md:153
def check_loss(loss, y_pred: np.ndarray, y_true: np.ndarray, *, eps: float = 1e-6) -> dict[str, float]:
    """Relative error of ``loss.backward`` (k, m) against finite differences of ``loss.calculate``.

    >>> from nnbook.losses import MeanSquaredError
    >>> check_loss(MeanSquaredError(), np.array([[1.0, 2.0]]), np.array([[0.0, 0.5]]))["dy_pred"] < 1e-7
    True
    """
    y_pred = np.array(y_pred, copy=True)
    analytic = loss.backward(y_pred, y_true)
    numeric = numerical_gradient(lambda: loss.calculate(y_pred, y_true), y_pred, eps)
    return {"dy_pred": relative_error(analytic, numeric)}


# docs/implementation/gradcheck.md:174
def check_model(model, X: np.ndarray, y: np.ndarray, *, eps: float = 1e-6) -> dict[str, float]:
    """Relative errors of ``model.backward`` for X (k, n), y (k, m); the loss includes regularization.

    Keys: ``"dinputs"`` and ``"layers[i].dweights"`` / ``"layers[i].dbiases"`` for each layer i with weights.

    >>> from nnbook.activations import Linear
    >>> from nnbook.layers import Dense
    >>> from nnbook.model import Model
    >>> report = check_model(Model([Dense(2, 1, rng=0), Linear()]), np.ones((3, 2)), np.zeros((3, 1)))
    >>> max(report.values()) < 1e-7
    True
    """
    X = np.array(X, copy=True)

    def f() -> float:
        return model.loss.calculate(model.forward(X), y) + regularization_loss(model.layers)

    analytic = {"dinputs": np.array(model.backward(model.forward(X), y))}
    parameters = []
    for i, layer in enumerate(model.layers):
        for name in ("weights", "biases"):
            if hasattr(layer, name):
                analytic[f"layers[{i}].d{name}"] = np.array(getattr(layer, "d" + name))
                parameters.append((f"layers[{i}].d{name}", getattr(layer, name)))
    report = {"dinputs": relative_error(analytic["dinputs"], numerical_gradient(f, X, eps))}
    for key, array in parameters:
        report[key] = relative_error(analytic[key], numerical_gradient(f, array, eps))
    return report


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "check_layer",
    "check_loss",
    "check_model",
    "numerical_gradient",
    "relative_error",
]
