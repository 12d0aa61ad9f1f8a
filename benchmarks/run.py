"""nnbook's training-throughput benchmark (`make bench`).

One run measures every peer on every workload and dtype, interleaved: each
(peer, workload, dtype) lives in its own fresh worker process, all workers are
started first, each trains once to warm up, and then the repetitions go round
all workers in turn (the peers' order rotating from one round to the next), so
that a slow minute of the machine hits every peer alike. The figure is the
median over the repetitions.

Separate processes also keep the peers from disturbing each other (PyTorch's
OpenMP threads and numpy's OpenBLAS threads would otherwise compete for the
two cores) and give an honest peak memory per peer: the worker resets its
peak-RSS mark (Linux /proc/self/clear_refs) before the warm-up run and reads
it (VmHWM) afterwards.

OpenBLAS: if OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE is set (some machines set
them for old OpenBLAS builds; they slow a current numpy), both are removed
together from the workers' environment, unless --keep-openblas-env. Every
worker reports the kernel its BLAS runs (threadpoolctl), and the JSON records
both the parent's variables and what the workers saw.

    python benchmarks/run.py                  # the full run, writes benchmarks/results/latest.json
    python benchmarks/run.py --quick --peers nnbook,textbook  # a smoke test of a few seconds
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
from bench_format import rate  # noqa: E402  shared with the Performance page: terminal and page print rates alike

RESULTS = HERE / "results" / "latest.json"
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
PEER_ORDER = ["nnbook", "PyTorch", "scikit-learn", "textbook numpy", "limit (matmuls only)"]
SHORT = {"torch": "PyTorch", "pytorch": "PyTorch", "sklearn": "scikit-learn", "textbook": "textbook numpy",
         "limit": "limit (matmuls only)", "nnbook": "nnbook"}  # fmt: skip


# ----------------------------------------------------------------------------- worker side


def _memory_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def worker(peer_name: str, workload_name: str, dtype_name: str, scale_epochs: float) -> None:
    """Answer one JSON line per command read from stdin: ``run`` trains once, ``quit`` ends."""
    # The protocol gets a private copy of stdout; anything a library prints goes to stderr.
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    import dataclasses
    import resource

    import numpy as np
    from peers import PEERS, WORKLOADS, initial_params, mse
    from textbook import Network
    from threadpoolctl import threadpool_info

    workload = WORKLOADS[workload_name]
    if scale_epochs != 1.0:
        workload = dataclasses.replace(workload, epochs=max(1, round(workload.epochs * scale_epochs)))
    try:
        peer = PEERS[peer_name](workload, dtype_name)
        initial = Network(initial_params(workload, peer.dtype), workload.learning_rate).forward(peer.X)
        ready = {
            "ready": True,
            "info": peer.info(),
            "blas": [lib for lib in threadpool_info() if lib["user_api"] == "blas"],
            "openblas_env": {name: os.environ.get(name) for name in OPENBLAS_VARS},
            "initial_loss": mse(initial, peer.y),
            "variance_y": float(np.var(peer.y.astype(np.float64))),
            "workload": workload.as_dict(),
        }
    except Exception as error:  # report, do not hang the orchestrator
        proto.write(json.dumps({"ready": False, "error": f"{type(error).__name__}: {error}"}) + "\n")
        return
    proto.write(json.dumps(ready) + "\n")
    first = True
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        try:
            if first:
                memory = {"rss_before_kib": _memory_kib("VmRSS"), "peak_reset": _reset_peak()}

                def probe(memory=memory):
                    peak = _memory_kib("VmHWM") if memory["peak_reset"] else None
                    if peak is None:  # no /proc: the process's lifetime peak
                        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                    memory["peak_kib"] = peak

                peer.after_training = probe
            result = peer.run()
            if first:
                peer.after_training = None
                result["memory"] = memory
                first = False
        except Exception as error:
            result = {"error": f"{type(error).__name__}: {error}"}
        proto.write(json.dumps(result) + "\n")


# ----------------------------------------------------------------------------- orchestrator side


class Worker:
    def __init__(self, peer: str, workload: str, dtype: str, env: dict, scale_epochs: float) -> None:
        self.key = (peer, workload, dtype)
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", peer, workload, dtype]
        command += ["--scale-epochs", str(scale_epochs)]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.runs: list[dict] = []
        self.ready: dict | None = None

    def wait_ready(self) -> dict:
        self.ready = self._read()
        if not self.ready.get("ready"):
            raise RuntimeError(f"worker {self.key} failed to start: {self.ready.get('error')}")
        return self.ready

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.key} died (exit code {self.proc.wait()})")
        return json.loads(line)

    def run(self) -> dict:
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        result = self._read()
        if "error" in result:
            raise RuntimeError(f"worker {self.key}: {result['error']}")
        return result

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
            self.proc.wait(timeout=60)


def machine_info() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for module in ("numpy", "torch", "sklearn", "threadpoolctl", "nnbook"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:  # a peer's package may be missing in --quick runs
            versions[module] = None
    return {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "platform": platform.platform(),
        "versions": versions,
    }


def summarise(workers: dict, peers: list[str], workloads: list[str], dtypes: list[str]) -> list[dict]:
    rows = []
    for workload in workloads:
        for dtype in dtypes:
            group = {}
            for peer in peers:
                w = workers[(peer, workload, dtype)]
                measured = w.runs[1:]  # runs[0] is the warm-up
                seconds = [r["seconds"] for r in measured]
                samples = measured[0]["samples"]
                row = {
                    "workload": workload,
                    "dtype": dtype,
                    "peer": peer,
                    "samples": samples,
                    "steps": measured[0]["steps"],
                    "seconds": seconds,
                    "seconds_median": statistics.median(seconds),
                    "samples_per_s": samples / statistics.median(seconds),
                    "samples_per_s_min": samples / max(seconds),
                    "samples_per_s_max": samples / min(seconds),
                    "final_loss": measured[-1]["final_loss"],
                    "final_losses_all_reps": sorted({r["final_loss"] for r in measured if r["final_loss"] is not None}),
                    "initial_loss": w.ready["initial_loss"],
                    "variance_y": w.ready["variance_y"],
                    "peak_rss_mib": w.runs[0]["memory"]["peak_kib"] / 1024,
                    "training_rss_mib": (w.runs[0]["memory"]["peak_kib"] - w.runs[0]["memory"]["rss_before_kib"])
                    / 1024,
                    "info": w.ready["info"],
                    "blas_kernel": [lib.get("architecture") for lib in w.ready["blas"]],
                }
                if "seconds_with_input_grad" in measured[0]:
                    secs = [r["seconds_with_input_grad"] for r in measured]
                    row["samples_per_s_with_input_grad"] = samples / statistics.median(secs)
                if row["final_loss"] is not None:
                    row["learned"] = bool(math.isfinite(row["final_loss"]) and row["final_loss"] < row["initial_loss"])
                group[peer] = row
            nnbook = group.get("nnbook")
            for row in group.values():
                if nnbook is not None:
                    row["nnbook_over_peer"] = nnbook["samples_per_s"] / row["samples_per_s"]
                    # Paired: the peer's time over nnbook's in the same round, one ratio per round. A slow
                    # minute of the machine hits both runs of a round, so these spread less than the times.
                    paired = [peer / ours for peer, ours in zip(row["seconds"], nnbook["seconds"], strict=True)]
                    row["nnbook_over_peer_paired"] = paired
                    row["nnbook_over_peer_paired_median"] = statistics.median(paired)
                    row["nnbook_over_peer_paired_min"] = min(paired)
                    row["nnbook_over_peer_paired_max"] = max(paired)
                    if nnbook["training_rss_mib"] is not None:
                        row["nnbook_training_rss_mib"] = nnbook["training_rss_mib"]
            rows += group.values()
    return rows


def busy_warning(round_loads: list[float], load_before, load_after, cores: int) -> str | None:
    """A sentence if the machine was busy: a 1-minute load average above the usable cores at any point."""
    loads = [load_before[0], *round_loads, load_after[0]]
    if max(loads) <= cores:
        return None
    return (
        f"the machine was busy: its 1-minute load average reached {max(loads):.1f} on {cores} usable cores "
        f"(median over the rounds {statistics.median(round_loads or loads):.1f}); other processes took CPU time "
        "from the peers, so absolute rates are low and spread; the paired per-round ratios are the figures to trust"
    )


def table(rows: list[dict]) -> str:
    head = (
        f"{'workload':8} {'dtype':7} {'peer':21} {'samples/s':>10} {'(min–max)':>19} {'nnbook×':>8} "
        f"{'final loss':>10} {'peak MiB':>8} {'train MiB':>9}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        spread = f"{rate(row['samples_per_s_min'])}–{rate(row['samples_per_s_max'])}"
        loss = "" if row["final_loss"] is None else f"{row['final_loss']:.4g}"
        ratio = (
            ""
            if row["peer"] == "nnbook" or "nnbook_over_peer" not in row
            else (f"{row['nnbook_over_peer_paired_median']:.2f}")
        )
        lines.append(
            f"{row['workload']:8} {row['dtype']:7} {row['peer']:21} {rate(row['samples_per_s']):>10} "
            f"{spread:>19} {ratio:>8} {loss:>10} {row['peak_rss_mib']:8.0f} {row['training_rss_mib']:9.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5, help="measured repetitions after one warm-up (>= 5)")
    parser.add_argument("--peers", default=",".join(PEER_ORDER), help="comma-separated; short names work")
    parser.add_argument("--workloads", default="W-small,W-large,W-deep")
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--output", type=Path, help=f"the JSON to write (default {RESULTS.relative_to(HERE.parent)})")
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 1 rep, a tenth of the epochs, JSON only with --output"
    )
    parser.add_argument("--note", help="a sentence to store in the JSON; the Performance page shows it")
    parser.add_argument("--keep-openblas-env", action="store_true", help="leave OPENBLAS_* as they are")
    parser.add_argument("--scale-epochs", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs=3, metavar=("PEER", "WORKLOAD", "DTYPE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker, scale_epochs=args.scale_epochs)
        return 0

    peers = [SHORT.get(p.strip().lower(), p.strip()) for p in args.peers.split(",")]
    workloads = args.workloads.split(",")
    dtypes = args.dtypes.split(",")
    reps = 1 if args.quick else args.reps
    scale = 0.1 if args.quick else 1.0
    if not args.quick and reps < 5:
        parser.error("--reps must be at least 5 (use --quick for a smoke test)")

    parent_openblas = {name: os.environ.get(name) for name in OPENBLAS_VARS}
    env = dict(os.environ)
    unset = not args.keep_openblas_env and any(parent_openblas.values())
    if unset:
        for name in OPENBLAS_VARS:  # together, never one of them alone
            env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))

    started = time.time()
    load_before = os.getloadavg()
    round_loads = []  # the 1-minute load average as each round starts: how busy the machine was
    keys = [(p, w, d) for w in workloads for d in dtypes for p in peers]
    print(f"starting {len(keys)} workers ...", flush=True)
    workers = {}
    try:
        for key in keys:
            workers[key] = Worker(*key, env=env, scale_epochs=scale)
            workers[key].wait_ready()  # one at a time: imports do not overlap
        print("warm-up ...", flush=True)
        for key in keys:
            workers[key].runs.append(workers[key].run())
        for rep in range(reps):
            print(f"round {rep + 1}/{reps} ...", flush=True)
            round_loads.append(os.getloadavg()[0])
            for w in workloads:
                for d in dtypes:
                    shift = rep % len(peers)
                    for p in peers[shift:] + peers[:shift]:
                        workers[(p, w, d)].runs.append(workers[(p, w, d)].run())
    finally:
        for w in workers.values():
            w.close()
    load_after = os.getloadavg()

    rows = summarise(workers, peers, workloads, dtypes)
    print()
    print(table(rows))
    for row in rows:
        limit = [r for r in rows if r["peer"] == PEER_ORDER[-1] and r["workload"] == row["workload"]]
        limit = [r for r in limit if r["dtype"] == row["dtype"]]
        if row["peer"] == "nnbook" and limit:
            fraction = row["samples_per_s"] / limit[0]["samples_per_s"]
            print(f"{row['workload']} {row['dtype']}: nnbook reaches {fraction:.2f} of the limit")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    warning = busy_warning(round_loads, load_before, load_after, cores)
    if warning:
        print(f"WARNING: {warning}")
    not_learned = [f"{r['peer']} on {r['workload']} {r['dtype']}" for r in rows if r.get("learned") is False]
    if not_learned:
        print("did not learn (final loss not below the initial one): " + ", ".join(not_learned))

    first = next(iter(workers.values())).ready
    result = {
        "schema": 1,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - started, 1),
        "command": "make bench (python benchmarks/run.py)",
        "method": {
            "repetitions": reps,
            "warmup_runs": 1,
            "statistic": "median of the repetitions; min and max kept",
            "paired": "nnbook_over_peer_paired: per round, the peer's seconds over nnbook's in that round; "
            "its median, min and max (nnbook_over_peer is the ratio of the medians)",
            "interleaved": "one process per (peer, workload, dtype); rounds visit every process, peer order rotating",
            "timed": "the training call only (shuffling, batching, forward, loss, backward, update)",
            "final_loss": "MSE over all training samples after training, float64, untimed",
            "learned": "final loss below the loss of the shared initial parameters",
            "memory": "peak RSS (VmHWM) of the peer's process during its first run, after resetting the mark; "
            "train MiB = that peak minus the RSS just before training",
            "limit": "only the matrix products of every step (forward X@W, backward X.T@d, d@W.T except for the "
            "first layer) in numpy with preallocated outputs; samples_per_s_with_input_grad includes the "
            "first layer's d@W.T too",
        },
        "machine": machine_info()
        | {
            "blas": first["blas"],
            "openblas_env_parent": parent_openblas,
            "openblas_env_workers": first["openblas_env"],
            "openblas_env_unset_for_workers": unset,
            "load_average_before": load_before,
            "load_average_after": load_after,
            "load_average_per_round": round_loads,
            "busy_warning": warning,
        },
        "workloads": {w: workers[(peers[0], w, dtypes[0])].ready["workload"] for w in workloads},
        "nnbook_api": workers[("nnbook", *keys[0][1:])].ready["info"] if "nnbook" in peers else None,
        "results": rows,
    }
    if args.note:
        result["note"] = args.note
    print(f"\nBLAS: {[(b['internal_api'], b['version'], b['architecture'], b['num_threads']) for b in first['blas']]}")
    print(f"OPENBLAS_* in the parent: {parent_openblas}; unset for workers: {unset}")
    print(f"load average before {load_before}, after {load_after}; {result['duration_s']} s")
    output = args.output or (None if args.quick else RESULTS)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
