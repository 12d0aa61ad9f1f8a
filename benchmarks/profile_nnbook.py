"""Where nnbook's training time goes, per batch: cProfile of one run, then micro-timings of alternatives.

    .venv/bin/python benchmarks/profile_nnbook.py [W-small W-large ...]

Part 1 runs the benchmark's nnbook peer (float32) under cProfile and prints, per function,
the time per training step. Part 2 times single operations of a step at the workload's
shapes, in the form the chapters use and in cheaper equivalent forms, so that a suggested
change comes with its measured saving.
"""

from __future__ import annotations

import cProfile
import math
import pstats
import sys
import timeit

import numpy as np
from peers import WORKLOADS, NnbookPeer


def profile(name: str) -> None:
    workload = WORKLOADS[name]
    peer = NnbookPeer(workload, "float32")
    peer.run()  # warm-up
    profiler = cProfile.Profile()
    profiler.enable()
    result = peer.run()
    profiler.disable()
    steps = result["steps"]
    print(f"\n=== {name} float32, nnbook via {peer.api}: {result['seconds'] / steps * 1e6:.1f} µs per step ===")
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, function), (_, calls, tottime, cumtime, _) in stats.stats.items():
        where = f"{filename.rsplit('/', 2)[-1]}:{line}({function})" if line else function
        rows.append((tottime, cumtime, calls, where))
    rows.sort(reverse=True)
    print(f"{'own µs/step':>12} {'cum µs/step':>12} {'calls/step':>10}  function")
    for tottime, cumtime, calls, where in rows[:18]:
        print(f"{tottime / steps * 1e6:12.1f} {cumtime / steps * 1e6:12.1f} {calls / steps:10.1f}  {where}")


def micro(name: str) -> None:
    """Time alternative forms of each operation of a step at this workload's shapes (float32)."""
    w = WORKLOADS[name]
    k, n, m = w.batch_size, w.sizes[-3] if len(w.sizes) > 2 else w.sizes[0], w.sizes[-2]
    rng = np.random.default_rng(0)
    f32 = np.float32
    X = rng.standard_normal((w.samples, w.sizes[0])).astype(f32)
    order = rng.permutation(w.samples)
    idx = order[:k]
    a = rng.standard_normal((k, n)).astype(f32)  # a hidden layer's input
    W = rng.standard_normal((n, m)).astype(f32)
    b = np.zeros(m, f32)
    d = rng.standard_normal((k, m)).astype(f32)
    z = a @ W
    out = np.empty_like(z)
    mask = z > 0
    dW = np.empty_like(W)
    lr = 0.01
    cases = {
        "batch: X[idx] (fancy indexing)": lambda: X[idx],
        "batch: np.take(X, idx, axis=0, out=buf)": lambda: np.take(X, idx, axis=0, out=np.empty((k, X.shape[1]), f32)),
        "batch: X[lo:hi] (slice of a once-per-epoch shuffled copy)": lambda: X[0:k],
        "Dense.forward: a @ W + b": lambda: a @ W + b,
        "Dense.forward: np.matmul(a, W, out=buf); buf += b": lambda: (
            np.matmul(a, W, out=out),
            np.add(out, b, out=out),
        ),
        "Dense.backward dW: a.T @ d": lambda: a.T @ d,
        "Dense.backward dW: np.matmul(a.T, d, out=dW)": lambda: np.matmul(a.T, d, out=dW),
        "Dense.backward db: d.sum(axis=0)": lambda: d.sum(axis=0),
        "Dense.backward dX: d @ W.T": lambda: d @ W.T,
        "ReLU.forward: np.maximum(z, 0)": lambda: np.maximum(z, 0),
        "ReLU.forward: np.maximum(z, 0, out=buf)": lambda: np.maximum(z, 0, out=out),
        "ReLU.backward: np.where(z > 0, d, 0)": lambda: np.where(z > 0, d, 0),
        "ReLU.backward: d * (z > 0)": lambda: d * (z > 0),
        "ReLU.backward: d * mask (mask kept from forward)": lambda: d * mask,
        "ReLU.backward: np.multiply(d, mask, out=d) in place": lambda: np.multiply(d, mask, out=d),
        "SGD: W -= lr * dW (temporary)": lambda: np.subtract(W, lr * dW, out=W),
        "SGD: np.multiply(dW, -lr, out=dW); W += dW": lambda: (np.multiply(dW, -lr, out=dW), np.add(W, dW, out=W)),
        "loss: float(np.mean(np.mean((y - p) ** 2, axis=-1)))": lambda: float(
            np.mean(np.mean((d[:, :1] - d[:, 1:2]) ** 2, axis=-1))
        ),
        "isfinite check of the batch loss: math.isfinite(x)": lambda: math.isfinite(0.5),
        "np.isfinite(array).all() on the batch input": lambda: bool(np.isfinite(a).all()),
    }
    print(f"\n--- {name}: single operations at k={k}, n={n}, m={m}, float32 (µs per call, best of 5) ---")
    for label, fn in cases.items():
        number = max(10, int(2e5 / (k * max(n, m))))
        best = min(timeit.repeat(fn, number=number, repeat=5)) / number
        print(f"{best * 1e6:10.2f}  {label}")


def main(argv: list[str]) -> int:
    names = argv or ["W-small", "W-large"]
    for name in names:
        profile(name)
        micro(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
