# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/convolution/conv1d.md
#   docs/convolution/conv-backward.md
#   docs/convolution/conv2d.md
#   docs/convolution/pooling.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/convolution/conv1d.md:402
"""Convolution: a Dense layer applied to every window of a signal or image.

Channels-last, as Keras: signals are (k, length, c), images are
(k, height, width, c), the weights (*kernel_size, c_in, c_out).
"""

import itertools
import math
import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# docs/implementation/errors.md:1577
from nnbook.boundary import guard
from nnbook.checks import (
    as_batch_array,
    as_float_dtype,
    as_generator,
    check_non_negative_number,
    check_positive_int,
)

# docs/convolution/conv1d.md:416
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
        padding: int | tuple[int, ...] | str = 0,
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
        same = isinstance(padding, str)  # "same": worked out per input
        self.padding = "same" if same else _per_axis(padding, d)
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

    def pads(self, size: tuple) -> tuple[tuple[int, int], ...]:
        """The zeros (before, after) on each spatial axis, for a size in."""
        if isinstance(self.padding, tuple):  # p zeros at both ends
            return tuple((p, p) for p in self.padding)
        pads = []  # "same": ceil(n / s) windows, the odd zero after
        for n, K, s in zip(size, self.kernel_size, self.stride, strict=True):
            total = max((-(-n // s) - 1) * s + K - n, 0)
            pads.append((total // 2, total - total // 2))
        return tuple(pads)

    def output_size(self, size: tuple) -> tuple:
        """The spatial size out for a size in: (n + 2p - K) // s + 1."""
        kernel, stride, pads = self.kernel_size, self.stride, self.pads(size)
        settings = zip(size, kernel, stride, pads, strict=True)
        return tuple((n + a + b - K) // s + 1 for n, K, s, (a, b) in settings)

    def config(self) -> dict:
        """The settings ``Model.save`` records, as the constructor takes them.

        One int for equal sizes on every axis, else a list.
        """

        def plain(sizes):
            return sizes[0] if len(set(sizes)) == 1 else list(sizes)

        c_in, c_out = self.weights.shape[-2:]
        same = self.padding == "same"
        return {
            "in_channels": c_in,
            "out_channels": c_out,
            "kernel_size": plain(self.kernel_size),
            "stride": plain(self.stride),
            "padding": self.padding if same else plain(self.padding),
            "dtype": self.weights.dtype.name,
            **{name: getattr(self, name) for name in PENALTIES},
        }

    def _inner(self, size: tuple) -> tuple:
        """The index of the unpadded part of a padded batch."""
        sizes = zip(self.pads(size), size, strict=True)
        inner = (slice(before, before + n) for (before, _), n in sizes)
        return (slice(None), *inner, slice(None))

    def _pad(self, inputs: np.ndarray) -> np.ndarray:
        """(k, *size, c) -> (k, *(size + padding), c), zeros around."""
        pads = self.pads(inputs.shape[1:-1])
        if not any(before or after for before, after in pads):
            return inputs
        return np.pad(inputs, [(0, 0), *pads, (0, 0)])

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

    # docs/convolution/conv-backward.md:194
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
        pads = self.pads(tuple(size))  # (before, after) per axis
        padded = (n + a + b for n, (a, b) in zip(size, pads, strict=True))
        d_padded = np.zeros((k, *padded, c_in), dtype=d_rows.dtype)
        # col2im: tap j met the inputs j, j + s, ..., j + s (n_out - 1)
        for tap in itertools.product(*map(range, self.kernel_size)):
            steps = zip(tap, self.stride, size_out, strict=True)
            met = (slice(j, j + s * (n - 1) + 1, s) for j, s, n in steps)
            target = (slice(None), *met)
            d_padded[target] += d_rows[(slice(None),) * (d + 1) + tap]
        if not any(a or b for a, b in pads):
            return d_padded
        # the padding's gradient is dropped
        return d_padded[self._inner(tuple(size))]


# docs/convolution/conv1d.md:545
class Conv1D(_Convolution):
    """A 1-D convolution: (k, length, c_in) -> (k, length_out, c_out).

    ``length_out = (length + 2 * padding - kernel_size) // stride + 1``
    (``ceil(length / stride)`` for ``padding="same"``);
    the weights are (kernel_size, c_in, c_out), the biases (c_out,).

    Args:
        in_channels: c_in, the values per position of the input.
        out_channels: c_out, the number of filters.
        kernel_size: K, the width of the window.
        stride: s, the step between two windows.
        padding: p, zeros added at both ends, or "same": as many outputs
            as ``ceil(length / stride)``, Keras's rule (stride 1: the
            length is kept; an odd total puts the extra zero after).
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


# docs/convolution/conv2d.md:99
class Conv2D(_Convolution):
    """A 2-D convolution: (k, height, width, c_in) -> (k, h_out, w_out, c_out).

    Per axis, ``out = (size + 2 * padding - kernel) // stride + 1``;
    the weights are (K1, K2, c_in, c_out), the biases (c_out,).
    ``kernel_size``, ``stride`` and ``padding`` are one int (the same on
    both axes) or a pair (rows, columns); ``padding="same"`` gives
    ``ceil(size / stride)`` on each axis, as in Conv1D, whose other
    arguments these are.

    >>> conv = Conv2D(1, 8, 3, stride=2, padding=1, rng=0)
    >>> conv.weights.shape, conv.forward(np.ones((4, 8, 8, 1))).shape
    ((3, 3, 1, 8), (4, 4, 4, 8))
    """

    ndim = 2
    axes = ("height", "width")


# docs/convolution/conv2d.md:204
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


# docs/convolution/pooling.md:160
class _Pooling:
    """The pooling layers: ``ndim`` spatial axes, no parameters."""

    ndim = 1
    axes: tuple[str, ...] = ("length",)
    parameter_names = ()  # nothing to learn
    inputs: np.ndarray  # the last forward pass's, set by forward

    def __init__(
        self,
        pool_size: int | tuple[int, ...],
        *,
        stride: int | tuple[int, ...] | None = None,
    ) -> None:
        self.pool_size = _per_axis(pool_size, self.ndim)
        step = pool_size if stride is None else stride  # windows that tile
        self.stride = _per_axis(step, self.ndim)

    def output_size(self, size: tuple) -> tuple:
        """The spatial size out for a size in: (n - P) // s + 1."""
        settings = zip(size, self.pool_size, self.stride, strict=True)
        return tuple((n - P) // s + 1 for n, P, s in settings)

    def config(self) -> dict:
        """The settings ``Model.save`` records: one int for equal sizes.

        A stride equal to the pool size is the default, recorded as None.
        """

        def plain(sizes):
            return sizes[0] if len(set(sizes)) == 1 else list(sizes)

        tiled = self.stride == self.pool_size
        return {
            "pool_size": plain(self.pool_size),
            "stride": None if tiled else plain(self.stride),
        }

    def _windows(self, inputs: np.ndarray) -> np.ndarray:
        """(k, *size, c) -> (k, *size_out, c, *pool_size): a view."""
        spatial = tuple(range(1, self.ndim + 1))
        views = sliding_window_view(inputs, self.pool_size, axis=spatial)
        every = (slice(None), *(slice(None, None, s) for s in self.stride))
        return views[every]

    def _scatter(self, share, size_out: tuple) -> np.ndarray:
        """col2im: dinputs (k, *size, c), the sum of the taps' shares.

        ``share(index)`` (k, *size_out, c) goes to the inputs tap met.
        """
        dinputs = np.zeros(self.inputs.shape, dtype=self.inputs.dtype)
        taps = itertools.product(*map(range, self.pool_size))  # row-major
        for index, tap in enumerate(taps):
            steps = zip(tap, self.stride, size_out, strict=True)
            met = (slice(j, j + s * (n - 1) + 1, s) for j, s, n in steps)
            target = (slice(None), *met)
            dinputs[target] += share(index)
        return dinputs


class _MaxPooling(_Pooling):
    """Max pooling: the largest value of each window, channel by channel."""

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, *size, c) -> (k, *size_out, c): the maximum of each window."""
        windows = self._windows(inputs)  # (k, *size_out, c, *pool_size)
        flat = windows.reshape(*windows.shape[: self.ndim + 2], -1)  # a copy
        self.inputs = inputs  # for the backward pass, with the argmax
        # the first maximum in reading order, as PyTorch picks it
        self.argmax = flat.argmax(axis=-1)  # (k, *size_out, c)
        return flat.max(axis=-1)

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """Backward: dvalues (k, *size_out, c) -> dinputs (k, *size, c).

        Each window's gradient goes to its argmax; overlaps add up.
        """

        def share(index):
            return np.where(self.argmax == index, dvalues, 0.0)

        return self._scatter(share, dvalues.shape[1:-1])


class _AvgPooling(_Pooling):
    """Average pooling: the mean of each window, channel by channel."""

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, *size, c) -> (k, *size_out, c): the mean of each window."""
        self.inputs = inputs  # for the backward pass: its shape
        window_axes = tuple(range(-self.ndim, 0))
        return self._windows(inputs).mean(axis=window_axes)

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """Backward: dvalues (k, *size_out, c) -> dinputs (k, *size, c).

        Each input of a window gets 1/P of its gradient; overlaps add up.
        """
        shared = dvalues / math.prod(self.pool_size)
        return self._scatter(lambda index: shared, dvalues.shape[1:-1])


class MaxPool1D(_MaxPooling):
    """Max pooling of signals: (k, length, c) -> (k, length_out, c).

    ``length_out = (length - pool_size) // stride + 1``.

    Args:
        pool_size: P, the width of the window.
        stride: s, the step between two windows; ``pool_size`` if None.

    >>> MaxPool1D(2).forward(np.arange(6.0).reshape(1, 6, 1))[0, :, 0]
    array([1., 3., 5.])
    """

    ndim = 1
    axes = ("length",)


class AvgPool1D(_AvgPooling):
    """Average pooling of signals: (k, length, c) -> (k, length_out, c).

    The arguments and the size out are MaxPool1D's.

    >>> AvgPool1D(2).forward(np.arange(6.0).reshape(1, 6, 1))[0, :, 0]
    array([0.5, 2.5, 4.5])
    """

    ndim = 1
    axes = ("length",)


class MaxPool2D(_MaxPooling):
    """Max pooling of images: (k, height, width, c) -> (k, h_out, w_out, c).

    Per axis ``out = (size - pool) // stride + 1``; ``pool_size`` and
    ``stride`` are one int (the same on both axes) or a pair (rows,
    columns), and ``stride`` is ``pool_size`` if None.

    >>> MaxPool2D(2).forward(np.ones((4, 8, 8, 3))).shape
    (4, 4, 4, 3)
    """

    ndim = 2
    axes = ("height", "width")


class AvgPool2D(_AvgPooling):
    """Average pooling, images: (k, height, width, c) -> (k, h_out, w_out, c).

    The arguments and the size out are MaxPool2D's.

    >>> AvgPool2D((2, 4)).forward(np.ones((4, 8, 8, 3))).shape
    (4, 4, 2, 3)
    """

    ndim = 2
    axes = ("height", "width")


# docs/implementation/errors.md:1588
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


def _padding(owner, value):
    """The constraint on padding: sizes >= 0, "same", or "valid" (0)."""
    where, d = type(owner).__name__, owner.ndim
    if isinstance(value, str) and value.lower() in ("same", "valid"):
        return "same" if value.lower() == "same" else (0,) * d
    kinds = {1: '"same" or an int', 2: '"same", an int or a pair of ints'}
    expected = f"{where} expects padding to be {kinds.get(d, 'sizes')}"
    if isinstance(value, str):
        raise ValueError(f"{expected}; got {value!r}")
    try:
        return _sizes(value, "padding", d, minimum=0, where=where)
    except TypeError:
        raise TypeError(f"{expected}; got {value!r}") from None


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
    if min(owner.output_size(inputs.shape[1:-1])) < 1:  # never for "same"
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
            "padding": _padding,
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


def _pool_sizes(name: str):
    """The constraint on pool_size, or on stride (None: the pool size)."""

    def sizes(owner, value):
        if value is None and name == "stride":
            return None
        where, d = type(owner).__name__, owner.ndim
        return _sizes(value, name, d, minimum=1, where=where)

    return sizes


def _pooled(owner, inputs):
    """Inputs (k, *size, c) of a pooling layer, with room for a window."""
    where = type(owner).__name__
    shape = (*owner.axes, "channels")
    inputs = as_batch_array(inputs, "inputs", shape=shape, where=where)
    if min(owner.output_size(inputs.shape[1:-1])) < 1:
        raise ValueError(
            f"{where} with pool_size {owner.pool_size} expects inputs of at "
            f"least {list(owner.pool_size)} along {owner.axes}; got "
            f"{inputs.shape}"
        )
    return inputs


def _pooled_gradient(owner, dvalues):
    """``dvalues`` of the shape of the last output (k, *size_out, c)."""
    where = type(owner).__name__
    inputs = getattr(owner, "inputs", None)  # None until forward has run
    if inputs is None:
        message = f"{where}.backward needs a forward pass first"
        raise RuntimeError(f"{message}: call forward(inputs), then backward")
    k, *size, c = inputs.shape
    expected = (k, *owner.output_size(tuple(size)), c)
    return _check_dvalues(dvalues, expected, inputs.dtype, where)


guard(
    _Pooling,  # the four pooling layers share its __init__
    {
        "__init__": {
            "pool_size": _pool_sizes("pool_size"),
            "stride": _pool_sizes("stride"),
        },
    },
)
for _kind in (_MaxPooling, _AvgPooling):
    guard(
        _kind,  # MaxPool1D and MaxPool2D; AvgPool1D and AvgPool2D
        {
            "forward": {"inputs": _pooled},
            "backward": {"dvalues": _pooled_gradient},
        },
    )


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "PENALTIES",
    "AvgPool1D",
    "AvgPool2D",
    "Conv1D",
    "Conv2D",
    "Flatten",
    "MaxPool1D",
    "MaxPool2D",
]
