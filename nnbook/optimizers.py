# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/optimization.md
# Edit the chapters, then run `make tangle`.

"""Optimizers: they move each layer's parameters against its gradients."""

import numpy as np

from nnbook.checks import check_learning_rate, check_trainable


class SGD:
    """Vanilla stochastic gradient descent: ``w -= r * dw``, ``b -= r * db``.

    Args:
        learning_rate: r, the step size.

    >>> import numpy as np
    >>> from nnbook.layers import Dense
    >>> layer = Dense(2, 1, rng=0)
    >>> layer.dweights, layer.dbiases = np.ones((2, 1)), np.ones(1)
    >>> before = layer.weights.copy()
    >>> SGD(learning_rate=0.5).update(layer)
    >>> bool(np.allclose(layer.weights, before - 0.5))
    True
    """

    def __init__(self, learning_rate: float = 0.01) -> None:
        learning_rate = check_learning_rate(learning_rate, where="SGD")
        self.learning_rate = learning_rate

    def update(self, layer) -> None:
        """Step ``layer.weights`` (n, m) and ``layer.biases`` (m,) in place."""
        check_trainable(layer, where="SGD.update")
        layer.weights -= self.learning_rate * layer.dweights
        layer.biases -= self.learning_rate * layer.dbiases

    def step(self, parameters: np.ndarray, gradients: np.ndarray) -> None:
        """The same rule for a whole network at once: ``parameters -= r * gradients``, in place.

        Both are flat vectors (p,) holding every weight and bias of a network, as
        ``Model`` packs them; one call replaces two per layer.
        """
        parameters -= self.learning_rate * gradients
