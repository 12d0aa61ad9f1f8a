# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/activations.md
#   docs/concepts/optimization.md
# Edit the chapters, then run `make tangle`.

"""Activation functions, applied element-wise: (k, m) -> (k, m)."""

import numpy as np

from nnbook.checks import as_2d_array, check_gradient


class ReLU:
    """Rectified linear unit, ``max(0, z)`` element-wise; shapes (k, m) -> (k, m).

    >>> ReLU().forward(np.array([[-1.0, 0.0, 2.0]]))
    array([[0., 0., 2.]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Apply ``max(0, z)``: (k, m) -> (k, m), same dtype; keeps ``inputs`` for backward."""
        inputs = as_2d_array(inputs, "inputs", where="ReLU", symbol="m")
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
        inputs = as_2d_array(inputs, "inputs", where="Linear", symbol="m")
        return inputs

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/da, (k, m) -> (k, m): the same array, as the slope is 1."""
        return dvalues
