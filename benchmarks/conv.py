"""The convolution workload of `make bench`: the MNIST-1D CNN's training steps, nnbook against PyTorch.

The network is the MNIST-1D paper's CNN (three Conv1D of 25 channels, kernels 5/3/3, stride 2,
padding 1, ReLU, Flatten, Dense 125->10), trained with softmax cross-entropy and Adam (learning
rate 0.01) on batches of 100 signals taken in order, float32, as on the MNIST-1D example page.
nnbook trains through ``Model.fit``; PyTorch in eager mode on the CPU with ``torch.nn.Conv1d``
(channels-first, so its inputs are transposed once, before timing), ``CrossEntropyLoss`` and
``torch.optim.Adam``, from the same initial parameters.

Each (peer, threads) pair trains in its own process, with that many BLAS/OpenMP threads; after
one warm-up run, the repetitions go round the processes in turn (peer order rotating), and the
figure is the median. Only the training steps are timed. The result goes into
``benchmarks/results/latest.json`` under ``"conv"`` (the rest of the file is kept), which the
Performance page reads.

    python benchmarks/conv.py              # about a minute on a quiet machine
    python benchmarks/conv.py --quick      # a smoke test: 1 repetition of 40 steps, prints only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"
PEERS = ("nnbook", "PyTorch")
BATCH, LEARNING_RATE, FULL_RUN_STEPS = 100, 0.01, 6000


def data() -> dict:
    from mnist1d.data import get_dataset_args, make_dataset

    return make_dataset(get_dataset_args())  # generated offline, never downloaded


def nnbook_model(seed: int = 0):
    import numpy as np

    import nnbook as nb

    conv = {"stride": 2, "padding": 1, "dtype": np.float32}
    layers = [
        nb.Conv1D(1, 25, 5, rng=seed, **conv),
        nb.ReLU(),
        nb.Conv1D(25, 25, 3, rng=seed + 100, **conv),
        nb.ReLU(),
        nb.Conv1D(25, 25, 3, rng=seed + 200, **conv),
        nb.ReLU(),
        nb.Flatten(),
        nb.Dense(125, 10, rng=seed + 300, dtype=np.float32),
    ]
    return nb.Model(layers, loss=nb.SoftmaxCrossEntropy(), optimizer=nb.Adam(learning_rate=LEARNING_RATE))


class NnbookPeer:
    def __init__(self, dataset: dict) -> None:
        import numpy as np

        import nnbook as nb

        self.nb, self.np = nb, np
        self.X = dataset["x"].astype(np.float32)[..., np.newaxis]  # (4000, 40, 1)
        self.Y = nb.one_hot(dataset["y"], 10).astype(np.float32)
        self.X_test = dataset["x_test"].astype(np.float32)[..., np.newaxis]
        self.labels_test = dataset["y_test"]

    def info(self) -> dict:
        return {"api": "Model.fit(X, Y, batch_size=100, shuffle=False)", "version": self.nb.__version__}

    def run(self, steps: int) -> dict:
        model = nnbook_model()
        epochs, rest = divmod(steps * BATCH, len(self.X))
        assert rest == 0, "steps must make whole epochs"
        start = time.perf_counter()
        model.fit(self.X, self.Y, epochs=epochs, batch_size=BATCH, shuffle=False, verbose=0)
        seconds = time.perf_counter() - start
        accuracy = float(self.np.mean(model.predict(self.X_test).argmax(axis=1) == self.labels_test))
        return {"seconds": seconds, "steps": steps, "test_accuracy": accuracy}


class TorchPeer:
    def __init__(self, dataset: dict, threads: int) -> None:
        import numpy as np
        import torch

        torch.set_num_threads(threads)
        self.torch, self.np = torch, np
        # channels-first: (k, 1, 40)
        self.X = torch.from_numpy(dataset["x"].astype(np.float32)[:, np.newaxis, :].copy())
        self.y = torch.from_numpy(dataset["y"].astype(np.int64))
        self.X_test = torch.from_numpy(dataset["x_test"].astype(np.float32)[:, np.newaxis, :].copy())
        self.labels_test = dataset["y_test"]
        self.initial = nnbook_model()  # the same starting parameters as nnbook's

    def info(self) -> dict:
        torch = self.torch
        return {"version": torch.__version__, "threads": torch.get_num_threads(), "cuda": torch.cuda.is_available()}

    def model(self):
        torch = self.torch
        modules = []
        for layer in self.initial.layers:
            name = type(layer).__name__
            if name == "Conv1D":
                kernel, c_in, c_out = layer.weights.shape
                conv = torch.nn.Conv1d(c_in, c_out, kernel, stride=layer.stride[0], padding=layer.padding[0])
                with torch.no_grad():  # nnbook (K, c_in, c_out) -> torch (c_out, c_in, K)
                    conv.weight.copy_(torch.from_numpy(layer.weights.transpose(2, 1, 0).copy()))
                    conv.bias.copy_(torch.from_numpy(layer.biases.copy()))
                modules.append(conv)
            elif name == "ReLU":
                modules.append(torch.nn.ReLU())
            elif name == "Flatten":
                # nnbook flattens (k, length, c) channels-last; torch's (k, c, length) is transposed first
                modules.append(_channels_last())
                modules.append(torch.nn.Flatten())
            elif name == "Dense":
                linear = torch.nn.Linear(*layer.weights.shape)
                with torch.no_grad():
                    linear.weight.copy_(torch.from_numpy(layer.weights.T.copy()))
                    linear.bias.copy_(torch.from_numpy(layer.biases.copy()))
                modules.append(linear)
        return torch.nn.Sequential(*modules)

    def check_same_function(self) -> float:
        """Largest difference between the two networks' initial logits (a layout check)."""
        torch = self.torch
        with torch.no_grad():
            theirs = self.model()(self.X_test[:100]).numpy()
        ours = self.initial.predict(self.X_test[:100].numpy().transpose(0, 2, 1))
        return float(self.np.abs(theirs - ours).max())

    def run(self, steps: int) -> dict:
        torch = self.torch
        model = self.model()
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
        loss_fn = torch.nn.CrossEntropyLoss()
        k = len(self.X)
        start = time.perf_counter()
        for step in range(steps):
            first = step * BATCH % k
            xb, yb = self.X[first : first + BATCH], self.y[first : first + BATCH]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        with torch.no_grad():
            predicted = model(self.X_test).argmax(dim=1).numpy()
        accuracy = float(self.np.mean(predicted == self.labels_test))
        return {"seconds": seconds, "steps": steps, "test_accuracy": accuracy}


def _channels_last():
    """A torch module (made lazily: only the PyTorch worker imports torch) that swaps the last two axes."""
    import torch

    class ChannelsLast(torch.nn.Module):
        def forward(self, x):
            return x.transpose(1, 2)

    return ChannelsLast()


def worker(peer: str, threads: int) -> None:
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    dataset = data()
    instance = NnbookPeer(dataset) if peer == "nnbook" else TorchPeer(dataset, threads)
    ready = {"ready": True, "info": instance.info()}
    if peer == "PyTorch":
        ready["initial_logits_max_difference"] = instance.check_same_function()
    proto.write(json.dumps(ready) + "\n")
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        proto.write(json.dumps(instance.run(int(command[1]))) + "\n")


class Worker:
    def __init__(self, peer: str, threads: int) -> None:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", peer, str(threads)]
        self.key = (peer, threads)
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.ready = self._read()
        self.runs: list[dict] = []

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.key} died (exit code {self.proc.wait()})")
        return json.loads(line)

    def run(self, steps: int) -> dict:
        self.proc.stdin.write(f"run {steps}\n")
        self.proc.stdin.flush()
        result = self._read()
        self.runs.append(result)
        return result

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5, help="measured repetitions after one warm-up")
    parser.add_argument("--steps", type=int, default=400, help="training steps per repetition (whole epochs of 40)")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--quick", action="store_true", help="1 repetition of 40 steps; writes nothing")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return 0
    reps, steps = (1, 40) if args.quick else (args.reps, args.steps)
    peers = args.peers.split(",")
    thread_counts = [int(t) for t in args.threads.split(",")]
    started, load_before = time.time(), os.getloadavg()
    workers: dict = {}
    try:
        for threads in thread_counts:
            for peer in peers:
                workers[(peer, threads)] = Worker(peer, threads)
        for w in workers.values():
            w.run(steps)  # warm-up
        for rep in range(reps):
            for threads in thread_counts:
                shift = rep % len(peers)
                for peer in peers[shift:] + peers[:shift]:
                    workers[(peer, threads)].run(steps)
    finally:
        for w in workers.values():
            w.close()
    rows = []
    for (peer, threads), w in workers.items():
        measured = w.runs[1:]
        seconds = [r["seconds"] for r in measured]
        per_step = statistics.median(seconds) / steps
        rows.append(
            {
                "peer": peer,
                "threads": threads,
                "steps": steps,
                "seconds": seconds,
                "ms_per_step": per_step * 1e3,
                "ms_per_step_min": min(seconds) / steps * 1e3,
                "ms_per_step_max": max(seconds) / steps * 1e3,
                "full_run_seconds": per_step * FULL_RUN_STEPS,
                "test_accuracy": measured[-1]["test_accuracy"],
                "info": w.ready["info"],
            }
        )
    for row in rows:
        nnbook = next(r for r in rows if r["peer"] == "nnbook" and r["threads"] == row["threads"])
        row["nnbook_speedup"] = row["ms_per_step"] / nnbook["ms_per_step"]
    torch_check = [w.ready.get("initial_logits_max_difference") for w in workers.values() if w.key[0] == "PyTorch"]
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - started, 1),
        "workload": {
            "network": "Conv1D(1, 25, 5), Conv1D(25, 25, 3), Conv1D(25, 25, 3), each stride 2, padding 1 and ReLU; "
            "Flatten, Dense(125, 10)",
            "data": "MNIST-1D (mnist1d.make_dataset, default arguments): 4000 signals of length 40",
            "loss": "softmax cross-entropy",
            "optimizer": f"Adam, learning rate {LEARNING_RATE}",
            "batch_size": BATCH,
            "order": "batches in order, no shuffling",
            "dtype": "float32",
            "steps_per_repetition": steps,
            "full_run_steps": FULL_RUN_STEPS,
        },
        "method": {
            "repetitions": reps,
            "warmup_runs": 1,
            "statistic": "median of the repetitions; min and max kept",
            "timed": "the training steps only (nnbook: the fit call; PyTorch: its loop of forward, loss, backward, "
            "step)",
            "full_run_seconds": "median time per step times the full run's steps",
        },
        "initial_logits_max_difference": max(torch_check) if torch_check else None,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "results": rows,
    }
    head = f"{'peer':8} {'threads':>7} {'ms/step':>8} {'(min–max)':>14} {'6000 steps':>10} {'nnbook×':>8}"
    print(head + f" {'test acc':>8}")
    for row in rows:
        spread = f"{row['ms_per_step_min']:.2f}–{row['ms_per_step_max']:.2f}"
        print(
            f"{row['peer']:8} {row['threads']:7} {row['ms_per_step']:8.2f} {spread:>14} "
            f"{row['full_run_seconds']:9.1f}s {row['nnbook_speedup']:8.2f} {row['test_accuracy']:8.3f}"
        )
    print(f"initial logits, largest difference nnbook vs PyTorch: {result['initial_logits_max_difference']}")
    if args.quick:
        return 0
    everything = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    everything["conv"] = result
    RESULTS.write_text(json.dumps(everything, indent=1) + "\n")
    print(f"wrote the conv section of {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
