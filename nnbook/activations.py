# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/activations.md
#   docs/concepts/optimization.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

"""Activation functions, applied element-wise: (k, m) -> (k, m)."""

import numpy as np

from nnbook.checks import as_2d_array, check_gradient


class ReLU:
    """Rectified linear unit, ``max(0, y)``.

    >>> ReLU().forward(np.array([[-1.0, 0.0, 2.0]]))
    array([[0., 0., 2.]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, m) -> (k, m)."""
        inputs = as_2d_array(inputs, "inputs", where="ReLU", symbol="m")
        self.inputs = inputs
        return np.maximum(inputs, 0)

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """(k, m) -> (k, m): the gradient passes where the input was positive."""
        dvalues = check_gradient(dvalues, getattr(self, "inputs", None), where="ReLU")
        return np.where(self.inputs > 0, dvalues, 0)


class Linear:
    """The identity, used as the output activation of a regression network.

    >>> Linear().forward(np.array([[-1.0, 2.0]]))
    array([[-1.,  2.]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, m) -> (k, m), unchanged."""
        inputs = as_2d_array(inputs, "inputs", where="Linear", symbol="m")
        return inputs

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """(k, m) -> (k, m), unchanged: the derivative of the identity is 1."""
        return dvalues
