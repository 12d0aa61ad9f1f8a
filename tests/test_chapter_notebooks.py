"""Every chapter with code has a notebook in the built site, linked from its page, that runs.

tools/hooks.py writes ``<chapter>.ipynb`` beside each chapter's ``index.html``. Each notebook's code cells
must be the page's Python fences, in order (tests/test_copy_paste.py runs exactly that code, concatenated,
in a fresh process). A few notebooks are also executed for real with nbclient and the python3 kernel,
to prove that what a reader downloads opens and runs in Jupyter.
"""

from pathlib import Path

import nbformat
import pytest
import tangle
from chapter_notebook import CODE_SPAN, jupyter_blocks, jupyter_math, notebook_name, python_fences
from nbclient import NotebookClient

DOCS = tangle.ROOT / "docs"
CHAPTERS = [page for page in tangle.book_order() if python_fences(page.read_text(encoding="utf-8"))]
IDS = [page.relative_to(DOCS).as_posix() for page in CHAPTERS]
# Real notebook executions: cheap chapters that span Part I, Part II, the gradient check and Part III.
EXECUTED = [
    "concepts/neuron.md",
    "concepts/feed-forward.md",
    "implementation/gradcheck.md",
    "regularization/dropout.md",
]


def notebook_path(site: Path, page: Path) -> Path:
    rel = page.relative_to(DOCS)
    page_dir = site if rel.stem == "index" else site / rel.parent / rel.stem
    return page_dir / notebook_name(rel.as_posix())


def read_notebook(site: Path, page: Path) -> nbformat.NotebookNode:
    path = notebook_path(site, page)
    assert path.is_file(), f"no notebook for {page.relative_to(DOCS)} at {path.relative_to(site)}"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return notebook


def test_most_chapters_have_code():
    assert len(CHAPTERS) >= 15
    assert set(EXECUTED) <= set(IDS)


@pytest.mark.parametrize("page", CHAPTERS, ids=IDS)
def test_notebook_matches_the_page_and_is_linked(page, site_dir):
    notebook = read_notebook(site_dir, page)
    intro = notebook.cells[0]
    assert intro.cell_type == "markdown" and "generated from the chapter" in intro.source
    assert "pip install nnbook" in intro.source
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    fences = [text.rstrip("\n") for _, _, text in python_fences(page.read_text(encoding="utf-8"))]
    assert code == fences, "the notebook's code cells must be the page's Python fences, in order"
    # The prose survives, with Jupyter's math delimiters and no fence syntax of the book.
    prose = "\n".join(cell.source for cell in notebook.cells[1:] if cell.cell_type == "markdown")
    outside_code = CODE_SPAN.sub("", prose)
    assert "///" not in outside_code, "a collapsible solution's block markers leaked into the notebook"
    assert "{.python" not in outside_code and "\\(" not in outside_code and "\\[" not in outside_code
    html = (notebook_path(site_dir, page).parent / "index.html").read_text(encoding="utf-8")
    assert f'href="{notebook_path(site_dir, page).name}"' in html, "the page has no download button"


def test_math_and_code_spans_in_prose():
    assert jupyter_math(r"a \(k \times n\) matrix") == "a $k \\times n$ matrix"
    assert jupyter_math("\\[\nx^2\n\\]") == "$$x^2$$"
    assert jupyter_math(r"`\(` opens math") == r"`\(` opens math"


def test_collapsible_solutions_become_bold_titles():
    page = "Try it.\n\n/// details | Solution\n    type: success\n\nA zero weight.\n\n///\n\nNext.\n"
    assert jupyter_blocks(page) == "Try it.\n\n**Solution**\n\nA zero weight.\n\n\nNext.\n"


@pytest.mark.parametrize("chapter", EXECUTED)
def test_notebook_executes_in_jupyter(chapter, site_dir, tmp_path):
    notebook = read_notebook(site_dir, DOCS / chapter)
    client = NotebookClient(
        notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    outputs = [cell.outputs for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in notebook.cells if cell.cell_type == "code")
    assert any(outputs), "the chapter printed nothing: the notebook did not really run"


def test_a_chunk_that_is_a_fragment_is_shown_not_run():
    from chapter_notebook import chapter_notebook, is_fragment

    assert not is_fragment("a-g", {"notest"}, "def g(self):\n    return 2\n")  # a whole def runs
    assert not is_fragment(None, set(), "x = 1\n")  # an example
    assert is_fragment("dense-checks", {"notest"}, "n = check(n)\n")  # lines of a body
    assert is_fragment("dense-options+", {"notest"}, "dtype: type = float,\n")  # a parameter
    assert is_fragment("types+", {"notest"}, '"b": 2,\n')  # a dict entry: not even Python alone
    page = '```{.python}\nx = 1\n```\n\n```{.python #grow+ notest title="A.f"}\nx = check(x)\n```\n'
    assert [code for _, _, code in python_fences(page)] == ["x = 1\n"]
    cells = chapter_notebook(page, title="T", source="t.md").cells
    assert [cell.cell_type for cell in cells] == ["markdown", "code", "markdown", "markdown"]
    assert cells[-1].source == "```python\nx = check(x)\n```"
