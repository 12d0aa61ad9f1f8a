"""Issue 19: one path. fit trains the network a user wrote, through the methods a user calls and overrides.

A Dense and a ReLU subclass that override forward/backward are called by fit, and fit equals a hand-written
loop through the public methods (forward, the loss's backward, backward in reverse, optimizer.step over the
named parameters), bit for bit; an override that changes a gradient changes training. A trained model
pickles. The Model checks the optimizer protocol (a step) when it is built, and the widths of a
Conv -> Flatten -> Dense stack before any step.
"""

import pickle

import numpy as np
import pytest

import nnbook as nb
from conftest import hand_fit, parameter_arrays, parameter_dicts, same_parameters

EPOCHS, BATCH_SIZE, K = 2, 16, 70  # 70 = 4 * 16 + 6: five steps an epoch, the last one smaller
STEPS = EPOCHS * -(-K // BATCH_SIZE)


def data(k=K, n=2, seed=3):
    generator = np.random.default_rng(seed)
    X = generator.uniform(-1, 1, (k, n))
    return X, np.sin(3 * X[:, :1]) + X[:, 1:] ** 2


class CountingDense(nb.Dense):
    """A Dense layer that counts the calls of its forward and backward."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.forwards = self.backwards = 0

    def forward(self, inputs):
        self.forwards += 1
        return super().forward(inputs)

    def backward(self, dvalues, *, input_gradient=True):
        self.backwards += 1
        return super().backward(dvalues, input_gradient=input_gradient)


class CountingReLU(nb.ReLU):
    """A ReLU that counts the calls of its forward and backward."""

    def __init__(self):
        super().__init__()
        self.forwards = self.backwards = 0

    def forward(self, inputs):
        self.forwards += 1
        return super().forward(inputs)

    def backward(self, dvalues):
        self.backwards += 1
        return super().backward(dvalues)


class HalfStepDense(nb.Dense):
    """A Dense layer whose weight gradient is half the true one, as a new array."""

    def backward(self, dvalues, *, input_gradient=True):
        dinputs = super().backward(dvalues, input_gradient=input_gradient)
        self.dweights = 0.5 * self.dweights  # rebinds, as the protocol allows
        return dinputs


class HalfStepInPlaceDense(nb.Dense):
    """The same, halving the weight gradient in place."""

    def backward(self, dvalues):  # no input_gradient keyword: fit must not pass one
        dinputs = super().backward(dvalues)
        self.dweights *= 0.5
        return dinputs


def counting_model():
    layers = [CountingDense(2, 16, rng=0), CountingReLU(), CountingDense(16, 1, rng=1)]
    return nb.Model(layers, optimizer=nb.SGD(0.05))


def test_fit_calls_the_overridden_forward_and_backward():
    X, y = data()
    model = counting_model()
    model.fit(X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, rng=0, verbose=0)
    for layer in model.layers:
        name = type(layer).__name__
        assert layer.forwards > 0 and layer.forwards >= STEPS, f"{name}.forward called {layer.forwards} times"
        assert layer.backwards == STEPS, f"{name}.backward called {layer.backwards} times in {STEPS} steps"


def test_fit_equals_a_hand_written_loop_through_the_overrides():
    X, y = data()
    fitted, by_hand = counting_model(), counting_model()
    fitted.fit(X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, rng=0, verbose=0)
    hand_fit(by_hand, X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, rng=0)
    assert [layer.backwards for layer in by_hand.layers] == [STEPS] * 3
    assert same_parameters(fitted, by_hand), "fit trained other numbers than its steps written by hand"
    assert np.array_equal(fitted.predict(X), by_hand.predict(X))


@pytest.mark.parametrize("half", [HalfStepDense, HalfStepInPlaceDense], ids=["rebinds", "in-place"])
def test_an_override_that_changes_the_gradient_changes_training(half):
    X, y = data()

    def model(kind):
        return nb.Model([kind(2, 16, rng=0), nb.ReLU(), kind(16, 1, rng=1)], optimizer=nb.SGD(0.05))

    plain, fitted, by_hand = model(nb.Dense), model(half), model(half)
    for trained in (plain, fitted):
        trained.fit(X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, rng=0, verbose=0)
    hand_fit(by_hand, X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, rng=0)
    assert not same_parameters(fitted, plain), "fit ignored the overridden backward"
    assert same_parameters(fitted, by_hand), "fit did not train with the gradients the override set"


# ---------------------------------------------------------------- pickling a trained model


def trained_model(optimizer, dropout=False):
    X, y = data()
    layers = [nb.Dense(2, 16, rng=0), nb.ReLU(), nb.Dense(16, 1, rng=1)]
    if dropout:
        layers.insert(2, nb.Dropout(0.25, rng=2))
    model = nb.Model(layers, optimizer=optimizer)
    model.fit(X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, rng=0, verbose=0)
    return model


@pytest.mark.parametrize(
    ("make_optimizer", "dropout"),
    [(lambda: nb.SGD(0.05), False), (lambda: nb.Adam(0.01), False), (lambda: nb.Adam(0.01), True)],
    ids=["SGD", "Adam", "Adam-dropout"],
)
def test_a_trained_model_pickles_and_continues_identically(make_optimizer, dropout):
    X, y = data()
    model = trained_model(make_optimizer(), dropout)
    copy = pickle.loads(pickle.dumps(model))
    assert copy is not model and copy.layers[0] is not model.layers[0]
    assert np.array_equal(copy.predict(X), model.predict(X))
    assert same_parameters(copy, model)
    for twin in (model, copy):
        twin.fit(X, y, epochs=1, batch_size=BATCH_SIZE, rng=5, verbose=0)
    assert same_parameters(copy, model), "the unpickled model trains on differently"
    assert np.array_equal(copy.predict(X), model.predict(X))


# ---------------------------------------------------------------- the protocols and the widths, checked once


class UpdateOnly:
    """An optimizer of the older protocol: ``update(layer)`` and nothing else."""

    learning_rate = 0.1

    def update(self, layer):
        layer.weights -= self.learning_rate * layer.dweights
        layer.biases -= self.learning_rate * layer.dbiases


def test_the_model_refuses_an_optimizer_without_step():
    with pytest.raises(TypeError) as info:
        nb.Model([nb.Dense(2, 1, rng=0)], optimizer=UpdateOnly())
    assert "step" in str(info.value)


def test_dense_widths_that_disagree_do_not_fit_together():
    with pytest.raises(ValueError, match="do not fit together"):
        nb.Model([nb.Dense(2, 3, rng=0), nb.Dense(4, 1, rng=1)])


@pytest.mark.parametrize(
    ("make_layers", "shape"),
    [
        (lambda width: [nb.Conv1D(1, 2, 3, rng=0), nb.Flatten(), nb.Dense(width, 1, rng=1)], (8, 10, 1)),
        (lambda width: [nb.Conv2D(1, 2, 3, rng=0), nb.Flatten(), nb.Dense(width, 1, rng=1)], (8, 6, 6, 1)),
    ],
    ids=["Conv1D", "Conv2D"],
)
def test_conv_flatten_dense_widths_are_checked_before_any_step(make_layers, shape):
    X = np.random.default_rng(0).standard_normal(shape)
    y = X.reshape(len(X), -1)[:, :1].copy()
    flat = int(np.prod(make_layers(1)[0].forward(X).shape[1:]))  # the width Flatten gives
    layers = make_layers(flat + 3)
    before = [array.copy() for array in parameter_dicts(layers)[0].values()]
    with pytest.raises(ValueError) as info:
        nb.Model(layers, optimizer=nb.SGD(0.01)).fit(X, y, epochs=1, batch_size=4, verbose=0, rng=0)
    assert "do not fit together" in str(info.value)
    after = list(parameter_dicts(layers)[0].values())
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True)), "a refused fit changed parameters"
    # The widths that agree train.
    model = nb.Model(make_layers(flat), optimizer=nb.SGD(0.01))
    model.fit(X, y, epochs=1, batch_size=4, verbose=0, rng=0)
    assert all(np.isfinite(array).all() for array in parameter_arrays(model))
