# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/conventions.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/conventions.md:31
"""How a network shows itself: reprs, ``summary`` and ``count_params``.

A repr reads like the call that builds the object.
"""

import inspect

import numpy as np

from nnbook import saving
from nnbook.callbacks import EarlyStopping
from nnbook.losses import Loss
from nnbook.protocol import Configurable, parameter_names


def config_of(part) -> dict:
    """What ``Model.save`` records of a layer, loss or optimizer.

    Its class name, ``"type"``, and the arguments that rebuild it.
    """
    name = type(part).__name__
    if saving.OPTIMIZERS.get(name) is type(part):
        return saving.optimizer_config(part)
    if saving.LOSSES.get(name) is type(part):  # a loss has no settings
        settings = part.config() if isinstance(part, Configurable) else {}
        return {"type": name, **settings}
    return saving.layer_config(part)


def call_text(part) -> str:
    """``part`` as the call that builds it, e.g. ``Dense(1, 64)``.

    Arguments without a default go by position, the others by name and
    only where they differ from the default.
    """
    config = dict(config_of(part))
    name = config.pop("type")
    parameters = inspect.signature(type(part)).parameters
    order = list(parameters)  # the constructor's order, then the rest

    def place(key: str) -> int:
        return order.index(key) if key in order else len(order)

    arguments = []
    for key in sorted(config, key=place):
        value = _plain(config[key])
        parameter = parameters.get(key)
        if parameter is not None and parameter.default is parameter.empty:
            arguments.append(repr(value))
        elif parameter is None or not _same(value, parameter.default):
            arguments.append(f"{key}={value!r}")
    return f"{name}({', '.join(arguments)})"


def _plain(value):
    """A setting as Python writes it: 0.5, not np.float64(0.5); a tuple."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    return value


def _same(value, default) -> bool:
    """Whether a setting equals the constructor's default.

    The text 'float64' is the dtype np.float64.
    """
    if isinstance(default, (type, np.dtype)):
        try:
            return np.dtype(value) == np.dtype(default)
        except TypeError:
            return False
    return bool(value == default)


def _repr(part) -> str:
    try:
        return call_text(part)
    except Exception:  # a subclass that rebuilds otherwise: the plain repr
        return object.__repr__(part)


# Every class a model file can name reads as its call, and so does the
# callback of Training that holds up.
for _kind in (*saving.LAYERS.values(), *saving.LOSSES.values(),
              *saving.OPTIMIZERS.values(), EarlyStopping):  # fmt: skip
    setattr(_kind, "__repr__", _repr)  # noqa: B010 (a class's method)


# docs/implementation/conventions.md:160
def model_text(model) -> str:
    """``Model``'s repr: its call, with the defaults it used marked."""
    layers = [repr(layer) for layer in model.layers]
    defaulted = getattr(model, "defaulted", ())
    named = []
    for key in ("loss", "optimizer"):
        text = f"{key}={getattr(model, key)!r}"
        named.append(text + " (default)" if key in defaulted else text)
    own = getattr(model.loss, "default_metrics", Loss.default_metrics)
    if tuple(model.metrics) != tuple(own):
        named.append(f"metrics={list(model.metrics)!r}")
    line = f"Model([{', '.join(layers)}], {', '.join(named)})"
    if len(line) <= 79:
        return line
    rows = "".join(f"        {text},\n" for text in layers)
    rest = "".join(f"    {text},\n" for text in named)
    return f"Model(\n    [\n{rows}    ],\n{rest})"


# docs/implementation/conventions.md:203
def layer_params(layer) -> int:
    """The number of entries of the arrays the layer names as parameters."""
    names = parameter_names(layer)
    return sum(int(np.size(getattr(layer, name))) for name in names)


def count_params(model) -> int:
    """``Model.count_params``: every layer's parameters, added up."""
    return sum(layer_params(layer) for layer in model.layers)


def _is_count(size) -> bool:
    """Whether ``size`` is an integer (not a bool, which numpy would take)."""
    return isinstance(size, (int, np.integer)) and not isinstance(size, bool)


def sample_shape(model, input_shape) -> tuple[tuple | None, str]:
    """One sample's shape, and if it is unknown (None) the reason why."""
    where = "Model.summary"
    if input_shape is not None:
        one = np.ndim(input_shape) == 0 and not isinstance(input_shape, str)
        shape = tuple((input_shape,) if one else input_shape)
        whole = all(_is_count(size) for size in shape)
        if not (shape and whole and all(size > 0 for size in shape)):
            expected = "input_shape as one sample's shape, e.g. (64,)"
            got = f"got {input_shape!r}"
            raise ValueError(f"{where} expects {expected}; {got}")
        return tuple(int(size) for size in shape), ""
    known = model.n_inputs
    if isinstance(known, (int, np.integer)):
        return (int(known),), ""
    if known is None:
        reason = "no layer says how wide a sample is: pass input_shape="
        return None, reason
    if all(isinstance(size, (int, np.integer)) for size in known):
        return tuple(int(size) for size in known), ""
    open_size = next(size for size in known if not isinstance(size, int))
    text = "(" + ", ".join(str(size) for size in known) + ")"
    reason = f"the first layers read samples {text} of any {open_size}:"
    reason += f" pass input_shape={text} with a number for {open_size}"
    return None, reason


def output_shapes(model, shape: tuple) -> list[tuple]:
    """Each layer's output shape for one sample of ``shape``."""

    def settings(layer) -> dict:
        return dict(vars(layer)) if hasattr(layer, "__dict__") else {}

    batch = np.zeros((1, *shape), dtype=model.dtype)
    # Every attribute a forward pass may set, to put back below
    kept = [settings(layer) for layer in model.layers]
    shapes = []
    try:
        for layer in model.layers:
            if hasattr(layer, "training"):  # Dropout: no draw from its rng
                layer.training = False
            batch = layer.forward(batch)
            shapes.append(batch.shape[1:])
    except (ValueError, TypeError) as error:
        where = f"Model.summary cannot run a sample of shape {shape}"
        raise ValueError(f"{where} through the network: {error}") from None
    finally:
        for layer, attributes in zip(model.layers, kept, strict=True):
            if hasattr(layer, "__dict__"):
                vars(layer).clear()
                vars(layer).update(attributes)
    return shapes


def summary_text(model, input_shape=None) -> str:
    """``Model.summary``'s table: layer, output shape, parameters; totals."""
    shape, reason = sample_shape(model, input_shape)
    if shape is None:
        shapes = ["?"] * len(model.layers)
    else:
        shapes = [str((None, *out)) for out in output_shapes(model, shape)]
    rows = [("#", "Layer", "Output shape", "Params")]
    for index, layer in enumerate(model.layers):
        params = f"{layer_params(layer):,}"
        rows.append((str(index), repr(layer), shapes[index], params))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        pairs = zip(row, widths, strict=True)
        cells = [cell.ljust(width) for cell, width in pairs]
        cells[-1] = row[-1].rjust(widths[-1])  # numbers to the right
        lines.append("  ".join(cells).rstrip())
    rule = "-" * len(lines[0])
    total = count_params(model)
    defaulted = getattr(model, "defaulted", ())
    parts = ("loss", "optimizer")
    optimizer = model.optimizer
    settings = config_of(optimizer)
    settings.pop("type")
    listed = ", ".join(f"{key}={_plain(v)!r}" for key, v in settings.items())
    marks = {key: " (default)" * (key in defaulted) for key in parts}
    lines[1:1] = [rule]
    lines += [
        rule,
        f"Total params: {total:,}",
        f"Trainable params: {total:,}",
        "Non-trainable params: 0",
        f"Loss: {model.loss!r}{marks['loss']}",
        f"Optimizer: {type(optimizer).__name__}({listed}){marks['optimizer']}",
        f"Metrics: {', '.join(model.metrics) or 'none'}",
    ]
    if shape is None:
        lines.append(f"Output shapes unknown: {reason}")
    return "\n".join(lines)


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "call_text",
    "config_of",
    "count_params",
    "layer_params",
    "model_text",
    "output_shapes",
    "sample_shape",
    "summary_text",
]
