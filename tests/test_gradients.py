"""Every backward pass against centered finite differences, in float64.

The scalar checked is ``C = sum(G * output)`` for a random upstream gradient ``G``: its gradient with respect
to the output is ``G`` itself, so ``backward(G)`` must equal the numerical gradient of ``C``. The Dense layer's
L1/L2 penalties are checked one at a time, each added to ``C``. The finite differences and the relative error
are the book's own (``nnbook.gradcheck``, from the chapter "Gradient checking"); tests/test_gradcheck.py tests them.
"""

import numpy as np
import pytest

import nnbook as nb
from nnbook import gradcheck

SHAPES = [(1, 1, 1), (1, 3, 2), (5, 4, 3), (8, 2, 6), (3, 7, 1)]  # (k, n, m), incl. k = 1 and m > 1
EPS = 1e-6
TOLERANCE = 1e-6


def numerical_gradient(scalar, array):
    """Centered differences of scalar() with respect to every entry of array (restored afterwards)."""
    return gradcheck.numerical_gradient(scalar, array, EPS)


def relative_error(analytic, numeric):
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric))
    assert scale > 1e-8, "the gradients are all zero: the check would prove nothing"
    return gradcheck.relative_error(analytic, numeric)


def away_from_zero(rng, shape, margin=1e-2):
    """Random values with |x| >= margin, so no finite-difference step crosses a kink (ReLU, |x|)."""
    values = rng.standard_normal(shape)
    return np.where(values >= 0, values + margin, values - margin)


@pytest.mark.parametrize(("k", "n", "m"), SHAPES)
def test_dense_weights_biases_and_inputs(k, n, m):
    rng = np.random.default_rng(k * 100 + n * 10 + m)
    layer = nb.Dense(n, m, rng=rng)
    layer.biases[:] = rng.standard_normal(m)
    X = rng.standard_normal((k, n))
    G = rng.standard_normal((k, m))

    def scalar():
        return float(np.sum(G * layer.forward(X)))

    layer.forward(X)
    dinputs = layer.backward(G)
    assert relative_error(layer.dweights, numerical_gradient(scalar, layer.weights)) < TOLERANCE
    assert relative_error(layer.dbiases, numerical_gradient(scalar, layer.biases)) < TOLERANCE
    assert relative_error(dinputs, numerical_gradient(scalar, X)) < TOLERANCE


@pytest.mark.parametrize("penalty", ["weight_l1", "weight_l2", "bias_l1", "bias_l2"])
@pytest.mark.parametrize(("k", "n", "m"), SHAPES)
def test_dense_with_each_penalty_alone(k, n, m, penalty):
    rng = np.random.default_rng(k * 100 + n * 10 + m)
    layer = nb.Dense(n, m, rng=rng, **{penalty: 0.3})
    # Parameters away from 0, where |w| has no derivative.
    layer.weights[:] = away_from_zero(rng, (n, m))
    layer.biases[:] = away_from_zero(rng, m)
    X = rng.standard_normal((k, n))
    G = rng.standard_normal((k, m))

    def scalar():
        return float(np.sum(G * layer.forward(X))) + layer.regularization_loss()

    assert layer.regularization_loss() > 0
    layer.forward(X)
    layer.backward(G)
    data_only = {"dweights": X.T @ G, "dbiases": G.sum(axis=0)}
    charged, untouched = ("dweights", "dbiases") if penalty.startswith("weight") else ("dbiases", "dweights")
    # The penalty changed the gradient of the parameters it charges, and only that one.
    assert not np.allclose(getattr(layer, charged), data_only[charged])
    assert np.allclose(getattr(layer, untouched), data_only[untouched])
    assert relative_error(layer.dweights, numerical_gradient(scalar, layer.weights)) < TOLERANCE
    assert relative_error(layer.dbiases, numerical_gradient(scalar, layer.biases)) < TOLERANCE


@pytest.mark.parametrize(("k", "n", "m"), SHAPES)
def test_relu_away_from_zero(k, n, m):
    rng = np.random.default_rng(k + n + m)
    relu = nb.ReLU()
    Z = away_from_zero(rng, (k, m))
    G = rng.standard_normal((k, m))

    def scalar():
        return float(np.sum(G * relu.forward(Z)))

    relu.forward(Z)
    dZ = relu.backward(G)
    if (Z > 0).any():
        assert relative_error(dZ, numerical_gradient(scalar, Z)) < TOLERANCE
    else:  # every input negative: the numerical gradient is exactly zero and so must ours be
        assert np.array_equal(dZ, np.zeros_like(G)) and np.array_equal(numerical_gradient(scalar, Z), dZ)


@pytest.mark.parametrize(("k", "n", "m"), SHAPES)
def test_linear(k, n, m):
    rng = np.random.default_rng(k + n + m)
    linear = nb.Linear()
    Z = rng.standard_normal((k, m))
    G = rng.standard_normal((k, m))

    def scalar():
        return float(np.sum(G * linear.forward(Z)))

    assert relative_error(linear.backward(G), numerical_gradient(scalar, Z)) < TOLERANCE


@pytest.mark.parametrize(("k", "n", "m"), SHAPES)
def test_mean_squared_error(k, n, m):
    rng = np.random.default_rng(k + n + m)
    loss = nb.MeanSquaredError()
    y_pred, y_true = rng.standard_normal((k, m)), rng.standard_normal((k, m))

    analytic = loss.backward(y_pred, y_true)
    numeric = numerical_gradient(lambda: loss.calculate(y_pred, y_true), y_pred)
    assert analytic.shape == (k, m)
    assert relative_error(analytic, numeric) < TOLERANCE


def test_whole_network_end_to_end():
    """Dense -> ReLU -> Dense -> Linear -> MSE with every penalty on: the chain rule across pieces."""
    rng = np.random.default_rng(42)
    reg = {"weight_l1": 1e-2, "weight_l2": 1e-2, "bias_l1": 1e-2, "bias_l2": 1e-2}
    dense1, relu, dense2, linear = (
        nb.Dense(3, 5, rng=rng, **reg),
        nb.ReLU(),
        nb.Dense(5, 2, rng=rng, **reg),
        nb.Linear(),
    )
    for layer in (dense1, dense2):
        layer.weights[:] = away_from_zero(rng, layer.weights.shape)
        layer.biases[:] = away_from_zero(rng, layer.biases.shape)
    X, y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    loss = nb.MeanSquaredError()

    def scalar():
        y_hat = linear.forward(dense2.forward(relu.forward(dense1.forward(X))))
        return loss.calculate(y_hat, y) + nb.regularization_loss([dense1, relu, dense2, linear])

    scalar()
    assert np.abs(dense1.forward(X)).min() > 1e-4  # no hidden value at the ReLU kink
    y_hat = linear.forward(dense2.forward(relu.forward(dense1.forward(X))))
    dX = dense1.backward(relu.backward(dense2.backward(linear.backward(loss.backward(y_hat, y)))))
    for layer in (dense1, dense2):
        assert relative_error(layer.dweights, numerical_gradient(scalar, layer.weights)) < TOLERANCE
        assert relative_error(layer.dbiases, numerical_gradient(scalar, layer.biases)) < TOLERANCE
    assert relative_error(dX, numerical_gradient(scalar, X)) < TOLERANCE


@pytest.mark.parametrize(("k", "n", "m"), SHAPES)
def test_mean_absolute_error_and_a_regularized_model_via_gradcheck(k, n, m):
    rng = np.random.default_rng(k * 7 + n * 3 + m)
    y_pred = rng.standard_normal((k, m))
    y_true = y_pred + away_from_zero(rng, (k, m), margin=0.1)  # away from the kink of |y - ŷ|
    assert gradcheck.check_loss(nb.MeanAbsoluteError(), y_pred, y_true)["dy_pred"] < TOLERANCE

    reg = {"weight_l2": 1e-2, "bias_l2": 1e-2}
    model = nb.Model([nb.Dense(n, 4, rng=rng, **reg), nb.ReLU(), nb.Dense(4, m, rng=rng, **reg), nb.Linear()])
    X = rng.standard_normal((k, n))
    assert np.abs(model.layers[0].forward(X)).min() > 1e-4  # no hidden value at the ReLU kink
    report = gradcheck.check_model(model, X, y_true)
    assert len(report) == 5 and max(report.values()) < TOLERANCE
