# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/feed-forward.md
#   docs/implementation/feed-backward.md
#   docs/implementation/model.md
#   docs/implementation/prediction.md
#   docs/implementation/evaluation.md
#   docs/implementation/saving.md
# Edit the chapters, then run `make tangle`.

"""The Model: a list of layers, a loss and an optimizer, trained and used as one network."""

import contextlib
import json
import math
import os
import sys
import tempfile
import time

import numpy as np

from nnbook.activations import Linear, ReLU
from nnbook.layers import Dense
from nnbook.losses import MeanAbsoluteError, MeanSquaredError, regularization_loss
from nnbook.metrics import METRICS
from nnbook.optimizers import SGD


class Model:
    """A feed-forward network: ``layers`` applied in order, trained with ``loss`` and ``optimizer``.

    ``metrics`` names entries of ``nnbook.metrics.METRICS`` that ``fit`` and ``evaluate`` report.

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
        metrics: tuple[str, ...] | list[str] = ("mae", "r2"),
    ) -> None:
        self.layers = list(layers)
        self.loss = loss if loss is not None else MeanSquaredError()
        self.optimizer = optimizer if optimizer is not None else SGD()
        self.metrics = tuple(metrics)
        unknown = [name for name in self.metrics if name not in METRICS]
        if unknown:
            raise ValueError(f"unknown metrics {unknown}; known: {sorted(METRICS)}")
        # Only layers with parameters take part in the optimizer's update.
        self.trainable = [layer for layer in self.layers if hasattr(layer, "weights")]
        self.dtype = self.trainable[0].weights.dtype if self.trainable else np.dtype(np.float64)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """X (k, n) -> ŷ (k, m): each layer's output is the next layer's input."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def _as_arrays(self, X, y=None):
        """Bring the data to the model's dtype once per call: X (k, n) and, if given, y (k, m)."""
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2:
            raise ValueError(f"Model expects X of shape (k, n); got {X.shape}")
        if y is None:
            return X
        y = np.asarray(y, dtype=self.dtype)
        if y.ndim != 2 or len(y) != len(X):
            hint = ": y is 1-D; use y.reshape(-1, 1)" if y.ndim == 1 else ""
            raise ValueError(f"Model expects y of shape (k, m) with k = {len(X)} like X; got {y.shape}{hint}")
        return X, y

    def backward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """Backpropagate the loss of ``y_pred`` (k, m); sets every Dense layer's ``dweights``/``dbiases``.

        Returns dL/dX, shape (k, n). Call it right after ``forward`` on the same batch.
        """
        dvalues = self.loss.backward(y_pred, y_true)
        for layer in reversed(self.layers):
            dvalues = layer.backward(dvalues)
        return dvalues

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
        line up to date; ``verbose=0`` prints nothing. A nan/inf loss stops training with an error.

        >>> X = np.linspace(0, 1, 64).reshape(-1, 1)
        >>> model = Model([Dense(1, 1, rng=0)], optimizer=SGD(0.1))
        >>> history = model.fit(X, 2 * X, epochs=3, verbose=0, rng=0)
        >>> losses = history.history["loss"]
        >>> len(losses), losses[-1] < losses[0]
        (3, True)
        """
        X, y = self._as_arrays(X, y)
        if validation_data is not None:
            X_val, y_val = self._as_arrays(*validation_data)
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        k = len(X)
        generator = np.random.default_rng(rng)
        history = History()
        progress = _Progress(epochs) if verbose else None
        forward, backward, update, trainable = self.forward, self.backward, self.optimizer.update, self.trainable
        batches = [(start, start + batch_size) for start in range(0, k, batch_size)]
        y_hat = np.empty_like(y)  # the epoch's predictions, batch by batch, in the shuffled order
        for epoch in range(epochs):
            if shuffle:
                order = generator.permutation(k)
                X_epoch, y_epoch = X[order], y[order]
            else:
                X_epoch, y_epoch = X, y
            for start, stop in batches:
                batch_pred = forward(X_epoch[start:stop])
                y_hat[start:stop] = batch_pred
                backward(batch_pred, y_epoch[start:stop])
                for layer in trainable:
                    update(layer)
            logs = self._scores(y_hat, y_epoch)
            if validation_data is not None:
                for name, value in self._scores(self.forward(X_val), y_val).items():
                    logs["val_" + name] = value
            history.append(epoch, logs)
            self._check_finite(epoch, logs)
            if progress is not None:
                progress.update(epoch + 1, logs)
        if progress is not None:
            progress.close()
        return history

    def _scores(self, y_pred: np.ndarray, y_true: np.ndarray) -> dict[str, float]:
        """Overall loss (mean sample loss + regularization) and each metric, for ŷ and y of shape (k, m)."""
        scores = {"loss": self.loss.calculate(y_pred, y_true) + regularization_loss(self.layers)}
        for name in self.metrics:
            scores[name] = METRICS[name](y_pred, y_true)
        return scores

    def _check_finite(self, epoch: int, logs: dict[str, float]) -> None:
        """Stop training once the epoch's loss is nan or inf (called by ``fit`` after every epoch)."""
        if not math.isfinite(logs["loss"]):
            raise FloatingPointError(
                f"training diverged at epoch {epoch + 1}: the loss is {logs['loss']}; try a smaller learning rate"
            )

    def predict(self, X: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """Predictions ŷ (k, m) for inputs X (k, n); ``batch_size`` rows at a time if given.

        >>> model = Model([Dense(1, 4, rng=0), ReLU(), Dense(4, 2, rng=1)])
        >>> model.predict(np.zeros((5, 1)), batch_size=2).shape
        (5, 2)
        """
        X = self._as_arrays(X)
        k = len(X)
        if batch_size is None or batch_size >= k:
            return self.forward(X)
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer or None, got {batch_size}")
        first = self.forward(X[:batch_size])
        y_pred = np.empty((k, first.shape[1]), dtype=first.dtype)
        y_pred[:batch_size] = first
        for start in range(batch_size, k, batch_size):
            y_pred[start : start + batch_size] = self.forward(X[start : start + batch_size])
        return y_pred

    def evaluate(self, X: np.ndarray, y: np.ndarray, batch_size: int | None = None) -> dict[str, float]:
        """Scores on X (k, n), y (k, m): ``{"loss": ..., "mae": ..., "r2": ...}`` (one entry per metric).

        >>> model = Model([Dense(1, 1, rng=0)])
        >>> model.evaluate(np.zeros((3, 1)), np.ones((3, 1)))
        {'loss': 1.0, 'mae': 1.0, 'r2': 0.0}
        """
        X, y = self._as_arrays(X, y)
        return self._scores(self.predict(X, batch_size=batch_size), y)

    def config(self) -> dict:
        """The architecture as JSON-ready data: layers, loss, optimizer and metrics."""
        return {
            "layers": [_layer_config(layer) for layer in self.layers],
            "loss": type(self.loss).__name__,
            "optimizer": {"type": type(self.optimizer).__name__, "learning_rate": self.optimizer.learning_rate},
            "metrics": list(self.metrics),
        }

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
        path = os.fspath(path)
        # The temporary file must be in the same directory: os.replace is atomic only within one file system.
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=os.path.dirname(os.path.abspath(path)))
        try:
            with os.fdopen(fd, "wb") as file:
                np.savez(file, **arrays)
                file.flush()
                os.fsync(file.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Model":
        """Rebuild a model saved by ``save``; never unpickles anything.

        >>> import tempfile
        >>> model = Model([Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=1)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     model.save(os.path.join(folder, "model.npz"))
        ...     again = Model.load(os.path.join(folder, "model.npz"))
        >>> all(np.array_equal(a.weights, b.weights) for a, b in zip(model.trainable, again.trainable))
        True
        """
        with np.load(path, allow_pickle=False) as data:
            version = int(data["format_version"])
            if version != FORMAT_VERSION:
                raise ValueError(f"{path}: model file format {version}, this nnbook reads format {FORMAT_VERSION}")
            config = json.loads(str(data["architecture"]))
            layers = []
            for i, spec in enumerate(config["layers"]):
                kind = spec.pop("type")
                if kind not in LAYERS:
                    raise ValueError(f"{path}: unknown layer type {kind!r} (known: {sorted(LAYERS)})")
                if kind == "Dense":
                    layer = Dense(**spec, rng=0)
                    layer.weights, layer.biases = data[f"layer{i}.weights"], data[f"layer{i}.biases"]
                else:
                    layer = LAYERS[kind](**spec)
                layers.append(layer)
        optimizer = dict(config["optimizer"])
        return cls(
            layers,
            loss=LOSSES[config["loss"]](),
            optimizer=OPTIMIZERS[optimizer.pop("type")](**optimizer),
            metrics=config["metrics"],
        )


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


FORMAT_VERSION = 1

# The only classes a model file can name; load() instantiates nothing else.
LAYERS = {"Dense": Dense, "ReLU": ReLU, "Linear": Linear}
LOSSES = {"MeanSquaredError": MeanSquaredError, "MeanAbsoluteError": MeanAbsoluteError}
OPTIMIZERS = {"SGD": SGD}


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
    return config
