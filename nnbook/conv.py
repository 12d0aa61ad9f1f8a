# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/convolution/conv1d.md
#   docs/convolution/conv-backward.md
#   docs/convolution/conv2d.md
# Edit the chapters, then run `make tangle`.

# docs/convolution/conv1d.md:207
"""Convolution: a Dense layer applied to every window of a signal or image.

Channels-last, as Keras: signals are (k, length, c), images are
(k, height, width, c), the weights (*kernel_size, c_in, c_out).
"""

import itertools
import math
import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from nnbook.checks import (
    as_batch_array,
    as_float_dtype,
    as_generator,
    check_non_negative_number,
    check_positive_int,
)
from nnbook.layers import Dense, add_penalty_gradients

PENALTIES = ("weight_l1", "weight_l2", "bias_l1", "bias_l2")


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
        expected = f"{where} expects {name} to be an int or {ndim} ints"
        raise TypeError(f"{expected}; got {value!r}")
    if min(values) < minimum:
        raise ValueError(f"{where} expects {name} >= {minimum}; got {value!r}")
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
        where, d = type(self).__name__, self.ndim
        c_in = check_positive_int(in_channels, "in_channels", where=where)
        c_out = check_positive_int(out_channels, "out_channels", where=where)
        kernel = _sizes(kernel_size, "kernel_size", d, minimum=1, where=where)
        steps = _sizes(stride, "stride", d, minimum=1, where=where)
        pads = _sizes(padding, "padding", d, minimum=0, where=where)
        generator = as_generator(rng, where=where)
        dtype = as_float_dtype(dtype, where=where)
        penalty = check_non_negative_number  # L1/L2 strengths: finite, >= 0
        self.weight_l1 = penalty(weight_l1, "weight_l1", where=where)
        self.weight_l2 = penalty(weight_l2, "weight_l2", where=where)
        self.bias_l1 = penalty(bias_l1, "bias_l1", where=where)
        self.bias_l2 = penalty(bias_l2, "bias_l2", where=where)
        self.kernel_size: tuple[int, ...] = kernel
        self.stride: tuple[int, ...] = steps
        self.padding: tuple[int, ...] = pads
        # He initialization: each output sums K * c_in products.
        scale = np.sqrt(2.0 / (math.prod(kernel) * c_in))
        shape = (*kernel, c_in, c_out)
        draws = generator.standard_normal(shape) * scale
        self.weights = draws.astype(dtype)  # (*kernel_size, c_in, c_out)
        self.biases = np.zeros(c_out, dtype=dtype)  # (c_out,)
        # Buffers, reused batch after batch:
        self._padded: np.ndarray | None = None
        self._rows: np.ndarray | None = None
        self._size: tuple[int, ...] = ()  # the last input's spatial size

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
        size = inputs.shape[1:-1]
        grown = (n + 2 * p for n, p in zip(size, self.padding, strict=True))
        shape = (inputs.shape[0], *grown, inputs.shape[-1])
        padded = self._padded
        if padded is None or padded.shape != shape:
            # Zeros once; later batches overwrite the inside only.
            padded = self._padded = np.zeros(shape, dtype=inputs.dtype)
        padded[self._inner(size)] = inputs
        return padded

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, *size, c_in) -> (k, *size_out, c_out): one product, im2col."""
        where, d = type(self).__name__, self.ndim
        inputs = as_batch_array(
            inputs,
            "inputs",
            shape=self.input_shape,
            dtype=self.weights.dtype,
            where=where,
        )
        k, c_in = inputs.shape[0], inputs.shape[-1]
        size = inputs.shape[1:-1]
        size_out = self.output_size(size)
        if min(size_out) < 1:
            sizes = zip(self.kernel_size, self.padding, strict=True)
            smallest = [K - 2 * p for K, p in sizes]
            raise ValueError(
                f"{where} with kernel_size {self.kernel_size} and padding "
                f"{self.padding} expects inputs of at least {smallest} along "
                f"{self.axes}; got {inputs.shape}"
            )
        spatial = tuple(range(1, d + 1))
        # (k, *positions, c_in, *kernel): every window, a view, no copy
        padded = self._pad(inputs)
        windows = sliding_window_view(padded, self.kernel_size, axis=spatial)
        every = (slice(None), *(slice(None, None, s) for s in self.stride))
        windows = windows[every]  # (k, *size_out, c_in, *K)
        # c_in after the kernel axes: the order of the weights' rows
        order = (0, *spatial, *range(d + 2, 2 * d + 2), d + 1)
        shape = (k, *size_out, *self.kernel_size, c_in)
        buffer = self._rows
        if buffer is None or buffer.shape != shape:
            buffer = self._rows = np.empty(shape, dtype=inputs.dtype)
        np.copyto(buffer, windows.transpose(order))  # the one copy
        self._size = size  # for the backward pass
        c_out = self.weights.shape[-1]
        rows = buffer.reshape(-1, math.prod(self.kernel_size) * c_in)
        outputs = rows @ self.weights.reshape(-1, c_out)  # (rows, c_out)
        outputs += self.biases  # (c_out,) over every row, in place
        return outputs.reshape(k, *size_out, c_out)

    # docs/convolution/conv-backward.md:185
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
        where, d = type(self).__name__, self.ndim
        buffer = self._rows  # the im2col rows of the last forward pass
        if buffer is None:
            message = f"{where}.backward needs a forward pass first"
            raise RuntimeError(f"{message}: call forward(inputs), then backward")
        c_in, c_out = self.weights.shape[-2:]
        k, size_out = buffer.shape[0], buffer.shape[1 : d + 1]
        expected = (k, *size_out, c_out)
        dvalues = _check_dvalues(dvalues, expected, self.weights.dtype, where)
        gradients = dvalues.reshape(-1, c_out)  # (k * positions, c_out)
        rows = buffer.reshape(len(gradients), -1)  # (k * positions, K c_in)
        if getattr(self, "dweights", None) is None:
            self.dweights = np.empty_like(self.weights)
        # Weight sharing: Dense's inputs.T @ dvalues sums over the positions.
        np.matmul(rows.T, gradients, out=self.dweights.reshape(-1, c_out))
        dbiases = getattr(self, "dbiases", None)
        self.dbiases = np.add.reduce(gradients, axis=0, out=dbiases)
        add_penalty_gradients(self)  # Dense's L1/L2 terms, on any shape
        if not input_gradient:
            return None
        # Dense's dvalues @ W.T: the gradient of every copy in every window
        d_rows = gradients @ self.weights.reshape(-1, c_out).T
        d_rows = d_rows.reshape(buffer.shape)  # (k, *size_out, *K, c_in)
        size = self._size
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
        return d_padded[self._inner(size)]  # the padding's gradient is dropped


# docs/convolution/conv1d.md:401
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


# docs/convolution/conv-backward.md:239
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


# docs/convolution/conv2d.md:61
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
        inputs = as_batch_array(inputs, "inputs", where="Flatten")
        self._shape, self._dtype = inputs.shape, inputs.dtype
        return inputs.reshape(len(inputs), -1)

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """Reshape dvalues (k, n) back to the last input's (k, *shape)."""
        shape = getattr(self, "_shape", None)
        if shape is None:
            message = "Flatten.backward needs a forward pass first"
            raise RuntimeError(f"{message}: call forward, then backward")
        flat = (shape[0], math.prod(shape[1:]))
        dvalues = _check_dvalues(dvalues, flat, self._dtype, "Flatten")
        return dvalues.reshape(shape)


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "PENALTIES",
    "Conv1D",
    "Conv2D",
    "Flatten",
]
