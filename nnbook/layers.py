# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/layer.md
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/concepts/layer.md:163
"""Fully connected layers: ``Y = X @ W + b``."""

from collections.abc import Callable

import numpy as np

# docs/implementation/errors.md:1051
from nnbook.boundary import guard
from nnbook.checks import (
    as_2d_array,
    as_float_dtype,
    as_generator,
    check_gradient,
    check_non_negative_number,
    check_positive_int,
    check_positive_number,
)


# docs/concepts/layer.md:182
class Dense:
    """m neurons on n features: (k, n) @ (n, m) + (m,) -> (k, m)."""

    def __init__(self, n_inputs: int, n_neurons: int, *, rng=None,
                 dtype=np.float64, init: str | float | Callable = "glorot",
                 weight_l1=0.0, weight_l2=0.0,
                 bias_l1=0.0, bias_l2=0.0) -> None:  # fmt: skip
        self.weights = initial_weights(init, rng, (n_inputs, n_neurons), dtype)
        self.biases = np.zeros(n_neurons, dtype=dtype)  # (m,)
        self.weight_l1, self.weight_l2 = weight_l1, weight_l2
        self.bias_l1, self.bias_l2 = bias_l1, bias_l2

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, n) -> (k, m), keeping the inputs for the backward pass."""
        self.inputs = inputs  # kept, not copied
        return inputs @ self.weights + self.biases

    # docs/concepts/loss.md:213
    def regularization_loss(self) -> float:
        """L1 and L2 penalties of the weights and biases; 0.0 if none is set."""
        penalty = 0.0
        if self.weight_l1:
            penalty += self.weight_l1 * float(np.abs(self.weights).sum())
        if self.weight_l2:
            penalty += self.weight_l2 * float((self.weights * self.weights).sum())
        if self.bias_l1:
            penalty += self.bias_l1 * float(np.abs(self.biases).sum())
        if self.bias_l2:
            penalty += self.bias_l2 * float((self.biases * self.biases).sum())
        return penalty

    # docs/concepts/optimization.md:358
    def backward(self, dvalues: np.ndarray, *, input_gradient: bool = True):
        """Backward pass, dvalues (k, m) -> dinputs (k, n).

        Sets dweights (n, m) and dbiases (m,), each with its penalty's gradient.

        With ``input_gradient=False`` it skips dinputs and returns None.
        """
        self.dweights = self.inputs.T @ dvalues  # (n, k) @ (k, m) -> (n, m)
        self.dbiases = dvalues.sum(axis=0)  # (m,)
        add_penalty_gradients(self)
        if input_gradient:
            return dvalues @ self.weights.T  # (k, m) @ (m, n) -> (k, n)
        return None

    # What an optimizer moves: each array, and its gradient "d" + its name
    parameter_names = ("weights", "biases")


# docs/concepts/layer.md:220
def initial_weights(
    init,
    rng: int | np.random.Generator | None,
    shape: tuple,
    dtype,
    *,
    where: str = "Dense",
) -> np.ndarray:
    """Initial weights of ``shape`` (fan-in axes, fan-out last) by ``init``.

    ``init``: "he", "glorot", a scale s > 0 for s * N(0, 1), or a callable
    ``init(rng, shape, dtype)`` returning an array of that shape and dtype.
    ``rng``: a seed, a Generator (used, not copied) or None.
    """
    rng = np.random.default_rng(rng)
    fan_in = int(np.prod(shape[:-1]))
    fan_out = int(np.prod(shape[:-2])) * shape[-1]
    if isinstance(init, str) and init in ("he", "glorot"):
        variance = 2.0 / fan_in if init == "he" else 2.0 / (fan_in + fan_out)
        return (rng.standard_normal(shape) * np.sqrt(variance)).astype(dtype)
    number = isinstance(init, (int, float, np.floating))
    if number and not isinstance(init, bool):
        return (rng.standard_normal(shape) * init).astype(dtype)
    if callable(init):
        weights = init(rng, shape, dtype)
        array = isinstance(weights, np.ndarray)
        shape = tuple(shape)
        if not array or weights.shape != shape or weights.dtype != dtype:
            kind = type(weights).__name__
            found = f"{weights.dtype} {weights.shape}" if array else kind
            expected = f"an array of {np.dtype(dtype)}, shape {shape}"
            message = f"{where} init must return {expected}"
            raise ValueError(f"{message}; got {found}")
        if not np.isfinite(weights).all():
            raise ValueError(f"{where} init returned NaN or inf weights")
        return weights
    choices = '"he", "glorot", a scale such as 0.01, or a function'
    choices += " init(rng, shape, dtype)"
    raise ValueError(f"{where} expects init to be {choices}; got {init!r}")


# docs/concepts/optimization.md:385
def add_penalty_gradients(layer) -> None:
    """Add the L1/L2 penalties' gradients to ``dweights`` and ``dbiases``."""
    if layer.weight_l1:
        layer.dweights += layer.weight_l1 * np.sign(layer.weights)
    if layer.weight_l2:
        layer.dweights += (2 * layer.weight_l2) * layer.weights
    if layer.bias_l1:
        layer.dbiases += layer.bias_l1 * np.sign(layer.biases)
    if layer.bias_l2:
        layer.dbiases += (2 * layer.bias_l2) * layer.biases


# docs/implementation/errors.md:1114
def init_option(init, *, where: str = "Dense"):
    """``init`` as ``initial_weights`` takes it; a scale must be > 0."""
    number = isinstance(init, (int, float, np.floating))
    if number and not isinstance(init, bool):
        return check_positive_number(init, "init (a scale)", where=where)
    return init  # a name or a function: initial_weights judges it


def penalty(name: str):
    """The constraint of a penalty factor: a number >= 0."""
    check = check_non_negative_number
    return lambda layer, value: check(value, name, where="Dense")


def dense_inputs(layer: Dense, inputs) -> np.ndarray:
    """A wrong shape is refused; another dtype is converted to the layer's."""
    n, dtype = layer.weights.shape[0], layer.weights.dtype
    return as_2d_array(inputs, n_features=n, dtype=dtype, where="Dense")


def dense_dvalues(layer: Dense, dvalues) -> np.ndarray:
    """(k, m) of the last forward pass; a RuntimeError before any."""
    inputs = getattr(layer, "inputs", None)  # None until forward has run
    m, dtype = layer.weights.shape[1], layer.weights.dtype
    kind = {"n_outputs": m, "dtype": dtype, "where": "Dense"}
    return check_gradient(dvalues, inputs, **kind)


def count(name: str):
    """The constraint of a size: an int >= 1."""
    return lambda _, n: check_positive_int(n, name, where="Dense")


PENALTIES = ("weight_l1", "weight_l2", "bias_l1", "bias_l2")
guard(Dense, {
    "__init__": {
        "n_inputs": count("n_inputs"),
        "n_neurons": count("n_neurons"),
        "rng": lambda _, rng: as_generator(rng, where="Dense"),
        "dtype": lambda _, dtype: as_float_dtype(dtype, where="Dense"),
        "init": lambda _, init: init_option(init),
        **{name: penalty(name) for name in PENALTIES},
    },
    "forward": {"inputs": dense_inputs},
    "backward": {"dvalues": dense_dvalues},
})  # fmt: skip


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "PENALTIES",
    "Dense",
    "add_penalty_gradients",
    "count",
    "dense_dvalues",
    "dense_inputs",
    "init_option",
    "initial_weights",
    "penalty",
]
