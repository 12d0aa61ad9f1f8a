"""The benchmark harness (benchmarks/) and the Performance page built from its results.

PyTorch and scikit-learn are benchmark-only dependencies, so these tests drive
the numpy peers only; `make bench` runs all of them.
"""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import bench_page
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import peers  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "latest.json"


def tiny(name: str, epochs: int = 2) -> peers.Workload:
    return dataclasses.replace(peers.WORKLOADS[name], epochs=epochs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_numpy_peers_do_the_same_work_and_learn(dtype):
    workload = tiny("W-small", epochs=5)
    runs = {name: peers.PEERS[name](workload, dtype) for name in ("nnbook", "textbook numpy", "limit (matmuls only)")}
    results = {name: peer.run() for name, peer in runs.items()}
    expected_steps = 5 * int(np.ceil(workload.samples / workload.batch_size))
    for name, result in results.items():
        assert result["steps"] == expected_steps, name
        assert result["samples"] == 5 * workload.samples, name
        assert result["seconds"] > 0, name
    reference = runs["textbook numpy"]
    from textbook import Network

    initial = peers.mse(Network(reference.params, workload.learning_rate).forward(reference.X), reference.y)
    for name in ("nnbook", "textbook numpy"):
        assert np.isfinite(results[name]["final_loss"])
        assert results[name]["final_loss"] < initial, name
    if runs["nnbook"].api.startswith("minimal loop"):
        # Same initial parameters, same batch order, same arithmetic: the same loss to rounding.
        assert results["nnbook"]["final_loss"] == pytest.approx(results["textbook numpy"]["final_loss"], rel=1e-4)


def test_textbook_reference_keeps_float32():
    workload = tiny("W-deep", epochs=1)
    peer = peers.TextbookPeer(dataclasses.replace(workload, samples=256), "float32")
    from textbook import Network

    net = Network(peer.params, workload.learning_rate)
    net.train(peer.X, peer.y, epochs=1, batch_size=64)
    assert peer.X.dtype == np.float32
    assert {layer.weights.dtype for layer in net.layers if hasattr(layer, "weights")} == {np.dtype(np.float32)}


def test_data_is_the_same_for_both_dtypes():
    for workload in peers.WORKLOADS.values():
        X32, y32 = peers.make_data(workload, np.float32)
        X64, y64 = peers.make_data(workload, np.float64)
        assert X32.shape == (workload.samples, workload.sizes[0]) and y32.shape == (workload.samples, 1)
        np.testing.assert_allclose(X64, X32, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(y64, y32, rtol=1e-5, atol=1e-6)


def test_flops_per_sample_counts_each_product():
    # 1-64-64-1: forward 2·(64 + 4096 + 64), weight gradients the same, input gradients of layers 2 and 3 only.
    assert bench_page.flops_per_sample([1, 64, 64, 1]) == 2 * (64 + 4096 + 64) * 2 + 2 * (4096 + 64)


def test_quick_run_prints_the_table(tmp_path):
    out = tmp_path / "quick.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--peers", "nnbook,textbook,limit"]
    command += ["--workloads", "W-small", "--dtypes", "float32", "--output", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "nnbook reaches" in done.stdout
    data = json.loads(out.read_text())
    assert {row["peer"] for row in data["results"]} == {"nnbook", "textbook numpy", "limit (matmuls only)"}
    assert data["machine"]["blas"], "threadpoolctl found no BLAS"
    assert all(row["peak_rss_mib"] > 0 for row in data["results"])
    for row in data["results"]:  # the terminal table formats rates as the Performance page does
        assert bench_page.rate(row["samples_per_s"]) in done.stdout


def test_committed_results_are_complete_and_consistent():
    data = json.loads(RESULTS.read_text())
    rows = data["results"]
    keys = {(r["workload"], r["dtype"], r["peer"]) for r in rows}
    expected = {(w, d, p) for w in peers.WORKLOADS for d in peers.DTYPES for p in peers.PEERS}
    assert keys == expected
    assert data["method"]["repetitions"] >= 5
    for row in rows:
        assert len(row["seconds"]) == data["method"]["repetitions"]
        assert row["samples_per_s"] == pytest.approx(row["samples"] / np.median(row["seconds"]))
        if row["final_loss"] is not None:
            assert row["learned"], f"{row['peer']} did not learn {row['workload']} {row['dtype']}"


def test_page_markers_render_from_the_json():
    data = json.loads(RESULTS.read_text())
    page = (ROOT / "docs" / "performance.md").read_text()
    rendered = bench_page.render(page, data)
    assert "<!-- bench:" not in rendered
    for row in data["results"]:
        assert f"| {row['workload']} |" in rendered
        assert bench_page.rate(row["samples_per_s"]) in rendered


def test_built_page_shows_tables_and_plot(site_dir):
    html = (site_dir / "performance" / "index.html").read_text(encoding="utf-8")
    assert html.count("<table>") >= 4  # workloads, float32, float64, breakdown
    assert "performance.svg" in html
    assert (site_dir / "assets" / "performance.svg").exists()
    assert "bench:" not in html


def test_the_benchmark_does_not_import_the_docs_hook():
    # Shared code (the rate formatter) lives with the benchmark; the page's hook imports it, not the reverse.
    import ast

    source = (Path(__file__).resolve().parent.parent / "benchmarks" / "run.py").read_text(encoding="utf-8")
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {(node.module or "").split(".")[0] for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"bench_page", "hooks", "tangle", "chapter_notebook"}
    assert '"tools"' not in source  # nor puts tools/ on its path
    from bench_format import rate

    assert bench_page.rate is rate


def test_the_performance_page_renders_the_conv_workload():
    data = json.loads(RESULTS.read_text())
    assert "conv" in data, "run benchmarks/conv.py (make bench runs it)"
    text = bench_page.conv(data)
    for row in data["conv"]["results"]:
        assert f"| {row['threads']} | {row['ms_per_step']:.2f} |" in text
    assert "times as fast" in text and "<!--" not in bench_page.render("<!-- bench:conv -->", data)
    without = {key: value for key, value in data.items() if key != "conv"}
    assert "Not measured yet" in bench_page.conv(without)


def fake_quality(losses: dict[str, float]) -> dict:
    """A results dict with one W-small float64 row per peer and a quality section of the given MSEs."""
    import quality

    ratio = quality.ratio_to_median(losses)
    rows = [
        {"workload": "W-small", "dtype": "float64", "peer": peer, "final_mse": value, "final_mse_all_seeds": [value],
         "nnbook_over_peers_median": ratio}
        for peer, value in losses.items()
    ]  # fmt: skip
    section = {"date": "2026-12-07", "method": "m", "rule": quality.RULE, "load_average_before": [0.5], "results": rows}
    results = [
        {"workload": "W-small", "dtype": "float64", "peer": peer, "samples_per_s": 1e5, "samples_per_s_min": 9e4,
         "samples_per_s_max": 1.1e5, "final_loss": 0.001, "peak_rss_mib": 50.0, "training_rss_mib": 1.0,
         "nnbook_over_peer": 2.0}
        for peer in losses
    ]  # fmt: skip
    return {"results": results, "quality": section}


def test_the_quality_ratio_is_over_the_median_of_the_other_peers():
    import quality

    losses = {"nnbook": 0.03, "PyTorch": 0.01, "scikit-learn": 0.02, "textbook numpy": 0.5}
    assert quality.ratio_to_median(losses) == pytest.approx(1.5)  # 0.03 / median(0.01, 0.02, 0.5)
    assert quality.ratio_to_median({"nnbook": 0.03}) is None
    assert quality.ratio_to_median({"nnbook": None, "PyTorch": 0.01}) is None


def test_the_table_shows_the_mse_with_defaults_and_nnbooks_ratio():
    data = fake_quality({"nnbook": 0.06, "PyTorch": 0.01, "scikit-learn": 0.02, "textbook numpy": 0.5})
    text = bench_page.table(data, "float64")
    assert "final MSE, own defaults" in text.splitlines()[0]
    assert "| 0.06 (**3.00×** the peers' median) |" in text  # 0.06 / 0.02
    assert "| 0.5 |" in text and "| 0.01 |" in text
    summary = bench_page.quality(data)
    assert "| W-small | float64 | 0.06 | 0.01 | 0.02 | 0.5 | 3.00 | no |" in summary
    ok = bench_page.quality(fake_quality({"nnbook": 0.02, "PyTorch": 0.01, "scikit-learn": 0.02, "x": 0.5}))
    assert "| 1.00 | yes |" in ok


def test_results_without_the_quality_section_still_render():
    data = fake_quality({"nnbook": 0.02, "PyTorch": 0.01})
    del data["quality"]
    text = bench_page.table(data, "float64")
    assert all(line.count("| — |") == 1 for line in text.splitlines()[2:])  # the MSE column only
    assert "Not measured yet" in bench_page.quality(data)


def test_quality_run_trains_the_numpy_peers_with_their_defaults(tmp_path):
    out = tmp_path / "quality.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "quality.py"), "--workloads", "W-small", "--seeds", "1"]
    command += ["--dtypes", "float64", "--peers", "nnbook,textbook numpy", "--output", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    section = json.loads(out.read_text())["quality"]
    import inspect

    import nnbook as nb

    assert section["nnbook_default_init"] == inspect.signature(nb.Dense).parameters["init"].default
    rows = {row["peer"]: row for row in section["results"]}
    assert rows["nnbook"]["final_mse"] < 0.5 * float(np.var(peers.make_data(peers.WORKLOADS["W-small"], float)[1]))
    assert rows["nnbook"]["nnbook_over_peers_median"] == pytest.approx(
        rows["nnbook"]["final_mse"] / rows["textbook numpy"]["final_mse"]
    )


def test_committed_results_meet_the_quality_rule():
    # Issue 20: with the defaults and SGD at 0.01, nnbook's final MSE is at most 1.5 x the peers' median.
    data = json.loads(RESULTS.read_text())
    if "quality" not in data:
        pytest.skip("latest.json has no quality section yet: make bench writes it")
    for row in data["quality"]["results"]:
        if row["peer"] == "nnbook":
            ratio = row["nnbook_over_peers_median"]
            assert ratio is not None and ratio <= data["quality"]["rule"], (row["workload"], row["dtype"], ratio)
