"""Root pytest configuration.

The example notebooks under docs/examples are jupytext scripts; they are run by
tests/test_notebooks.py, not imported by doctest collection.
"""

collect_ignore_glob = ["docs/examples/*.py", "site/*", "benchmarks/*", "tools/*"]


def pytest_runtest_teardown(item):
    """Close the figures a test or a page's fence drew, so that they do not pile up over a session."""
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
