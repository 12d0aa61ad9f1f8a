# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/activations.md
#   docs/concepts/optimization.md
#   docs/classification/softmax.md
#   docs/classification/binary.md
#   docs/implementation/errors.md
# Edit the chapters, then run `make tangle`.

# docs/concepts/activations.md:114
"""Activation functions, applied element-wise: (k, m) -> (k, m)."""

import numpy as np

# docs/implementation/errors.md:1064
from nnbook.boundary import guard
from nnbook.checks import as_2d_array, as_batch_array, check_gradient

# docs/implementation/errors.md:1337
from nnbook import boundary


# docs/concepts/activations.md:121
class ReLU:
    """max(0, z) element-wise: (k, m) -> (k, m), same dtype.

    >>> ReLU().forward(np.array([[-1.0, 0.0, 2.0]]))
    array([[0., 0., 2.]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """max(0, z), keeping z: backward needs to know where z > 0."""
        self.inputs = inputs
        return np.maximum(inputs, 0)

    # docs/concepts/optimization.md:290
    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/da, (k, m) -> (k, m): passed where z > 0, else 0."""
        # Times the boolean mask (True = 1, False = 0): keeps the dtype of dvalues.
        return dvalues * (self.inputs > 0)


# docs/concepts/activations.md:291
class Linear:
    """The identity, the output activation of a regression network.

    Shapes: (k, m) -> (k, m).

    >>> Linear().forward(np.array([[-1.0, 2.0]]))
    array([[-1.,  2.]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Return ``inputs`` itself, unchanged and not copied."""
        return inputs

    # docs/concepts/optimization.md:314
    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/da, (k, m) -> (k, m): the same array (slope 1)."""
        return dvalues


# docs/classification/softmax.md:120
class Softmax:
    """Softmax over each row: logits (k, m) -> probabilities (k, m).

    Each row of the output sums to 1.

    >>> Softmax().forward(np.array([[0.0, 0.0], [1000.0, 0.0]]))
    array([[0.5, 0.5],
           [1. , 0. ]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Probabilities (k, m), same dtype.

        Subtracting each row's max keeps exp from overflowing.
        """
        row_max = inputs.max(axis=1, keepdims=True)  # (k, 1)
        exps = np.exp(inputs - row_max)  # (k, m), every entry in [0, 1]
        self.inputs = inputs
        # (k, m) / (k, 1)
        self.output = exps / exps.sum(axis=1, keepdims=True)
        return self.output

    # docs/classification/softmax.md:223
    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/dŷ, (k, m) -> (k, m): ŷ ⊙ (g − rowsum(g ⊙ ŷ)).

        The (k, m, m) Jacobian is never built.
        """
        dot = (dvalues * self.output).sum(axis=1, keepdims=True)  # (k, 1)
        return self.output * (dvalues - dot)


# docs/classification/binary.md:33
class Sigmoid:
    """The logistic function ``1 / (1 + exp(-z))``, element-wise.

    (k, m) -> (k, m), values in [0, 1] (in (0, 1) unless they round).

    >>> Sigmoid().forward(np.array([[-1000.0, 0.0, 1000.0]]))
    array([[0. , 0.5, 1. ]])
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """σ(z) (k, m), same dtype; exp only sees -|z|: it cannot overflow."""
        small = np.exp(-np.abs(inputs))  # (k, m), in [0, 1]
        self.inputs = inputs
        positive = 1 / (1 + small)  # σ(z) for z >= 0
        negative = small / (1 + small)  # σ(z) for z < 0
        self.output = np.where(inputs >= 0, positive, negative)
        return self.output

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """dC/dz from dC/da, (k, m) -> (k, m): times σ(z) (1 - σ(z))."""
        return dvalues * self.output * (1 - self.output)


# docs/implementation/errors.md:1165
def batch_inputs(where: str):
    """The constraint of an element-wise layer's inputs: any batch shape."""
    return lambda layer, inputs: as_batch_array(inputs, "inputs", where=where)


def same_as_inputs(where: str):
    """The constraint of dvalues: the shape of the last forward's inputs."""

    def constraint(layer, dvalues):
        inputs = getattr(layer, "inputs", None)  # None until forward has run
        return check_gradient(dvalues, inputs, where=where)

    return constraint


guard(
    ReLU,
    {
        "forward": {"inputs": batch_inputs("ReLU")},
        "backward": {"dvalues": same_as_inputs("ReLU")},
    },
)
guard(Linear, {"forward": {"inputs": batch_inputs("Linear")}})


# docs/implementation/errors.md:1341
def _rows_of(where: str):
    """The constraint on the inputs (k, m) of ``where``'s forward."""

    def rows(owner, inputs):
        return as_2d_array(inputs, "inputs", where=where, symbol="m")

    return rows


def _gradient_of(where: str):
    """The constraint on ``dvalues``: the shape of the last forward pass."""

    def gradient(owner, dvalues):
        inputs = getattr(owner, "inputs", None)  # None until forward has run
        return check_gradient(dvalues, inputs, where=where)

    return gradient


for _activation in (Softmax, Sigmoid):
    _name = _activation.__name__
    boundary.guard(
        _activation,
        {
            "forward": {"inputs": _rows_of(_name)},
            "backward": {"dvalues": _gradient_of(_name)},
        },
    )


# The public names of this module, generated by tools/tangle.py.
__all__ = [
    "Linear",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "batch_inputs",
    "same_as_inputs",
]
