"""Classification (Part III): Softmax, Sigmoid, the cross-entropies, one_hot, accuracy, training, save/load."""

import numpy as np
import pytest

import nnbook as nb


def numeric_gradient(f, x, h=1e-6):
    """Centered finite differences of the scalar function f at x (float64)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        up = f(x)
        x[index] = old - h
        down = f(x)
        x[index] = old
        grad[index] = (up - down) / (2 * h)
    return grad


def relative_error(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b))))


@pytest.fixture
def rng():
    return np.random.default_rng(42)


# ---- gradients against finite differences (float64) ----


@pytest.mark.parametrize("activation", [nb.Softmax, nb.Sigmoid])
def test_activation_backward_matches_finite_differences(activation, rng):
    z = rng.standard_normal((6, 4)) * 2  # (k, m)
    g = rng.standard_normal((6, 4))  # upstream gradient (k, m)
    layer = activation()
    layer.forward(z)
    analytic = layer.backward(g)
    numeric = numeric_gradient(lambda v: float(np.sum(g * activation().forward(v))), z.copy())
    assert analytic.shape == z.shape
    assert relative_error(analytic, numeric) < 1e-6


def test_categorical_cross_entropy_gradient(rng):
    p = nb.Softmax().forward(rng.standard_normal((5, 4)))  # probabilities away from the clip
    y = nb.one_hot(rng.integers(0, 4, 5), 4)
    loss = nb.CategoricalCrossEntropy()
    numeric = numeric_gradient(lambda v: loss.calculate(v, y), p.copy())
    assert relative_error(loss.backward(p, y), numeric) < 1e-6


def test_softmax_cross_entropy_gradient_is_y_hat_minus_y_over_k(rng):
    z = rng.standard_normal((7, 5)) * 3
    y = nb.one_hot(rng.integers(0, 5, 7), 5)
    loss = nb.SoftmaxCrossEntropy()
    analytic = loss.backward(z, y)
    numeric = numeric_gradient(lambda v: loss.calculate(v, y), z.copy())
    assert relative_error(analytic, numeric) < 1e-6
    np.testing.assert_allclose(analytic, (nb.Softmax().forward(z) - y) / 7, rtol=1e-12, atol=1e-15)
    # the long way: CCE's gradient through Softmax's Jacobian
    softmax = nb.Softmax()
    p = softmax.forward(z)
    np.testing.assert_allclose(softmax.backward(nb.CategoricalCrossEntropy().backward(p, y)), analytic, atol=1e-12)


def test_softmax_cross_entropy_with_soft_targets(rng):
    z = rng.standard_normal((4, 3))
    y = nb.Softmax().forward(rng.standard_normal((4, 3)))  # rows of probabilities, not one-hot
    loss = nb.SoftmaxCrossEntropy()
    assert relative_error(loss.backward(z, y), numeric_gradient(lambda v: loss.calculate(v, y), z.copy())) < 1e-6


def test_binary_cross_entropy_gradient(rng):
    p = rng.uniform(0.05, 0.95, size=(6, 3))
    y = rng.integers(0, 2, size=(6, 3)).astype(float)
    loss = nb.BinaryCrossEntropy()
    numeric = numeric_gradient(lambda v: loss.calculate(v, y), p.copy())
    assert relative_error(loss.backward(p, y), numeric) < 1e-6


@pytest.mark.parametrize("scale", [1.0, 10.0, 40.0])
def test_sigmoid_binary_cross_entropy_gradient_is_sigmoid_minus_y_over_mk(scale, rng):
    z = rng.standard_normal((6, 3)) * scale  # logits (k, m), up to about ±100 for the largest scale
    y = rng.integers(0, 2, size=(6, 3)).astype(float)
    loss = nb.SigmoidBinaryCrossEntropy()
    analytic = loss.backward(z, y)
    numeric = numeric_gradient(lambda v: loss.calculate(v, y), z.copy())
    assert analytic.shape == z.shape
    assert relative_error(analytic, numeric) < 1e-6
    np.testing.assert_allclose(analytic, (nb.Sigmoid().forward(z) - y) / y.size, rtol=1e-12, atol=1e-15)


def test_sigmoid_binary_cross_entropy_matches_the_separate_route_while_nothing_is_clipped(rng):
    z = rng.uniform(-8, 8, size=(7, 2))
    y = rng.uniform(size=(7, 2))  # soft targets in [0, 1] are allowed too
    sigmoid = nb.Sigmoid()
    p = sigmoid.forward(z)
    fused = nb.SigmoidBinaryCrossEntropy()
    np.testing.assert_allclose(fused.forward(z, y), nb.BinaryCrossEntropy().forward(p, y), rtol=1e-9)
    np.testing.assert_allclose(
        fused.backward(z, y), sigmoid.backward(nb.BinaryCrossEntropy().backward(p, y)), rtol=1e-7
    )


def test_the_separate_route_loses_the_gradient_once_a_probability_is_clipped():
    """The case the binary chapter shows: z = 20 with target 0."""
    z, y = np.array([[20.0]]), np.array([[0.0]])
    sigmoid = nb.Sigmoid()
    separate = sigmoid.backward(nb.BinaryCrossEntropy().backward(sigmoid.forward(z), y))
    assert abs(separate[0, 0] - 0.0206) < 1e-3
    assert np.isclose(nb.SigmoidBinaryCrossEntropy().backward(z, y)[0, 0], 1.0)
    softmax = nb.Softmax()
    zs, ys = np.array([[0.0, 20.0]]), nb.one_hot([0], 2)
    separate = softmax.backward(nb.CategoricalCrossEntropy().backward(softmax.forward(zs), ys))
    np.testing.assert_allclose(separate, [[-0.0206, 0.0206]], atol=1e-3)
    np.testing.assert_allclose(nb.SoftmaxCrossEntropy().backward(zs, ys), [[-1.0, 1.0]], atol=1e-8)


def test_sigmoid_binary_cross_entropy_is_exact_for_huge_logits():
    z = np.array([[-1e300, 1e300], [2000.0, -2000.0], [0.0, 0.0]])
    y = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    loss = nb.SigmoidBinaryCrossEntropy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        losses = loss.forward(z, y)
        gradient = loss.backward(z, y)
    np.testing.assert_allclose(losses, [1e300, 0.0, np.log(2)], rtol=1e-12)
    np.testing.assert_allclose(gradient, [[-1 / 6, 1 / 6], [0.0, 0.0], [-1 / 12, 1 / 12]], atol=1e-15)


# ---- properties ----


def test_softmax_rows_sum_to_one_and_survive_huge_logits(rng):
    z = rng.standard_normal((50, 6)) * 1e4 + rng.choice([-1e300, 0.0, 1e300], size=(50, 1))
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow anywhere (underflow to 0 is fine)
        p = nb.Softmax().forward(z)
    assert np.isfinite(p).all() and (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_array_equal(p.argmax(axis=1), z.argmax(axis=1))


def test_sigmoid_is_stable_and_symmetric(rng):
    z = np.concatenate([rng.standard_normal((1, 20)) * 50, [[-1e308, 1e308, 0.0]]], axis=1)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = nb.Sigmoid().forward(z)
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(s + nb.Sigmoid().forward(-z), 1.0)
    assert s[0, -1] == 0.5 and s[0, -3] == 0.0 and s[0, -2] == 1.0


def test_softmax_cross_entropy_is_exact_for_huge_logits():
    z = np.array([[0.0, 2000.0], [2000.0, 0.0]])
    y = nb.one_hot([0, 0], 2)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_allclose(nb.SoftmaxCrossEntropy().forward(z, y), [2000.0, 0.0], atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved(dtype, rng):
    z = rng.standard_normal((5, 3)).astype(dtype)
    y = nb.one_hot(rng.integers(0, 3, 5), 3, dtype=dtype)
    for layer in (nb.Softmax(), nb.Sigmoid()):
        out = layer.forward(z)
        assert out.dtype == dtype and layer.backward(np.ones_like(z)).dtype == dtype
    p = nb.Softmax().forward(z)
    for loss, y_pred in (
        (nb.CategoricalCrossEntropy(), p),
        (nb.SoftmaxCrossEntropy(), z),
        (nb.BinaryCrossEntropy(), nb.Sigmoid().forward(z)),
        (nb.SigmoidBinaryCrossEntropy(), z),
    ):
        assert loss.forward(y_pred, y).dtype == dtype
        assert loss.backward(y_pred, y).dtype == dtype
    assert y.dtype == dtype


def test_float32_clip_keeps_bce_finite():
    p = np.array([[0.0, 1.0]], dtype=np.float32)
    y = np.array([[1.0, 0.0]], dtype=np.float32)
    loss = nb.BinaryCrossEntropy()
    assert np.isfinite(loss.forward(p, y)).all() and np.isfinite(loss.backward(p, y)).all()
    assert loss.forward(p, y)[0] > 10  # certain and wrong costs a lot


def test_one_hot():
    y = nb.one_hot(np.array([1, 0, 3]), 4)
    np.testing.assert_array_equal(y, np.eye(4)[[1, 0, 3]])
    assert nb.one_hot([2, 0]).shape == (2, 3)  # m = max label + 1


# ---- accuracy ----


def test_accuracy_matches_sklearn(rng):
    from sklearn.metrics import accuracy_score  # imported here: 1.5 s of every collection otherwise

    labels = rng.integers(0, 5, 200)
    scores = rng.standard_normal((200, 5))
    assert nb.categorical_accuracy(scores, nb.one_hot(labels, 5)) == accuracy_score(labels, scores.argmax(axis=1))
    assert nb.categorical_accuracy(nb.Softmax().forward(scores), nb.one_hot(labels, 5)) == accuracy_score(
        labels, scores.argmax(axis=1)
    )
    p = rng.uniform(size=(200, 2))
    t = rng.integers(0, 2, size=(200, 2)).astype(float)
    assert nb.binary_accuracy(p, t) == accuracy_score(t.ravel(), (p > 0.5).ravel().astype(float))
    assert type(nb.binary_accuracy(p, t)) is float and type(nb.categorical_accuracy(scores, scores)) is float
    # logits: "yes" when z > 0, which is sigmoid(z) > 0.5
    assert nb.binary_accuracy_from_logits(np.log(p / (1 - p)), t) == nb.binary_accuracy(p, t)


def test_metrics_are_registered_for_model():
    assert nb.METRICS["categorical_accuracy"] is nb.categorical_accuracy
    assert nb.METRICS["binary_accuracy"] is nb.binary_accuracy
    assert nb.METRICS["binary_accuracy_from_logits"] is nb.binary_accuracy_from_logits
    assert nb.METRICS["accuracy"] is nb.accuracy_within  # the regression name keeps its meaning


# ---- training and saving ----


def blobs(k, seed):
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 3.0], [-3.0, -2.0], [3.0, -2.0]])
    labels = rng.integers(0, 3, size=k)
    return centers[labels] + rng.standard_normal((k, 2)), labels


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fit_learns_separable_classes(dtype):
    X, labels = blobs(300, 0)
    X_test, labels_test = blobs(200, 1)
    model = nb.Model(
        [nb.Dense(2, 16, rng=0, dtype=dtype), nb.ReLU(), nb.Dense(16, 3, rng=1, dtype=dtype)],
        loss=nb.SoftmaxCrossEntropy(),
        optimizer=nb.SGD(learning_rate=0.5),
        metrics=["categorical_accuracy"],
    )
    history = model.fit(X.astype(dtype), nb.one_hot(labels, 3), epochs=15, verbose=0, rng=0)
    assert history.history["categorical_accuracy"][-1] > 0.95
    scores = model.evaluate(X_test, nb.one_hot(labels_test, 3))
    assert set(scores) == {"loss", "categorical_accuracy"} and scores["categorical_accuracy"] > 0.95
    assert model.predict(X_test).dtype == dtype


def test_fit_binary_with_sigmoid():
    X, labels = blobs(300, 0)
    y = (labels == 0).astype(float).reshape(-1, 1)
    model = nb.Model(
        [nb.Dense(2, 8, rng=0), nb.ReLU(), nb.Dense(8, 1, rng=1), nb.Sigmoid()],
        loss=nb.BinaryCrossEntropy(),
        optimizer=nb.SGD(learning_rate=0.5),
        metrics=["binary_accuracy"],
    )
    assert model.fit(X, y, epochs=15, verbose=0, rng=0).history["binary_accuracy"][-1] > 0.95


def test_fit_binary_from_logits_learns_even_from_confidently_wrong_weights():
    X, labels = blobs(300, 0)
    y = (labels == 0).astype(float).reshape(-1, 1)
    histories = {}
    for fused in (True, False):
        layers = [nb.Dense(2, 8, rng=0), nb.ReLU(), nb.Dense(8, 1, rng=1)]
        layers[-1].weights *= -200  # start sure of the wrong answers
        if not fused:
            layers.append(nb.Sigmoid())
        loss = nb.SigmoidBinaryCrossEntropy() if fused else nb.BinaryCrossEntropy()
        model = nb.Model(layers, loss=loss, optimizer=nb.SGD(learning_rate=0.5))
        histories[fused] = model.fit(X, y, epochs=15, verbose=0, rng=0).history
    assert histories[True]["binary_accuracy_from_logits"][-1] > 0.95
    assert histories[False]["binary_accuracy"][-1] < histories[True]["binary_accuracy_from_logits"][-1]


def test_softmax_layer_and_fused_loss_train_identically():
    X, labels = blobs(128, 0)
    Y = nb.one_hot(labels, 3)

    def build(fused):
        layers = [nb.Dense(2, 8, rng=0), nb.ReLU(), nb.Dense(8, 3, rng=1)]
        loss = nb.SoftmaxCrossEntropy() if fused else nb.CategoricalCrossEntropy()
        return nb.Model(layers if fused else [*layers, nb.Softmax()], loss=loss, optimizer=nb.SGD(0.3))

    a, b = build(True), build(False)
    ha = a.fit(X, Y, epochs=5, verbose=0, rng=0).history["loss"]
    hb = b.fit(X, Y, epochs=5, verbose=0, rng=0).history["loss"]
    # Equal up to CCE's clipping at 1 - 1e-7 (confident correct samples cost ~1e-7 instead of ~0).
    np.testing.assert_allclose(ha, hb, rtol=1e-6)
    np.testing.assert_allclose(a.layers[-1].weights, b.layers[-2].weights, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize(
    ("layers", "loss", "metric"),
    [
        ([nb.Dense(2, 4, rng=0), nb.ReLU(), nb.Dense(4, 3, rng=1)], nb.SoftmaxCrossEntropy(), "categorical_accuracy"),
        ([nb.Dense(2, 3, rng=0), nb.Softmax()], nb.CategoricalCrossEntropy(), "categorical_accuracy"),
        ([nb.Dense(2, 1, rng=0), nb.Sigmoid()], nb.BinaryCrossEntropy(), "binary_accuracy"),
        ([nb.Dense(2, 1, rng=0)], nb.SigmoidBinaryCrossEntropy(), "binary_accuracy_from_logits"),
    ],
)
def test_save_load_round_trip(layers, loss, metric, tmp_path):
    model = nb.Model(layers, loss=loss, metrics=[metric])
    X = np.random.default_rng(0).standard_normal((10, 2))
    model.save(tmp_path / "m.npz")
    again = nb.Model.load(tmp_path / "m.npz")
    assert [type(layer) for layer in again.layers] == [type(layer) for layer in model.layers]
    assert type(again.loss) is type(loss) and again.metrics == (metric,)
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


# ---- clear errors ----


def refused(call, error, *fragments):
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


@pytest.mark.parametrize("loss", [nb.CategoricalCrossEntropy(), nb.SoftmaxCrossEntropy()])
def test_integer_labels_equal_one_hot_and_a_label_column_names_the_fix(loss):
    # Issue 13: integer labels (k,) are accepted; a (k, 1) column is refused with the fix.
    p = nb.Softmax().forward(np.arange(12.0).reshape(4, 3) / 7)
    labels = np.array([0, 1, 2, 0])
    for method in (loss.forward, loss.backward):
        assert np.array_equal(method(p, labels), method(p, nb.one_hot(labels, 3)))
        refused(lambda m=method: m(p, labels.reshape(-1, 1)), ValueError, "column (4, 1)", "labels.ravel()")
    assert nb.categorical_accuracy(p, labels) == nb.categorical_accuracy(p, nb.one_hot(labels, 3))
    refused(lambda: nb.categorical_accuracy(p, labels.reshape(-1, 1)), ValueError, "categorical_accuracy", "ravel")


def test_wrong_shapes_and_values_are_refused():
    p = np.full((4, 3), 1 / 3)
    refused(lambda: nb.CategoricalCrossEntropy().forward(p, np.ones((4, 2)) / 2), ValueError, "same shape (k, m)")
    refused(lambda: nb.BinaryCrossEntropy().forward(p, np.full((4, 3), 2.0)), ValueError, "y_true of probabilities")
    refused(lambda: nb.BinaryCrossEntropy().backward(p, np.full((4, 3), -1.0)), ValueError, "[0, 1]")
    refused(lambda: nb.BinaryCrossEntropy().forward(p * 4, np.ones((4, 3))), ValueError, "y_pred of probabilities")
    refused(lambda: nb.CategoricalCrossEntropy().forward(p, np.ones((4, 3))), ValueError, "sum to 1")
    refused(lambda: nb.SoftmaxCrossEntropy().forward(p, np.zeros((4, 3))), ValueError, "sum to 1")
    refused(lambda: nb.SigmoidBinaryCrossEntropy().forward(p * 9, np.full((4, 3), 2.0)), ValueError, "[0, 1]")
    refused(lambda: nb.SigmoidBinaryCrossEntropy().backward(p, np.ones((4, 2))), ValueError, "same shape (k, m)")
    refused(lambda: nb.Softmax().forward(np.ones(3)), ValueError, "Softmax expects inputs of shape (k, m)")
    refused(lambda: nb.Sigmoid().forward([["a"]]), TypeError, "Sigmoid expects inputs")
    refused(lambda: nb.Softmax().backward(np.ones((2, 2))), RuntimeError, "forward pass first")
    refused(lambda: nb.categorical_accuracy(np.ones((3, 1)), np.ones((3, 1))), ValueError, "m >= 2", "binary_accuracy")
    refused(lambda: nb.binary_accuracy(np.ones((3, 1)), np.full((3, 1), 0.5)), ValueError, "0s and 1s")
    refused(lambda: nb.one_hot([0.5, 1.0]), ValueError, "integer class labels")
    refused(lambda: nb.one_hot([0, 3], 3), ValueError, "labels in [0, 3)")
    refused(lambda: nb.CategoricalCrossEntropy().forward(np.full((2, 2), np.nan), np.eye(2)), ValueError, "y_pred")


def test_model_refuses_a_column_of_labels_for_a_classifier():
    model = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy())
    column = np.array([[0], [1], [2], [0]])
    refused(lambda: model.fit(np.zeros((4, 2)), column, verbose=0), ValueError, "Model.fit", "labels.ravel()")


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        (None, ("mae", "r2")),
        (nb.MeanSquaredError(), ("mae", "r2")),
        (nb.MeanAbsoluteError(), ("mae", "r2")),
        (nb.SoftmaxCrossEntropy(), ("categorical_accuracy",)),
        (nb.CategoricalCrossEntropy(), ("categorical_accuracy",)),
        (nb.BinaryCrossEntropy(), ("binary_accuracy",)),
        (nb.SigmoidBinaryCrossEntropy(), ("binary_accuracy_from_logits",)),
    ],
)
def test_a_model_reports_the_metrics_its_loss_names_unless_told_otherwise(loss, expected):
    layers = [nb.Dense(2, 3, rng=0), nb.ReLU(), nb.Dense(3, 2, rng=1)]
    assert nb.Model(layers, loss=loss).metrics == expected
    assert nb.Model(layers, loss=loss, metrics=["mae"]).metrics == ("mae",)
    assert nb.Model(layers, loss=loss, metrics=[]).metrics == ()


def test_evaluate_of_a_classifier_reports_accuracy_by_default():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    Y = nb.one_hot(np.array([0, 1, 1]), 2)
    model = nb.Model([nb.Dense(2, 2, rng=0)], loss=nb.SoftmaxCrossEntropy())
    scores = model.evaluate(X, Y)
    assert set(scores) == {"loss", "categorical_accuracy"}
    assert scores["categorical_accuracy"] == np.mean(model.predict(X).argmax(axis=1) == np.array([0, 1, 1]))
