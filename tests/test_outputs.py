"""Pages show their work: under every block that prints, the built page shows that block's output.

Each page's blocks are run again here, in a separate process (``python tools/execute.py PAGE``), and what
each block printed is compared with the Output panel the built site shows right after that very block.
So the panels cannot be typed by hand, cannot drift from the code, and cannot sit under the wrong block.
The figures are counted: every chapter has at least one, drawn by its own code.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys

import pytest
import tangle
from bs4 import BeautifulSoup
from chapter_notebook import python_fences

ROOT = tangle.ROOT
PAGES = [page for page in tangle.book_order() if python_fences(page.read_text(encoding="utf-8"))]
# The chapters: every page of a "Part ..." section of the nav.
# The one thing that differs between two runs of a page: the names of the temporary folders it makes.
TEMPORARY = re.compile(r"/tmp/[\w.-]+")
CHAPTER_DIRS = {"concepts", "implementation", "classification", "regularization", "convolution"}
CHAPTERS = [page for page in tangle.book_order() if page.parent.name in CHAPTER_DIRS]


def built_page(site_dir, page):
    rel = page.relative_to(ROOT / "docs").with_suffix("")
    index = site_dir / ("index.html" if rel.name == "index" else rel / "index.html")
    return BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")


def page_id(page):
    return page.relative_to(ROOT / "docs").as_posix()


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_block_that_prints_shows_its_output_under_it(page, site_dir):
    source = page.relative_to(ROOT).as_posix()
    run = subprocess.run(
        [sys.executable, "tools/execute.py", source], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    printed = {block["line"]: block["output"] for block in json.loads(run.stdout)}
    code = {start + 1: text for start, _, text in python_fences(page.read_text(encoding="utf-8"))}
    soup = built_page(site_dir, page)
    panels = {panel["data-source"]: panel for panel in soup.select("div.nb-output")}
    for line, output in printed.items():
        key = f"{source}:{line}"
        if not output:
            assert key not in panels, f"{key} prints nothing but the page shows an Output panel"
            continue
        assert key in panels, f"{key} prints {output[:80]!r}, but the built page shows no output under it"
        shown = html.unescape(panels[key].select_one("pre.nb-output__text").get_text())
        same = TEMPORARY.sub("/tmp/…", shown) == TEMPORARY.sub("/tmp/…", output.rstrip("\n"))
        assert same, f"{key}: the page shows another output than the block prints"
        # Right under its own block: the element before the panel is the code block holding that code.
        block = panels[key].find_previous_sibling()
        assert block is not None and "highlight" in (block.get("class") or []), f"{key}: no code block above"
        assert block.get_text().strip() == code[line].strip(), f"{key}: the panel is not under its block"
    assert not set(panels) - {f"{source}:{line}" for line in printed}, "a panel names a block that does not exist"


def test_a_panel_is_no_code_to_copy(site_dir):
    soup = built_page(site_dir, ROOT / "docs/concepts/neuron.md")
    panel = soup.select_one("div.nb-output")
    assert panel.select_one(".nb-output__label").get_text() == "Output"
    # Material puts its copy button on code blocks (pre > code); the panel holds a bare <pre>.
    assert panel.select("code") == []
