"""How the benchmark's numbers are written, shared by the run (benchmarks/run.py) and the Performance page.

tools/bench_page.py (the docs hook that fills the page) imports this module; the benchmark never imports
the docs hook.
"""


def rate(value: float) -> str:
    """Samples per second, short: 1.33 M, 95.2 k, 812."""
    if value >= 1e6:
        return f"{value / 1e6:.2f} M"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k"
    return f"{value:.0f}"
