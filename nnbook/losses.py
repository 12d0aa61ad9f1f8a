# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
#   docs/implementation/metrics.md
# Edit the chapters, then run `make tangle`.

"""Loss functions. Every method takes ``(y_pred, y_true)``, as in C(ŷ, y)."""

from collections.abc import Iterable

import numpy as np

from nnbook.checks import as_layer_list, check_finite_loss, check_same_shape


class MeanSquaredError:
    """Mean squared error over the m outputs of each sample.

    ``forward`` gives the per-sample losses, shape (k,); their mean is the loss.

    >>> loss = MeanSquaredError()
    >>> loss.forward(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))
    array([2.5])
    >>> loss.calculate(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]]))
    5.0
    """

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses ``mean_j (y - ŷ)²``: (k, m), (k, m) -> (k,)."""
        y_pred, y_true = check_same_shape(y_pred, y_true, where="MeanSquaredError")
        losses = np.mean((y_true - y_pred) ** 2, axis=-1)
        check_finite_loss(losses, y_pred, y_true, where="MeanSquaredError")
        return losses

    def calculate(self, y_pred: np.ndarray, y_true: np.ndarray) -> float:
        """The data loss: the mean of the per-sample losses, one float."""
        return float(np.mean(self.forward(y_pred, y_true)))

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Gradient of the loss with respect to ``y_pred``: ``-2 (y - ŷ) / (m k)``, (k, m).

        >>> y_pred, y_true = np.array([[3.0, 1.0]]), np.array([[1.0, 1.0]])
        >>> MeanSquaredError().backward(y_pred, y_true)
        array([[2., 0.]])
        """
        y_pred, y_true = check_same_shape(y_pred, y_true, where="MeanSquaredError.backward")
        k, m = y_pred.shape
        gradient = y_pred - y_true  # (k, m), a new array we may scale in place
        gradient *= 2.0 / (m * k)
        return gradient


def regularization_loss(layers: Iterable) -> float:
    """The L1 and L2 penalties of every layer that has parameters, added up.

    Args:
        layers: the network's layers; those without parameters are skipped.

    >>> from nnbook.layers import Dense
    >>> regularization_loss([Dense(2, 1, rng=0)])  # no penalty configured
    0.0
    """
    layers = as_layer_list(layers, where="regularization_loss")
    penalties = (layer.regularization_loss() for layer in layers if hasattr(layer, "regularization_loss"))
    return float(sum(penalties))


class MeanAbsoluteError:
    """Mean absolute error over the m outputs of each sample; the mean of ``forward`` is the data loss.

    >>> MeanAbsoluteError().forward(np.array([[1.0, -2.0]]), np.array([[0.0, 0.0]]))
    array([1.5])
    """

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """(k, m), (k, m) -> (k,)."""
        return np.mean(np.abs(y_true - y_pred), axis=-1)

    def calculate(self, y_pred: np.ndarray, y_true: np.ndarray) -> float:
        """The mean of the per-sample losses: one number."""
        return float(np.mean(self.forward(y_pred, y_true)))

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dL/dŷ of the mean loss, (k, m): ``-sign(y - ŷ) / (m k)``."""
        k, m = y_pred.shape
        return np.sign(y_true - y_pred) * (-1.0 / (m * k))
