"""Regenerate docs/examples/mnist1d_results.json: the MNIST-1D table, in full.

The MNIST-1D example page trains each model once at build time; this script
trains all of them on three initializations, on the default data set and on
its shuffled-positions twin, and records the test accuracies. The page
reads the file and checks that its own run matches the file's first seed.

    .venv/bin/python tools/mnist1d_table.py      # about 2 minutes on 1 core

The data comes from the ``mnist1d`` package, generated offline
(``make_dataset(get_dataset_args())``, never its download path).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from mnist1d.data import get_dataset_args, make_dataset
from threadpoolctl import threadpool_limits

import nnbook as nb

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "examples" / "mnist1d_results.json"

SEEDS = (0, 1, 2)
STEPS, BATCH, LEARNING_RATE = 6000, 100, 0.01
DTYPE = np.float32
INIT = "he"  # Dense's start in the committed runs (the default became Glorot's later)
PERMUTATION_SEED = 0  # the fixed shuffle of the 40 positions


def build(name: str, seed: int) -> nb.Model:
    """The paper's three models, as the example page builds them."""
    dtype = DTYPE
    if name == "logistic regression":
        layers = [nb.Dense(40, 10, rng=seed, dtype=dtype, init=INIT)]
    elif name == "MLP":
        layers = [
            nb.Dense(40, 100, rng=seed, dtype=dtype, init=INIT),
            nb.ReLU(),
            nb.Dense(100, 100, rng=seed + 100, dtype=dtype, init=INIT),
            nb.ReLU(),
            nb.Dense(100, 10, rng=seed + 200, dtype=dtype, init=INIT),
        ]
    elif name == "CNN":
        conv = {"stride": 2, "padding": 1, "dtype": dtype}
        layers = [
            nb.Conv1D(1, 25, 5, rng=seed, **conv),
            nb.ReLU(),
            nb.Conv1D(25, 25, 3, rng=seed + 100, **conv),
            nb.ReLU(),
            nb.Conv1D(25, 25, 3, rng=seed + 200, **conv),
            nb.ReLU(),
            nb.Flatten(),
            nb.Dense(125, 10, rng=seed + 300, dtype=dtype, init=INIT),
        ]
    else:
        raise ValueError(f"unknown model {name!r}")
    return nb.Model(layers, loss=nb.SoftmaxCrossEntropy(), optimizer=nb.Adam(learning_rate=LEARNING_RATE))


def inputs(name: str, signals: np.ndarray) -> np.ndarray:
    """(k, 40) signals as the model reads them: (k, 40, 1) for the CNN."""
    signals = signals.astype(DTYPE)
    return signals[..., np.newaxis] if name == "CNN" else signals


def train(name: str, seed: int, data: dict, steps: int = STEPS) -> tuple[nb.Model, list[float]]:
    """The model after ``steps`` steps of Adam on batches of BATCH, in order, and its test accuracies.

    One accuracy per epoch: the test set is only watched, never trained on.
    """
    model = build(name, seed)
    epochs = steps * BATCH // len(data["x"])
    Y = nb.one_hot(data["y"], 10).astype(DTYPE)
    Y_test = nb.one_hot(data["y_test"], 10).astype(DTYPE)
    test = (inputs(name, data["x_test"]), Y_test)
    history = model.fit(
        inputs(name, data["x"]), Y, epochs=epochs, batch_size=BATCH, shuffle=False, validation_data=test, verbose=0
    )
    return model, [float(a) for a in history.history["val_categorical_accuracy"]]


def shuffled(data: dict) -> dict:
    """The same signals with their 40 positions in one fixed random order."""
    order = np.random.default_rng(PERMUTATION_SEED).permutation(data["x"].shape[1])
    return {**data, "x": data["x"][:, order], "x_test": data["x_test"][:, order]}


def main() -> int:
    """Train every model on every seed and both data sets; write the JSON."""
    threadpool_limits(1)  # as the page: small matrices, and rounding independent of the core count
    data = make_dataset(get_dataset_args())
    runs = {"default": data, "shuffled": shuffled(data)}
    results: dict = {
        "settings": {
            "steps": STEPS,
            "batch_size": BATCH,
            "learning_rate": LEARNING_RATE,
            "dtype": np.dtype(DTYPE).name,
            "seeds": list(SEEDS),
            "permutation_seed": PERMUTATION_SEED,
        },
        "configs": {name: build(name, 0).config() for name in ("logistic regression", "MLP", "CNN")},
        "accuracy": {},
        "curves": {},  # test accuracy after each epoch, first seed
    }
    for data_name, models in (("default", ("logistic regression", "MLP", "CNN")), ("shuffled", ("MLP", "CNN"))):
        for name in models:
            curves = [train(name, seed, runs[data_name])[1] for seed in SEEDS]
            scores = [curve[-1] for curve in curves]
            results["accuracy"].setdefault(data_name, {})[name] = scores
            results["curves"].setdefault(data_name, {})[name] = curves[0]
            print(f"{data_name:8} {name:20} {' '.join(f'{s:.3f}' for s in scores)}  mean {np.mean(scores):.4f}")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
