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
#   docs/convolution/conv2d.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/feed-forward.md:28
"""The Model: layers, a loss and an optimizer, trained and used as one."""

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
    class_targets,
)
from nnbook.conv import Conv1D, Conv2D, Flatten
from nnbook.dropout import Dropout
from nnbook.layers import Dense
from nnbook.losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    Loss,
    MeanAbsoluteError,
    MeanSquaredError,
    SigmoidBinaryCrossEntropy,
    SoftmaxCrossEntropy,
    regularization_loss,
)
from nnbook.metrics import METRICS
from nnbook.optimizers import SGD, AdaGrad, Adam, RMSprop, SGDMomentum


class Model:
    """A feed-forward network: ``layers`` applied in order.

    ``loss`` and ``optimizer`` train it. ``metrics`` names entries of
    ``nnbook.metrics.METRICS`` that ``fit`` and ``evaluate`` report; None
    picks the loss's ``default_metrics`` (MAE and R² for regression,
    accuracy for classification).

    >>> layers = [Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=1), Linear()]
    >>> model = Model(layers)
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
        loss_methods = ("forward", "backward", "calculate")
        _check_part(loss, "loss", loss_methods, "MeanSquaredError()")
        sgd = "SGD(learning_rate=0.01)"
        _check_part(optimizer, "optimizer", ("update",), sgd)
        if hasattr(loss, "check_network"):  # a loss that needs a certain end
            loss.check_network(layers)
        if metrics is None:  # a loss of your own may lack default_metrics
            metrics = getattr(loss, "default_metrics", Loss.default_metrics)
        if isinstance(metrics, str):
            got = f"got the string {metrics!r}: use [{metrics!r}]"
            raise TypeError(f"Model expects metrics as a list of names; {got}")
        unknown = [name for name in metrics if name not in METRICS]
        if unknown:
            known = f"known: {sorted(METRICS)}"
            raise ValueError(f"Model got unknown metrics {unknown}; {known}")
        self.layers, self.loss, self.optimizer = layers, loss, optimizer
        self.metrics = tuple(metrics)
        # Only layers with parameters take part in the optimizer's update.
        self.trainable = [lay for lay in layers if hasattr(lay, "weights")]
        # The data must have n_inputs columns and the targets n_outputs
        # (None: any width, when there is no Dense layer).
        self.n_inputs, self.n_outputs = n_inputs, n_outputs
        self.dtype = dtype

    def forward(self, X: np.ndarray) -> np.ndarray:
        """X (k, n) -> ŷ (k, m): each layer's output feeds the next one."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def _as_arrays(self, X, y=None, *, where: str = "Model"):
        """Check and convert X (k, n) and, if given, y (k, m), once per call.

        Both come back in the model's dtype. O(k (n + m)): shapes against
        the network's widths, equal sample counts, NaN and inf.
        """
        y = self._labels_as_targets(y, where=where)  # see Accuracy
        X, y = check_data(
            X,
            y,
            n_features=self.n_inputs,
            n_outputs=self.n_outputs,
            dtype=self.dtype,
            where=where,
        )
        return X if y is None else (X, y)

    def _validation_arrays(self, validation_data) -> tuple:
        """Check ``fit``'s validation_data: (X_val (k, n), y_val (k, m))."""
        is_sequence = isinstance(validation_data, (tuple, list))
        if not is_sequence or len(validation_data) != 2:
            shown = f"a {type(validation_data).__name__}"
            if is_sequence:
                shown += f" of {len(validation_data)} items"
            expected = "validation_data as a pair (X_val, y_val)"
            raise TypeError(f"Model.fit expects {expected}; got {shown}")
        if validation_data[1] is None:
            message = "Model.fit expects validation_data as a pair"
            raise TypeError(message + " (X_val, y_val); got y_val None")
        where = "Model.fit (validation_data)"
        return self._as_arrays(*validation_data, where=where)

    # docs/implementation/feed-backward.md:33
    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Backpropagate the loss of ``y_pred`` (k, m) through every layer.

        Sets each Dense layer's ``dweights`` and ``dbiases`` and returns dL/dX,
        shape (k, n). Call it right after ``forward`` on the same batch.
        """
        dvalues = self.loss.backward(y_pred, y_true)
        for layer in reversed(self.layers):
            dvalues = layer.backward(dvalues)
        return dvalues

    # docs/implementation/model.md:497
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
        self._penalized = _has_penalty(layers)  # see "History and progress"
        self._penalty_sum = 0.0
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
        """One step of gradient descent on a checked batch X (B, n), y (B, m).

        Returns the predictions (B, m), an array of the workspace: valid
        until the next step.
        """
        if self._penalized:  # the penalty before the step, as the loss of y_pred
            self._penalty_sum += regularization_loss(self.layers) * len(X_batch)
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

    # docs/implementation/model.md:66
    # Overflow is expected when training diverges; _check_finite reports it.
    @np.errstate(over="ignore", invalid="ignore", divide="ignore")
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
        print_every: int | None = None,
    ) -> "History":
        """Train with mini-batch gradient descent on X (k, n) and y (k, m).

        Each epoch shuffles the k samples (unless ``shuffle=False``) with
        ``rng`` and takes one optimizer step per batch of ``batch_size``
        samples. ``verbose=1`` keeps one progress line up to date (whole lines
        every ``print_every`` epochs if given, or off a terminal);
        ``verbose=0`` prints nothing. Returns the History. A NaN/inf loss stops
        training with a FloatingPointError naming the epoch and batch; the model
        keeps its last finite parameters, and the error's ``history`` attribute
        holds the History of the epochs before. Any other exception leaves the
        model as it was before the call (Ctrl+C excepted: it keeps the steps
        taken).

        >>> X = np.linspace(0, 1, 64).reshape(-1, 1)
        >>> model = Model([Dense(1, 1, rng=0)], optimizer=SGD(0.1))
        >>> history = model.fit(X, 2 * X, epochs=3, verbose=0, rng=0)
        >>> losses = history.history["loss"]
        >>> len(losses), losses[-1] < losses[0]
        (3, True)
        """
        # Every check before the first step: a refused call changes nothing.
        where = "Model.fit"
        if y is None:
            raise TypeError(f"{where} expects targets y of shape (k, m); got None")
        X, y = self._as_arrays(X, y, where=where)
        epochs = check_positive_int(epochs, "epochs", where=where)
        batch_size = check_positive_int(batch_size, "batch_size", where=where)
        shuffle = bool(check_flag(shuffle, "shuffle", where=where))
        verbose = check_flag(verbose, "verbose", where=where, levels=2)
        generator = as_generator(rng, where=where)
        self._check_targets(y, where=where)
        if validation_data is not None:
            X_val, y_val = self._validation_arrays(validation_data)
            self._check_targets(y_val, where=f"{where} (validation_data)")
        history = History()
        progress = _progress(epochs, print_every) if verbose else None
        # One flat parameter vector: see "One training step"
        self._prepare_training()
        step = self._step
        # Batches gathered into reused arrays: see "Batches without copies"
        batches = _Batches(X, y, batch_size, shuffle, generator)
        # The epoch's predictions, batch by batch, in the shuffled order
        y_hat = np.empty_like(y)
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
                if epoch == 1:  # the snapshot moves on; the copy on entry stays
                    snapshot = np.empty_like(snapshot)
                # The last finite parameters, should this epoch diverge, with
                # the optimizer's state and the random streams
                np.copyto(snapshot, self._parameters)
                self._epoch_state = self._state()
                self._set_training(True)
                for start, stop in batches.ranges:
                    X_batch, y_batch = inputs(start, stop), y_epoch[start:stop]
                    y_hat[start:stop] = step(X_batch, y_batch)
                # The validation data meets the whole network
                self._set_training(False)
                epoch_data = (epoch, y_hat, batches, snapshot)
                try:
                    logs = self._check_finite(*epoch_data, validation, progress)
                except FloatingPointError as error:
                    # The finished epochs' scores: the curve that led up to it
                    error.history = history
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
            # Also after an error or Ctrl+C: predict must never drop units
            self._set_training(False)
        if progress is not None:
            progress.close()
        return history

    # docs/implementation/model.md:288
    def _set_training(self, training: bool) -> None:
        """Switch the layers that act differently while training (Dropout)
        into training or inference mode."""
        for layer in self.layers:
            if hasattr(layer, "training"):
                layer.training = training

    # docs/implementation/model.md:220
    def _scores(self, y_pred: np.ndarray, y_true: np.ndarray) -> dict[str, float]:
        """Overall loss (mean sample loss + regularization) and each metric.

        For ŷ and y of shape (k, m).
        """
        data_loss = self.loss.calculate(y_pred, y_true)
        scores = {"loss": data_loss + regularization_loss(self.layers)}
        for name in self.metrics:
            scores[name] = METRICS[name](y_pred, y_true)
        return scores

    def _finite_scores(self, y_pred, y_true, score=None) -> dict | None:
        """``score`` (``_scores``), or None if ŷ or the loss is not finite.

        None means divergence. Any other error of the loss or a metric is a
        mistake in the setup, not divergence, and propagates with its own
        message.
        """
        if not np.isfinite(y_pred).all():
            return None
        try:
            scores = (score or self._scores)(y_pred, y_true)
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

    # docs/implementation/model.md:768
    def _check_finite(
        self,
        epoch: int,
        y_hat,
        batches,
        snapshot,
        validation=None,
        progress=None,
    ):
        """The epoch's logs if the losses and the parameters are finite.

        With ``validation``, the logs hold the ``val_`` scores too. Otherwise
        end the progress line, find the batch that broke training, and raise.
        Runs once per epoch.
        """
        logs = None
        if np.isfinite(self._parameters).all():
            y_epoch = batches.y_epoch
            logs = self._finite_scores(y_hat, y_epoch, self._epoch_logs)
        if logs is not None and validation is not None:
            X_val, y_val = validation
            scores = self._finite_scores(self.forward(X_val), y_val)
            if scores is None:
                logs = None
            else:
                for key, value in scores.items():
                    logs["val_" + key] = value
        if logs is not None:
            return logs
        if progress is not None:
            progress.close()  # the error message starts on a line of its own
        self._diverged(epoch, batches, snapshot)

    def _diverged(self, epoch: int, batches: "_Batches", snapshot) -> None:
        """Replay the epoch from ``snapshot`` step by step, keep the parameters
        from before the first bad step, and raise."""
        parameters = self._parameters
        np.copyto(parameters, snapshot)
        self._set_state(self._epoch_state)
        # The very steps fit took, dropout masks included (fit switches it off)
        self._set_training(True)
        # The loop variable `number` is used after the loop (ruff's B007)
        ranges = batches.ranges
        for number, (start, stop) in enumerate(ranges, start=1):  # noqa: B007
            # The parameters before this step, the optimizer's state and the
            # random streams
            np.copyto(snapshot, parameters)
            state = self._state()
            X_batch = batches.inputs(start, stop)
            y_true = batches.y_epoch[start:stop]
            # The penalty of the parameters before the step
            penalty = regularization_loss(self.layers)
            y_pred = self._step(X_batch, y_true)
            loss = math.nan
            if np.isfinite(y_pred).all():
                with contextlib.suppress(LossOverflowError):
                    loss = self.loss.calculate(y_pred, y_true) + penalty
            if not math.isfinite(loss):
                problem = "the loss is not a finite number"
                break
            finite_penalty = math.isfinite(regularization_loss(self.layers))
            if not (np.isfinite(parameters).all() and finite_penalty):
                problem = "its update made some parameters NaN or inf"
                break
        else:
            # Every step was finite, yet the epoch's scores were not: blame the
            # last step
            problem = "after it, the loss of the epoch or of the validation data"
            problem += " is not a finite number"
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
        rate = getattr(self.optimizer, "learning_rate", "?")
        message = f"training diverged at epoch {epoch + 1}, batch {number} of"
        message += f" {len(ranges)}: {problem}. The model keeps its parameters"
        message += " from before that batch; try a smaller learning rate (this"
        raise FloatingPointError(message + f" one is {rate})")

    # docs/implementation/model.md:716
    def _state(self) -> tuple:
        """What a training step changes besides the parameters, as copies.

        The optimizer's state (None if it has no ``state``) and the random
        streams of the layers that have one (Dropout).
        """
        optimizer = None
        if hasattr(self.optimizer, "state"):
            optimizer = self.optimizer.state()
        layers = [layer for layer in self.layers if hasattr(layer, "state")]
        return optimizer, [layer.state() for layer in layers]

    def _set_state(self, state: tuple) -> None:
        """Put back what ``_state`` returned."""
        optimizer, layer_states = state
        if optimizer is not None:
            self.optimizer.set_state(optimizer)
        layers = [layer for layer in self.layers if hasattr(layer, "state")]
        for layer, layer_state in zip(layers, layer_states, strict=True):
            layer.set_state(layer_state)

    # docs/implementation/prediction.md:33
    def predict(self, X: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """Predictions ŷ (k, m) for inputs X (k, n), ``batch_size`` rows a time.

        None (the default) runs all k rows at once.

        >>> model = Model([Dense(1, 4, rng=0), ReLU(), Dense(4, 2, rng=1)])
        >>> model.predict(np.zeros((5, 1)), batch_size=2).shape
        (5, 2)
        """
        where = "Model.predict"
        X = self._as_arrays(X, where=where)
        if batch_size is not None:
            batch_size = check_positive_int(batch_size, "batch_size", where=where)
        return self._check_output(self._predict(X, batch_size), where=where)

    # An overflow is reported by _check_output, once.
    @np.errstate(over="ignore", invalid="ignore")
    def _predict(self, X: np.ndarray, batch_size: int | None) -> np.ndarray:
        """``predict`` for a checked X (k, n) in the model's dtype."""
        k = len(X)
        if batch_size is None or batch_size >= k:
            return self.forward(X)
        first = self.forward(X[:batch_size])
        y_pred = np.empty((k, first.shape[1]), dtype=first.dtype)
        y_pred[:batch_size] = first
        for start in range(batch_size, k, batch_size):
            rows = slice(start, start + batch_size)
            y_pred[rows] = self.forward(X[rows])
        return y_pred

    def _check_output(self, y_pred: np.ndarray, *, where: str) -> np.ndarray:
        """Return ``y_pred`` (k, m) if it is finite, else raise.

        X was checked, so a NaN or inf means the network overflowed.
        """
        finite = np.isfinite(y_pred)
        if finite.all():
            return y_pred
        bad = int((~finite).any(axis=1).sum())
        expected = "the network to map finite X to finite predictions"
        got = f"got NaN or inf for {bad} of {len(y_pred)} samples"
        cause = f"the inputs or the parameters are too large for {self.dtype}"
        advice = "scale the inputs; if training diverged, retrain with a smaller"
        raise ValueError(
            f"{where} expects {expected}; {got}: {cause} ({advice} learning rate)",
        )

    # docs/implementation/evaluation.md:17
    def evaluate(
        self,
        X: np.ndarray,
        y: np.ndarray,
        batch_size: int | None = None,
    ) -> dict[str, float]:
        """Scores on X (k, n), y (k, m): the loss and one entry per metric.

        >>> model = Model([Dense(1, 1, rng=0)])
        >>> model.evaluate(np.zeros((3, 1)), np.ones((3, 1)))
        {'loss': 1.0, 'mae': 1.0, 'r2': 0.0}
        """
        where = "Model.evaluate"
        if y is None:
            raise TypeError(f"{where} expects targets y of shape (k, m); got None")
        X, y = self._as_arrays(X, y, where=where)
        if batch_size is not None:
            batch_size = check_positive_int(batch_size, "batch_size", where=where)
        y_pred = self._check_output(self._predict(X, batch_size), where=where)
        return self._scores(y_pred, y)

    # docs/implementation/saving.md:177
    def config(self) -> dict:
        """The architecture as JSON-ready data: layers, loss, optimizer."""
        return {
            "layers": [_layer_config(layer) for layer in self.layers],
            "loss": type(self.loss).__name__,
            "optimizer": _optimizer_config(self.optimizer),
            "metrics": list(self.metrics),
        }

    # docs/implementation/saving.md:211
    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and parameters to ``path`` as an .npz file.

        ``path`` is a path, written atomically (temp file, then rename), or a
        binary file object. A model that ``load`` would refuse is refused
        before anything is written.
        """
        name = _file_name(path, where="Model.save")
        arrays = _model_arrays(self)  # raises, naming the layer, before any write
        arrays.update(self._training_state_arrays())  # see "resuming" below
        try:
            _model_from_arrays(arrays, type(self))  # what load will check
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            message = f"Model.save refuses to write {name}: Model.load"
            raise ValueError(message + f" would refuse it ({error})") from None
        if not isinstance(path, (str, bytes, os.PathLike)):
            np.savez(path, **arrays)  # a file object: the caller owns it
            return
        path = os.fsdecode(path)
        # The temporary file must be in the same directory: os.replace is
        # atomic only within one file system.
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=folder)
        try:
            with os.fdopen(fd, "wb") as file:
                np.savez(file, **arrays)
                file.flush()
                os.fsync(file.fileno())
            # mkstemp makes the file private (0o600); give it the usual
            # permissions, or keep those of the old file.
            old = os.stat(path).st_mode & 0o777 if os.path.exists(path) else None
            os.chmod(tmp, 0o644 if old is None else old)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # docs/implementation/saving.md:602
    @classmethod
    def load(cls, path: str | os.PathLike) -> "Model":
        """Rebuild a model saved by ``save`` from a path or a binary file object.

        Never unpickles. A damaged, foreign or crafted file raises ValueError.

        >>> import tempfile
        >>> model = Model([Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=1)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     model.save(os.path.join(folder, "model.npz"))
        ...     again = Model.load(os.path.join(folder, "model.npz"))
        >>> pairs = zip(model.trainable, again.trainable)
        >>> all(np.array_equal(a.weights, b.weights) for a, b in pairs)
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

    # docs/implementation/saving.md:743
    def get_parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Copies of (weights (n, m), biases (m,)) of each layer with parameters.

        >>> model = Model([Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=1)])
        >>> weights, biases = model.get_parameters()[1]  # the second Dense layer
        >>> weights.shape, biases.shape
        ((3, 1), (1,))
        """
        layers = self.trainable
        return [(layer.weights.copy(), layer.biases.copy()) for layer in layers]

    def set_parameters(self, parameters) -> None:
        """Put back a list like ``get_parameters()``'s; shapes, dtypes checked."""
        where, count = "Model.set_parameters", len(self.trainable)
        if not isinstance(parameters, (list, tuple)) or len(parameters) != count:
            got = type(parameters).__name__
            if isinstance(parameters, (list, tuple)):
                got += f" of {len(parameters)}"
            expected = f"a list of {count} (weights, biases) pairs"
            hint = "as get_parameters() returns"
            raise ValueError(f"{where} expects {expected}, {hint}; got a {got}")
        position = {id(layer): i for i, layer in enumerate(self.layers)}
        for layer, pair in zip(self.trainable, parameters, strict=True):
            name = _describe(position[id(layer)], layer)
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                kind = type(pair).__name__
                message = f"{where} expects (weights, biases) for {name}"
                raise TypeError(f"{message}; got {kind}")
            for kind, value in zip(("weights", "biases"), pair, strict=True):
                current = getattr(layer, kind)
                what = f"{where}: {name} {kind}"
                expected = f"{current.dtype} of shape {current.shape}"
                if not isinstance(value, np.ndarray):
                    got = type(value).__name__
                    raise TypeError(f"{what} should be {expected}; got {got}")
                if value.shape != current.shape or value.dtype != current.dtype:
                    got = f"{value.dtype} of shape {value.shape}"
                    raise ValueError(f"{what} should be {expected}; got {got}")
                if not np.isfinite(value).all():
                    raise ValueError(f"{what} hold NaN or inf")
        pairs = zip(self.trainable, parameters, strict=True)
        for layer, (weights, biases) in pairs:
            np.copyto(layer.weights, weights)  # in place: fit's flat vector too
            np.copyto(layer.biases, biases)

    # docs/implementation/saving.md:834
    def _training_state_arrays(self) -> dict[str, np.ndarray]:
        """What training would need besides the parameters, as arrays for save."""
        state: dict[str, dict] = {"optimizer": {}, "layers": {}}
        arrays: dict[str, np.ndarray] = {}
        optimizer = self.optimizer
        slots = optimizer.state() if hasattr(optimizer, "state") else {}
        for name, value in slots.get("flat", {}).items():  # fit's flat vector
            if isinstance(value, np.ndarray):
                arrays[f"optimizer.{name}"] = value
            else:
                state["optimizer"][name] = value  # the step count t
        for i, layer in enumerate(self.layers):
            if hasattr(layer, "state"):  # a random stream (Dropout)
                state["layers"][str(i)] = layer.state()
        if arrays or state["optimizer"] or state["layers"]:  # else nothing to keep
            arrays["training_state"] = np.array(json.dumps(state))
        return arrays

    def _set_training_state(self, saved: tuple[dict, dict]) -> None:
        """Put back the state ``_pop_training_state`` took out of a file."""
        state, slot_arrays = saved
        counts = state.get("optimizer", {})
        if counts or slot_arrays:
            self._set_optimizer_state(counts, slot_arrays)
        for index, layer_state in state.get("layers", {}).items():
            known = index.isdigit() and int(index) < len(self.layers)
            layer = self.layers[int(index)] if known else None
            if layer is None or not hasattr(layer, "set_state"):
                problem = f"names layer {index}, which has no random stream"
                raise ValueError(f"the training state {problem}")
            layer.set_state(layer_state)

    def _set_optimizer_state(self, counts: dict, slot_arrays: dict) -> None:
        """Check the saved step count and state arrays (p,), then set them."""
        optimizer, kind = self.optimizer, type(self.optimizer).__name__
        names = sorted(getattr(optimizer, "_slot_names", ()))
        if sorted(slot_arrays) != names or not hasattr(optimizer, "set_state"):
            saved = sorted(slot_arrays)
            raise ValueError(f"the optimizer state {saved} does not fit {kind}")
        t = counts.get("t")
        if isinstance(t, bool) or not isinstance(t, int) or t < 0:
            expected = "the optimizer's step count should be an integer >= 0"
            raise ValueError(f"{expected}; got {t!r}")
        trainable = self.trainable
        size = sum(layer.weights.size + layer.biases.size for layer in trainable)
        slot = {"t": t}
        for name, array in slot_arrays.items():
            fits = array.shape == (size,) and array.dtype == self.dtype
            if not (fits and np.isfinite(array).all()):
                expected = f"finite {self.dtype} of shape ({size},)"
                got = f"{array.dtype} {array.shape}"
                message = f"optimizer.{name} should be {expected}"
                raise ValueError(f"{message}; got {got}")
            slot[name] = array.copy()
        optimizer.set_state({"flat": slot})

    # docs/classification/accuracy.md:407
    def _labels_as_targets(self, y, *, where: str):
        """Integer labels (k,) -> targets (k, m) for a classification loss.

        Other targets pass unchanged, except a (k, 1) column of labels for m >= 2.
        """
        binary = isinstance(self.loss, BinaryCrossEntropy)
        categorical = (CategoricalCrossEntropy, SoftmaxCrossEntropy)
        classifier = binary or isinstance(self.loss, categorical)
        if not classifier or self.n_outputs is None:
            return y  # check_data explains any shape problem
        m, dtype = self.n_outputs, self.dtype
        return class_targets(y, m, dtype, where=where, binary=binary)

    def predict_proba(self, X: np.ndarray, batch_size: int | None = None):
        """Class probabilities for X (k, n): (k, m), or (k, 1) for one sigmoid."""
        head = self.layers[-1]
        if isinstance(head, (Softmax, Sigmoid)):
            return self.predict(X, batch_size)
        if isinstance(self.loss, SoftmaxCrossEntropy):  # the outputs are logits
            logits = self.predict(X, batch_size)  # (k, m)
            exps = np.exp(logits - logits.max(axis=1, keepdims=True))
            return exps / exps.sum(axis=1, keepdims=True)
        loss, last = type(self.loss).__name__, type(head).__name__
        needs = "a Softmax or Sigmoid last layer, or SoftmaxCrossEntropy"
        found = f"this model ends with {last} and uses {loss}"
        raise TypeError(f"Model.predict_proba needs {needs}; {found}")

    def predict_classes(self, X: np.ndarray, batch_size: int | None = None):
        """Integer class labels (k,): the most probable class, or p > 0.5."""
        probabilities = self.predict_proba(X, batch_size)
        m = probabilities.shape[1]
        if m > 1 and isinstance(self.layers[-1], Sigmoid):
            found = f"this model has {m} sigmoid outputs"
            fix = "use predict_proba(X) > 0.5"
            where = "Model.predict_classes gives one label per sample"
            raise ValueError(f"{where}; {found}: {fix}")
        if probabilities.shape[1] == 1:
            return (probabilities[:, 0] > 0.5).astype(np.int64)
        return probabilities.argmax(axis=1)

    # docs/implementation/model.md:1116
    def _epoch_logs(self, y_hat: np.ndarray, y_epoch: np.ndarray) -> dict:
        """An epoch's training logs: losses (before each step), metrics, lr."""
        data_loss = self.loss.calculate(y_hat, y_epoch)
        penalty = self._penalty_sum / len(y_hat) if self._penalized else 0.0
        self._penalty_sum = 0.0  # the next epoch starts its own sum
        logs = {
            "loss": data_loss + penalty,
            "data_loss": data_loss,
            "regularization_loss": penalty,
        }
        for name in self.metrics:
            logs[name] = METRICS[name](y_hat, y_epoch)
        rate = getattr(self.optimizer, "current_learning_rate", None)
        if rate is not None:
            logs["lr"] = rate
        return logs


# docs/implementation/feed-forward.md:204
def _describe(index: int, layer) -> str:
    """How messages name a layer: its position and, for Dense, its sizes."""
    if isinstance(layer, Dense):
        n, m = layer.weights.shape
        return f"layer {index}, Dense({n}, {m})"
    return f"layer {index}, {type(layer).__name__}"


def _check_layers(layers: list) -> tuple[int | None, int | None, np.dtype]:
    """(n_inputs, n_outputs, dtype) of layers whose Dense widths chain."""
    if not layers:
        raise ValueError("Model expects at least one layer; got an empty list")
    n_inputs = width = previous = dtype = None
    fixed = False  # whether a layer has fixed the shape of X yet
    seen: dict[int, int] = {}  # id(layer) -> its index
    for index, layer in enumerate(layers):
        is_class = isinstance(layer, type)
        has_forward = callable(getattr(layer, "forward", None))
        if is_class or not (has_forward and hasattr(layer, "backward")):
            hint = f": call it, {layer.__name__}()" if is_class else ""
            expected = "layers with forward and backward methods"
            got = f"layer {index} is {layer!r} ({type(layer).__name__}){hint}"
            raise TypeError(f"Model expects {expected}; {got}")
        first = seen.setdefault(id(layer), index)
        if first != index:
            name = type(layer).__name__
            message = f"Model got the same {name} object as layer {first} and"
            message += f" layer {index}; a layer keeps what its last forward"
            message += " pass saw, so one object cannot stand at two places:"
            message += f" make a new one for each place, e.g. {name}(...)"
            raise ValueError(message)
        if not hasattr(layer, "weights"):
            if hasattr(layer, "input_shape"):  # Flatten: a new width out
                n_inputs = n_inputs if fixed else layer.input_shape
                fixed, width = True, None
            continue  # an activation keeps the width
        weights = layer.weights
        if not (isinstance(weights, np.ndarray) and weights.ndim >= 2):
            message = f"Model expects the weights of {_describe(index, layer)}"
            shapes = " as a 2-D numpy array (n, m) (Conv1D: 3-D, (K, n, m))"
            raise TypeError(message + shapes)
        n, m = weights.shape[-2:]  # Dense (n, m); Conv1D (K, n, m)
        if width is not None and n != width:
            this = f"{_describe(index, layer)} expects {n} inputs"
            before = f"{_describe(*previous)} before it outputs {width}"
            problem = f"{this}, but {before}; make them equal"
            raise ValueError(f"Model layers do not fit together: {problem}")
        if dtype is not None and layer.weights.dtype != dtype:
            before = f"{_describe(*previous)} is {dtype}"
            this = f"{_describe(index, layer)} is {layer.weights.dtype}"
            expected = "every Dense layer in one dtype"
            raise TypeError(f"Model expects {expected}; {before}, {this}")
        if not fixed:  # Dense reads (k, n); other layers name their input
            n_inputs, fixed = getattr(layer, "input_shape", n), True
        width, previous, dtype = m, (index, layer), layer.weights.dtype
    _check_unshared(layers)
    if dtype is None:  # no Dense layer
        dtype = np.dtype(np.float64)
    return n_inputs, width, dtype


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
                message = "Model expects every layer to own its parameters;"
                message += f" layer {index}'s {name} and layer {other}'s"
                message += f" {other_name} share memory (shared weights are"
                message += " not supported): give each its own copy, e.g."
                message += " layer.weights = layer.weights.copy()"
                raise ValueError(message)


def _check_part(part, name: str, methods: tuple, example: str) -> None:
    """Raise unless ``part`` (the loss or the optimizer) has ``methods``."""
    expected = f"Model expects {name} to be an object"
    if isinstance(part, type):
        got = f"got the class {part.__name__}: call it"
        raise TypeError(f"{expected} such as {example}; {got}")
    if not all(callable(getattr(part, method, None)) for method in methods):
        listed = f"with {', '.join(methods)} methods, such as {example}"
        got = f"got {part!r} ({type(part).__name__})"
        raise TypeError(f"{expected} {listed}; {got}")


# docs/implementation/model.md:191
class History:
    """What ``fit`` recorded, one value per epoch.

    ``history["loss"]``, ``history["val_loss"]``, and one list per metric.

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


# docs/implementation/model.md:458
def _pack_parameters(layers: list, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Move the parameters of ``layers`` into one flat vector (p,), and
    their gradients into another.

    Each layer's ``weights``, ``biases``, ``dweights`` and ``dbiases``
    become views into the two vectors, with the same shapes and the same
    parameter values. Returns (parameters, gradients).
    """
    names = ("weights", "biases")
    arrays = [(layer, name) for layer in layers for name in names]
    size = sum(getattr(layer, name).size for layer, name in arrays)
    parameters = np.empty(size, dtype=dtype)
    gradients = np.zeros(size, dtype=dtype)
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


# docs/implementation/model.md:615
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


# docs/implementation/model.md:936
class _Progress:
    """One status line, rewritten in place with ``\\r``.

    At most once every ``interval`` seconds.
    """

    def __init__(self, epochs: int, stream=None, interval: float = 0.25):
        self.epochs, self.interval = epochs, interval
        self.stream = stream or sys.stdout
        self.start = self.last = time.perf_counter()
        self.width = 0

    def update(self, epoch: int, logs: dict[str, float]) -> None:
        """Show ``logs`` after ``epoch`` (1-based), unless too soon."""
        now = time.perf_counter()
        if now - self.last < self.interval and epoch < self.epochs:
            return
        self.last = now
        values = _format_logs(logs)
        elapsed = now - self.start
        line = f"epoch {epoch}/{self.epochs}  {values}  {elapsed:.1f}s"
        # Pad with spaces so a shorter line fully covers the previous one.
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


# docs/implementation/model.md:1109
def _has_penalty(layers: list) -> bool:
    """Whether any layer has an L1 or L2 factor set (see Loss functions)."""
    names = ("weight_l1", "weight_l2", "bias_l1", "bias_l2")
    return any(getattr(layer, name, 0) for layer in layers for name in names)


# docs/implementation/model.md:1173
def _format_logs(logs: dict[str, float]) -> str:
    """``loss 0.1234  mae 0.05  lr 0.01``: the logs of an epoch on one line."""
    hidden = ("data_loss", "regularization_loss")  # loss is their sum
    shown = [(name, v) for name, v in logs.items() if name not in hidden]
    return "  ".join(f"{name} {value:.4g}" for name, value in shown)


class _Lines:
    """Progress as whole lines: one every ``every`` epochs, one at the end."""

    def __init__(self, epochs: int, every: int, stream=None) -> None:
        self.epochs, self.every = epochs, every
        self.stream = stream if stream is not None else sys.stdout

    def update(self, epoch: int, logs: dict[str, float]) -> None:
        """Write a line after ``epoch`` (1-based) if it is one to show."""
        if epoch % self.every and epoch != self.epochs:
            return
        line = f"epoch {epoch}/{self.epochs}  {_format_logs(logs)}"
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Nothing to end: every line is already whole."""


def _progress(epochs: int, print_every: int | None, stream=None):
    """What ``fit`` shows: a live line on a terminal, whole lines elsewhere."""
    stream = stream if stream is not None else sys.stdout
    if print_every is not None:
        where = "Model.fit"
        every = check_positive_int(print_every, "print_every", where=where)
        return _Lines(epochs, every, stream)
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        return _Progress(epochs, stream)
    return _Lines(epochs, max(1, epochs // 10), stream)


# docs/implementation/saving.md:58
FORMAT_VERSION = 2  # 2 adds the training state; 1 still loads

# The only classes a model file can name; load() instantiates nothing else.
LAYERS = {"Dense": Dense, "ReLU": ReLU, "Linear": Linear}
LOSSES = {
    "MeanSquaredError": MeanSquaredError,
    "MeanAbsoluteError": MeanAbsoluteError,
}
OPTIMIZERS = {"SGD": SGD, "SGDMomentum": SGDMomentum, "Adam": Adam}


def _optimizer_config(optimizer) -> dict:
    """JSON-ready description of the optimizer.

    Its class name and hyper-parameters, not its state.
    """
    if hasattr(optimizer, "config"):
        config = optimizer.config()
    else:
        config = {"learning_rate": optimizer.learning_rate}
    return {"type": type(optimizer).__name__, **config}


def _layer_config(layer) -> dict:
    """JSON-ready description of a layer: its class, its arguments."""
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
    elif hasattr(layer, "config"):
        # a layer with settings of its own (Dropout's rate) describes itself
        config.update(layer.config())
    return config


# docs/implementation/saving.md:111
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


# docs/implementation/saving.md:315
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


# docs/implementation/saving.md:439
def _check_names(names) -> None:
    """Raise unless ``names`` holds the two that every model file has."""
    required = ("format_version", "architecture")
    missing = [key for key in required if key not in names]
    if missing:
        found = ", ".join(sorted(names)) or "nothing"
        message = f"not an nnbook model file: no {' or '.join(missing)}"
        raise ValueError(message + f" (it holds: {found})")


def _check_version(arrays: dict) -> None:
    """Raise unless it is a model file in a format this nnbook reads."""
    _check_names(arrays)
    version = arrays["format_version"]
    one = isinstance(version, np.ndarray) and version.shape == ()
    if not (one and version.dtype.kind in "iu"):
        message = "format_version must be one integer"
        raise ValueError(message + f"; got {version!r}")
    reads = f"reads format {FORMAT_VERSION}"
    if int(version) > FORMAT_VERSION:
        message = f"written in format {int(version)} by a newer nnbook"
        raise ValueError(message + f"; this one {reads}")
    if int(version) not in (1, FORMAT_VERSION):
        message = f"unknown format version {int(version)}"
        raise ValueError(message + f"; this nnbook {reads}")


def _parameter(arrays: dict, key: str, shape: tuple, dtype: str) -> np.ndarray:
    """The array ``key`` of the file, if it has the ``shape`` and ``dtype``
    that the architecture gives it."""
    if key not in arrays:
        raise ValueError(f"{key} is missing")
    array = arrays[key]
    if not isinstance(array, np.ndarray):
        message = f"{key} should be {dtype} of shape {shape}"
        raise ValueError(message + f"; got {type(array).__name__}")
    if array.dtype.name != dtype or array.shape != shape:
        message = f"{key} should be {dtype} of shape {shape}"
        raise ValueError(message + f"; got {array.dtype} {array.shape}")
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


def _declared_shapes(kind: str, spec: dict) -> tuple | None:
    """The shapes of a layer's weights and biases, and their dtype, as its
    settings give them, worked out without building the layer.

    None for a layer without parameters. Dense answers here; a layer class
    with parameters can answer with a static ``parameter_shapes(**spec)``.
    """
    if kind == "Dense":
        n, m = spec.get("n_inputs"), spec.get("n_neurons")
        n = check_positive_int(n, "n_inputs", where="Dense")
        m = check_positive_int(m, "n_neurons", where="Dense")
        dtype = as_float_dtype(spec.get("dtype"), where="Dense").name
        return (n, m), (m,), dtype
    hook = getattr(LAYERS[kind], "parameter_shapes", None)
    return None if hook is None else hook(**spec)


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
        keys = f"layer{i}.weights", f"layer{i}.biases"
        parameters = None
        declared = _declared_shapes(kind, spec)
        if declared is not None:  # its declared sizes must be its arrays'
            weights, biases, dtype = declared
            parameters = (
                _parameter(arrays, keys[0], weights, dtype),
                _parameter(arrays, keys[1], biases, dtype),
            )
            used.update(keys)
        specs.append((kind, spec, state, keys, parameters))
    layers = []
    for kind, spec, state, keys, parameters in specs:
        if kind == "Dense":
            layer = Dense(**spec, rng=0)  # checks the regularization too
        else:
            layer = LAYERS[kind](**spec)
        if parameters is None and hasattr(layer, "weights"):
            # A layer that cannot tell its shapes before it is built
            dtype = layer.weights.dtype.name
            parameters = (
                _parameter(arrays, keys[0], layer.weights.shape, dtype),
                _parameter(arrays, keys[1], layer.biases.shape, dtype),
            )
            used.update(keys)
        if parameters is not None:
            layer.weights, layer.biases = parameters
        if state is not None:  # the random stream of a layer that has one
            layer.set_state(state)
        layers.append(layer)
    unused = sorted(set(arrays) - used)
    if unused:
        raise ValueError(f"arrays {unused} belong to no layer of the model")
    return layers


def _model_from_arrays(arrays: dict, cls):
    """The model of class ``cls`` that the arrays of a model file describe."""
    _check_version(arrays)
    arrays = dict(arrays)  # the caller's arrays stay as they are
    training_state = _pop_training_state(arrays)  # see "resuming" below
    config = _architecture(arrays)
    optimizer = dict(config["optimizer"])
    kind = optimizer.pop("type", None)
    if config["loss"] not in LOSSES or kind not in OPTIMIZERS:
        message = f"unknown loss {config['loss']!r} or optimizer {kind!r}"
        raise ValueError(message)
    model = cls(
        _build_layers(config, arrays),
        loss=LOSSES[config["loss"]](),
        optimizer=OPTIMIZERS[kind](**optimizer),
        metrics=config["metrics"],
    )
    model._set_training_state(training_state)
    return model


# docs/implementation/saving.md:892
def _pop_training_state(arrays: dict) -> tuple[dict, dict]:
    """Take the training state out of a file's arrays: (JSON, state arrays).

    A format-1 file has none: ({}, {}), and the optimizer starts afresh.
    """
    prefix = "optimizer."
    keys = [key for key in arrays if key.startswith(prefix)]
    slot_arrays = {key[len(prefix) :]: arrays.pop(key) for key in keys}
    text = arrays.pop("training_state", None)
    if text is None:
        return {}, slot_arrays
    if not (text.shape == () and text.dtype.kind == "U"):
        found = f"{text.dtype} {text.shape}"
        raise ValueError(f"the training state is not one JSON string: {found}")
    state = json.loads(str(text))
    if not isinstance(state, dict):
        raise ValueError("the training state is not a JSON object")
    return state, slot_arrays


# docs/implementation/saving.md:913
OPTIMIZERS.update({"AdaGrad": AdaGrad, "RMSprop": RMSprop})


# docs/classification/accuracy.md:345
LAYERS.update({"Softmax": Softmax, "Sigmoid": Sigmoid})
LOSSES.update(
    {
        "CategoricalCrossEntropy": CategoricalCrossEntropy,
        "SoftmaxCrossEntropy": SoftmaxCrossEntropy,
        "BinaryCrossEntropy": BinaryCrossEntropy,
        "SigmoidBinaryCrossEntropy": SigmoidBinaryCrossEntropy,
    }
)


# docs/regularization/dropout.md:389
LAYERS["Dropout"] = Dropout


# docs/convolution/conv2d.md:189
LAYERS.update({"Conv1D": Conv1D, "Conv2D": Conv2D, "Flatten": Flatten})


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
