# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/optimization.md
#   docs/implementation/optimizers.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/concepts/optimization.md:438
"""Optimizers: they move each layer's parameters against its gradients."""

import numpy as np

# docs/implementation/optimizers.md:45
from nnbook.protocol import parameter_names

# docs/implementation/errors.md:1074
from nnbook.boundary import guard
from nnbook.checks import (
    check_fraction,
    check_learning_rate,
    check_non_negative_number,
    check_positive_number,
    check_step_arrays,
    check_trainable,
)


# docs/concepts/optimization.md:450
class SGD:
    """θ -= r_t g for each named array; step t has r_t = r / (1 + d t)."""

    def __init__(self, learning_rate=0.01, *, decay=0.0) -> None:
        self.learning_rate, self.decay, self.steps = learning_rate, decay, {}

    def step(self, parameters: dict, gradients: dict) -> None:
        for name, p in parameters.items():  # p: one array, moved in place
            t = self.steps.get(name, 0)  # the steps it has taken
            p -= self.learning_rate / (1.0 + self.decay * t) * gradients[name]
            self.steps[name] = t + 1

    # docs/implementation/optimizers.md:589
    @property
    def current_learning_rate(self) -> float:
        """The rate of the last step taken (r before the first)."""
        t = max(self.steps.values(), default=0)
        return _decayed(self.learning_rate, self.decay, max(t - 1, 0))

    def update(self, layer) -> None:
        """``step`` on one layer's named arrays."""
        self.step(*layer_arrays(layer))

    def config(self) -> dict:
        """The hyper-parameters, as ``SGD(**config)`` takes them."""
        return {"learning_rate": self.learning_rate, "decay": self.decay}

    def state(self) -> dict:
        """A copy of SGD's only state, the step count of each name."""
        return {name: {"t": t} for name, t in self.steps.items()}

    def set_state(self, state: dict) -> None:
        """Restore a copy made by ``state()``."""
        self.steps = {name: slot["t"] for name, slot in state.items()}


# docs/implementation/optimizers.md:49
def layer_arrays(layer) -> tuple[dict, dict]:
    """A layer's parameter arrays and their gradients, by "id.name"."""
    names = parameter_names(layer)
    keys = [f"{id(layer)}.{name}" for name in names]
    arrays = [getattr(layer, name) for name in names]
    grads = [getattr(layer, "d" + name) for name in names]
    pairs = zip(keys, arrays, strict=True), zip(keys, grads, strict=True)
    return dict(pairs[0]), dict(pairs[1])


class _StatefulOptimizer:
    """Base of the optimizers with state: one "slot" per parameter array.

    A slot holds a step count and state arrays. Subclasses name their state
    arrays in ``slot_names`` and implement ``_apply``.
    """

    slot_names: tuple[str, ...] = ()

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = learning_rate
        self._slots: dict = {}

    def step(self, parameters: dict, gradients: dict) -> None:
        """Update each named array in place; its state is kept by name."""
        for name, theta in parameters.items():
            self._apply(theta, gradients[name], self._slot(name, theta))

    def update(self, layer) -> None:
        """``step`` on one layer's arrays; each layer gets its own state."""
        self.step(*layer_arrays(layer))

    def _slot(self, key, parameters: np.ndarray) -> dict:
        """The state for ``key``, made anew on first use or for new parameters.

        New state arrays are zeros of the parameters' shape and dtype.
        """
        slot = self._slots.get(key)
        if slot is None or not self._fits(slot, parameters):
            names = self.slot_names
            zeros = {name: np.zeros_like(parameters) for name in names}
            slot = {"t": 0, **zeros}
            self._slots[key] = slot
        return slot

    def _fits(self, slot: dict, parameters: np.ndarray) -> bool:
        """Whether the state arrays of ``slot`` match the parameters."""
        for name in self.slot_names:
            state = slot[name]
            same_shape = state.shape == parameters.shape
            if not (same_shape and state.dtype == parameters.dtype):
                return False
        return True

    def state(self) -> dict:
        """A copy of the state: step counts and state arrays seen so far."""
        return _copy_slots(self._slots)

    def set_state(self, state: dict) -> None:
        """Restore a copy made by ``state()``."""
        self._slots = _copy_slots(state)

    def _apply(self, parameters, gradients, slot: dict) -> None:
        raise NotImplementedError

    # docs/implementation/optimizers.md:571
    def _rate_of_step(self, t: int) -> float:
        """The learning rate of step t (from 0): r / (1 + d t)."""
        return _decayed(self.learning_rate, getattr(self, "decay", 0.0), t)

    @property
    def current_learning_rate(self) -> float:
        """The rate of the last step taken (r before the first)."""
        return _last_rate(self)


# docs/implementation/optimizers.md:117
def _copy_slots(slots: dict) -> dict:
    """A deep copy of the state: new arrays, the step counts t as they are."""
    return {key: _copy_slot(slot) for key, slot in slots.items()}


def _copy_slot(slot: dict) -> dict:
    """One slot with its state arrays copied."""
    copy = {}
    for name, value in slot.items():
        copy[name] = value.copy() if isinstance(value, np.ndarray) else value
    return copy


# docs/implementation/optimizers.md:168
class SGDMomentum(_StatefulOptimizer):
    """SGD with momentum μ and learning-rate decay d.

    Each step: ``v = μ v - r_t g``, ``θ += v``, with ``r_t = r / (1 + d t)``.

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

    slot_names = ("velocity",)

    def __init__(
        self,
        learning_rate: float = 0.01,
        *,
        momentum: float = 0.0,
        decay: float = 0.0,
    ) -> None:
        super().__init__(learning_rate)
        self.momentum = momentum
        self.decay = decay

    def config(self) -> dict:
        """The hyper-parameters, as ``SGDMomentum(**config)`` takes them."""
        return {
            "learning_rate": self.learning_rate,
            "momentum": self.momentum,
            "decay": self.decay,
        }

    def _apply(self, parameters, gradients, slot: dict) -> None:
        """One step on ``parameters`` with ``gradients``, in place."""
        rate = self.learning_rate
        if self.decay:
            rate = self.learning_rate / (1.0 + self.decay * slot["t"])
        slot["t"] += 1
        if not self.momentum:
            parameters -= rate * gradients  # exactly vanilla SGD's step
            return
        velocity = slot["velocity"]
        velocity *= self.momentum
        velocity -= rate * gradients
        parameters += velocity


# docs/implementation/optimizers.md:304
class Adam(_StatefulOptimizer):
    """Adam: per-parameter steps from running means of g (β1) and g² (β2).

    Both means are bias-corrected.

    Args:
        learning_rate: r, the typical size of a step (> 0).
        beta1: decay rate of the mean of the gradients, in [0, 1).
        beta2: decay rate of the mean of the squared gradients, in [0, 1).
        epsilon: > 0, keeps the division finite where the gradients are 0.
        decay: d >= 0; step t (from 0) uses the rate r / (1 + d t).

    >>> import numpy as np
    >>> theta = np.array([1.0, 1.0, 1.0])
    >>> Adam(learning_rate=0.1).step(theta, np.array([-50.0, 0.5, 0.0]))
    >>> np.round(theta, 6)  # the first step: r against the gradient's sign
    array([1.1, 0.9, 1. ])
    """

    slot_names = ("m", "v")

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-7,
        *,
        decay: float = 0.0,
    ) -> None:
        super().__init__(learning_rate)
        self.beta1, self.beta2 = beta1, beta2
        self.epsilon, self.decay = epsilon, decay

    def config(self) -> dict:
        """The hyper-parameters, as ``Adam(**config)`` takes them."""
        return {
            "learning_rate": self.learning_rate,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "epsilon": self.epsilon,
            "decay": self.decay,
        }

    def _apply(self, parameters, gradients, slot: dict) -> None:
        """One step on ``parameters`` with ``gradients``, in place."""
        slot["t"] += 1
        t, m, v = slot["t"], slot["m"], slot["v"]
        m *= self.beta1
        m += (1.0 - self.beta1) * gradients
        v *= self.beta2
        v += (1.0 - self.beta2) * gradients * gradients
        # Python floats keep float32 arrays in float32.
        m_hat = m / (1.0 - self.beta1**t)
        v_hat = v / (1.0 - self.beta2**t)
        rate = self._rate_of_step(t - 1)  # r / (1 + d (t - 1))
        scaled = rate * m_hat
        parameters -= scaled / (np.sqrt(v_hat) + self.epsilon)


# docs/implementation/optimizers.md:553
def _decayed(learning_rate: float, decay: float, t: int) -> float:
    """The rate r / (1 + d t) of step t (from 0); exactly r if d = 0."""
    if not decay:
        return learning_rate
    return learning_rate / (1.0 + decay * t)


def _last_rate(optimizer) -> float:
    """The rate of the optimizer's last step (r before the first one)."""
    slots = optimizer._slots.values()
    steps = max((slot["t"] for slot in slots), default=0)
    decay = getattr(optimizer, "decay", 0.0)
    return _decayed(optimizer.learning_rate, decay, max(steps - 1, 0))


# docs/implementation/optimizers.md:658
class AdaGrad(_StatefulOptimizer):
    """AdaGrad: ``c += g²``, ``θ -= r_t g / (sqrt(c) + ε)``, per parameter.

    Args:
        learning_rate: r, the initial step size (> 0).
        decay: d >= 0; step t (from 0) uses the rate r / (1 + d t).
        epsilon: > 0, keeps the division finite where c = 0.

    >>> import numpy as np
    >>> theta = np.zeros(2)
    >>> AdaGrad(learning_rate=0.5).step(theta, np.array([4.0, -0.01]))
    >>> np.round(theta, 4)  # the first step: r against each sign
    array([-0.5,  0.5])
    """

    slot_names = ("cache",)

    def __init__(
        self,
        learning_rate: float = 0.01,
        *,
        decay: float = 0.0,
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__(learning_rate)
        self.decay, self.epsilon = decay, epsilon

    def config(self) -> dict:
        """The hyper-parameters, as ``AdaGrad(**config)`` takes them."""
        return {
            "learning_rate": self.learning_rate,
            "decay": self.decay,
            "epsilon": self.epsilon,
        }

    def _apply(
        self,
        parameters: np.ndarray,
        gradients: np.ndarray,
        slot: dict,
    ) -> None:
        rate = self._rate_of_step(slot["t"])
        slot["t"] += 1
        cache = slot["cache"]
        cache += gradients * gradients
        parameters -= rate * gradients / (np.sqrt(cache) + self.epsilon)


# docs/implementation/optimizers.md:742
class RMSprop(_StatefulOptimizer):
    """RMSprop: ``c = rho c + (1 - rho) g²``, ``θ -= r_t g / (sqrt(c) + ε)``.

    Args:
        learning_rate: r, the initial step size (> 0).
        rho: in [0, 1), the decay rate of the mean of g².
        decay: d >= 0; step t (from 0) uses the rate r / (1 + d t).
        epsilon: > 0, keeps the division finite where c = 0.

    >>> import numpy as np
    >>> theta = np.zeros(1)
    >>> RMSprop(learning_rate=0.1, rho=0.75).step(theta, np.array([2.0]))
    >>> np.round(theta, 6)  # r / sqrt(1 - rho) = 2 r on the first step
    array([-0.2])
    """

    slot_names = ("cache",)

    def __init__(
        self,
        learning_rate: float = 0.001,
        *,
        rho: float = 0.9,
        decay: float = 0.0,
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__(learning_rate)
        self.rho, self.decay, self.epsilon = rho, decay, epsilon

    def config(self) -> dict:
        """The hyper-parameters, as ``RMSprop(**config)`` takes them."""
        return {
            "learning_rate": self.learning_rate,
            "rho": self.rho,
            "decay": self.decay,
            "epsilon": self.epsilon,
        }

    def _apply(
        self,
        parameters: np.ndarray,
        gradients: np.ndarray,
        slot: dict,
    ) -> None:
        rate = self._rate_of_step(slot["t"])
        slot["t"] += 1
        cache = slot["cache"]
        cache *= self.rho
        cache += (1.0 - self.rho) * gradients * gradients
        parameters -= rate * gradients / (np.sqrt(cache) + self.epsilon)


# docs/implementation/errors.md:1237
def named_arrays(optimizer, parameters, gradients) -> tuple[dict, dict]:
    """The constraint of ``step``'s (parameters, gradients): named arrays."""
    where = f"{type(optimizer).__name__}.step"
    if not isinstance(parameters, dict):
        check_step_arrays(parameters, gradients, where=where)
        return {"flat": parameters}, {"flat": gradients}
    named = isinstance(gradients, dict)
    if not named or set(gradients) != set(parameters):
        got = sorted(gradients) if named else type(gradients).__name__
        message = f"{where} expects gradients named as the parameters"
        raise TypeError(f"{message}, {sorted(parameters)}; got {got}")
    for name, theta in parameters.items():
        check_step_arrays(theta, gradients[name], where=f"{where} ({name!r})")
    return parameters, gradients


def hyper(check, name: str, where: str):
    """The constraint of one hyper-parameter."""
    return lambda _, value: check(value, name, where=where)


def rate(where: str):
    """The constraint of a learning rate: a number > 0."""
    return lambda _, value: check_learning_rate(value, where=where)


def trainable(optimizer, layer):
    """The constraint of ``update``'s layer: it has run backward."""
    check_trainable(layer, where=f"{type(optimizer).__name__}.update")
    return layer


_HYPER = {
    SGD: {"decay": check_non_negative_number},
    SGDMomentum: {
        "momentum": check_fraction,
        "decay": check_non_negative_number,
    },
    Adam: {
        "beta1": check_fraction,
        "beta2": check_fraction,
        "epsilon": check_positive_number,
        "decay": check_non_negative_number,
    },
    AdaGrad: {
        "decay": check_non_negative_number,
        "epsilon": check_positive_number,
    },
    RMSprop: {
        "rho": check_fraction,
        "decay": check_non_negative_number,
        "epsilon": check_positive_number,
    },
}
for _class, _checks in _HYPER.items():
    _name = _class.__name__
    _init = {"learning_rate": rate(_name)}
    _init |= {key: hyper(check, key, _name) for key, check in _checks.items()}
    guard(_class, {"__init__": _init})
for _class in (SGD, _StatefulOptimizer):
    _methods = {
        "step": {("parameters", "gradients"): named_arrays},
        "update": {"layer": trainable},
    }
    guard(_class, _methods)


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "SGD",
    "AdaGrad",
    "Adam",
    "RMSprop",
    "SGDMomentum",
    "hyper",
    "layer_arrays",
    "named_arrays",
    "rate",
    "trainable",
]
