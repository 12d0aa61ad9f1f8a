# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/feed-forward.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/feed-forward.md:43
"""The layer protocol: what the Model asks of a layer, as typing.Protocols.

The Model checks them with ``isinstance`` once, when it is built or saved,
never in a training step: a runtime-checkable ``isinstance`` looks up every
member by name.
"""

from typing import Any, Protocol, runtime_checkable

import numpy as np

from nnbook.layers import Dense


@runtime_checkable
class Layer(Protocol):
    """A layer: forward (k, n) -> (k, m), backward (k, m) -> (k, n)."""

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """The outputs (k, m) for a batch of inputs (k, n)."""
        ...

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dinputs (k, n) from dC/doutputs ``dvalues`` (k, m)."""
        ...


@runtime_checkable
class Trainable(Layer, Protocol):
    """A layer with parameters: weights (n, m) and biases (m,).

    A layer may hold any number of parameter arrays: it lists their names in
    ``parameter_names`` (``Dense``: "weights", "biases"), and after
    ``backward`` the gradient of each is the attribute of the same name with
    a "d" in front (see ``parameter_names`` below).
    """

    weights: np.ndarray
    biases: np.ndarray


@runtime_checkable
class Trained(Trainable, Protocol):
    """A trainable layer after its backward: gradients of the parameters."""

    dweights: np.ndarray  # (n, m)
    dbiases: np.ndarray  # (m,)


@runtime_checkable
class Optimizer(Protocol):
    """A step over named parameter arrays, in place.

    ``step(parameters, gradients)`` takes two dicts, name -> array, with the
    same names; ``state``/``set_state`` and ``config`` (see ``Stateful``
    and ``Configurable``) let a model be saved and resumed.
    """

    def step(self, parameters: dict, gradients: dict) -> None:
        """Move each array of ``parameters`` against its gradient."""
        ...


def parameter_names(layer) -> tuple[str, ...]:
    """The names of ``layer``'s parameter arrays (none for an activation).

    A layer of your own that has ``weights`` and ``biases`` but no
    ``parameter_names`` is read as a ``Dense`` is.
    """
    names = getattr(layer, "parameter_names", None)
    if names is not None:
        return tuple(names)
    if hasattr(layer, "weights") and hasattr(layer, "biases"):
        return ("weights", "biases")
    return ()


@runtime_checkable
class Switchable(Protocol):
    """A layer that acts differently while training (Dropout)."""

    training: bool


@runtime_checkable
class Configurable(Protocol):
    """A layer or an optimizer with settings of its own, for the file."""

    def config(self) -> dict[str, Any]:
        """The keyword arguments that rebuild it, as JSON-ready data."""
        ...


@runtime_checkable
class Stateful(Protocol):
    """A random stream (Dropout) or an optimizer's velocity and moments."""

    def state(self) -> dict[str, Any]:
        """A copy of what a step changes besides the parameters."""
        ...

    def set_state(self, state: dict[str, Any]) -> None:
        """Put back what ``state`` returned."""
        ...


@runtime_checkable
class Reshaping(Protocol):
    """A layer that reads batches of another shape than (k, n)."""

    input_shape: Any  # the shape of one sample, e.g. (n, c) for Conv1D


# docs/implementation/feed-forward.md:324
def describe(index: int, layer) -> str:
    """How messages name a layer: its position and, for Dense, its sizes."""
    if isinstance(layer, Dense):
        n, m = layer.weights.shape
        return f"layer {index}, Dense({n}, {m})"
    return f"layer {index}, {type(layer).__name__}"


def check_layers(layers: list) -> tuple[int | None, int | None, np.dtype]:
    """(n_inputs, n_outputs, dtype) of layers whose Dense widths chain."""
    if not layers:
        raise ValueError("Model expects at least one layer; got an empty list")
    n_inputs = width = previous = dtype = None
    fixed = False  # whether a layer has fixed the shape of X yet
    seen: dict[int, int] = {}  # id(layer) -> its index
    for index, layer in enumerate(layers):
        is_class = isinstance(layer, type)
        has_forward = callable(getattr(layer, "forward", None))
        if is_class or not (has_forward and isinstance(layer, Layer)):
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
        if not hasattr(layer, "weights"):  # not trainable
            if isinstance(layer, Reshaping):  # Flatten: a new width out
                n_inputs = n_inputs if fixed else layer.input_shape
                fixed, width = True, None
            continue  # an activation keeps the width
        weights = layer.weights
        if not (isinstance(weights, np.ndarray) and weights.ndim >= 2):
            message = f"Model expects the weights of {describe(index, layer)}"
            shapes = " as a 2-D numpy array (n, m) (Conv1D: 3-D, (K, n, m))"
            raise TypeError(message + shapes)
        if not isinstance(layer, Trainable):  # weights, but no biases
            message = f"Model expects {describe(index, layer)} to have"
            raise TypeError(message + " biases (m,) next to its weights")
        n, m = weights.shape[-2:]  # Dense (n, m); Conv1D (K, n, m)
        if width is not None and n != width:
            this = f"{describe(index, layer)} expects {n} inputs"
            before = f"{describe(*previous)} before it outputs {width}"
            if previous and isinstance(previous[1], Reshaping):  # a conv
                before += " channels at each position (a Flatten between?)"
            problem = f"{this}, but {before}; make them equal"
            raise ValueError(f"Model layers do not fit together: {problem}")
        if dtype is not None and layer.weights.dtype != dtype:
            before = f"{describe(*previous)} is {dtype}"
            this = f"{describe(index, layer)} is {layer.weights.dtype}"
            expected = "every Dense layer in one dtype"
            raise TypeError(f"Model expects {expected}; {before}, {this}")
        if not fixed:  # Dense reads (k, n); other layers name their input
            shaped = isinstance(layer, Reshaping)  # Conv1D: (length, c_in)
            n_inputs, fixed = layer.input_shape if shaped else n, True
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
        if isinstance(layer, Trainable)
        for name in ("weights", "biases")
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


def check_parts(loss, optimizer) -> None:
    """Raise unless the loss and the optimizer have the methods Model calls."""
    loss_methods = ("forward", "backward", "calculate")
    _check_part(loss, "loss", loss_methods, "MeanSquaredError()")
    sgd = "SGD(learning_rate=0.01)"
    _check_part(optimizer, "optimizer", ("step",), sgd)


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


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "Configurable",
    "Layer",
    "Optimizer",
    "Reshaping",
    "Stateful",
    "Switchable",
    "Trainable",
    "Trained",
    "check_layers",
    "check_parts",
    "describe",
    "parameter_names",
]
