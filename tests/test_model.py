"""Model: training, History, predict, evaluate, save/load, reproducibility, dtypes, progress line."""

import io
import os
import sys

import numpy as np
import pytest

import nnbook as nb


def sine_net(seed=0, dtype=np.float64, lr=0.1, width=64, **reg):
    return nb.Model(
        [
            nb.Dense(1, width, rng=seed, dtype=dtype, **reg),
            nb.ReLU(),
            nb.Dense(width, width, rng=seed + 1, dtype=dtype, **reg),
            nb.ReLU(),
            nb.Dense(width, 1, rng=seed + 2, dtype=dtype, **reg),
            nb.Linear(),
        ],
        loss=nb.MeanSquaredError(),
        optimizer=nb.SGD(learning_rate=lr),
    )


def params(model):
    return [p for layer in model.trainable for p in (layer.weights, layer.biases)]


@pytest.fixture(scope="module")
def sine_split():
    X, y = nb.datasets.sine(1000, noise=0.05, rng=0)
    return nb.datasets.train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.2, rng=0)


def test_training_reaches_a_low_validation_loss_on_the_sine(sine_split):
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = sine_split
    model = sine_net()
    before = model.evaluate(X_val, y_val)["loss"]
    history = model.fit(X_train, y_train, epochs=120, validation_data=(X_val, y_val), verbose=0, rng=0)
    # Noise alone gives 0.05**2 = 0.0025; a fitted curve must come within a few thousandths of it.
    assert history.history["val_loss"][-1] < 0.01
    assert model.evaluate(X_test, y_test)["loss"] < 0.01
    assert model.evaluate(X_test, y_test)["r2"] > 0.97
    assert history.history["val_loss"][-1] < before / 20


def test_history_has_one_value_per_epoch_and_the_expected_keys(sine_split):
    (X_train, y_train), (X_val, y_val), _ = sine_split
    history = sine_net(width=8).fit(X_train, y_train, epochs=3, verbose=0, rng=0)
    assert set(history.history) == {"loss", "data_loss", "regularization_loss", "mae", "r2", "lr"}
    assert history.epoch == [0, 1, 2]
    assert all(len(values) == 3 for values in history.history.values())

    model = sine_net(width=8)
    history = model.fit(X_train, y_train, epochs=4, validation_data=(X_val, y_val), verbose=0, rng=0)
    assert set(history.history) == {
        "loss",
        "data_loss",
        "regularization_loss",
        "mae",
        "r2",
        "lr",
        "val_loss",
        "val_mae",
        "val_r2",
    }
    assert all(len(values) == 4 for values in history.history.values())
    assert all(isinstance(v, float) for values in history.history.values() for v in values)
    # The validation entries are computed with the weights at the end of each epoch.
    final = model.evaluate(X_val, y_val)
    assert history.history["val_loss"][-1] == final["loss"]
    assert history.history["val_mae"][-1] == final["mae"]
    assert history.history["val_r2"][-1] == final["r2"]


def test_training_loss_is_the_mean_loss_of_the_epochs_predictions_plus_regularization():
    X, y = nb.datasets.sine(64, rng=1)
    model = sine_net(width=8, weight_l2=1e-3, bias_l1=1e-3)
    before = [p.copy() for p in params(model)]
    # One full batch without shuffling: the epoch's predictions are those of the initial weights.
    y_pred = model.predict(X)
    penalty = nb.regularization_loss(model.layers)
    history = model.fit(X, y, epochs=1, batch_size=64, shuffle=False, verbose=0)
    expected_data = nb.MeanSquaredError().calculate(y_pred, y)
    # Issue 13: the regularization term is taken where the data loss is, before the step.
    assert np.isclose(history.history["loss"][0], expected_data + penalty, rtol=1e-12)
    assert history.history["regularization_loss"][0] == penalty
    assert np.isclose(history.history["mae"][0], nb.mean_absolute_error(y_pred, y), rtol=1e-12)
    assert not all(np.array_equal(a, b) for a, b in zip(before, params(model), strict=True))


def test_predict_in_batches_equals_one_shot_prediction():
    model = sine_net(width=32)
    X = np.random.default_rng(0).uniform(-1, 1, (103, 1))
    whole = model.predict(X)
    assert whole.shape == (103, 1)
    for batch_size in (1, 7, 32, 102, 103, 500):
        batched = model.predict(X, batch_size=batch_size)
        assert batched.shape == whole.shape and batched.dtype == whole.dtype
        # Rows never mix; only the summation order inside a matrix product may differ.
        np.testing.assert_allclose(batched, whole, rtol=1e-12, atol=1e-14)


def test_evaluate_matches_the_metric_functions():
    X, y = nb.datasets.sine_cosine(50, noise=0.1, rng=3)
    model = nb.Model([nb.Dense(1, 8, rng=0, weight_l2=0.01), nb.ReLU(), nb.Dense(8, 2, rng=1), nb.Linear()])
    y_pred = model.predict(X)
    scores = model.evaluate(X, y)
    assert set(scores) == {"loss", "mae", "r2"}
    assert scores["loss"] == nb.MeanSquaredError().calculate(y_pred, y) + nb.regularization_loss(model.layers)
    assert scores["loss"] > nb.MeanSquaredError().calculate(y_pred, y)  # the L2 penalty is included
    assert scores["mae"] == nb.mean_absolute_error(y_pred, y)
    assert scores["r2"] == nb.r2_score(y_pred, y)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_save_load_round_trip_is_bit_exact(tmp_path, dtype):
    X, y = nb.datasets.sine(100, rng=0, dtype=dtype)
    model = nb.Model(
        [
            nb.Dense(1, 16, rng=0, dtype=dtype, weight_l1=1e-4, bias_l2=1e-3),
            nb.ReLU(),
            nb.Dense(16, 1, rng=1, dtype=dtype),
        ],
        loss=nb.MeanAbsoluteError(),
        optimizer=nb.SGD(learning_rate=0.03),
        metrics=["mse", "accuracy"],
    )
    model.fit(X, y, epochs=2, verbose=0, rng=0)
    path = tmp_path / "model.npz"
    model.save(path)
    assert os.listdir(tmp_path) == ["model.npz"]
    restored = nb.Model.load(path)
    for a, b in zip(params(model), params(restored), strict=True):
        assert b.dtype == dtype and b.shape == a.shape
        assert a.tobytes() == b.tobytes()
    assert model.predict(X).tobytes() == restored.predict(X).tobytes()
    assert isinstance(restored.loss, nb.MeanAbsoluteError)
    assert restored.optimizer.learning_rate == 0.03 and restored.metrics == ("mse", "accuracy")
    assert [type(layer) for layer in restored.layers] == [nb.Dense, nb.ReLU, nb.Dense]
    assert restored.layers[0].weight_l1 == 1e-4 and restored.layers[0].bias_l2 == 1e-3
    assert restored.evaluate(X, y) == model.evaluate(X, y)
    # Continued training from the restored model follows the original exactly.
    model.fit(X, y, epochs=1, verbose=0, rng=5)
    restored.fit(X, y, epochs=1, verbose=0, rng=5)
    assert all(np.array_equal(a, b) for a, b in zip(params(model), params(restored), strict=True))


def test_saved_file_holds_no_pickled_objects_and_a_version(tmp_path):
    path = tmp_path / "m.npz"
    sine_net(width=4).save(path)
    with np.load(path, allow_pickle=False) as data:
        assert all(data[key].dtype != object for key in data.files)
        assert int(data["format_version"]) == nb.saving.FORMAT_VERSION
        assert data["architecture"].dtype.kind == "U"


def test_save_replaces_atomically_and_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    old = sine_net(seed=0, width=4)
    old.save(path)
    original = path.read_bytes()
    sine_net(seed=10, width=4).save(path)  # overwriting works
    assert path.read_bytes() != original
    old.save(path)

    def broken_savez(file, **arrays):
        file.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        sine_net(seed=10, width=4).save(path)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["m.npz"]  # no temporary file left behind


def test_load_refuses_an_unknown_format_version(tmp_path):
    path = tmp_path / "m.npz"
    sine_net(width=4).save(path)
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["format_version"] = np.array(99)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="format 99"):
        nb.Model.load(path)


def test_same_seed_gives_bit_identical_weights_and_the_shuffle_matters(sine_split):
    (X_train, y_train), _, _ = sine_split

    def train(seed, shuffle=True):
        model = sine_net(width=16)
        model.fit(X_train, y_train, epochs=3, batch_size=32, shuffle=shuffle, verbose=0, rng=seed)
        return params(model)

    first, again, other = train(7), train(7), train(8)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))
    # Without shuffling the seed plays no part.
    assert all(np.array_equal(a, b) for a, b in zip(train(1, shuffle=False), train(2, shuffle=False), strict=True))
    # A Generator works as well as an int seed.
    assert all(np.array_equal(a, b) for a, b in zip(first, train(np.random.default_rng(7)), strict=True))


def overall_loss(model, X, y):
    return model.loss.calculate(model.forward(X), y) + nb.regularization_loss(model.layers)


def numeric_gradients(model, X, y, h=1e-6):
    grads = []
    for param in params(model):
        grad = np.zeros_like(param)
        for index in np.ndindex(param.shape):
            saved = param[index]
            param[index] = saved + h
            up = overall_loss(model, X, y)
            param[index] = saved - h
            down = overall_loss(model, X, y)
            param[index] = saved
            grad[index] = (up - down) / (2 * h)
        grads.append(grad)
    return grads


@pytest.mark.parametrize("loss", [nb.MeanSquaredError(), nb.MeanAbsoluteError()])
def test_an_epoch_of_fit_equals_sgd_on_finite_difference_gradients(loss):
    """Replay fit's epoch independently: same permutation, same batches, gradients by centered differences."""
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((10, 2)), rng.standard_normal((10, 2))
    reg = {"weight_l1": 1e-3, "weight_l2": 1e-2, "bias_l1": 1e-3, "bias_l2": 1e-2}

    def make():
        model = nb.Model(
            [
                nb.Dense(2, 4, rng=1, **reg),
                nb.ReLU(),
                nb.Dense(4, 3, rng=2, **reg),
                nb.ReLU(),
                nb.Dense(3, 2, rng=3, **reg),
            ],
            loss=loss,
            optimizer=nb.SGD(learning_rate=0.1),
        )
        for layer in model.trainable:
            layer.biases += 0.05  # away from the L1 kink at 0
        return model

    trained = make()
    trained.fit(X, y, epochs=1, batch_size=4, shuffle=True, verbose=0, rng=123)

    replay = make()
    order = np.random.default_rng(123).permutation(len(X))
    Xs, ys = X[order], y[order]
    for start in range(0, len(X), 4):
        xb, yb = Xs[start : start + 4], ys[start : start + 4]
        grads = numeric_gradients(replay, xb, yb)
        for param, grad in zip(params(replay), grads, strict=True):
            param -= 0.1 * grad

    for a, b in zip(params(trained), params(replay), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-8)
    assert not all(np.array_equal(a, b) for a, b in zip(params(make()), params(trained), strict=True))


def test_float32_stays_float32_through_fit(sine_split):
    (X_train, y_train), (X_val, y_val), _ = sine_split  # float64 data: converted once, on entry
    model = sine_net(dtype=np.float32, width=16)
    history = model.fit(X_train, y_train, epochs=2, validation_data=(X_val, y_val), verbose=0, rng=0)
    for layer in model.trainable:
        for array in (layer.weights, layer.biases, layer.dweights, layer.dbiases, layer.inputs):
            assert array.dtype == np.float32
    assert model.predict(X_val).dtype == np.float32
    assert model.predict(X_val.astype(np.float32), batch_size=7).dtype == np.float32
    assert np.isfinite(history.history["loss"]).all()


def test_fit_accepts_lists_and_refuses_one_dimensional_targets():
    X = [[0.0], [0.25], [0.5], [0.75]]
    y = [[0.0], [1.0], [0.0], [-1.0]]
    model = sine_net(width=4)
    history = model.fit(X, y, epochs=2, batch_size=2, verbose=0, rng=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(X).shape == (4, 1)
    # A 1-D y would broadcast silently against (k, 1) predictions; the error says how to fix it.
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        model.fit(X, [0.0, 1.0, 0.0, -1.0], verbose=0)
    with pytest.raises(ValueError, match="the same number of samples k; got 4 and 3"):
        model.fit(X, y[:3], verbose=0)


def test_divergence_stops_training_with_a_clear_error():
    X, y = nb.datasets.sine(64, rng=0)
    model = sine_net(lr=1e6, width=16)
    with pytest.raises(FloatingPointError, match=r"diverged at epoch \d+, batch \d+ of 2: .*smaller learning rate"):
        model.fit(X * 1e3, y * 1e3, epochs=50, verbose=0, rng=0)
    assert all(np.isfinite(array).all() for array in params(model))


def test_progress_line_is_one_updating_line_and_silent_when_verbose_is_0(capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)  # a terminal: one live line
    X, y = nb.datasets.sine(64, rng=0)
    model = sine_net(width=4)
    model.fit(X, y, epochs=200, batch_size=64, validation_data=(X, y), verbose=0, rng=0)
    assert capsys.readouterr() == ("", "")

    model.fit(X, y, epochs=200, batch_size=64, validation_data=(X, y), verbose=1, rng=0)
    out = capsys.readouterr().out
    assert out.startswith("\r") and out.endswith("\n") and out.count("\n") == 1
    last = out.rstrip().split("\r")[-1]
    assert last.startswith("epoch 200/200  loss ") and "val_loss" in last and last.endswith("s")
    # Throttled: far fewer updates than epochs (200 tiny epochs take well under the 0.25 s per update x 200).
    assert out.count("\r") < 50


def test_progress_throttle_skips_updates_within_the_interval():
    stream = io.StringIO()
    progress = nb.history._Progress(epochs=1000, stream=stream, interval=3600)
    for epoch in range(1, 1001):
        progress.update(epoch, {"loss": 1.0})
    progress.close()
    # Only the final epoch is shown: the hour-long interval never elapsed.
    assert stream.getvalue().count("\r") == 1 and "epoch 1000/1000" in stream.getvalue()


def test_multi_output_training_learns_both_columns():
    X, y = nb.datasets.sine_cosine(512, rng=0)
    model = nb.Model(
        [nb.Dense(1, 32, rng=0), nb.ReLU(), nb.Dense(32, 32, rng=1), nb.ReLU(), nb.Dense(32, 2, rng=2), nb.Linear()],
        optimizer=nb.SGD(learning_rate=0.1),
    )
    before = model.evaluate(X, y)["loss"]
    model.fit(X, y, epochs=60, verbose=0, rng=0)
    y_pred = model.predict(X)
    assert y_pred.shape == (512, 2)
    assert model.evaluate(X, y)["loss"] < before / 5
    for column in range(2):
        assert nb.r2_score(y_pred[:, [column]], y[:, [column]]) > 0.8
