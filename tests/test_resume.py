"""Resumable shuffling: the model owns its shuffle stream and its epoch count, and the file keeps both.

fit(epochs=4, rng=7) -> save -> load in a NEW PROCESS -> fit(epochs=4) trains exactly what
fit(epochs=8, rng=7) trains, with every optimizer and with dropout; History numbers epochs from the
model's count.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import nnbook as nb

ROOT = Path(__file__).resolve().parent.parent

OPTIMIZERS = {
    "SGD": "nb.SGD(0.05, decay=1e-3)",
    "SGDMomentum": "nb.SGDMomentum(0.05, momentum=0.9)",
    "AdaGrad": "nb.AdaGrad(0.05)",
    "RMSprop": "nb.RMSprop(0.005)",
    "Adam": "nb.Adam(0.01, decay=1e-3)",
}

BUILD = textwrap.dedent(
    """
    import numpy as np
    import nnbook as nb

    X, y = nb.datasets.sine(200, rng=0)  # (200, 1) each: 7 batches of 32 (the last 8)


    def build(optimizer):
        layers = [nb.Dense(1, 16, rng=0), nb.ReLU(), nb.Dropout(0.2, rng=3),
                  nb.Dense(16, 16, rng=1), nb.ReLU(), nb.Dense(16, 1, rng=2)]
        return nb.Model(layers, optimizer=eval(optimizer))
    """
)

RESUME = BUILD + textwrap.dedent(
    """
    import json, sys

    folder = sys.argv[1]
    results = {}
    for name in json.loads(sys.argv[2]):
        model = nb.Model.load(f"{folder}/{name}.npz")
        history = model.fit(X, y, epochs=4, verbose=0)  # no rng: the saved stream goes on
        model.save(f"{folder}/{name}-resumed.npz")
        results[name] = {"epoch": history.epoch, "loss": history.history["loss"],
                         "epochs_trained": model.epochs_trained}
    print(json.dumps(results))
    """
)


def namespace() -> dict:
    scope: dict = {}
    exec(BUILD, scope)  # the same data and models as the new process builds
    return scope


def same_parameters(one, other) -> bool:
    pairs = zip(one.get_parameters(), other.get_parameters(), strict=True)
    return all(np.array_equal(a, b) for pair in pairs for a, b in zip(*pair, strict=True))


def test_four_save_load_in_a_new_process_four_is_eight_for_every_optimizer(tmp_path):
    scope = namespace()
    X, y, build = scope["X"], scope["y"], scope["build"]
    straight = {}
    for name, optimizer in OPTIMIZERS.items():
        model = build(optimizer)
        straight[name] = (model, model.fit(X, y, epochs=8, verbose=0, rng=7))
        half = build(optimizer)
        half.fit(X, y, epochs=4, verbose=0, rng=7)
        half.save(tmp_path / f"{name}.npz")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    run = subprocess.run(
        [sys.executable, "-c", RESUME, str(tmp_path), json.dumps(list(OPTIMIZERS))],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    for name, (model, history) in straight.items():
        resumed = nb.Model.load(tmp_path / f"{name}-resumed.npz")
        assert same_parameters(model, resumed), name
        assert results[name]["epoch"] == [4, 5, 6, 7] == history.epoch[4:], name
        assert results[name]["loss"] == history.history["loss"][4:], name
        assert results[name]["epochs_trained"] == 8 == model.epochs_trained, name
        # The states after the resumed run are those after the straight one, too
        assert resumed.shuffle_rng.bit_generator.state == model.shuffle_rng.bit_generator.state
        assert resumed.layers[2].state() == model.layers[2].state()


def test_a_seed_restarts_the_stream_and_no_seed_continues_it():
    scope = namespace()
    X, y, build = scope["X"], scope["y"], scope["build"]
    reseeded, by_hand = build(OPTIMIZERS["Adam"]), build(OPTIMIZERS["Adam"])
    for model in (reseeded, by_hand):
        model.fit(X, y, epochs=2, verbose=0, rng=7)
    reseeded.fit(X, y, epochs=2, verbose=0, rng=7)
    by_hand.shuffle_rng = np.random.default_rng(7)  # what rng=7 does
    by_hand.fit(X, y, epochs=2, verbose=0)
    assert same_parameters(reseeded, by_hand)
    fresh = build(OPTIMIZERS["SGD"])
    assert fresh.shuffle_rng is None and fresh.epochs_trained == 0
    history = fresh.fit(X, y, epochs=1, verbose=0)  # no seed ever: an unseeded stream
    assert isinstance(fresh.shuffle_rng, np.random.Generator) and history.epoch == [0]


def test_a_generator_passed_as_rng_is_the_stream():
    scope = namespace()
    X, y, build = scope["X"], scope["y"], scope["build"]
    stream = np.random.default_rng(7)
    model = build(OPTIMIZERS["SGD"])
    model.fit(X, y, epochs=1, verbose=0, rng=stream)
    assert model.shuffle_rng is stream


def test_an_error_puts_back_the_stream_and_the_count():
    scope = namespace()
    X, y, build = scope["X"], scope["y"], scope["build"]

    class FailsOnce:
        """An identity layer whose 10th forward pass raises."""

        calls = 0

        def forward(self, inputs):
            FailsOnce.calls += 1
            if FailsOnce.calls == 10:
                raise RuntimeError("FailsOnce gave up")
            return inputs

        def backward(self, dvalues):
            return dvalues

    def with_failing_layer():
        model = build(OPTIMIZERS["Adam"])
        model.layers.insert(1, FailsOnce())  # the plan reads model.layers
        return model

    failing = with_failing_layer()
    failing.fit(X, y, epochs=1, verbose=0, rng=7)  # 7 calls
    state, count = failing.shuffle_rng.bit_generator.state, failing.epochs_trained
    with pytest.raises(RuntimeError, match="FailsOnce gave up"):
        failing.fit(X, y, epochs=3, verbose=0)  # fails in its second epoch
    assert failing.shuffle_rng.bit_generator.state == state and failing.epochs_trained == count == 1
    history = failing.fit(X, y, epochs=3, verbose=0)  # now it goes on as if nothing happened
    assert history.epoch == [1, 2, 3]
    FailsOnce.calls = 10_000  # never 10 again
    straight = with_failing_layer()
    straight.fit(X, y, epochs=4, verbose=0, rng=7)
    assert same_parameters(failing, straight)


def test_a_refused_call_changes_neither_stream_nor_count():
    scope = namespace()
    X, y, build = scope["X"], scope["y"], scope["build"]
    model = build(OPTIMIZERS["SGD"])
    model.fit(X, y, epochs=1, verbose=0, rng=7)
    state = model.shuffle_rng.bit_generator.state
    with pytest.raises(TypeError, match="batch_size"):
        model.fit(X, y, epochs=1, batch_size=3.5, verbose=0, rng=8)
    assert model.shuffle_rng.bit_generator.state == state and model.epochs_trained == 1


def test_divergence_counts_the_finished_epochs_only():
    X, y = nb.datasets.sine(256, rng=0)
    model = nb.Model([nb.Dense(1, 16, rng=0), nb.ReLU(), nb.Dense(16, 1, rng=1)], optimizer=nb.SGD(1000.0))
    with pytest.raises(FloatingPointError) as caught:
        model.fit(X, y, epochs=20, verbose=0, rng=0)
    finished = caught.value.history
    assert model.epochs_trained == len(finished.epoch) >= 1
    assert finished.epoch == list(range(model.epochs_trained))


def rewrite_training_state(path: Path, change) -> None:
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files}
    state = json.loads(str(arrays["training_state"]))
    change(state)
    arrays["training_state"] = np.array(json.dumps(state))
    np.savez(path, **arrays)


def test_a_file_without_the_stream_loads_as_a_model_never_seeded(tmp_path):
    scope = namespace()
    model = scope["build"](OPTIMIZERS["Adam"])
    model.fit(scope["X"], scope["y"], epochs=2, verbose=0, rng=7)
    path = tmp_path / "old.npz"
    model.save(path)

    def drop(state):
        del state["shuffle"], state["epochs"]

    rewrite_training_state(path, drop)
    old = nb.Model.load(path)
    assert old.shuffle_rng is None and old.epochs_trained == 0
    assert same_parameters(old, model)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(shuffle={"bit_generator": "MT19937"}), "the shuffle stream should be the state of a PCG64"),
        (lambda s: s.update(shuffle=[1, 2]), "the shuffle stream should be the state of a PCG64"),
        (lambda s: s["shuffle"]["state"].update(state="x"), "the shuffle stream should be the state of a PCG64"),
        (lambda s: s.update(epochs=-1), "the epoch count should be an integer >= 0; got -1"),
        (lambda s: s.update(epochs=2.5), "the epoch count should be an integer >= 0; got 2.5"),
    ],
)
def test_a_damaged_stream_or_count_is_refused_clearly(tmp_path, change, message):
    scope = namespace()
    model = scope["build"](OPTIMIZERS["SGD"])
    model.fit(scope["X"], scope["y"], epochs=1, verbose=0, rng=7)
    path = tmp_path / "damaged.npz"
    model.save(path)
    rewrite_training_state(path, change)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        nb.Model.load(path)


def test_save_refuses_a_stream_it_cannot_write_and_writes_nothing(tmp_path):
    scope = namespace()
    model = scope["build"](OPTIMIZERS["SGD"])
    model.fit(scope["X"], scope["y"], epochs=1, verbose=0, rng=np.random.Generator(np.random.MT19937(7)))
    path = tmp_path / "mt.npz"
    with pytest.raises(ValueError, match="cannot record the shuffle stream of fit"):
        model.save(path)
    assert not path.exists()
