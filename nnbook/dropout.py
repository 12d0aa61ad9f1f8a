# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/regularization/dropout.md
# Edit the chapters, then run `make tangle`.

"""Dropout: silence random units while training and scale the others; the identity at inference."""

import numpy as np

from nnbook.checks import as_2d_array, as_generator, check_fraction, check_gradient


class Dropout:
    """Inverted dropout with rate p: (k, m) -> (k, m).

    In training mode (``training = True``; ``Model.fit`` sets it for its steps) each entry is
    set to 0 with probability p and the others are multiplied by 1 / (1 - p), so each entry
    keeps its expected value. In inference mode, the default, the inputs pass unchanged.

    Args:
        rate: p in [0, 1), the probability of dropping each entry.
        rng: seed or generator for the masks (same seed, same masks).

    >>> layer = Dropout(0.5, rng=0)
    >>> layer.forward(np.ones((2, 3)))
    array([[1., 1., 1.],
           [1., 1., 1.]])
    >>> layer.training = True
    >>> np.unique(layer.forward(np.ones((2, 3))))  # each entry dropped, or kept and doubled
    array([0., 2.])
    """

    def __init__(self, rate: float, *, rng: int | np.random.Generator | None = None) -> None:
        self.rate = check_fraction(rate, "rate", where="Dropout")
        self.rng = as_generator(rng, where="Dropout")
        self.training = False
        self.mask = None  # (k, m) from the last forward in training mode; None means "nothing dropped"

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(k, m) -> (k, m), same dtype: ``inputs * mask`` in training mode, ``inputs`` itself otherwise."""
        inputs = as_2d_array(inputs, "inputs", where="Dropout", symbol="m")
        self.inputs = inputs
        if not self.training or self.rate == 0.0:
            self.mask = None
            return inputs
        uniform = self.rng.random(inputs.shape, dtype=np.float32 if inputs.dtype == np.float32 else np.float64)
        # An entry survives with probability 1 - p; the survivors are scaled now so inference needs no correction.
        self.mask = (uniform >= self.rate) * inputs.dtype.type(1.0 / (1.0 - self.rate))
        return inputs * self.mask

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dA from dC/d(output), (k, m) -> (k, m): times the mask of the last forward pass."""
        dvalues = check_gradient(dvalues, getattr(self, "inputs", None), where="Dropout")
        if self.mask is None:
            return dvalues
        return dvalues * self.mask

    def state(self) -> dict:
        """A copy of the random generator's state; ``set_state`` rewinds the generator to it."""
        return self.rng.bit_generator.state

    def set_state(self, state: dict) -> None:
        """Put back a state from ``state()``: the next masks repeat the ones drawn after it."""
        self.rng.bit_generator.state = state

    def config(self) -> dict:
        """The setting ``Model.save`` records; it saves ``state()`` besides."""
        return {"rate": self.rate}
