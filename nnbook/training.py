# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/implementation/model.md
# Edit the chapters, then run `make tangle`.

# docs/implementation/model.md:446
"""What one training step runs on.

One flat parameter vector, the layers' unchecked methods, and the batches
of an epoch.
"""

import numpy as np


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


# docs/implementation/model.md:612
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


# docs/implementation/model.md:1105
def _has_penalty(layers: list) -> bool:
    """Whether any layer has an L1 or L2 factor set (see Loss functions)."""
    names = ("weight_l1", "weight_l2", "bias_l1", "bias_l2")
    return any(getattr(layer, name, 0) for layer in layers for name in names)
