# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/convolution/conv1d.md
#   docs/convolution/conv-backward.md
#   docs/convolution/conv2d.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/convolution/conv1d.md:220
"""Convolution: a Dense layer applied to every window of a signal or image.

Channels-last, as Keras: signals are (k, length, c), images are
(k, height, width, c), the weights (*kernel_size, c_in, c_out).
"""

import itertools
import math
import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# docs/implementation/errors.md:1507
from nnbook.boundary import guard
from nnbook.checks import (
    as_batch_array,
    as_float_dtype,
    as_generator,
    check_non_negative_number,
    check_positive_int,
)

# docs/convolution/conv1d.md:234
from nnbook.layers import Dense, add_penalty_gradients

PENALTIES = ("weight_l1", "weight_l2", "bias_l1", "bias_l2")


def _per_axis(value, ndim: int) -> tuple[int, ...]:
    """One int for every spatial axis, or one per axis, as a tuple of ints."""
    values = (value,) * ndim if isinstance(value, numbers.Integral) else value
    return tuple(int(v) for v in values)


class _Convolution:
    """Conv1D and Conv2D: ``ndim`` spatial axes, named in ``axes``."""

    ndim = 1
    axes: tuple[str, ...] = ("length",)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        *,
        stride: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] = 0,
        rng: int | np.random.Generator | None = None,
        dtype: type | np.dtype = np.float64,
        weight_l1: float = 0.0,
        weight_l2: float = 0.0,
        bias_l1: float = 0.0,
        bias_l2: float = 0.0,
    ) -> None:
        d = self.ndim
        self.kernel_size = kernel = _per_axis(kernel_size, d)
        self.stride = _per_axis(stride, d)
        self.padding = _per_axis(padding, d)
        self.weight_l1, self.weight_l2 = weight_l1, weight_l2
        self.bias_l1, self.bias_l2 = bias_l1, bias_l2
        # He initialization: each output sums K * c_in products.
        scale = np.sqrt(2.0 / (math.prod(kernel) * in_channels))
        shape = (*kernel, in_channels, out_channels)
        draws = np.random.default_rng(rng).standard_normal(shape) * scale
        self.weights = draws.astype(dtype)  # (*kernel_size, c_in, c_out)
        self.biases = np.zeros(out_channels, dtype=dtype)  # (c_out,)

    # The arrays an optimizer updates; backward sets "d" + each name.
    parameter_names = ("weights", "biases")

    # L1 and L2 penalties: Dense's method reads only weights and biases.
    regularization_loss = Dense.regularization_loss

    @property
    def input_shape(self) -> tuple:
        """One sample's shape, e.g. ("length", c_in): a name means any size."""
        return (*self.axes, self.weights.shape[-2])

    def output_size(self, size: tuple) -> tuple:
        """The spatial size out for a size in: (n + 2p - K) // s + 1."""
        kernel, stride, padding = self.kernel_size, self.stride, self.padding
        settings = zip(size, kernel, stride, padding, strict=True)
        return tuple((n + 2 * p - K) // s + 1 for n, K, s, p in settings)

    def config(self) -> dict:
        """The settings ``Model.save`` records, as the constructor takes them.

        One int for equal sizes on every axis, else a list.
        """

        def plain(sizes):
            return sizes[0] if len(set(sizes)) == 1 else list(sizes)

        c_in, c_out = self.weights.shape[-2:]
        return {
            "in_channels": c_in,
            "out_channels": c_out,
            "kernel_size": plain(self.kernel_size),
            "stride": plain(self.stride),
            "padding": plain(self.padding),
            "dtype": self.weights.dtype.name,
            **{name: getattr(self, name) for name in PENALTIES},
        }

    def _inner(self, size: tuple) -> tuple:
        """The index of the unpadded part of a padded batch."""
        sizes = zip(self.padding, size, strict=True)
        inner = (slice(p, p + n) for p, n in sizes)
        return (slice(None), *inner, slice(None))

    def _pad(self, inputs: np.ndarray) -> np.ndarray:
        """(k, *size, c) -> (k, *(size + 2 padding), c), zeros around."""
        if not any(self.padding):
            return inputs
        widths = [(0, 0), *((p, p) for p in self.padding), (0, 0)]
        return np.pad(inputs, widths)

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, *size, c_in) -> (k, *size_out, c_out): one product, im2col."""
        d, (c_in, c_out) = self.ndim, self.weights.shape[-2:]
        size_out = self.output_size(inputs.shape[1:-1])
        spatial = tuple(range(1, d + 1))
        # (k, *positions, c_in, *kernel): every window, a view, no copy
        padded = self._pad(inputs)
        windows = sliding_window_view(padded, self.kernel_size, axis=spatial)
        every = (slice(None), *(slice(None, None, s) for s in self.stride))
        windows = windows[every]  # (k, *size_out, c_in, *K)
        # c_in after the kernel axes: the order of the weights' rows
        order = (0, *spatial, *range(d + 2, 2 * d + 2), d + 1)
        width = math.prod(self.kernel_size) * c_in
        self.inputs = inputs  # for the backward pass, with the rows
        # (k * positions, K c_in): the one copy
        self.rows = windows.transpose(order).reshape(-1, width)
        outputs = self.rows @ self.weights.reshape(-1, c_out) + self.biases
        return outputs.reshape(len(inputs), *size_out, c_out)

    # docs/convolution/conv-backward.md:186
    def backward(
        self,
        dvalues: np.ndarray,
        *,
        input_gradient: bool = True,
    ) -> np.ndarray | None:
        """Backward: dvalues (k, *size_out, c_out) -> dinputs (k, *size, c_in).

        Sets ``dweights`` (*kernel_size, c_in, c_out) and ``dbiases``
        (c_out,), plus their penalties' gradients. With
        ``input_gradient=False`` it skips dinputs and returns None.
        """
        d, c_out = self.ndim, self.weights.shape[-1]
        gradients = dvalues.reshape(-1, c_out)  # (k * positions, c_out)
        # Weight sharing: Dense's inputs.T @ dvalues sums over the positions.
        self.dweights = (self.rows.T @ gradients).reshape(self.weights.shape)
        self.dbiases = gradients.sum(axis=0)  # (c_out,)
        add_penalty_gradients(self)  # Dense's L1/L2 terms, on any shape
        if not input_gradient:
            return None
        # Dense's dvalues @ W.T: the gradient of every copy in every window
        d_rows = gradients @ self.weights.reshape(-1, c_out).T
        k, *size, c_in = self.inputs.shape
        size_out = dvalues.shape[1:-1]
        d_rows = d_rows.reshape(k, *size_out, *self.kernel_size, c_in)
        padded = (n + 2 * p for n, p in zip(size, self.padding, strict=True))
        d_padded = np.zeros((k, *padded, c_in), dtype=d_rows.dtype)
        # col2im: tap j met the inputs j, j + s, ..., j + s (n_out - 1)
        for tap in itertools.product(*map(range, self.kernel_size)):
            steps = zip(tap, self.stride, size_out, strict=True)
            met = (slice(j, j + s * (n - 1) + 1, s) for j, s, n in steps)
            target = (slice(None), *met)
            d_padded[target] += d_rows[(slice(None),) * (d + 1) + tap]
        if not any(self.padding):
            return d_padded
        # the padding's gradient is dropped
        return d_padded[self._inner(tuple(size))]


# docs/convolution/conv1d.md:351
class Conv1D(_Convolution):
    """A 1-D convolution: (k, length, c_in) -> (k, length_out, c_out).

    ``length_out = (length + 2 * padding - kernel_size) // stride + 1``;
    the weights are (kernel_size, c_in, c_out), the biases (c_out,).

    Args:
        in_channels: c_in, the values per position of the input.
        out_channels: c_out, the number of filters.
        kernel_size: K, the width of the window.
        stride: s, the step between two windows.
        padding: p, zeros added at both ends.
        rng: seed or generator for the initial weights.
        dtype: ``np.float64`` or ``np.float32``.
        weight_l1: L1 penalty on the weights (0 = off); ``weight_l2``,
            ``bias_l1`` and ``bias_l2`` likewise, as for Dense.

    >>> conv = Conv1D(1, 25, 5, stride=2, padding=1, rng=0)
    >>> conv.weights.shape, conv.forward(np.ones((4, 40, 1))).shape
    ((5, 1, 25), (4, 19, 25))
    """

    ndim = 1
    axes = ("length",)


# docs/convolution/conv2d.md:58
class Conv2D(_Convolution):
    """A 2-D convolution: (k, height, width, c_in) -> (k, h_out, w_out, c_out).

    Per axis, ``out = (size + 2 * padding - kernel) // stride + 1``;
    the weights are (K1, K2, c_in, c_out), the biases (c_out,).
    ``kernel_size``, ``stride`` and ``padding`` are one int (the same on
    both axes) or a pair (rows, columns); the other arguments are Conv1D's.

    >>> conv = Conv2D(1, 8, 3, stride=2, padding=1, rng=0)
    >>> conv.weights.shape, conv.forward(np.ones((4, 8, 8, 1))).shape
    ((3, 3, 1, 8), (4, 4, 4, 8))
    """

    ndim = 2
    axes = ("height", "width")


# docs/convolution/conv2d.md:135
class Flatten:
    """(k, ...) -> (k, n), n the product of one sample's sizes; and back.

    >>> Flatten().forward(np.ones((4, 5, 25))).shape
    (4, 125)
    """

    input_shape = ...  # any batch: the width out depends on the shape in

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, *shape) -> (k, prod(shape)), a view when ``inputs`` allows."""
        self.inputs = inputs  # for the backward pass
        return inputs.reshape(len(inputs), -1)

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """Reshape dvalues (k, n) back to the last input's (k, *shape)."""
        return dvalues.reshape(self.inputs.shape)


# docs/implementation/errors.md:1518
def _sizes(
    value,
    name: str,
    ndim: int,
    *,
    minimum: int,
    where: str,
) -> tuple[int, ...]:
    """``value`` (one int, or one per spatial axis) as ndim ints >= minimum."""
    values = (value,) * ndim if isinstance(value, numbers.Integral) else value
    if not (
        isinstance(values, (tuple, list))
        and len(values) == ndim
        and all(isinstance(v, numbers.Integral) for v in values)
        and not any(isinstance(v, bool) for v in values)
    ):
        kinds = {1: "an int", 2: "an int or a pair of ints"}
        kind = kinds.get(ndim, f"an int or {ndim} ints")
        raise TypeError(f"{where} expects {name} to be {kind}; got {value!r}")
    if min(values) < minimum:
        raise ValueError(f"{where} expects {name} >= {minimum}; got {value!r}")
    return tuple(int(v) for v in values)


def _channels(name: str):
    """The constraint on a number of channels: an int >= 1."""

    def channels(owner, value):
        return check_positive_int(value, name, where=type(owner).__name__)

    return channels


def _per_axis_sizes(name: str, minimum: int):
    """The constraint on kernel_size, stride or padding."""

    def sizes(owner, value):
        where, d = type(owner).__name__, owner.ndim
        return _sizes(value, name, d, minimum=minimum, where=where)

    return sizes


def _penalty(name: str):
    """The constraint on an L1/L2 strength: finite, >= 0."""

    def penalty(owner, value):
        where = type(owner).__name__
        return check_non_negative_number(value, name, where=where)

    return penalty


def _seed(owner, rng):
    return as_generator(rng, where=type(owner).__name__)


def _float_dtype(owner, dtype):
    return as_float_dtype(dtype, where=type(owner).__name__)


def _signals(owner, inputs):
    """Inputs (k, *size, c_in) of the layer's dtype, with room for a window."""
    where = type(owner).__name__
    inputs = as_batch_array(
        inputs,
        "inputs",
        shape=owner.input_shape,
        dtype=owner.weights.dtype,
        where=where,
    )
    if min(owner.output_size(inputs.shape[1:-1])) < 1:
        sizes = zip(owner.kernel_size, owner.padding, strict=True)
        smallest = [K - 2 * p for K, p in sizes]
        raise ValueError(
            f"{where} with kernel_size {owner.kernel_size} and padding "
            f"{owner.padding} expects inputs of at least {smallest} along "
            f"{owner.axes}; got {inputs.shape}"
        )
    return inputs


def _check_dvalues(dvalues, expected: tuple, dtype, where: str) -> np.ndarray:
    """``dvalues`` if it has the last forward output's shape; else raise."""
    where = f"{where}.backward"
    if not (isinstance(dvalues, np.ndarray) and dvalues.dtype.kind == "f"):
        dvalues = as_batch_array(dvalues, "dvalues", where=where)  # or raise
    if dvalues.shape != expected:
        message = f"{where} expects dvalues of shape {expected}"
        like = "like its last forward output"
        raise ValueError(f"{message}, {like}; got {dvalues.shape}")
    return dvalues if dvalues.dtype == dtype else dvalues.astype(dtype)


def _output_gradient(owner, dvalues):
    """``dvalues`` of the shape of the last output (k, *size_out, c_out)."""
    where = type(owner).__name__
    inputs = getattr(owner, "inputs", None)  # None until forward has run
    if inputs is None:
        message = f"{where}.backward needs a forward pass first"
        raise RuntimeError(f"{message}: call forward(inputs), then backward")
    size_out = owner.output_size(inputs.shape[1:-1])
    expected = (len(inputs), *size_out, owner.weights.shape[-1])
    return _check_dvalues(dvalues, expected, owner.weights.dtype, where)


def _any_batch(owner, inputs):
    """Inputs (k, ...) of Flatten: any batch of floats."""
    return as_batch_array(inputs, "inputs", where="Flatten")


def _flat_gradient(owner, dvalues):
    """``dvalues`` (k, n) of the last Flatten output."""
    inputs = getattr(owner, "inputs", None)  # None until forward has run
    if inputs is None:
        message = "Flatten.backward needs a forward pass first"
        raise RuntimeError(f"{message}: call forward, then backward")
    flat = (len(inputs), math.prod(inputs.shape[1:]))
    return _check_dvalues(dvalues, flat, inputs.dtype, "Flatten")


guard(
    _Convolution,  # Conv1D and Conv2D: their methods are _Convolution's
    {
        "__init__": {
            "in_channels": _channels("in_channels"),
            "out_channels": _channels("out_channels"),
            "kernel_size": _per_axis_sizes("kernel_size", 1),
            "stride": _per_axis_sizes("stride", 1),
            "padding": _per_axis_sizes("padding", 0),
            "rng": _seed,
            "dtype": _float_dtype,
            **{name: _penalty(name) for name in PENALTIES},
        },
        "forward": {"inputs": _signals},
        "backward": {"dvalues": _output_gradient},
    },
)
guard(
    Flatten,
    {
        "forward": {"inputs": _any_batch},
        "backward": {"dvalues": _flat_gradient},
    },
)


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "PENALTIES",
    "Conv1D",
    "Conv2D",
    "Flatten",
]
