"""The tangler: chunk expansion, indentation, ordering, headers and errors."""

import textwrap
from pathlib import Path

import pytest
import tangle


def make_book(tmp_path: Path, chapters: dict[str, str]) -> Path:
    """A tiny book: mkdocs.yml whose nav lists *chapters* in the given order."""
    (tmp_path / "docs").mkdir()
    nav = "\n".join(f"  - {name}" for name in chapters)
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nnav:\n{nav}\n")
    for name, text in chapters.items():
        (tmp_path / "docs" / name).write_text(textwrap.dedent(text))
    return tmp_path


FILE_BLOCK = """\
    # One

    ```{.python title="nnbook/m.py"}
    class A:
        def f(self):
            return 1

        # <<a-g>>
    ```
    """

CHUNK_BLOCK = """\
    # Two

    ```{.python #a-g notest title="A.g"}
    def g(self):
        if True:
            return 2
    ```
    """


def test_chunk_lands_inside_the_class_with_its_indentation(tmp_path):
    root = make_book(tmp_path, {"one.md": FILE_BLOCK, "two.md": CHUNK_BLOCK})
    text = tangle.tangle(root)["nnbook/m.py"]
    assert "    def g(self):\n        if True:\n            return 2\n" in text
    namespace: dict = {}
    exec(text, namespace)
    assert namespace["A"]().g() == 2


def test_header_names_every_source_chapter_in_book_order(tmp_path):
    root = make_book(tmp_path, {"one.md": FILE_BLOCK, "two.md": CHUNK_BLOCK})
    text = tangle.tangle(root)["nnbook/m.py"]
    assert text.startswith(tangle.HEADER_MARK)
    assert text.index("docs/one.md") < text.index("docs/two.md")


def test_blocks_are_appended_in_nav_order_not_file_name_order(tmp_path):
    late = '```{.python title="nnbook/m.py"}\nB = 2\n```\n'
    early = '```{.python title="nnbook/m.py"}\nA = 1\n```\n'
    root = make_book(tmp_path, {"z.md": early, "a.md": late})
    text = tangle.tangle(root)["nnbook/m.py"]
    assert text.index("A = 1") < text.index("B = 2")
    assert "A = 1\n\n\nB = 2\n" in text


def test_output_is_deterministic(tmp_path):
    root = make_book(tmp_path, {"one.md": FILE_BLOCK, "two.md": CHUNK_BLOCK})
    assert tangle.tangle(root) == tangle.tangle(root)


def test_examples_without_title_or_id_are_not_tangled(tmp_path):
    root = make_book(tmp_path, {"one.md": "```python\nx = 1\n```\n\n```{.python continuation}\ny = 2\n```\n"})
    assert tangle.tangle(root) == {}


def test_nested_chunks_expand_recursively(tmp_path):
    chapter = (
        '```{.python title="nnbook/m.py"}\ndef f():\n    # <<outer>>\n```\n\n'
        "```{.python #outer}\nif True:\n    # <<inner>>\n```\n\n"
        "```{.python #inner}\nreturn 3\n```\n"
    )
    root = make_book(tmp_path, {"one.md": chapter})
    namespace: dict = {}
    exec(tangle.tangle(root)["nnbook/m.py"], namespace)
    assert namespace["f"]() == 3


@pytest.mark.parametrize(
    "chapter, message",
    [
        ('```{.python title="nnbook/m.py"}\nx = 1\n# <<nope>>\n```\n', "docs/one.md:3: undefined chunk <<nope>>"),
        (
            '```{.python title="nnbook/m.py"}\nx = 1\n```\n\n```{.python #spare}\ny = 1\n```\n',
            "docs/one.md:5: unused chunk <<spare>>",
        ),
        (
            '```{.python title="nnbook/m.py"}\n# <<a>>\n```\n\n```{.python #a}\n1\n```\n\n```{.python #a}\n2\n```\n',
            "docs/one.md:9: duplicate chunk <<a>> (first defined at docs/one.md:5)",
        ),
        (
            '```{.python title="nnbook/m.py"}\n# <<a>>\n```\n\n```{.python #a}\n# <<b>>\n```\n\n```{.python #b}\n# <<a>>\n```\n',
            "chunk cycle: a -> b -> a",
        ),
        ('```{.python title="nnbook/notes.txt"}\nx\n```\n', "docs/one.md:1: file block title must name a .py file"),
    ],
)
def test_errors_name_file_and_line(tmp_path, chapter, message):
    root = make_book(tmp_path, {"one.md": chapter})
    with pytest.raises(tangle.TangleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tangle.tangle(root)


def test_write_then_check_and_stale_files(tmp_path):
    root = make_book(tmp_path, {"one.md": '```{.python title="nnbook/m.py"}\nx = 1\n```\n'})
    assert tangle.write(root) == ["nnbook/m.py"]
    assert tangle.write(root) == []  # nothing rewritten when nothing changed
    assert tangle.diff(root) == ""
    (root / "docs" / "one.md").write_text('```{.python title="nnbook/m.py"}\nx = 2\n```\n')
    assert "-x = 1\n+x = 2" in tangle.diff(root)
    (root / "docs" / "one.md").write_text('```{.python title="nnbook/n.py"}\nx = 2\n```\n')
    assert "stale generated file" in tangle.diff(root)
    tangle.write(root)
    assert not (root / "nnbook" / "m.py").exists()
