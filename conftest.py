"""Root pytest configuration.

The example notebooks under docs/examples are jupytext scripts; they are run by
tests/test_notebooks.py, not imported by doctest collection.
"""

collect_ignore_glob = ["docs/examples/*.py", "site/*", "benchmarks/*", "tools/*"]
