# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/layer.md
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
#   docs/implementation/model.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/concepts/layer.md:119
"""Fully connected layers: ``Y = X @ W + b``."""

# docs/concepts/layer.md:453
from collections.abc import Callable

# docs/concepts/layer.md:123
import numpy as np

# docs/implementation/errors.md:930
from nnbook.checks import (
    as_2d_array,
    as_float_dtype,
    as_generator,
    check_gradient,
    check_non_negative_number,
    check_positive_int,
    check_positive_number,
)


# docs/concepts/layer.md:132
class Dense:
    """m neurons on n features: (k, n) @ (n, m) + (m,) -> (k, m)."""

    def __init__(self, n_inputs: int, n_neurons: int, *,
                 rng: int | np.random.Generator | None = None,
                 # docs/concepts/layer.md:329
                 dtype: type | np.dtype = np.float64,
                 # docs/concepts/layer.md:457
                 init: str | float | Callable = "he",
                 # docs/concepts/loss.md:214
                 weight_l1: float = 0.0,
                 weight_l2: float = 0.0,
                 bias_l1: float = 0.0,
                 bias_l2: float = 0.0,
                 # docs/concepts/layer.md:138
                 ) -> None:  # fmt: skip
        # docs/implementation/errors.md:990
        n_inputs = check_positive_int(n_inputs, "n_inputs", where="Dense")
        n_neurons = check_positive_int(n_neurons, "n_neurons", where="Dense")
        rng = as_generator(rng, where="Dense")
        dtype = as_float_dtype(dtype, where="Dense")
        check_factor = check_non_negative_number  # a penalty factor is >= 0
        weight_l1 = check_factor(weight_l1, "weight_l1", where="Dense")
        weight_l2 = check_factor(weight_l2, "weight_l2", where="Dense")
        bias_l1 = check_factor(bias_l1, "bias_l1", where="Dense")
        bias_l2 = check_factor(bias_l2, "bias_l2", where="Dense")
        # docs/concepts/loss.md:221
        self.weight_l1, self.weight_l2 = weight_l1, weight_l2
        self.bias_l1, self.bias_l2 = bias_l1, bias_l2
        # docs/concepts/layer.md:140
        generator = np.random.default_rng(rng)
        self.biases = np.zeros(n_neurons)  # (m,)
        # docs/concepts/layer.md:333
        self.biases = self.biases.astype(dtype)
        # docs/concepts/layer.md:461
        if not (isinstance(init, str) and init == "he"):
            shape = (n_inputs, n_neurons)
            self.weights = initial_weights(init, generator, shape, dtype)
            return
        # docs/concepts/layer.md:143
        scale = np.sqrt(2.0 / n_inputs)  # He: variance 2/n
        self.weights = generator.standard_normal((n_inputs, n_neurons)) * scale
        # docs/concepts/layer.md:337
        self.weights = self.weights.astype(dtype)

    # docs/concepts/layer.md:147
    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, n) -> (k, m), keeping the inputs for the backward pass."""
        # docs/implementation/errors.md:1002
        n, dtype = self.weights.shape[0], self.weights.dtype
        # A wrong shape is refused; another dtype is converted to the layer's.
        inputs = as_2d_array(inputs, n_features=n, dtype=dtype, where="Dense")
        # docs/concepts/layer.md:150
        self.inputs = inputs  # kept, not copied
        return inputs @ self.weights + self.biases

    # docs/concepts/loss.md:228
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

    # docs/concepts/optimization.md:324
    def backward(
        self,
        dvalues: np.ndarray,
        *,
        input_gradient: bool = True,
    ) -> np.ndarray | None:
        """Backward pass: dvalues (k, m) -> dinputs (k, n).

        Sets ``dweights`` = inputs.T @ dvalues, (n, m), and ``dbiases`` = dvalues
        summed over the samples, (m,), each plus the gradient of its L1/L2 penalty.
        The first call allocates these two arrays; later calls overwrite them in
        place.
        With ``input_gradient=False`` it skips ``dinputs`` and returns None.
        """
        # docs/implementation/errors.md:1008
        inputs = getattr(self, "inputs", None)  # None until forward has run
        dvalues = check_gradient(
            dvalues,
            inputs,
            n_outputs=self.weights.shape[1],
            dtype=self.weights.dtype,
            where="Dense",
        )
        # docs/concepts/optimization.md:339
        previous = getattr(self, "dweights", None)
        if previous is None or previous.shape != self.weights.shape:
            # The first call allocates them; later calls write into them.
            self.dweights = np.empty_like(self.weights)
            self.dbiases = np.empty_like(self.biases)
        self._weight_gradients(dvalues)
        if not input_gradient:
            return None
        return dvalues @ self.weights.T

    def _weight_gradients(self, dvalues: np.ndarray) -> None:
        """Write ``dweights`` (n, m) and ``dbiases`` (m,) in place."""
        np.matmul(self.inputs.T, dvalues, out=self.dweights)
        np.add.reduce(dvalues, axis=0, out=self.dbiases)
        add_penalty_gradients(self)

    # docs/implementation/model.md:405
    def _forward(self, inputs: np.ndarray, out) -> np.ndarray:
        """The arithmetic of ``forward``, on inputs already checked.

        ``out`` is None (a new (k, m) array) or a (k, m) array to overwrite.
        """
        self.inputs = inputs
        # (k, n) @ (n, m) -> (k, m), into out when there is one.
        product = np.multiply if self.weights.shape[0] == 1 else np.matmul
        outputs = product(inputs, self.weights, out=out)
        # Broadcast (m,) over the k rows, in place: no second (k, m) array.
        outputs += self.biases
        return outputs

    def _backward(self, dvalues: np.ndarray, out) -> np.ndarray:
        """``backward`` on checked dvalues; dinputs into ``out`` (None: new)."""
        self._weight_gradients(dvalues)
        # One neuron (m = 1): (k, 1) @ (1, n) is an outer product, as forward.
        product = np.multiply if self.weights.shape[1] == 1 else np.matmul
        return product(dvalues, self.weights.T, out=out)


# docs/concepts/layer.md:407
def initial_weights(
    init,
    rng: np.random.Generator,
    shape: tuple,
    dtype,
    *,
    where: str = "Dense",
) -> np.ndarray:
    """Initial weights of ``shape`` (fan-in axes, fan-out last) by ``init``.

    ``init``: "he", "glorot", a scale s > 0 for s * N(0, 1), or a callable
    ``init(rng, shape, dtype)`` returning an array of that shape and dtype.
    """
    fan_in = int(np.prod(shape[:-1]))
    fan_out = int(np.prod(shape[:-2])) * shape[-1]
    if isinstance(init, str) and init in ("he", "glorot"):
        variance = 2.0 / fan_in if init == "he" else 2.0 / (fan_in + fan_out)
        return (rng.standard_normal(shape) * np.sqrt(variance)).astype(dtype)
    number = isinstance(init, (int, float, np.floating))
    if number and not isinstance(init, bool):
        scale = init
        # docs/implementation/errors.md:1019
        scale = check_positive_number(init, "init (a scale)", where=where)
        # docs/concepts/layer.md:429
        return (rng.standard_normal(shape) * scale).astype(dtype)
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


# docs/concepts/optimization.md:360
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


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "Dense",
    "add_penalty_gradients",
    "initial_weights",
]
