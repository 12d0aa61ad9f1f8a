# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
#   docs/implementation/metrics.md
#   docs/classification/softmax.md
#   docs/classification/binary.md
# Edit the chapters, then run `make tangle`.

# docs/concepts/loss.md:48
"""Loss functions. Every method takes ``(y_pred, y_true)``, as in C(ŷ, y)."""

from collections.abc import Iterable

import numpy as np

from nnbook.checks import as_layer_list, check_finite_loss, check_same_shape


class Loss:
    """What every loss shares.

    ``forward`` gives the per-sample losses (k,), ``calculate`` their mean.
    """

    # What a Model with this loss reports unless told otherwise (see the
    # Metrics chapter).
    default_metrics: tuple[str, ...] = ("mae", "r2")

    def calculate(self, y_pred: np.ndarray, y_true: np.ndarray) -> float:
        """The data loss: the mean of the per-sample losses, one float."""
        return float(np.mean(self.forward(y_pred, y_true)))


class MeanSquaredError(Loss):
    """Mean squared error over the m outputs of each sample.

    ``forward`` gives the per-sample losses, shape (k,); their mean is the
    loss.

    >>> loss = MeanSquaredError()
    >>> loss.forward(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))
    array([2.5])
    >>> loss.calculate(np.array([[1.0], [3.0]]), np.array([[0.0], [0.0]]))
    5.0
    """

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses ``mean_j (y - ŷ)²``: (k, m), (k, m) -> (k,)."""
        where = "MeanSquaredError"
        y_pred, y_true = check_same_shape(y_pred, y_true, where=where)
        losses = np.mean((y_true - y_pred) ** 2, axis=-1)
        check_finite_loss(losses, y_pred, y_true, where=where)
        return losses

    # docs/concepts/optimization.md:145
    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Gradient of the data loss with respect to ``y_pred``, shape (k, m).

        ``-2 (y - ŷ) / (m k)``: the loss is the mean over all k * m squares.

        >>> y_pred, y_true = np.array([[3.0, 1.0]]), np.array([[1.0, 1.0]])
        >>> MeanSquaredError().backward(y_pred, y_true)
        array([[2., 0.]])
        """
        where = "MeanSquaredError.backward"
        y_pred, y_true = check_same_shape(y_pred, y_true, where=where)
        return self._backward(y_pred, y_true, None)

    def _backward(self, y_pred: np.ndarray, y_true: np.ndarray, out) -> np.ndarray:
        """``backward`` on checked (k, m) arrays, into ``out`` (None: new)."""
        k, m = y_pred.shape
        # (k, m), an array of our own that we may scale in place
        gradient = np.subtract(y_pred, y_true, out=out)
        gradient *= 2.0 / (m * k)
        return gradient


# docs/concepts/loss.md:96
def regularization_loss(layers: Iterable) -> float:
    """The L1 and L2 penalties of every layer that has parameters, added up.

    Args:
        layers: the network's layers; those without parameters are skipped.

    >>> from nnbook.layers import Dense
    >>> regularization_loss([Dense(2, 1, rng=0)])  # no penalty configured
    0.0
    """
    layers = as_layer_list(layers, where="regularization_loss")
    total = 0.0
    for layer in layers:
        if hasattr(layer, "regularization_loss"):  # activations have none
            total += layer.regularization_loss()
    return float(total)


# docs/implementation/metrics.md:231
class MeanAbsoluteError(Loss):
    """Mean absolute error over the m outputs of each sample; the mean of ``forward`` is the data loss.

    >>> MeanAbsoluteError().forward(np.array([[1.0, -2.0]]), np.array([[0.0, 0.0]]))
    array([1.5])
    """

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """(k, m), (k, m) -> (k,)."""
        y_pred, y_true = check_same_shape(y_pred, y_true, where="MeanAbsoluteError")
        losses = np.mean(np.abs(y_true - y_pred), axis=-1)
        where = "MeanAbsoluteError"
        return check_finite_loss(losses, y_pred, y_true, where=where)

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dL/dŷ of the mean loss, (k, m): ``-sign(y - ŷ) / (m k)``."""
        y_pred, y_true = check_same_shape(y_pred, y_true, where="MeanAbsoluteError.backward")
        k, m = y_pred.shape
        return np.sign(y_true - y_pred) * (-1.0 / (m * k))


# docs/classification/softmax.md:196
def _check_probabilities(y_pred, y_true, *, where: str, rows_sum_to_one: bool, logits: bool = False):
    """``(y_pred, y_true)`` (k, m) for a classification loss, or a clear error. O(k m) reductions."""
    if np.ndim(y_true) == 1 and np.ndim(y_pred) == 2:
        raise ValueError(
            f"{where} expects y_true of shape (k, m) like y_pred {np.shape(y_pred)}; got shape {np.shape(y_true)}: "
            f"for integer class labels use nb.one_hot(labels, {np.shape(y_pred)[1]})"
        )
    y_pred, y_true = check_same_shape(y_pred, y_true, where=where)
    if rows_sum_to_one and y_true.shape[1] < 2:
        raise ValueError(
            f"{where} expects m >= 2 classes; got {y_true.shape}: a softmax"
            f" of one output is always 1, so nothing would be learned; for"
            f" one yes/no output use Sigmoid and BinaryCrossEntropy"
        )
    # NaN fails no comparison: it passes here, and the loss reports it
    if y_true.min() < 0 or y_true.max() > 1:
        raise ValueError(
            f"{where} expects y_true of probabilities in [0, 1]; got values from {y_true.min()} to {y_true.max()}"
        )
    if rows_sum_to_one and np.abs(y_true.sum(axis=1) - 1).max() > 1e-3:
        raise ValueError(f"{where} expects each row of y_true to sum to 1 (one-hot or class probabilities)")
    if not logits and (y_pred.min() < 0 or y_pred.max() > 1):
        raise ValueError(
            f"{where} expects y_pred of probabilities in [0, 1] (end the network with Softmax or Sigmoid); "
            f"got values from {y_pred.min()} to {y_pred.max()}"
        )
    return y_pred, y_true


class CategoricalCrossEntropy(Loss):
    """Cross-entropy of predicted probabilities ŷ (k, m), e.g. Softmax outputs, against one-hot targets (k, m).

    >>> CategoricalCrossEntropy().forward(np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([[1.0, 0.0], [1.0, 0.0]]))
    array([0.69314718, 0.10536052])
    """

    eps = 1e-7  # predictions are clipped to [eps, 1 - eps]: log(0) and 1/0 never happen
    default_metrics = ("categorical_accuracy",)  # MAE or R² of probabilities would mean little

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses ``-sum_j y log ŷ``: (k, m), (k, m) -> (k,)."""
        y_pred, y_true = _check_probabilities(y_pred, y_true, where="CategoricalCrossEntropy", rows_sum_to_one=True)
        losses = -np.sum(y_true * np.log(np.clip(y_pred, self.eps, 1 - self.eps)), axis=1)
        return check_finite_loss(losses, y_pred, y_true, where="CategoricalCrossEntropy")

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dL/dŷ of the mean loss, (k, m): ``-y / (k ŷ)`` with ŷ clipped like in forward."""
        where = "CategoricalCrossEntropy.backward"
        y_pred, y_true = _check_probabilities(y_pred, y_true, where=where, rows_sum_to_one=True)
        return -y_true / np.clip(y_pred, self.eps, 1 - self.eps) / len(y_pred)


# docs/classification/softmax.md:302
class SoftmaxCrossEntropy(Loss):
    """Softmax and categorical cross-entropy in one: ``y_pred`` are logits z (k, m), ``y_true`` one-hot (k, m).

    End the network with a Dense layer (no Softmax): backward returns dL/dz = (softmax(z) - y) / k.

    >>> SoftmaxCrossEntropy().forward(np.array([[0.0, 0.0], [0.0, 1000.0]]), np.array([[1.0, 0.0], [1.0, 0.0]]))
    array([6.93147181e-01, 1.00000000e+03])
    """

    default_metrics = ("categorical_accuracy",)  # the argmax of the logits is the argmax of the probabilities

    def check_network(self, layers: list) -> None:
        """Refuse a network that ends with Softmax: it would apply twice.

        ``Model`` calls this, if a loss has it, with its list of layers.
        """
        from nnbook.activations import Linear, Softmax

        ends = [layer for layer in layers if not isinstance(layer, Linear)]
        last = ends[-1] if ends else None
        if isinstance(last, Softmax):
            raise ValueError(
                "SoftmaxCrossEntropy applies the softmax itself, but the"
                " network already ends with a Softmax layer, so it would"
                " apply twice: remove the Softmax layer (predict then"
                " returns logits), or use CategoricalCrossEntropy"
            )

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses ``-sum_j y log softmax(z)``, (k, m), (k, m) -> (k,); exact, no clipping."""
        z, y_true = _check_probabilities(y_pred, y_true, where="SoftmaxCrossEntropy", rows_sum_to_one=True, logits=True)
        shifted = z - z.max(axis=1, keepdims=True)  # (k, m), each row's max is 0
        log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-sum-exp
        losses = -np.sum(y_true * log_probabilities, axis=1)
        return check_finite_loss(losses, z, y_true, where="SoftmaxCrossEntropy")

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dL/dz of the mean loss, (k, m): ``(softmax(z) - y) / k``."""
        where = "SoftmaxCrossEntropy.backward"
        z, y_true = _check_probabilities(y_pred, y_true, where=where, rows_sum_to_one=True, logits=True)
        exps = np.exp(z - z.max(axis=1, keepdims=True))
        gradient = exps / exps.sum(axis=1, keepdims=True)  # softmax(z), a new (k, m) array
        gradient -= y_true
        gradient /= len(z)
        return gradient


# docs/classification/binary.md:97
class BinaryCrossEntropy(Loss):
    """Binary cross-entropy of probabilities ŷ (k, m), e.g. Sigmoid outputs, against targets in [0, 1] (k, m).

    >>> BinaryCrossEntropy().forward(np.array([[0.5, 0.9]]), np.array([[1.0, 0.0]]))
    array([1.49786614])
    """

    eps = 1e-7  # predictions are clipped to [eps, 1 - eps]: log(0) and 1/0 never happen
    default_metrics = ("binary_accuracy",)

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses, the mean over the m outputs: (k, m), (k, m) -> (k,)."""
        y_pred, y_true = _check_probabilities(y_pred, y_true, where="BinaryCrossEntropy", rows_sum_to_one=False)
        clipped = np.clip(y_pred, self.eps, 1 - self.eps)
        losses = -np.mean(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped), axis=1)
        return check_finite_loss(losses, y_pred, y_true, where="BinaryCrossEntropy")

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dL/dŷ of the mean loss, (k, m): ``-(y / ŷ - (1 - y) / (1 - ŷ)) / (m k)``, ŷ clipped as in forward."""
        where = "BinaryCrossEntropy.backward"
        y_pred, y_true = _check_probabilities(y_pred, y_true, where=where, rows_sum_to_one=False)
        clipped = np.clip(y_pred, self.eps, 1 - self.eps)
        k, m = y_pred.shape
        return -(y_true / clipped - (1 - y_true) / (1 - clipped)) / (m * k)


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "Loss",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "SoftmaxCrossEntropy",
    "regularization_loss",
]
