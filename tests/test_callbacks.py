"""Callbacks of fit: on_epoch_end once per epoch, stop_training, EarlyStopping (Keras's rules), verbose=2."""

import contextlib
import io

import numpy as np
import pytest

import nnbook as nb

X, y = nb.datasets.sine(120, noise=0.3, rng=1)
X_train, y_train, X_val, y_val = X[:20], y[:20], X[20:], y[20:]
FULL_BATCH = {"batch_size": 20, "validation_data": (X_val, y_val), "verbose": 0, "rng": 0}


def network():
    layers = [nb.Dense(1, 32, rng=0), nb.ReLU(), nb.Dense(32, 32, rng=1), nb.ReLU(), nb.Dense(32, 1, rng=2)]
    return nb.Model(layers, optimizer=nb.SGD(0.1))


class Recorder:
    def __init__(self):
        self.calls = []

    def on_epoch_end(self, model, epoch, logs):
        self.calls.append((model, epoch, logs))


def same_parameters(one, other) -> bool:
    return all(np.array_equal(a, b) for pair in zip(one, other, strict=True) for a, b in zip(*pair, strict=True))


def test_each_callback_is_called_once_per_epoch_with_the_model_its_epoch_and_the_logs():
    model, first, second = network(), Recorder(), Recorder()
    model.fit(X_train, y_train, epochs=2, **FULL_BATCH)
    history = model.fit(X_train, y_train, epochs=3, callbacks=[first, second], **FULL_BATCH)
    for recorder in (first, second):
        assert [epoch for _, epoch, _ in recorder.calls] == history.epoch == [2, 3, 4]
        assert all(who is model for who, _, _ in recorder.calls)
        for index, (_, _, logs) in enumerate(recorder.calls):
            assert logs == {name: values[index] for name, values in history.history.items()}
    first.calls[0][2]["loss"] = -1.0  # a copy: the History keeps its numbers
    assert history.history["loss"][0] != -1.0


def test_stop_training_ends_training_after_that_epoch_and_the_next_fit_starts_afresh():
    class StopAt:
        def __init__(self, epoch):
            self.epoch = epoch

        def on_epoch_end(self, model, epoch, logs):
            if epoch == self.epoch:
                model.stop_training = True

    model = network()
    history = model.fit(X_train, y_train, epochs=10, callbacks=[StopAt(3)], **FULL_BATCH)
    assert history.epoch == [0, 1, 2, 3] and model.epochs_trained == 4 and model.stop_training
    again = model.fit(X_train, y_train, epochs=2, **FULL_BATCH)
    assert again.epoch == [4, 5]


def test_on_train_begin_and_end_are_called_once_when_present():
    class Both(Recorder):
        def __init__(self):
            super().__init__()
            self.events = []

        def on_train_begin(self, model):
            self.events.append("begin")

        def on_train_end(self, model):
            self.events.append("end")

    both = Both()
    network().fit(X_train, y_train, epochs=3, callbacks=(both,), **FULL_BATCH)
    assert both.events == ["begin", "end"] and len(both.calls) == 3


def patience_by_hand(values, patience, min_delta=0.0, sign=1.0):
    """Keras's rule on a recorded curve: (best epoch, stopped epoch or None); sign -1 maximizes."""
    best, best_epoch, wait = None, None, 0
    for epoch, value in enumerate(values):
        if best is None or sign * value < sign * best - min_delta:
            best, best_epoch, wait = value, epoch, 0
            continue
        wait += 1
        if wait >= patience:
            return best_epoch, epoch
    return best_epoch, None


@pytest.mark.parametrize(("patience", "min_delta"), [(0, 0.0), (3, 0.0), (20, 0.0), (5, 1e-3)])
def test_early_stopping_stops_where_the_rule_says(patience, min_delta):
    free = network().fit(X_train, y_train, epochs=300, **FULL_BATCH)
    best_epoch, stopped = patience_by_hand(free.history["val_loss"], patience, min_delta)
    assert stopped is not None, "the curve must overfit for this test to mean something"
    stopping = nb.EarlyStopping(patience=patience, min_delta=min_delta)
    watched = network().fit(X_train, y_train, epochs=300, callbacks=[stopping], **FULL_BATCH)
    assert watched.epoch[-1] == stopping.stopped_epoch == stopped
    assert stopping.best_epoch == best_epoch
    assert watched.history["val_loss"] == free.history["val_loss"][: stopped + 1]


def test_restore_best_weights_puts_back_the_best_epoch_and_false_keeps_the_last():
    free = network().fit(X_train, y_train, epochs=300, **FULL_BATCH)
    best, stopped = patience_by_hand(free.history["val_loss"], 10)
    assert stopped is not None and best < stopped
    at_best = network()
    at_best.fit(X_train, y_train, epochs=best + 1, **FULL_BATCH)
    restoring = network()
    stopping = nb.EarlyStopping(patience=10, restore_best_weights=True)
    restoring.fit(X_train, y_train, epochs=300, callbacks=[stopping], **FULL_BATCH)
    assert (stopping.best_epoch, stopping.stopped_epoch) == (best, stopped)
    assert same_parameters(restoring.get_parameters(), at_best.get_parameters())
    assert restoring.epochs_trained == stopped + 1  # the count and the stream stay where training ended
    keeping = network()
    keeping.fit(X_train, y_train, epochs=300, callbacks=[nb.EarlyStopping(patience=10)], **FULL_BATCH)
    at_stop = network()
    at_stop.fit(X_train, y_train, epochs=stopped + 1, **FULL_BATCH)
    assert same_parameters(keeping.get_parameters(), at_stop.get_parameters())
    assert not same_parameters(keeping.get_parameters(), at_best.get_parameters())


def test_restore_best_weights_also_when_the_epochs_run_out_first():
    # Keras 3: on_train_end restores the best weights whether or not patience ran out.
    free = network().fit(X_train, y_train, epochs=300, **FULL_BATCH)
    best, stopped = patience_by_hand(free.history["val_loss"], 10)
    assert stopped is not None and best < stopped - 1
    at_best = network()
    at_best.fit(X_train, y_train, epochs=best + 1, **FULL_BATCH)
    model, stopping = network(), nb.EarlyStopping(patience=10, restore_best_weights=True)
    history = model.fit(X_train, y_train, epochs=stopped, callbacks=[stopping], **FULL_BATCH)
    assert len(history.epoch) == stopped and stopping.stopped_epoch is None  # patience never ran out
    assert stopping.best_epoch == best
    assert same_parameters(model.get_parameters(), at_best.get_parameters())


def test_auto_mode_maximizes_an_accuracy_or_r2_and_minimizes_the_rest():
    assert nb.EarlyStopping(monitor="val_r2").mode == "max"
    assert nb.EarlyStopping(monitor="categorical_accuracy").mode == "max"
    assert nb.EarlyStopping(monitor="loss").mode == "min"
    assert nb.EarlyStopping(monitor="loss", mode="max").mode == "max"
    free = network().fit(X_train, y_train, epochs=300, **FULL_BATCH)
    expected = patience_by_hand(free.history["val_r2"], 10, sign=-1.0)
    assert expected[1] is not None
    assert expected != patience_by_hand(free.history["val_r2"], 10)  # the direction matters here
    stopping = nb.EarlyStopping(monitor="val_r2", patience=10)
    network().fit(X_train, y_train, epochs=300, callbacks=[stopping], **FULL_BATCH)
    assert (stopping.best_epoch, stopping.stopped_epoch) == expected


def test_a_missing_monitor_names_the_keys_and_changes_nothing():
    model = network()
    before = model.get_parameters()
    stopping = nb.EarlyStopping(monitor="val_loss")
    with pytest.raises(ValueError) as caught:
        model.fit(X_train, y_train, epochs=3, verbose=0, rng=0, callbacks=[stopping])
    message = str(caught.value)
    assert "EarlyStopping monitors 'val_loss', which the logs lack (pass validation_data to fit)" in message
    assert "['data_loss', 'loss', 'lr', 'mae', 'r2', 'regularization_loss']" in message
    assert same_parameters(before, model.get_parameters())
    assert model.epochs_trained == 0 and model.shuffle_rng is None


@pytest.mark.parametrize(
    ("callbacks", "kind", "message"),
    [
        (Recorder(), TypeError, "Model.fit expects callbacks to be a list of objects with a method on_epoch_end"),
        ([Recorder(), object()], TypeError, "callbacks[1] is <object object at"),
        ([nb.EarlyStopping], TypeError, "callbacks[0] is the class EarlyStopping: make one, e.g. EarlyStopping()"),
        ("early", TypeError, "got 'early' (str)"),
    ],
)
def test_callbacks_are_checked_at_the_boundary_before_anything_changes(callbacks, kind, message):
    model = network()
    before = model.get_parameters()
    with pytest.raises(kind) as caught:
        model.fit(X_train, y_train, epochs=2, callbacks=callbacks, **FULL_BATCH)
    assert message in str(caught.value)
    assert same_parameters(before, model.get_parameters())
    assert model.epochs_trained == 0 and model.shuffle_rng is None


@pytest.mark.parametrize(
    ("arguments", "kind", "message"),
    [
        ({"monitor": 3}, TypeError, "EarlyStopping expects monitor as a name; got 3 (int)"),
        ({"patience": -1}, ValueError, "EarlyStopping expects patience to be an int >= 0; got -1"),
        ({"patience": 2.0}, ValueError, "EarlyStopping expects patience to be an int >= 0; got 2.0"),
        ({"min_delta": float("nan")}, ValueError, "EarlyStopping expects min_delta to be a number >= 0; got nan"),
        ({"restore_best_weights": 1}, TypeError, "restore_best_weights to be True or False; got 1"),
        ({"mode": "lowest"}, ValueError, "EarlyStopping expects mode 'auto', 'min' or 'max'; got 'lowest'"),
    ],
)
def test_early_stopping_refuses_bad_settings(arguments, kind, message):
    with pytest.raises(kind) as caught:
        nb.EarlyStopping(**arguments)
    assert message in str(caught.value)


def test_verbose_2_prints_one_whole_line_per_epoch_and_verbose_1_is_unchanged():
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        network().fit(X_train, y_train, epochs=4, batch_size=20, verbose=2, rng=0)
    lines = captured.getvalue().splitlines()
    assert [line.split()[1] for line in lines] == ["1/4", "2/4", "3/4", "4/4"]
    assert "\r" not in captured.getvalue()
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):  # not a terminal: a line every tenth of the epochs
        network().fit(X_train, y_train, epochs=20, batch_size=20, verbose=1, rng=0)
    assert [line.split()[1] for line in captured.getvalue().splitlines()] == [f"{i}/20" for i in range(2, 21, 2)]


def test_the_epoch_a_callback_stops_at_gets_its_progress_line():
    class StopAt:
        def on_epoch_end(self, model, epoch, logs):
            model.stop_training = epoch == 6

    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):  # lines at 10 and 20 of 20, but training stops after 7
        network().fit(
            X_train, y_train, epochs=20, batch_size=20, verbose=1, print_every=10, rng=0, callbacks=[StopAt()]
        )
    assert [line.split()[1] for line in captured.getvalue().splitlines()] == ["7/20"]


def test_early_stopping_is_exported():
    assert "EarlyStopping" in nb.__all__ and nb.EarlyStopping is nb.callbacks.EarlyStopping


def test_early_stopping_reads_like_the_call_that_builds_it():
    assert repr(nb.EarlyStopping()) == "EarlyStopping()"
    made = nb.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True)
    assert repr(made) == "EarlyStopping(monitor='val_accuracy', patience=3, restore_best_weights=True)"
    assert repr(nb.EarlyStopping(mode="max")) == "EarlyStopping(mode='max')"  # not what "auto" picks
    again = eval(repr(made), {"EarlyStopping": nb.EarlyStopping})
    assert again.config() == made.config()
