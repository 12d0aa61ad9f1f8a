"""The default initialization (issue 20): Dense starts from Glorot's, the convolutions from He's, as the book says."""

import inspect
import re
from pathlib import Path

import numpy as np

import nnbook as nb

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_dense_defaults_to_the_init_the_layer_chapter_names():
    default = inspect.signature(nb.Dense).parameters["init"].default
    page = (DOCS / "concepts" / "layer.md").read_text(encoding="utf-8")
    named = re.findall(r'- `"(\w+)"`[^:]*, the default', page)
    assert named == [default] == ["glorot"]
    assert f'Callable = "{default}"' in page  # the class on the page is the package's


def test_dense_default_weights_have_glorots_variance():
    n, m = 400, 600
    default = nb.Dense(n, m, rng=0).weights
    assert np.array_equal(default, nb.Dense(n, m, rng=0, init="glorot").weights)
    assert abs(default.var() / (2 / (n + m)) - 1) < 0.02
    he = nb.Dense(n, m, rng=0, init="he").weights  # still there by name, with He's variance
    assert abs(he.var() / (2 / n) - 1) < 0.02


def test_convolutions_keep_hes_variance():
    conv = nb.Conv1D(8, 400, 5, rng=0)  # fan-in K * c_in = 40
    assert abs(conv.weights.var() / (2 / 40) - 1) < 0.05
