"""Hostile input, round 2 (issue 12): nothing lost, nothing half-done.

No crafted file gets through either. One section per class of the issue.
"""

import io
import json
import os
import pathlib
import zipfile

import numpy as np
import pytest

import nnbook as nb
from conftest import raises
from nnbook.metrics import METRICS

# ---------------------------------------------------------------- helpers


def regression_model(optimizer=None, dropout=False):
    layers = [nb.Dense(1, 8, rng=0), nb.ReLU()]
    if dropout:
        layers.append(nb.Dropout(0.3, rng=5))
    layers += [nb.Dense(8, 1, rng=1), nb.Linear()]
    return nb.Model(layers, optimizer=optimizer or nb.SGD(0.05))


def sine(k=256):
    return nb.datasets.sine(k, rng=0)  # X (k, 1), y (k, 1)


def parameters(model):
    return [p.copy() for layer in model.trainable for p in (layer.weights, layer.biases)]


def same_parameters(model, before):
    now = [p for layer in model.trainable for p in (layer.weights, layer.biases)]
    return len(now) == len(before) and all(
        a.dtype == b.dtype and a.tobytes() == b.tobytes() for a, b in zip(now, before, strict=True)
    )


def same_state(a, b):
    """Model._state() results compared: optimizer slots and random streams."""
    (opt_a, streams_a), (opt_b, streams_b) = a, b
    if streams_a != streams_b or (opt_a is None) != (opt_b is None):
        return False
    if opt_a is None:
        return True
    return opt_a.keys() == opt_b.keys() and all(
        np.array_equal(opt_a[key][name], opt_b[key][name]) for key in opt_a for name in opt_a[key]
    )


def write_zip(path, members, compression=zipfile.ZIP_STORED):
    """A zip of raw members {name: bytes}."""
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def npy_header_only(shape, descr="<f8", payload=b""):
    """An .npy member whose header declares ``shape`` but holds ``payload``."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue() + payload


def model_members(model):
    """The members Model.save writes, as {name: bytes}, for editing."""
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def architecture_member(config):
    return npy_bytes(np.array(json.dumps(config)))


# ------------------------------------------------- 1. data loss on save


def test_save_refuses_nan_parameters_and_keeps_the_good_file(tmp_path):
    path = tmp_path / "model.npz"
    model = regression_model()
    model.save(path)
    good = path.read_bytes()
    model.trainable[1].weights[0, 0] = np.nan
    raises(ValueError, lambda: model.save(path), "layer 2's weights", "NaN or inf", "retrain")
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["model.npz"]
    nb.Model.load(path)  # the good file still loads


def test_save_refuses_a_layer_class_of_ones_own(tmp_path):
    class Tanh:
        def forward(self, inputs):
            self.output = np.tanh(inputs)
            return self.output

        def backward(self, dvalues):
            return dvalues * (1 - self.output**2)

    model = nb.Model([nb.Dense(1, 4, rng=0), Tanh(), nb.Dense(4, 1, rng=1)])
    raises(ValueError, lambda: model.save(tmp_path / "m.npz"), "layer 1, Tanh", "np.savez")
    assert os.listdir(tmp_path) == []


def test_save_refuses_a_subclass_and_an_unknown_loss_or_optimizer(tmp_path):
    class MyDense(nb.Dense):
        pass

    class MyLoss(nb.MeanSquaredError):
        pass

    class MySGD(nb.SGD):
        pass

    path = tmp_path / "m.npz"
    raises(ValueError, lambda: nb.Model([MyDense(1, 1)]).save(path), "layer 0, MyDense")
    raises(ValueError, lambda: nb.Model([nb.Dense(1, 1)], loss=MyLoss()).save(path), "the loss, MyLoss")
    raises(ValueError, lambda: nb.Model([nb.Dense(1, 1)], optimizer=MySGD()).save(path), "the optimizer, MySGD")
    assert not path.exists()


def test_save_refuses_a_generator_the_format_cannot_record(tmp_path):
    dropout = nb.Dropout(0.5, rng=np.random.Generator(np.random.MT19937(0)))
    model = nb.Model([nb.Dense(1, 2, rng=0), dropout, nb.Dense(2, 1, rng=1)])
    raises(ValueError, lambda: model.save(tmp_path / "m.npz"), "Model.save cannot write the architecture")
    assert os.listdir(tmp_path) == []


# ------------------------------------------- 2. one layer object twice


def test_one_activation_object_twice_is_refused():
    relu = nb.ReLU()
    raises(
        ValueError,
        lambda: nb.Model([nb.Dense(1, 4), relu, nb.Dense(4, 4), relu, nb.Dense(4, 1)]),
        "same ReLU object as layer 1 and layer 3",
    )


def test_one_dense_object_twice_is_refused():
    dense = nb.Dense(4, 4, rng=0)
    raises(ValueError, lambda: nb.Model([nb.Dense(1, 4), dense, dense, nb.Dense(4, 1)]), "same Dense object")


def test_two_layers_sharing_one_weights_array_are_refused():
    a, b = nb.Dense(4, 4, rng=0), nb.Dense(4, 4, rng=1)
    b.weights = a.weights
    raises(ValueError, lambda: nb.Model([nb.Dense(1, 4), a, b, nb.Dense(4, 1)]), "share memory", ".copy()")
    b.weights = a.weights[:, ::-1]  # a view shares memory too
    raises(ValueError, lambda: nb.Model([nb.Dense(1, 4), a, b, nb.Dense(4, 1)]), "share memory")


def test_a_model_that_trained_once_can_be_rebuilt_from_its_layers():
    model = regression_model()
    X, y = sine()
    model.fit(X, y, epochs=1, verbose=0, rng=0)  # packs the parameters into views
    nb.Model(model.layers)  # disjoint views of one vector are not "shared"


# ----------------------------------------- 3. fit checks before it trains


def classification_data(k=200):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((k, 2))
    return X, (X[:, :1] > 0).astype(np.float64)


@pytest.mark.parametrize("value", [2.0, -0.5])
def test_a_bad_binary_target_in_batch_5_is_refused_before_any_step(value):
    X, y = classification_data()
    y[150, 0] = value  # batch 5 of 32
    model = nb.Model([nb.Dense(2, 1, rng=0), nb.Sigmoid()], loss=nb.BinaryCrossEntropy(), optimizer=nb.Adam(0.01))
    before, state = parameters(model), model._state()
    raises(ValueError, lambda: model.fit(X, y, shuffle=False, verbose=0), "Model.fit cannot use these targets")
    assert same_parameters(model, before) and same_state(model._state(), state)


def test_an_all_zero_one_hot_row_is_refused_before_any_step():
    X, _ = classification_data()
    y = nb.one_hot(np.arange(200) % 3, 3)
    y[170] = 0
    model = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy())
    before = parameters(model)
    raises(ValueError, lambda: model.fit(X, y, shuffle=False, verbose=0), "sum to 1")
    assert same_parameters(model, before)


def test_validation_targets_the_loss_refuses_are_refused_before_any_step():
    X, y = classification_data()
    model = nb.Model([nb.Dense(2, 1, rng=0), nb.Sigmoid()], loss=nb.BinaryCrossEntropy())
    before = parameters(model)
    y_val = y.copy()
    y_val[3, 0] = 3.0
    raises(
        ValueError,
        lambda: model.fit(X, y, validation_data=(X, y_val), verbose=0),
        "Model.fit (validation_data) cannot use these targets",
    )
    assert same_parameters(model, before)


def test_validation_data_without_targets_is_refused():
    X, y = sine()
    model = regression_model()
    raises(TypeError, lambda: model.fit(X, y, validation_data=(X, None), verbose=0), "got y_val None")


# ------------------------------- 4. only a non-finite loss is divergence


def test_an_accuracy_metric_on_one_output_is_a_setup_error():
    X, y = classification_data()
    model = nb.Model([nb.Dense(2, 1, rng=0)], metrics=["categorical_accuracy"])
    before = parameters(model)
    message = raises(ValueError, lambda: model.fit(X, y, verbose=0), "binary_accuracy")
    assert "diverged" not in message and "learning rate" not in message
    assert same_parameters(model, before)


def test_softmax_cross_entropy_with_one_output_is_a_setup_error():
    X, _ = classification_data()
    model = nb.Model([nb.Dense(2, 1, rng=0)], loss=nb.SoftmaxCrossEntropy(), metrics=[])
    message = raises(ValueError, lambda: model.fit(X, np.ones((200, 1)), verbose=0), "m >= 2", "Sigmoid")
    assert "diverged" not in message


def test_a_metric_that_fails_mid_training_propagates_and_nothing_changes(monkeypatch):
    calls = []

    def fragile(y_pred, y_true):
        calls.append(1)
        if len(calls) == 3:  # the targets check, epoch 1, then epoch 2
            raise ValueError("fragile metric gave up")
        return 0.0

    monkeypatch.setitem(METRICS, "fragile", fragile)
    X, y = sine()
    model = nb.Model(regression_model().layers, optimizer=nb.SGDMomentum(0.05, momentum=0.9), metrics=["fragile"])
    before, state = parameters(model), model._state()
    with pytest.raises(ValueError, match="fragile metric gave up"):
        model.fit(X, y, epochs=3, verbose=0, rng=0)
    assert same_parameters(model, before) and same_state(model._state(), state)


class FailsAt:
    """An identity layer whose forward raises ``error`` on call number ``at``."""

    def __init__(self, at, error=RuntimeError):
        self.at, self.error, self.calls = at, error, 0

    def forward(self, inputs):
        self.calls += 1
        if self.calls == self.at:
            raise self.error("FailsAt gave up")
        return inputs

    def backward(self, dvalues):
        return dvalues


def test_an_error_in_the_middle_of_training_leaves_everything_as_before():
    X, y = sine()
    layers = [nb.Dense(1, 8, rng=0), FailsAt(at=21), nb.Dropout(0.3, rng=2), nb.ReLU(), nb.Dense(8, 1, rng=1)]
    model = nb.Model(layers, optimizer=nb.Adam(0.01))
    model.fit(X, y, epochs=1, verbose=0, rng=0)  # 8 calls: Adam now has state
    before, state = parameters(model), model._state()
    with pytest.raises(RuntimeError, match="FailsAt gave up"):
        model.fit(X, y, epochs=3, verbose=0, rng=0)  # fails in epoch 2
    assert same_parameters(model, before) and same_state(model._state(), state)
    assert layers[2].training is False


def test_ctrl_c_keeps_the_steps_taken_and_leaves_inference_mode():
    X, y = sine()
    layers = [nb.Dense(1, 8, rng=0), FailsAt(at=5, error=KeyboardInterrupt), nb.Dropout(0.3, rng=2), nb.Dense(8, 1)]
    model = nb.Model(layers)
    before = parameters(model)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y, verbose=0, rng=0)
    assert not same_parameters(model, before)  # four steps were taken and kept
    assert layers[2].training is False


def test_finite_but_huge_inputs_are_not_called_divergence():
    X, y = sine()
    model = regression_model()
    before = parameters(model)
    message = raises(ValueError, lambda: model.fit(X * 1e200, y, verbose=0), "scale the inputs", "e+199")
    assert "learning rate" not in message
    assert same_parameters(model, before)


def test_divergence_still_keeps_the_last_finite_weights():
    X, y = sine()
    model = regression_model(optimizer=nb.SGD(1000.0))
    with pytest.raises(FloatingPointError, match="training diverged at epoch"):
        model.fit(X, y, epochs=20, verbose=0, rng=0)
    assert all(np.isfinite(p).all() for p in parameters(model))


# --------------------------------------------------- 5. crafted model files


def good_members():
    return model_members(regression_model())


def load_members(tmp_path, members, compression=zipfile.ZIP_STORED):
    path = tmp_path / "crafted.npz"
    write_zip(path, members, compression)
    return lambda: nb.Model.load(path), str(path)


def test_an_npy_header_declaring_a_huge_shape_is_refused_before_allocating(tmp_path):
    members = good_members()
    members["layer0.weights.npy"] = npy_header_only((10**9, 10**9), payload=b"\0" * 64)
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path, "layer0.weights.npy declares float64 of shape (1000000000, 1000000000)")


def test_an_architecture_declaring_a_huge_dense_layer_allocates_nothing(tmp_path):
    members = good_members()
    config = json.loads(str(np.load(io.BytesIO(members["architecture.npy"]))))
    config["layers"][0].update(n_inputs=10**8, n_neurons=10**8)
    members["architecture.npy"] = architecture_member(config)
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path, "layer0.weights should be float64 of shape (100000000, 100000000)")


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"layers": ' * 20 + "[]" + "}" * 20])
def test_deeply_nested_json_is_refused(tmp_path, text):
    members = good_members()
    members["architecture.npy"] = npy_bytes(np.array(text))
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path, "nested", "deep")


def test_a_string_in_the_json_does_not_count_as_nesting(tmp_path):
    model = nb.Model([nb.Dense(1, 1, rng=0)])
    members = model_members(model)
    config = json.loads(str(np.load(io.BytesIO(members["architecture.npy"]))))
    config["metrics"] = []
    config["note"] = '[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{'
    members["architecture.npy"] = architecture_member(config)
    call, _ = load_members(tmp_path, members)
    assert call().metrics == ()


def test_an_overlong_architecture_is_refused(tmp_path):
    members = good_members()
    members["architecture.npy"] = npy_bytes(np.array(" " * 1_000_001 + "{}"))
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path, "characters")


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    members = good_members()
    members["layer0.weights.npy"] = npy_header_only((10**6, 2), payload=bytes(16 * 10**6))
    call, path = load_members(tmp_path, members, compression=zipfile.ZIP_DEFLATED)
    assert os.path.getsize(path) < 100_000
    raises(ValueError, call, path, "is compressed", "inflate to")


def test_a_member_that_claims_more_bytes_than_the_file_has_is_refused(tmp_path):
    call, path = load_members(tmp_path, good_members())
    data = bytearray(pathlib.Path(path).read_bytes())
    entry = data.find(b"PK\x01\x02")  # the first member's central directory entry
    for offset in (20, 24):  # its compressed and uncompressed sizes
        data[entry + offset : entry + offset + 4] = (10**9).to_bytes(4, "little")
    pathlib.Path(path).write_bytes(bytes(data))
    raises(ValueError, call, path, "declare", "more than its")


def test_an_object_array_member_is_refused_without_unpickling(tmp_path):
    members = good_members()
    buffer = io.BytesIO()
    np.save(buffer, np.array([print, 1], dtype=object), allow_pickle=True)
    members["layer0.weights.npy"] = buffer.getvalue()
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path, "pickled Python objects")


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        (npy_header_only((-4, -1)), "declares the shape"),
        (npy_bytes(np.array([b"abc"])), "a model file holds numbers and text"),
        (npy_bytes(np.ones(3, dtype=np.complex128)), "a model file holds numbers and text"),
        (b"not an npy file at all", "Model.load cannot use"),
    ],
)
def test_strange_members_are_refused(tmp_path, member, expected):
    members = good_members()
    members["layer0.weights.npy"] = member
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path, expected)


def test_a_member_that_is_not_npy_is_refused(tmp_path):
    members = good_members()
    members["notes.txt"] = b"hello"
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path, "'notes.txt' is not an .npy array")


def test_a_file_descriptor_is_refused_without_being_closed(tmp_path):
    path = tmp_path / "m.npz"
    regression_model().save(path)
    fd = os.open(path, os.O_RDONLY)
    try:
        raises(TypeError, lambda: nb.Model.load(fd), "file descriptor", "pass a path")
        raises(TypeError, lambda: regression_model().save(fd), "file descriptor")
        os.fstat(fd)  # still open
        assert os.read(fd, 2) == b"PK"
    finally:
        os.close(fd)


def test_paths_pathlike_and_binary_file_objects_work(tmp_path):
    model = regression_model()
    path = tmp_path / "m.npz"
    model.save(path)
    reference = model.predict(np.ones((3, 1)))
    for source in (str(path), path, os.fsencode(path)):
        assert np.array_equal(nb.Model.load(source).predict(np.ones((3, 1))), reference)
    with open(path, "rb") as file:
        assert np.array_equal(nb.Model.load(file).predict(np.ones((3, 1))), reference)
        assert not file.closed  # the caller's file stays open
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    assert np.array_equal(nb.Model.load(buffer).predict(np.ones((3, 1))), reference)


def test_a_text_file_object_is_refused(tmp_path):
    path = tmp_path / "m.npz"
    regression_model().save(path)
    with open(path, encoding="latin-1") as file:
        raises(TypeError, lambda: nb.Model.load(file), "binary file object", "'rb'")


def test_every_refusal_of_a_damaged_file_is_a_value_error_naming_it(tmp_path):
    good = tmp_path / "g.npz"
    regression_model().save(good)
    data = good.read_bytes()
    rng = np.random.default_rng(0)
    for trial in range(40):
        damaged = bytearray(data)
        for position in rng.integers(0, len(damaged), size=int(rng.integers(1, 20))):
            damaged[position] = int(rng.integers(0, 256))
        path = tmp_path / f"d{trial}.npz"
        path.write_bytes(bytes(damaged))
        try:
            nb.Model.load(path)
        except ValueError as error:
            assert str(path) in str(error)


# ---------------------------------------------------- 6. edges of the API


def test_masked_arrays_are_refused_with_a_pointer_to_filled():
    X, y = sine()
    X_masked = np.ma.masked_invalid(np.where(X > 0.9, np.nan, X))
    model = regression_model()
    before = parameters(model)
    raises(TypeError, lambda: model.fit(X_masked, y, verbose=0), "masked array", ".filled(", ".compressed()")
    raises(TypeError, lambda: model.fit(X, np.ma.masked_array(y), verbose=0), "masked array")
    raises(TypeError, lambda: model.predict(X_masked), "masked array")
    raises(TypeError, lambda: nb.MeanSquaredError().forward(np.ma.masked_array(y), y), "masked array")
    raises(TypeError, lambda: model.layers[0].forward(X_masked), "masked array")
    assert same_parameters(model, before)


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_np_matrix_is_converted_and_trains_like_an_array():
    X, y = sine()
    a, b = regression_model(), regression_model()
    a.fit(X, y, epochs=2, verbose=0, rng=0)
    b.fit(np.matrix(X), np.matrix(y), epochs=2, verbose=0, rng=0)
    assert same_parameters(b, parameters(a))
    prediction = b.predict(np.matrix(X))
    assert type(prediction) is np.ndarray and np.array_equal(prediction, a.predict(X))


def test_float64_values_that_overflow_float32_are_not_called_inf():
    X, y = sine()
    model = nb.Model([nb.Dense(1, 1, rng=0, dtype=np.float32)])
    message = raises(ValueError, lambda: model.fit(X * 1e300, y, verbose=0), "float32", "scale the data")
    assert "inf" not in message.split(":")[0]
    X_inf = X.copy()
    X_inf[3, 0] = np.inf  # a real inf is still reported as one
    raises(ValueError, lambda: model.fit(X_inf, y, verbose=0), "found 0 NaN and 1 inf")


def test_integer_labels_are_taken_and_a_label_column_or_an_unknown_class_refused():
    # Integer labels (k,) train like one_hot (API parity); a (k, 1) column and a label past the last class are
    # mistakes that get their own message, before any step.
    X, _ = classification_data()
    model = nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy())
    before = model.layers[0].weights.copy()
    labels = np.arange(200) % 3
    raises(ValueError, lambda: model.fit(X, labels.reshape(-1, 1), verbose=0), "labels.ravel()")
    raises(ValueError, lambda: model.fit(X, labels + 1, verbose=0), "3")
    assert np.array_equal(model.layers[0].weights, before)
    model.fit(X, labels, epochs=1, verbose=0, rng=0)
    assert not np.array_equal(model.layers[0].weights, before)


def test_mean_absolute_error_refuses_nan_like_the_other_losses():
    y = np.ones((3, 1))
    bad = y.copy()
    bad[1, 0] = np.nan
    raises(ValueError, lambda: nb.MeanAbsoluteError().forward(bad, y), "finite numbers in y_pred")
    raises(ValueError, lambda: nb.MeanAbsoluteError().calculate(y, bad), "finite numbers in y_true")


@pytest.mark.parametrize(
    ("threshold", "error"), [("0.5", TypeError), (float("nan"), ValueError), (None, TypeError), (np.inf, ValueError)]
)
def test_binary_accuracy_refuses_a_bad_threshold(threshold, error):
    y = np.array([[1.0], [0.0]])
    raises(error, lambda: nb.binary_accuracy(y, y, threshold=threshold), "threshold")
    assert nb.binary_accuracy(y, y, threshold=np.float32(0.5)) == 1.0


@pytest.mark.parametrize(
    ("keyword", "value", "error"),
    [
        ("verbose", "0", TypeError),
        ("verbose", 0.0, TypeError),
        ("verbose", -1, ValueError),
        ("shuffle", "False", TypeError),
        ("shuffle", None, TypeError),
        ("shuffle", 2, ValueError),
    ],
)
def test_switches_are_booleans(keyword, value, error, capsys):
    X, y = sine()
    model = regression_model()
    before = parameters(model)
    raises(
        error,
        lambda: (
            model.fit(X, y, verbose=0, **{keyword: value})
            if keyword == "shuffle"
            else model.fit(X, y, **{keyword: value})
        ),
        keyword,
    )
    assert capsys.readouterr().out == ""
    assert same_parameters(model, before)


def test_switches_accept_booleans_and_numpy_booleans(capsys):
    X, y = sine(64)
    a, b = regression_model(), regression_model()
    a.fit(X, y, shuffle=False, verbose=False)
    b.fit(X, y, shuffle=np.False_, verbose=0)
    assert capsys.readouterr().out == ""
    assert same_parameters(b, parameters(a))


def test_softmax_before_softmax_cross_entropy_is_refused():
    raises(
        ValueError,
        lambda: nb.Model([nb.Dense(2, 3), nb.Softmax()], loss=nb.SoftmaxCrossEntropy()),
        "remove the Softmax layer",
    )
    raises(
        ValueError,
        lambda: nb.Model([nb.Dense(2, 3), nb.Softmax(), nb.Linear()], loss=nb.SoftmaxCrossEntropy()),
        "apply twice",
    )
    nb.Model([nb.Dense(2, 3), nb.Softmax()], loss=nb.CategoricalCrossEntropy())  # the long way is fine
    nb.Model([nb.Dense(2, 3), nb.Softmax(), nb.Dense(3, 3)], loss=nb.SoftmaxCrossEntropy())


# ------------------------------------------------------ 7. gradcheck misuse


class Identity:
    def __init__(self, backward):
        self._backward = backward

    def forward(self, inputs):
        return inputs * 1.0

    def backward(self, dvalues):
        return self._backward(dvalues)


def test_check_layer_refuses_a_backward_of_the_wrong_shape():
    layer = Identity(lambda g: g[:, :1])  # (k, 1) would broadcast against (k, 3)
    raises(ValueError, lambda: nb.check_layer(layer, np.ones((4, 3))), "Identity.backward", "(4, 1)", "(4, 3)")


def test_check_layer_refuses_a_backward_that_returns_none():
    raises(
        TypeError, lambda: nb.check_layer(Identity(lambda g: None), np.ones((4, 3))), "Identity.backward returned None"
    )


def test_check_layer_refuses_wrong_parameter_gradients():
    layer = nb.Dense(3, 2, rng=0)
    original = layer.backward

    def backward(dvalues):
        result = original(dvalues)
        layer.dweights = layer.dweights[:1]  # (1, 2) instead of (3, 2)
        return result

    layer.backward = backward
    raises(ValueError, lambda: nb.check_layer(layer, np.ones((4, 3))), "Dense.backward (its dweights)")


def test_gradcheck_refuses_integer_inputs():
    raises(TypeError, lambda: nb.check_layer(nb.Dense(3, 2), np.ones((4, 3), dtype=int)), "Dense", "astype(np.float64)")
    raises(TypeError, lambda: nb.numerical_gradient(lambda: 0.0, np.ones(3, dtype=np.int64)), "numerical_gradient")
    raises(TypeError, lambda: nb.numerical_gradient(lambda: 0.0, [1.0, 2.0]), "numpy array")
    raises(
        TypeError,
        lambda: nb.check_loss(nb.MeanSquaredError(), np.ones((2, 1), dtype=int), np.ones((2, 1))),
        "check_loss of MeanSquaredError",
    )
    model = nb.Model([nb.Dense(2, 1, rng=0)])
    raises(TypeError, lambda: nb.check_model(model, np.ones((3, 2), dtype=int), np.zeros((3, 1))), "check_model")


def test_check_loss_refuses_a_gradient_of_the_wrong_shape():
    class Sloppy(nb.MeanSquaredError):
        def backward(self, y_pred, y_true):
            return super().backward(y_pred, y_true).sum(axis=0)  # (m,) instead of (k, m)

    raises(ValueError, lambda: nb.check_loss(Sloppy(), np.ones((3, 2)), np.zeros((3, 2))), "Sloppy.backward")


# ----------------------------------------------- 8. reproducible after load


def test_two_loads_of_one_file_with_dropout_train_bit_identically(tmp_path):
    X, y = sine()
    model = regression_model(dropout=True)
    model.fit(X, y, epochs=2, verbose=0, rng=0)
    path = tmp_path / "dropout.npz"
    model.save(path)
    first, second = nb.Model.load(path), nb.Model.load(path)
    for copy in (model, first, second):
        copy.fit(X, y, epochs=2, verbose=0, rng=1)
    assert same_parameters(first, parameters(second))
    assert same_parameters(first, parameters(model))  # and as the original would have


def test_a_crafted_random_state_is_refused(tmp_path):
    members = model_members(regression_model(dropout=True))
    config = json.loads(str(np.load(io.BytesIO(members["architecture.npy"]))))
    config["layers"][2]["state"] = {"bit_generator": "MT19937", "state": {"key": [1], "pos": 0}}
    members["architecture.npy"] = architecture_member(config)
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path)


def test_an_overlong_text_header_is_refused_before_reading(tmp_path):
    members = good_members()
    members["architecture.npy"] = npy_header_only((), descr="<U2000000", payload=b"\0" * 8_000_000)
    call, path = load_members(tmp_path, members)
    raises(ValueError, call, path, "declares a text of 2000000 characters")


def test_a_layer_whose_weights_are_not_an_array_is_refused():
    class Odd:
        def __init__(self):
            self.weights = [[1.0]]

        def forward(self, inputs):
            return inputs

        def backward(self, dvalues):
            return dvalues

    raises(TypeError, lambda: nb.Model([Odd()]), "layer 0, Odd", "2-D numpy array")


class Scale:
    """A layer of its own with parameters: y = x @ w + b, weights (m, m)."""

    def __init__(self, m=2):
        self.m = m
        self.weights = np.eye(m)
        self.biases = np.zeros(m)

    def config(self):
        return {"m": self.m}

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.weights + self.biases

    def backward(self, dvalues, input_gradient=True):
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = dvalues.sum(axis=0)
        return dvalues @ self.weights.T if input_gradient else None


class DeclaredScale(Scale):
    @staticmethod
    def parameter_shapes(m=2):
        return (m, m), (m,), "float64"


@pytest.mark.parametrize("kind", [Scale, DeclaredScale])
def test_a_registered_layer_with_parameters_round_trips(monkeypatch, kind):
    from nnbook import saving

    monkeypatch.setitem(saving.LAYERS, kind.__name__, kind)
    layer = kind(2)
    layer.weights[:] = [[2.0, 3.0], [4.0, 5.0]]
    model = nb.Model([nb.Dense(2, 2, rng=0), layer])
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    loaded = nb.Model.load(buffer)
    assert np.array_equal(loaded.layers[1].weights, [[2.0, 3.0], [4.0, 5.0]])
    members = model_members(model)
    config = json.loads(str(np.load(io.BytesIO(members["architecture.npy"]))))
    config["layers"][1]["m"] = 10**9
    members["architecture.npy"] = architecture_member(config)
    buffer = io.BytesIO()
    write_zip(buffer, members)
    buffer.seek(0)
    if kind is DeclaredScale:  # refused from the declared shapes, before building
        raises(
            ValueError,
            lambda: nb.Model.load(buffer),
            "layer1.weights should be float64 of shape (1000000000, 1000000000)",
        )


def test_gradcheck_refuses_a_bad_epsilon_and_gradients_of_two_shapes():
    for eps in (0, -1e-6, float("nan"), "1e-6"):
        with pytest.raises((ValueError, TypeError), match="eps"):
            nb.check_layer(nb.Dense(2, 2, rng=0), np.ones((3, 2)), eps=eps)
    raises(ValueError, lambda: nb.relative_error(np.ones(3), np.ones((3, 1))), "one shape", "(3,) and (3, 1)")
    assert nb.relative_error(np.ones((3, 1)), np.ones((3, 1))) == 0.0


OPTIMIZERS_FOR_STEP = [
    lambda: nb.SGD(0.1),
    lambda: nb.SGD(0.1, decay=0.5),
    lambda: nb.SGDMomentum(0.1, momentum=0.9),
    lambda: nb.Adam(0.1),
    lambda: nb.AdaGrad(0.1),
    lambda: nb.RMSprop(0.1),
]


@pytest.mark.parametrize("make", OPTIMIZERS_FOR_STEP)
@pytest.mark.parametrize("shape", [(1,), (3, 1), (1, 3), (4,)])
def test_step_refuses_gradients_that_would_be_broadcast(make, shape):
    optimizer = make()
    parameters = np.arange(3.0)
    with pytest.raises(ValueError, match=r"shape \(3,\); got .*nothing is broadcast"):
        optimizer.step(parameters, np.ones(shape))
    assert np.array_equal(parameters, np.arange(3.0))
    # A refused call takes no step: the next one is the first.
    fresh = np.arange(3.0)
    make().step(fresh, np.ones(3))
    optimizer.step(parameters, np.ones(3))
    assert np.array_equal(parameters, fresh)


@pytest.mark.parametrize("make", OPTIMIZERS_FOR_STEP)
def test_step_refuses_lists_integers_and_read_only_parameters(make):
    with pytest.raises(TypeError, match="two numpy arrays; got list"):
        make().step([0.0, 1.0], np.ones(2))
    with pytest.raises(TypeError, match=r"writable float array .* got int64"):
        make().step(np.zeros(2, dtype=np.int64), np.ones(2))
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(TypeError, match="got read-only float64"):
        make().step(frozen, np.ones(2))
