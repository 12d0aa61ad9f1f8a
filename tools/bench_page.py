"""MkDocs hook: fill the Performance page from benchmarks/results/latest.json.

Register it in mkdocs.yml next to the book's other hook::

    hooks:
      - tools/hooks.py
      - tools/bench_page.py

A page asks for generated Markdown with HTML comments, so an unregistered
hook leaves nothing visible behind:

* ``<!-- bench:machine -->``: where and how the results were measured;
* ``<!-- bench:workloads -->``: the workloads, as the run defined them;
* ``<!-- bench:table float32 -->``: the results table of one dtype;
* ``<!-- bench:breakdown -->``: time per training step, matrix products vs the rest;
* ``<!-- bench:conv -->``: the MNIST-1D CNN's training steps, nnbook vs PyTorch (``benchmarks/conv.py``).
* ``<!-- bench:quality -->``: each library's final MSE with its defaults, SGD at 0.01 (``benchmarks/quality.py``);
* ``<!-- bench:memory -->``: training memory (peak RSS over the RSS before), every peer;
* ``<!-- bench:targets -->``: issue 15's targets against this run's ratios;
* ``<!-- bench:tricks -->``: what each trick of the training step saves (``benchmarks/tricks.py``);
* ``<!-- bench:threads -->``: W-small with one BLAS thread against two (``benchmarks/tricks.py``).

Every number on the page comes from the JSON that `make bench` wrote, so the
page cannot drift from the measurement.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path

# The formatter the benchmark run prints with lives with the benchmark; the page uses the same one.
sys.path.append(str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_format import rate

LIMIT = "limit (matmuls only)"
MARKER = re.compile(r"<!--\s*bench:(?P<what>[a-z]+)(?:\s+(?P<arg>[\w-]+))?\s*-->")
DEFAULT = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "latest.json"


def load(path: Path = DEFAULT) -> dict:
    """The benchmark results (benchmarks/results/latest.json by default)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def rows_of(data: dict, dtype: str | None = None) -> list[dict]:
    """The result rows, all or those of one dtype."""
    return [row for row in data["results"] if dtype is None or row["dtype"] == dtype]


def find(data: dict, workload: str, dtype: str, peer: str) -> dict | None:
    """The result row of one workload, dtype and peer, or None."""
    return next((r for r in data["results"] if (r["workload"], r["dtype"], r["peer"]) == (workload, dtype, peer)), None)


def paired(row: dict) -> tuple[float, float, float] | None:
    """Per round, nnbook ÷ peer (median, min, max); older results files only have the ratio of the medians."""
    if "nnbook_over_peer_paired_median" in row:
        return (row["nnbook_over_peer_paired_median"], row["nnbook_over_peer_paired_min"],
                row["nnbook_over_peer_paired_max"])  # fmt: skip
    if "nnbook_over_peer" in row:
        return (row["nnbook_over_peer"],) * 3
    return None


def quality_row(data: dict, workload: str, dtype: str, peer: str) -> dict | None:
    """The training-quality row (``benchmarks/quality.py``) of one workload, dtype and peer, or None."""
    rows = (data.get("quality") or {}).get("results", [])
    return next((r for r in rows if (r["workload"], r["dtype"], r["peer"]) == (workload, dtype, peer)), None)


def defaults_mse(data: dict, row: dict) -> str:
    """The table's cell: the peer's final MSE with its library's defaults; nnbook's ratio to the peers' median."""
    quality = quality_row(data, row["workload"], row["dtype"], row["peer"])
    if quality is None or quality["final_mse"] is None:
        return "—"
    cell = f"{quality['final_mse']:.3g}"
    ratio = quality.get("nnbook_over_peers_median")
    if row["peer"] == "nnbook" and ratio is not None:
        cell += f" (**{ratio:.2f}×** the peers' median)"
    return cell


def table(data: dict, dtype: str) -> str:
    """One row per workload and peer: the median, the spread, nnbook's ratio, the final losses, the memory."""
    lines = [
        "| workload | peer | samples/s (median) | min – max | nnbook ÷ peer, paired (min – max) | final loss "
        "| final MSE, own defaults | peak RSS (MiB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows_of(data, dtype):
        peer = row["peer"]
        ratios = None if peer == "nnbook" else paired(row)
        ratio = "" if ratios is None else f"{ratios[0]:.2f} ({ratios[1]:.2f} – {ratios[2]:.2f})"
        loss = "—" if row["final_loss"] is None else f"{row['final_loss']:.3g}"
        name = f"**{peer}**" if peer == "nnbook" else peer
        lines.append(
            f"| {row['workload']} | {name} | {rate(row['samples_per_s'])} | "
            f"{rate(row['samples_per_s_min'])} – {rate(row['samples_per_s_max'])} | {ratio} | {loss} | "
            f"{defaults_mse(data, row)} | {row['peak_rss_mib']:.0f} (+{row['training_rss_mib']:.0f}) |"
        )
    return "\n".join(lines)


def quality(data: dict) -> str:
    """Issue 20's rule: per workload and dtype, every peer's final MSE with its defaults, and nnbook's ratio."""
    result = data.get("quality")
    if result is None:
        return "*Not measured yet: run `make bench` (or `python benchmarks/quality.py`).*"
    peers = list(dict.fromkeys(row["peer"] for row in result["results"]))
    lines = [
        "| workload | dtype | " + " | ".join(peers) + " | nnbook ÷ peers' median | within " + f"{result['rule']:g}× |",
        "| --- | --- |" + " ---: |" * (len(peers) + 1) + " :---: |",
    ]
    groups = dict.fromkeys((row["workload"], row["dtype"]) for row in result["results"])
    for workload, dtype in groups:
        cells = []
        for peer in peers:
            row = quality_row(data, workload, dtype, peer)
            cells.append("—" if row is None else f"{row['final_mse']:.3g}")
        ratio = quality_row(data, workload, dtype, peers[0])["nnbook_over_peers_median"]
        verdict = "—" if ratio is None else ("yes" if ratio <= result["rule"] else "no")
        shown = "—" if ratio is None else f"{ratio:.2f}"
        lines.append(f"| {workload} | {dtype} | " + " | ".join(cells) + f" | {shown} | {verdict} |")
    load = result["load_average_before"][0]
    note = f"Measured {result['date']}: {result['method']}; load average {load:.1f}."
    return "\n".join(lines) + "\n\n" + note


def flops_per_sample(sizes: list[int]) -> int:
    """Floating-point operations of the limit's matrix products for one sample.

    Each (n, m) layer costs 2nm for X@W and 2nm for X.T@d; d@W.T, another 2nm, is skipped for the first layer.
    """
    pairs = list(itertools.pairwise(sizes))
    return sum(6 * n * m for n, m in pairs) - 2 * pairs[0][0] * pairs[0][1]


def breakdown(data: dict) -> str:
    """Per workload and dtype: microseconds per step for nnbook and for its matrix products alone."""
    lines = [
        "| workload | dtype | batch | nnbook µs/step | matmuls alone µs/step | the rest µs/step | "
        "matmul GFLOP/s | nnbook ÷ limit |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in data["results"]:
        if row["peer"] != "nnbook":
            continue
        limit = find(data, row["workload"], row["dtype"], LIMIT)
        if limit is None:
            continue
        workload = data["workloads"][row["workload"]]
        per_step = row["seconds_median"] / row["steps"] * 1e6
        matmuls = limit["seconds_median"] / limit["steps"] * 1e6
        gflops = flops_per_sample(workload["sizes"]) * limit["samples_per_s"] / 1e9
        lines.append(
            f"| {row['workload']} | {row['dtype']} | {workload['batch_size']} | {per_step:.0f} | {matmuls:.0f} | "
            f"{per_step - matmuls:.0f} | {gflops:.0f} | {row['samples_per_s'] / limit['samples_per_s']:.2f} |"
        )
    return "\n".join(lines)


def memory(data: dict) -> str:
    """Per workload and dtype: the MiB each peer's training added to its process (peak RSS over the RSS before)."""
    peers = list(dict.fromkeys(row["peer"] for row in data["results"]))
    lines = [
        "| workload | dtype | " + " | ".join(peers) + " | nnbook ÷ textbook |",
        "| --- | --- |" + " ---: |" * (len(peers) + 1),
    ]
    groups = dict.fromkeys((row["workload"], row["dtype"]) for row in data["results"])
    for workload, dtype in groups:
        cells = []
        for peer in peers:
            row = find(data, workload, dtype, peer)
            cells.append("—" if row is None else f"{row['training_rss_mib']:.1f}")
        ours, textbook = find(data, workload, dtype, "nnbook"), find(data, workload, dtype, "textbook numpy")
        ratio = "—"
        if ours is not None and textbook is not None and textbook["training_rss_mib"] > 0:
            ratio = f"{ours['training_rss_mib'] / textbook['training_rss_mib']:.2f}"
        lines.append(f"| {workload} | {dtype} | " + " | ".join(cells) + f" | {ratio} |")
    return "\n".join(lines)


# Issue 15's targets: (workload, dtype, peer, at least nnbook ÷ peer); memory is checked separately.
TARGETS = [
    ("W-small", "float32", "textbook numpy", 2.0),
    ("W-small", "float32", "scikit-learn", 4.0),
    ("W-small", "float32", "PyTorch", 8.0),
    ("W-small", "float32", LIMIT, 0.5),
    ("W-large", "float32", LIMIT, 0.92),
    ("W-deep", "float32", LIMIT, 0.90),
    ("W-deep", "float32", "PyTorch", 1.5),
]


def targets(data: dict) -> str:
    """The issue's targets, each with this run's paired ratio (median, min – max) and whether it is met."""
    lines = ["| target | goal | this run, paired median (min – max) | met |", "| --- | ---: | ---: | :---: |"]
    for workload, dtype, peer, goal in TARGETS:
        row = find(data, workload, dtype, peer)
        ratios = None if row is None else paired(row)
        if ratios is None:
            continue
        lines.append(
            f"| {workload} {dtype}: nnbook ÷ {peer} | ≥ {goal:g} | {ratios[0]:.2f} ({ratios[1]:.2f} – "
            f"{ratios[2]:.2f}) | {'yes' if ratios[0] >= goal else 'no'} |"
        )
    ours, textbook = find(data, "W-large", "float32", "nnbook"), find(data, "W-large", "float32", "textbook numpy")
    if ours is not None and textbook is not None:
        met = ours["training_rss_mib"] <= textbook["training_rss_mib"]
        lines.append(
            f"| W-large float32: training memory | ≤ textbook's {textbook['training_rss_mib']:.1f} MiB | "
            f"{ours['training_rss_mib']:.1f} MiB | {'yes' if met else 'no'} |"
        )
    return "\n".join(lines)


def tricks(data: dict) -> str:
    """One row per trick of the training step: the plain form, the step's form, their times and the saving."""
    result = data.get("tricks")
    if result is None:
        return "*Not measured yet: run `make bench` (or `python benchmarks/tricks.py`).*"
    lines = [
        "| trick (chapter) | at | plain form | µs | the step's form | µs | speed-up |",
        "| --- | --- | --- | ---: | --- | ---: | ---: |",
    ]
    for row in result["cases"]:
        chapter = row["chapter"].removesuffix(".md").split("/")[-1]
        lines.append(
            f"| {row['trick']} ({chapter}) | {row['shapes']} | `{row['plain']}` | {row['plain_us']:.1f} | "
            f"`{row['lean']}` | {row['lean_us']:.1f} | {row['speedup']:.2f}× |"
        )
    load = result["load_average"][0]
    note = f"Measured {result['date']}: {result['method']}; load average {load:.1f}."
    return "\n".join(lines) + "\n\n" + note


def threads(data: dict) -> str:
    """A sentence: W-small's fit with one BLAS thread and with two, and the paired ratio."""
    result = (data.get("tricks") or {}).get("threads")
    if result is None:
        return "*Not measured yet: run `make bench` (or `python benchmarks/tricks.py`).*"
    one, two = result["median_seconds"]["1"], result["median_seconds"]["2"]
    ratio = result["two_over_one_paired_median"]
    low, high = result["two_over_one_paired_min"], result["two_over_one_paired_max"]
    verdict = (
        "one thread is faster"
        if low > 1
        else ("two threads are faster" if high < 1 else "the difference is within the run's spread")
    )
    return (
        f"{result['workload']} {result['dtype']}, `Model.fit` in two processes taking turns, "
        f"{len(result['seconds']['1'])} runs each: {one:.3f} s with `OPENBLAS_NUM_THREADS=1`, {two:.3f} s with 2 "
        f"(median); two threads take {ratio:.2f} times as long as one, paired per run "
        f"({low:.2f} – {high:.2f}): {verdict}."
    )


def machine(data: dict) -> str:
    """The Markdown list that says when, where and how the benchmark ran."""
    m, method = data["machine"], data["method"]
    blas = ", ".join(
        f"{b['internal_api']} {b['version']} ({b.get('architecture')} kernel, {b['num_threads']} threads)"
        for b in m["blas"]
    )
    versions = ", ".join(f"{name} {version}" for name, version in m["versions"].items() if version)
    env = {k: v for k, v in m["openblas_env_parent"].items() if v}
    env_text = (
        f"`{env}` was set and was unset for the benchmark's processes"
        if env and m["openblas_env_unset_for_workers"]
        else (f"`{env}` was set and kept" if env else "no `OPENBLAS_CORETYPE` / `OPENBLAS_L2_SIZE` was set")
    )
    api = (data.get("nnbook_api") or {}).get("api", "?")
    load = m["load_average_before"][0], m["load_average_after"][0]
    note = [f"- **Note**: {data['note']}"] if data.get("note") else []
    if m.get("busy_warning"):
        note.insert(0, f"- **Warning**: {m['busy_warning']}.")
    return "\n".join(
        [
            f"- **When and where**: {data['date']}, {m['cpu']}, {m['usable_cores']} cores; {m['platform']}.",
            f"- **BLAS** (numpy, via threadpoolctl): {blas}; {env_text}.",
            f"- **Versions**: {versions}. nnbook was driven through its {api}.",
            f"- **Method**: {method['repetitions']} measured repetitions after {method['warmup_runs']} warm-up, "
            f"{method['statistic']}; {method['interleaved']}. The whole run took {data['duration_s']:.0f} s; "
            f"the machine's 1-minute load average was {load[0]:.1f} before and {load[1]:.1f} after.",
            *note,
        ]
    )


def workloads(data: dict) -> str:
    """The Markdown table of the workloads."""
    lines = [
        "| workload | layer widths | samples | batch | epochs | SGD steps | learning rate | data |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, w in data["workloads"].items():
        widths = "-".join(str(size) for size in w["sizes"])
        lines.append(
            f"| {name} | {widths} | {w['samples']} | {w['batch_size']} | {w['epochs']} | {w['steps']} | "
            f"{w['learning_rate']:g} | {w['data']} |"
        )
    return "\n".join(lines)


def conv(data: dict) -> str:
    """The convolution workload: one row per peer and thread count, then a sentence per thread count."""
    result = data.get("conv")
    if result is None:
        return "*Not measured yet: run `make bench` (or `python benchmarks/conv.py`).*"
    workload, method = result["workload"], result["method"]
    steps, full = workload["steps_per_repetition"], workload["full_run_steps"]
    lines = [
        f"| peer | threads | ms per step (median) | min – max | {full} steps (s) | nnbook's speed-up | "
        f"test accuracy after {steps} steps |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["results"]:
        name = f"**{row['peer']}**" if row["peer"] == "nnbook" else row["peer"]
        speedup = "" if row["peer"] == "nnbook" else f"{row['nnbook_speedup']:.2f}×"
        lines.append(
            f"| {name} | {row['threads']} | {row['ms_per_step']:.2f} | {row['ms_per_step_min']:.2f} – "
            f"{row['ms_per_step_max']:.2f} | {row['full_run_seconds']:.1f} | {speedup} | {row['test_accuracy']:.3f} |"
        )
    sentences = []
    for row in result["results"]:
        if row["peer"] == "nnbook":
            continue
        nnbook = next(r for r in result["results"] if r["peer"] == "nnbook" and r["threads"] == row["threads"])
        sentences.append(
            f"With {row['threads']} thread{'s' if row['threads'] > 1 else ''}, the paper's {full}-step run takes "
            f"nnbook {nnbook['full_run_seconds']:.1f} s and {row['peer']} {row['full_run_seconds']:.1f} s: "
            f"nnbook is {row['nnbook_speedup']:.2f} times as fast."
        )
    load = result["load_average_before"][0], result["load_average_after"][0]
    sentences.append(
        f"Measured {result['date']}: {method['repetitions']} repetitions of {steps} steps after "
        f"{method['warmup_runs']} warm-up, {method['statistic']}; the {full}-step times are the median step "
        f"time × {full}. Load average {load[0]:.1f} before, {load[1]:.1f} after. Starting from the same "
        f"parameters, the two networks' logits differ by at most {result['initial_logits_max_difference']:.1e}."
    )
    return "\n".join(lines) + "\n\n" + " ".join(sentences)


def render(markdown: str, data: dict) -> str:
    """Replace every ``<!-- bench:... -->`` marker of the page with what it names."""

    def replace(match: re.Match) -> str:
        what, arg = match["what"], match["arg"]
        if what == "table":
            return table(data, arg or "float32")
        if what == "breakdown":
            return breakdown(data)
        if what == "memory":
            return memory(data)
        if what == "targets":
            return targets(data)
        if what == "tricks":
            return tricks(data)
        if what == "threads":
            return threads(data)
        if what == "machine":
            return machine(data)
        if what == "workloads":
            return workloads(data)
        if what == "conv":
            return conv(data)
        if what == "quality":
            return quality(data)
        raise ValueError(f"unknown benchmark marker {match[0]!r}")

    return MARKER.sub(replace, markdown)


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Fill the Performance page from the benchmark results."""
    if "<!-- bench:" not in markdown:
        return markdown
    source = Path(config["config_file_path"]).parent / "benchmarks" / "results" / "latest.json"
    try:
        data = load(source)
    except (OSError, ValueError) as error:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{page.file.src_path}: cannot read {source} ({error}); run `make bench`") from error
    return render(markdown, data)
