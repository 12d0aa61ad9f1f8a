"""Shared fixtures: the built site, the list of its pages (known without building it), and training by hand.

Collection never builds the site. ``make test`` runs ``mkdocs build --strict`` before pytest; a test
that reads ``site/`` takes the ``site_dir`` fixture, which skips it when the site is missing (run
``make build``), or fails it under CI, where a missing site means the build step was skipped.
"""

import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tools"))

# mkdocs-jupyter renders these notebooks as pages (mkdocs.yml's `include`).
NOTEBOOK_PAGES = "examples/*.py"


def site_pages(site: Path) -> list[str]:
    """Every page of the built site as a URL path relative to the site root ("" is home)."""
    pages = []
    for index in site.rglob("index.html"):
        rel = index.relative_to(site)
        if rel.parts[0] in {"assets", "search"}:
            continue
        pages.append("" if rel.parent == Path(".") else rel.parent.as_posix() + "/")
    return sorted(pages)


def source_pages(docs: Path = DOCS) -> list[str]:
    """The URL of every page the site is built from, read from docs/ (directory URLs, as mkdocs makes them)."""
    sources = sorted(docs.rglob("*.md")) + sorted(docs.glob(NOTEBOOK_PAGES))
    pages = []
    for source in sources:
        rel = source.relative_to(docs).with_suffix("")
        parts = rel.parts[:-1] if rel.name in {"index", "README"} else rel.parts
        pages.append("/".join(parts) + "/" if parts else "")
    return sorted(pages)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; missing, the test is skipped locally and fails under CI."""
    if not (SITE / "index.html").exists():
        message = "site/ is not built: run `make build` (make test builds it before pytest)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SITE


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests that take `site_page` run once per page of the site, named by its URL. The pages come from
    # the sources, so collection needs no build; tests/test_site.py checks the built site has exactly these.
    if "site_page" in metafunc.fixturenames:
        pages = source_pages()
        metafunc.parametrize("site_page", pages, ids=[page or "home" for page in pages])


# ---------------------------------------------------------------- training by hand, through the public methods
# What Model.fit does, written with only what a user calls (and overrides): each layer's forward, the loss's
# backward, each layer's backward in reverse, and one optimizer.step over every named parameter array.


def parameter_dicts(layers) -> tuple[dict, dict]:
    """The named parameter arrays of ``layers`` and their gradients, {"0.weights": array, ...} (the protocol)."""
    parameters, gradients = {}, {}
    for i, layer in enumerate(layers):
        default = ("weights", "biases") if hasattr(layer, "weights") else ()  # before the protocol named them
        for name in getattr(layer, "parameter_names", default):
            parameters[f"{i}.{name}"] = getattr(layer, name)
            gradients[f"{i}.{name}"] = getattr(layer, "d" + name, None)  # None before the first backward
    return parameters, gradients


def parameter_arrays(model) -> list[np.ndarray]:
    """Every parameter array of ``model``, in layer order."""
    return list(parameter_dicts(model.layers)[0].values())


def same_parameters(a, b) -> bool:
    """Whether two models hold the same parameters, bit for bit."""
    ours, theirs = parameter_arrays(a), parameter_arrays(b)
    assert ours, "a model without parameters: nothing to compare"
    return len(ours) == len(theirs) and all(
        x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()
        for x, y in zip(ours, theirs, strict=True)
    )


def set_training(layers, training: bool) -> None:
    """Switch the layers with a training flag (Dropout) on or off, as fit does."""
    for layer in layers:
        if hasattr(layer, "training"):
            layer.training = training


def hand_step(model, X_batch: np.ndarray, y_batch: np.ndarray) -> np.ndarray:
    """One step of gradient descent through the public methods; returns the batch's predictions (before it)."""
    outputs = X_batch
    for layer in model.layers:
        outputs = layer.forward(outputs)
    dvalues = model.loss.backward(outputs, y_batch)
    for layer in reversed(model.layers):
        dvalues = layer.backward(dvalues)
    model.optimizer.step(*parameter_dicts(model.layers))
    return outputs


def hand_batches(k: int, batch_size: int, epochs: int, *, rng=None, shuffle: bool = True):
    """The row indices of each batch fit takes: per epoch ``generator.permutation(k)`` (or 0..k-1), in slices."""
    generator = np.random.default_rng(rng)
    for _ in range(epochs):
        order = generator.permutation(k) if shuffle else np.arange(k)
        for start in range(0, k, batch_size):
            yield order[start : start + batch_size]


def hand_fit(model, X, y, *, epochs: int = 1, batch_size: int = 32, rng=None, shuffle: bool = True):
    """``model.fit(X, y, ...)`` written by hand (no logs, no divergence check); returns the predictions."""
    predictions = []
    set_training(model.layers, True)
    try:
        for rows in hand_batches(len(X), batch_size, epochs, rng=rng, shuffle=shuffle):
            predictions.append(hand_step(model, X[rows], y[rows]).copy())
    finally:
        set_training(model.layers, False)
    return predictions


def state_by_name(state) -> dict:
    """An optimizer's state() whatever its keys: each state array's name -> its slots' arrays concatenated.

    fit may keep one slot for all the parameters, a hand loop keeps one per array; in layer order the two hold
    the same numbers. Step counts (ints) become the set of their values.
    """
    arrays, counts = {}, {}

    def walk(node):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value)
            elif isinstance(value, np.ndarray):
                arrays.setdefault(key, []).append(value.ravel())
            elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
                counts.setdefault(key, set()).add(int(value))

    walk(state)
    return {**{key: np.concatenate(parts) for key, parts in arrays.items()}, **counts}


def same_state(a: dict, b: dict) -> bool:
    """Whether two results of ``state_by_name`` hold the same numbers, bit for bit."""
    if a.keys() != b.keys():
        return False
    return all(
        x.tobytes() == y.tobytes() if isinstance(x, np.ndarray) else x == y for x, y in ((a[k], b[k]) for k in a)
    )


def raises(error, call, *texts):
    """``call()`` raises ``error`` whose message holds every one of ``texts``; return the message."""
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for text in texts:
        assert text in message, f"{text!r} not in {message!r}"
    return message
