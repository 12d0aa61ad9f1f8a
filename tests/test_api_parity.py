"""Issue 13: what readers of the from-scratch books reach for.

Optimizers (decay everywhere, AdaGrad, RMSprop) step by step against their formulas and against the
reference book's rules; initializers; integer labels; predict_proba / predict_classes; History's losses
measured at one point; get/set_parameters; save -> load -> fit continuing bit for bit; file versions;
progress as whole lines; the reference book's spellings.
"""

import io
import json
import sys

import numpy as np
import pytest

import nnbook as nb
from conftest import hand_step


def _gradients(steps, p, seed=0):
    return np.random.default_rng(seed).normal(size=(steps, p))


# ---------------------------------------------------------------- 1. optimizers, step by step


def test_sgd_with_decay_matches_the_formula():
    lr, d = 0.3, 0.2
    theta0, grads = np.array([1.0, -2.0, 0.5]), _gradients(5, 3)
    theta, optimizer, expected = theta0.copy(), nb.SGD(lr, decay=d), theta0.copy()
    for t, g in enumerate(grads):
        optimizer.step(theta, g)
        expected = expected - lr / (1 + d * t) * g
        np.testing.assert_allclose(theta, expected, rtol=1e-14, atol=0)
        assert optimizer.current_learning_rate == lr / (1 + d * t)


def test_sgd_without_decay_is_the_old_rule_bit_for_bit():
    grads = _gradients(4, 6, seed=3)
    a, b = np.linspace(-1, 1, 6), np.linspace(-1, 1, 6)
    optimizer = nb.SGD(0.05)
    for g in grads:
        optimizer.step(a, g)
        b -= 0.05 * g
    assert np.array_equal(a, b)


def test_adam_with_decay_matches_the_formula():
    lr, b1, b2, eps, d = 0.01, 0.9, 0.99, 1e-8, 0.3
    theta0, grads = np.array([0.3, -0.7, 2.0, 0.0]), _gradients(6, 4, seed=1)
    theta = theta0.copy()
    optimizer = nb.Adam(lr, beta1=b1, beta2=b2, epsilon=eps, decay=d)
    expected, m, v = theta0.copy(), np.zeros(4), np.zeros(4)
    for t, g in enumerate(grads, start=1):
        optimizer.step(theta, g)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        rate = lr / (1 + d * (t - 1))
        expected = expected - rate * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        np.testing.assert_allclose(theta, expected, rtol=1e-12, atol=1e-15)


def test_adagrad_matches_the_formula():
    lr, eps, d = 0.5, 1e-7, 0.1
    theta0, grads = np.array([0.3, -0.7, 2.0]), _gradients(6, 3, seed=4)
    theta, optimizer = theta0.copy(), nb.AdaGrad(lr, decay=d, epsilon=eps)
    expected, cache = theta0.copy(), np.zeros(3)
    for t, g in enumerate(grads):
        optimizer.step(theta, g)
        cache = cache + g**2
        expected = expected - lr / (1 + d * t) * g / (np.sqrt(cache) + eps)
        np.testing.assert_allclose(theta, expected, rtol=1e-13, atol=1e-15)


def test_rmsprop_matches_the_formula():
    lr, rho, eps, d = 0.01, 0.8, 1e-7, 0.05
    theta0, grads = np.array([0.3, -0.7, 2.0]), _gradients(6, 3, seed=5)
    theta, optimizer = theta0.copy(), nb.RMSprop(lr, rho=rho, decay=d, epsilon=eps)
    expected, cache = theta0.copy(), np.zeros(3)
    for t, g in enumerate(grads):
        optimizer.step(theta, g)
        cache = rho * cache + (1 - rho) * g**2
        expected = expected - lr / (1 + d * t) * g / (np.sqrt(cache) + eps)
        np.testing.assert_allclose(theta, expected, rtol=1e-13, atol=1e-15)


class _ReferenceBookOptimizers:
    """The update rules as *Neural Networks from Scratch* writes them, per layer, with pre/post hooks."""

    def __init__(self, kind, learning_rate, decay=0.0, epsilon=1e-7, momentum=0.0, rho=0.9, beta_1=0.9, beta_2=0.999):
        self.kind, self.learning_rate, self.current_learning_rate = kind, learning_rate, learning_rate
        self.decay, self.iterations, self.epsilon = decay, 0, epsilon
        self.momentum, self.rho, self.beta_1, self.beta_2 = momentum, rho, beta_1, beta_2

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1.0 / (1.0 + self.decay * self.iterations))

    def update_params(self, layer):
        lr = self.current_learning_rate
        if self.kind == "sgd":
            if self.momentum:
                if not hasattr(layer, "weight_momentums"):
                    layer.weight_momentums = np.zeros_like(layer.weights)
                    layer.bias_momentums = np.zeros_like(layer.biases)
                weight_updates = self.momentum * layer.weight_momentums - lr * layer.dweights
                layer.weight_momentums = weight_updates
                bias_updates = self.momentum * layer.bias_momentums - lr * layer.dbiases
                layer.bias_momentums = bias_updates
            else:
                weight_updates, bias_updates = -lr * layer.dweights, -lr * layer.dbiases
            layer.weights += weight_updates
            layer.biases += bias_updates
            return
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache, layer.bias_cache = np.zeros_like(layer.weights), np.zeros_like(layer.biases)
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        if self.kind == "adagrad":
            layer.weight_cache += layer.dweights**2
            layer.bias_cache += layer.dbiases**2
        elif self.kind == "rmsprop":
            layer.weight_cache = self.rho * layer.weight_cache + (1 - self.rho) * layer.dweights**2
            layer.bias_cache = self.rho * layer.bias_cache + (1 - self.rho) * layer.dbiases**2
        if self.kind in ("adagrad", "rmsprop"):
            layer.weights += -lr * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
            layer.biases += -lr * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)
            return
        # adam
        b1, b2, t = self.beta_1, self.beta_2, self.iterations + 1
        layer.weight_momentums = b1 * layer.weight_momentums + (1 - b1) * layer.dweights
        layer.bias_momentums = b1 * layer.bias_momentums + (1 - b1) * layer.dbiases
        weight_momentums_corrected = layer.weight_momentums / (1 - b1**t)
        bias_momentums_corrected = layer.bias_momentums / (1 - b1**t)
        layer.weight_cache = b2 * layer.weight_cache + (1 - b2) * layer.dweights**2
        layer.bias_cache = b2 * layer.bias_cache + (1 - b2) * layer.dbiases**2
        weight_cache_corrected = layer.weight_cache / (1 - b2**t)
        bias_cache_corrected = layer.bias_cache / (1 - b2**t)
        layer.weights += -lr * weight_momentums_corrected / (np.sqrt(weight_cache_corrected) + self.epsilon)
        layer.biases += -lr * bias_momentums_corrected / (np.sqrt(bias_cache_corrected) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1


@pytest.mark.parametrize(
    ("ours", "reference"),
    [
        (lambda: nb.SGD(0.5, decay=0.1), {"kind": "sgd", "learning_rate": 0.5, "decay": 0.1}),
        (
            lambda: nb.SGDMomentum(0.5, momentum=0.9, decay=1e-2),
            {"kind": "sgd", "learning_rate": 0.5, "decay": 1e-2, "momentum": 0.9},
        ),
        (lambda: nb.AdaGrad(1.0, decay=1e-4), {"kind": "adagrad", "learning_rate": 1.0, "decay": 1e-4}),
        (
            lambda: nb.RMSprop(0.02, rho=0.999, decay=1e-5),
            {"kind": "rmsprop", "learning_rate": 0.02, "decay": 1e-5, "rho": 0.999},
        ),
        (lambda: nb.Adam(0.05, decay=5e-7), {"kind": "adam", "learning_rate": 0.05, "decay": 5e-7}),
    ],
)
def test_each_optimizer_follows_the_reference_books_rule(ours, reference):
    """The same layers, the same gradients, updated by nnbook's optimizer and by the book's rule."""
    rng = np.random.default_rng(0)
    mine, theirs = [nb.Dense(3, 4, rng=0), nb.Dense(4, 2, rng=1)], [nb.Dense(3, 4, rng=0), nb.Dense(4, 2, rng=1)]
    optimizer, book = ours(), _ReferenceBookOptimizers(**reference)
    for _ in range(8):
        for a, b in zip(mine, theirs, strict=True):
            a.dweights = b.dweights = rng.normal(size=a.weights.shape)
            a.dbiases = b.dbiases = rng.normal(size=a.biases.shape)
        book.pre_update_params()
        for a, b in zip(mine, theirs, strict=True):
            optimizer.update(a)
            book.update_params(b)
        book.post_update_params()
        for a, b in zip(mine, theirs, strict=True):
            np.testing.assert_allclose(a.weights, b.weights, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(a.biases, b.biases, rtol=1e-12, atol=1e-14)
        assert np.isclose(optimizer.current_learning_rate, book.current_learning_rate, rtol=1e-15)


@pytest.mark.parametrize("make", [lambda: nb.AdaGrad(0.1), lambda: nb.RMSprop(0.01), lambda: nb.SGD(0.1, decay=0.5)])
def test_new_optimizers_keep_float32_and_agree_by_layer_and_by_vector(make):
    layer = nb.Dense(2, 3, rng=0, dtype=np.float32)
    flat = np.concatenate([layer.weights.ravel(), layer.biases])
    gradient = np.linspace(-1, 1, flat.size, dtype=np.float32)
    layer.dweights, layer.dbiases = gradient[:6].reshape(2, 3), gradient[6:]
    by_layer, by_vector = make(), make()
    for _ in range(3):
        by_layer.update(layer)
        by_vector.step(flat, gradient)
    assert flat.dtype == layer.weights.dtype == np.float32
    assert np.array_equal(flat, np.concatenate([layer.weights.ravel(), layer.biases]))


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (lambda: nb.RMSprop(0.01, rho=1.0), "rho"),
        (lambda: nb.AdaGrad(0.01, epsilon=0), "epsilon"),
        (lambda: nb.AdaGrad(-1.0), "learning_rate"),
        (lambda: nb.SGD(0.1, decay=-1), "decay"),
        (lambda: nb.Adam(0.1, decay=float("nan")), "decay"),
    ],
)
def test_bad_hyper_parameters_are_refused(make, text):
    with pytest.raises(ValueError, match=text):
        make()


def test_history_records_the_rate_of_each_epochs_last_step():
    X, y = nb.datasets.sine(64, rng=0)
    model = nb.Model([nb.Dense(1, 4, rng=0), nb.ReLU(), nb.Dense(4, 1, rng=1)], optimizer=nb.Adam(0.01, decay=0.1))
    history = model.fit(X, y, epochs=3, batch_size=16, verbose=0, rng=0)
    # 4 steps per epoch: the last step of epoch e is step t = 4 e + 3 (from 0).
    assert history.history["lr"] == [0.01 / (1 + 0.1 * (4 * e + 3)) for e in range(3)]


# ---------------------------------------------------------------- 2. initializers


def test_he_by_name_is_the_old_formula_bit_for_bit():
    rng = np.random.default_rng(5)
    expected = (rng.standard_normal((7, 3)) * np.sqrt(2.0 / 7)).astype(np.float32)
    assert np.array_equal(nb.Dense(7, 3, rng=5, dtype=np.float32, init="he").weights, expected)


def test_the_default_is_glorot_bit_for_bit():
    rng = np.random.default_rng(5)
    expected = (rng.standard_normal((7, 3)) * np.sqrt(2.0 / (7 + 3))).astype(np.float32)
    assert np.array_equal(nb.Dense(7, 3, rng=5, dtype=np.float32).weights, expected)
    assert np.array_equal(nb.Dense(7, 3, rng=5, init="glorot").weights, nb.Dense(7, 3, rng=5).weights)


def test_glorot_scale_and_callable_initializers():
    n, m = 400, 100
    glorot = nb.Dense(n, m, rng=0, init="glorot").weights
    assert np.isclose(glorot.var(), 2.0 / (n + m), rtol=0.05)
    scaled = nb.Dense(n, m, rng=0, init=0.01).weights
    assert np.allclose(scaled, np.random.default_rng(0).standard_normal((n, m)) * 0.01)
    seen = {}

    def ones(rng, shape, dtype):
        seen.update(rng=rng, shape=shape, dtype=dtype)
        return np.ones(shape, dtype=dtype)

    layer = nb.Dense(3, 2, rng=0, init=ones, dtype=np.float32)
    assert np.array_equal(layer.weights, np.ones((3, 2), np.float32))
    assert isinstance(seen["rng"], np.random.Generator) and seen["shape"] == (3, 2) and seen["dtype"] == np.float32


def test_initial_weights_for_a_kernel_counts_fans_over_the_window():
    from nnbook.layers import initial_weights

    weights = initial_weights("glorot", np.random.default_rng(0), (5, 8, 16), np.float64)
    assert weights.shape == (5, 8, 16)
    assert np.isclose(weights.var(), 2.0 / (5 * 8 + 5 * 16), rtol=0.1)


@pytest.mark.parametrize(
    ("init", "error", "text"),
    [
        ("xavier", ValueError, "'xavier'"),
        (0.0, ValueError, "init (a scale)"),
        (True, ValueError, "True"),
        (lambda rng, shape, dtype: np.ones(shape, np.float32), ValueError, "float64"),
        (lambda rng, shape, dtype: np.full(shape, np.nan), ValueError, "NaN"),
        (lambda rng, shape, dtype: [[1.0, 2.0]] * 3, ValueError, "list"),
    ],
)
def test_bad_initializers_are_refused(init, error, text):
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")):
        nb.Dense(3, 2, rng=0, init=init)


# ---------------------------------------------------------------- 3. labels


def _blobs(k=90, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, size=k)
    centers = np.array([[0.0, 3.0], [-3.0, -2.0], [3.0, -2.0]])
    return centers[labels] + rng.standard_normal((k, 2)), labels


@pytest.mark.parametrize("softmax_layer", [False, True])
def test_integer_labels_and_one_hot_give_the_same_training(softmax_layer):
    X, labels = _blobs()
    X_val, labels_val = _blobs(30, seed=1)

    def model():
        layers = [nb.Dense(2, 8, rng=0), nb.ReLU(), nb.Dense(8, 3, rng=1)]
        if softmax_layer:
            return nb.Model([*layers, nb.Softmax()], loss=nb.CategoricalCrossEntropy(), optimizer=nb.Adam(0.01))
        return nb.Model(layers, loss=nb.SoftmaxCrossEntropy(), optimizer=nb.Adam(0.01))

    a, b = model(), model()
    ha = a.fit(X, labels, epochs=4, batch_size=16, validation_data=(X_val, labels_val), verbose=0, rng=0)
    hb = b.fit(
        X,
        nb.one_hot(labels, 3),
        epochs=4,
        batch_size=16,
        validation_data=(X_val, nb.one_hot(labels_val, 3)),
        verbose=0,
        rng=0,
    )
    assert ha.history == hb.history
    assert a.evaluate(X, labels) == b.evaluate(X, nb.one_hot(labels, 3))
    assert all(
        np.array_equal(p, q)
        for pa, pb in zip(a.get_parameters(), b.get_parameters(), strict=True)
        for p, q in zip(pa, pb, strict=True)
    )


def test_binary_labels_as_a_vector_equal_the_column():
    X, labels = _blobs()
    yes = (labels == 0).astype(np.int64)

    def model():
        layers = [nb.Dense(2, 4, rng=0), nb.ReLU(), nb.Dense(4, 1, rng=1), nb.Sigmoid()]
        return nb.Model(layers, loss=nb.BinaryCrossEntropy(), optimizer=nb.SGD(0.5))

    a, b = model(), model()
    assert (
        a.fit(X, yes, epochs=3, verbose=0, rng=0).history
        == b.fit(X, yes.reshape(-1, 1).astype(float), epochs=3, verbose=0, rng=0).history
    )
    p = a.predict(X)
    assert nb.BinaryCrossEntropy().calculate(p, yes) == nb.BinaryCrossEntropy().calculate(
        p, yes.reshape(-1, 1).astype(float)
    )
    assert nb.binary_accuracy(p, yes) == nb.binary_accuracy(p, yes.reshape(-1, 1).astype(float))


def test_float32_labels_give_float32_targets():
    p = nb.Softmax().forward(np.zeros((4, 3), dtype=np.float32))
    assert nb.SoftmaxCrossEntropy().backward(p, np.array([0, 1, 2, 0])).dtype == np.float32


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (
            lambda p: nb.CategoricalCrossEntropy().forward(p, np.array([[0], [1], [2], [0]])),
            ValueError,
            "labels.ravel()",
        ),
        # integral floats (0.0, 1.0, 2.0, as pandas gives them) are labels; other floats are refused
        (lambda p: nb.CategoricalCrossEntropy().forward(p, np.array([0.0, 1.5, 2.0, 0.0])), ValueError, "got 1.5"),
        (
            lambda p: nb.CategoricalCrossEntropy().forward(p, np.array([0.0, 1e300, 2.0, 0.0])),
            ValueError,
            "whole numbers",
        ),
        (lambda p: nb.CategoricalCrossEntropy().forward(p, np.array([0.0, 1.0, 3.0, 0.0])), ValueError, "from 0 to 2"),
        (lambda p: nb.SoftmaxCrossEntropy().forward(p, np.array([0, 1, 3, 0])), ValueError, "from 0 to 2"),
        (lambda p: nb.BinaryCrossEntropy().forward(p, np.array([0, 1, 1, 0])), ValueError, "one output"),
        (lambda p: nb.categorical_accuracy(p, np.array([0, 1, -1, 0])), ValueError, "from 0 to 2"),
        (lambda p: nb.SoftmaxCrossEntropy().forward(p, np.array([0, 1, 2])), ValueError, "same shape"),
    ],
)
def test_bad_labels_get_a_clear_error(call, error, text):
    p = np.full((4, 3), 1 / 3)
    integral = nb.CategoricalCrossEntropy().forward(p, np.array([0.0, 1.0, 2.0, 0.0]))
    assert np.array_equal(integral, nb.CategoricalCrossEntropy().forward(p, np.array([0, 1, 2, 0])))
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")):
        call(p)


def test_a_refused_label_column_leaves_the_model_untouched():
    X, labels = _blobs()
    model = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy())
    before = model.get_parameters()
    with pytest.raises(ValueError, match=r"labels\.ravel"):
        model.fit(X, labels.reshape(-1, 1), verbose=0)
    assert all(
        np.array_equal(p, q)
        for pa, pb in zip(before, model.get_parameters(), strict=True)
        for p, q in zip(pa, pb, strict=True)
    )


def test_predict_proba_and_predict_classes_for_each_head():
    X, _labels = _blobs()
    logits_model = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy())
    softmax_model = nb.Model([nb.Dense(2, 3, rng=0), nb.Softmax()], loss=nb.CategoricalCrossEntropy())
    p_logits, p_softmax = logits_model.predict_proba(X), softmax_model.predict_proba(X)
    assert p_logits.shape == (90, 3) and np.allclose(p_logits, p_softmax, rtol=1e-12)
    assert np.allclose(p_logits.sum(axis=1), 1)
    classes = logits_model.predict_classes(X, batch_size=7)
    assert classes.shape == (90,) and classes.dtype.kind == "i"
    assert np.array_equal(classes, logits_model.predict(X).argmax(axis=1))

    sigmoid_model = nb.Model([nb.Dense(2, 1, rng=0), nb.Sigmoid()], loss=nb.BinaryCrossEntropy())
    p = sigmoid_model.predict_proba(X)
    assert p.shape == (90, 1)
    assert np.array_equal(sigmoid_model.predict_classes(X), (p[:, 0] > 0.5).astype(int))

    with pytest.raises(TypeError, match="predict_proba needs"):
        nb.Model([nb.Dense(2, 1, rng=0), nb.Linear()]).predict_proba(X)
    with pytest.raises(ValueError, match="predict_proba"):
        nb.Model([nb.Dense(2, 2, rng=0), nb.Sigmoid()], loss=nb.BinaryCrossEntropy()).predict_classes(X)


# ---------------------------------------------------------------- 4. metrics and history


def test_tolerance_names_for_the_regression_accuracy():
    y = np.linspace(-1, 1, 101).reshape(-1, 1)
    y_pred = y + 0.004
    assert nb.METRICS["accuracy@0.005"](y_pred, y) == 1.0
    assert nb.METRICS["accuracy@0.003"](y_pred, y) == 0.0
    assert nb.METRICS["accuracy@std/250"](y_pred, y) == nb.accuracy_within(y_pred, y, tolerance=np.std(y) / 250)
    assert nb.METRICS["accuracy@std/10"](y_pred, y) == nb.METRICS["accuracy"](y_pred, y)
    for bad in ("accuracy@", "accuracy@-1", "accuracy@std/0", "accuracy@std/x", "accuracy@nan"):
        assert bad not in nb.METRICS
    with pytest.raises(ValueError, match="unknown metrics"):
        nb.Model([nb.Dense(1, 1, rng=0)], metrics=["accuracy@wide"])


def test_a_tolerance_metric_is_saved_and_loaded(tmp_path):
    X, y = nb.datasets.sine(50, rng=0)
    model = nb.Model([nb.Dense(1, 1, rng=0)], metrics=["accuracy@std/250", "mae"])
    history = model.fit(X, y, epochs=2, verbose=0, rng=0)
    assert "accuracy@std/250" in history.history
    model.save(tmp_path / "m.npz")
    again = nb.Model.load(tmp_path / "m.npz")
    assert again.metrics == ("accuracy@std/250", "mae") and again.evaluate(X, y) == model.evaluate(X, y)


def test_history_losses_are_measured_before_each_step():
    """data_loss, regularization_loss and their sum, replayed step by step on a copy."""
    X, y = nb.datasets.sine(64, rng=3)

    def model():
        layers = [nb.Dense(1, 8, rng=0, weight_l2=0.5, bias_l1=0.1), nb.ReLU(), nb.Dense(8, 1, rng=1, weight_l1=0.2)]
        return nb.Model(layers, optimizer=nb.SGD(0.05))

    fitted, replay = model(), model()
    history = fitted.fit(X, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    predictions, penalties = [], []
    for start in range(0, 64, 16):
        penalties.append(nb.regularization_loss(replay.layers))
        # the predictions of the batch before its step, through the public methods
        predictions.append(hand_step(replay, X[start : start + 16], y[start : start + 16]).copy())
    data_loss = nb.MeanSquaredError().calculate(np.vstack(predictions), y)
    penalty = float(np.mean(penalties))  # equal batches: the weighted mean is the mean
    logs = {name: values[0] for name, values in history.history.items()}
    assert np.isclose(logs["data_loss"], data_loss, rtol=1e-14)
    assert np.isclose(logs["regularization_loss"], penalty, rtol=1e-12)
    assert logs["loss"] == logs["data_loss"] + logs["regularization_loss"]
    # Without a penalty the regularization loss is 0.0 and the loss is the data loss.
    plain = nb.Model([nb.Dense(1, 1, rng=0)]).fit(X, y, epochs=2, verbose=0, rng=0).history
    assert plain["regularization_loss"] == [0.0, 0.0] and plain["loss"] == plain["data_loss"]


def test_progress_comes_as_whole_lines_when_not_a_terminal(capsys):
    X, y = nb.datasets.sine(64, rng=0)
    model = nb.Model([nb.Dense(1, 4, rng=0), nb.ReLU(), nb.Dense(4, 1, rng=1)], metrics=["mae"])
    model.fit(X, y, epochs=30, validation_data=(X, y), verbose=1, rng=0)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "\r" not in out and out.endswith("\n")
    assert [line.split()[1] for line in lines] == [f"{e}/30" for e in (3, 6, 9, 12, 15, 18, 21, 24, 27, 30)]
    assert all(" mae " in line and " val_loss " in line and " lr 0.01" in line for line in lines)
    assert "data_loss" not in out
    model.fit(X, y, epochs=5, verbose=1, print_every=2, rng=0)
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()] == ["2/5", "4/5", "5/5"]


def test_print_every_thins_a_terminal_too_and_is_checked_first(capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    X, y = nb.datasets.sine(32, rng=0)
    model = nb.Model([nb.Dense(1, 1, rng=0)])
    model.fit(X, y, epochs=4, verbose=1, print_every=2, rng=0)
    out = capsys.readouterr().out
    assert "\r" not in out and len(out.splitlines()) == 2
    before = model.get_parameters()
    with pytest.raises(ValueError, match="print_every"):
        model.fit(X, y, epochs=4, verbose=1, print_every=0, rng=0)
    assert all(
        np.array_equal(p, q)
        for pa, pb in zip(before, model.get_parameters(), strict=True)
        for p, q in zip(pa, pb, strict=True)
    )


def test_live_line_on_a_terminal_shows_metrics_and_rate():
    stream = io.StringIO()
    progress = nb.history._Progress(epochs=2, stream=stream, interval=0)
    progress.update(2, {"loss": 0.5, "data_loss": 0.4, "regularization_loss": 0.1, "mae": 0.25, "lr": 0.001})
    assert "loss 0.5  mae 0.25  lr 0.001" in stream.getvalue() and "data_loss" not in stream.getvalue()


# ---------------------------------------------------------------- 5. parameters and resuming


def _net(optimizer, dropout=True, dtype=np.float64):
    layers = [nb.Dense(1, 16, rng=0, dtype=dtype), nb.ReLU()]
    if dropout:
        layers.append(nb.Dropout(0.25, rng=5))
    layers += [nb.Dense(16, 1, rng=1, dtype=dtype)]
    return nb.Model(layers, optimizer=optimizer)


def _same(a, b):
    return all(
        np.array_equal(p, q)
        for pa, pb in zip(a.get_parameters(), b.get_parameters(), strict=True)
        for p, q in zip(pa, pb, strict=True)
    )


def test_get_parameters_returns_copies_in_layer_order():
    model = _net(nb.SGD())
    parameters = model.get_parameters()
    assert [(w.shape, b.shape) for w, b in parameters] == [((1, 16), (16,)), ((16, 1), (1,))]
    parameters[0][0][...] = 99.0
    assert not (model.layers[0].weights == 99.0).any()


def test_set_parameters_round_trip_and_in_place_after_fit():
    X, y = nb.datasets.sine(64, rng=0)
    source, target = _net(nb.SGD(0.05)), _net(nb.SGD(0.05))
    source.fit(X, y, epochs=2, verbose=0, rng=0)
    target.fit(X, y, epochs=1, verbose=0, rng=1)  # its layers now view a packed vector
    target.set_parameters(source.get_parameters())
    assert _same(source, target)
    assert np.array_equal(target.predict(X), source.predict(X))


@pytest.mark.parametrize(
    ("change", "error", "text"),
    [
        (lambda p: p[:1], ValueError, "a list of 2 (weights, biases) pairs"),
        (lambda p: "weights", ValueError, "got a str"),
        (lambda p: [p[0], (p[1][0],)], TypeError, "layer 3, Dense(16, 1)"),
        (
            lambda p: [p[0], (p[1][0].T, p[1][1])],
            ValueError,
            "weights should be float64 of shape (16, 1); got float64 of shape (1, 16)",
        ),
        (lambda p: [(p[0][0].astype(np.float32), p[0][1]), p[1]], ValueError, "got float32"),
        (lambda p: [(p[0][0], p[0][1].tolist()), p[1]], TypeError, "biases should be float64"),
        (lambda p: [(p[0][0] * np.nan, p[0][1]), p[1]], ValueError, "NaN or inf"),
    ],
)
def test_set_parameters_checks_everything_before_changing_anything(change, error, text):
    model = _net(nb.SGD())
    before = model.get_parameters()
    fresh = _net(nb.SGD())
    for layer in fresh.trainable:
        layer.weights += 1.0
    candidate = change(fresh.get_parameters())
    with pytest.raises(error) as info:
        model.set_parameters(candidate)
    assert text in str(info.value), str(info.value)
    assert all(
        np.array_equal(p, q)
        for pa, pb in zip(before, model.get_parameters(), strict=True)
        for p, q in zip(pa, pb, strict=True)
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: nb.SGD(0.05),
        lambda: nb.SGD(0.05, decay=0.01),
        lambda: nb.SGDMomentum(0.05, momentum=0.9, decay=0.01),
        lambda: nb.Adam(0.01, decay=1e-3),
        lambda: nb.AdaGrad(0.1, decay=1e-3),
        lambda: nb.RMSprop(0.005, decay=1e-3),
    ],
    ids=["sgd", "sgd-decay", "momentum", "adam", "adagrad", "rmsprop"],
)
@pytest.mark.parametrize("dropout", [True, False], ids=["dropout", "no-dropout"])
def test_save_load_fit_continues_bit_for_bit(tmp_path, make, dropout):
    X, y = nb.datasets.sine(96, rng=0)
    straight = _net(make(), dropout)
    straight.fit(X, y, epochs=5, batch_size=16, verbose=0, rng=np.random.default_rng(3))
    shuffle = np.random.default_rng(3)
    first = _net(make(), dropout)
    first.fit(X, y, epochs=2, batch_size=16, verbose=0, rng=shuffle)
    first.save(tmp_path / "half.npz")
    resumed = nb.Model.load(tmp_path / "half.npz")
    history = resumed.fit(X, y, epochs=3, batch_size=16, verbose=0, rng=shuffle)
    assert _same(straight, resumed)
    assert type(resumed.optimizer) is type(straight.optimizer)
    assert history.history["lr"][-1] == straight.optimizer.current_learning_rate


def test_resuming_in_float32_too(tmp_path):
    X, y = nb.datasets.sine(64, rng=0, dtype=np.float32)
    straight = _net(nb.Adam(0.01), dtype=np.float32)
    straight.fit(X, y, epochs=4, verbose=0, rng=np.random.default_rng(1))
    shuffle = np.random.default_rng(1)
    first = _net(nb.Adam(0.01), dtype=np.float32)
    first.fit(X, y, epochs=2, verbose=0, rng=shuffle)
    first.save(tmp_path / "f32.npz")
    resumed = nb.Model.load(tmp_path / "f32.npz")
    assert resumed.optimizer.state()["flat"]["m"].dtype == np.float32
    resumed.fit(X, y, epochs=2, verbose=0, rng=shuffle)
    assert _same(straight, resumed)


def _arrays(path):
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def test_a_format_1_file_still_loads_with_a_fresh_optimizer(tmp_path):
    X, y = nb.datasets.sine(64, rng=0)
    model = _net(nb.Adam(0.01))
    model.fit(X, y, epochs=1, verbose=0, rng=0)
    model.save(tmp_path / "m.npz")
    arrays = _arrays(tmp_path / "m.npz")
    assert int(arrays["format_version"]) == 3 and "training_state" in arrays and "optimizer.m" in arrays
    # What the format-1 writer wrote: no training state, Adam's config without decay.
    old = {key: value for key, value in arrays.items() if key != "training_state" and not key.startswith("optimizer.")}
    config = json.loads(str(old["architecture"]))
    del config["optimizer"]["decay"]
    old["architecture"], old["format_version"] = np.array(json.dumps(config)), np.array(1)
    np.savez(tmp_path / "v1.npz", **old)
    loaded = nb.Model.load(tmp_path / "v1.npz")
    assert _same(loaded, model) and loaded.optimizer.state() == {} and loaded.optimizer.decay == 0.0


@pytest.mark.parametrize(
    ("damage", "text"),
    [
        (lambda a: a.__setitem__("format_version", np.array(4)), "written in format 4 by a newer nnbook"),
        (
            lambda a: a.__setitem__("optimizer.m", a["optimizer.m"][:-1]),
            "optimizer.m should be finite float64 of shape (49,)",
        ),
        (lambda a: a.pop("optimizer.v"), "does not fit Adam"),
        (lambda a: a.__setitem__("training_state", np.array("[1, 2]")), "not a JSON object"),
        (lambda a: a.__setitem__("training_state", np.array('{"optimizer": {"t": -1}}')), "step count"),
        (
            lambda a: a.__setitem__("training_state", np.array('{"optimizer": {"t": 1}, "layers": {"0": {}}}')),
            "layer 0",
        ),
    ],
)
def test_a_damaged_training_state_gets_a_clear_error(tmp_path, damage, text):
    X, y = nb.datasets.sine(64, rng=0)
    model = _net(nb.Adam(0.01))
    model.fit(X, y, epochs=1, verbose=0, rng=0)
    model.save(tmp_path / "m.npz")
    arrays = _arrays(tmp_path / "m.npz")
    damage(arrays)
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError) as info:
        nb.Model.load(tmp_path / "bad.npz")
    assert text in str(info.value) and "bad.npz" in str(info.value), str(info.value)


def test_an_untrained_model_file_holds_no_training_state(tmp_path):
    nb.Model([nb.Dense(1, 2, rng=0)]).save(tmp_path / "m.npz")
    assert "training_state" not in _arrays(tmp_path / "m.npz")


# ---------------------------------------------------------------- 6. the reference book's spellings


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: nb.Adam(beta_1=0.9), "nnbook spells it 'beta1'"),
        (lambda: nb.Adam(beta_2=0.9), "nnbook spells it 'beta2'"),
        (lambda: nb.Dense(2, 3, weight_regularizer_l2=1e-3), "nnbook spells it 'weight_l2'"),
        (lambda: nb.Dense(2, 3, bias_regularizer_l1=1e-3), "nnbook spells it 'bias_l1'"),
        (lambda: nb.SGD(1.0, momentum=0.9), "nb.SGDMomentum"),
        (lambda: nb.RMSprop(0.001, roh=0.9), "did you mean 'rho'"),
        (lambda: nb.Model([nb.Dense(1, 1)], los=nb.MeanSquaredError()), "did you mean 'loss'"),
        (lambda: nb.Model([nb.Dense(1, 1)]).fit(np.zeros((2, 1)), np.zeros((2, 1)), epoch=3), "did you mean 'epochs'"),
    ],
)
def test_the_reference_books_keywords_name_nnbooks_spelling(call, text):
    with pytest.raises(TypeError) as info:
        call()
    assert text in str(info.value), str(info.value)


def test_the_reference_books_model_methods_point_to_nnbooks():
    model = nb.Model([nb.Dense(1, 1, rng=0)])
    with pytest.raises(AttributeError, match="use fit"):
        model.train(np.zeros((2, 1)), np.zeros((2, 1)))
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        model.nonsense  # noqa: B018
    assert not hasattr(model, "finalize") and callable(model.get_parameters)


def test_keyword_checks_keep_signatures_and_positional_calls():
    import inspect

    assert "decay" in inspect.signature(nb.Adam).parameters
    assert nb.Adam(0.01, 0.8, 0.99, 1e-8, decay=0.1).config() == {
        "learning_rate": 0.01,
        "beta1": 0.8,
        "beta2": 0.99,
        "epsilon": 1e-8,
        "decay": 0.1,
    }
