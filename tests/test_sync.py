"""The committed package is exactly what the chapters produce."""

import re

import tangle


def test_committed_package_matches_the_chapters():
    delta = tangle.diff()
    assert delta == "", "nnbook/ differs from the chapters; run `make tangle` and commit both:\n" + delta


def test_every_generated_module_names_its_chapters():
    for rel, text in tangle.tangle().items():
        assert text.startswith(tangle.HEADER_MARK), rel
        assert "docs/" in text.split("\n\n", 1)[0], rel


MARKER = re.compile(r"[ \t]*# (?P<chapter>docs/\S+\.md):(?P<line>\d+)")


def test_every_marker_points_at_the_chapter_lines_that_follow_it():
    # A reader goes from a line of nnbook/ to its chapter in one step: the line after a marker
    # `# docs/x.md:N` is line N+1 of that chapter (the tangler only adds indentation), and so on.
    checked = 0
    for rel, text in tangle.tangle().items():
        chapter_lines: list[str] = []
        start = 0
        for number, line in enumerate(text.splitlines(), 1):
            match = MARKER.fullmatch(line)
            if match:
                chapter_lines = (tangle.ROOT / match["chapter"]).read_text(encoding="utf-8").splitlines()
                start = int(match["line"]) - number
                continue
            if line == tangle.ALL_MARK:
                break
            if not line.strip() or not chapter_lines:
                continue
            source = chapter_lines[start + number - 1]
            assert source.strip() and line.endswith(source) and not line[: -len(source)].strip(), (
                f"{rel}:{number}: {line!r} != {source!r}"
            )
            checked += 1
    assert checked > 1000


def test_all_names_what_the_package_exports():
    import nnbook

    assert nnbook.__all__ and all(hasattr(nnbook, name) for name in nnbook.__all__)
    assert {"Dense", "Model", "SGD"} <= set(nnbook.__all__)


def test_the_package_directory_holds_only_generated_modules_and_py_typed():
    wanted = set(tangle.tangle()) | {"nnbook/py.typed"}
    present = {
        p.relative_to(tangle.ROOT).as_posix()
        for p in (tangle.ROOT / "nnbook").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert present == wanted
