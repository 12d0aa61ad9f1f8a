"""Properties over random shapes and both float dtypes: shapes, dtype preservation, the SGD rule, seeds.

Hypothesis draws k, n, m in 1..8 and the dtype; examples are few and derandomized so the run is fast and the
same every time.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import nnbook as nb

FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)
sizes = st.integers(min_value=1, max_value=8)
dtypes = st.sampled_from([np.float32, np.float64])
seeds = st.integers(min_value=0, max_value=2**32 - 1)
penalties = st.sampled_from([{}, {"weight_l1": 0.1}, {"weight_l2": 0.1}, {"bias_l1": 0.1}, {"bias_l2": 0.1}])


def data(seed, shape, dtype):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@FAST
@given(k=sizes, n=sizes, m=sizes, dtype=dtypes, seed=seeds, penalty=penalties)
def test_dense_shapes_and_dtype_forward_and_backward(k, n, m, dtype, seed, penalty):
    layer = nb.Dense(n, m, rng=seed, dtype=dtype, **penalty)
    X = data(seed, (k, n), dtype)
    out = layer.forward(X)
    dX = layer.backward(data(seed + 1, (k, m), dtype))
    assert layer.weights.shape == (n, m) and layer.biases.shape == (m,)
    assert out.shape == (k, m) and dX.shape == (k, n)
    assert layer.dweights.shape == (n, m) and layer.dbiases.shape == (m,)
    for array in (layer.weights, layer.biases, out, dX, layer.dweights, layer.dbiases):
        assert array.dtype == dtype


@FAST
@given(k=sizes, m=sizes, dtype=dtypes, seed=seeds)
def test_activations_keep_shape_and_dtype(k, m, dtype, seed):
    Z = data(seed, (k, m), dtype)
    G = data(seed + 1, (k, m), dtype)
    for activation in (nb.ReLU(), nb.Linear()):
        out = activation.forward(Z)
        back = activation.backward(G)
        assert out.shape == back.shape == (k, m)
        assert out.dtype == back.dtype == dtype
    relu = nb.ReLU()
    assert (relu.forward(Z) >= 0).all()
    assert np.array_equal(relu.backward(G), np.where(Z > 0, G, 0))


@FAST
@given(k=sizes, m=sizes, dtype=dtypes, seed=seeds)
def test_mse_shapes_dtype_and_value(k, m, dtype, seed):
    loss = nb.MeanSquaredError()
    y_pred, y_true = data(seed, (k, m), dtype), data(seed + 1, (k, m), dtype)
    per_sample = loss.forward(y_pred, y_true)
    grad = loss.backward(y_pred, y_true)
    assert per_sample.shape == (k,) and per_sample.dtype == dtype
    assert grad.shape == (k, m) and grad.dtype == dtype
    assert (per_sample >= 0).all()
    assert isinstance(loss.calculate(y_pred, y_true), float)
    assert np.isclose(loss.calculate(y_pred, y_true), np.mean((y_true - y_pred).astype(np.float64) ** 2), rtol=1e-5)


@FAST
@given(n=sizes, m=sizes, dtype=dtypes, seed=seeds, rate=st.floats(min_value=1e-4, max_value=1.0))
def test_sgd_update_is_w_minus_r_dw(n, m, dtype, seed, rate):
    layer = nb.Dense(n, m, rng=seed, dtype=dtype)
    layer.dweights, layer.dbiases = data(seed, (n, m), dtype), data(seed + 1, (m,), dtype)
    weights, biases = layer.weights.copy(), layer.biases.copy()
    nb.SGD(learning_rate=rate).update(layer)
    assert np.array_equal(layer.weights, weights - rate * layer.dweights)
    assert np.array_equal(layer.biases, biases - rate * layer.dbiases)
    assert layer.weights.dtype == layer.biases.dtype == dtype


@FAST
@given(n=sizes, m=sizes, dtype=dtypes, seed=seeds)
def test_same_seed_same_weights(n, m, dtype, seed):
    first, second = nb.Dense(n, m, rng=seed, dtype=dtype), nb.Dense(n, m, rng=seed, dtype=dtype)
    assert np.array_equal(first.weights, second.weights)
    generator = np.random.default_rng(seed)
    assert np.array_equal(nb.Dense(n, m, rng=generator, dtype=dtype).weights, first.weights)
