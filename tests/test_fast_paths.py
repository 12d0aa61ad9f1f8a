"""The shortcuts that make training fast change no number: each is checked against the plain computation."""

import numpy as np
import pytest

import nnbook as nb
from conftest import hand_fit, same_parameters


def network(dtype=np.float64, learning_rate=0.05):
    layers = [nb.Dense(3, 8, rng=0, dtype=dtype), nb.ReLU(), nb.Dense(8, 2, rng=1, dtype=dtype), nb.Linear()]
    return nb.Model(layers, optimizer=nb.SGD(learning_rate=learning_rate))


def data(k=40, dtype=np.float64):
    rng = np.random.default_rng(7)
    return rng.standard_normal((k, 3)).astype(dtype), rng.standard_normal((k, 2)).astype(dtype)


def test_dense_backward_without_input_gradient_sets_the_same_gradients():
    X, _ = data()
    dvalues = np.random.default_rng(1).standard_normal((40, 8))
    full, short = nb.Dense(3, 8, rng=0), nb.Dense(3, 8, rng=0)
    full.forward(X)
    dinputs = full.backward(dvalues)
    short.forward(X)
    assert short.backward(dvalues, input_gradient=False) is None
    assert dinputs.shape == (40, 3)
    assert np.array_equal(full.dweights, short.dweights) and np.array_equal(full.dbiases, short.dbiases)


def test_relu_backward_matches_the_where_form():
    z = np.random.default_rng(3).standard_normal((16, 5))
    z[0, :2] = 0.0  # exact zeros take the derivative 0
    d = np.random.default_rng(4).standard_normal((16, 5))
    relu = nb.ReLU()
    relu.forward(z)
    assert np.array_equal(relu.backward(d), np.where(z > 0, d, 0.0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fit_equals_plain_sgd_steps_bit_for_bit(dtype):
    """Fit (flat parameter vector, no input gradient) against forward/backward/update layer by layer."""
    X, y = data(dtype=dtype)
    fitted, by_hand = network(dtype), network(dtype)
    fitted.fit(X, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
    for _ in range(3):
        for start in range(0, 40, 16):
            by_hand.backward(by_hand.forward(X[start : start + 16]), y[start : start + 16])
            for layer in by_hand.trainable:
                by_hand.optimizer.update(layer)
    for a, b in zip(fitted.trainable, by_hand.trainable, strict=True):
        assert np.array_equal(a.weights, b.weights) and np.array_equal(a.biases, b.biases)
        assert a.weights.dtype == a.dweights.dtype == a.biases.dtype == a.dbiases.dtype == dtype


def test_parameters_replaced_between_fits_are_trained_not_ignored():
    X, y = data()
    model = network()
    model.fit(X, y, epochs=1, verbose=0, rng=0)
    layer = model.trainable[0]
    layer.weights = np.zeros_like(layer.weights)  # the user swaps in a new array
    model.fit(X, y, epochs=1, verbose=0, rng=0)
    assert np.any(layer.weights != 0), "fit must train the arrays the layers hold now"
    # ...exactly as the public methods train them, from the zeros on
    by_hand = network()
    by_hand.fit(X, y, epochs=1, verbose=0, rng=0)
    by_hand.trainable[0].weights = np.zeros_like(layer.weights)
    hand_fit(by_hand, X, y, epochs=1, batch_size=32, rng=0)
    assert same_parameters(model, by_hand)


def test_a_float32_fit_never_creates_float64_arrays():
    X, y = data(dtype=np.float32)
    model = network(np.float32)
    model.fit(X.astype(np.float64), y, epochs=2, verbose=0, rng=0)  # float64 data is converted once, on entry
    for layer in model.trainable:
        assert layer.weights.dtype == layer.dweights.dtype == layer.biases.dtype == layer.dbiases.dtype == np.float32
    assert model.predict(X).dtype == np.float32
    assert all(layer.inputs.dtype == np.float32 for layer in model.trainable)
