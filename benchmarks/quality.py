"""Training quality with each library's defaults (`make bench` runs it after run.py).

run.py times every peer from the same He-initialized parameters at each workload's own learning
rate, so that the peers do the same arithmetic. This script asks another question: how well does
each library train a workload when the user keeps its defaults? Every peer builds the workload's
network with its library's default initialization:

* nnbook: ``nb.Dense(n, m)`` (whatever ``init`` defaults to; the JSON records it);
* PyTorch: ``torch.nn.Linear(n, m)``, seeded with ``torch.manual_seed``;
* scikit-learn: ``MLPRegressor``'s own initialization (``random_state``);
* textbook numpy: ``0.01 * np.random.randn(n, m)``, as *Neural Networks from Scratch* writes it;

and trains it with plain SGD at learning rate 0.01 (scikit-learn's squared error is half the MSE,
so it gets 0.02: the same step), the workload's batch size and epochs, a fresh order of the samples
every epoch. The figure is the final MSE over all training samples, the median over a few seeds,
and nnbook's ratio to the median of the three peers. Nothing is timed; one process runs it all.

    python benchmarks/quality.py                           # writes "quality" into results/latest.json
    python benchmarks/quality.py --workloads W-small --seeds 1 --dtypes float64 --output /tmp/q.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from peers import DTYPES, WORKLOADS, make_data, mse  # noqa: E402

RESULTS = HERE / "results" / "latest.json"
LEARNING_RATE = 0.01
PEERS = ["nnbook", "PyTorch", "scikit-learn", "textbook numpy"]
# The rule of issue 20: nnbook's final MSE is at most this many times the median of the peers'.
RULE = 1.5


def _nnbook(workload, X, y, dtype, seed: int) -> float:
    import nnbook as nb

    layers = []
    pairs = list(zip(workload.sizes[:-1], workload.sizes[1:], strict=True))
    for i, (n, m) in enumerate(pairs):
        layers += [nb.Dense(n, m, rng=seed * 100 + i, dtype=dtype), nb.ReLU() if i < len(pairs) - 1 else nb.Linear()]
    model = nb.Model(layers, loss=nb.MeanSquaredError(), optimizer=nb.SGD(learning_rate=LEARNING_RATE))
    model.fit(X, y, epochs=workload.epochs, batch_size=workload.batch_size, shuffle=True, verbose=0, rng=seed)
    return mse(model.predict(X), y)


def _torch(workload, X, y, dtype, seed: int) -> float:
    import torch

    torch.set_num_threads(1)  # untimed; one thread leaves the other core to the machine
    torch.manual_seed(seed)
    tdtype = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    modules = []
    pairs = list(zip(workload.sizes[:-1], workload.sizes[1:], strict=True))
    for i, (n, m) in enumerate(pairs):
        modules.append(torch.nn.Linear(n, m, dtype=tdtype))
        if i < len(pairs) - 1:
            modules.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*modules)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    tX, ty = torch.from_numpy(X), torch.from_numpy(y)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(workload.epochs):
        order = torch.randperm(workload.samples, generator=generator)
        for first in range(0, workload.samples, workload.batch_size):
            batch = order[first : first + workload.batch_size]
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(tX[batch]), ty[batch]).backward()
            optimizer.step()
    with torch.no_grad():
        return mse(model(tX).numpy(), y)


def _sklearn(workload, X, y, dtype, seed: int) -> float:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    model = MLPRegressor(
        hidden_layer_sizes=workload.sizes[1:-1],
        solver="sgd",
        alpha=0.0,
        batch_size=workload.batch_size,
        learning_rate="constant",
        learning_rate_init=2 * LEARNING_RATE,  # its loss is half the MSE: the same step as ours
        momentum=0.0,
        nesterovs_momentum=False,
        max_iter=workload.epochs,
        shuffle=True,
        random_state=seed,
        tol=0.0,
        n_iter_no_change=workload.epochs + 1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y.ravel())
    return mse(model.predict(X), y)


def _textbook(workload, X, y, dtype, seed: int) -> float:
    from textbook import Network

    rng = np.random.default_rng(seed)
    params = [
        ((0.01 * rng.standard_normal((n, m))).astype(dtype), np.zeros(m, dtype=dtype))
        for n, m in zip(workload.sizes[:-1], workload.sizes[1:], strict=True)
    ]
    net = Network(params, LEARNING_RATE)
    net.train(X, y, workload.epochs, workload.batch_size, seed=seed)
    return mse(net.forward(X), y)


TRAIN = {"nnbook": _nnbook, "PyTorch": _torch, "scikit-learn": _sklearn, "textbook numpy": _textbook}


def ratio_to_median(losses: dict[str, float]) -> float | None:
    """The ratio of nnbook's final MSE to the median of the other peers' (None if a side is missing)."""
    others = [value for peer, value in losses.items() if peer != "nnbook" and value is not None]
    if losses.get("nnbook") is None or not others:
        return None
    return losses["nnbook"] / statistics.median(others)


def measure(workloads: list[str], dtypes: list[str], peers: list[str], seeds: int) -> list[dict]:
    rows = []
    for name in workloads:
        workload = WORKLOADS[name]
        for dtype_name in dtypes:
            dtype = DTYPES[dtype_name]
            X, y = make_data(workload, dtype)
            group = {}
            for peer in peers:
                started = time.perf_counter()
                losses = [TRAIN[peer](workload, X, y, dtype, seed) for seed in range(seeds)]
                finite = [value for value in losses if np.isfinite(value)]
                median = statistics.median(losses) if len(finite) == len(losses) else float("inf")
                group[peer] = median
                rows.append(
                    {"workload": name, "dtype": dtype_name, "peer": peer, "final_mse": median,
                     "final_mse_all_seeds": losses, "seconds": round(time.perf_counter() - started, 1)}
                )  # fmt: skip
                print(f"{name:8} {dtype_name:7} {peer:15} final MSE {median:.4g}  {losses}", flush=True)
            ratio = ratio_to_median(group)
            for row in rows[-len(peers) :]:
                row["nnbook_over_peers_median"] = ratio
            if ratio is not None:
                verdict = "within" if ratio <= RULE else "NOT within"
                print(f"{name:8} {dtype_name:7} nnbook / peers' median = {ratio:.2f}: {verdict} {RULE}x", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--seeds", type=int, default=3, help="seeds per peer; the figure is their median")
    parser.add_argument("--output", type=Path, help="write only this JSON (default: into results/latest.json)")
    args = parser.parse_args(argv)

    import nnbook as nb

    started, load_before = time.time(), os.getloadavg()
    rows = measure(args.workloads.split(","), args.dtypes.split(","), args.peers.split(","), args.seeds)
    default_init = __import__("inspect").signature(nb.Dense).parameters["init"].default
    section = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - started, 1),
        "method": (
            f"each library's default initialization (nnbook: init={default_init!r}; PyTorch: nn.Linear's; "
            "scikit-learn: MLPRegressor's; textbook numpy: 0.01 * randn), plain SGD at learning rate "
            f"{LEARNING_RATE} (scikit-learn {2 * LEARNING_RATE}, its loss being half the MSE), the workload's "
            f"batch size and epochs, shuffled every epoch; final MSE over all training samples, the median "
            f"over {args.seeds} seeds"
        ),
        "learning_rate": LEARNING_RATE,
        "seeds": args.seeds,
        "nnbook_default_init": default_init,
        "rule": RULE,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "results": rows,
    }
    if args.output is not None:
        args.output.write_text(json.dumps({"quality": section}, indent=1) + "\n")
        print(f"wrote {args.output}")
        return 0
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data["quality"] = section
    RESULTS.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote the quality section of {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
