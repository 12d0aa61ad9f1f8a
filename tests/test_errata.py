"""The corrected facts of the errata page (docs/reference/errata.md), checked against the package."""

import numpy as np
import pytest

import nnbook as nb


@pytest.mark.parametrize(("k", "n", "m"), [(4, 3, 2), (1, 5, 7), (6, 2, 1)])
def test_bias_has_shape_m_and_is_broadcast_over_the_k_rows(k, n, m):
    layer = nb.Dense(n, m, rng=0)
    layer.biases[:] = np.arange(1, m + 1)
    X = np.random.default_rng(1).standard_normal((k, n))
    assert layer.biases.shape == (m,)
    out = layer.forward(X)
    assert out.shape == (k, m)
    assert np.allclose(out - X @ layer.weights, np.tile(layer.biases, (k, 1)))


@pytest.mark.parametrize(("k", "n", "m"), [(4, 3, 2), (1, 5, 7), (6, 2, 1)])
def test_dbiases_has_shape_m_not_n_m(k, n, m):
    layer = nb.Dense(n, m, rng=0)
    layer.forward(np.ones((k, n)))
    dvalues = np.random.default_rng(2).standard_normal((k, m))
    layer.backward(dvalues)
    assert layer.dbiases.shape == (m,)
    assert np.allclose(layer.dbiases, dvalues.sum(axis=0))


def test_star_in_the_spec_is_the_matrix_product():
    layer = nb.Dense(3, 2, rng=0)
    X = np.random.default_rng(3).standard_normal((4, 3))
    assert np.allclose(layer.forward(X), np.matmul(X, layer.weights) + layer.biases)
    with pytest.raises(ValueError):
        X * layer.weights  # element-wise product of (4, 3) and (3, 2) is not even defined


@pytest.mark.parametrize(("k", "m"), [(1, 1), (5, 1), (4, 3), (2, 8)])
def test_mse_gradient_is_minus_two_residual_over_m_times_k(k, m):
    rng = np.random.default_rng(k * 10 + m)
    y_pred, y_true = rng.standard_normal((k, m)), rng.standard_normal((k, m))
    grad = nb.MeanSquaredError().backward(y_pred, y_true)
    assert np.allclose(grad, -2 * (y_true - y_pred) / (m * k))
    if m > 1:  # the spec's -2 (y - ŷ) / k, the gradient of its sum over outputs, is m times the book's
        assert not np.allclose(grad, -2 * (y_true - y_pred) / k)


def test_relu_derivative_at_exactly_zero_is_zero():
    relu = nb.ReLU()
    relu.forward(np.array([[0.0, -0.0, 1.0, -1.0]]))
    assert np.array_equal(relu.backward(np.ones((1, 4))), [[0.0, 0.0, 1.0, 0.0]])
