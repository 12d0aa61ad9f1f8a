# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/optimization.md
#   docs/implementation/optimizers.md
# Edit the chapters, then run `make tangle`.

# docs/concepts/optimization.md:419
"""Optimizers: they move each layer's parameters against its gradients."""

import numpy as np

from nnbook.checks import (
    check_fraction,
    check_learning_rate,
    check_non_negative_number,
    check_positive_number,
    check_trainable,
)


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
        """The same rule for a whole network at once, in place.

        ``parameters -= r * gradients``, where both are flat vectors (p,)
        holding every weight and bias of a network, as ``Model`` packs them;
        one call replaces two per layer.
        """
        parameters -= self.learning_rate * gradients


# docs/implementation/optimizers.md:45
class _StatefulOptimizer:
    """Base of the optimizers with state: one "slot" of state arrays per parameter array.

    Subclasses name their state arrays in ``_slot_names`` and implement ``_apply``.
    """

    _slot_names: tuple[str, ...] = ()

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = check_learning_rate(learning_rate, where=type(self).__name__)
        self._slots: dict = {}

    def step(self, parameters: np.ndarray, gradients: np.ndarray) -> None:
        """Update a flat vector of parameters (p,) in place with its gradients (p,)."""
        self._apply(parameters, gradients, self._slot("flat", parameters))

    def update(self, layer) -> None:
        """Update ``layer.weights`` (n, m) and ``layer.biases`` (m,) in place, with this layer's own state."""
        check_trainable(layer, where=f"{type(self).__name__}.update")
        for name in ("weights", "biases"):
            parameters = getattr(layer, name)
            self._apply(parameters, getattr(layer, "d" + name), self._slot((id(layer), name), parameters))

    def _slot(self, key, parameters: np.ndarray) -> dict:
        """The state for ``key``, created (zeros, same shape and dtype) on first use or if the parameters changed."""
        slot = self._slots.get(key)
        if slot is None or any(
            slot[name].shape != parameters.shape or slot[name].dtype != parameters.dtype for name in self._slot_names
        ):
            slot = {"t": 0, **{name: np.zeros_like(parameters) for name in self._slot_names}}
            self._slots[key] = slot
        return slot

    def state(self) -> dict:
        """A copy of the state: step counts and state arrays of every parameter array seen so far."""
        return _copy_slots(self._slots)

    def set_state(self, state: dict) -> None:
        """Restore a copy made by ``state()``."""
        self._slots = _copy_slots(state)

    def _apply(self, parameters: np.ndarray, gradients: np.ndarray, slot: dict) -> None:
        raise NotImplementedError


def _copy_slots(slots: dict) -> dict:
    """A deep copy of the state: new state arrays, the step counts t as they are (ints)."""
    return {
        key: {name: value.copy() if isinstance(value, np.ndarray) else value for name, value in slot.items()}
        for key, slot in slots.items()
    }


# docs/implementation/optimizers.md:136
class SGDMomentum(_StatefulOptimizer):
    """SGD with momentum μ and learning-rate decay d: ``v = μ v - r_t g``, ``θ += v``, ``r_t = r / (1 + d t)``.

    Args:
        learning_rate: r, the initial step size (> 0).
        momentum: μ in [0, 1); 0 gives vanilla SGD.
        decay: d >= 0; step t (from 0) uses the rate r / (1 + d t).

    >>> import numpy as np
    >>> theta = np.array([1.0, 1.0])
    >>> optimizer = SGDMomentum(learning_rate=0.1, momentum=0.5)
    >>> for _ in range(2):
    ...     optimizer.step(theta, np.array([1.0, -1.0]))
    >>> theta  # velocities -0.1, then -0.15
    array([0.75, 1.25])
    """

    _slot_names = ("velocity",)

    def __init__(self, learning_rate: float = 0.01, *, momentum: float = 0.0, decay: float = 0.0) -> None:
        super().__init__(learning_rate)
        self.momentum = check_fraction(momentum, "momentum", where="SGDMomentum")
        self.decay = check_non_negative_number(decay, "decay", where="SGDMomentum")

    def config(self) -> dict:
        """The hyper-parameters, as ``SGDMomentum(**config)`` takes them."""
        return {"learning_rate": self.learning_rate, "momentum": self.momentum, "decay": self.decay}

    def _apply(self, parameters: np.ndarray, gradients: np.ndarray, slot: dict) -> None:
        rate = self.learning_rate / (1.0 + self.decay * slot["t"]) if self.decay else self.learning_rate
        slot["t"] += 1
        if not self.momentum:
            parameters -= rate * gradients  # exactly vanilla SGD's step
            return
        velocity = slot["velocity"]
        velocity *= self.momentum
        velocity -= rate * gradients
        parameters += velocity


# docs/implementation/optimizers.md:246
class Adam(_StatefulOptimizer):
    """Adam: per-parameter steps from bias-corrected running means of g (β1) and g² (β2).

    Args:
        learning_rate: r, about the largest step of any parameter (> 0).
        beta1: decay rate of the mean of the gradients, in [0, 1).
        beta2: decay rate of the mean of the squared gradients, in [0, 1).
        epsilon: > 0, keeps the division finite where the gradients are 0.

    >>> import numpy as np
    >>> theta = np.array([1.0, 1.0, 1.0])
    >>> Adam(learning_rate=0.1).step(theta, np.array([-50.0, 0.5, 0.0]))
    >>> np.round(theta, 6)  # the first step: about r against the gradient's sign, whatever its size
    array([1.1, 0.9, 1. ])
    """

    _slot_names = ("m", "v")

    def __init__(
        self, learning_rate: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-7
    ) -> None:
        super().__init__(learning_rate)
        self.beta1 = check_fraction(beta1, "beta1", where="Adam")
        self.beta2 = check_fraction(beta2, "beta2", where="Adam")
        self.epsilon = check_positive_number(epsilon, "epsilon", where="Adam")

    def config(self) -> dict:
        """The hyper-parameters, as ``Adam(**config)`` takes them."""
        return {"learning_rate": self.learning_rate, "beta1": self.beta1, "beta2": self.beta2, "epsilon": self.epsilon}

    def _apply(self, parameters: np.ndarray, gradients: np.ndarray, slot: dict) -> None:
        slot["t"] += 1
        t, m, v = slot["t"], slot["m"], slot["v"]
        m *= self.beta1
        m += (1.0 - self.beta1) * gradients
        v *= self.beta2
        v += (1.0 - self.beta2) * gradients * gradients
        m_hat = m / (1.0 - self.beta1**t)  # Python floats keep float32 arrays in float32
        v_hat = v / (1.0 - self.beta2**t)
        parameters -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "SGD",
    "Adam",
    "SGDMomentum",
]
