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
import json
import math
import os
import sys
import tempfile
import time
import zipfile

import numpy as np

from nnbook.activations import Linear, ReLU, Sigmoid, Softmax
from nnbook.checks import (
    as_generator,
    as_layer_list,
    check_data,
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

    # docs/implementation/model.md:157
    def _prepare_training(self) -> None:
        """Pack the parameters (see ``_pack_parameters``) and list the layers a training step runs backward."""
        self._parameters, self._gradients = _pack_parameters(self.trainable, self.dtype)
        first = next((i for i, layer in enumerate(self.layers) if hasattr(layer, "weights")), len(self.layers))
        # Backward runs from the last layer down to the first Dense layer, which skips its dinputs.
        self._backward_layers = self.layers[first + 1 :][::-1]
        self._first_trainable = self.layers[first] if first < len(self.layers) else None
        self._penalized = _has_penalty(self.layers)  # see "History and progress"
        self._penalty_sum = 0.0

    def _step(self, X_batch: np.ndarray, y_batch: np.ndarray) -> np.ndarray:
        """One step of gradient descent on a batch X (b, n), y (b, m); returns the predictions (b, m)."""
        if self._penalized:  # the penalty before the step, as the loss of y_pred
            self._penalty_sum += regularization_loss(self.layers) * len(X_batch)
        y_pred = self.forward(X_batch)
        dvalues = self.loss.backward(y_pred, y_batch)
        for layer in self._backward_layers:
            dvalues = layer.backward(dvalues)
        if self._first_trainable is not None:
            self._first_trainable.backward(dvalues, input_gradient=False)
            self.optimizer.step(self._parameters, self._gradients)
        return y_pred

    # docs/implementation/model.md:494
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
        print_every: int | None = None,
    ) -> "History":
        """Train with mini-batch gradient descent on X (k, n) and y (k, m); return the History.

        Each epoch shuffles the k samples (unless ``shuffle=False``) with ``rng`` and takes
        one optimizer step per batch of ``batch_size`` samples. ``verbose=1`` keeps one progress
        line up to date (whole lines every ``print_every`` epochs if given,
        or off a terminal); ``verbose=0`` prints nothing.
        A NaN/inf loss stops training with a
        FloatingPointError naming the epoch and batch; the model keeps its last finite parameters,
        and the error's ``history`` attribute holds the History of the epochs before.

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
        generator = as_generator(rng, where="Model.fit")
        if validation_data is not None:
            X_val, y_val = self._validation_arrays(validation_data)
        k = len(X)
        history = History()
        progress = _progress(epochs, print_every) if verbose else None
        self._prepare_training()  # one flat parameter vector; see "One training step"
        step = self._step
        batches = [(start, start + batch_size) for start in range(0, k, batch_size)]
        y_hat = np.empty_like(y)  # the epoch's predictions, batch by batch, in the shuffled order
        snapshot = self._parameters.copy()
        validation = (X_val, y_val) if validation_data is not None else None
        try:
            for epoch in range(epochs):
                if shuffle:
                    order = generator.permutation(k)
                    X_epoch, y_epoch = X[order], y[order]
                else:
                    X_epoch, y_epoch = X, y
                np.copyto(snapshot, self._parameters)  # the last finite parameters, should this epoch diverge
                self._epoch_state = self._state()  # with the optimizer's state and the random streams
                self._set_training(True)
                for start, stop in batches:
                    y_hat[start:stop] = step(X_epoch[start:stop], y_epoch[start:stop])
                self._set_training(False)  # the validation data meets the whole network
                try:
                    logs = self._check_finite(epoch, y_hat, X_epoch, y_epoch, batches, snapshot, validation, progress)
                except FloatingPointError as error:
                    error.history = history  # the finished epochs' scores: the curve that led up to it
                    raise
                history.append(epoch, logs)
                if progress is not None:
                    progress.update(epoch + 1, logs)
        finally:
            self._set_training(False)  # also after an error or Ctrl+C: predict must never drop units
        if progress is not None:
            progress.close()
        return history

    # docs/implementation/model.md:486
    def _set_training(self, training: bool) -> None:
        """Switch the layers that act differently while training (Dropout) into training or inference mode."""
        for layer in self.layers:
            if hasattr(layer, "training"):
                layer.training = training

    # docs/implementation/model.md:89
    def _scores(self, y_pred: np.ndarray, y_true: np.ndarray) -> dict[str, float]:
        """Overall loss (mean sample loss + regularization) and each metric, for ŷ and y of shape (k, m)."""
        scores = {"loss": self.loss.calculate(y_pred, y_true) + regularization_loss(self.layers)}
        for name in self.metrics:
            scores[name] = METRICS[name](y_pred, y_true)
        return scores

    # docs/implementation/model.md:296
    def _check_finite(self, epoch: int, y_hat, X_epoch, y_epoch, batches, snapshot, validation=None, progress=None):
        """The epoch's logs (with ``val_`` scores if ``validation`` is given) if the losses and parameters are finite;
        otherwise end the progress line, find the batch that broke training and raise. Runs once per epoch."""
        try:
            logs = self._epoch_logs(y_hat, y_epoch)  # see "History and progress"
            if validation is not None:
                X_val, y_val = validation
                for name, value in self._scores(self.forward(X_val), y_val).items():
                    logs["val_" + name] = value
        except ValueError:  # a loss or metric refused NaN/inf predictions, or the loss overflowed
            logs = None
        if logs is not None and math.isfinite(logs["loss"]) and math.isfinite(logs.get("val_loss", 0.0)):
            if np.isfinite(self._parameters).all():
                return logs
        if progress is not None:
            progress.close()  # the error message starts on a line of its own
        self._diverged(epoch, X_epoch, y_epoch, batches, snapshot)

    def _diverged(self, epoch: int, X_epoch: np.ndarray, y_epoch: np.ndarray, batches, snapshot) -> None:
        """Replay the epoch from ``snapshot`` step by step; keep the parameters before the first bad step; raise."""
        parameters = self._parameters
        np.copyto(parameters, snapshot)
        self._set_state(self._epoch_state)
        self._set_training(True)  # the very steps fit took, dropout masks included (fit switches it off again)
        for number, (start, stop) in enumerate(batches, start=1):  # noqa: B007 (the error names it)
            np.copyto(snapshot, parameters)  # the parameters before this step
            state = self._state()  # and the optimizer's state and the random streams
            y_true = y_epoch[start:stop]
            penalty = regularization_loss(self.layers)  # of the parameters before the step
            try:
                loss = self.loss.calculate(self._step(X_epoch[start:stop], y_true), y_true) + penalty
            except ValueError:  # the loss refused NaN/inf predictions
                loss = math.nan
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
        raise FloatingPointError(
            f"training diverged at epoch {epoch + 1}, batch {number} of {len(batches)}: {problem}. "
            f"The model keeps its parameters from before that batch; "
            f"try a smaller learning rate (this one is {getattr(self.optimizer, 'learning_rate', '?')})"
        )

    # docs/implementation/model.md:252
    def _state(self) -> tuple:
        """What a training step changes besides the parameters, as copies: the optimizer's state
        (None if it has no state method) and the random streams of the layers
        that have one (Dropout)."""
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

    # docs/implementation/saving.md:88
    def config(self) -> dict:
        """The architecture as JSON-ready data: layers, loss, optimizer and metrics."""
        return {
            "layers": [_layer_config(layer) for layer in self.layers],
            "loss": type(self.loss).__name__,
            "optimizer": _optimizer_config(self.optimizer),
            "metrics": list(self.metrics),
        }

    # docs/implementation/saving.md:114
    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and parameters to ``path`` as an .npz file, atomically (temp file, then rename)."""
        arrays = {
            "format_version": np.array(FORMAT_VERSION),
            "architecture": np.array(json.dumps(self.config())),  # a unicode array, no pickle needed
        }
        for i, layer in enumerate(self.layers):
            if hasattr(layer, "weights"):
                arrays[f"layer{i}.weights"] = layer.weights
                arrays[f"layer{i}.biases"] = layer.biases
        arrays.update(self._training_state_arrays())  # see "resuming" below
        path = os.fspath(path)
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

    # docs/implementation/saving.md:278
    @classmethod
    def load(cls, path: str | os.PathLike) -> "Model":
        """Rebuild a model saved by ``save``; never unpickles. A damaged or foreign file raises ValueError.

        >>> import tempfile
        >>> model = Model([Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=1)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     model.save(os.path.join(folder, "model.npz"))
        ...     again = Model.load(os.path.join(folder, "model.npz"))
        >>> all(np.array_equal(a.weights, b.weights) for a, b in zip(model.trainable, again.trainable))
        True
        """
        try:
            arrays = _read_arrays(path)
            _check_version(arrays)
            training_state = _pop_training_state(arrays)  # see "resuming"
            architecture = arrays["architecture"]
            if not (architecture.shape == () and architecture.dtype.kind == "U"):
                raise ValueError(f"the architecture is not one JSON string: {architecture.dtype} {architecture.shape}")
            config = json.loads(str(architecture))
            if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
                raise ValueError("the architecture has no list of layers")
            optimizer = dict(config["optimizer"])
            if config["loss"] not in LOSSES or optimizer.get("type") not in OPTIMIZERS:
                raise ValueError(f"unknown loss {config['loss']!r} or optimizer {optimizer.get('type')!r}")
            model = cls(
                _build_layers(config, arrays),
                loss=LOSSES[config["loss"]](),
                optimizer=OPTIMIZERS[optimizer.pop("type")](**optimizer),
                metrics=config["metrics"],
            )
            model._set_training_state(training_state)
            return model
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            # One message for every problem: which file, and what is wrong with it.
            problem = f"no {error}" if isinstance(error, KeyError) else str(error)
            raise ValueError(f"Model.load cannot use {os.fspath(path)!r}: {problem}") from None

    # docs/implementation/saving.md:393
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

    # docs/implementation/saving.md:484
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

    # docs/classification/accuracy.md:405
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

    # docs/implementation/model.md:687
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


# docs/implementation/feed-forward.md:194
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
    for index, layer in enumerate(layers):
        is_class = isinstance(layer, type)
        has_forward = callable(getattr(layer, "forward", None))
        if is_class or not (has_forward and hasattr(layer, "backward")):
            hint = f": call it, {layer.__name__}()" if is_class else ""
            expected = "layers with forward and backward methods"
            got = f"layer {index} is {layer!r} ({type(layer).__name__}){hint}"
            raise TypeError(f"Model expects {expected}; {got}")
        if not hasattr(layer, "weights"):
            if hasattr(layer, "input_shape"):  # Flatten: a new width out
                n_inputs = n_inputs if fixed else layer.input_shape
                fixed, width = True, None
            continue  # an activation keeps the width
        n, m = layer.weights.shape[-2:]  # Dense (n, m); Conv1D (K, n, m)
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
    if dtype is None:  # no Dense layer
        dtype = np.dtype(np.float64)
    return n_inputs, width, dtype


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


# docs/implementation/model.md:62
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


# docs/implementation/model.md:135
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


# docs/implementation/model.md:412
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
        values = _format_logs(logs)
        line = f"epoch {epoch}/{self.epochs}  {values}  {now - self.start:.1f}s"
        # Pad with spaces so a shorter line fully covers the previous one.
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


# docs/implementation/model.md:680
def _has_penalty(layers: list) -> bool:
    """Whether any layer has an L1 or L2 factor set (see Loss functions)."""
    names = ("weight_l1", "weight_l2", "bias_l1", "bias_l2")
    return any(getattr(layer, name, 0) for layer in layers for name in names)


# docs/implementation/model.md:744
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


# docs/implementation/saving.md:54
FORMAT_VERSION = 2  # 2 adds the training state; 1 still loads

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


# docs/implementation/saving.md:195
def _read_arrays(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every member of the .npz file at ``path``, read without pickle; a damaged file raises ValueError."""
    with open(path, "rb") as file:  # a missing file stays a FileNotFoundError
        if not zipfile.is_zipfile(file):
            raise ValueError("not an .npz (zip) archive: truncated, corrupted, or not written by Model.save")
        file.seek(0)
        try:
            with np.load(file, allow_pickle=False) as data:
                return {name: data[name] for name in data.files}
        except ValueError as error:
            if "pickle" in str(error):
                raise ValueError("it holds pickled Python objects; nnbook never loads them") from None
            raise ValueError(f"corrupted ({error})") from None
        except (OSError, EOFError, KeyError, zipfile.BadZipFile) as error:
            raise ValueError(f"corrupted: cannot read its arrays ({error})") from None


# docs/implementation/saving.md:222
def _check_version(arrays: dict) -> None:
    """Raise unless the file is an nnbook model file in a format this nnbook reads."""
    missing = [key for key in ("format_version", "architecture") if key not in arrays]
    if missing:
        found = ", ".join(sorted(arrays)) or "nothing"
        raise ValueError(f"not an nnbook model file: no {' or '.join(missing)} (it holds: {found})")
    version = arrays["format_version"]
    if not (isinstance(version, np.ndarray) and version.shape == () and version.dtype.kind in "iu"):
        raise ValueError(f"format_version must be one integer; got {version!r}")
    if int(version) > FORMAT_VERSION:
        raise ValueError(f"written in format {int(version)} by a newer nnbook; this one reads format {FORMAT_VERSION}")
    if int(version) not in (1, FORMAT_VERSION):
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


def _build_layers(config: dict, arrays: dict) -> list:
    """The layers the architecture describes, with the file's parameters in place."""
    layers, used = [], {"format_version", "architecture"}
    for i, spec in enumerate(config["layers"]):
        spec = dict(spec)
        kind = spec.pop("type", None)
        if kind not in LAYERS:
            raise ValueError(f"layer {i} has unknown type {kind!r} (known: {sorted(LAYERS)})")
        # Each layer checks its own settings (Dense: sizes, dtype, penalties).
        if kind == "Dense":
            layer = Dense(**spec, rng=0)
        else:
            layer = LAYERS[kind](**spec)
        if not hasattr(layer, "weights"):
            layers.append(layer)
            continue
        shape, dtype = layer.weights.shape, layer.weights.dtype.name
        layer.weights = _parameter(arrays, f"layer{i}.weights", shape, dtype)
        biases = _parameter(arrays, f"layer{i}.biases", shape[-1:], dtype)
        layer.biases = biases
        used |= {f"layer{i}.weights", f"layer{i}.biases"}
        layers.append(layer)
    if set(arrays) - used:
        raise ValueError(f"arrays {sorted(set(arrays) - used)} belong to no layer of the architecture")
    return layers


# docs/implementation/saving.md:542
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


# docs/implementation/saving.md:563
OPTIMIZERS.update({"AdaGrad": AdaGrad, "RMSprop": RMSprop})


# docs/classification/accuracy.md:343
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
    "OPTIMIZERS",
    "History",
    "Model",
]
