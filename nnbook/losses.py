# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
#   docs/implementation/metrics.md
# Edit the chapters, then run `make tangle`.

"""Loss functions. Every method takes ``(y_pred, y_true)``, as in C(ŷ, y)."""

import numpy as np


class MeanSquaredError:
    """Mean squared error over the m outputs of each sample.

    ``forward`` gives the per-sample losses, shape (k,); their mean is the data loss.

    >>> loss = MeanSquaredError()
    >>> loss.forward(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))
    array([2.5])
    """

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """(k, m), (k, m) -> (k,)."""
        return np.mean((y_true - y_pred) ** 2, axis=-1)

    def calculate(self, y_pred: np.ndarray, y_true: np.ndarray) -> float:
        """The mean of the per-sample losses: one number."""
        return float(np.mean(self.forward(y_pred, y_true)))

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dC/dŷ of the mean loss, (k, m): ``-2 (y - ŷ) / (m k)``."""
        k, m = y_pred.shape
        return (y_pred - y_true) * (2.0 / (m * k))


def regularization_loss(layers) -> float:
    """The L1 and L2 penalties of every layer that has weights, added up."""
    return float(sum(layer.regularization_loss() for layer in layers if hasattr(layer, "regularization_loss")))


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
