"""The habits users bring (issue 22, items 1, 3 and 6).

summary, count_params, reprs, metrics=["accuracy"] resolved by the loss, float labels, and the defaults
a Model says it used.
"""

import numpy as np
import pytest

import nnbook as nb
from nnbook.conventions import config_of

NAMESPACE = vars(nb)


def _sizes(model) -> int:
    """The parameter count the hard way: every array each layer names, by its size."""
    return sum(getattr(layer, name).size for layer in model.layers for name in getattr(layer, "parameter_names", ()))


def _dense_model():
    return nb.Model([nb.Dense(3, 16, rng=0), nb.ReLU(), nb.Dense(16, 2, rng=1)])


def _conv_model():
    return nb.Model(
        [nb.Conv2D(1, 4, 3, rng=0), nb.ReLU(), nb.Flatten(), nb.Dense(4 * 6 * 6, 3, rng=1)],
        loss=nb.SoftmaxCrossEntropy(),
    )


def _dropout_model():
    return nb.Model([nb.Dense(4, 8, rng=0), nb.ReLU(), nb.Dropout(0.5, rng=1), nb.Dense(8, 1, rng=2)])


def _total(text: str) -> int:
    line = next(line for line in text.splitlines() if line.startswith("Total params:"))
    return int(line.split(":")[1].replace(",", ""))


@pytest.mark.parametrize(
    ("make", "input_shape"),
    [(_dense_model, None), (_conv_model, (8, 8, 1)), (_dropout_model, None)],
)
def test_summary_totals_are_the_sum_of_the_parameter_sizes(make, input_shape, capsys):
    model = make()
    expected = _sizes(model)
    assert expected > 0
    assert model.count_params() == expected and type(model.count_params()) is int
    assert model.summary(input_shape=input_shape) is None
    text = capsys.readouterr().out
    assert _total(text) == expected
    assert f"Trainable params: {expected:,}" in text
    rows = [line for line in text.splitlines() if line[:1].isdigit()]
    assert len(rows) == len(model.layers)
    row_sum = sum(int(row.split()[-1].replace(",", "")) for row in rows)
    assert row_sum == expected


def test_summary_shapes_come_from_forward_and_leave_the_layers_as_they_were(capsys):
    model = _conv_model()
    X = np.random.default_rng(0).standard_normal((5, 8, 8, 1))
    model.predict(X)
    before = [dict(vars(layer)) for layer in model.layers]
    model.summary(input_shape=(8, 8, 1))
    text = capsys.readouterr().out
    assert "(None, 6, 6, 4)" in text and "(None, 144)" in text and "(None, 3)" in text
    for layer, attributes in zip(model.layers, before, strict=True):
        assert vars(layer).keys() == attributes.keys()
        assert all(vars(layer)[key] is value for key, value in attributes.items())


def test_summary_infers_the_shape_of_a_dense_network(capsys):
    _dense_model().summary()
    text = capsys.readouterr().out
    assert "(None, 16)" in text and "(None, 2)" in text and "?" not in text


def test_summary_says_when_it_cannot_infer_the_shapes(capsys):
    model = _conv_model()
    model.summary()  # a convolution reads images of any size
    text = capsys.readouterr().out
    assert "Output shapes unknown" in text and "input_shape=" in text
    assert _total(text) == _sizes(model)


def test_summary_draws_nothing_from_a_dropout_stream_even_while_training(capsys):
    model = _dropout_model()
    dropout = model.layers[2]
    dropout.training = True  # as in a callback during fit
    state = dropout.rng.bit_generator.state
    model.summary()
    assert "(None, 8)" in capsys.readouterr().out
    assert dropout.training is True and dropout.rng.bit_generator.state == state


@pytest.mark.parametrize("bad", [(8, 8), (0, 8, 1), "8x8", (8.5, 8, 1), (True, 8, 1), ()])
def test_a_wrong_input_shape_gets_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"Model\.summary"):
        _conv_model().summary(input_shape=bad)


PARTS = [
    lambda: nb.Dense(1, 64),
    lambda: nb.Dense(3, 2, dtype=np.float32, weight_l1=0.1, bias_l2=0.01),
    lambda: nb.ReLU(),
    lambda: nb.Linear(),
    lambda: nb.Softmax(),
    lambda: nb.Sigmoid(),
    lambda: nb.Dropout(0.3, rng=4),
    lambda: nb.Conv1D(2, 4, 3, stride=2, padding=1),
    lambda: nb.Conv2D(1, 8, (3, 5)),
    lambda: nb.Flatten(),
    lambda: nb.MeanSquaredError(),
    lambda: nb.MeanAbsoluteError(),
    lambda: nb.SoftmaxCrossEntropy(),
    lambda: nb.CategoricalCrossEntropy(),
    lambda: nb.BinaryCrossEntropy(),
    lambda: nb.SigmoidBinaryCrossEntropy(),
    lambda: nb.SGD(),
    lambda: nb.SGD(0.5, decay=0.1),
    lambda: nb.SGDMomentum(0.1, momentum=0.9),
    lambda: nb.Adam(learning_rate=0.01, beta2=0.99),
    lambda: nb.AdaGrad(epsilon=1e-6),
    lambda: nb.RMSprop(rho=0.8),
]


@pytest.mark.parametrize("make", PARTS)
def test_the_repr_is_the_call_that_builds_an_equal_config(make):
    part = make()
    text = repr(part)
    assert text.startswith(type(part).__name__ + "(") and "object at" not in text
    again = eval(text, NAMESPACE)
    assert type(again) is type(part) and config_of(again) == config_of(part)


def test_reprs_show_positional_sizes_and_non_default_settings_only():
    assert repr(nb.Dense(1, 64)) == "Dense(1, 64)"
    assert repr(nb.ReLU()) == "ReLU()"
    assert repr(nb.SGD()) == "SGD()"
    assert repr(nb.Adam(learning_rate=0.01)) == "Adam(learning_rate=0.01)"
    assert repr(nb.Dense(2, 3, dtype=np.float32)) == "Dense(2, 3, dtype='float32')"


def test_the_model_repr_reads_like_its_call_and_marks_the_defaults(capsys):
    default = _dense_model()
    assert "loss=MeanSquaredError() (default)" in repr(default)
    assert "optimizer=SGD() (default)" in repr(default)
    default.summary()
    text = capsys.readouterr().out
    assert "Loss: MeanSquaredError() (default)" in text and "(default)" in text.split("Optimizer:")[1]
    chosen = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy(), optimizer=nb.Adam(0.01))
    short = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy(), optimizer=nb.Adam())
    assert repr(short) == "Model([Dense(2, 3)], loss=SoftmaxCrossEntropy(), optimizer=Adam())"
    assert repr(chosen).splitlines()[:3] == ["Model(", "    [", "        Dense(2, 3),"]  # long: a line each
    asked = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy(), metrics=["accuracy"])
    assert "metrics=['accuracy']" in repr(asked) and "loss=SoftmaxCrossEntropy()," in repr(asked)
    rebuilt = eval(repr(chosen), NAMESPACE)
    assert rebuilt.config() == chosen.config()


# ------------------------------------------------- "accuracy" resolved by the loss


def _blobs(k=60):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, size=k)
    centers = np.array([[0.0, 3.0], [-3.0, -2.0], [3.0, -2.0]])
    return centers[labels] + rng.standard_normal((k, 2)), labels


CASES = [
    ([], nb.SoftmaxCrossEntropy, 3, "categorical_accuracy"),
    ([nb.Softmax], nb.CategoricalCrossEntropy, 3, "categorical_accuracy"),
    ([nb.Sigmoid], nb.BinaryCrossEntropy, 1, "binary_accuracy"),
    ([], nb.SigmoidBinaryCrossEntropy, 1, "binary_accuracy_from_logits"),
    ([], nb.MeanSquaredError, 3, None),
    ([], nb.MeanAbsoluteError, 3, None),
]


@pytest.mark.parametrize(("head", "loss", "m", "meant"), CASES)
def test_accuracy_means_what_the_loss_makes_of_it(head, loss, m, meant):
    X, labels = _blobs()
    targets = nb.one_hot(labels, 3) if m == 3 else (labels == 0).astype(float)
    layers = [nb.Dense(2, 8, rng=0), nb.ReLU(), nb.Dense(8, m, rng=1), *(make() for make in head)]
    other = meant or "accuracy@std/10"
    model = nb.Model(layers, loss=loss(), optimizer=nb.SGD(0.1), metrics=["accuracy", other])
    assert model.metrics == ("accuracy", other)
    history = model.fit(X, targets, epochs=3, verbose=0, rng=0, validation_data=(X, targets))
    assert history.history["accuracy"] == history.history[other]
    assert history.history["val_accuracy"] == history.history[f"val_{other}"]
    scores = model.evaluate(X, targets)
    assert scores["accuracy"] == scores[other]
    if meant is None:
        assert model.metric_functions["accuracy"] is nb.accuracy_within
    else:
        assert model.metric_functions["accuracy"] is nb.METRICS[meant]


def test_a_classifier_asked_for_accuracy_reports_the_share_of_right_classes():
    X, labels = _blobs(90)
    model = nb.Model(
        [nb.Dense(2, 16, rng=0), nb.ReLU(), nb.Dense(16, 3, rng=1)],
        loss=nb.SoftmaxCrossEntropy(),
        optimizer=nb.SGD(0.5),
        metrics=["accuracy"],
    )
    history = model.fit(X, labels, epochs=20, verbose=0, rng=0)
    right = float(np.mean(model.predict_classes(X) == labels))
    assert model.evaluate(X, labels) == {"loss": pytest.approx(model.evaluate(X, labels)["loss"]), "accuracy": right}
    assert history.history["accuracy"][-1] > 0.9


def test_accuracy_survives_save_and_load(tmp_path):
    model = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy(), metrics=["accuracy"])
    model.save(tmp_path / "m.npz")
    again = nb.Model.load(tmp_path / "m.npz")
    assert again.metrics == ("accuracy",)
    assert again.metric_functions["accuracy"] is nb.categorical_accuracy


# ------------------------------------------------------------ float labels


def _classifier(loss=nb.SoftmaxCrossEntropy, m=3, head=()):
    layers = [nb.Dense(2, 8, rng=0), nb.ReLU(), nb.Dense(8, m, rng=1), *head]
    return nb.Model(layers, loss=loss(), optimizer=nb.SGD(0.5))


@pytest.mark.parametrize(
    ("loss", "m", "head"),
    [
        (nb.SoftmaxCrossEntropy, 3, ()),
        (nb.CategoricalCrossEntropy, 3, (nb.Softmax(),)),
        (nb.BinaryCrossEntropy, 1, (nb.Sigmoid(),)),
        (nb.SigmoidBinaryCrossEntropy, 1, ()),
    ],
)
def test_integral_float_labels_train_as_integer_labels_do(loss, m, head):
    X, labels = _blobs()
    if m == 1:
        labels = (labels == 0).astype(np.int64)
    floats = labels.astype(float)  # 0.0, 1.0, 2.0, as pandas gives them
    on_ints = _classifier(loss, m, head)
    on_floats = _classifier(loss, m, tuple(type(layer)() for layer in head))
    by_ints = on_ints.fit(X, labels, epochs=3, verbose=0, rng=0, validation_data=(X, labels))
    by_floats = on_floats.fit(X, floats, epochs=3, verbose=0, rng=0, validation_data=(X, floats))
    assert by_ints.history == by_floats.history
    assert on_ints.evaluate(X, labels) == on_floats.evaluate(X, floats)
    assert np.array_equal(on_ints.predict_proba(X), on_floats.predict_proba(X))


def test_float_labels_in_losses_metrics_and_one_hot():
    p = np.full((4, 3), 1 / 3)
    ints, floats = np.array([0, 1, 2, 0]), np.array([0.0, 1.0, 2.0, 0.0])
    assert np.array_equal(nb.one_hot(floats, 3), nb.one_hot(ints, 3))
    for loss in (nb.SoftmaxCrossEntropy(), nb.CategoricalCrossEntropy()):
        assert np.array_equal(loss.forward(p, floats), loss.forward(p, ints))
        assert np.array_equal(loss.backward(p, floats), loss.backward(p, ints))
    assert nb.categorical_accuracy(p, floats) == nb.categorical_accuracy(p, ints)
    yes = np.array([[0.9], [0.2], [0.6]])
    assert nb.binary_accuracy(yes, np.array([1.0, 0.0, 0.0])) == nb.binary_accuracy(yes, np.array([1, 0, 0]))
    assert nb.BinaryCrossEntropy().calculate(yes, np.array([1.0, 0.0, 0.0])) == pytest.approx(
        nb.BinaryCrossEntropy().calculate(yes, np.array([[1.0], [0.0], [0.0]]))
    )


@pytest.mark.parametrize("bad", [0.5, np.nan, 1e300, -np.inf])
def test_non_integral_float_labels_are_refused_clearly(bad):
    p = np.full((4, 3), 1 / 3)
    labels = np.array([0.0, 1.0, bad, 0.0])
    for call in (
        lambda: nb.SoftmaxCrossEntropy().forward(p, labels),
        lambda: nb.categorical_accuracy(p, labels),
        lambda: nb.one_hot(labels, 3),
    ):
        with pytest.raises(ValueError, match="whole numbers"):
            call()
    model = _classifier()
    before = model.get_parameters()
    X, _ = _blobs(4)
    with pytest.raises(ValueError, match="whole numbers"):
        model.fit(X, labels, verbose=0)
    assert all(
        np.array_equal(a, b)
        for pa, pb in zip(before, model.get_parameters(), strict=True)
        for a, b in zip(pa, pb, strict=True)
    )


# ------------------------------------------------------------ defaults


@pytest.mark.parametrize("labels", [np.array([0, 1, 2, 0, 1, 2]), np.array([0.0, 1.0, 2.0, 0.0, 1.0, 2.0])])
def test_labels_given_to_a_regression_loss_point_to_softmax_cross_entropy(labels):
    X = np.random.default_rng(0).standard_normal((6, 2))
    model = nb.Model([nb.Dense(2, 3, rng=0)])
    for call in (lambda: model.fit(X, labels, verbose=0), lambda: model.evaluate(X, labels)):
        with pytest.raises(ValueError, match="SoftmaxCrossEntropy") as error:
            call()
        assert str(error.value).startswith(("Model.fit expects", "Model.evaluate expects"))
        assert "(the default)" in str(error.value) and "one_hot" not in str(error.value)
    chosen = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.MeanAbsoluteError())
    with pytest.raises(ValueError, match="SoftmaxCrossEntropy") as error:
        chosen.fit(X, labels, verbose=0)
    assert "the default" not in str(error.value)


def test_a_model_records_which_defaults_it_used():
    assert nb.Model([nb.Dense(1, 1)]).defaulted == ("loss", "optimizer")
    assert nb.Model([nb.Dense(1, 1)], loss=nb.MeanSquaredError()).defaulted == ("optimizer",)
    assert nb.Model([nb.Dense(1, 1)], loss=nb.MeanSquaredError(), optimizer=nb.SGD()).defaulted == ()
