"""Draw benchmarks/results/latest.json as docs/assets/performance.svg (run by `make bench`).

One panel per dtype; for each workload, one bar per peer (samples/s, log scale),
the limit drawn as a dashed line over its workload, the min–max of the
repetitions as a whisker. The SVG is deterministic for the same JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "benchmarks" / "results" / "latest.json"
TARGET = ROOT / "docs" / "assets" / "performance.svg"
LIMIT = "limit (matmuls only)"
COLORS = {"nnbook": "#3949ab", "PyTorch": "#ee4c2c", "scikit-learn": "#f89939", "textbook numpy": "#7f7f7f"}


def plot(data: dict, target: Path) -> None:
    rows = data["results"]
    workloads = list(dict.fromkeys(r["workload"] for r in rows))
    dtypes = list(dict.fromkeys(r["dtype"] for r in rows))
    peers = [p for p in dict.fromkeys(r["peer"] for r in rows) if p != LIMIT]
    index = {(r["workload"], r["dtype"], r["peer"]): r for r in rows}

    plt.rcParams["svg.hashsalt"] = "nnbook"
    fig, axes = plt.subplots(1, len(dtypes), figsize=(5.2 * len(dtypes), 4.0), sharey=True, squeeze=False)
    width = 0.8 / len(peers)
    for ax, dtype in zip(axes[0], dtypes, strict=True):
        for j, peer in enumerate(peers):
            xs, ys, lo, hi = [], [], [], []
            for i, workload in enumerate(workloads):
                row = index.get((workload, dtype, peer))
                if row:
                    xs.append(i - 0.4 + width * (j + 0.5))
                    ys.append(row["samples_per_s"])
                    lo.append(row["samples_per_s"] - row["samples_per_s_min"])
                    hi.append(row["samples_per_s_max"] - row["samples_per_s"])
            ax.bar(xs, ys, width, label=peer, color=COLORS.get(peer), yerr=[lo, hi], capsize=2, ecolor="#333")
        for i, workload in enumerate(workloads):
            row = index.get((workload, dtype, LIMIT))
            if row:
                ax.hlines(row["samples_per_s"], i - 0.45, i + 0.45, colors="k", linestyles="dashed",
                          label="limit: matmuls only" if i == 0 else None)  # fmt: skip
        ax.set_yscale("log")
        ax.set_xticks(range(len(workloads)), workloads)
        ax.set_title(dtype)
        ax.grid(axis="y", which="both", alpha=0.3)
    axes[0][0].set_ylabel("training samples / s (median, log scale)")
    axes[0][-1].legend(fontsize=8, loc="upper right")
    fig.suptitle(f"Training throughput on {data['machine']['cpu']}, {data['date'][:10]}", fontsize=10)
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else TARGET
    plot(json.loads(source.read_text()), target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
