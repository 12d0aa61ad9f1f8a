# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/layer.md
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

"""Fully connected layers: ``Y = X @ W + b``."""

import numpy as np

from nnbook.checks import (
    as_2d_array,
    as_float_dtype,
    as_generator,
    check_gradient,
    check_non_negative_number,
    check_positive_int,
)


class Dense:
    """A fully connected layer of ``n_neurons`` neurons reading ``n_inputs`` features.

    Shapes: ``weights`` (n, m), ``biases`` (m,); ``forward`` maps (k, n) to (k, m).

    >>> layer = Dense(3, 2, rng=0)
    >>> layer.forward(np.ones((4, 3))).shape
    (4, 2)
    """

    def __init__(
        self,
        n_inputs: int,
        n_neurons: int,
        *,
        rng: int | np.random.Generator | None = None,
        dtype: type | np.dtype = np.float64,
        weight_l1: float = 0.0,
        weight_l2: float = 0.0,
        bias_l1: float = 0.0,
        bias_l2: float = 0.0,
    ) -> None:
        n_inputs = check_positive_int(n_inputs, "n_inputs", where="Dense")
        n_neurons = check_positive_int(n_neurons, "n_neurons", where="Dense")
        rng = as_generator(rng, where="Dense")
        dtype = as_float_dtype(dtype, where="Dense")
        weight_l1 = check_non_negative_number(weight_l1, "weight_l1", where="Dense")
        weight_l2 = check_non_negative_number(weight_l2, "weight_l2", where="Dense")
        bias_l1 = check_non_negative_number(bias_l1, "bias_l1", where="Dense")
        bias_l2 = check_non_negative_number(bias_l2, "bias_l2", where="Dense")
        generator = np.random.default_rng(rng)
        # He initialisation keeps the variance of ReLU activations steady from layer to layer.
        scale = np.sqrt(2.0 / n_inputs)
        self.weights = (generator.standard_normal((n_inputs, n_neurons)) * scale).astype(dtype)
        self.biases = np.zeros(n_neurons, dtype=dtype)
        self.weight_l1, self.weight_l2 = weight_l1, weight_l2
        self.bias_l1, self.bias_l2 = bias_l1, bias_l2

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, n) -> (k, m). Keeps ``inputs`` for the backward pass."""
        inputs = as_2d_array(inputs, n_features=self.weights.shape[0], dtype=self.weights.dtype, where="Dense")
        self.inputs = inputs
        return inputs @ self.weights + self.biases

    def regularization_loss(self) -> float:
        """L1 and L2 penalties of this layer's parameters; 0.0 when none are set."""
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

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dvalues (k, m) -> (k, n); sets ``dweights`` (n, m) and ``dbiases`` (m,)."""
        inputs = getattr(self, "inputs", None)  # None until forward has run
        dvalues = check_gradient(
            dvalues, inputs, n_outputs=self.weights.shape[1], dtype=self.weights.dtype, where="Dense"
        )
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = dvalues.sum(axis=0)
        if self.weight_l1:
            self.dweights += self.weight_l1 * np.sign(self.weights)
        if self.weight_l2:
            self.dweights += (2 * self.weight_l2) * self.weights
        if self.bias_l1:
            self.dbiases += self.bias_l1 * np.sign(self.biases)
        if self.bias_l2:
            self.dbiases += (2 * self.bias_l2) * self.biases
        return dvalues @ self.weights.T
