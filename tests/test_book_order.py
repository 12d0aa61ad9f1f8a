"""Book order is dependency order: every prefix of the book is a library.

A chapter's package code uses only what it and the chapters before it
define.  Two checks: no import in the tangled package names a later
chapter's definition (each one is listed with its chapter line), and the
book tangled only up to chapter N imports and works (a layer computes, and
once the book has a training loop, a small network trains), for every N
that writes code.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import book_order
import tangle

ROOT = Path(__file__).resolve().parent.parent


def test_no_chapter_imports_what_a_later_chapter_defines():
    found = book_order.forward_references(ROOT)
    assert not found, "\n".join(map(str, found))


def chapters_with_code() -> list[int]:
    """1-based counts of the chapters after which the package changes."""
    chapters = tangle.book_order(ROOT)
    return [i + 1 for i, path in enumerate(chapters) if tangle.read_blocks(path, ROOT)]


IMPORT_EACH = textwrap.dedent(
    """
    import contextlib, importlib, io, sys, traceback
    import numpy as np

    def use(nb):
        # What the book so far promises: a layer, then a network that trains.
        X = np.linspace(-1.0, 1.0, 8).reshape(8, 1)
        y = np.sin(3.0 * X)
        if hasattr(nb, "Dense"):
            assert nb.Dense(1, 4, rng=0).forward(X).shape == (8, 4)
        parts = ("Model", "ReLU", "MeanSquaredError", "SGD")
        if all(hasattr(nb, part) for part in parts) and hasattr(nb.Model, "fit"):
            layers = [nb.Dense(1, 8, rng=0), nb.ReLU(), nb.Dense(8, 1, rng=1)]
            model = nb.Model(
                layers, loss=nb.MeanSquaredError(), optimizer=nb.SGD(0.05)
            )
            with contextlib.redirect_stdout(io.StringIO()):
                model.fit(X, y, epochs=20, batch_size=4)
            assert model.forward(X).shape == (8, 1)

    # An editable install finds nnbook.x by name, wherever nnbook came from:
    # drop its finder, so that a prefix misses what a later chapter writes.
    sys.meta_path = [
        finder for finder in sys.meta_path
        if not getattr(finder, "__module__", "").startswith("__editable__")
    ]
    failed = []
    for folder, chapter in zip(sys.argv[1::2], sys.argv[2::2]):
        for name in [n for n in sys.modules if n.split(".")[0] == "nnbook"]:
            del sys.modules[name]
        sys.path.insert(0, folder)
        try:
            nb = importlib.import_module("nnbook")
            assert nb.__file__.startswith(folder)
            use(nb)
        except Exception:
            last = traceback.format_exc().strip().splitlines()[-1]
            failed.append(f"the book up to {chapter}: {last}")
        sys.path.remove(folder)
    print("\\n".join(failed))
    sys.exit(1 if failed else 0)
    """
)


def test_the_book_up_to_any_chapter_is_a_working_library(tmp_path):
    chapters = tangle.book_order(ROOT)
    argv = []
    for upto in chapters_with_code():
        folder = tmp_path / f"upto-{upto:02d}"
        tangle.write(folder, tangle.tangle(ROOT, upto=upto))
        argv += [str(folder), chapters[upto - 1].relative_to(ROOT).as_posix()]
    assert len(argv) > 20  # most chapters write package code
    run = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_first_dense_is_the_idea():
    # The first file block of the layer chapter that defines Dense shows the formula; the starting weights
    # come from initial_weights, the checks join at the boundary of Part V. Placeholders count: they are on the page.
    chapter = ROOT / "docs" / "concepts" / "layer.md"
    blocks = [block for block in tangle.read_blocks(chapter, ROOT) if block.chunk is None]
    first = next(block for block in blocks if "\nclass Dense" in "\n" + block.code)
    assert first.title == "nnbook/layers.py"
    lines = [line for line in first.code.splitlines() if line.strip()]
    assert len(lines) <= 15, f"{first.where}: the first Dense has {len(lines)} non-blank lines, at most 15"
    for formula in ("inputs @ self.weights + self.biases", "initial_weights(", "self.inputs = inputs"):
        assert formula in first.code, f"{first.where}: the first Dense lacks {formula!r}"
