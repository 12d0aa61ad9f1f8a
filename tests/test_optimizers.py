"""SGDMomentum and Adam: steps against hand-computed references, dtype, state, validation, divergence, saving."""

import re

import numpy as np
import pytest

import nnbook as nb
from conftest import hand_step, parameter_arrays, same_parameters, same_state, state_by_name


def _gradients(steps, p, seed=0):
    return np.random.default_rng(seed).normal(size=(steps, p))


def test_momentum_and_decay_match_a_hand_computed_reference():
    lr, mu, d = 0.1, 0.8, 0.05
    theta0, grads = np.array([1.0, -2.0, 0.5]), _gradients(5, 3)
    theta, optimizer = theta0.copy(), nb.SGDMomentum(lr, momentum=mu, decay=d)
    expected, velocity = theta0.copy(), np.zeros(3)
    for t, g in enumerate(grads):
        optimizer.step(theta, g)
        velocity = mu * velocity - lr / (1 + d * t) * g
        expected = expected + velocity
        np.testing.assert_allclose(theta, expected, rtol=1e-12, atol=1e-15)


def test_adam_matches_a_hand_computed_reference():
    lr, b1, b2, eps = 0.01, 0.9, 0.99, 1e-8
    theta0, grads = np.array([0.3, -0.7, 2.0, 0.0]), _gradients(6, 4, seed=1)
    theta, optimizer = theta0.copy(), nb.Adam(lr, beta1=b1, beta2=b2, epsilon=eps)
    expected, m, v = theta0.copy(), np.zeros(4), np.zeros(4)
    for t, g in enumerate(grads, start=1):
        optimizer.step(theta, g)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        expected = expected - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        np.testing.assert_allclose(theta, expected, rtol=1e-12, atol=1e-15)


def test_adam_bias_correction_makes_the_first_step_the_learning_rate():
    g = np.array([1e-4, -3.0, 250.0])
    theta = np.zeros(3)
    nb.Adam(learning_rate=0.02, epsilon=1e-12).step(theta, g)
    # Without bias correction the step would be r * 0.1 g / sqrt(0.001 g²) ≈ 3.16 r.
    np.testing.assert_allclose(theta, -0.02 * np.sign(g), rtol=1e-6)


def test_zero_momentum_and_decay_equal_vanilla_sgd_bit_for_bit():
    grads = _gradients(4, 7, seed=2)
    a, b = np.linspace(-1, 1, 7), np.linspace(-1, 1, 7)
    sgd, plain = nb.SGD(0.05), nb.SGDMomentum(0.05)
    for g in grads:
        sgd.step(a, g)
        plain.step(b, g)
    assert np.array_equal(a, b)
    first, second = nb.Dense(3, 2, rng=0), nb.Dense(3, 2, rng=0)
    for layer in (first, second):
        layer.dweights, layer.dbiases = np.full((3, 2), 0.3), np.full(2, -0.2)
    for _ in range(3):
        nb.SGD(0.05).update(first)
        plain.update(second)
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.biases, second.biases)


@pytest.mark.parametrize(
    "make", [lambda: nb.SGDMomentum(0.1, momentum=0.9, decay=0.1), lambda: nb.Adam(0.01)], ids=["momentum", "adam"]
)
def test_update_by_layer_agrees_with_step_on_the_flat_vector(make):
    layers = [nb.Dense(2, 3, rng=0), nb.Dense(3, 1, rng=1)]
    flat = np.concatenate([a.ravel() for layer in layers for a in (layer.weights, layer.biases)])
    by_layer, by_vector = make(), make()
    for step in range(4):
        grads = _gradients(1, flat.size, seed=step)[0]
        start = 0
        for layer in layers:
            for name in ("weights", "biases"):
                size = getattr(layer, name).size
                setattr(layer, "d" + name, grads[start : start + size].reshape(getattr(layer, name).shape))
                start += size
            by_layer.update(layer)
        by_vector.step(flat, grads)
    np.testing.assert_array_equal(
        flat, np.concatenate([a.ravel() for layer in layers for a in (layer.weights, layer.biases)])
    )


@pytest.mark.parametrize("make", [lambda: nb.SGDMomentum(0.1, momentum=0.9, decay=0.01), lambda: nb.Adam(0.01)])
def test_float32_stays_float32(make):
    theta = np.ones(5, dtype=np.float32)
    optimizer = make()
    for g in _gradients(3, 5).astype(np.float32):
        optimizer.step(theta, g)
    assert theta.dtype == np.float32
    assert all(a.dtype == np.float32 for a in optimizer.state()["flat"].values() if isinstance(a, np.ndarray))


def test_state_round_trip_replays_the_same_steps():
    optimizer, grads = nb.Adam(0.01), _gradients(6, 3, seed=3)
    theta = np.zeros(3)
    for g in grads[:3]:
        optimizer.step(theta, g)
    saved, saved_theta = optimizer.state(), theta.copy()
    for g in grads[3:]:
        optimizer.step(theta, g)
    after = theta.copy()
    optimizer.set_state(saved)
    theta[...] = saved_theta
    for g in grads[3:]:
        optimizer.step(theta, g)
    assert np.array_equal(theta, after)


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda: nb.SGDMomentum(0.1, momentum=1.0), r"momentum to be a number in \[0, 1\); got 1.0"),
        (lambda: nb.SGDMomentum(0.1, momentum=-0.1), r"momentum"),
        (lambda: nb.SGDMomentum(0.1, decay=-1), r"decay to be a finite number >= 0"),
        (lambda: nb.SGDMomentum(0.0), r"learning_rate"),
        (lambda: nb.Adam(beta1=1.0), r"beta1 to be a number in \[0, 1\)"),
        (lambda: nb.Adam(beta2=float("nan")), r"beta2"),
        (lambda: nb.Adam(epsilon=0.0), r"epsilon to be a finite number > 0"),
        (lambda: nb.Adam(learning_rate=-1e-3), r"learning_rate"),
    ],
)
def test_bad_hyper_parameters_are_refused(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


def test_hyper_parameters_of_the_wrong_type_are_refused():
    with pytest.raises(TypeError, match="momentum"):
        nb.SGDMomentum(0.1, momentum="0.9")


def _sine_model(optimizer):
    layers = [nb.Dense(1, 16, rng=0), nb.ReLU(), nb.Dense(16, 1, rng=1), nb.Linear()]
    return nb.Model(layers, optimizer=optimizer)


@pytest.mark.parametrize(
    "make", [lambda: nb.SGDMomentum(1000.0, momentum=0.9), lambda: nb.Adam(1e100)], ids=["momentum", "adam"]
)
def test_divergence_with_state_names_the_batch_and_restores_finite_parameters(make):
    X, y = nb.datasets.sine(256, rng=0)
    model = _sine_model(make())
    with pytest.raises(FloatingPointError) as error:
        model.fit(X, y, epochs=20, batch_size=32, shuffle=False, verbose=0)
    epoch, batch = map(int, re.search(r"epoch (\d+), batch (\d+) of 8", str(error.value)).groups())
    by_hand = _sine_model(make())
    steps = 8 * (epoch - 1) + (batch - 1)
    with np.errstate(all="ignore"):
        for step in range(steps):
            start = 32 * (step % 8)
            hand_step(by_hand, X[start : start + 32], y[start : start + 32])
        assert all(np.isfinite(array).all() for array in parameter_arrays(model))
        assert same_parameters(model, by_hand)
        state, expected = state_by_name(model.optimizer.state()), state_by_name(by_hand.optimizer.state())
        assert same_state(state, expected) and len(state) > 1  # a step count and the state arrays
        # The named batch is the one that breaks: taking it produces NaN/inf somewhere.
        start = 32 * (steps % 8)
        hand_step(by_hand, X[start : start + 32], y[start : start + 32])
        loss = np.mean((by_hand.forward(X[start : start + 32]) - y[start : start + 32]) ** 2)
    assert not (all(np.isfinite(array).all() for array in parameter_arrays(by_hand)) and np.isfinite(loss))


@pytest.mark.parametrize(
    "optimizer", [nb.SGD(0.05), nb.SGDMomentum(0.02, momentum=0.5, decay=1e-3), nb.Adam(0.003, 0.8, 0.99, 1e-6)]
)
def test_save_and_load_round_trip_the_hyper_parameters(optimizer, tmp_path):
    model = _sine_model(optimizer)
    model.save(tmp_path / "model.npz")
    loaded = nb.Model.load(tmp_path / "model.npz").optimizer
    assert type(loaded) is type(optimizer)
    assert vars(loaded).keys() >= {"learning_rate"}
    for name in ("learning_rate", "momentum", "decay", "beta1", "beta2", "epsilon"):
        assert getattr(loaded, name, None) == getattr(optimizer, name, None)
