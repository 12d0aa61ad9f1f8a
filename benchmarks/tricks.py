"""What each trick of nnbook's training step saves: micro-timings, the plain form against the step's form.

Each case times one operation of a training step at a benchmark workload's shapes, in float32, in
the form a first version writes and in the form the chapters now use, in the same process,
alternating the two, best of several repetitions (CPU time: a busy machine disturbs it less than
wall time). The result goes into ``benchmarks/results/latest.json`` under ``"tricks"`` (the rest
of the file is kept); the Performance page shows it, and the chapters that explain each trick
point there.

    python benchmarks/tricks.py            # about half a minute
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"


def best_us(function, number: int, repeat: int = 7) -> float:
    """The best CPU time of ``number`` calls, per call, in microseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            function()
        best = min(best, (time.process_time() - start) / number)
    return best * 1e6


def cases() -> list[dict]:
    from peers import WORKLOADS, make_data

    import nnbook as nb

    f32 = np.float32
    gen = np.random.default_rng(0)
    out = []

    def case(name, where, shapes, plain, lean, number, plain_label, lean_label):
        plain_us, lean_us = best_us(plain, number), best_us(lean, number)
        out.append(
            {
                "trick": name,
                "chapter": where,
                "shapes": shapes,
                "plain": plain_label,
                "lean": lean_label,
                "plain_us": plain_us,
                "lean_us": lean_us,
                "saved_us": plain_us - lean_us,
                "speedup": plain_us / lean_us,
            }
        )

    # The whole W-small step, through the public methods: every call checked (from outside) or
    # trusted (inside a checked call, as in fit).
    from nnbook.boundary import guard
    from nnbook.training import Plan

    small = WORKLOADS["W-small"]
    X, y = make_data(small, f32)
    X_batch, y_batch = X[:32].copy(), y[:32].copy()

    def model():
        layers = [nb.Dense(1, 64, rng=0, dtype=f32), nb.ReLU(), nb.Dense(64, 64, rng=1, dtype=f32), nb.ReLU()]
        layers += [nb.Dense(64, 1, rng=2, dtype=f32), nb.Linear()]
        return nb.Model(layers, optimizer=nb.SGD(1e-12))

    checked, trusted = Plan(model()), Plan(model())
    inside = guard(lambda: trusted.step(X_batch, y_batch), {})  # a checked call: what it calls is trusted
    case("checks once per fit, at the boundary", "implementation/errors.md", "W-small, batch 32",
         lambda: checked.step(X_batch, y_batch), inside, 3000,
         "Plan.step, every layer checked", "Plan.step inside a checked call")  # fmt: skip

    # One optimizer step for the network's six arrays, or one on the flat vector they are views of.
    flat = Plan(model())
    arrays = {f"{i}.{n}": getattr(la, n) for i, la in enumerate(flat.model.trainable) for n in ("weights", "biases")}
    grads = {name: np.ones_like(array) for name, array in arrays.items()}
    sgd = nb.SGD(1e-12)
    step = guard(lambda: sgd.step(arrays, grads), {})
    one = guard(lambda: sgd.step({"flat": flat.parameters}, {"flat": flat.gradients}), {})
    case("one update for the whole network", "implementation/model.md", "W-small, 4353 parameters",
         step, one, 20000, "SGD.step over 6 arrays", "SGD.step over the flat vector")  # fmt: skip

    large = WORKLOADS["W-large"]
    XL = gen.standard_normal((large.samples, large.sizes[0])).astype(f32)
    order = gen.permutation(large.samples)
    rows = order[: large.batch_size]
    gathered = np.empty((large.batch_size, large.sizes[0]), f32)
    case("gather a batch with mode='clip'", "implementation/model.md", "256 rows of (16384, 512)",
         lambda: np.take(XL, rows, axis=0, out=gathered), lambda: XL.take(rows, axis=0, out=gathered, mode="clip"),
         300, "np.take(..., out=)", "X.take(..., out=, mode='clip')")  # fmt: skip
    return out


THREADS_CHILD = """
import sys, time
sys.path.insert(0, {here!r})
from peers import WORKLOADS, NnbookPeer
peer = NnbookPeer(WORKLOADS["W-small"], "float32")
peer.run()  # warm-up
for line in sys.stdin:
    print(peer.run()["seconds"], flush=True)
"""


def threads(reps: int = 5) -> dict:
    """W-small's fit (wall time) with one and with two BLAS threads, one process each, runs alternating."""
    import subprocess

    children = {}
    for count in (1, 2):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(count))
        code = THREADS_CHILD.format(here=str(HERE))
        children[count] = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
    seconds: dict[int, list[float]] = {1: [], 2: []}
    try:
        for _ in range(reps):
            for count, child in children.items():
                child.stdin.write("run\n")
                child.stdin.flush()
                seconds[count].append(float(child.stdout.readline()))
    finally:
        for child in children.values():
            child.stdin.close()
            child.wait(timeout=60)
    import statistics

    paired = [two / one for one, two in zip(seconds[1], seconds[2], strict=True)]
    return {
        "workload": "W-small",
        "dtype": "float32",
        "seconds": {str(count): values for count, values in seconds.items()},
        "median_seconds": {str(count): statistics.median(values) for count, values in seconds.items()},
        "two_over_one_paired_median": statistics.median(paired),
        "two_over_one_paired_min": min(paired),
        "two_over_one_paired_max": max(paired),
    }


def main() -> int:
    sys.path.insert(0, str(HERE))
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "method": "CPU time (time.process_time), best of 7 repetitions, one BLAS thread as set by the caller, float32",
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "load_average": os.getloadavg(),
        "cases": cases(),
        "threads": threads(),
    }
    for row in result["cases"]:
        print(f"{row['trick']:48} {row['plain_us']:9.1f} µs -> {row['lean_us']:9.1f} µs  ({row['speedup']:.2f}x)")
    t = result["threads"]
    print(f"W-small fit: 1 thread {t['median_seconds']['1']:.3f} s, 2 threads {t['median_seconds']['2']:.3f} s")
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data["tricks"] = result
    RESULTS.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {RESULTS} (tricks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
