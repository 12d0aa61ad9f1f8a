"""A reader who copies every Python block of a page, in order, into one session runs it without error.

For each page in mkdocs.yml's nav order, ALL Python fences (examples, file blocks and the ``notest`` chunk
fragments alike) are concatenated and run in a fresh ``python`` process in an empty temporary directory, so only
the installed package and the page itself are available. The one exception is a page about the repository
itself (the benchmark results): it gets the repository files it reads, as a reader in a clone has them.
"""

import shutil
import subprocess
import sys

import pytest
import tangle
from execute import REPOSITORY_FILES  # the pages that read repository files, as the build runs them
from markdown_it import MarkdownIt

PAGES = tangle.book_order()


def python_fences(page):
    blocks = []
    for token in MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8")):
        if token.type == "fence" and tangle.parse_info(token.info)[0] in tangle.PYTHON_LANGS:
            blocks.append((token.map[0] + 1, token.content))
    return blocks


def test_the_book_has_pages_with_code():
    assert sum(len(python_fences(page)) for page in PAGES) > 20


@pytest.mark.parametrize("page", PAGES, ids=[page.relative_to(tangle.ROOT / "docs").as_posix() for page in PAGES])
def test_every_block_of_the_page_runs_in_order(page, tmp_path):
    blocks = python_fences(page)
    if not blocks:
        pytest.skip("no Python code on this page")
    script = "\n\n".join(f"# --- {page.name}:{line}\n{code}" for line, code in blocks)
    (tmp_path / "page.py").write_text(script, encoding="utf-8")
    for rel in REPOSITORY_FILES.get(page.name, []):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(tangle.ROOT / rel, tmp_path / rel)
    result = subprocess.run([sys.executable, "page.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{page}: the concatenated blocks fail:\n{result.stderr}"
