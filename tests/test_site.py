"""The built HTML: no fence was left unrendered, math is MathML, file blocks show their file."""

import re

import tangle
from markdown_it import MarkdownIt

from conftest import site_pages, source_pages


def test_built_site_has_exactly_the_pages_of_the_sources(site_dir):
    # The per-page tests (tests/test_browser.py) are parametrized from docs/ so that collection needs no build.
    assert site_pages(site_dir) == source_pages()


def pages(site_dir):
    return sorted(p for p in site_dir.rglob("index.html") if "assets" not in p.parts)


def test_no_raw_fence_text_in_any_page(site_dir):
    for page in pages(site_dir):
        text = page.read_text(encoding="utf-8")
        assert "```" not in text, f"{page}: a code fence was rendered as text"
        assert "{.python" not in text, f"{page}: a superfences info string leaked into the page"


def test_math_is_rendered_to_mathml_with_no_tex_left(site_dir):
    found = 0
    for page in pages(site_dir):
        text = page.read_text(encoding="utf-8")
        found += text.count("<math")
        body = re.sub(r"<(script|code|pre)\b.*?</\1>", "", text, flags=re.DOTALL)
        assert 'class="arithmatex"' not in body, f"{page}: math left for a script to render"
        assert "\\(" not in body and "\\[" not in body, f"{page}: raw TeX left in the page"
    assert found > 0


def test_every_file_block_shows_its_destination(site_dir):
    chapters = tangle.book_order()
    titles = set()
    for chapter in chapters:
        titles.update(block.title for block in tangle.read_blocks(chapter) if block.chunk is None)
    html = "".join(p.read_text(encoding="utf-8") for p in pages(site_dir))
    for title in titles:
        assert f'<span class="filename">{title}</span>' in html


def test_exercise_solutions_are_collapsed_code_that_runs(site_dir):
    # A solution must stay a flush-left fence (so the tests run it), render as a collapsed <details>
    # with highlighted code, and add no package code. Pages without exercises are skipped.
    from chapter_notebook import _fences

    solutions = 0
    for chapter in tangle.book_order():
        source = chapter.read_text(encoding="utf-8")
        lines = source.splitlines()
        if "## Exercises" not in lines:
            continue
        start = lines.index("## Exercises")
        # Lines inside any fence are examples of the syntax (how-built.md), not solutions.
        in_fence = {i for t in MarkdownIt("commonmark").parse(source) if t.type == "fence" for i in range(*t.map)}
        opened = sum(line.startswith("/// details | Solution") and i not in in_fence for i, line in enumerate(lines))
        if not opened:
            continue
        fences = [title for first, _, _, title, _ in _fences(source) if first > start]
        assert opened and len(fences) >= opened, f"{chapter}: a solution without a Python fence"
        assert not any(fences), f"{chapter}: an exercise adds package code"
        rel = chapter.relative_to(tangle.ROOT / "docs").with_suffix("")
        html = (site_dir / rel / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<details class="success">\s*<summary>Solution</summary>(.*?)</details>', html, re.DOTALL)
        assert len(blocks) == opened, f"{chapter}: {opened} solutions in the source, {len(blocks)} rendered"
        assert all('class="highlight"' in block for block in blocks), f"{chapter}: a solution lost its code"
        solutions += opened
    assert solutions > 0


# An exercise opens with its number and title in bold, then its difficulty: (★) quick, (★★) some thought,
# (★★★) a real derivation. Exercises to think with say their kind at the start of the title.
EXERCISE = re.compile(r"^\*\*\d+\. (?P<title>[^*]+)\*\*(?P<marker> \((?P<stars>★{1,3})\))?")
THINKING = ("Derive:", "Predict, then run:")


def book_chapters():
    """The pages of the book's parts: every page in the nav but the home page and the reference."""
    docs = tangle.ROOT / "docs"
    return [p for p in tangle.book_order() if p != docs / "index.md" and "reference" not in p.relative_to(docs).parts]


def exercises(source: str) -> list[tuple[str, str | None, str]]:
    """(title, stars, text up to the next exercise) for each exercise of the page's "## Exercises" section."""
    lines = source.splitlines()
    if "## Exercises" not in lines:
        return []
    start = lines.index("## Exercises")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    found: list[tuple[str, str | None, list[str]]] = []
    for line in lines[start + 1 : end]:
        match = EXERCISE.match(line)
        if match:
            found.append((match["title"].strip(), match["stars"], []))
        if found:
            found[-1][2].append(line)
    return [(title, stars, "\n".join(body)) for title, stars, body in found]


def test_every_chapter_has_exercises_to_think_with():
    # Every chapter ends with exercises, each marked with its difficulty; at least one asks for a derivation or a
    # prediction, and its folded solution checks the answer in code (an assert, against numbers or the library).
    for chapter in book_chapters():
        name = chapter.relative_to(tangle.ROOT).as_posix()
        found = exercises(chapter.read_text(encoding="utf-8"))
        assert found, f"{name}: no exercises (a '## Exercises' section with **1. Title.** (★) entries)"
        unmarked = [title for title, stars, _ in found if stars is None]
        assert not unmarked, f"{name}: exercises without a difficulty (★, ★★ or ★★★): {unmarked}"
        thinking = [(title, body) for title, _, body in found if title.startswith(THINKING)]
        assert thinking, f"{name}: no exercise starts with {' or '.join(THINKING)}"
        for title, body in thinking:
            solution = body.split("/// details | Solution", 1)[-1]
            assert "/// details | Solution" in body and re.search(
                r"```\{?\.?python[^\n]*\n(?:.*\n)*?.*\bassert\b", solution
            ), f"{name}: {title!r} has no folded solution whose code asserts the answer"


def test_every_example_page_has_exercises_with_solutions_that_assert():
    # The example notebooks end like the chapters: exercises with a difficulty marker, at least one to think
    # with, each answered by cells tagged "solution" (folded on the page by tools/hooks.py) whose code asserts.
    import jupytext

    for path in sorted((tangle.ROOT / "docs" / "examples").glob("*.py")):
        cells = jupytext.read(path).cells
        heading = [i for i, cell in enumerate(cells) if "## Exercises" in cell.source]
        assert heading, f"{path.name}: no '## Exercises' cell"
        found: list[tuple[str, str | None, list]] = []
        for cell in cells[heading[0] :]:
            if "solution" in cell.metadata.get("tags", []):
                assert found, f"{path.name}: a solution before any exercise"
                found[-1][2].append(cell)
                continue
            for line in cell.source.splitlines() if cell.cell_type == "markdown" else []:
                match = EXERCISE.match(line)
                if match:
                    found.append((match["title"].strip(), match["stars"], []))
        assert len(found) >= 2, f"{path.name}: {len(found)} exercises"
        for title, stars, solution in found:
            assert stars, f"{path.name}: {title!r} has no difficulty marker"
            code = "\n".join(cell.source for cell in solution if cell.cell_type == "code")
            assert re.search(r"^assert\b", code, re.MULTILINE), f"{path.name}: {title!r} has no asserting solution"
        assert any(title.startswith(THINKING) for title, _, _ in found), f"{path.name}: no Derive/Predict exercise"


def test_the_home_page_states_the_difficulty_legend_once():
    text = (tangle.ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert text.count("(★★★)") == 1 and all(kind in text for kind in THINKING)


BRITISH = re.compile(
    r"\b\w*(?:standardis|normalis|initialis|optimis|minimis|maximis|vectoris|memoris|generalis|recognis|organis"
    r"|summaris|visualis|parallelis|regularis)(?:e|ed|es|er|ing|ation|ations)\b"
    r"|\b(?:centred|behaviours?|colours?|favour\w*|labelled|labelling|modelling|analyse[ds]?)\b",
    re.IGNORECASE,
)


def test_the_book_spells_in_american_english():
    """One spelling throughout: the pages, the example notebooks, the README and the package's docstrings."""
    files = [*(tangle.ROOT / "docs").rglob("*.md"), *(tangle.ROOT / "docs").rglob("*.py"), tangle.ROOT / "README.md"]
    files += sorted((tangle.ROOT / "nnbook").glob("*.py"))
    found = [
        f"{path.relative_to(tangle.ROOT)}:{number}: {match.group(0)}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in BRITISH.finditer(line)
    ]
    assert found == [], "British spellings:\n" + "\n".join(found)
