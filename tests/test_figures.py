"""Pictures of the ideas, and plotting code folded under its figure.

A fence marked ``{.python continuation plot}`` draws a figure: the built page shows the figure, then the code
in a collapsed "Plotting code" block. ``{.python continuation diagram}`` is a plot block whose figure is a
concept diagram, inlined as SVG in the theme's colors (tools/execute.py). The site tests read the built site
(``make build``); the others run tools/execute.py on small pages.
"""

import functools
import re

import pytest
import tangle
from bs4 import BeautifulSoup
from chapter_notebook import python_fences
from execute import DIAGRAM, PLOT, PageError, fence_kinds, inline_diagram, run_page

ROOT = tangle.ROOT
DOCS = ROOT / "docs"
CHAPTER_DIRS = ("concepts", "implementation", "classification", "regularization", "convolution")
# The pages that must show a concept diagram (issue 20, item 3).
DIAGRAM_PAGES = [
    "concepts/neuron",
    "concepts/layer",
    "concepts/feed-forward",
    "concepts/optimization",
    "classification/softmax",
    "regularization/dropout",
    "convolution/conv1d",
]
FIGURE = re.compile(r'<figure class="nb-figure[ "]')


def chapter_pages(site):
    pages = [index for folder in CHAPTER_DIRS for index in sorted((site / folder).glob("*/index.html"))]
    return [*pages, site / "performance" / "index.html"]


@functools.cache
def article(path):
    """The page's article, parsed once per test session (the pages are large)."""
    html = path.read_text(encoding="utf-8")
    return BeautifulSoup(html[html.index("<article") : html.index("</article>") + 10], "html.parser")


def test_the_chapters_show_at_least_fifty_figures(site_dir):
    # A figure is a block's figure (an image or an inlined diagram) or an image of the page's own (performance).
    count = 0
    for page in chapter_pages(site_dir):
        body = article(page)
        drawn = body.select("figure.nb-figure")
        count += len(drawn) + len([img for img in body.select("img") if img.find_parent("figure") not in drawn])
    assert count >= 50, f"the chapter pages show {count} figures"


@pytest.mark.parametrize("page", DIAGRAM_PAGES)
def test_page_has_a_concept_diagram_in_the_theme_colors(site_dir, page):
    diagrams = article(site_dir / page / "index.html").select("figure.nb-diagram")
    assert diagrams, f"{page} shows no concept diagram"
    for figure in diagrams:
        svg = figure.find("svg", recursive=False)
        assert svg is not None, f"{page}: a diagram that is not an inline SVG"
        assert svg.get("role") == "img" and svg.get("aria-label") not in (None, "", "figure")
        assert svg.get("fill") == "currentColor"  # SVG's default black follows the text color
        text = str(svg)
        # Black and white are the theme's text and background: nothing is drawn in a fixed one.
        assert "#000000" not in text and "#ffffff" not in text, f"{page}: a diagram with a fixed black or white"


def test_diagram_ids_are_unique_on_each_page(site_dir):
    for page in chapter_pages(site_dir):
        ids = [tag["id"] for tag in article(page).select("figure.nb-diagram [id]")]
        assert len(ids) == len(set(ids)), f"{page}: two diagrams share an id"


def test_every_figure_folds_its_code_under_it(site_dir):
    # On a chapter page, each figure is followed by its block's code, collapsed: never code above a figure.
    for page in chapter_pages(site_dir):
        body = article(page)
        for figure in body.select("figure.nb-figure"):
            code = figure.find_next_sibling()
            where = f"{page.relative_to(site_dir)} ({figure['data-source']})"
            assert code is not None and code.name == "details", f"{where}: no folded code under the figure"
            assert "plot-code" in code["class"] and not code.has_attr("open"), f"{where}: the code is not folded"
            assert code.summary.get_text(strip=True) == "Plotting code"
            assert code.select_one(".highlight"), f"{where}: the folded block holds no code"


@pytest.mark.parametrize("folder", CHAPTER_DIRS)
def test_every_plot_fence_is_rendered_folded(site_dir, folder):
    for source in sorted((DOCS / folder).glob("*.md")):
        markdown = source.read_text(encoding="utf-8")
        kinds = fence_kinds(markdown)
        page = site_dir / folder / source.stem / "index.html"
        folded = article(page).select("details.plot-code")
        assert len(folded) == sum(kind in (PLOT, DIAGRAM) for kind in kinds), source.name
        plotted = [code for (_, _, code), kind in zip(python_fences(markdown), kinds, strict=True) if kind]
        for block, code in zip(folded, plotted, strict=True):
            assert block.select_one(".highlight").get_text().strip() == code.strip()


def test_fence_kinds_follow_the_fence_options():
    page = (
        "```{.python}\nx = 1\n```\n\n```{.python continuation plot}\nx\n```\n\n"
        "```{.python #chunk notest}\n    y = 1\n```\n\n```{.python continuation diagram}\nx\n```\n"
    )
    # The fragment (an indented chunk) is not a block of its own; the others are, in order.
    assert fence_kinds(page) == ["", PLOT, DIAGRAM]
    assert len(python_fences(page)) == 3


def test_the_other_tools_ignore_the_option():
    from pytest_markdown_docs.plugin import parse_superfences_block_info

    assert parse_superfences_block_info("{.python continuation plot}") == ["python", "continuation", "plot"]
    lang, ident, title, options = tangle.parse_info("{.python continuation diagram}")
    assert (lang, ident, title, options) == ("python", None, None, {"continuation", "diagram"})


PLOTTING = "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"


def test_a_plot_block_that_prints_fails_the_page():
    page = f"```{{.python plot}}\n{PLOTTING}plt.plot([1, 2])\nprint('a number')\n```\n"
    with pytest.raises(PageError, match="prints 'a number"):
        run_page(page, "docs/example.md", chdir=False)


def test_a_plot_block_that_draws_nothing_fails_the_page():
    with pytest.raises(PageError, match="draws no figure"):
        run_page("```{.python plot}\nx = 1\n```\n", "docs/example.md", chdir=False)


def test_a_diagram_is_saved_transparent_and_inlined_in_theme_colors():
    page = f"```{{.python diagram}}\n{PLOTTING}fig, ax = plt.subplots()\nax.set_title('A box')\nax.plot([0, 1])\n```\n"
    (result,) = run_page(page, "docs/example.md", chdir=False)
    svg, alt = result.figures[0]
    assert alt == "A box"
    inlined = inline_diagram(svg, "p")
    assert inlined.startswith('<svg fill="currentColor" ')
    assert "#000000" not in inlined and "#ffffff" not in inlined and "currentColor" in inlined
    # Every id is prefixed, and every reference follows its id.
    ids = re.findall(r'\bid="([^"]+)"', inlined)
    assert ids and all(ident.startswith("p-") for ident in ids)
    for reference in re.findall(r'(?:href="|url\()#([^")]+)', inlined):
        assert reference in ids
