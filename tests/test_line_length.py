"""Code fits the page: no line of the book's code is longer than the content column shows.

At a 1280-px window the column shows about 83 characters of code; the book keeps its code lines within
79 (PEP 8's limit, near d2l's 78), so that no reader scrolls a code block sideways. This covers every
fence of every page (file blocks too, so the tangled package obeys the same limit) and the code cells of
the example notebooks. tests/test_browser.py checks the result in a real browser.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest
from chapter_notebook import python_fences
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 79
# The example notebooks hide their prompts (docs/assets/book.css), and a code cell then shows 75 characters.
NOTEBOOK_LIMIT = 75
PAGES = sorted((ROOT / "docs").rglob("*.md"))
NOTEBOOKS = sorted((ROOT / "docs" / "examples").glob("*.py"))


def fences(markdown):
    """Every fence of a page, in any language, as (first line, code)."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [(t.map[0] + 1, t.content) for t in tokens if t.type == "fence" and t.map]


def long_lines(code, first_line, limit=LIMIT):
    return [
        f"line {first_line + i} ({len(line)} chars): {line.strip()[:60]}"
        for i, line in enumerate(code.splitlines())
        if len(line) > limit
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_code_lines_of_a_page_fit_the_column(page):
    found = []
    for start, code in fences(page.read_text(encoding="utf-8")):
        found += long_lines(code, start + 1)
    assert not found, f"{page.name}: code lines over {LIMIT} characters:\n" + "\n".join(found)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_of_an_example_fit_the_column(notebook):
    cells = jupytext.read(notebook).cells
    found = []
    for number, cell in enumerate(cells):
        if cell.cell_type == "code":
            found += [f"cell {number}: {line}" for line in long_lines(cell.source, 1, NOTEBOOK_LIMIT)]
    assert not found, f"{notebook.name}: code lines over {NOTEBOOK_LIMIT} characters:\n" + "\n".join(found)


def test_the_check_sees_the_book():
    # python_fences is what the tangler and the build run; the check here reads at least all of those.
    total = sum(len(python_fences(p.read_text(encoding="utf-8"))) for p in PAGES)
    assert sum(len(fences(p.read_text(encoding="utf-8"))) for p in PAGES) >= total > 100
