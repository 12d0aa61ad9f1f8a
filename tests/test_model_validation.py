"""Issue 5 at the Model level: bad input, divergence, atomic saves and damaged model files.

Every bad call must raise ValueError/TypeError (FloatingPointError for divergence) with a message that says what
was expected and what came, and must leave the model bit-for-bit as it was.
"""

import json
import os
import re
import sys
import warnings
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnbook as nb
from conftest import raises

# --------------------------------------------------------------------------- helpers


def small_model(lr=0.1, dtype=np.float64, n=2, m=1, width=8, loss=None):
    layers = [nb.Dense(n, width, rng=0, dtype=dtype), nb.ReLU(), nb.Dense(width, m, rng=1, dtype=dtype), nb.Linear()]
    return nb.Model(layers, loss=loss, optimizer=nb.SGD(learning_rate=lr))


def data(k=50, n=2, m=1, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (k, n))
    return X, np.sin(X.sum(axis=1, keepdims=True)) * np.ones((1, m))


def state(model):
    """Everything a call could change: each layer's attribute names and the bytes of every parameter."""
    return [
        (type(layer).__name__, sorted(vars(layer)), layer.weights.tobytes() if hasattr(layer, "weights") else b"")
        for layer in model.layers
    ] + [layer.biases.tobytes() for layer in model.trainable]


def refused(call, error, *texts):
    """``call()`` raises ``error`` whose message holds every one of ``texts``; return the message."""
    return raises(error, call, *texts)


# --------------------------------------------------------------------------- construction


def test_a_model_needs_at_least_one_layer():
    refused(lambda: nb.Model([]), ValueError, "Model expects at least one layer; got an empty list")


def test_a_single_layer_must_be_wrapped_in_a_list():
    refused(lambda: nb.Model(nb.Dense(1, 2)), TypeError, "expects a list of layers; got one Dense: wrap it, [layer]")


@pytest.mark.parametrize(
    ("item", "shown"), [(3, "layer 1 is 3 (int)"), ("relu", "layer 1 is 'relu' (str)"), (nb.ReLU, "call it, ReLU()")]
)
def test_every_item_must_be_a_layer(item, shown):
    refused(
        lambda: nb.Model([nb.Dense(1, 4), item]), TypeError, "Model expects layers with forward and backward", shown
    )


def test_widths_that_do_not_chain_name_both_layers():
    message = refused(
        lambda: nb.Model([nb.Dense(1, 64), nb.ReLU(), nb.Dense(32, 1)]),
        ValueError,
        "layer 2, Dense(32, 1) expects 32 inputs",
        "layer 0, Dense(1, 64) before it outputs 64",
    )
    assert message.startswith("Model layers do not fit together")


def test_widths_chain_across_several_activations_and_layers():
    model = nb.Model([nb.Dense(3, 4), nb.ReLU(), nb.Linear(), nb.Dense(4, 5), nb.ReLU(), nb.Dense(5, 2)])
    assert (model.n_inputs, model.n_outputs) == (3, 2)
    refused(lambda: nb.Model([nb.Dense(3, 4), nb.Dense(4, 5), nb.Dense(4, 2)]), ValueError, "layer 2, Dense(4, 2)")


def test_layers_in_two_dtypes_are_refused():
    refused(
        lambda: nb.Model([nb.Dense(1, 4, dtype=np.float64), nb.Dense(4, 1, dtype=np.float32)]),
        TypeError,
        "one dtype",
        "float64",
        "float32",
    )


@pytest.mark.parametrize(
    ("loss", "shown"),
    [
        ("mse", "got 'mse' (str)"),
        (nb.MeanSquaredError, "got the class MeanSquaredError: call it"),
        (object(), "object"),
    ],
)
def test_a_loss_of_the_wrong_type(loss, shown):
    refused(lambda: nb.Model([nb.Dense(1, 1)], loss=loss), TypeError, "Model expects loss to be an object", shown)


@pytest.mark.parametrize(("optimizer", "shown"), [(0.01, "got 0.01 (float)"), (nb.SGD, "got the class SGD: call it")])
def test_an_optimizer_of_the_wrong_type(optimizer, shown):
    refused(
        lambda: nb.Model([nb.Dense(1, 1)], optimizer=optimizer), TypeError, "Model expects optimizer", "SGD(", shown
    )


def test_metrics_as_a_string_or_unknown_names():
    refused(lambda: nb.Model([nb.Dense(1, 1)], metrics="mae"), TypeError, "use ['mae']")
    refused(lambda: nb.Model([nb.Dense(1, 1)], metrics=["mae", "f1"]), ValueError, "unknown metrics ['f1']")


# --------------------------------------------------------------------------- fit, predict, evaluate: data

X_GOOD, Y_GOOD = data()
X_NAN = X_GOOD.copy()
X_NAN[3, 1] = np.nan
Y_INF = Y_GOOD.copy()
Y_INF[5, 0] = -np.inf

BAD_DATA = [
    # (X, y, error, texts)
    (X_GOOD[:, :1], Y_GOOD, ValueError, ["expects X of shape (k, 2); got (50, 1)"]),
    (np.hstack([X_GOOD, X_GOOD]), Y_GOOD, ValueError, ["expects X of shape (k, 2); got (50, 4)"]),
    (X_GOOD.T, Y_GOOD, ValueError, ["got (2, 50)", "did you pass the transpose?"]),
    (X_GOOD[:, 0], Y_GOOD, ValueError, ["got (50,)", "X is 1-D"]),
    (X_GOOD[None], Y_GOOD, ValueError, ["got (1, 50, 2)"]),
    (np.float64(1.0), Y_GOOD, ValueError, ["got ()", "a single number"]),
    (X_GOOD, Y_GOOD.ravel(), ValueError, ["expects y of shape (k, 1); got (50,)", "y.reshape(-1, 1)"]),
    (X_GOOD, np.hstack([Y_GOOD, Y_GOOD]), ValueError, ["expects y of shape (k, 1); got (50, 2)"]),
    (X_GOOD, Y_GOOD[:40], ValueError, ["X and y with the same number of samples k; got 50 and 40"]),
    (X_NAN, Y_GOOD, ValueError, ["finite numbers in X; found 1 NaN and 0 inf (the first at index (3, 1))"]),
    (X_GOOD, Y_INF, ValueError, ["finite numbers in y; found 0 NaN and 1 inf (the first at index (5, 0))"]),
    (X_GOOD.astype(str), Y_GOOD, TypeError, ["holding real numbers; got dtype <U", "(strings)"]),
    (X_GOOD.astype(object), Y_GOOD, TypeError, ["got dtype object"]),
    (X_GOOD > 0, Y_GOOD, TypeError, ["got dtype bool", "astype(np.float64)"]),
    (X_GOOD + 1j, Y_GOOD, TypeError, ["complex numbers are not supported"]),
    (X_GOOD, Y_GOOD.astype(str), TypeError, ["expects y of shape (k, 1) holding real numbers"]),
    (np.empty((0, 2)), np.empty((0, 1)), ValueError, ["with at least one sample; got (0, 2)"]),
    ([[1.0, 2.0], [3.0]], [[1.0], [2.0]], ValueError, ["cannot turn into one array"]),
    (X_GOOD, None, TypeError, ["targets y of shape (k, m); got None"]),
]
BAD_IDS = [
    "too-few-features",
    "too-many-features",
    "transposed",
    "1d-X",
    "3d-X",
    "scalar-X",
    "1d-y",
    "wrong-output-width",
    "mismatched-k",
    "nan-X",
    "inf-y",
    "string-X",
    "object-X",
    "bool-X",
    "complex-X",
    "string-y",
    "empty",
    "ragged",
    "no-y",
]


@pytest.mark.parametrize(("X", "y", "error", "texts"), BAD_DATA, ids=BAD_IDS)
def test_fit_refuses_bad_data_and_leaves_the_model_untouched(X, y, error, texts):
    model = small_model()
    before = state(model)
    message = refused(lambda: model.fit(X, y, epochs=2, verbose=0, rng=0), error, *texts)
    assert message.startswith("Model.fit ")
    assert state(model) == before


@pytest.mark.parametrize(("X", "y", "error", "texts"), BAD_DATA, ids=BAD_IDS)
def test_evaluate_refuses_bad_data(X, y, error, texts):
    model = small_model()
    before = state(model)
    message = refused(lambda: model.evaluate(X, y), error, *texts)
    assert message.startswith("Model.evaluate ")
    assert state(model) == before


@pytest.mark.parametrize(
    ("X", "texts"),
    [
        (X_GOOD[:, :1], ["Model.predict expects X of shape (k, 2); got (50, 1)"]),
        (X_GOOD[:, 0], ["X is 1-D"]),
        (X_NAN, ["Model.predict expects finite numbers in X; found 1 NaN"]),
        (np.empty((0, 2)), ["at least one sample"]),
    ],
)
def test_predict_refuses_bad_inputs(X, texts):
    model = small_model()
    before = state(model)
    refused(lambda: model.predict(X), ValueError, *texts)
    assert state(model) == before


def test_the_checks_use_the_models_dtype_and_accept_lists_and_integers():
    model = small_model(dtype=np.float32)
    X, y = data(k=8)
    history = model.fit(X.tolist(), y, epochs=1, verbose=0, rng=0)
    assert np.isfinite(history.history["loss"]).all()
    assert model.predict(np.arange(6).reshape(3, 2)).dtype == np.float32
    assert model.trainable[0].inputs.dtype == np.float32


# --------------------------------------------------------------------------- fit, predict, evaluate: settings


@pytest.mark.parametrize(
    ("kwargs", "error", "texts"),
    [
        ({"epochs": 0}, ValueError, ["Model.fit expects epochs to be a positive integer; got 0"]),
        ({"epochs": -3}, ValueError, ["got -3"]),
        ({"epochs": 2.0}, TypeError, ["epochs to be a positive integer; got 2.0 (float)"]),
        ({"epochs": True}, TypeError, ["got True (bool)"]),
        ({"epochs": "10"}, TypeError, ["got '10' (str)"]),
        ({"batch_size": 0}, ValueError, ["Model.fit expects batch_size to be a positive integer; got 0"]),
        ({"batch_size": -1}, ValueError, ["got -1"]),
        ({"batch_size": 32.0}, TypeError, ["batch_size to be a positive integer; got 32.0 (float)"]),
        ({"batch_size": None}, TypeError, ["got None (NoneType)"]),
        ({"rng": "seed"}, TypeError, ["Model.fit expects rng to be an int seed, a numpy Generator or None"]),
        ({"rng": -1}, ValueError, ["Model.fit expects rng to be a seed >= 0; got -1"]),
        ({"rng": np.random.RandomState(0)}, TypeError, ["use np.random.default_rng(seed) instead"]),
        ({"validation_data": X_GOOD}, TypeError, ["validation_data as a pair (X_val, y_val); got a ndarray"]),
        ({"validation_data": (X_GOOD, Y_GOOD, Y_GOOD)}, TypeError, ["got a tuple of 3 items"]),
        ({"validation_data": (X_GOOD[:, :1], Y_GOOD)}, ValueError, ["Model.fit (validation_data) expects X of shape"]),
        ({"validation_data": (X_GOOD, Y_GOOD[:10])}, ValueError, ["(validation_data)", "got 50 and 10"]),
        ({"validation_data": (X_NAN, Y_GOOD)}, ValueError, ["(validation_data) expects finite numbers in X"]),
    ],
)
def test_fit_refuses_bad_settings_and_leaves_the_model_untouched(kwargs, error, texts):
    model = small_model()
    before = state(model)
    refused(lambda: model.fit(X_GOOD, Y_GOOD, verbose=0, **{"rng": 0, **kwargs}), error, *texts)
    assert state(model) == before


@pytest.mark.parametrize("method", ["predict", "evaluate"])
@pytest.mark.parametrize(
    ("batch_size", "error"), [(0, ValueError), (-2, ValueError), (2.5, TypeError), ("4", TypeError)]
)
def test_predict_and_evaluate_refuse_a_bad_batch_size(method, batch_size, error):
    model = small_model()
    args = (X_GOOD,) if method == "predict" else (X_GOOD, Y_GOOD)
    refused(lambda: getattr(model, method)(*args, batch_size=batch_size), error, f"Model.{method} expects batch_size")


def test_a_batch_size_larger_than_the_data_is_fine():
    model = small_model()
    assert model.predict(X_GOOD, batch_size=1000).shape == (50, 1)
    assert len(model.fit(X_GOOD, Y_GOOD, batch_size=1000, epochs=2, verbose=0).history["loss"]) == 2


# --------------------------------------------------------------------------- metrics and datasets


@pytest.mark.parametrize("metric", [nb.mean_squared_error, nb.mean_absolute_error, nb.r2_score, nb.accuracy_within])
@pytest.mark.parametrize(
    ("y_pred", "y_true", "error", "texts"),
    [
        (np.zeros((10, 1)), np.zeros(10), ValueError, ["got (10, 1) and (10,)", "y_true.reshape(-1, 1)"]),
        (np.zeros(10), np.zeros(10), ValueError, ["got (10,) and (10,)"]),
        (np.zeros((10, 1)), np.zeros((8, 1)), ValueError, ["10 predictions for 8 targets"]),
        (np.zeros((10, 2)), np.zeros((10, 1)), ValueError, ["2 outputs per sample predicted, 1 expected"]),
        (np.full((3, 1), np.nan), np.zeros((3, 1)), ValueError, ["finite numbers in y_pred; found 3 NaN"]),
        (np.zeros((3, 1)), np.full((3, 1), np.inf), ValueError, ["finite numbers in y_true; found 0 NaN and 3 inf"]),
        (np.zeros((3, 1)).astype(str), np.zeros((3, 1)), TypeError, ["holding real numbers"]),
        (np.zeros((0, 1)), np.zeros((0, 1)), ValueError, ["k >= 1"]),
    ],
)
def test_metrics_refuse_bad_inputs(metric, y_pred, y_true, error, texts):
    message = refused(lambda: metric(y_pred, y_true), error, *texts)
    assert message.startswith(metric.__name__ + " expects")


@pytest.mark.parametrize(("tolerance", "error"), [(-0.1, ValueError), (np.nan, ValueError), ("0.1", TypeError)])
def test_accuracy_refuses_a_bad_tolerance(tolerance, error):
    refused(lambda: nb.accuracy_within(np.zeros((3, 1)), np.zeros((3, 1)), tolerance), error, "tolerance")


def test_metrics_keep_their_values_on_good_input():
    y_pred, y_true = np.array([[1.0], [3.0]]), np.array([[0], [1]])  # integer targets are converted
    assert nb.mean_squared_error(y_pred, y_true) == 2.5
    assert nb.mean_absolute_error(y_pred.tolist(), y_true) == 1.5


@pytest.mark.parametrize("make", [nb.datasets.sine, nb.datasets.sine_cosine])
@pytest.mark.parametrize(
    ("args", "kwargs", "error", "text"),
    [
        ((0,), {}, ValueError, "expects n_samples to be a positive integer; got 0"),
        ((-5,), {}, ValueError, "got -5"),
        ((10.0,), {}, TypeError, "got 10.0 (float)"),
        ((10,), {"noise": -0.1}, ValueError, "noise to be a finite number >= 0"),
        ((10,), {"noise": np.inf}, ValueError, "noise to be a finite number >= 0"),
        ((10,), {"rng": "0"}, TypeError, "rng to be an int seed"),
        ((10,), {"dtype": np.int32}, TypeError, "dtype to be np.float32 or np.float64; got np.int32"),
    ],
)
def test_datasets_refuse_bad_sizes_and_settings(make, args, kwargs, error, text):
    message = refused(lambda: make(*args, **kwargs), error, text)
    assert message.startswith(make.__name__ + " expects")


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"val_fraction": -0.1}, ValueError, "val_fraction to be a number in [0, 1); got -0.1"),
        ({"test_fraction": 1.0}, ValueError, "test_fraction to be a number in [0, 1); got 1.0"),
        ({"val_fraction": np.nan}, ValueError, "got nan"),
        ({"val_fraction": "0.2"}, TypeError, "got '0.2' (str)"),
        ({"val_fraction": 0.5, "test_fraction": 0.5}, ValueError, "leave no training samples (10 + 10 >= 20)"),
        ({"val_fraction": 0.01}, ValueError, "val_fraction=0.01 of 20 samples is less than one sample"),
        ({"rng": 1.5}, TypeError, "rng to be an int seed"),
    ],
)
def test_split_refuses_bad_fractions(kwargs, error, text):
    X, y = nb.datasets.sine(20, rng=0)
    refused(lambda: nb.datasets.train_val_test_split(X, y, **kwargs), error, "train_val_test_split", text)


def test_split_refuses_1d_arrays_and_mismatched_lengths():
    X, y = nb.datasets.sine(20, rng=0)
    refused(lambda: nb.datasets.train_val_test_split(X, y.ravel()), ValueError, "got (20, 1) and (20,)")
    refused(lambda: nb.datasets.train_val_test_split(X, y[:19]), ValueError, "got 20 and 19")
    (X_tr, _), (X_va, _), (X_te, _) = nb.datasets.train_val_test_split(X, y, val_fraction=0, test_fraction=0.25)
    assert (len(X_tr), len(X_va), len(X_te)) == (15, 0, 5)


# --------------------------------------------------------------------------- divergence


def diverging_fit(model, X, y, **kwargs):
    """Fit until divergence; return (epoch, batch, n_batches, message) read from the error."""
    with pytest.raises(FloatingPointError) as info:
        model.fit(X, y, epochs=30, batch_size=16, verbose=0, **kwargs)
    message = str(info.value)
    match = re.search(r"training diverged at epoch (\d+), batch (\d+) of (\d+): ", message)
    assert match, message
    assert "keeps its parameters from before that batch" in message and "try a smaller learning rate" in message
    return (*map(int, match.groups()), message)


def sgd_steps(model, X, y, orders, batch_size, n_steps):
    """Plain SGD by hand: ``n_steps`` steps over the batches of the given per-epoch orders."""
    done = 0
    with np.errstate(all="ignore"):
        for order in orders:
            for start in range(0, len(X), batch_size):
                if done == n_steps:
                    return
                rows = order[start : start + batch_size]
                model.backward(model.forward(X[rows]), y[rows])
                for layer in model.trainable:
                    model.optimizer.update(layer)
                done += 1


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_divergence_names_epoch_and_batch_and_keeps_the_last_finite_parameters(dtype):
    X, y = data(k=100, seed=1)
    model = small_model(lr=500.0, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning escapes: the error says it all
        epoch, batch, n_batches, _ = diverging_fit(model, X, y, rng=7)
    assert n_batches == 7 and 1 <= batch <= 7
    assert all(np.isfinite(layer.weights).all() and np.isfinite(layer.biases).all() for layer in model.trainable)

    # The same training by hand, with fit's shuffles, stopped before the batch the error named.
    generator = np.random.default_rng(7)
    orders = [generator.permutation(len(X)) for _ in range(epoch)]
    reference = small_model(lr=500.0, dtype=dtype)
    steps = (epoch - 1) * n_batches + (batch - 1)
    sgd_steps(reference, X, y, orders, 16, steps)
    for a, b in zip(model.trainable, reference.trainable, strict=True):
        assert a.weights.tobytes() == b.weights.tobytes() and a.biases.tobytes() == b.biases.tobytes()

    # ...and the named step is indeed the one that breaks: its loss or its update is not finite.
    rows = orders[-1][(batch - 1) * 16 : batch * 16]
    with np.errstate(all="ignore"):
        y_pred = reference.forward(X[rows])
        loss = np.mean((y_pred - y[rows].astype(dtype)) ** 2)
        reference.backward(y_pred, y[rows].astype(dtype))
        for layer in reference.trainable:
            reference.optimizer.update(layer)
    broken = not np.isfinite(loss) or not all(np.isfinite(layer.weights).all() for layer in reference.trainable)
    assert broken


def test_divergence_in_the_first_batch_restores_the_initial_weights():
    X, y = data(k=64)
    model = small_model(lr=1e300)
    before = state(model)
    epoch, batch, _, message = diverging_fit(model, X * 1e6, y, rng=0)
    assert (epoch, batch) == (1, 1), message
    assert state(model)[-2:] == before[-2:]  # the biases, and
    assert [entry[2] for entry in state(model)[:-2]] == [entry[2] for entry in before[:-2]]  # the weights


def test_divergence_with_shuffle_off_and_validation_data():
    X, y = data(k=64)
    model = small_model(lr=800.0)
    epoch, batch, n_batches, _ = diverging_fit(model, X, y, shuffle=False, validation_data=(X, y))
    reference = small_model(lr=800.0)
    sgd_steps(reference, X, y, [np.arange(64)] * epoch, 16, (epoch - 1) * n_batches + batch - 1)
    assert all(
        a.weights.tobytes() == b.weights.tobytes() for a, b in zip(model.trainable, reference.trainable, strict=True)
    )


def test_the_divergence_error_carries_the_history_of_the_finished_epochs():
    X, y = data(k=64)
    model = small_model(lr=800.0)
    with pytest.raises(FloatingPointError) as info:
        model.fit(X, y, epochs=30, batch_size=16, shuffle=False, validation_data=(X, y), verbose=0)
    epoch = int(re.search(r"epoch (\d+),", str(info.value)).group(1))
    history = info.value.history
    assert isinstance(history, nb.model.History) and history.epoch == list(range(epoch - 1))
    expected = {"loss", "data_loss", "regularization_loss", "mae", "r2", "lr", "val_loss", "val_mae", "val_r2"}
    assert set(history.history) == expected
    assert all(len(values) == epoch - 1 and np.isfinite(values).all() for values in history.history.values())


class CountingBackward(nb.Linear):
    """The identity output layer, counting the backward passes (one per step: a replay would add more)."""

    def __init__(self):
        super().__init__()
        self.backwards = 0

    def backward(self, dvalues):
        self.backwards += 1
        return super().backward(dvalues)


def test_healthy_training_never_replays():
    counter = CountingBackward()
    layers = [nb.Dense(2, 8, rng=0), nb.ReLU(), nb.Dense(8, 1, rng=1), counter]
    model = nb.Model(layers, optimizer=nb.SGD(learning_rate=0.1))
    history = model.fit(X_GOOD, Y_GOOD, epochs=3, batch_size=16, verbose=0, rng=0)
    assert np.isfinite(history.history["loss"]).all()
    assert counter.backwards == 3 * -(-len(X_GOOD) // 16), "replayed an epoch that was fine"


# --------------------------------------------------------------------------- saving


def saved(tmp_path, name="m.npz", seed=0):
    path = tmp_path / name
    model = nb.Model([nb.Dense(2, 4, rng=seed), nb.ReLU(), nb.Dense(4, 1, rng=seed + 1)])
    model.save(path)
    return path, model


@pytest.mark.parametrize("where", ["savez", "write", "fsync", "replace", "interrupt"])
def test_a_failed_save_keeps_the_previous_file_and_leaves_no_temporary_file(tmp_path, monkeypatch, where):
    path, _ = saved(tmp_path)
    original = path.read_bytes()
    real_savez, real_replace = np.savez, os.replace

    def broken_savez(file, **arrays):
        if where == "write":
            real_savez(file, **arrays)
            raise OSError("No space left on device")
        file.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt if where == "interrupt" else OSError("disk full")

    def broken(*args, **kwargs):
        raise OSError(f"{where} failed")

    if where in ("savez", "write", "interrupt"):
        monkeypatch.setattr(np, "savez", broken_savez)
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", broken)
    else:
        monkeypatch.setattr(os, "replace", broken)
    other = nb.Model([nb.Dense(2, 4, rng=5), nb.ReLU(), nb.Dense(4, 1, rng=6)])
    with pytest.raises(KeyboardInterrupt if where == "interrupt" else OSError):
        other.save(path)
    monkeypatch.setattr(np, "savez", real_savez)
    monkeypatch.setattr(os, "replace", real_replace)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["m.npz"]
    nb.Model.load(path)  # still a good model file


def test_a_failed_first_save_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        nb.Model([nb.Dense(1, 1)]).save(tmp_path / "new.npz")
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- loading damaged files


def load_refused(path, *texts):
    message = refused(lambda: nb.Model.load(path), ValueError, str(path), *texts)
    assert message.startswith("Model.load cannot use ")
    return message


def rewrite(path, change):
    """Save the arrays of ``path`` again after ``change(arrays, config)`` edited them (or the config)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    config = json.loads(str(arrays["architecture"]))
    change(arrays, config)
    arrays["architecture"] = np.array(json.dumps(config))
    np.savez(path, **arrays)


@pytest.mark.parametrize("content", [b"", b"hello, model", bytes(range(256)) * 8], ids=["empty", "text", "binary"])
def test_load_of_garbage(tmp_path, content):
    path = tmp_path / "garbage.npz"
    path.write_bytes(content)
    load_refused(path, "not an .npz (zip) archive")


def test_load_of_random_bytes_with_a_zip_signature(tmp_path):
    path = tmp_path / "fake.npz"
    path.write_bytes(b"PK\x03\x04" + np.random.default_rng(0).bytes(2000))
    load_refused(path, "not an .npz (zip) archive")


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_load_of_a_truncated_file(tmp_path, fraction):
    path, _ = saved(tmp_path)
    content = path.read_bytes()
    path.write_bytes(content[: int(len(content) * fraction)])
    load_refused(path, "not an .npz (zip) archive")


def test_load_of_a_file_with_flipped_bytes(tmp_path):
    path, model = saved(tmp_path)
    content = bytearray(path.read_bytes())
    at = content.find(model.layers[0].weights.tobytes()[:8])
    content[at + 3] ^= 0xFF
    path.write_bytes(bytes(content))
    load_refused(path, "corrupted", "CRC")


def test_load_of_a_zip_that_is_not_an_npz(tmp_path):
    path = tmp_path / "notes.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not arrays")
    load_refused(path, "not an nnbook model file: no format_version or architecture (it holds: readme.txt)")


def test_load_of_a_foreign_npz(tmp_path):
    path = tmp_path / "foreign.npz"
    np.savez(path, weights=np.ones((2, 2)), labels=np.arange(3))
    load_refused(path, "not an nnbook model file", "it holds: labels, weights")


def test_load_of_a_plain_npy(tmp_path):
    path = tmp_path / "array.npy"
    np.save(path, np.ones(3))
    load_refused(path, "not an .npz (zip) archive")


def test_load_never_unpickles(tmp_path, monkeypatch):
    path, _ = saved(tmp_path)
    ran = []

    class Payload:
        def __reduce__(self):
            return (ran.append, ("code ran",))

    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["layer0.weights"] = np.array([Payload()], dtype=object)
    np.savez(path, **arrays)
    load_refused(path, "pickled Python objects")
    assert ran == []


@pytest.mark.parametrize(
    ("version", "text"),
    [
        (np.array(4), "written in format 4 by a newer nnbook; this one reads formats 1 to 3"),
        (np.array(0), "unknown format version 0"),
        (np.array(1.0), "format_version must be one integer"),
        (np.array("1"), "format_version must be one integer"),
        (np.array([1, 1]), "format_version must be one integer"),
    ],
)
def test_load_checks_the_format_version(tmp_path, version, text):
    path, _ = saved(tmp_path)
    rewrite(path, lambda arrays, config: arrays.__setitem__("format_version", version))
    load_refused(path, text)


def test_load_of_an_architecture_that_is_not_json(tmp_path):
    path, _ = saved(tmp_path)
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["architecture"] = np.array("{not json")
    np.savez(path, **arrays)
    load_refused(path, "Expecting property name")
    arrays["architecture"] = np.array([1.0, 2.0])
    np.savez(path, **arrays)
    load_refused(path, "the architecture is not one JSON string")
    arrays["architecture"] = np.array('{"layers": 3}')
    np.savez(path, **arrays)
    load_refused(path, "the architecture has no list of layers")


def edit_layer(index, **changes):
    def change(arrays, config):
        config["layers"][index].update(changes)

    return change


@pytest.mark.parametrize(
    ("change", "texts"),
    [
        (edit_layer(1, type="os.system"), ["layer 1 has unknown type 'os.system'"]),
        (edit_layer(1, type="Lambda"), ["unknown type 'Lambda'"]),
        (edit_layer(0, n_neurons=5), ["layer0.weights should be float64 of shape (2, 5); got float64 (2, 4)"]),
        (edit_layer(0, dtype="float32"), ["layer0.weights should be float32 of shape (2, 4); got float64 (2, 4)"]),
        (edit_layer(0, dtype="int64"), ["Dense expects dtype to be np.float32 or np.float64"]),
        (edit_layer(0, n_inputs=-2), ["Dense expects n_inputs to be a positive integer; got -2"]),
        (edit_layer(0, evil="rm -rf"), ["unexpected keyword argument 'evil'"]),
        (edit_layer(1, alpha=0.1), ["ReLU() takes no arguments"]),
        (lambda arrays, config: arrays.pop("layer2.biases"), ["layer2.biases is missing"]),
        (
            lambda arrays, config: arrays.__setitem__("layer2.weights", np.ones((4, 2))),
            ["should be float64 of shape (4, 1)"],
        ),
        (
            lambda arrays, config: arrays.__setitem__("layer0.biases", arrays["layer0.biases"].astype(np.float16)),
            ["layer0.biases should be float64 of shape (4,); got float16 (4,)"],
        ),
        (
            lambda arrays, config: arrays.__setitem__("layer0.weights", np.full((2, 4), np.nan)),
            ["layer0.weights holds NaN or inf"],
        ),
        (
            lambda arrays, config: arrays.__setitem__("layer1.weights", np.ones((4, 4))),
            ["arrays ['layer1.weights'] belong to no layer"],
        ),
        (lambda arrays, config: config.__setitem__("loss", "Pickle"), ["unknown loss 'Pickle'"]),
        (lambda arrays, config: config["optimizer"].__setitem__("learning_rate", -1), ["SGD expects learning_rate"]),
        (lambda arrays, config: config.__setitem__("metrics", ["f1"]), ["unknown metrics ['f1']"]),
        (lambda arrays, config: config.pop("optimizer"), ["no 'optimizer'"]),
    ],
)
def test_load_of_a_mismatched_file(tmp_path, change, texts):
    path, _ = saved(tmp_path)
    rewrite(path, change)
    load_refused(path, *texts)


def test_load_of_layers_that_do_not_chain(tmp_path):
    path, _ = saved(tmp_path)

    def change(arrays, config):
        config["layers"][2].update(n_inputs=3)
        arrays["layer2.weights"] = np.ones((3, 1))

    rewrite(path, change)
    load_refused(path, "layer 2, Dense(3, 1) expects 3 inputs, but layer 0, Dense(2, 4) before it outputs 4")


def test_a_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        nb.Model.load(tmp_path / "nowhere.npz")


def test_a_good_file_still_loads_bit_exact(tmp_path):
    path, model = saved(tmp_path)
    again = nb.Model.load(path)
    X = np.random.default_rng(0).standard_normal((5, 2))
    assert again.predict(X).tobytes() == model.predict(X).tobytes()


# --------------------------------------------------------------------------- property: work or explain

DTYPES = [np.float64, np.float32, np.int64, np.bool_, np.complex128, np.str_]


@st.composite
def array_like(draw, shape=None):
    """An array of a random shape and dtype; about half are well-formed (k, 2) float arrays, so both paths run."""
    if shape is None and draw(st.booleans()):
        shape = (draw(st.integers(1, 6)), 2)
    if shape is None:
        ndim = draw(st.integers(0, 3))
        shape = tuple(draw(st.lists(st.integers(0, 4), min_size=ndim, max_size=ndim)))
    dtype = draw(st.sampled_from(DTYPES[:2] * 3 + DTYPES[2:]))
    values = np.random.default_rng(draw(st.integers(0, 2**16))).uniform(-2, 2, shape)
    if draw(st.integers(0, 4)) == 0 and values.size and np.dtype(dtype).kind in "fc":
        values.flat[0] = draw(st.sampled_from([np.nan, np.inf, -np.inf, 0.5]))
    if dtype is np.str_:
        return values.astype(str)
    return values.astype(dtype)


def valid(array, width):
    return (
        array.ndim == 2
        and array.shape[0] >= 1
        and array.shape[1] == width >= 1
        and array.dtype.kind in "fiu"
        and bool(np.isfinite(array.astype(np.float64)).all())
    )


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), batch_size=st.integers(1, 5), dtype=st.sampled_from([np.float32, np.float64]))
def test_random_shapes_either_work_or_raise_a_clear_error(data, batch_size, dtype):
    X = data.draw(array_like())
    same_k = X.ndim >= 1 and data.draw(st.booleans())
    y = data.draw(array_like(shape=(len(X), data.draw(st.sampled_from([2, 2, 1])))) if same_k else array_like())
    model = small_model(dtype=dtype, n=2, m=2, width=3)
    before = state(model)
    good = valid(X, 2) and valid(y, 2) and len(X) == len(y)
    for name, call in (
        ("Model.fit", lambda: model.fit(X, y, epochs=1, batch_size=batch_size, verbose=0, rng=0)),
        ("Model.evaluate", lambda: model.evaluate(X, y, batch_size=batch_size)),
        ("Model.predict", lambda: model.predict(X, batch_size=batch_size)),
    ):
        expected_to_work = good if name != "Model.predict" else valid(X, 2)
        try:
            result = call()
        except (ValueError, TypeError) as error:
            assert not expected_to_work, f"{name} refused valid data: {error}"
            assert str(error).startswith(name + " expects"), error
            assert " got " in str(error) or "; found " in str(error), error
            if name == "Model.fit":
                assert state(model) == before
            continue
        assert expected_to_work, f"{name} accepted X {X.shape} {X.dtype}, y {y.shape} {y.dtype}"
        if name == "Model.predict":
            assert result.shape == (len(X), 2) and result.dtype == dtype


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_save_gives_the_file_ordinary_permissions_and_keeps_those_of_a_replaced_file(tmp_path):
    path, model = saved(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0o600
    path.chmod(0o640)
    model.save(path)
    assert path.stat().st_mode & 0o777 == 0o640


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data(), metric=st.sampled_from(["accuracy", "mae", "mse", "r2"]))  # regression metrics: any reals
def test_metrics_on_random_shapes_either_work_or_raise_a_clear_error(data, metric):
    y_pred = data.draw(array_like())
    y_true = data.draw(array_like(shape=y_pred.shape) if data.draw(st.booleans()) else array_like())
    function = nb.METRICS[metric]
    width = y_pred.shape[1] if y_pred.ndim == 2 else -1
    good = valid(y_pred, width) and valid(y_true, width) and y_pred.shape == y_true.shape
    try:
        value = function(y_pred, y_true)
    except (ValueError, TypeError) as error:
        assert not good, f"{metric} refused valid input: {error}"
        assert str(error).startswith(function.__name__ + " expects"), error
        return
    assert good, f"{metric} accepted {y_pred.shape} {y_pred.dtype} against {y_true.shape} {y_true.dtype}"
    assert isinstance(value, float) and np.isfinite(value)


@pytest.mark.parametrize("method", ["predict", "evaluate"])
def test_an_output_that_overflows_is_a_clear_error_not_a_warning(method):
    model = small_model(dtype=np.float32)
    model.layers[0].weights[...] = 2.0  # whatever the default init: 2 * 3e38 + 2 * 3e38 overflows
    X = np.full((4, 2), 3e38, dtype=np.float32)  # finite, but the network's sums overflow float32
    args = (X,) if method == "predict" else (X, np.zeros((4, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        refused(
            lambda: getattr(model, method)(*args),
            ValueError,
            f"Model.{method} expects the network to map finite X to finite predictions",
            "for 4 of 4 samples",
            "float32",
        )


def test_divergence_ends_the_progress_line(capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)  # the live line of a terminal
    X, y = data(k=64)
    with pytest.raises(FloatingPointError):
        small_model(lr=1e300).fit(X * 1e6, y, epochs=3, verbose=1, rng=0)
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1
