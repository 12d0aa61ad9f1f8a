"""The committed package is exactly what the chapters produce."""

import tangle


def test_committed_package_matches_the_chapters():
    delta = tangle.diff()
    assert delta == "", "nnbook/ differs from the chapters; run `make tangle` and commit both:\n" + delta


def test_every_generated_module_names_its_chapters():
    for rel, text in tangle.tangle().items():
        assert text.startswith(tangle.HEADER_MARK), rel
        assert "docs/" in text.split("\n\n", 1)[0], rel
