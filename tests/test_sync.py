"""The committed package is exactly what the chapters produce."""

import os
import re
import subprocess
import sys

import tangle


def test_committed_package_matches_the_chapters():
    delta = tangle.diff()
    assert delta == "", tangle.sync_report() + "\n" + delta


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


# --- Out of sync: name the chapter line to edit, since `make tangle` overwrites nnbook/ ---

CHAPTER = """# One

Text.

```{.python title="nnbook/m.py"}
def f():
    return 1
```

```{.python title="nnbook/m.py"}
def g():
    return 2
```
"""


def book(tmp_path, chapter=CHAPTER):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nnav:\n  - one.md\n")
    (tmp_path / "docs" / "one.md").write_text(chapter)
    tangle.write(tmp_path)
    return tmp_path


def edit(path, old, new, mtime):
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, (mtime, mtime))


def test_a_hand_edit_of_the_package_names_the_chapter_line_to_edit_instead(tmp_path):
    root = book(tmp_path)
    os.utime(root / "docs" / "one.md", (1000, 1000))
    edit(root / "nnbook" / "m.py", "return 2", "return 3", 2000)  # saved after the chapter: by hand
    module_line = (root / "nnbook" / "m.py").read_text().splitlines().index("    return 3") + 1
    assert tangle.where_to_edit(root) == [
        f"nnbook/m.py:{module_line} was edited by hand; its source is docs/one.md:12 - "
        "make the edit there, then run make tangle"
    ]
    assert CHAPTER.splitlines()[12 - 1] == "    return 2"  # the line to edit, indeed
    report = tangle.sync_report(root)
    assert report.startswith(f"nnbook/m.py:{module_line} was edited by hand") and "overwrites" in report
    done = subprocess.run(
        [sys.executable, str(tangle.ROOT / "tools" / "tangle.py"), "--check", "--root", str(root)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "-    return 3\n+    return 2" in done.stdout
    assert done.stderr.strip() == report


def test_a_chapter_edited_after_the_last_tangle_asks_for_make_tangle(tmp_path):
    root = book(tmp_path)
    os.utime(root / "nnbook" / "m.py", (1000, 1000))
    edit(root / "docs" / "one.md", "return 1", "return 5", 2000)
    assert tangle.where_to_edit(root) == [
        "docs/one.md:7 changed after nnbook/m.py was tangled (see nnbook/m.py:8) - run make tangle"
    ]


def test_in_sync_there_is_nothing_to_report(tmp_path):
    assert tangle.sync_report(book(tmp_path)) == ""
    assert tangle.sync_report() == ""  # the book itself


def test_a_merge_conflict_in_the_package_points_at_the_chapters(tmp_path):
    root = book(tmp_path)
    module = root / "nnbook" / "m.py"
    text = module.read_text()
    module.write_text(
        text.replace("    return 2\n", "<<<<<<< HEAD\n    return 2\n=======\n    return 3\n>>>>>>> main\n")
    )
    line = module.read_text().splitlines().index("<<<<<<< HEAD") + 1
    assert tangle.where_to_edit(root) == [
        f"nnbook/m.py:{line} holds a merge conflict - resolve the chapters, then run make tangle"
    ]
