"""The lean training step (issue 15): same training, bit for bit, without the per-batch work.

fit checks the data once and then calls the layers' public ``forward``/``backward`` unchecked (issue
19: one method per operation); these tests prove that it trains exactly as the pieces called one by
one do, stays reproducible and in the model's dtype, never writes over the caller's data, and does
not copy X every epoch. (How it reuses arrays is its own business: no test looks at its workspaces.)
"""

import tracemalloc

import numpy as np
import pytest

import nnbook as nb


def network(dtype, n_inputs=1, seed=0):
    return [
        nb.Dense(n_inputs, 16, rng=seed, dtype=dtype),
        nb.ReLU(),
        nb.Dense(16, 16, rng=seed + 1, dtype=dtype),
        nb.ReLU(),
        nb.Dense(16, 1, rng=seed + 2, dtype=dtype),
        nb.Linear(),
    ]


def data(dtype, k=70, n=1):
    gen = np.random.default_rng(3)
    X = gen.uniform(-1, 1, (k, n)).astype(dtype)
    y = np.sin(3 * X[:, :1]).astype(dtype)
    return X, y


def by_hand(layers, X, y, *, epochs, batch_size, rate, seed):
    """The same training with the public, checked, allocating methods and X[order] copies."""
    loss, sgd = nb.MeanSquaredError(), nb.SGD(rate)
    generator = np.random.default_rng(seed)
    for _ in range(epochs):
        order = generator.permutation(len(X))
        X_epoch, y_epoch = X[order], y[order]
        for start in range(0, len(X), batch_size):
            output = X_epoch[start : start + batch_size]
            for layer in layers:
                output = layer.forward(output)
            dvalues = loss.backward(output, y_epoch[start : start + batch_size])
            for layer in reversed(layers):
                dvalues = layer.backward(dvalues)
            for layer in layers:
                if hasattr(layer, "weights"):
                    sgd.update(layer)
    return layers


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_inputs", [1, 3])  # one feature takes the broadcast product
def test_fit_trains_exactly_as_the_checked_pieces(dtype, n_inputs):
    X, y = data(dtype, n=n_inputs)
    model = nb.Model(network(dtype, n_inputs), optimizer=nb.SGD(0.05))
    model.fit(X, y, epochs=4, batch_size=16, verbose=0, rng=7)  # 70 = 4 * 16 + 6: a last, smaller batch
    reference = by_hand(network(dtype, n_inputs), X, y, epochs=4, batch_size=16, rate=0.05, seed=7)
    for ours, theirs in zip(model.trainable, [la for la in reference if hasattr(la, "weights")], strict=True):
        assert np.array_equal(ours.weights, theirs.weights)
        assert np.array_equal(ours.biases, theirs.biases)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_training_is_bit_reproducible_and_keeps_the_dtype(dtype):
    X, y = data(dtype)
    runs = []
    for _ in range(2):
        model = nb.Model(network(dtype), optimizer=nb.SGD(0.05))
        history = model.fit(X, y, epochs=5, batch_size=8, verbose=0, rng=1)
        runs.append((model, history))
    (a, history_a), (b, history_b) = runs
    assert history_a.history == history_b.history
    for layer_a, layer_b in zip(a.trainable, b.trainable, strict=True):
        assert layer_a.weights.tobytes() == layer_b.weights.tobytes()
        assert layer_a.biases.tobytes() == layer_b.biases.tobytes()
        assert layer_a.weights.dtype == layer_a.dweights.dtype == dtype
    assert a.predict(X).dtype == dtype


def test_a_second_fit_continues_like_one_longer_call_of_the_pieces():
    X, y = data(np.float64)
    model = nb.Model(network(np.float64), optimizer=nb.SGD(0.05))
    generator = np.random.default_rng(5)
    model.fit(X, y, epochs=2, batch_size=16, verbose=0, rng=generator)
    model.fit(X, y, epochs=2, batch_size=16, verbose=0, rng=generator)  # a new call, the same arithmetic
    reference = by_hand(network(np.float64), X, y, epochs=4, batch_size=16, rate=0.05, seed=5)
    assert np.array_equal(model.trainable[0].weights, reference[0].weights)


def test_relu_never_writes_over_the_callers_data():
    X, y = data(np.float64, n=2)
    X[0, 0] = -0.5  # ReLU as the first layer sees negatives in X itself
    before = X.copy()
    layers = [nb.ReLU(), nb.Dense(2, 8, rng=0), nb.ReLU(), nb.Dense(8, 1, rng=1)]
    model = nb.Model(layers, optimizer=nb.SGD(0.01))
    model.fit(X, y, epochs=2, batch_size=16, shuffle=False, verbose=0)  # batches are views of X
    assert np.array_equal(X, before)


def test_public_methods_still_check_and_return_new_arrays():
    layer, relu = nb.Dense(3, 2, rng=0), nb.ReLU()
    X = np.ones((4, 3))
    first, second = layer.forward(X), layer.forward(X)
    assert first is not second and np.array_equal(first, second)
    with pytest.raises(ValueError, match="Dense"):
        layer.forward(np.ones((4, 2)))
    z = np.array([[-1.0, 2.0]])
    assert np.array_equal(relu.forward(z), [[0.0, 2.0]]) and z[0, 0] == -1.0  # input untouched
    with pytest.raises(ValueError, match="ReLU"):
        relu.backward(np.ones((3, 2)))


def test_fit_does_not_copy_the_data_each_epoch():
    """Peak memory of fit (numpy reports its allocations to tracemalloc) stays far below one copy of X."""
    gen = np.random.default_rng(0)
    X = gen.standard_normal((4000, 256))  # 8 MB of float64
    y = X[:, :1].copy()
    model = nb.Model([nb.Dense(256, 8, rng=0), nb.ReLU(), nb.Dense(8, 1, rng=1)], optimizer=nb.SGD(0.001))
    tracemalloc.start()
    try:
        model.fit(X, y, epochs=3, batch_size=64, verbose=0, rng=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < X.nbytes / 4, f"fit allocated {peak} bytes at its peak; X has {X.nbytes}"
