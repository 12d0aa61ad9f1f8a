# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/training.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/training.md:242
"""What the training steps run on, and the guard that watches them.

The plan of a fit (one flat parameter vector and the calls of a step), the
batches of an epoch, its logs, and the replay of an epoch that diverged.
"""

import contextlib
import inspect
import math
import signal
import threading

import numpy as np

from nnbook.losses import regularization_loss
from nnbook.protocol import parameter_names

# docs/implementation/errors.md:2131
from nnbook.checks import LossOverflowError


# docs/implementation/training.md:262
class Plan:
    """One training run of ``model``: its parameters packed, its step.

    ``parameters`` (p,) holds every parameter array of the network, which
    become views into it; ``step`` runs forward, backward and one optimizer
    step through the public methods of the layers, the loss and the
    optimizer.
    """

    def __init__(self, model) -> None:
        self.model, self.layers = model, model.layers
        self.loss, self.optimizer = model.loss, model.optimizer
        trainable = model.trainable
        arrays = [(la, n) for la in trainable for n in parameter_names(la)]
        size = sum(getattr(layer, name).size for layer, name in arrays)
        self.parameters = np.empty(size, dtype=model.dtype)
        self.gradients = np.zeros(size, dtype=model.dtype)
        start, self.gradient_views = 0, []
        for layer, name in arrays:
            value = getattr(layer, name)
            stop = start + value.size
            view = self.parameters[start:stop].reshape(value.shape)
            view[...] = value
            setattr(layer, name, view)  # the layer's array is now a view
            gradient = self.gradients[start:stop].reshape(value.shape)
            self.gradient_views.append((layer, "d" + name, gradient))
            start = stop
        layers = self.layers
        index = next(
            (i for i, la in enumerate(layers) if parameter_names(la)),
            len(layers),
        )
        # Backward runs from the last layer down to the first trainable one.
        self.backward_layers = layers[index + 1 :][::-1]
        self.first = layers[index] if index < len(layers) else None
        # Dense and the convolutions can skip dinputs, which nobody reads
        backward = self.first.backward if self.first else None
        keywords = inspect.signature(backward).parameters if backward else {}
        self.skip_input_gradient = "input_gradient" in keywords
        self.penalized = _has_penalty(layers)  # see "History and progress"
        self.penalty_sum = 0.0
        self.epoch_state: tuple | None = None  # at the start of the epoch

    def step(self, X_batch: np.ndarray, y_batch: np.ndarray) -> np.ndarray:
        """One step of gradient descent on X (B, n), y (B, m); returns ŷ."""
        if self.penalized:  # the penalty before the step, as the loss of ŷ
            self.penalty_sum += regularization_loss(self.layers) * len(X_batch)
        outputs = X_batch
        for layer in self.layers:
            outputs = layer.forward(outputs)
        dvalues = self.loss.backward(outputs, y_batch)
        for layer in self.backward_layers:
            dvalues = layer.backward(dvalues)
        if self.first is None:  # no parameters: nothing to learn
            return outputs
        if self.skip_input_gradient:
            self.first.backward(dvalues, input_gradient=False)
        else:
            self.first.backward(dvalues)
        views = self.gradient_views
        pieces = [getattr(layer, d).ravel() for layer, d, _ in views]
        np.concatenate(pieces, out=self.gradients)
        for layer, d, view in views:  # the layers' own arrays can go now
            setattr(layer, d, view)
        theta, gradient = {"flat": self.parameters}, {"flat": self.gradients}
        self.optimizer.step(theta, gradient)
        return outputs


# docs/implementation/training.md:380
class Batches:
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


# docs/implementation/training.md:481
def take_state(model) -> tuple:
    """What a training step changes besides the parameters, as copies.

    The optimizer's state (None if it has no ``state``) and the random
    streams of the layers that have one (Dropout).
    """
    stateful = model._optimizer_stateful  # see the layer protocol
    optimizer = model.optimizer.state() if stateful else None
    return optimizer, [layer.state() for layer in model._stateful]


def put_state(model, state: tuple) -> None:
    """Put back what ``take_state`` returned."""
    optimizer, layer_states = state
    if optimizer is not None:
        model.optimizer.set_state(optimizer)
    layers = model._stateful
    for layer, layer_state in zip(layers, layer_states, strict=True):
        layer.set_state(layer_state)


# docs/implementation/training.md:542
def check_targets(model, y: np.ndarray, *, where: str) -> None:
    """Refuse targets y (k, m) that the loss or a metric would refuse.

    ``fit`` calls it before the first step. The targets stand in for the
    predictions, whose shape they have, so every check that the loss and
    the metrics make on y_true runs once, in O(k m), instead of failing in
    a later batch, after some steps have already changed the weights.
    """
    try:
        model._scores(y, y)
    except ValueError as error:
        message = f"{where} cannot use these targets: {error}"
        raise ValueError(message) from None


# What a loss raises when finite predictions overflow it: the Errors
# chapter adds its LossOverflowError here.
_LOSS_OVERFLOWS: tuple[type[Exception], ...] = (
    # docs/implementation/errors.md:2135
    LossOverflowError,
    # docs/implementation/training.md:561
    # (nothing before that chapter: an overflow is an inf loss)
)


def _finite_scores(part, y_pred, y_true, score=None) -> dict | None:
    """``score(part, ...)`` (else ``part._scores``), or None if not finite.

    None means divergence. Any other error of the loss or a metric is a
    mistake in the setup, not divergence, and propagates with its own
    message.
    """
    if not np.isfinite(y_pred).all():
        return None
    try:
        if score is None:
            scores = part._scores(y_pred, y_true)
        else:
            scores = score(part, y_pred, y_true)
    except _LOSS_OVERFLOWS:  # finite predictions, too large to square
        return None
    return scores if math.isfinite(scores["loss"]) else None


def check_epoch(
    plan,
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
    model = plan.model
    if np.isfinite(plan.parameters).all():
        y_epoch = batches.y_epoch
        logs = _finite_scores(plan, y_hat, y_epoch, _epoch_logs)
    if logs is not None and validation is not None:
        X_val, y_val = validation
        scores = _finite_scores(model, model.forward(X_val), y_val)
        if scores is None:
            logs = None
        else:
            for key, value in scores.items():
                logs["val_" + key] = value
    if logs is not None:
        return logs
    if progress is not None:
        progress.close()  # the error message starts on a line of its own
    replay(plan, epoch, batches, snapshot)


def replay(plan, epoch: int, batches: Batches, snapshot) -> None:
    """Replay the epoch from ``snapshot`` step by step, keep the parameters
    from before the first bad step, and raise."""
    model, parameters = plan.model, plan.parameters
    np.copyto(parameters, snapshot)
    model._set_state(plan.epoch_state)
    # The very steps fit took, dropout masks included (fit switches it off)
    model._set_training(True)
    # The loop variable `number` is used after the loop (ruff's B007)
    ranges = batches.ranges
    for number, (start, stop) in enumerate(ranges, start=1):  # noqa: B007
        # The parameters before this step, the optimizer's state and the
        # random streams
        np.copyto(snapshot, parameters)
        state = model._state()
        X_batch = batches.inputs(start, stop)
        y_true = batches.y_epoch[start:stop]
        # The penalty of the parameters before the step
        penalty = regularization_loss(model.layers)
        y_pred = plan.step(X_batch, y_true)
        loss = math.nan
        if np.isfinite(y_pred).all():
            with contextlib.suppress(*_LOSS_OVERFLOWS):
                loss = model.loss.calculate(y_pred, y_true) + penalty
        if not math.isfinite(loss):
            problem = "the loss is not a finite number"
            break
        finite_penalty = math.isfinite(regularization_loss(model.layers))
        if not (np.isfinite(parameters).all() and finite_penalty):
            problem = "its update made some parameters NaN or inf"
            break
    else:
        # Every step was finite, yet the epoch's scores were not: blame the
        # last step
        problem = "after it, the loss of the epoch or of the validation data"
        problem += " is not a finite number"
    np.copyto(parameters, snapshot)
    model._set_state(state)
    if epoch == 0 and number == 1 and problem.startswith("the loss"):
        # no step had been taken: the initial network overflows on the data
        largest = float(np.abs(X_batch).max())
        raise ValueError(
            f"Model.fit cannot train on these inputs: before any update,"
            f" the loss of the first batch is not a finite number (the"
            f" largest |X| in it is {largest:.3g}): scale the inputs, e.g."
            f" standardize each column of X"
        )
    rate = getattr(model.optimizer, "learning_rate", "?")
    message = f"training diverged at epoch {epoch + 1}, batch {number} of"
    message += f" {len(ranges)}: {problem}. The model keeps its parameters"
    message += " from before that batch; try a smaller learning rate (this"
    raise FloatingPointError(message + f" one is {rate})")


# docs/implementation/training.md:770
class WholeSteps:
    """Ctrl+C, while it is installed, only sets a flag that calling it reads.

    Installed in the main thread only, over Python's own handler (signals
    reach no other thread); ``close`` puts that handler back.
    """

    def __init__(self) -> None:
        self.flag, self.previous = False, None
        main = threading.current_thread() is threading.main_thread()
        handler = signal.getsignal(signal.SIGINT)
        if main and handler is signal.default_int_handler:
            self.previous = signal.signal(signal.SIGINT, self._note)

    def _note(self, signum, frame) -> None:
        self.flag = True

    def __call__(self) -> bool:
        """Whether Ctrl+C was pressed since it was installed."""
        return self.flag

    def close(self) -> None:
        """Give Ctrl+C back to Python's handler."""
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None


# docs/implementation/training.md:867
def _has_penalty(layers: list) -> bool:
    """Whether any layer has an L1 or L2 factor set (see Loss functions)."""
    names = ("weight_l1", "weight_l2", "bias_l1", "bias_l2")
    return any(getattr(layer, name, 0) for layer in layers for name in names)


# docs/implementation/training.md:874
def _epoch_logs(plan, y_hat: np.ndarray, y_epoch: np.ndarray) -> dict:
    """An epoch's training logs: losses (before each step), metrics, lr."""
    model = plan.model
    data_loss = model.loss.calculate(y_hat, y_epoch)
    penalty = plan.penalty_sum / len(y_hat) if plan.penalized else 0.0
    plan.penalty_sum = 0.0  # the next epoch starts its own sum
    logs = {
        "loss": data_loss + penalty,
        "data_loss": data_loss,
        "regularization_loss": penalty,
    }
    for name in model.metrics:
        logs[name] = model.metric_functions[name](y_hat, y_epoch)
    rate = getattr(model.optimizer, "current_learning_rate", None)
    if rate is not None:
        logs["lr"] = rate
    return logs


# docs/implementation/training.md:1148
def call_hooks(callbacks: list, name: str, model) -> None:
    """Call ``callback.name(model)`` on each callback that has the method."""
    for callback in callbacks:
        method = getattr(callback, name, None)
        if method is not None:
            method(model)


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "Batches",
    "Plan",
    "WholeSteps",
    "call_hooks",
    "check_epoch",
    "check_targets",
    "put_state",
    "replay",
    "take_state",
]
