# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
#   docs/implementation/metrics.md
#   docs/classification/softmax.md
#   docs/classification/binary.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/concepts/loss.md:52
"""Loss functions. Every method takes ``(y_pred, y_true)``, as in C(ŷ, y)."""

from collections.abc import Iterable

import numpy as np

# docs/implementation/errors.md:1069
from nnbook.boundary import guard
from nnbook.checks import as_layer_list, check_finite_loss, check_same_shape

# docs/implementation/errors.md:1375
from nnbook import boundary
from nnbook.datasets import class_targets


# docs/concepts/loss.md:61
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
    """Mean of (y - ŷ)² over the m outputs of each sample.

    >>> loss = MeanSquaredError()
    >>> loss.forward(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))
    array([2.5])
    """

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses ``mean_j (y - ŷ)²``: (k, m), (k, m) -> (k,)."""
        return np.mean((y_true - y_pred) ** 2, axis=-1)

    # docs/concepts/optimization.md:209
    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Gradient of the data loss with respect to ``y_pred``, shape (k, m).

        ``-2 (y - ŷ) / (m k)``: the loss is the mean over all k * m squares.

        >>> y_pred, y_true = np.array([[3.0, 1.0]]), np.array([[1.0, 1.0]])
        >>> MeanSquaredError().backward(y_pred, y_true)
        array([[2., 0.]])
        """
        k, m = y_pred.shape
        return (y_pred - y_true) * (2.0 / (m * k))


# docs/concepts/loss.md:91
def regularization_loss(layers: Iterable) -> float:
    """The L1 and L2 penalties of every layer that has parameters, added up.

    Args:
        layers (Iterable): the network's layers; those without parameters are
            skipped.

    >>> from nnbook.layers import Dense
    >>> regularization_loss([Dense(2, 1, rng=0)])  # no penalty configured
    0.0
    """
    total = 0.0
    for layer in layers:
        if hasattr(layer, "regularization_loss"):  # activations have none
            total += layer.regularization_loss()
    return float(total)


# docs/implementation/metrics.md:292
class MeanAbsoluteError(Loss):
    """Mean absolute error over the m outputs of each sample.

    The mean of ``forward`` over the samples is the data loss.

    >>> y_pred, y_true = np.array([[1.0, -2.0]]), np.array([[0.0, 0.0]])
    >>> MeanAbsoluteError().forward(y_pred, y_true)
    array([1.5])
    """

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """(k, m), (k, m) -> (k,)."""
        return np.mean(np.abs(y_true - y_pred), axis=-1)

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dC/dŷ of the mean loss, (k, m): ``-sign(y - ŷ) / (m k)``."""
        k, m = y_pred.shape
        return np.sign(y_true - y_pred) * (-1.0 / (m * k))


# docs/classification/softmax.md:280
class CategoricalCrossEntropy(Loss):
    """Cross-entropy of probabilities ŷ (k, m) against one-hot targets (k, m).

    ŷ are predicted probabilities, e.g. the outputs of ``Softmax``.

    >>> y_pred = np.array([[0.5, 0.5], [0.9, 0.1]])
    >>> y_true = np.array([[1.0, 0.0], [1.0, 0.0]])
    >>> CategoricalCrossEntropy().forward(y_pred, y_true)
    array([0.69314718, 0.10536052])
    """

    # Predictions are clipped to [eps, 1 - eps]: log(0) and 1/0 never happen.
    eps = 1e-7
    # MAE or R² of probabilities would mean little.
    default_metrics = ("categorical_accuracy",)
    accuracy_metric = "categorical_accuracy"  # what "accuracy" means here

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses ``-sum_j y log ŷ``: (k, m), (k, m) -> (k,)."""
        clipped = np.clip(y_pred, self.eps, 1 - self.eps)  # (k, m)
        return -np.sum(y_true * np.log(clipped), axis=1)  # (k,)

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dC/dŷ of the mean loss, (k, m): ``-y / (k ŷ)``, ŷ clipped."""
        clipped = np.clip(y_pred, self.eps, 1 - self.eps)  # (k, m)
        return -y_true / clipped / len(y_pred)


# docs/classification/softmax.md:416
class SoftmaxCrossEntropy(Loss):
    """Softmax and categorical cross-entropy in one loss.

    ``y_pred`` are logits z (k, m), ``y_true`` one-hot targets (k, m).
    End the network with a Dense layer (no Softmax): backward returns
    dC/dz = (softmax(z) - y) / k.

    >>> z = np.array([[0.0, 0.0], [0.0, 1000.0]])
    >>> y = np.array([[1.0, 0.0], [1.0, 0.0]])
    >>> SoftmaxCrossEntropy().forward(z, y)
    array([6.93147181e-01, 1.00000000e+03])
    """

    # The argmax of the logits is the argmax of the probabilities.
    default_metrics = ("categorical_accuracy",)
    accuracy_metric = "categorical_accuracy"

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
        """Per-sample losses ``-sum_j y log softmax(z)``: (k, m) -> (k,).

        Exact, without clipping: log softmax comes from log-sum-exp.
        """
        z = y_pred  # logits (k, m)
        shifted = z - z.max(axis=1, keepdims=True)  # (k, m), row max 0
        log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        log_probabilities = shifted - log_sum  # (k, m) - (k, 1)
        return -np.sum(y_true * log_probabilities, axis=1)  # (k,)

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dC/dz of the mean loss, (k, m): ``(softmax(z) - y) / k``."""
        z = y_pred  # logits (k, m)
        exps = np.exp(z - z.max(axis=1, keepdims=True))  # (k, m)
        # softmax(z), a new (k, m) array we may change in place
        gradient = exps / exps.sum(axis=1, keepdims=True)
        gradient -= y_true
        gradient /= len(z)
        return gradient


# docs/classification/binary.md:147
class BinaryCrossEntropy(Loss):
    """Binary cross-entropy of probabilities ŷ (k, m) against targets (k, m).

    ŷ are predicted probabilities, e.g. the outputs of ``Sigmoid``; the
    targets lie in [0, 1], usually exactly 0 or 1.

    >>> y_pred, y_true = np.array([[0.5, 0.9]]), np.array([[1.0, 0.0]])
    >>> BinaryCrossEntropy().forward(y_pred, y_true)
    array([1.49786614])
    """

    # Predictions are clipped to [eps, 1 - eps]: log(0) and 1/0 never happen.
    eps = 1e-7
    default_metrics = ("binary_accuracy",)
    accuracy_metric = "binary_accuracy"  # what "accuracy" means here

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses, the mean over the m outputs: (k, m) -> (k,)."""
        clipped = np.clip(y_pred, self.eps, 1 - self.eps)  # (k, m)
        yes = y_true * np.log(clipped)
        no = (1 - y_true) * np.log(1 - clipped)
        return -np.mean(yes + no, axis=1)  # (k,)

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dC/dŷ of the mean loss, (k, m), with ŷ clipped as in forward.

        ``-(y / ŷ - (1 - y) / (1 - ŷ)) / (m k)``
        """
        clipped = np.clip(y_pred, self.eps, 1 - self.eps)  # (k, m)
        k, m = y_pred.shape
        ratio = y_true / clipped - (1 - y_true) / (1 - clipped)
        return -ratio / (m * k)


# docs/classification/binary.md:281
class SigmoidBinaryCrossEntropy(Loss):
    """Sigmoid and binary cross-entropy in one loss.

    ``y_pred`` are logits z (k, m), ``y_true`` targets in [0, 1] (k, m).
    End the network with a Dense layer (no Sigmoid): backward returns
    dC/dz = (sigmoid(z) - y) / (m k).

    >>> z, y = np.array([[0.0, 1000.0]]), np.array([[1.0, 0.0]])
    >>> SigmoidBinaryCrossEntropy().forward(z, y)  # (log 2 + 1000) / 2
    array([500.34657359])
    """

    # "yes" when z > 0, that is when sigmoid(z) > 0.5
    default_metrics = ("binary_accuracy_from_logits",)
    accuracy_metric = "binary_accuracy_from_logits"

    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Per-sample losses, the mean over the m outputs: (k, m) -> (k,).

        Exact for every z: ``max(z, 0) - y z + log(1 + exp(-|z|))``.
        """
        z = y_pred  # logits (k, m)
        softplus = np.log1p(np.exp(-np.abs(z)))  # (k, m), in [0, log 2]
        entries = np.maximum(z, 0) - y_true * z + softplus  # (k, m)
        return np.mean(entries, axis=1)  # (k,)

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """dC/dz of the mean loss, (k, m): ``(sigmoid(z) - y) / (m k)``."""
        z = y_pred  # logits (k, m)
        small = np.exp(-np.abs(z))  # (k, m), in [0, 1]
        positive = 1 / (1 + small)  # σ(z) for z >= 0
        negative = small / (1 + small)  # σ(z) for z < 0
        gradient = np.where(z >= 0, positive, negative)  # a new array
        gradient -= y_true
        k, m = z.shape
        gradient /= m * k
        return gradient


# docs/implementation/errors.md:1194
def same_shape(where: str):
    """The constraint of (y_pred, y_true): one shape, (k, m)."""

    def constraint(loss, y_pred, y_true):
        return check_same_shape(y_pred, y_true, where=where)

    return constraint


def finite_losses(where: str):
    """The constraint on a loss's result: finite per-sample losses."""

    def constraint(loss, losses, arguments):
        y_pred, y_true = arguments["y_pred"], arguments["y_true"]
        check_finite_loss(losses, y_pred, y_true, where=where)

    return constraint


for _regression in (MeanSquaredError, MeanAbsoluteError):
    _name = _regression.__name__
    guard(_regression, {
        "forward": {
            ("y_pred", "y_true"): same_shape(_name),
            "return": finite_losses(_name),
        },
        "backward": {("y_pred", "y_true"): same_shape(f"{_name}.backward")},
    })  # fmt: skip

regularization_loss = guard(regularization_loss, {
    "layers": lambda _, layers: as_layer_list(layers),
})  # fmt: skip


# docs/implementation/errors.md:1380
def _check_probabilities(
    y_pred,
    y_true,
    *,
    where: str,
    rows_sum_to_one: bool,
    logits: bool = False,
):
    """``(y_pred, y_true)`` (k, m) for a classification loss, or an error.

    O(k m) reductions; ``logits=True`` accepts any real ``y_pred``.
    """
    if np.ndim(y_pred) == 2:  # integer labels (k,): see "Integer labels"
        m, dtype = np.shape(y_pred)[1], getattr(y_pred, "dtype", np.float64)
        binary = not rows_sum_to_one
        y_true = class_targets(y_true, m, dtype, where=where, binary=binary)
    y_pred, y_true = check_same_shape(y_pred, y_true, where=where)
    if rows_sum_to_one and y_true.shape[1] < 2:
        message = f"{where} expects m >= 2 classes; got {y_true.shape}: a"
        message += " softmax of one output is always 1, so nothing would"
        message += " be learned; for one yes/no output use Sigmoid and"
        raise ValueError(message + " BinaryCrossEntropy")
    # NaN fails no comparison: it passes here, and the loss reports it
    if y_true.min() < 0 or y_true.max() > 1:
        got = f"values from {y_true.min()} to {y_true.max()}"
        expected = "y_true of probabilities in [0, 1]"
        raise ValueError(f"{where} expects {expected}; got {got}")
    if rows_sum_to_one and np.abs(y_true.sum(axis=1) - 1).max() > 1e-3:
        expected = "each row of y_true to sum to 1"
        kinds = "one-hot or class probabilities"
        raise ValueError(f"{where} expects {expected} ({kinds})")
    if not logits and (y_pred.min() < 0 or y_pred.max() > 1):
        expected = "y_pred of probabilities in [0, 1]"
        hint = "end the network with Softmax or Sigmoid"
        got = f"values from {y_pred.min()} to {y_pred.max()}"
        message = f"{where} expects {expected} ({hint})"
        raise ValueError(f"{message}; got {got}")
    return y_pred, y_true


def _probabilities_of(where: str, rows_sum_to_one: bool, logits: bool):
    """The constraint on the pair ``(y_pred, y_true)`` of a loss method."""

    def probabilities(owner, y_pred, y_true):
        return _check_probabilities(
            y_pred,
            y_true,
            where=where,
            rows_sum_to_one=rows_sum_to_one,
            logits=logits,
        )

    return probabilities


for _loss, _rows_sum_to_one, _logits in (
    (CategoricalCrossEntropy, True, False),
    (SoftmaxCrossEntropy, True, True),
    (BinaryCrossEntropy, False, False),
    (SigmoidBinaryCrossEntropy, False, True),
):
    _name, _pair = _loss.__name__, ("y_pred", "y_true")
    _settings = (_rows_sum_to_one, _logits)
    boundary.guard(
        _loss,
        {
            "forward": {
                _pair: _probabilities_of(_name, *_settings),
                "return": finite_losses(_name),  # as the regression losses
            },
            "backward": {
                _pair: _probabilities_of(f"{_name}.backward", *_settings),
            },
        },
    )


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "Loss",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "SigmoidBinaryCrossEntropy",
    "SoftmaxCrossEntropy",
    "finite_losses",
    "regularization_loss",
    "same_shape",
]
