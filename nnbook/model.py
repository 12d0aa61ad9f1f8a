# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/feed-forward.md
#   docs/implementation/feed-backward.md
#   docs/implementation/model.md
#   docs/implementation/prediction.md
#   docs/implementation/evaluation.md
#   docs/classification/accuracy.md
#   docs/implementation/training.md
#   docs/implementation/errors.md
#   docs/implementation/saving.md
#   docs/implementation/conventions.md
#   docs/reference/from-nnfs.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/feed-forward.md:187
"""The Model: layers, a loss and an optimizer, trained and used as one."""

import numpy as np

from nnbook.activations import ReLU  # noqa: F401 (the doctests use it)
from nnbook.layers import Dense  # noqa: F401 (the doctests use it)
from nnbook.losses import Loss, MeanSquaredError, regularization_loss
from nnbook.metrics import METRICS, metric_for
from nnbook.optimizers import SGD
from nnbook.protocol import Stateful, Switchable, parameter_names
from nnbook.protocol import check_layers, check_parts

# docs/classification/accuracy.md:533
from nnbook import classify

# docs/implementation/training.md:68
from nnbook.history import History, progress_printer
from nnbook.training import Batches, Plan, check_epoch, put_state, take_state
from nnbook.training import WholeSteps, call_hooks

# docs/implementation/errors.md:2108
import contextlib
import math
import weakref

from nnbook.boundary import guard
from nnbook.checks import as_generator, as_layer_list, check_data
from nnbook.conv import (
    AvgPool1D,
    AvgPool2D,
    Conv1D,
    Conv2D,
    Flatten,
    MaxPool1D,
    MaxPool2D,
)
from nnbook.protocol import describe
from nnbook.checks import check_flag, check_metrics, check_positive_int
from nnbook.checks import check_validation_data
from nnbook.training import check_targets

# docs/implementation/saving.md:223
import os

from nnbook import saving

# docs/implementation/conventions.md:318
from nnbook import conventions


# docs/implementation/feed-forward.md:201
class Model:
    """A feed-forward network: ``layers`` applied in order.

    ``loss`` and ``optimizer`` train it (None: MeanSquaredError and SGD,
    noted in ``defaulted``). ``metrics`` names entries of
    ``nnbook.metrics.METRICS`` that ``fit`` and ``evaluate`` report; None
    picks the loss's ``default_metrics`` (MAE and R² for regression,
    accuracy for classification). ``"accuracy"`` means the loss's own
    accuracy (``metric_for``).

    >>> layers = [Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=1)]
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
        # docs/implementation/errors.md:2139
        layers = as_layer_list(layers, where="Model")
        # docs/implementation/feed-forward.md:226
        layers = list(layers)
        n_inputs, n_outputs, dtype = check_layers(layers)
        # What the caller left out: the repr and the summary say so
        parts = {"loss": loss, "optimizer": optimizer}
        self.defaulted = tuple(name for name in parts if parts[name] is None)
        loss = loss if loss is not None else MeanSquaredError()
        optimizer = optimizer if optimizer is not None else SGD()
        check_parts(loss, optimizer)
        if hasattr(loss, "check_network"):  # a loss that needs a certain end
            loss.check_network(layers)
        if metrics is None:  # a loss of your own may lack default_metrics
            metrics = getattr(loss, "default_metrics", Loss.default_metrics)
        # docs/implementation/errors.md:2143
        metrics = check_metrics(metrics, METRICS, where="Model")
        # docs/implementation/feed-forward.md:239
        self.layers, self.loss, self.optimizer = layers, loss, optimizer
        self.metrics = tuple(metrics)
        # Each name's function: "accuracy" means what the loss says it means
        self.metric_functions = {m: metric_for(m, loss) for m in metrics}
        # Only layers with parameters take part in the optimizer's update.
        self.trainable = [lay for lay in layers if parameter_names(lay)]
        # Asked once, here, and never in a step (see the layer protocol)
        self._switchable = [la for la in layers if isinstance(la, Switchable)]
        self._stateful = [la for la in layers if isinstance(la, Stateful)]
        self._optimizer_stateful = isinstance(optimizer, Stateful)
        # The data must have n_inputs columns and the targets n_outputs
        # (None: any width, when there is no Dense layer).
        self.n_inputs, self.n_outputs, self.dtype = n_inputs, n_outputs, dtype

    def forward(self, X: np.ndarray) -> np.ndarray:
        """X (k, n) -> ŷ (k, m): each layer's output feeds the next one."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def _as_arrays(self, X, y=None, *, where: str = "Model", targets=False):
        """Check and convert X (k, n) and y (k, m) (if ``targets``, required).

        Both come back in the model's dtype. O(k (n + m)): shapes against
        the network's widths, equal sample counts, NaN and inf.
        """
        if targets and y is None:
            got = "expects targets y of shape (k, m); got None"
            raise TypeError(f"{where} {got}")
        # docs/classification/accuracy.md:538
        y = classify.labels_to_targets(self, y, where=where)
        # docs/implementation/errors.md:2147
        widths = {"n_features": self.n_inputs, "n_outputs": self.n_outputs}
        X, y = check_data(X, y, **widths, dtype=self.dtype, where=where)
        # docs/implementation/feed-forward.md:270
        X = np.asarray(X, dtype=self.dtype)  # checked: no copy
        if y is not None:
            y = np.asarray(y, dtype=self.dtype)
        return X if y is None else (X, y)

    def _checked_batch_size(self, batch_size, *, where: str):
        """``predict``'s and ``evaluate``'s batch_size, checked."""
        # docs/implementation/errors.md:2152
        if batch_size is not None:
            batch_size = check_positive_int(batch_size, "batch_size", where=where)
        # docs/implementation/feed-forward.md:278
        return batch_size

    # docs/implementation/feed-backward.md:33
    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Backpropagate the loss of ``y_pred`` (k, m) through every layer.

        Sets each Dense layer's ``dweights`` and ``dbiases`` and returns dC/dX,
        shape (k, n). Call it right after ``forward`` on the same batch.
        """
        dvalues = self.loss.backward(y_pred, y_true)
        for layer in reversed(self.layers):
            dvalues = layer.backward(dvalues)
        return dvalues

    # docs/implementation/training.md:75
    # What a model keeps between two calls of fit (see "Resuming" and
    # "Callbacks"): its shuffle stream, its epoch count, and the stop flag.
    shuffle_rng: np.random.Generator | None = None
    epochs_trained: int = 0
    stop_training: bool = False

    # Overflow is expected when training diverges; check_epoch reports it.
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
        callbacks: list | None = None,
    ) -> "History":
        """Train with mini-batch gradient descent on X (k, n) and y (k, m).

        Each epoch shuffles the k samples (unless ``shuffle=False``) with the
        model's own stream, which ``rng`` seeds and which a fit without ``rng``
        continues, and takes one optimizer step per batch of ``batch_size``
        samples. ``verbose=1`` keeps one progress line up to date (whole lines
        every ``print_every`` epochs if given, or off a terminal); ``verbose=2``
        prints one line per epoch; ``verbose=0`` prints nothing. After each
        epoch, each of ``callbacks`` gets ``on_epoch_end(model, epoch, logs)``;
        one that sets ``model.stop_training = True`` ends training after that
        epoch. Returns the History; its epochs count on from
        ``model.epochs_trained``. A NaN/inf loss stops training with a
        FloatingPointError naming the epoch and batch; the model keeps its last
        finite parameters, and the error's ``history`` attribute holds the
        History of the epochs before. Any other exception leaves the model as it
        was before the call (Ctrl+C excepted: it keeps the steps taken).

        >>> X = np.linspace(0, 1, 64).reshape(-1, 1)
        >>> model = Model([Dense(1, 1, rng=0)], optimizer=SGD(0.1))
        >>> history = model.fit(X, 2 * X, epochs=3, verbose=0, rng=0)
        >>> losses = history.history["loss"]
        >>> len(losses), losses[-1] < losses[0]
        (3, True)
        """
        # fit is a public entry point: its arguments are checked where they
        # come in, before this line (the boundary of Part V); a refused call
        # changes nothing.
        X, y = np.asarray(X), np.asarray(y)
        validation = None
        if validation_data is not None:
            validation = tuple(np.asarray(part) for part in validation_data)
        callbacks = list(callbacks) if callbacks is not None else []
        # The stream and the count as they were, for an error to put back
        streams = self.shuffle_rng, self.epochs_trained
        if rng is not None or self.shuffle_rng is None:
            self.shuffle_rng = np.random.default_rng(rng)  # a Generator: itself
        generator = self.shuffle_rng
        stream_state = generator.bit_generator.state  # a copy
        first = self.epochs_trained  # History numbers the model's epochs
        self.stop_training = False
        history = History()
        progress = None
        if verbose:  # 1: a live line, or whole lines off a terminal; 2: each epoch
            progress = progress_printer(epochs, print_every, verbose=verbose)
        # One flat parameter vector and the calls of a step: see "The plan"
        plan = Plan(self)
        # Batches gathered into reused arrays: see "Batches without copies"
        batches = Batches(X, y, batch_size, bool(shuffle), generator)
        # The epoch's predictions, batch by batch, in the shuffled order
        y_hat = np.empty_like(y)
        snapshot = plan.parameters.copy()
        # To undo any other error. Until the first epoch ends, its snapshot
        # holds the very same values, so the two share one array: a one-epoch
        # fit of a large network keeps one copy, not two.
        before = snapshot, self._state()
        divergence = None
        interrupted = WholeSteps()  # Ctrl+C waits for the step under way
        try:
            call_hooks(callbacks, "on_train_begin", self)
            for epoch in range(epochs):
                batches.new_epoch()  # a permutation of the k rows, if shuffle
                inputs, y_epoch = batches.inputs, batches.y_epoch
                if epoch == 1:  # the snapshot moves on; the copy on entry stays
                    snapshot = np.empty_like(snapshot)
                # The last finite parameters, should this epoch diverge, with
                # the optimizer's state and the random streams
                np.copyto(snapshot, plan.parameters)
                plan.epoch_state = self._state()
                self._set_training(True)
                for start, stop in batches.ranges:
                    X_batch, y_batch = inputs(start, stop), y_epoch[start:stop]
                    y_hat[start:stop] = plan.step(X_batch, y_batch)
                    if interrupted():  # between two steps, never inside one
                        raise KeyboardInterrupt
                # The validation data meets the whole network
                self._set_training(False)
                epoch_data = (epoch, y_hat, batches, snapshot)
                try:
                    logs = check_epoch(plan, *epoch_data, validation, progress)
                except FloatingPointError as error:
                    # The finished epochs' scores: the curve that led up to it
                    error.history = history
                    divergence = error
                    raise
                history.append(first + epoch, logs)
                self.epochs_trained = first + epoch + 1
                for callback in callbacks:  # see "Callbacks"
                    callback.on_epoch_end(self, first + epoch, dict(logs))
                if progress is not None:  # the last epoch is always shown
                    progress.update(epoch + 1, logs, last=self.stop_training)
                if self.stop_training:
                    break
            call_hooks(callbacks, "on_train_end", self)
        except Exception as error:
            if error is not divergence:  # any other error: undo the whole call
                np.copyto(plan.parameters, before[0])
                self._set_state(before[1])
                generator.bit_generator.state = stream_state
                self.shuffle_rng, self.epochs_trained = streams
            raise
        finally:
            # Also after an error or Ctrl+C: predict must never drop units
            self._set_training(False)
            interrupted.close()  # Ctrl+C is Python's again
        if progress is not None:
            progress.close()
        return history

    # docs/implementation/model.md:260
    def _set_training(self, training: bool) -> None:
        """Switch the layers with a training flag (Dropout) on or off."""
        for layer in self._switchable:  # the layers with a training flag
            layer.training = training

    # docs/implementation/model.md:221
    def _scores(self, y_pred: np.ndarray, y_true: np.ndarray) -> dict[str, float]:
        """Overall loss (mean sample loss + regularization) and each metric.

        For ŷ and y of shape (k, m).
        """
        data_loss = self.loss.calculate(y_pred, y_true)
        scores = {"loss": data_loss + regularization_loss(self.layers)}
        for name in self.metrics:
            scores[name] = self.metric_functions[name](y_pred, y_true)
        return scores

    # docs/implementation/training.md:503
    def _state(self) -> tuple:
        """The optimizer's state and the random streams (``take_state``)."""
        return take_state(self)

    def _set_state(self, state: tuple) -> None:
        """Put back what ``_state`` returned."""
        put_state(self, state)

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
        batch_size = self._checked_batch_size(batch_size, where=where)
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
        message = f"{where} expects {expected}; {got}: {cause}"
        raise ValueError(f"{message} ({advice} learning rate)")

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
        X, y = self._as_arrays(X, y, where=where, targets=True)
        batch_size = self._checked_batch_size(batch_size, where=where)
        y_pred = self._check_output(self._predict(X, batch_size), where=where)
        return self._scores(y_pred, y)

    # docs/implementation/saving.md:230
    def config(self) -> dict:
        """The architecture as JSON-ready data: layers, loss, optimizer."""
        return saving.model_config(self)

    # docs/implementation/saving.md:317
    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and parameters to ``path`` as an .npz file.

        ``path`` is a path, written atomically (temp file, then rename), or a
        binary file object. A model that ``load`` would refuse is refused
        before anything is written.
        """
        saving.save_model(self, path)

    # docs/implementation/saving.md:786
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
        return saving.load_model(path, cls)

    # docs/implementation/saving.md:1032
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
        saving.check_parameters(self, parameters)  # before any value is written
        pairs = zip(self.trainable, parameters, strict=True)
        for layer, (weights, biases) in pairs:
            np.copyto(layer.weights, weights)  # in place: fit's flat vector too
            np.copyto(layer.biases, biases)

    # docs/classification/accuracy.md:542
    def predict_proba(self, X: np.ndarray, batch_size: int | None = None):
        """Class probabilities for X (k, n): (k, m), or (k, 1) for one sigmoid."""
        return classify.class_probabilities(self, X, batch_size)

    def predict_classes(self, X: np.ndarray, batch_size: int | None = None):
        """Integer class labels (k,): the most probable class, or p > 0.5."""
        return classify.class_labels(self, X, batch_size)

    # docs/reference/from-nnfs.md:56
    def __getattr__(self, name: str):
        """Only for names a Model lacks: a method of nnfs gets a pointer."""
        hints = {
            "train": "fit: model.fit(X, y, epochs=..., batch_size=len(X))",
            "add": "a list: nb.Model([layer, ...], loss=..., optimizer=...)",
            "set": "the constructor: nb.Model(layers, loss=..., optimizer=...)",
            "finalize": "nothing: a Model is ready as soon as it is built",
            "save_parameters": "save: model.save(path) keeps the whole model",
            "load_parameters": "set_parameters, or nb.Model.load(path)",
        }
        if name in hints:
            message = f"nnbook's Model has no {name!r}; use {hints[name]}"
            raise AttributeError(message)
        raise AttributeError(f"'Model' object has no attribute {name!r}")

    # docs/implementation/conventions.md:323
    def __repr__(self) -> str:
        """The call that builds the model; ``(default)`` marks what it chose."""
        return conventions.model_text(self)

    def summary(self, input_shape: tuple | None = None) -> None:
        """Print one row per layer (its output shape, its parameters), totals.

        ``input_shape`` is one sample's shape without the batch axis, e.g.
        ``(40, 1)``; it is needed only when the layers cannot tell it (a
        convolution reads samples of any length).
        """
        print(conventions.summary_text(self, input_shape))

    def count_params(self) -> int:
        """The number of parameters: every layer's arrays, added up."""
        return conventions.count_params(self)


# docs/implementation/errors.md:2166
@np.errstate(over="ignore")  # a cast to float32 may overflow: check_data
# says so, in its own words
def fit_arguments(model: Model, X, y, epochs, batch_size, shuffle,
                  validation_data, verbose, rng, print_every,
                  callbacks):  # fmt: skip
    """The constraint of every argument of ``Model.fit``, checked together."""
    where = "Model.fit"
    X, y = model._as_arrays(X, y, where=where, targets=True)
    epochs = check_positive_int(epochs, "epochs", where=where)
    batch_size = check_positive_int(batch_size, "batch_size", where=where)
    shuffle = bool(check_flag(shuffle, "shuffle", where=where))
    verbose = check_flag(verbose, "verbose", where=where, levels=2)
    if rng is not None:  # None: the model's own stream goes on
        rng = as_generator(rng, where=where)
    for index, layer in enumerate(model.layers):
        if rng is not None and getattr(layer, "rng", None) is rng:
            _shared_stream(f"{where}'s rng", index, layer)
    if print_every is not None:  # whatever verbose says
        name = "print_every"
        print_every = check_positive_int(print_every, name, where=where)
    check_shapes(model, X.shape[1:])
    check_targets(model, y, where=where)
    if validation_data is not None:
        check_validation_data(validation_data, where=where)
        val_where = f"{where} (validation_data)"
        validation_data = model._as_arrays(*validation_data, where=val_where)
        check_targets(model, validation_data[1], where=val_where)
        check_scorable(model, *validation_data, where=val_where)
    callbacks = check_callbacks(callbacks, where=where)
    return (X, y, epochs, batch_size, shuffle, validation_data, verbose, rng,
            print_every, callbacks)  # fmt: skip


def check_callbacks(callbacks, *, where: str) -> list | None:
    """None, or a list of objects that have ``on_epoch_end``."""
    if callbacks is None:
        return None
    expected = f"{where} expects callbacks to be a list of objects with"
    expected += " a method on_epoch_end(model, epoch, logs)"
    if not isinstance(callbacks, (list, tuple)):
        got = type(callbacks).__name__
        raise TypeError(f"{expected}; got {callbacks!r} ({got})")
    for index, callback in enumerate(callbacks):
        if isinstance(callback, type):  # the class, not an object of it
            name = callback.__name__
            message = f"{expected}; callbacks[{index}] is the class {name}"
            raise TypeError(message + f": make one, e.g. {name}()")
        if not callable(getattr(callback, "on_epoch_end", None)):
            name = type(callback).__name__
            got = f"{callback!r} ({name}), which has no on_epoch_end"
            raise TypeError(f"{expected}; callbacks[{index}] is {got}")
    return list(callbacks)


@np.errstate(all="ignore")  # an overflow is what this looks for
def check_scorable(model: Model, X_val, y_val, *, where: str) -> None:
    """Raise unless the network as it is scores the validation data.

    Finite, but huge, inputs can overflow the loss before any step: that is
    a problem of the data, not a training that diverged, so it is refused
    here, before the first step, with the model as it was.
    """
    y_pred = model.forward(X_val)  # once, O(k n): as cheap as check_data
    try:
        loss = model.loss.calculate(y_pred, y_val)
    except ValueError:  # the loss's overflow guard
        loss = math.inf
    if np.isfinite(y_pred).all() and math.isfinite(loss):
        return
    largest = float(np.abs(X_val).max())
    problem = "before any step, its loss is not a finite number"
    hint = f"the largest |X_val| is {largest:.3g}: scale it as the training X"
    raise ValueError(f"{where} cannot be scored: {problem} ({hint})")


def check_shapes(model: Model, shape: tuple) -> None:
    """The shape pass: one sample's shape through every layer, before a step.

    Dense and the convolutions say what they read, Flatten makes one axis of
    all, a pooling layer shrinks the spatial axes, every other layer without
    parameters keeps the shape. A layer with parameters of another kind
    ends the pass: its forward will judge.
    """
    source = None  # (index, layer) that outputs ``shape``
    for index, layer in enumerate(model.layers):
        weights = getattr(layer, "weights", None)  # None: no parameters
        if isinstance(layer, Flatten):
            shape = (math.prod(shape),)
        elif isinstance(layer, (Conv1D, Conv2D)):
            c_in = layer.weights.shape[-2]
            if len(shape) != layer.ndim + 1 or shape[-1] != c_in:
                wanted = f"{layer.ndim} axes and {c_in} channels per sample"
                _misfit(index, layer, wanted, source, shape)
            _check_fits(index, layer, source, shape)
            shape = (*layer.output_size(shape[:-1]), layer.weights.shape[-1])
        elif isinstance(layer, (MaxPool1D, AvgPool1D, MaxPool2D, AvgPool2D)):
            if len(shape) != layer.ndim + 1:
                wanted = f"{layer.ndim} axes and the channels per sample"
                _misfit(index, layer, wanted, source, shape)
            _check_fits(index, layer, source, shape)
            shape = (*layer.output_size(shape[:-1]), shape[-1])
        elif isinstance(weights, np.ndarray) and weights.ndim == 2:
            if shape != weights.shape[:1]:
                wanted = f"{weights.shape[0]} inputs"
                _misfit(index, layer, wanted, source, shape)
            shape = weights.shape[1:]
        elif parameter_names(layer):
            return
        source = (index, layer)


def _check_fits(index: int, layer, source, shape: tuple) -> None:
    """Raise unless a window of ``layer`` fits in a sample of ``shape``."""
    if min(layer.output_size(shape[:-1])) >= 1:
        return
    window = getattr(layer, "kernel_size", getattr(layer, "pool_size", ()))
    this = f"{describe(index, layer)} has windows of {window}"
    before = f"{describe(*source)} before it" if source else "the data"
    came = f"{before} outputs {shape} per sample"
    problem = f"{this}, but {came}: no window fits"
    raise ValueError(f"Model layers do not fit together: {problem}")


def _misfit(index: int, layer, wanted: str, source, shape: tuple) -> None:
    """Raise: the layer at ``index`` does not read what comes before it."""
    this = f"{describe(index, layer)} expects {wanted}"
    if len(shape) == 1:
        came = f"outputs {shape[0]}"
    else:
        came = f"outputs {shape} per sample (a Flatten between them?)"
    before = f"{describe(*source)} before it" if source else "the data"
    problem = f"{this}, but {before} {came}; make them equal"
    raise ValueError(f"Model layers do not fit together: {problem}")


FIT = ("X", "y", "epochs", "batch_size", "shuffle", "validation_data",
       "verbose", "rng", "print_every", "callbacks")  # fmt: skip


def own_streams(model: Model, layers):
    """The constraint of the layer list: no two layers share a Generator."""
    if not isinstance(layers, (list, tuple)):
        return layers  # as_layer_list says what a layer list is
    seen: dict[int, int] = {}
    for index, layer in enumerate(layers):
        stream = getattr(layer, "rng", None)  # Dropout's random stream
        if isinstance(stream, np.random.Generator):
            first = seen.setdefault(id(stream), index)
            if first != index:
                _shared_stream(f"layer {first}'s rng", index, layer)
    return layers


def _shared_stream(what: str, index: int, layer) -> None:
    """Raise: two parts draw from one Generator, which a file cannot keep."""
    name = type(layer).__name__
    message = f"Model expects every random stream to be its own; {what} is"
    message += f" also layer {index}'s ({name}): a saved model keeps each"
    message += " stream apart, so save -> load -> fit would differ from"
    message += " never stopping. Give each its own seed, e.g."
    message += f" {name}(..., rng=1)"
    raise ValueError(message)


# optimizer -> the model it serves (weakly: a model that is gone frees it)
_SERVES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def own_optimizer(model: Model, optimizer):
    """The constraint of the optimizer: not one another model uses."""
    try:
        other = _SERVES.get(optimizer)
    except TypeError:  # an optimizer of your own that cannot be a weak key
        return optimizer
    if other is not None and other() is not None:
        name = type(optimizer).__name__
        message = f"Model got the {name} object that another Model uses; an"
        message += " optimizer keeps its state (step counts, moments) for"
        message += f" one model's parameters: make a new one, e.g. {name}()"
        raise ValueError(message)
    return optimizer


def serve(model: Model, result, arguments) -> None:
    """After the constructor: note which model the optimizer serves."""
    with contextlib.suppress(TypeError):
        _SERVES[model.optimizer] = weakref.ref(model)


guard(Model, {
    "__init__": {
        "layers": own_streams,
        "optimizer": own_optimizer,
        "return": serve,
    },
    "fit": {FIT: fit_arguments},
})  # fmt: skip


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "FIT",
    "Model",
    "check_callbacks",
    "check_scorable",
    "check_shapes",
    "fit_arguments",
    "own_optimizer",
    "own_streams",
    "serve",
]
