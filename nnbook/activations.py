# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/activations.md
#   docs/concepts/optimization.md
#   docs/classification/softmax.md
#   docs/classification/binary.md
# Edit the chapters, then run `make tangle`.

"""Activation functions, applied element-wise: (k, m) -> (k, m)."""

import numpy as np

from nnbook.checks import as_2d_array, as_batch_array, check_gradient


class ReLU:
    """Rectified linear unit, ``max(0, z)`` element-wise; shapes (k, m) -> (k, m).

    >>> ReLU().forward(np.array([[-1.0, 0.0, 2.0]]))
    array([[0., 0., 2.]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Apply ``max(0, z)``: (k, m) -> (k, m), same dtype; keeps ``inputs`` for backward."""
        inputs = as_batch_array(inputs, "inputs", where="ReLU")
        self.inputs = inputs
        return np.maximum(inputs, 0)

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/da, (k, m) -> (k, m): passed where the input was > 0, else 0."""
        dvalues = check_gradient(dvalues, getattr(self, "inputs", None), where="ReLU")
        # Multiplying by the boolean mask (True = 1, False = 0) keeps the dtype and is
        # about twice as fast as np.where(self.inputs > 0, dvalues, 0) on small batches.
        return dvalues * (self.inputs > 0)


class Linear:
    """The identity, the output activation of a regression network: (k, m) -> (k, m).

    >>> Linear().forward(np.array([[-1.0, 2.0]]))
    array([[-1.,  2.]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Return ``inputs`` itself, unchanged and not copied: (k, m) -> (k, m)."""
        inputs = as_batch_array(inputs, "inputs", where="Linear")
        return inputs

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/da, (k, m) -> (k, m): the same array, as the slope is 1."""
        return dvalues


class Softmax:
    """Softmax over each row: logits (k, m) -> probabilities (k, m), each row summing to 1.

    >>> Softmax().forward(np.array([[0.0, 0.0], [1000.0, 0.0]]))
    array([[0.5, 0.5],
           [1. , 0. ]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Probabilities (k, m), same dtype; subtracting each row's max keeps exp from overflowing."""
        inputs = as_2d_array(inputs, "inputs", where="Softmax", symbol="m")
        exps = np.exp(inputs - inputs.max(axis=1, keepdims=True))  # (k, m), every entry in (0, 1]
        self.inputs = inputs
        self.output = exps / exps.sum(axis=1, keepdims=True)  # (k, m) / (k, 1)
        return self.output

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/dŷ, (k, m) -> (k, m): ŷ ⊙ (g − rowsum(g ⊙ ŷ)), without the (k, m, m) Jacobian."""
        dvalues = check_gradient(dvalues, getattr(self, "inputs", None), where="Softmax")
        dot = (dvalues * self.output).sum(axis=1, keepdims=True)  # (k, 1)
        return self.output * (dvalues - dot)


class Sigmoid:
    """The logistic function ``1 / (1 + exp(-z))`` element-wise: (k, m) -> (k, m), values in (0, 1).

    >>> Sigmoid().forward(np.array([[-1000.0, 0.0, 1000.0]]))
    array([[0. , 0.5, 1. ]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """σ(z) (k, m), same dtype; exp only ever sees -|z|, so it cannot overflow."""
        inputs = as_2d_array(inputs, "inputs", where="Sigmoid", symbol="m")
        small = np.exp(-np.abs(inputs))  # (k, m), in (0, 1]
        self.inputs = inputs
        self.output = np.where(inputs >= 0, 1 / (1 + small), small / (1 + small))
        return self.output

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/da, (k, m) -> (k, m): times σ(z) (1 - σ(z))."""
        dvalues = check_gradient(dvalues, getattr(self, "inputs", None), where="Sigmoid")
        return dvalues * self.output * (1 - self.output)
