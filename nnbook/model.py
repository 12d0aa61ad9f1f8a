# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/feed-forward.md
#   docs/implementation/feed-backward.md
#   docs/implementation/model.md
#   docs/implementation/prediction.md
#   docs/implementation/evaluation.md
#   docs/implementation/saving.md
#   docs/classification/accuracy.md
#   docs/regularization/dropout.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/feed-forward.md:28
"""The Model: a list of layers, a loss and an optimizer, trained and used as one network."""

import contextlib
import io
import json
import math
import os
import re
import sys
import tempfile
import time
import zipfile

import numpy as np

from nnbook.activations import Linear, ReLU, Sigmoid, Softmax
from nnbook.checks import (
    LossOverflowError,
    as_float_dtype,
    as_generator,
    as_layer_list,
    check_data,
    check_flag,
    check_positive_int,
)
from nnbook.dropout import Dropout
from nnbook.layers import Dense
from nnbook.losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    Loss,
    MeanAbsoluteError,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    regularization_loss,
)
from nnbook.metrics import METRICS
from nnbook.optimizers import SGD, Adam, SGDMomentum


class Model:
    """A feed-forward network: ``layers`` applied in order, trained with ``loss`` and ``optimizer``.

    ``metrics`` names entries of ``nnbook.metrics.METRICS`` that ``fit`` and ``evaluate`` report;
    None picks the loss's ``default_metrics`` (MAE and R² for regression, accuracy for classification).

    >>> model = Model([Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=1), Linear()])
    >>> model.forward(np.ones((4, 2))).shape
    (4, 1)
    """

    def __init__(
        self,
        layers: list,
        *,
        loss=None,
        optimizer=None,
        metrics: tuple[str, ...] | list[str] | None = None,
    ) -> None:
        layers = as_layer_list(layers, where="Model")
        n_inputs, n_outputs, dtype = _check_layers(layers)
        loss = loss if loss is not None else MeanSquaredError()
        optimizer = optimizer if optimizer is not None else SGD()
        _check_part(loss, "loss", ("forward", "backward", "calculate"), "MeanSquaredError()")
        _check_part(optimizer, "optimizer", ("update",), "SGD(learning_rate=0.01)")
        if hasattr(loss, "check_network"):  # a loss that needs a certain end
            loss.check_network(layers)
        if metrics is None:
            metrics = getattr(loss, "default_metrics", Loss.default_metrics)  # a loss of your own may lack it
        if isinstance(metrics, str):
            raise TypeError(f"Model expects metrics as a list of names; got the string {metrics!r}: use [{metrics!r}]")
        unknown = [name for name in metrics if name not in METRICS]
        if unknown:
            raise ValueError(f"Model got unknown metrics {unknown}; known: {sorted(METRICS)}")
        self.layers, self.loss, self.optimizer, self.metrics = layers, loss, optimizer, tuple(metrics)
        # Only layers with parameters take part in the optimizer's update.
        self.trainable = [layer for layer in self.layers if hasattr(layer, "weights")]
        # The data must have n_inputs columns and the targets n_outputs (None: any width, no Dense layer).
        self.n_inputs, self.n_outputs, self.dtype = n_inputs, n_outputs, dtype

    def forward(self, X: np.ndarray) -> np.ndarray:
        """X (k, n) -> ŷ (k, m): each layer's output is the next layer's input."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def _as_arrays(self, X, y=None, *, where: str = "Model"):
        """Check and convert the data once per call: X (k, n) and, if given, y (k, m), in the model's dtype.

        O(k (n + m)): shapes against the network's widths, equal sample counts, NaN and inf.
        """
        X, y = check_data(X, y, n_features=self.n_inputs, n_outputs=self.n_outputs, dtype=self.dtype, where=where)
        return X if y is None else (X, y)

    def _validation_arrays(self, validation_data) -> tuple[np.ndarray, np.ndarray]:
        """Check ``fit``'s validation_data: a pair (X_val (k, n), y_val (k, m)) like the training data."""
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            shown = f"a {type(validation_data).__name__}"
            if isinstance(validation_data, (tuple, list)):
                shown += f" of {len(validation_data)} items"
            raise TypeError(f"Model.fit expects validation_data as a pair (X_val, y_val); got {shown}")
        if validation_data[1] is None:
            message = "Model.fit expects validation_data as a pair"
            raise TypeError(message + " (X_val, y_val); got y_val None")
        return self._as_arrays(*validation_data, where="Model.fit (validation_data)")

    # docs/implementation/feed-backward.md:33
    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Backpropagate the loss of ``y_pred`` (k, m); sets every Dense layer's ``dweights``/``dbiases``.

        Returns dL/dX, shape (k, n). Call it right after ``forward`` on the same batch.
        """
        dvalues = self.loss.backward(y_pred, y_true)
        for layer in reversed(self.layers):
            dvalues = layer.backward(dvalues)
        return dvalues

    # docs/implementation/model.md:213
    def _prepare_training(self) -> None:
        """Pack the parameters (``_pack_parameters``); plan a step's calls."""
        trainable = self.trainable
        self._parameters, self._gradients = _pack_parameters(trainable, self.dtype)
        layers = self.layers
        first = next(
            (i for i, layer in enumerate(layers) if hasattr(layer, "weights")),
            len(layers),
        )
        # Backward runs from the last layer down to the first Dense layer,
        # which skips its dinputs.
        self._backward_layers = layers[first + 1 :][::-1]
        self._first_trainable = layers[first] if first < len(layers) else None
        # fit has checked the data: the step calls each layer's unchecked
        # _forward(inputs, out) and _backward(dvalues, out) where it has them,
        # its checked methods otherwise. A ReLU writes over its argument when
        # that is the step's own array: forward, a Dense layer's output (never
        # the caller's data); backward, always (a gradient of this step).
        after_dense = [False] + [isinstance(la, Dense) for la in layers[:-1]]
        self._forwards = [
            (_unchecked(layer, "forward"), isinstance(layer, ReLU) and after)
            for layer, after in zip(layers, after_dense, strict=True)
        ]
        backs = self._backward_layers
        methods = [_unchecked(layer, "backward") for layer in backs]
        relus = [isinstance(layer, ReLU) for layer in backs]
        self._backwards = list(zip(methods, relus, strict=True))
        self._loss_backward = _unchecked(self.loss, "backward")
        first_layer = self._first_trainable

        def checked_gradients(dvalues):  # a layer of your own: its backward
            layer = first_layer
            layer.backward(dvalues, input_gradient=False)  # type: ignore

        unchecked = getattr(first_layer, "_weight_gradients", None)
        self._first_gradients = unchecked or checked_gradients
        # batch size -> the arrays one step returned, reused by the next step
        # of that size
        self._workspaces: dict[int, list] = {}

    def _step(self, X_batch: np.ndarray, y_batch: np.ndarray) -> np.ndarray:
        """One step of gradient descent on a checked batch X (b, n), y (b, m).

        Returns the predictions (b, m), an array of the workspace: valid
        until the next step.
        """
        workspace = self._workspaces.get(len(X_batch))
        if workspace is None:  # the first step of a batch size allocates
            size = len(self._forwards) + len(self._backwards) + 1
            workspace = self._workspaces[len(X_batch)] = [None] * size
        outputs, i = X_batch, 0
        for forward, in_place in self._forwards:
            out = outputs if in_place else workspace[i]
            outputs = workspace[i] = forward(outputs, out)
            i += 1
        dvalues = self._loss_backward(outputs, y_batch, workspace[i])
        workspace[i] = dvalues
        for backward, in_place in self._backwards:
            i += 1
            out = dvalues if in_place else workspace[i]
            dvalues = workspace[i] = backward(dvalues, out)
        if self._first_trainable is not None:
            self._first_gradients(dvalues)
            self.optimizer.step(self._parameters, self._gradients)
        return outputs

    # docs/implementation/model.md:605
    @np.errstate(over="ignore", invalid="ignore", divide="ignore")  # divergence is reported by _check_finite
    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        epochs: int = 1,
        batch_size: int = 32,
        shuffle: bool = True,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        verbose: int = 1,
        rng: int | np.random.Generator | None = None,
    ) -> "History":
        """Train with mini-batch gradient descent on X (k, n) and y (k, m); return the History.

        Each epoch shuffles the k samples (unless ``shuffle=False``) with ``rng`` and takes
        one optimizer step per batch of ``batch_size`` samples. ``verbose=1`` keeps one progress
        line up to date; ``verbose=0`` prints nothing. A NaN/inf loss stops training with a
        FloatingPointError naming the epoch and batch; the model keeps its last finite parameters,
        and the error's ``history`` attribute holds the History of the epochs before.
        Any other exception leaves the model as it was before the call (Ctrl+C
        excepted: it keeps the steps taken).

        >>> X = np.linspace(0, 1, 64).reshape(-1, 1)
        >>> model = Model([Dense(1, 1, rng=0)], optimizer=SGD(0.1))
        >>> history = model.fit(X, 2 * X, epochs=3, verbose=0, rng=0)
        >>> losses = history.history["loss"]
        >>> len(losses), losses[-1] < losses[0]
        (3, True)
        """
        # Every check before the first step, so a refused call leaves the model untouched.
        if y is None:
            raise TypeError("Model.fit expects targets y of shape (k, m); got None")
        X, y = self._as_arrays(X, y, where="Model.fit")
        epochs = check_positive_int(epochs, "epochs", where="Model.fit")
        batch_size = check_positive_int(batch_size, "batch_size", where="Model.fit")
        shuffle = check_flag(shuffle, "shuffle", where="Model.fit")
        verbose = check_flag(verbose, "verbose", where="Model.fit", levels=2)
        generator = as_generator(rng, where="Model.fit")
        self._check_targets(y, where="Model.fit")
        if validation_data is not None:
            X_val, y_val = self._validation_arrays(validation_data)
            self._check_targets(y_val, where="Model.fit (validation_data)")
        history = History()
        progress = _Progress(epochs) if verbose else None
        self._prepare_training()  # one flat parameter vector; see "One training step"
        step = self._step
        # see "Batches without copies" below
        batches = _Batches(X, y, batch_size, shuffle, generator)
        y_hat = np.empty_like(y)  # the epoch's predictions, batch by batch, in the shuffled order
        snapshot = self._parameters.copy()
        # To undo any other error. Until the first epoch ends, its snapshot
        # holds the very same values, so the two share one array: a one-epoch
        # fit of a large network keeps one copy, not two.
        before = snapshot, self._state()
        validation = (X_val, y_val) if validation_data is not None else None
        divergence = None
        try:
            for epoch in range(epochs):
                batches.new_epoch()  # a permutation of the k rows, if shuffle
                inputs, y_epoch = batches.inputs, batches.y_epoch
                if epoch == 1:  # from now on the snapshot moves on, and the copy on entry must stay
                    snapshot = np.empty_like(snapshot)
                np.copyto(snapshot, self._parameters)  # the last finite parameters, should this epoch diverge
                self._epoch_state = self._state()  # with the optimizer's state and the random streams
                self._set_training(True)
                for start, stop in batches.ranges:
                    y_hat[start:stop] = step(inputs(start, stop), y_epoch[start:stop])
                self._set_training(False)  # the validation data meets the whole network
                try:
                    logs = self._check_finite(epoch, y_hat, batches, snapshot, validation, progress)
                except FloatingPointError as error:
                    error.history = history  # the finished epochs' scores: the curve that led up to it
                    divergence = error
                    raise
                history.append(epoch, logs)
                if progress is not None:
                    progress.update(epoch + 1, logs)
        except Exception as error:
            if error is not divergence:  # any other error: undo the whole call
                np.copyto(self._parameters, before[0])
                self._set_state(before[1])
            raise
        finally:
            self._set_training(False)  # also after an error or Ctrl+C: predict must never drop units
        if progress is not None:
            progress.close()
        return history

    # docs/implementation/model.md:597
    def _set_training(self, training: bool) -> None:
        """Switch the layers that act differently while training (Dropout) into training or inference mode."""
        for layer in self.layers:
            if hasattr(layer, "training"):
                layer.training = training

    # docs/implementation/model.md:87
    def _scores(self, y_pred: np.ndarray, y_true: np.ndarray) -> dict[str, float]:
        """Overall loss (mean sample loss + regularization) and each metric, for ŷ and y of shape (k, m)."""
        scores = {"loss": self.loss.calculate(y_pred, y_true) + regularization_loss(self.layers)}
        for name in self.metrics:
            scores[name] = METRICS[name](y_pred, y_true)
        return scores

    def _finite_scores(self, y_pred, y_true) -> dict[str, float] | None:
        """``_scores``, or None if ŷ or the loss is not finite (divergence).

        Any other error of the loss or a metric is a mistake in the setup,
        not divergence, and propagates with its own message.
        """
        if not np.isfinite(y_pred).all():
            return None
        try:
            scores = self._scores(y_pred, y_true)
        except LossOverflowError:  # finite predictions, too large to square
            return None
        return scores if math.isfinite(scores["loss"]) else None

    def _check_targets(self, y: np.ndarray, *, where: str) -> None:
        """Refuse targets y (k, m) that the loss or a metric would refuse.

        ``fit`` calls it before the first step. The targets stand in for the
        predictions, whose shape they have, so every check that the loss and
        the metrics make on y_true runs once, in O(k m), instead of failing in
        a later batch, after some steps have already changed the weights.
        """
        try:
            self._scores(y, y)
        except ValueError as error:
            message = f"{where} cannot use these targets: {error}"
            raise ValueError(message) from None

    # docs/implementation/model.md:394
    def _check_finite(self, epoch: int, y_hat, batches, snapshot, validation=None, progress=None):
        """The epoch's logs (with ``val_`` scores if ``validation`` is given) if the losses and parameters are finite;
        otherwise end the progress line, find the batch that broke training and raise. Runs once per epoch."""
        logs = None
        if np.isfinite(self._parameters).all():
            logs = self._finite_scores(y_hat, batches.y_epoch)
        if logs is not None and validation is not None:
            X_val, y_val = validation
            scores = self._finite_scores(self.forward(X_val), y_val)
            if scores is None:
                logs = None
            else:
                logs.update({"val_" + key: value for key, value in scores.items()})
        if logs is not None:
            return logs
        if progress is not None:
            progress.close()  # the error message starts on a line of its own
        self._diverged(epoch, batches, snapshot)

    def _diverged(self, epoch: int, batches: "_Batches", snapshot) -> None:
        """Replay the epoch from ``snapshot`` step by step; keep the parameters before the first bad step; raise."""
        parameters = self._parameters
        np.copyto(parameters, snapshot)
        self._set_state(self._epoch_state)
        self._set_training(True)  # the very steps fit took, dropout masks included (fit switches it off again)
        for number, (start, stop) in enumerate(batches.ranges, start=1):  # noqa: B007 (the error names it)
            np.copyto(snapshot, parameters)  # the parameters before this step
            state = self._state()  # and the optimizer's state and the random streams
            X_batch, y_true = batches.inputs(start, stop), batches.y_epoch[start:stop]
            penalty = regularization_loss(self.layers)  # of the parameters before the step
            y_pred = self._step(X_batch, y_true)
            loss = math.nan
            if np.isfinite(y_pred).all():
                with contextlib.suppress(LossOverflowError):
                    loss = self.loss.calculate(y_pred, y_true) + penalty
            if not math.isfinite(loss):
                problem = "the loss is not a finite number"
                break
            if not (np.isfinite(parameters).all() and math.isfinite(regularization_loss(self.layers))):
                problem = "its update made some parameters NaN or inf"
                break
        else:  # every step was finite, yet the epoch's scores were not: blame the last step
            problem = "after it, the loss of the epoch or of the validation data is not a finite number"
        np.copyto(parameters, snapshot)
        self._set_state(state)
        if epoch == 0 and number == 1 and problem.startswith("the loss"):
            # no step had been taken: the initial network overflows on the data
            largest = float(np.abs(X_batch).max())
            raise ValueError(
                f"Model.fit cannot train on these inputs: before any update,"
                f" the loss of the first batch is not a finite number (the"
                f" largest |X| in it is {largest:.3g}): scale the inputs, e.g."
                f" standardize each column of X"
            )
        raise FloatingPointError(
            f"training diverged at epoch {epoch + 1}, batch {number} of {len(batches.ranges)}: {problem}. "
            f"The model keeps its parameters from before that batch; "
            f"try a smaller learning rate (this one is {getattr(self.optimizer, 'learning_rate', '?')})"
        )

    # docs/implementation/model.md:351
    def _state(self) -> tuple:
        """What a training step changes besides the parameters, as copies: the optimizer's state
        (None for plain SGD) and the random streams of the layers that have one (Dropout)."""
        optimizer = self.optimizer.state() if hasattr(self.optimizer, "state") else None
        return optimizer, [layer.state() for layer in self.layers if hasattr(layer, "state")]

    def _set_state(self, state: tuple) -> None:
        """Put back what ``_state`` returned."""
        optimizer, layer_states = state
        if optimizer is not None:
            self.optimizer.set_state(optimizer)
        layers = [layer for layer in self.layers if hasattr(layer, "state")]
        for layer, layer_state in zip(layers, layer_states, strict=True):
            layer.set_state(layer_state)

    # docs/implementation/prediction.md:31
    def predict(self, X: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """Predictions ŷ (k, m) for inputs X (k, n); ``batch_size`` rows at a time if given.

        >>> model = Model([Dense(1, 4, rng=0), ReLU(), Dense(4, 2, rng=1)])
        >>> model.predict(np.zeros((5, 1)), batch_size=2).shape
        (5, 2)
        """
        X = self._as_arrays(X, where="Model.predict")
        if batch_size is not None:
            batch_size = check_positive_int(batch_size, "batch_size", where="Model.predict")
        return self._check_output(self._predict(X, batch_size), where="Model.predict")

    @np.errstate(over="ignore", invalid="ignore")  # an overflow is reported by _check_output, once
    def _predict(self, X: np.ndarray, batch_size: int | None) -> np.ndarray:
        """``predict`` for a checked X (k, n) in the model's dtype."""
        k = len(X)
        if batch_size is None or batch_size >= k:
            return self.forward(X)
        first = self.forward(X[:batch_size])
        y_pred = np.empty((k, first.shape[1]), dtype=first.dtype)
        y_pred[:batch_size] = first
        for start in range(batch_size, k, batch_size):
            y_pred[start : start + batch_size] = self.forward(X[start : start + batch_size])
        return y_pred

    def _check_output(self, y_pred: np.ndarray, *, where: str) -> np.ndarray:
        """Return ``y_pred`` (k, m) if it is finite; X was, so a NaN or inf means the network overflowed."""
        finite = np.isfinite(y_pred)
        if finite.all():
            return y_pred
        bad = int((~finite).any(axis=1).sum())
        raise ValueError(
            f"{where} expects the network to map finite X to finite predictions; got NaN or inf for {bad} of "
            f"{len(y_pred)} samples: the inputs or the parameters are too large for {self.dtype} "
            f"(scale the inputs; if training diverged, retrain with a smaller learning rate)"
        )

    # docs/implementation/evaluation.md:17
    def evaluate(self, X: np.ndarray, y: np.ndarray, batch_size: int | None = None) -> dict[str, float]:
        """Scores on X (k, n), y (k, m): ``{"loss": ..., "mae": ..., "r2": ...}`` (one entry per metric).

        >>> model = Model([Dense(1, 1, rng=0)])
        >>> model.evaluate(np.zeros((3, 1)), np.ones((3, 1)))
        {'loss': 1.0, 'mae': 1.0, 'r2': 0.0}
        """
        if y is None:
            raise TypeError("Model.evaluate expects targets y of shape (k, m); got None")
        X, y = self._as_arrays(X, y, where="Model.evaluate")
        if batch_size is not None:
            batch_size = check_positive_int(batch_size, "batch_size", where="Model.evaluate")
        return self._scores(self._check_output(self._predict(X, batch_size), where="Model.evaluate"), y)

    # docs/implementation/saving.md:167
    def config(self) -> dict:
        """The architecture as JSON-ready data: layers, loss, optimizer and metrics."""
        return {
            "layers": [_layer_config(layer) for layer in self.layers],
            "loss": type(self.loss).__name__,
            "optimizer": _optimizer_config(self.optimizer),
            "metrics": list(self.metrics),
        }

    # docs/implementation/saving.md:193
    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and parameters to ``path`` as an .npz file.

        ``path`` is a path, written atomically (temp file, then rename), or a
        binary file object. A model that ``load`` would refuse is refused
        before anything is written.
        """
        name = _file_name(path, where="Model.save")
        arrays = _model_arrays(self)  # raises, naming the layer, before any write
        try:
            _model_from_arrays(arrays, type(self))  # what load will check
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            message = f"Model.save refuses to write {name}: Model.load"
            raise ValueError(message + f" would refuse it ({error})") from None
        if not isinstance(path, (str, bytes, os.PathLike)):
            np.savez(path, **arrays)  # a file object: the caller owns it
            return
        path = os.fsdecode(path)
        # The temporary file must be in the same directory: os.replace is atomic only within one file system.
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=os.path.dirname(os.path.abspath(path)))
        try:
            with os.fdopen(fd, "wb") as file:
                np.savez(file, **arrays)
                file.flush()
                os.fsync(file.fileno())
            # mkstemp makes the file private (0o600); give it the usual permissions, or keep those of the old file.
            os.chmod(tmp, os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # docs/implementation/saving.md:536
    @classmethod
    def load(cls, path: str | os.PathLike) -> "Model":
        """Rebuild a model saved by ``save`` from a path or a binary file object.

        Never unpickles. A damaged, foreign or crafted file raises ValueError.

        >>> import tempfile
        >>> model = Model([Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=1)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     model.save(os.path.join(folder, "model.npz"))
        ...     again = Model.load(os.path.join(folder, "model.npz"))
        >>> all(np.array_equal(a.weights, b.weights) for a, b in zip(model.trainable, again.trainable))
        True
        """
        name = _file_name(path, where="Model.load")  # a descriptor: TypeError
        try:
            return _model_from_arrays(_read_arrays(path), cls)
        except REFUSALS as error:
            # One message for every problem: which file, and what is wrong
            problem = f"no {error}" if isinstance(error, KeyError) else str(error)
            message = f"Model.load cannot use {name}: {problem}"
            raise ValueError(message) from None


# docs/implementation/feed-forward.md:169
def _describe(index: int, layer) -> str:
    """How messages name a layer: its position and, for Dense, its sizes."""
    if isinstance(layer, Dense):
        return f"layer {index}, Dense({layer.weights.shape[0]}, {layer.weights.shape[1]})"
    return f"layer {index}, {type(layer).__name__}"


def _check_layers(layers: list) -> tuple[int | None, int | None, np.dtype]:
    """Return (n_inputs, n_outputs, dtype) of a layer list whose Dense widths chain; raise otherwise."""
    if not layers:
        raise ValueError("Model expects at least one layer; got an empty list")
    n_inputs = width = previous = dtype = None
    seen = {}  # id(layer) -> its index
    for index, layer in enumerate(layers):
        if isinstance(layer, type) or not (callable(getattr(layer, "forward", None)) and hasattr(layer, "backward")):
            hint = f": call it, {layer.__name__}()" if isinstance(layer, type) else ""
            raise TypeError(
                f"Model expects layers with forward and backward methods; layer {index} is {layer!r}"
                f" ({type(layer).__name__}){hint}"
            )
        first = seen.setdefault(id(layer), index)
        if first != index:
            name = type(layer).__name__
            raise ValueError(
                f"Model got the same {name} object as layer {first} and"
                f" layer {index}; a layer keeps what its last forward pass"
                f" saw, so one object cannot stand at two places: make a"
                f" new one for each place, e.g. {name}(...)"
            )
        if not hasattr(layer, "weights"):
            continue  # an activation keeps the width
        weights = layer.weights
        if not (isinstance(weights, np.ndarray) and weights.ndim == 2):
            message = f"Model expects the weights of {_describe(index, layer)}"
            raise TypeError(message + " as a 2-D numpy array (n, m)")
        n, m = layer.weights.shape
        if width is not None and n != width:
            raise ValueError(
                f"Model layers do not fit together: {_describe(index, layer)} expects {n} inputs, but "
                f"{_describe(*previous)} before it outputs {width}; make them equal"
            )
        if dtype is not None and layer.weights.dtype != dtype:
            raise TypeError(
                f"Model expects every Dense layer in one dtype; {_describe(*previous)} is {dtype}, "
                f"{_describe(index, layer)} is {layer.weights.dtype}"
            )
        n_inputs = n if n_inputs is None else n_inputs
        width, previous, dtype = m, (index, layer), layer.weights.dtype
    _check_unshared(layers)
    return n_inputs, width, dtype if dtype is not None else np.dtype(np.float64)


def _check_unshared(layers: list) -> None:
    """Raise if two layers' weights or biases share memory.

    Training packs each layer's parameters into a vector of its own, which
    would silently untie them; their gradients would not be summed either.
    """
    arrays = [
        (index, name, getattr(layer, name))
        for index, layer in enumerate(layers)
        for name in ("weights", "biases")
        if hasattr(layer, name)
    ]
    for i, (index, name, array) in enumerate(arrays):
        for other, other_name, other_array in arrays[i + 1 :]:
            if np.shares_memory(array, other_array):
                raise ValueError(
                    f"Model expects every layer to own its parameters;"
                    f" layer {index}'s {name} and layer {other}'s"
                    f" {other_name} share memory (shared weights are not"
                    f" supported): give each its own copy, e.g."
                    f" layer.weights = layer.weights.copy()"
                )


def _check_part(part, name: str, methods: tuple[str, ...], example: str) -> None:
    """Raise unless ``part`` (the loss or the optimizer) is an object with ``methods``."""
    if isinstance(part, type):
        raise TypeError(
            f"Model expects {name} to be an object such as {example}; got the class {part.__name__}: call it"
        )
    if not all(callable(getattr(part, method, None)) for method in methods):
        raise TypeError(
            f"Model expects {name} to be an object with {', '.join(methods)} methods, such as {example}; "
            f"got {part!r} ({type(part).__name__})"
        )


# docs/implementation/model.md:60
class History:
    """What ``fit`` recorded: ``history["loss"]``, ``history["val_loss"]``, ... one value per epoch.

    >>> h = History()
    >>> h.append(0, {"loss": 0.5})
    >>> h.history, h.epoch
    ({'loss': [0.5]}, [0])
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        """Record the ``logs`` of one epoch."""
        self.epoch.append(epoch)
        for name, value in logs.items():
            self.history.setdefault(name, []).append(value)

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


# docs/implementation/model.md:177
def _pack_parameters(layers: list, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Move the weights and biases of ``layers`` into one flat vector (p,) and their gradients into another.

    Each layer's ``weights``, ``biases``, ``dweights`` and ``dbiases`` become views into the two
    vectors, with the same shapes and the same parameter values. Returns (parameters, gradients).
    """
    arrays = [(layer, name) for layer in layers for name in ("weights", "biases")]
    size = sum(getattr(layer, name).size for layer, name in arrays)
    parameters, gradients = np.empty(size, dtype=dtype), np.zeros(size, dtype=dtype)
    start = 0
    for layer, name in arrays:
        value = getattr(layer, name)
        stop = start + value.size
        view = parameters[start:stop].reshape(value.shape)
        view[...] = value
        setattr(layer, name, view)
        setattr(layer, "d" + name, gradients[start:stop].reshape(value.shape))
        start = stop
    return parameters, gradients


def _unchecked(part, name: str):
    """A layer's or loss's ``_forward``/``_backward`` (arrays..., out).

    If it has none, a function of the same arguments that calls the checked
    ``forward``/``backward`` and leaves ``out`` unused.
    """
    method = getattr(part, "_" + name, None)
    if method is not None:
        return method
    checked = getattr(part, name)
    return lambda *arrays_and_out: checked(*arrays_and_out[:-1])


# docs/implementation/model.md:521
class _Progress:
    """One status line, rewritten in place with ``\\r`` at most every ``interval`` seconds."""

    def __init__(self, epochs: int, stream=None, interval: float = 0.25) -> None:
        self.epochs, self.stream, self.interval = epochs, stream or sys.stdout, interval
        self.start = self.last = time.perf_counter()
        self.width = 0

    def update(self, epoch: int, logs: dict[str, float]) -> None:
        """Show ``logs`` after ``epoch`` (1-based), unless the last update was too recent."""
        now = time.perf_counter()
        if now - self.last < self.interval and epoch < self.epochs:
            return
        self.last = now
        values = "  ".join(f"{name} {logs[name]:.4g}" for name in ("loss", "val_loss") if name in logs)
        line = f"epoch {epoch}/{self.epochs}  {values}  {now - self.start:.1f}s"
        # Pad with spaces so a shorter line fully covers the previous one.
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


# docs/implementation/model.md:786
class _Batches:
    """The batches of an epoch: row ranges, X batch by batch, y (k, m) whole.

    With ``shuffle``, ``new_epoch`` draws a permutation of the k rows and
    gathers y in that order; ``inputs(start, stop)`` gathers one batch of
    X (b, n) into an array kept for that batch size. Without it, both are
    slices of the data, in order.
    """

    def __init__(self, X, y, batch_size: int, shuffle: bool, generator):
        k = len(X)
        self.X, self.y, self.shuffle, self.generator = X, y, shuffle, generator
        starts = range(0, k, batch_size)
        self.ranges = [(start, min(start + batch_size, k)) for start in starts]
        self.order = np.arange(k)
        self.y_epoch = np.empty_like(y) if shuffle else y
        self._buffers: dict[int, np.ndarray] = {}  # batch size -> (b, n)

    def new_epoch(self) -> None:
        """Draw this epoch's order of the rows (nothing without shuffle)."""
        if self.shuffle:
            self.order = self.generator.permutation(len(self.X))
            y, order = self.y, self.order
            np.take(y, order, axis=0, out=self.y_epoch, mode="clip")

    def inputs(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start:stop`` of the epoch's order of X, shape (b, n)."""
        if not self.shuffle:
            return self.X[start:stop]
        buffer = self._buffers.get(stop - start)
        if buffer is None:
            shape = (stop - start, *self.X.shape[1:])
            buffer = np.empty(shape, dtype=self.X.dtype)
            self._buffers[stop - start] = buffer
        rows = self.order[start:stop]
        return self.X.take(rows, axis=0, out=buffer, mode="clip")


# docs/implementation/saving.md:58
FORMAT_VERSION = 1

# The only classes a model file can name; load() instantiates nothing else.
LAYERS = {"Dense": Dense, "ReLU": ReLU, "Linear": Linear}
LOSSES = {"MeanSquaredError": MeanSquaredError, "MeanAbsoluteError": MeanAbsoluteError}
OPTIMIZERS = {"SGD": SGD, "SGDMomentum": SGDMomentum, "Adam": Adam}


def _optimizer_config(optimizer) -> dict:
    """JSON-ready description of the optimizer: its class name and hyper-parameters (not its state)."""
    config = optimizer.config() if hasattr(optimizer, "config") else {"learning_rate": optimizer.learning_rate}
    return {"type": type(optimizer).__name__, **config}


def _layer_config(layer) -> dict:
    """JSON-ready description of one layer: its class name and constructor arguments."""
    config = {"type": type(layer).__name__}
    if isinstance(layer, Dense):
        n_inputs, n_neurons = layer.weights.shape
        config.update(
            n_inputs=n_inputs,
            n_neurons=n_neurons,
            dtype=layer.weights.dtype.name,
            weight_l1=layer.weight_l1,
            weight_l2=layer.weight_l2,
            bias_l1=layer.bias_l1,
            bias_l2=layer.bias_l2,
        )
    elif hasattr(layer, "config"):  # a layer with settings of its own (Dropout's rate) describes itself
        config.update(layer.config())
    return config


# docs/implementation/saving.md:101
def _file_name(file, *, where: str) -> str:
    """How messages name ``file``; refuses what is neither a path nor a
    binary file object (a file descriptor would be closed)."""
    if isinstance(file, (str, bytes, os.PathLike)):
        return repr(os.fsdecode(file))
    if isinstance(file, io.TextIOBase):
        message = f"{where} expects a binary file object; got a text file"
        raise TypeError(message + ": open it with mode 'rb' or 'wb'")
    if hasattr(file, "read") or hasattr(file, "write"):
        return repr(getattr(file, "name", type(file).__name__))
    message = f"{where} expects a path or a binary file object"
    if isinstance(file, int):  # not shown: descriptors differ from run to run
        message += "; got an int, a file descriptor, which is refused (Python"
        raise TypeError(message + " would close it): pass a path instead")
    raise TypeError(message + f"; got {file!r} ({type(file).__name__})")


def _recordable(part, table: dict, what: str) -> None:
    """Raise unless ``part`` is of a class that ``table`` names."""
    name = type(part).__name__
    if table.get(name) is not type(part):
        raise ValueError(
            f"Model.save cannot record {what}, {name}: a model file"
            f" names only {sorted(table)}, and Model.load would refuse"
            f" it; for a class of your own, keep its parameters with"
            f" np.savez and rebuild the model in code"
        )


def _model_arrays(model) -> dict[str, np.ndarray]:
    """The arrays ``save`` writes: version, architecture, parameters.

    Raises, naming the layer, for what ``load`` would refuse.
    """
    _recordable(model.loss, LOSSES, "the loss")
    _recordable(model.optimizer, OPTIMIZERS, "the optimizer")
    config = model.config()
    arrays = {"format_version": np.array(FORMAT_VERSION)}
    for i, layer in enumerate(model.layers):
        _recordable(layer, LAYERS, f"layer {i}")
        if hasattr(layer, "state"):  # the random stream, to resume exactly
            config["layers"][i]["state"] = layer.state()
        if not hasattr(layer, "weights"):
            continue
        for name in ("weights", "biases"):
            value = getattr(layer, name)
            if not np.isfinite(value).all():
                raise ValueError(
                    f"Model.save refuses layer {i}'s {name}: they hold NaN"
                    f" or inf, and Model.load would refuse the file; the"
                    f" model is unusable (did training diverge?): retrain"
                    f" it, or keep the file you have"
                )
            arrays[f"layer{i}.{name}"] = value
    try:
        text = json.dumps(config)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Model.save cannot write the architecture as JSON ({error})"
            f"; a layer's generator must be np.random.default_rng's"
        ) from None
    arrays["architecture"] = np.array(text)  # a unicode array, no pickle
    return arrays


# docs/implementation/saving.md:289
MAX_MEMBERS = 1000  # arrays in one file: two per layer, and two more
MAX_ARCHITECTURE = 1_000_000  # characters of JSON
MAX_DEPTH = 8  # nesting of the JSON: model, layers, layer, state, state
# What a damaged or crafted file can make the reading code raise
REFUSALS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
)


def _read_arrays(file) -> dict[str, np.ndarray]:
    """Every array of the .npz ``file`` (a path or a binary file object),
    read without pickle, each checked from its headers before it is read;
    a damaged or crafted file raises ValueError."""
    if isinstance(file, (str, bytes, os.PathLike)):
        with open(file, "rb") as handle:  # a missing file: FileNotFoundError
            return _read_members(handle)
    return _read_members(file)  # the caller's file object stays open


def _read_members(handle) -> dict[str, np.ndarray]:
    if not zipfile.is_zipfile(handle):
        message = "not an .npz (zip) archive: truncated, corrupted,"
        raise ValueError(message + " or not written by Model.save")
    size = handle.seek(0, os.SEEK_END)
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            _check_members(members, size)
            arrays = {}
            for info in members:
                with archive.open(info) as member:
                    key = info.filename.removesuffix(".npy")
                    arrays[key] = _read_npy(member, info)
            return arrays
    except (
        OSError,
        EOFError,
        KeyError,
        zipfile.BadZipFile,
        NotImplementedError,  # an encrypted member, say
    ) as error:
        message = f"corrupted: cannot read its arrays ({error})"
        raise ValueError(message) from None


def _check_members(members: list, size: int) -> None:
    """Raise unless the zip's table of contents could be Model.save's."""
    if len(members) > MAX_MEMBERS:
        message = f"it has {len(members)} members; a model file"
        raise ValueError(message + f" has at most {MAX_MEMBERS}")
    names = [info.filename.removesuffix(".npy") for info in members]
    if len(set(names)) != len(names):
        raise ValueError("it holds two members of the same name")
    _check_names(names)  # before anything is read
    for info in members:
        name = info.filename
        if not name.endswith(".npy"):
            raise ValueError(f"member {name!r} is not an .npy array")
        stored = info.compress_type == zipfile.ZIP_STORED
        if not stored or info.compress_size != info.file_size:
            message = f"member {name!r} is compressed"
            message += f" ({info.compress_size} bytes that inflate to"
            message += f" {info.file_size}); Model.save stores arrays as"
            raise ValueError(message + " they are")
    declared = sum(info.file_size for info in members)
    if declared > size:
        message = f"its members declare {declared} bytes"
        raise ValueError(message + f", more than its {size}: truncated")


def _read_npy(member, info) -> np.ndarray:
    """One .npy member, its header checked against its size before reading."""
    name = info.filename
    version = np.lib.format.read_magic(member)  # ValueError if not .npy
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        message = f"{name} is in .npy format {version}"
        raise ValueError(message + ", which nnbook does not read")
    if dtype.hasobject:
        message = "it holds pickled Python objects"
        raise ValueError(message + "; nnbook never loads them")
    if dtype.kind not in "iufU" or dtype.shape:
        message = f"{name} holds {dtype}"
        raise ValueError(message + "; a model file holds numbers and text")
    if dtype.kind == "U" and dtype.itemsize > 4 * MAX_ARCHITECTURE:
        message = f"{name} declares a text of {dtype.itemsize // 4} characters"
        raise ValueError(message + f"; at most {MAX_ARCHITECTURE} are read")
    if any(n < 0 for n in shape):
        raise ValueError(f"{name} declares the shape {shape}")
    needed = math.prod(shape) * dtype.itemsize
    available = info.file_size - member.tell()  # after the header
    if needed != available:
        message = f"{name} declares {dtype} of shape {shape}"
        message += f" ({needed} bytes), but holds {available} bytes"
        raise ValueError(message)
    data = np.frombuffer(member.read(needed), dtype=dtype)
    array = data.reshape(shape, order="F" if fortran else "C")
    return array.astype(dtype.newbyteorder("="))  # a writable, native copy


# docs/implementation/saving.md:411
def _check_names(names) -> None:
    """Raise unless ``names`` holds the two that every model file has."""
    required = ("format_version", "architecture")
    missing = [key for key in required if key not in names]
    if missing:
        found = ", ".join(sorted(names)) or "nothing"
        raise ValueError(f"not an nnbook model file: no {' or '.join(missing)} (it holds: {found})")


def _check_version(arrays: dict) -> None:
    """Raise unless it is a model file in a format this nnbook reads."""
    _check_names(arrays)
    version = arrays["format_version"]
    if not (isinstance(version, np.ndarray) and version.shape == () and version.dtype.kind in "iu"):
        raise ValueError(f"format_version must be one integer; got {version!r}")
    if int(version) > FORMAT_VERSION:
        raise ValueError(f"written in format {int(version)} by a newer nnbook; this one reads format {FORMAT_VERSION}")
    if int(version) != FORMAT_VERSION:
        raise ValueError(f"unknown format version {int(version)}; this nnbook reads format {FORMAT_VERSION}")


def _parameter(arrays: dict, key: str, shape: tuple, dtype: str) -> np.ndarray:
    """The array ``key`` of the file, checked against the shape and dtype the architecture gives it."""
    if key not in arrays:
        raise ValueError(f"{key} is missing")
    array = arrays[key]
    if not isinstance(array, np.ndarray) or array.dtype.name != dtype or array.shape != shape:
        found = f"{array.dtype} {array.shape}" if isinstance(array, np.ndarray) else type(array).__name__
        raise ValueError(f"{key} should be {dtype} of shape {shape}; got {found}")
    if not np.isfinite(array).all():
        raise ValueError(f"{key} holds NaN or inf")
    return array


def _architecture(arrays: dict) -> dict:
    """The architecture's JSON, bounded in length and depth, parsed."""
    architecture = arrays["architecture"]
    if not (architecture.shape == () and architecture.dtype.kind == "U"):
        message = "the architecture is not one JSON string:"
        message += f" {architecture.dtype} {architecture.shape}"
        raise ValueError(message)
    text = str(architecture)
    if len(text) > MAX_ARCHITECTURE:
        message = f"the architecture has {len(text)} characters"
        raise ValueError(message + f"; at most {MAX_ARCHITECTURE} are read")
    # Its depth, counted before parsing, with every string blanked out
    blanked = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text).encode()
    codes = np.frombuffer(blanked, np.uint8)
    steps = np.isin(codes, (91, 123)).astype(np.int64)  # [ and {
    steps -= np.isin(codes, (93, 125))  # ] and }
    depth = int(np.cumsum(steps).max(initial=0))
    if depth > MAX_DEPTH:
        message = f"the architecture is nested {depth} deep"
        raise ValueError(message + f"; at most {MAX_DEPTH} levels are read")
    config = json.loads(text)
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layers, list):
        raise ValueError("the architecture has no list of layers")
    return config


def _build_layers(config: dict, arrays: dict) -> list:
    """The layers the architecture describes, with the file's parameters.

    Every spec is checked against the stored arrays before any layer is
    built, so a declared size allocates nothing that the file lacks.
    """
    specs, used = [], {"format_version", "architecture"}
    for i, spec in enumerate(config["layers"]):
        if not isinstance(spec, dict):
            kind = type(spec).__name__
            raise ValueError(f"layer {i} is a {kind}, not a JSON object")
        spec = dict(spec)
        kind = spec.pop("type", None)
        if kind not in LAYERS:
            message = f"layer {i} has unknown type {kind!r}"
            raise ValueError(message + f" (known: {sorted(LAYERS)})")
        state = spec.pop("state", None)
        parameters = None
        if kind == "Dense":  # the sizes it declares must be its arrays'
            n, m = spec.get("n_inputs"), spec.get("n_neurons")
            n = check_positive_int(n, "n_inputs", where="Dense")
            m = check_positive_int(m, "n_neurons", where="Dense")
            dtype = as_float_dtype(spec.get("dtype"), where="Dense").name
            weights, biases = f"layer{i}.weights", f"layer{i}.biases"
            parameters = (
                _parameter(arrays, weights, (n, m), dtype),
                _parameter(arrays, biases, (m,), dtype),
            )
            used |= {weights, biases}
        specs.append((kind, spec, state, parameters))
    unused = sorted(set(arrays) - used)
    if unused:
        raise ValueError(f"arrays {unused} belong to no layer of the model")
    layers = []
    for kind, spec, state, parameters in specs:
        if kind == "Dense":
            layer = Dense(**spec, rng=0)  # checks the regularization too
            layer.weights, layer.biases = parameters
        else:
            layer = LAYERS[kind](**spec)
        if state is not None:  # the random stream of a layer that has one
            layer.set_state(state)
        layers.append(layer)
    return layers


def _model_from_arrays(arrays: dict, cls):
    """The model of class ``cls`` that the arrays of a model file describe."""
    _check_version(arrays)
    config = _architecture(arrays)
    optimizer = dict(config["optimizer"])
    kind = optimizer.pop("type", None)
    if config["loss"] not in LOSSES or kind not in OPTIMIZERS:
        message = f"unknown loss {config['loss']!r} or optimizer {kind!r}"
        raise ValueError(message)
    return cls(
        _build_layers(config, arrays),
        loss=LOSSES[config["loss"]](),
        optimizer=OPTIMIZERS[kind](**optimizer),
        metrics=config["metrics"],
    )


# docs/classification/accuracy.md:177
LAYERS.update({"Softmax": Softmax, "Sigmoid": Sigmoid})
LOSSES.update(
    {
        "CategoricalCrossEntropy": CategoricalCrossEntropy,
        "SoftmaxCrossEntropy": SoftmaxCrossEntropy,
        "BinaryCrossEntropy": BinaryCrossEntropy,
    }
)


# docs/regularization/dropout.md:300
LAYERS["Dropout"] = Dropout


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "FORMAT_VERSION",
    "LAYERS",
    "LOSSES",
    "MAX_ARCHITECTURE",
    "MAX_DEPTH",
    "MAX_MEMBERS",
    "OPTIMIZERS",
    "REFUSALS",
    "History",
    "Model",
]
