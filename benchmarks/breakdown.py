"""Where one training step of nnbook goes: BLAS products, element-wise passes, Python (`make bench` does not run it).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/breakdown.py [W-small W-large W-deep] [--dtype float32]

For each workload it measures, in one process, with the benchmark's own data and initial parameters:

* ``fit``: ``Model.fit`` as the benchmark's nnbook peer calls it, in microseconds per step;
* the step's numpy calls, replayed one by one in the order and with the arrays the training step uses
  (``Dense.forward``: the product, the bias add; ``ReLU``: maximum, the mask, the multiply; the loss
  gradient; ``Dense.backward``: the weight product, the bias reduction, the product for the layer below;
  the flat SGD update; the batch gather), each timed on its own over many repetitions, grouped as
  *matmul* (the BLAS calls), *element-wise* and *gather*;
* what is left of ``fit``'s step once the calls are subtracted: the Python that runs between them (method
  calls, loops, attribute look-ups) and the per-epoch work (permutation, snapshot, the epoch's loss).

Three rounds interleave all of these (and the benchmark's limit and textbook peers); each number is its
best over the rounds. It prints one table per workload, and the step time each missed target needs.
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np
from peers import WORKLOADS, LimitPeer, NnbookPeer, TextbookPeer

import nnbook as nb
from nnbook.training import Plan


def best(function, number: int, repeat: int = 5) -> float:
    """Seconds per call of ``function()``, best of ``repeat`` batches of ``number`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def fit_per_step(peer: NnbookPeer, runs: int = 2) -> tuple[float, nb.Model]:
    """Model.fit as the benchmark runs it: seconds per step (best of ``runs``), and the trained model."""
    w = peer.w
    times, model = [], None
    for _ in range(runs):
        model = nb.Model(peer._layers(), loss=nb.MeanSquaredError(), optimizer=nb.SGD(learning_rate=w.learning_rate))
        start = time.perf_counter()
        model.fit(peer.X, peer.y, epochs=w.epochs, batch_size=w.batch_size, shuffle=True, verbose=0, rng=0)
        times.append((time.perf_counter() - start) / w.steps)
    return min(times), model


def replay(model: nb.Model, X: np.ndarray, y: np.ndarray, batch: int) -> list[tuple[str, str, float]]:
    """(group, operation, seconds per step) for every numpy call of one full-size step, timed one by one."""
    rows: list[tuple[str, str, float]] = []
    rng = np.random.default_rng(0)
    order = rng.permutation(len(X))
    rows_idx = order[:batch]
    buffer = np.empty((batch, X.shape[1]), X.dtype)
    number = max(20, int(3e6 / (batch * max(X.shape[1], 64))))
    number = min(number, 2000)

    def add(group, label, function):
        rows.append((group, label, best(function, number)))

    add("gather", "X.take(rows, out=buffer)", lambda: X.take(rows_idx, axis=0, out=buffer, mode="clip"))
    X_batch, y_batch = buffer, y[rows_idx]
    plan = Plan(model)  # fit's plan: the flat vectors and the calls of one step
    plan.step(X_batch, y_batch)  # the activations and inputs of one step, as the step keeps them
    dense = [layer for layer in model.layers if isinstance(layer, nb.Dense)]
    # Forward: per Dense, its product and its bias add; per ReLU (in place), np.maximum.
    for index, layer in enumerate(dense):
        a, W, b = layer.inputs, layer.weights, layer.biases
        out = np.empty((batch, W.shape[1]), W.dtype)
        product = np.multiply if W.shape[0] == 1 else np.matmul
        name = "multiply (outer)" if W.shape[0] == 1 else "matmul"
        shape = f"({batch}, {W.shape[0]}) @ ({W.shape[0]}, {W.shape[1]})"
        add("matmul" if product is np.matmul else "element-wise", f"L{index + 1} forward {name} {shape}",
            lambda a=a, W=W, out=out, product=product: product(a, W, out=out))  # fmt: skip
        add("element-wise", f"L{index + 1} bias add", lambda out=out, b=b: out.__iadd__(b))
        if index < len(dense) - 1:
            add("element-wise", f"L{index + 1} ReLU np.maximum (in place)", lambda out=out: np.maximum(out, 0, out=out))
    out_pred = np.empty((batch, dense[-1].weights.shape[1]), X.dtype)
    k, m = out_pred.shape
    grad = np.empty_like(out_pred)
    add("element-wise", "loss gradient: subtract", lambda: np.subtract(out_pred, y_batch, out=grad))
    add("element-wise", "loss gradient: scale", lambda: grad.__imul__(2.0 / (m * k)))
    # Backward: per Dense (last first), dW, db, and dX except for the first layer; per ReLU, mask and multiply.
    for index in range(len(dense) - 1, -1, -1):
        layer = dense[index]
        a, W = layer.inputs, layer.weights
        n, m = W.shape
        d = np.ones((batch, m), W.dtype)
        shape = f"({n}, {batch}) @ ({batch}, {m})"
        add(
            "matmul",
            f"L{index + 1} dW matmul {shape}",
            lambda a=a, d=d, layer=layer: np.matmul(a.T, d, out=layer.dweights),
        )
        add(
            "element-wise",
            f"L{index + 1} db add.reduce",
            lambda d=d, layer=layer: np.add.reduce(d, axis=0, out=layer.dbiases),
        )
        if index:
            dX = np.empty((batch, n), W.dtype)
            product = np.multiply if m == 1 else np.matmul
            name = "multiply (outer)" if m == 1 else "matmul"
            group = "matmul" if product is np.matmul else "element-wise"
            label = f"L{index + 1} dX {name} ({batch}, {m}) @ ({m}, {n})"
            add(group, label, lambda d=d, W=W, dX=dX, product=product: product(d, W.T, out=dX))
            z = np.ones((batch, n), W.dtype)  # the ReLU input; its values do not change the cost
            add("element-wise", f"L{index} ReLU mask z > 0", lambda z=z: z > 0)
            mask = z > 0
            add(
                "element-wise",
                f"L{index} ReLU multiply (in place)",
                lambda dX=dX, mask=mask: np.multiply(dX, mask, out=dX),
            )
    p = plan.parameters
    g = plan.gradients
    add("element-wise", f"SGD: r * gradients ({p.size} values)", lambda: 0.01 * g)
    tmp = 0.01 * g
    add("element-wise", "SGD: parameters -= (in place)", lambda: np.subtract(p, tmp, out=p))
    return rows


def report(name: str, dtype_name: str, rounds: int = 3) -> None:
    w = WORKLOADS[name]
    peer, limit, textbook = NnbookPeer(w, dtype_name), LimitPeer(w, dtype_name), TextbookPeer(w, dtype_name)
    # Rounds interleave every measurement, and each keeps its best: a shared machine slows them all alike.
    fit_step = limit_step = textbook_step = math.inf
    best_rows: dict[str, tuple[str, str, float]] = {}
    for _ in range(rounds):
        step, model = fit_per_step(peer)
        fit_step = min(fit_step, step)
        limit_step = min(limit_step, limit._time(False) / w.steps)
        textbook_step = min(textbook_step, textbook.run()["seconds"] / w.steps)
        for group, label, seconds in replay(model, peer.X, peer.y, w.batch_size):
            if label not in best_rows or seconds < best_rows[label][2]:
                best_rows[label] = (group, label, seconds)
    rows = list(best_rows.values())
    calls = len(rows)
    groups: dict[str, float] = {}
    for group, _, seconds in rows:
        groups[group] = groups.get(group, 0.0) + seconds
    in_calls = sum(groups.values())
    print(f"\n=== {name} {dtype_name}, one BLAS thread: {w.steps} steps of batch {w.batch_size}, sizes {w.sizes} ===")
    print(f"Model.fit: {fit_step * 1e6:9.1f} µs per step   textbook numpy: {textbook_step * 1e6:9.1f}"
          f"   limit (products only): {limit_step * 1e6:9.1f}")  # fmt: skip
    print(f"nnbook / textbook {textbook_step / fit_step:.2f}, nnbook / limit {limit_step / fit_step:.2f}")
    print(f"numpy calls per step: {calls} (the gather and Plan.step's, listed below)\n")
    print(f"{'µs/step':>9}  {'share':>6}  operation")
    for group, label, seconds in rows:
        print(f"{seconds * 1e6:9.2f}  {seconds / fit_step:6.1%}  [{group}] {label}")
    print()
    for group, seconds in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"{seconds * 1e6:9.1f}  {seconds / fit_step:6.1%}  all {group} calls")
    rest = fit_step - in_calls
    print(f"{rest * 1e6:9.1f}  {rest / fit_step:6.1%}  the rest: Python between the calls, per-epoch work")
    per_call = in_calls / max(1, len(rows))
    print(f"mean cost of one call: {per_call * 1e6:.2f} µs; rest per call: {rest / max(1, calls) * 1e6:.2f} µs")
    target = {"W-small": 0.5, "W-large": 0.92, "W-deep": 0.90}.get(name)
    if target:
        print(f"goal nnbook / limit >= {target}: a step of at most {limit_step / target * 1e6:.1f} µs "
              f"(now {fit_step * 1e6:.1f}; the products alone take {groups.get('matmul', 0) * 1e6:.1f})")  # fmt: skip
    if math.isfinite(textbook_step) and name == "W-small":
        print(f"goal nnbook / textbook >= 2: a step of at most {textbook_step / 2 * 1e6:.1f} µs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workloads", nargs="*", default=["W-small", "W-large", "W-deep"])
    parser.add_argument("--dtype", default="float32")
    args = parser.parse_args(argv)
    for name in args.workloads:
        report(name, args.dtype)
    return 0


if __name__ == "__main__":
    sys.exit(main())
