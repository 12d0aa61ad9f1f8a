"""Hostile input, round 3 (issue 21): the classes fixed so far, one section each.

Each test reproduces the failure the issue describes and checks the promise instead: a clear message in
our words, and a refused call that changes nothing.
"""

import io
import json
import os
import signal
import stat
import threading
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnbook as nb
from conftest import raises


def regression_model():
    return nb.Model([nb.Dense(1, 8, rng=0), nb.ReLU(), nb.Dense(8, 1, rng=1)], optimizer=nb.SGD(0.05))


def parameters(model):
    return [array.copy() for layer in model.trainable for array in (layer.weights, layer.biases)]


def unchanged(model, before):
    return all(np.array_equal(a, b) for a, b in zip(parameters(model), before, strict=True))


# ------------------------------------------ 1. fit checks the shapes after convolution before any step


@settings(max_examples=25, deadline=None)
@given(extra=st.integers(-3, 3).filter(bool), length=st.integers(6, 12), kernel=st.integers(1, 4))
def test_conv_flatten_dense_widths_are_refused_before_any_step(extra, length, kernel):
    conv = nb.Conv1D(2, 3, kernel, rng=0)
    width = (length - kernel + 1) * 3
    model = nb.Model([conv, nb.ReLU(), nb.Flatten(), nb.Dense(width + extra, 1, rng=1)], optimizer=nb.SGD(0.01))
    X = np.random.default_rng(0).standard_normal((8, length, 2))
    before = parameters(model)
    raises(ValueError, lambda: model.fit(X, np.zeros((8, 1)), verbose=0), "do not fit together", str(width))
    assert unchanged(model, before)


def test_conv_output_into_dense_without_flatten_names_the_fix():
    X = np.zeros((4, 10, 1))
    # Widths that differ are refused when the model is built...
    build = lambda: nb.Model([nb.Conv1D(1, 2, 3, rng=0), nb.Dense(16, 1, rng=1)])  # noqa: E731
    raises(ValueError, build, "do not fit together", "Flatten")
    # ...and a Dense as wide as the channels, which numpy would broadcast over the positions, before any step.
    model = nb.Model([nb.Conv1D(1, 2, 3, rng=0), nb.Dense(2, 1, rng=1)])
    before = parameters(model)
    raises(ValueError, lambda: model.fit(X, np.zeros((4, 1)), verbose=0), "do not fit together", "Flatten")
    assert unchanged(model, before)


# ------------------------------------------ 2. boolean class labels are a TypeError, not a mask


@pytest.mark.parametrize(
    "call",
    [
        lambda X, labels: nb.Model([nb.Dense(2, 3, rng=0)], loss=nb.SoftmaxCrossEntropy()).fit(X, labels, verbose=0),
        lambda X, labels: nb.SoftmaxCrossEntropy().forward(np.zeros((len(X), 3)), labels),
        lambda X, labels: nb.categorical_accuracy(np.zeros((len(X), 3)), labels),
    ],
    ids=["fit", "softmax loss", "categorical_accuracy"],
)
def test_boolean_class_labels_are_refused_with_a_type_error(call):
    X = np.random.default_rng(0).standard_normal((6, 2))
    with pytest.raises(TypeError) as info:
        call(X, X[:, 0] > 0)
    assert "bool" in str(info.value)


def test_one_hot_refuses_booleans_too():
    raises(ValueError, lambda: nb.one_hot(np.array([True, False]), 2), "integer class labels", "bool")


# ------------------------------------------ 3. optimizer.step checks the gradients' dtype


@pytest.mark.parametrize("make", [nb.SGD, nb.SGDMomentum, nb.Adam, nb.AdaGrad, nb.RMSprop])
@pytest.mark.parametrize("dtype", [np.complex128, np.str_, np.bool_])
def test_step_refuses_gradients_that_are_not_real_numbers(make, dtype):
    parameters = np.zeros(3)
    gradients = np.ones(3).astype(dtype)
    raises(TypeError, lambda: make().step(parameters, gradients), f"{make.__name__}.step", "real numbers")
    assert np.array_equal(parameters, np.zeros(3))


# ------------------------------------------ 4. metrics must be a list or a tuple of names


@pytest.mark.parametrize("metrics", [(name for name in ["mae"]), 3, {"mae": 1}.keys()])
def test_metrics_that_are_not_a_list_are_refused(metrics):
    raises(TypeError, lambda: nb.Model([nb.Dense(1, 1)], metrics=metrics), "metrics as a list of names")


# ------------------------------------------ 7. load refuses a FIFO instead of hanging


def test_load_refuses_a_named_pipe_at_once(tmp_path):
    fifo = tmp_path / "model.npz"
    os.mkfifo(fifo)
    outcome = {}

    def load():
        try:
            nb.Model.load(fifo)
        except ValueError as error:
            outcome["error"] = str(error)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():  # let the reader go, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("Model.load waited for a writer on a FIFO")
    assert "not a regular file" in outcome["error"]


def test_load_refuses_a_folder(tmp_path):
    raises(ValueError, lambda: nb.Model.load(tmp_path), "not a regular file")


# ------------------------------------------ 8. save into a file object opened for reading


def test_save_into_a_reader_says_how_to_open_the_file(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"")
    with open(path, "rb") as reader:
        raises(ValueError, lambda: regression_model().save(reader), "open for reading", "'wb'")
    assert path.read_bytes() == b""


# ------------------------------------------ 10. a member flagged "encrypted" is refused as corrupted


def test_an_encrypted_member_is_refused_in_our_words(tmp_path):
    model = regression_model()
    buffer = io.BytesIO()
    model.save(buffer)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        first = archive.infolist()[0]
    # general purpose bit 0 (encrypted), in the member's local header and in the central directory
    data[first.header_offset + 6] |= 1
    central = data.rfind(b"PK\x01\x02")
    while central > 0:
        data[central + 8] |= 1
        central = data.rfind(b"PK\x01\x02", 0, central)
    path = tmp_path / "encrypted.npz"
    path.write_bytes(bytes(data))
    raises(ValueError, lambda: nb.Model.load(path), "corrupted")


# ------------------------------------------ 16. saves respect the umask


@pytest.mark.parametrize("mask", [0o077, 0o022, 0o002])
def test_a_new_model_file_gets_the_permissions_open_would_give(tmp_path, mask):
    old = os.umask(mask)
    try:
        regression_model().save(tmp_path / "model.npz")
        by_open = tmp_path / "by_open"
        by_open.write_bytes(b"")
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(tmp_path / "model.npz").st_mode)
    assert mode == stat.S_IMODE(os.stat(by_open).st_mode) == 0o666 & ~mask


# ------------------------------------------ 17. fit checks print_every whatever verbose is


@pytest.mark.parametrize("verbose", [0, 1, 2])
def test_print_every_is_checked_whatever_verbose_says(verbose):
    model = regression_model()
    before = parameters(model)
    X, y = nb.datasets.sine(64, rng=0)
    raises(TypeError, lambda: model.fit(X, y, verbose=verbose, print_every="10"), "print_every")
    assert unchanged(model, before)


# ------------------------------------------ 18. a trained model pickles


def test_a_trained_model_pickles_to_the_same_predictions():
    import pickle

    model = regression_model()
    X, y = nb.datasets.sine(64, rng=0)
    model.fit(X, y, epochs=2, verbose=0, rng=0)
    again = pickle.loads(pickle.dumps(model))
    assert np.array_equal(again.predict(X), model.predict(X))


# ------------------------------------------ 19. the convolutions give the nnfs keyword hints, by their own name


@pytest.mark.parametrize("layer", [nb.Conv1D, nb.Conv2D])
def test_convolutions_give_the_nnfs_keyword_hints(layer):
    message = raises(TypeError, lambda: layer(1, 2, 3, weight_regularizer_l2=0.1), "nnbook spells it 'weight_l2'")
    assert message.startswith(layer.__name__) and "_Convolution" not in message


# ------------------------------------------ 11. the saved step count has a bound


@pytest.mark.parametrize("t", [10**400, 2**53 + 1, -1])
def test_a_step_count_out_of_range_is_refused_on_load(tmp_path, t):
    X, y = nb.datasets.sine(64, rng=0)
    model = nb.Model([nb.Dense(1, 4, rng=0), nb.Dense(4, 1, rng=1)], optimizer=nb.Adam(0.01))
    model.fit(X, y, epochs=1, verbose=0, rng=0)
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    with np.load(buffer) as data:
        members = {key: data[key] for key in data.files}
    members["training_state"] = np.array(json.dumps({"optimizer": {"t": t}, "layers": {}}))
    path = tmp_path / "crafted.npz"
    np.savez(path, **members)
    raises(ValueError, lambda: nb.Model.load(path), "step count", "2**53")


# ------------------------------------------ 12. sigmoid on logits is a classifier


def test_sigmoid_on_logits_takes_labels_and_gives_probabilities_and_classes():
    X = np.random.default_rng(0).standard_normal((64, 2))
    labels = (X[:, 0] > 0).astype(int)
    models = []
    for y in (labels, labels.reshape(-1, 1).astype(float)):
        model = nb.Model([nb.Dense(2, 1, rng=0)], loss=nb.SigmoidBinaryCrossEntropy(), optimizer=nb.SGD(0.5))
        model.fit(X, y, epochs=5, verbose=0, rng=0)
        models.append(model)
    labelled, column = models
    assert np.array_equal(labelled.get_parameters()[0][0], column.get_parameters()[0][0])
    assert labelled.evaluate(X, labels) == column.evaluate(X, labels.reshape(-1, 1).astype(float))
    logits = labelled.predict(X)
    probabilities = labelled.predict_proba(X)
    assert np.allclose(probabilities, 1 / (1 + np.exp(-logits)))
    assert np.array_equal(labelled.predict_classes(X), (logits[:, 0] > 0).astype(int))


# ------------------------------------------ 9. load checks a convolution's declared sizes before allocating


def conv_members():
    model = nb.Model([nb.Conv1D(1, 2, 3, rng=0), nb.Flatten(), nb.Dense(16, 1, rng=1)])
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    with np.load(buffer) as data:
        return {key: data[key] for key in data.files}


@pytest.mark.parametrize(
    "change",
    [
        {"kernel_size": 10**9},
        {"out_channels": 10**9},
        {"in_channels": 10**8, "out_channels": 10**8},
        {"kernel_size": [3, 3]},
        {"kernel_size": -1},
    ],
)
def test_crafted_convolution_sizes_are_refused_before_anything_is_allocated(tmp_path, change):
    members = conv_members()
    architecture = json.loads(str(members["architecture"]))
    architecture["layers"][0].update(change)
    members["architecture"] = np.array(json.dumps(architecture))
    path = tmp_path / "crafted.npz"
    np.savez(path, **members)
    with pytest.raises(ValueError) as info:
        nb.Model.load(path)  # a MemoryError or an allocation of gigabytes would fail the test
    assert "Model.load cannot use" in str(info.value)


# ------------------------------------------ 13. one optimizer object serves one model


def test_a_second_model_on_the_same_optimizer_is_refused():
    optimizer = nb.Adam(0.01)
    first = nb.Model([nb.Dense(1, 4, rng=0), nb.Dense(4, 1, rng=1)], optimizer=optimizer)
    layers = [nb.Dense(1, 4, rng=2), nb.Dense(4, 1, rng=3)]
    raises(ValueError, lambda: nb.Model(layers, optimizer=optimizer), "another Model uses", "Adam()")
    X, y = nb.datasets.sine(64, rng=0)
    first.fit(X, y, epochs=1, verbose=0, rng=0)  # the first model still trains


def test_an_optimizer_is_free_again_once_its_model_is_gone():
    import gc

    optimizer = nb.SGD(0.1)
    nb.Model([nb.Dense(1, 1, rng=0)], optimizer=optimizer)
    gc.collect()
    nb.Model([nb.Dense(1, 1, rng=0)], optimizer=optimizer)


# ------------------------------------------ 14. a Generator shared by two streams is refused, with the reason


def test_two_dropouts_on_one_generator_are_refused():
    stream = np.random.default_rng(0)
    layers = [nb.Dense(1, 4, rng=0), nb.Dropout(0.1, rng=stream), nb.Dropout(0.2, rng=stream), nb.Dense(4, 1)]
    raises(ValueError, lambda: nb.Model(layers), "random stream to be its own", "save -> load -> fit")


def test_fit_refuses_the_generator_of_a_dropout_layer():
    stream = np.random.default_rng(0)
    model = nb.Model([nb.Dense(1, 4, rng=0), nb.Dropout(0.1, rng=stream), nb.Dense(4, 1, rng=1)])
    before = parameters(model)
    X, y = nb.datasets.sine(64, rng=0)
    raises(ValueError, lambda: model.fit(X, y, verbose=0, rng=stream), "Model.fit's rng", "layer 1")
    assert unchanged(model, before)


# ------------------------------------------ 20. a model read from a pipe loads


def test_a_model_read_from_a_pipe_loads():
    model = regression_model()
    X, y = nb.datasets.sine(64, rng=0)
    model.fit(X, y, epochs=1, verbose=0, rng=0)
    buffer = io.BytesIO()
    model.save(buffer)
    data = buffer.getvalue()
    read_end, write_end = os.pipe()

    def write():
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with os.fdopen(read_end, "rb") as pipe:
        assert not pipe.seekable()
        again = nb.Model.load(pipe)
    writer.join(timeout=10)
    assert np.array_equal(again.predict(X), model.predict(X))


def test_a_pipe_longer_than_the_limit_is_refused_with_the_fix(monkeypatch):
    from nnbook import saving

    monkeypatch.setattr(saving, "MAX_STREAM", 1000)
    read_end, write_end = os.pipe()

    def write():
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(b"PK" + bytes(5000))

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with os.fdopen(read_end, "rb") as pipe:
        raises(ValueError, lambda: nb.Model.load(pipe), "cannot seek", "save the model to a file")
        pipe.read()  # let the writer finish
    writer.join(timeout=10)


# ------------------------------------------ 15. the file lists its own members


@pytest.mark.parametrize("hidden", [["training_state"], ["optimizer.m", "optimizer.v", "training_state"]])
def test_a_file_that_lost_a_listed_member_is_refused(tmp_path, hidden):
    model = nb.Model([nb.Dense(1, 4, rng=0), nb.Dense(4, 1, rng=1)], optimizer=nb.Adam(0.01))
    X, y = nb.datasets.sine(64, rng=0)
    model.fit(X, y, epochs=1, verbose=0, rng=0)
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    with np.load(buffer) as data:
        members = {key: data[key] for key in data.files if key not in hidden}
    path = tmp_path / "hidden.npz"
    np.savez(path, **members)  # as if the zip's directory no longer showed them
    message = raises(ValueError, lambda: nb.Model.load(path), "Model.load cannot use")
    if len(hidden) > 1:  # the whole training state gone: only the list tells
        assert "which its architecture lists" in message and "training_state" in message


def test_the_list_names_every_member_and_the_file_round_trips(tmp_path):
    model = nb.Model([nb.Dense(1, 4, rng=0), nb.Dense(4, 1, rng=1)], optimizer=nb.Adam(0.01))
    X, y = nb.datasets.sine(64, rng=0)
    model.fit(X, y, epochs=1, verbose=0, rng=0)
    model.save(tmp_path / "model.npz")
    with np.load(tmp_path / "model.npz") as data:
        listed = json.loads(str(data["architecture"]))["members"]
        assert sorted(listed) == sorted(set(data.files) - {"architecture"})
    again = nb.Model.load(tmp_path / "model.npz")
    assert np.array_equal(again.predict(X), model.predict(X))


# ------------------------------------------ also noticed: labels in train_val_test_split, a huge one_hot


def test_train_val_test_split_takes_integer_labels_as_fit_does():
    X = np.arange(20.0).reshape(10, 2)
    labels = np.arange(10) % 3
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = nb.datasets.train_val_test_split(X, labels, rng=0)
    assert len(X_val) == len(X_test) == 2
    assert y_train.shape == (6,) and y_val.shape == y_test.shape == (2,)
    assert np.array_equal(np.sort(np.concatenate([y_train, y_val, y_test])), np.sort(labels))
    assert np.array_equal(X_train[:, 0] // 2 % 3, y_train)  # the rows stay paired


def test_one_hot_of_an_impossible_size_is_refused_in_our_words():
    raises(ValueError, lambda: nb.one_hot([0], 10**12), "one_hot cannot hold", "n_classes")


# ------------------------------------------ 5. huge but finite validation inputs are the data's problem


@pytest.mark.parametrize("scale", [1e200, 1e160])
def test_validation_data_that_overflows_is_refused_before_any_step(scale):
    model = regression_model()
    before = parameters(model)
    X, y = nb.datasets.sine(64, rng=0)
    message = raises(
        ValueError,
        lambda: model.fit(X, y, epochs=2, verbose=0, validation_data=(X * scale, y)),
        "validation_data",
        "X_val",
    )
    assert "learning rate" not in message and "diverged" not in message
    assert unchanged(model, before)


def test_evaluate_on_huge_inputs_names_the_inputs_not_only_divergence():
    model = regression_model()
    X = np.full((4, 1), 1e200)
    with np.errstate(over="ignore"):
        message = raises(ValueError, lambda: model.evaluate(X, np.zeros((4, 1))), "inputs")
    assert "scale the inputs" in message


# ------------------------------------------ 6. Ctrl+C lands between two steps, never inside one


class InterruptedAdam(nb.Adam):
    """Adam that gets Ctrl+C halfway through its third step: moments updated, parameters not yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0

    def _apply(self, parameters, gradients, slot):
        self.calls += 1
        if self.calls == 3:
            os.kill(os.getpid(), signal.SIGINT)  # delivered at the next bytecode: inside the step
        super()._apply(parameters, gradients, slot)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals reach the main thread")
def test_ctrl_c_during_an_update_keeps_whole_steps():
    X, y = nb.datasets.sine(128, rng=0)
    optimizer = InterruptedAdam(0.01)
    model = nb.Model([nb.Dense(1, 4, rng=0), nb.Dense(4, 1, rng=1)], optimizer=optimizer)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y, epochs=1, batch_size=32, shuffle=False, verbose=0)
    t = optimizer.state()["flat"]["t"]
    assert t == 3  # the interrupted step ended, and no other began
    by_hand = nb.Model([nb.Dense(1, 4, rng=0), nb.Dense(4, 1, rng=1)], optimizer=nb.Adam(0.01))
    by_hand.fit(X[:96], y[:96], epochs=1, batch_size=32, shuffle=False, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(parameters(model), parameters(by_hand), strict=True)), (
        "the parameters are those of three whole steps"
    )
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # fit gave Ctrl+C back
