"""The package's layout: one module per cohesive piece, the Model kept small.

Issue 11 split the Model: the file format lives in ``nnbook/saving.py`` (its
chapter is Saving and loading), History and the progress line in
``nnbook/history.py``, fit's helpers in ``nnbook/training.py``, and the
layer protocol in ``nnbook/protocol.py``.  These tests keep it that way.
"""

import inspect
from pathlib import Path

import nnbook as nb
import nnbook.saving

ROOT = Path(__file__).resolve().parent.parent
MODEL_LINES = 450


def test_model_py_stays_about_the_network_and_its_training():
    lines = (ROOT / "nnbook" / "model.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MODEL_LINES, (
        f"nnbook/model.py has {len(lines)} lines (at most {MODEL_LINES}): move what is "
        "not about the network and its training to the module of its piece"
    )


def test_save_and_load_hand_over_to_the_saving_module():
    for method, function in [
        (nb.Model.save, nnbook.saving.save_model),
        (nb.Model.load, nnbook.saving.load_model),
        (nb.Model.config, nnbook.saving.model_config),
    ]:
        source = inspect.getsource(method)
        assert f"saving.{function.__name__}(" in source, method.__qualname__
    assert "zipfile" not in inspect.getsource(nnbook.model)
    assert "FORMAT_VERSION" not in vars(nnbook.model)


def test_the_registries_know_every_public_layer_loss_and_optimizer():
    layers = {"Dense", "ReLU", "Linear", "Softmax", "Sigmoid", "Dropout"}
    layers |= {"Conv1D", "Conv2D", "Flatten"}
    assert layers <= set(nnbook.saving.LAYERS)
    assert {"SGD", "SGDMomentum", "Adam", "AdaGrad", "RMSprop"} <= set(nnbook.saving.OPTIMIZERS)
    for name, kind in nnbook.saving.LAYERS.items():
        assert getattr(nb, name) is kind
    for name, kind in {**nnbook.saving.LOSSES, **nnbook.saving.OPTIMIZERS}.items():
        assert getattr(nb, name) is kind


def test_every_layer_satisfies_the_layer_protocol():
    layers = [
        nb.Dense(2, 3, rng=0),
        nb.ReLU(),
        nb.Linear(),
        nb.Softmax(),
        nb.Sigmoid(),
        nb.Dropout(0.5),
        nb.Conv1D(1, 2, 3, rng=0),
        nb.Conv2D(1, 2, 3, rng=0),
        nb.Flatten(),
    ]
    for layer in layers:
        assert isinstance(layer, nb.Layer), type(layer).__name__
    trainable = [type(layer).__name__ for layer in layers if isinstance(layer, nb.Trainable)]
    assert trainable == ["Dense", "Conv1D", "Conv2D"]
    assert [type(x).__name__ for x in layers if isinstance(x, nb.Switchable)] == ["Dropout"]
