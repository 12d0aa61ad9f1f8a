"""The tangler: chunk expansion, indentation, ordering, headers and errors."""

import re
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
    assert "A = 1\n\n\n# docs/a.md:1\nB = 2\n" in text


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
    ("chapter", "message"),
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
        # A title that climbs out of the package would write outside it.
        (
            'text\n\n```{.python title="nnbook/../x.py"}\nx = 1\n```\n',
            "docs/one.md:3: file block title must name a .py file inside nnbook/",
        ),
        (
            '```{.python title="nnbook/sub dir/x.py"}\nx = 1\n```\n',
            "docs/one.md:1: file block title must name a .py file inside nnbook/",
        ),
        # Material's plain form: rendered with a filename bar, but not what the tests read as package code.
        ('# One\n\n```python title="nnbook/x.py"\nx = 1\n```\n', "docs/one.md:3: Material's plain info string"),
        ('```python title="nnbook/x.py"\nx = 1\n```\n', r"brace form ```{.python title=\"nnbook/x.py\"}```"),
        # Package code in an admonition is an indented code block to CommonMark: it used to vanish.
        (
            '# One\n\n!!! note\n\n    ```{.python title="nnbook/x.py"}\n    x = 1\n    ```\n',
            "docs/one.md:5: package code inside an indented container",
        ),
        ("- item\n\n  ```{.python #chunk}\n  x = 1\n  ```\n", "docs/one.md:3: package code inside a container"),
        ('> ```{.python title="nnbook/x.py"}\n> x = 1\n> ```\n', "docs/one.md:1: package code inside a container"),
        (
            '```{.python title="nnbook/m.py"}\nx = 1\n__all__ = ["x"]\n```\n',
            "docs/one.md:3: __all__ is generated by the tangler",
        ),
        ('```{.python title="nnbook/m.py"}\nx = 1\ndef f(:\n```\n', "docs/one.md:3: nnbook/m.py does not parse"),
    ],
)
def test_errors_name_file_and_line(tmp_path, chapter, message):
    root = make_book(tmp_path, {"one.md": chapter})
    with pytest.raises(tangle.TangleError, match=re.escape(message) if "\\" not in message else message):
        tangle.tangle(root)


def test_examples_in_containers_and_fences_quoting_the_syntax_are_left_alone(tmp_path):
    # An example (no title, no id) in an admonition is not package code; nor is a fence shown inside a fence.
    chapter = (
        "!!! tip\n\n    ```python\n    x = 1\n    ```\n\n"
        '````markdown\n```{.python title="nnbook/x.py"}\nx = 1\n```\n````\n\n'
        '```{.python title="Example"}\nprint(1)\n```\n'
    )
    root = make_book(tmp_path, {"one.md": chapter})
    assert tangle.tangle(root) == {}


def test_missing_nav_file_is_an_error_naming_the_nav_line(tmp_path):
    root = make_book(tmp_path, {"one.md": '```{.python title="nnbook/m.py"}\nx = 1\n```\n'})
    (root / "mkdocs.yml").write_text("site_name: t\nnav:\n  - one.md\n  - Part:\n      - gone.md\n")
    with pytest.raises(
        tangle.TangleError, match=r"mkdocs\.yml:5: nav entry 'gone\.md' names a missing file docs/gone\.md"
    ):
        tangle.tangle(root)
    assert tangle.main(["--root", str(root), "--check"]) == 2  # an error message, not a traceback


def test_chunk_used_by_two_files_names_its_chapter_in_both_headers(tmp_path):
    one = '```{.python title="nnbook/a.py"}\n# <<shared>>\n```\n\n```{.python title="nnbook/b.py"}\n# <<shared>>\n```\n'
    two = "```{.python #shared}\nX = 1\n```\n"
    root = make_book(tmp_path, {"one.md": one, "two.md": two})
    result = tangle.tangle(root)
    for path in ("nnbook/a.py", "nnbook/b.py"):
        head = result[path].split("\n\n", 1)[0]
        assert "docs/one.md" in head and "docs/two.md" in head, (path, head)


def test_each_block_and_chunk_is_marked_with_its_chapter_line(tmp_path):
    root = make_book(tmp_path, {"one.md": FILE_BLOCK, "two.md": CHUNK_BLOCK})
    text = tangle.tangle(root)["nnbook/m.py"]
    # FILE_BLOCK's fence is line 3 of one.md; CHUNK_BLOCK's is line 3 of two.md.
    assert "\n# docs/one.md:3\nclass A:\n" in text
    assert "\n    # docs/two.md:3\n    def g(self):\n" in text


def test_lines_after_a_chunk_get_a_marker_of_their_own(tmp_path):
    chapter = (
        '```{.python title="nnbook/m.py"}\n'  # line 1
        "class A:\n"  # 2
        "    # <<a-f>>\n"  # 3
        "\n"  # 4
        "    def h(self):\n"  # 5
        "        return 5\n"  # 6
        "```\n\n"
        "```{.python #a-f}\ndef f(self):\n    return 1\n```\n"  # fence at line 9
    )
    root = make_book(tmp_path, {"one.md": chapter})
    text = tangle.tangle(root)["nnbook/m.py"]
    body = text.split("# Edit the chapters, then run `make tangle`.\n\n", 1)[1]
    assert body.startswith(
        "# docs/one.md:1\nclass A:\n"
        "    # docs/one.md:9\n    def f(self):\n        return 1\n"
        "\n    # docs/one.md:4\n    def h(self):\n"
    )
    namespace: dict = {}
    exec(text, namespace)
    assert namespace["A"]().f() == 1 and namespace["A"]().h() == 5


def test_all_lists_the_public_names_and_the_package_exports(tmp_path):
    module = (
        '```{.python title="nnbook/m.py"}\n'
        "import numpy as np\n\nLIMIT = 3\n_hidden = 1\n\n\n"
        "def b_function():\n    pass\n\n\nclass Zeta:\n    pass\n\n\ndef _private():\n    pass\n```\n"
    )
    init = (
        '```{.python title="nnbook/__init__.py"}\n'
        '"""Pkg."""\n\n__version__ = "1"\n\nfrom nnbook.m import Zeta, b_function\nfrom nnbook import m\n```\n'
    )
    root = make_book(tmp_path, {"one.md": module, "two.md": init})
    result = tangle.tangle(root)
    assert result["nnbook/m.py"].endswith('__all__ = [\n    "LIMIT",\n    "Zeta",\n    "b_function",\n]\n')
    assert result["nnbook/__init__.py"].endswith('__all__ = [\n    "Zeta",\n    "b_function",\n    "m",\n]\n')


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


REGISTRY = {
    "one.md": """\
    ```{.python title="nnbook/m.py"}
    TYPES = {
        "a": 1,
        # <<types>>
    }
    ```
    """,
    "two.md": """\
    ```{.python #types+ notest}
    "b": 2,
    ```
    """,
    "three.md": """\
    ```{.python #types+ notest}
    "c": 3,
    ```
    """,
}


def test_additions_grow_a_chunk_in_book_order(tmp_path):
    root = make_book(tmp_path, REGISTRY)
    namespace: dict = {}
    text = tangle.tangle(root)["nnbook/m.py"]
    exec(text, namespace)
    assert list(namespace["TYPES"]) == ["a", "b", "c"]
    assert "docs/two.md" in text
    assert "docs/three.md" in text


def test_a_definition_comes_before_its_additions(tmp_path):
    chapters = {
        "one.md": '```{.python title="nnbook/m.py"}\nX = []\n# <<grow>>\n```\n',
        "two.md": "```{.python #grow+}\nX.append(2)\n```\n",
        "three.md": "```{.python #grow}\nX.append(1)\n```\n",
    }
    namespace: dict = {}
    exec(tangle.tangle(make_book(tmp_path, chapters))["nnbook/m.py"], namespace)
    assert namespace["X"] == [1, 2]


def test_a_prefix_of_the_book_leaves_later_placeholders_as_comments(tmp_path):
    (tmp_path / "whole").mkdir()
    root = make_book(tmp_path / "whole", REGISTRY)
    (tmp_path / "first").mkdir()
    with pytest.raises(tangle.TangleError, match="undefined chunk"):
        tangle.tangle(make_book(tmp_path / "first", {"one.md": REGISTRY["one.md"]}))
    for upto, keys in [(1, ["a"]), (2, ["a", "b"]), (3, ["a", "b", "c"])]:
        text = tangle.tangle(root, upto=upto)["nnbook/m.py"]
        namespace: dict = {}
        exec(text, namespace)
        assert list(namespace["TYPES"]) == keys
    assert "# <<types>>" in tangle.tangle(root, upto=1)["nnbook/m.py"]


def test_upto_writes_the_prefix_elsewhere(tmp_path):
    (tmp_path / "book").mkdir()
    root = make_book(tmp_path / "book", REGISTRY)
    out = tmp_path / "out"
    argv = ["--root", str(root), "--upto", "docs/two.md", "--out", str(out)]
    assert tangle.main(argv) == 0
    assert '"b": 2' in (out / "nnbook" / "m.py").read_text()
    assert not (root / "nnbook").exists()
    assert tangle.main([*argv[:3], "docs/nope.md", "--out", str(out)]) == 2


def test_methods_added_to_one_class_are_a_blank_line_apart(tmp_path):
    chapters = {
        "one.md": '```{.python title="nnbook/m.py"}\nclass A:\n    x = 1\n\n    # <<a-methods>>\n```\n',
        "two.md": "```{.python #a-methods+ notest}\ndef f(self):\n    return 1\n```\n",
        "three.md": "```{.python #a-methods+ notest}\ndef g(self):\n    return 2\n```\n",
    }
    text = tangle.tangle(make_book(tmp_path, chapters))["nnbook/m.py"]
    assert "        return 1\n\n    # docs/three.md:1\n    def g(self):" in text
    namespace: dict = {}
    exec(text, namespace)
    assert (namespace["A"]().f(), namespace["A"]().g()) == (1, 2)


def test_an_import_and_a_marker_below_it_are_a_blank_line_apart(tmp_path):
    # ruff format wants the blank line; imports that grow chapter by chapter put markers below imports.
    chapters = {
        "one.md": '```{.python title="nnbook/m.py"}\nimport math\n\n# <<m-imports>>\nimport os\n```\n',
        "two.md": "```{.python #m-imports+ notest}\nimport json\n```\n",
    }
    text = tangle.tangle(make_book(tmp_path, chapters))["nnbook/m.py"]
    assert "import json\n\n# docs/one.md:4\nimport os\n" in text
