"""A reader who copies every block of a page runs it, and sees under each block what the page shows.

For each page in mkdocs.yml's nav order, ALL Python fences (examples, file blocks and the ``notest`` chunk
fragments alike) are concatenated and run in a fresh ``python`` process in an empty temporary directory, so only
the installed package and the page itself are available. The one exception is a page about the repository
itself (the benchmark results): it gets the repository files it reads, as a reader in a clone has them.

The same run proves that pages show their work: a marker line printed between the blocks splits what the script
prints into each block's output, which must be exactly the Output panel that the built site shows right under
that very block (tools/execute.py renders it at build time). So the panels cannot be typed by hand, cannot drift
from the code, and cannot sit under the wrong block.
"""

import html
import os
import re
import shutil
import subprocess
import sys

import pytest
import tangle
from bs4 import BeautifulSoup
from chapter_notebook import python_fences
from execute import REPOSITORY_FILES  # the pages that read repository files, as the build runs them

ROOT = tangle.ROOT
PAGES = tangle.book_order()
# The chapters: every page of a "Part ..." section of the nav.
CHAPTER_DIRS = {"concepts", "implementation", "classification", "regularization", "convolution"}
CHAPTERS = [page for page in PAGES if page.parent.name in CHAPTER_DIRS]
MARKER = "\n\x1enbbook-block {}\x1e"
SPLIT = re.compile("\n\x1enbbook-block (\\d+)\x1e")
# The one thing that differs between two runs of a page: the names of the temporary folders it makes.
TEMPORARY = re.compile(r"/tmp/[\w.-]+")


def page_id(page):
    return page.relative_to(ROOT / "docs").as_posix()


def built_page(site_dir, page):
    rel = page.relative_to(ROOT / "docs").with_suffix("")
    index = site_dir / ("index.html" if rel.name == "index" else rel / "index.html")
    return BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")


def run_as_a_reader(page, folder):
    """Run the page's blocks as one script; what each block printed (stdout and stderr), by its first line."""
    blocks = [(start + 1, code) for start, _, code in python_fences(page.read_text(encoding="utf-8"))]
    parts = []
    for line, code in blocks:
        parts.append(f"print({MARKER.format(line)!r}, flush=True)\n# --- {page.name}:{line}\n{code}")
    (folder / "page.py").write_text("\n\n".join(parts), encoding="utf-8")
    for rel in REPOSITORY_FILES.get(page.name, []):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, folder / rel)
    result = subprocess.run(
        [sys.executable, "-u", "page.py"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, f"{page}: the concatenated blocks fail:\n{result.stdout[-3000:]}"
    pieces = SPLIT.split("\n" + result.stdout)
    return {int(line): text.strip("\n") for line, text in zip(pieces[1::2], pieces[2::2], strict=True)}


def test_the_book_has_pages_with_code():
    assert sum(len(python_fences(page.read_text(encoding="utf-8"))) for page in PAGES) > 20


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_block_of_the_page_runs_in_order_and_shows_its_output(page, tmp_path, site_dir):
    if not python_fences(page.read_text(encoding="utf-8")):
        pytest.skip("no Python code on this page")
    printed = run_as_a_reader(page, tmp_path)
    source = page.relative_to(ROOT).as_posix()
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
        same = TEMPORARY.sub("/tmp/…", shown) == TEMPORARY.sub("/tmp/…", output)
        assert same, f"{key}: the page shows another output than the block prints"
        # Right under its own block: the element before the panel is the code block holding that code.
        block = panels[key].find_previous_sibling()
        assert block is not None and "highlight" in (block.get("class") or []), f"{key}: no code block above"
        assert block.get_text().strip() == code[line].strip(), f"{key}: the panel is not under its block"
    assert not set(panels) - {f"{source}:{line}" for line in printed}, "a panel names a block that does not exist"


def test_a_panel_is_no_code_to_copy(site_dir):
    panel = built_page(site_dir, ROOT / "docs/concepts/neuron.md").select_one("div.nb-output")
    assert panel.select_one(".nb-output__label").get_text() == "Output"
    # Material puts its copy button on code blocks (pre > code); the panel holds a bare <pre>.
    assert panel.select("code") == []


@pytest.mark.parametrize("page", CHAPTERS, ids=page_id)
def test_every_chapter_draws_a_figure_with_its_own_code(page, site_dir):
    figures = built_page(site_dir, page).select("figure.nb-figure img")
    assert figures, f"{page_id(page)} shows no figure drawn by its code"
    for image in figures:
        assert image["src"].startswith("data:image/svg+xml;base64,")
        assert image["alt"] != "figure", f"{page_id(page)}: a figure without a title"


def test_parts_one_to_three_hold_at_least_twelve_figures(site_dir):
    first_three = [page for page in CHAPTERS if page.parent.name != "convolution"]
    figure = re.compile(r'<figure class="nb-figure"')  # the pages are large: count, don't parse
    count = 0
    for page in first_three:
        index = site_dir / page.relative_to(ROOT / "docs").with_suffix("") / "index.html"
        count += len(figure.findall(index.read_text(encoding="utf-8")))
    assert count >= 12, f"Parts I-III show {count} figures"
