# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/gradcheck.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/gradcheck.md:70
"""Gradient checking: analytic gradients against centered differences.

Use float64: in float32, round-off drowns the differences.
"""

from collections.abc import Callable

import numpy as np

# docs/implementation/errors.md:1104
from nnbook.checks import check_finite, check_positive_number

# docs/implementation/gradcheck.md:80
from nnbook.losses import regularization_loss


def numerical_gradient(
    f: Callable[[], float],
    array: np.ndarray,
    eps: float = 1e-6,
) -> np.ndarray:
    """Centered differences of ``f()`` for every entry of ``array``.

    The result has the shape of ``array``, in float64. ``f`` takes no
    argument: it reads ``array``, which is nudged in place and restored
    entry by entry.

    >>> w = np.array([1.0, 2.0])
    >>> numerical_gradient(lambda: float(np.sum(w**2)), w).round(6)
    array([2., 4.])
    """
    _check_floats(array, "array", where="numerical_gradient")
    # docs/implementation/errors.md:1836
    eps = check_positive_number(eps, "eps", where="numerical_gradient")
    # docs/implementation/gradcheck.md:100
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


def _check_floats(array, name: str, *, where: str) -> None:
    """Refuse what cannot be nudged by eps in place: not a float array."""
    if not isinstance(array, np.ndarray):
        message = f"{where} expects {name} as a numpy array (it is nudged"
        raise TypeError(message + f" in place); got {type(array).__name__}")
    if array.dtype.kind != "f":
        raise TypeError(
            f"{where} expects {name} of floats, float64 at best; got"
            f" {array.dtype}: an integer cannot move by eps, so the check"
            f" would compare with zeros; pass {name}.astype(np.float64)"
        )


# docs/implementation/gradcheck.md:151
def relative_error(a: np.ndarray, n: np.ndarray) -> float:
    """``||a - n|| / max(||a||, ||n||)`` over all entries; 0.0 if both are 0.

    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    0.0
    >>> relative_error(np.array([0.0]), np.array([0.0]))
    0.0
    >>> relative_error(1.0, -1.0)
    2.0
    """
    a, n = _real(a, "a"), _real(n, "n")
    if a.shape != n.shape:  # they would broadcast, and might agree
        message = "relative_error expects two gradients of one shape; got"
        raise ValueError(message + f" {a.shape} and {n.shape}")
    largest_a = float(np.max(np.abs(a), initial=0.0))
    largest = max(largest_a, float(np.max(np.abs(n), initial=0.0)))
    if largest == 0.0:  # both gradients are zero: they agree
        return 0.0
    # Scaled, so that squaring tiny entries in the norm cannot underflow to 0
    a, n = a / largest, n / largest
    norms = float(np.linalg.norm(a)), float(np.linalg.norm(n))
    return float(np.linalg.norm(a - n)) / max(norms)


def _real(x, name: str) -> np.ndarray:
    """``x`` as a float64 array, if it holds real numbers; else raise."""
    try:
        array = np.asarray(x)
    except ValueError:  # rows of different lengths
        array = np.asarray(None)
    if array.dtype.kind not in "fiub":
        message = f"relative_error expects {name} as an array of real numbers"
        raise TypeError(message + f"; got {type(x).__name__} of {array.dtype}")
    array = array.astype(np.float64)
    # docs/implementation/errors.md:1840
    array = check_finite(array, name, where="relative_error")
    # docs/implementation/gradcheck.md:186
    return array


# docs/implementation/gradcheck.md:210
def check_layer(
    layer,
    inputs: np.ndarray,
    *,
    eps: float = 1e-6,
    seed: int = 0,
) -> dict[str, float]:
    """Relative errors of ``layer.backward`` for inputs (k, n).

    Returns ``{"dinputs": ...}``, plus ``"dweights"`` and ``"dbiases"`` for
    a layer with parameters.

    >>> from nnbook.layers import Dense
    >>> report = check_layer(Dense(3, 2, rng=0), np.ones((4, 3)))
    >>> sorted(report), max(report.values()) < 1e-7
    (['dbiases', 'dinputs', 'dweights'], True)
    """
    # A copy, nudged in place below: the caller's array stays untouched
    inputs = np.array(inputs, copy=True)
    name = type(layer).__name__
    _check_floats(inputs, "inputs", where=f"check_layer of {name}")
    shape = layer.forward(inputs).shape  # (k, m)
    G = np.random.default_rng(seed).standard_normal(shape)
    G = G.astype(inputs.dtype)
    penalized = hasattr(layer, "regularization_loss")

    def f() -> float:
        penalty = layer.regularization_loss() if penalized else 0.0
        return float(np.sum(G * layer.forward(inputs))) + penalty

    layer.forward(inputs)
    dinputs = layer.backward(G.copy())
    analytic = {"dinputs": _gradient(dinputs, inputs, f"{name}.backward")}
    parameters = [p for p in ("weights", "biases") if hasattr(layer, "d" + p)]
    for p in parameters:  # copies: a later backward may overwrite the arrays
        method = f"{name}.backward (its d{p})"
        gradient, like = getattr(layer, "d" + p), getattr(layer, p)
        analytic["d" + p] = _gradient(gradient, like, method)
    numeric = {"dinputs": numerical_gradient(f, inputs, eps)}
    for p in parameters:
        numeric["d" + p] = numerical_gradient(f, getattr(layer, p), eps)
    errors = {}
    for key, gradient in analytic.items():
        errors[key] = relative_error(gradient, numeric[key])
    return errors


def _gradient(value, like: np.ndarray, method: str) -> np.ndarray:
    """A copy of the gradient ``method`` gave, if it has the shape of ``like``.

    A wrong shape would broadcast in the comparison and might pass.
    """
    if value is None:
        message = f"{method} returned None; it must return the gradient"
        raise TypeError(message + f", an array of shape {like.shape}")
    value = np.array(value, dtype=np.float64)
    if value.shape != like.shape:
        message = f"{method} gave a gradient of shape {value.shape};"
        message += f" expected {like.shape}, the shape of what it"
        raise ValueError(message + " differentiates")
    return value


# docs/implementation/gradcheck.md:284
def check_loss(
    loss,
    y_pred: np.ndarray,
    y_true: np.ndarray,
    *,
    eps: float = 1e-6,
) -> dict[str, float]:
    """Relative error of ``loss.backward`` (k, m).

    It is compared with centered differences of ``loss.calculate``.

    >>> from nnbook.losses import MeanSquaredError
    >>> y_pred, y_true = np.array([[1.0, 2.0]]), np.array([[0.0, 0.5]])
    >>> check_loss(MeanSquaredError(), y_pred, y_true)["dy_pred"] < 1e-7
    True
    """
    y_pred = np.array(y_pred, copy=True)
    method = f"{type(loss).__name__}.backward"
    _check_floats(y_pred, "y_pred", where=f"check_loss of {method[:-9]}")
    analytic = _gradient(loss.backward(y_pred, y_true), y_pred, method)

    def f() -> float:
        return loss.calculate(y_pred, y_true)

    numeric = numerical_gradient(f, y_pred, eps)
    return {"dy_pred": relative_error(analytic, numeric)}


# docs/implementation/gradcheck.md:320
def check_model(
    model,
    X: np.ndarray,
    y: np.ndarray,
    *,
    eps: float = 1e-6,
) -> dict[str, float]:
    """Relative errors of ``model.backward`` for X (k, n), y (k, m).

    The loss includes the regularization. Keys: ``"dinputs"``, and
    ``"layers[i].dweights"`` and ``"layers[i].dbiases"`` for each layer i
    with weights.

    >>> from nnbook.activations import Linear
    >>> from nnbook.layers import Dense
    >>> from nnbook.model import Model
    >>> model = Model([Dense(2, 1, rng=0), Linear()])
    >>> report = check_model(model, np.ones((3, 2)), np.zeros((3, 1)))
    >>> max(report.values()) < 1e-7
    True
    """
    X = np.array(X, copy=True)
    _check_floats(X, "X", where="check_model")

    def f() -> float:
        penalty = regularization_loss(model.layers)
        return model.loss.calculate(model.forward(X), y) + penalty

    dinputs = model.backward(model.forward(X), y)
    analytic = {"dinputs": _gradient(dinputs, X, "Model.backward")}
    parameters = []
    for i, layer in enumerate(model.layers):
        for name in ("weights", "biases"):
            if hasattr(layer, name):
                kind = type(layer).__name__
                method = f"layers[{i}].backward ({kind}'s d{name})"
                key = f"layers[{i}].d{name}"
                gradient = getattr(layer, "d" + name)
                like = getattr(layer, name)
                analytic[key] = _gradient(gradient, like, method)
                parameters.append((key, like))
    numeric = {"dinputs": numerical_gradient(f, X, eps)}
    for key, array in parameters:
        numeric[key] = numerical_gradient(f, array, eps)
    errors = {}
    for key, gradient in analytic.items():
        errors[key] = relative_error(gradient, numeric[key])
    return errors


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "check_layer",
    "check_loss",
    "check_model",
    "numerical_gradient",
    "relative_error",
]
