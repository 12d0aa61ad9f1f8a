"""Dropout: its two modes, its gradient, its settings, and how Model.fit, the divergence replay and saving treat it."""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnbook as nb
from conftest import hand_fit, hand_step, parameter_arrays, same_state, set_training, state_by_name

# --------------------------------------------------------------------------- helpers


def training(rate, rng=0):
    layer = nb.Dropout(rate, rng=rng)
    layer.training = True
    return layer


def sine_data(k=64, seed=0):
    X = np.random.default_rng(seed).uniform(0, 1, (k, 1))
    return X, np.sin(2 * np.pi * X)


def dropout_model(rate=0.5, lr=0.05, optimizer=None, dtype=np.float64, seed=2):
    layers = [
        nb.Dense(1, 16, rng=0, dtype=dtype),
        nb.ReLU(),
        nb.Dropout(rate, rng=seed),
        nb.Dense(16, 1, rng=1, dtype=dtype),
        nb.Linear(),
    ]
    return nb.Model(layers, optimizer=optimizer if optimizer is not None else nb.SGD(learning_rate=lr))


def same_parameters(a, b):
    return all(
        x.weights.tobytes() == y.weights.tobytes() and x.biases.tobytes() == y.biases.tobytes()
        for x, y in zip(a.trainable, b.trainable, strict=True)
    )


# --------------------------------------------------------------------------- the layer alone


def test_inference_mode_is_the_default_and_returns_the_inputs_themselves():
    layer = nb.Dropout(0.5, rng=0)
    X = np.arange(6.0).reshape(2, 3)
    assert layer.training is False
    assert layer.forward(X) is X
    assert layer.mask is None
    dvalues = np.ones((2, 3))
    assert layer.backward(dvalues) is dvalues


@pytest.mark.parametrize("rate", [0.1, 0.25, 0.5, 0.9])
def test_training_mode_zeroes_about_rate_and_scales_the_rest(rate):
    X = np.random.default_rng(1).uniform(1, 2, (400, 250))  # no zeros of its own
    out = training(rate).forward(X)
    dropped = out == 0
    assert abs(dropped.mean() - rate) < 0.01  # 100 000 draws: the standard error is below 0.0016
    np.testing.assert_allclose(out[~dropped], X[~dropped] / (1 - rate), rtol=1e-12)
    assert abs(out.sum() / X.sum() - 1) < 0.02  # the expected value is kept


def test_masks_differ_between_samples_and_calls_but_repeat_with_the_seed():
    X = np.ones((8, 32))
    a, b = training(0.5, rng=4), training(0.5, rng=4)
    first = a.forward(X)
    assert not np.array_equal(first[0], first[1])
    assert not np.array_equal(first, a.forward(X))
    assert np.array_equal(first, b.forward(X))


def test_a_generator_passed_in_is_used_not_copied():
    generator = np.random.default_rng(0)
    layer = training(0.5, rng=generator)
    expected = np.random.default_rng(0).random((3, 4)) >= 0.5
    assert np.array_equal(layer.forward(np.ones((3, 4))) > 0, expected)
    assert layer.rng is generator


def test_backward_uses_the_mask_of_the_last_forward():
    layer = training(0.3, rng=5)
    out = layer.forward(np.ones((10, 7)))
    dvalues = np.random.default_rng(0).standard_normal((10, 7))
    np.testing.assert_array_equal(layer.backward(dvalues), dvalues * out)  # out is the mask itself for ones


def test_rate_zero_draws_nothing_in_training_mode():
    layer = training(0.0, rng=0)
    before = layer.state()
    X = np.ones((3, 2))
    assert layer.forward(X) is X
    assert layer.state() == before


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_dtype_is_kept_in_both_directions(dtype):
    layer = training(0.5)
    out = layer.forward(np.ones((4, 3), dtype=dtype))
    assert out.dtype == layer.mask.dtype == dtype
    assert layer.backward(np.ones((4, 3), dtype=dtype)).dtype == dtype


def test_state_rewinds_the_masks():
    layer = training(0.5, rng=9)
    saved = layer.state()
    first = layer.forward(np.ones((5, 5)))
    layer.forward(np.ones((5, 5)))
    layer.set_state(saved)
    assert np.array_equal(layer.forward(np.ones((5, 5))), first)


@settings(max_examples=40, deadline=None)
@given(
    rate=st.floats(0.01, 0.95),  # 0 draws no mask at all: see test_rate_zero_draws_nothing_in_training_mode
    k=st.integers(1, 6),
    m=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_entry_is_dropped_or_scaled_and_the_gradient_follows(rate, k, m, seed):
    X = np.random.default_rng(seed).standard_normal((k, m))
    layer = training(rate, rng=seed)
    out = layer.forward(X)
    kept = layer.mask != 0
    np.testing.assert_array_equal(out[~kept], 0.0)
    np.testing.assert_allclose(out[kept], X[kept] / (1 - rate), rtol=1e-12)
    G = np.random.default_rng(seed + 1).standard_normal((k, m))
    np.testing.assert_array_equal(layer.backward(G), G * layer.mask)


# --------------------------------------------------------------------------- gradients


class SameMask(nb.Dropout):
    """Draws the same mask on every forward, so finite differences compare one function."""

    def forward(self, inputs):
        self.set_state(self.start)
        return super().forward(inputs)


@pytest.mark.parametrize("rate", [0.2, 0.5, 0.8])
def test_gradient_against_finite_differences_in_training_mode(rate):
    layer = SameMask(rate, rng=3)
    layer.start = layer.state()
    layer.training = True
    X = np.random.default_rng(0).standard_normal((6, 5))
    assert nb.check_layer(layer, X)["dinputs"] < 1e-8


def test_a_model_with_dropout_checks_out_in_inference_mode():
    model = dropout_model()
    X, y = sine_data(k=8)
    report = nb.check_model(model, X, y)
    assert max(report.values()) < 1e-6, report


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("rate", "error", "text"),
    [
        (-0.1, ValueError, "finite number >= 0"),
        (1.0, ValueError, "[0, 1)"),
        (1.5, ValueError, "[0, 1)"),
        (math.nan, ValueError, "rate"),
        ("0.5", TypeError, "real number"),
        (True, TypeError, "real number"),
        (None, TypeError, "real number"),
    ],
)
def test_a_bad_rate_is_refused_at_construction(rate, error, text):
    with pytest.raises(error, match=re.escape(text)) as info:
        nb.Dropout(rate)
    assert "Dropout" in str(info.value) and "rate" in str(info.value)


def test_a_bad_rng_is_refused():
    with pytest.raises(TypeError, match="Dropout expects rng"):
        nb.Dropout(0.5, rng="seed")


@pytest.mark.parametrize(
    ("inputs", "error", "text"),
    [
        (np.ones(3), ValueError, "(k, m)"),
        (np.ones((2, 3, 4)), ValueError, "(k, m)"),
        (np.array([["a", "b"]]), TypeError, "Dropout"),
    ],
)
def test_forward_refuses_what_is_not_a_2d_numeric_array(inputs, error, text):
    with pytest.raises(error, match=re.escape(text)):
        training(0.5).forward(inputs)


def test_backward_needs_a_forward_and_the_same_shape():
    layer = training(0.5)
    with pytest.raises(RuntimeError, match="forward pass first"):
        layer.backward(np.ones((2, 3)))
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=re.escape("expects dvalues of shape (2, 3)")):
        layer.backward(np.ones((3, 2)))


# --------------------------------------------------------------------------- in a model


def test_fit_trains_with_dropout_and_leaves_the_model_in_inference_mode():
    X, y = sine_data()
    model = dropout_model()
    model.layers[2].training = True
    history = model.fit(X, y, epochs=2, verbose=0, rng=0)
    assert model.layers[2].training is False
    assert np.array_equal(model.predict(X), model.predict(X))
    # The training loss came from thinned networks; evaluate uses the whole one.
    assert history.history["loss"][-1] != model.evaluate(X, y)["loss"]


def test_validation_scores_use_the_whole_network():
    X, y = sine_data()
    X_val, y_val = sine_data(k=32, seed=1)
    model = dropout_model()
    history = model.fit(X, y, epochs=1, validation_data=(X_val, y_val), verbose=0, rng=0)
    assert history.history["val_loss"][-1] == model.evaluate(X_val, y_val)["loss"]


def test_the_same_seeds_train_bit_for_bit_alike_and_another_mask_seed_does_not():
    X, y = sine_data()
    a, b, c = dropout_model(seed=2), dropout_model(seed=2), dropout_model(seed=3)
    for model in (a, b, c):
        model.fit(X, y, epochs=3, verbose=0, rng=0)
    assert same_parameters(a, b)
    assert not same_parameters(a, c)


def test_fit_matches_steps_taken_by_hand_in_training_mode():
    X, y = sine_data()
    model, by_hand = dropout_model(), dropout_model()
    model.fit(X, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    hand_fit(by_hand, X, y, epochs=1, batch_size=16, shuffle=False)
    assert same_parameters(model, by_hand)
    assert model.layers[2].state() == by_hand.layers[2].state()  # the same masks drawn


class Interrupting:
    """An identity layer that raises KeyboardInterrupt on its n-th forward pass in training mode."""

    def __init__(self, n):
        self.n, self.calls, self.training = n, 0, False

    def forward(self, inputs):
        if self.training:
            self.calls += 1
            if self.calls == self.n:
                raise KeyboardInterrupt
        return inputs

    def backward(self, dvalues):
        return dvalues


def test_an_interrupted_fit_leaves_every_layer_in_inference_mode():
    X, y = sine_data()
    stop = Interrupting(3)
    model = nb.Model([nb.Dense(1, 4, rng=0), nb.Dropout(0.5, rng=0), stop, nb.Dense(4, 1, rng=1)])
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y, epochs=2, batch_size=16, verbose=0, rng=0)
    assert model.layers[1].training is False and stop.training is False


@pytest.mark.parametrize(
    "make_optimizer", [lambda: nb.SGD(learning_rate=300.0), lambda: nb.Adam(learning_rate=1e100)], ids=["SGD", "Adam"]
)
def test_divergence_replay_draws_the_same_masks(make_optimizer):
    X, y = sine_data(k=128)
    model = dropout_model(optimizer=make_optimizer())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FloatingPointError) as info:
            model.fit(X, y, epochs=30, batch_size=16, shuffle=False, verbose=0)
    epoch, batch = map(int, re.search(r"epoch (\d+), batch (\d+) of 8", str(info.value)).groups())
    assert model.layers[2].training is False
    assert all(np.isfinite(layer.weights).all() for layer in model.trainable)

    # The same steps by hand: same weights, same optimizer state and the same position of the mask generator.
    by_hand = dropout_model(optimizer=make_optimizer())
    set_training(by_hand.layers, True)
    with np.errstate(all="ignore"):
        for step in range(8 * (epoch - 1) + batch - 1):
            start = 16 * (step % 8)
            hand_step(by_hand, X[start : start + 16], y[start : start + 16])
    assert same_parameters(model, by_hand)
    assert model.layers[2].state() == by_hand.layers[2].state()
    state, expected = state_by_name(model.optimizer.state()), state_by_name(by_hand.optimizer.state())
    assert same_state(state, expected)
    if isinstance(model.optimizer, nb.Adam):
        assert {"m", "v"} <= state.keys()

    # ...and the step the error names does break: with its mask, its loss or its update is not finite.
    start = 16 * (batch - 1)
    with np.errstate(all="ignore"):
        y_pred = hand_step(by_hand, X[start : start + 16], y[start : start + 16])
        loss = float(np.mean((y_pred - y[start : start + 16]) ** 2))
    assert not math.isfinite(loss) or not all(np.isfinite(array).all() for array in parameter_arrays(by_hand))


# --------------------------------------------------------------------------- saving


def test_save_and_load_keep_the_rate(tmp_path):
    X, y = sine_data()
    model = dropout_model(rate=0.25)
    model.fit(X, y, epochs=2, verbose=0, rng=0)
    model.save(tmp_path / "m.npz")
    loaded = nb.Model.load(tmp_path / "m.npz")
    assert isinstance(loaded.layers[2], nb.Dropout) and loaded.layers[2].rate == 0.25
    assert loaded.layers[2].training is False
    assert loaded.config() == model.config()
    assert np.array_equal(loaded.predict(X), model.predict(X))


def test_a_file_with_a_bad_rate_is_refused(tmp_path):
    import json

    path = tmp_path / "m.npz"
    dropout_model().save(path)
    with np.load(path) as data:
        arrays = dict(data)
    config = json.loads(str(arrays["architecture"]))
    config["layers"][2]["rate"] = 1.0
    arrays["architecture"] = np.array(json.dumps(config))
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"Model.load cannot use .*rate to be a number in \[0, 1\); got 1.0"):
        nb.Model.load(path)
