"""A path through the book: numbered parts and chapters, distinct titles, and each page's H1 agreeing with its nav entry.

mkdocs.yml's nav is the table of contents. A part is titled ``Part <roman> — <name>``, the parts in order
I, II, III, ...; a chapter of part N is titled ``N.c <name>``, its numbers increasing through the part, and
its page opens with ``# N.c <name>``, the same words. No two entries of the nav (chapters, examples,
reference pages) share a title.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
PART = re.compile(r"Part ([IVX]+) — \S.*")
CHAPTER = re.compile(r"(\d+)\.(\d+) \S.*")


def nav() -> list:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]


def page_title(path: str) -> str:
    """The page's own title: its first ``# `` heading (for a jupytext example, the first ``# # `` line)."""
    text = (DOCS / path).read_text(encoding="utf-8")
    marker = "# # " if path.endswith(".py") else "# "
    for line in text.splitlines():
        if line.startswith(marker):
            return line[len(marker) :].strip()
    raise AssertionError(f"docs/{path} has no H1")


def entries(node) -> list[tuple[str | None, str]]:
    """Every page of a nav (sub)tree as (title given in the nav or None, path)."""
    if isinstance(node, str):
        return [(None, node)]
    if isinstance(node, list):
        return [entry for item in node for entry in entries(item)]
    ((title, value),) = node.items()
    return [(title, value)] if isinstance(value, str) else entries(value)


def parts() -> list[tuple[str, list]]:
    sections = [next(iter(item.items())) for item in nav() if isinstance(item, dict)]
    return [(title, children) for title, children in sections if title.startswith("Part ")]


def chapters() -> list[tuple[str | None, str]]:
    return [entry for _, children in parts() for entry in entries(children)]


def test_parts_are_numbered_in_order():
    titles = [title for title, _ in parts()]
    assert titles, "no 'Part ...' section in mkdocs.yml's nav"
    for i, title in enumerate(titles):
        match = PART.fullmatch(title)
        assert match, f"nav section {title!r} is not titled 'Part <roman> — <name>'"
        assert match[1] == ROMAN[i], f"nav section {title!r} should be Part {ROMAN[i]}"


@pytest.mark.parametrize("part", range(len(parts())), ids=lambda i: ROMAN[i])
def test_chapters_are_numbered_within_their_part(part):
    _, children = parts()[part]
    numbers = []
    for title, path in entries(children):
        assert title is not None, (
            f"{path}: a chapter's nav entry gives its numbered title ('{part + 1}.c Name': {path})"
        )
        match = CHAPTER.fullmatch(title)
        assert match, f"{path}: nav title {title!r} is not '<part>.<chapter> <name>'"
        assert int(match[1]) == part + 1, (
            f"{path}: {title!r} is in Part {ROMAN[part]}, so its number starts {part + 1}."
        )
        numbers.append(int(match[2]))
    assert numbers == sorted(set(numbers)), f"Part {ROMAN[part]}: chapter numbers {numbers} are not increasing"


@pytest.mark.parametrize("path", [path for _, path in chapters()])
def test_page_h1_is_its_nav_title(path):
    title = dict((p, t) for t, p in chapters())[path]
    assert page_title(path) == title, f"docs/{path}: H1 {page_title(path)!r}, nav title {title!r}"


def test_nav_titles_are_distinct():
    seen: dict[str, str] = {}
    for title, path in entries(nav()):
        shown = title if title is not None else page_title(path)
        # Chapters differ by number anyway: the words after the number must differ too.
        words = shown.split(" ", 1)[1] if CHAPTER.fullmatch(shown) else shown
        assert words.lower() not in seen, f"{path} and {seen[words.lower()]} are both titled {words!r}"
        seen[words.lower()] = path
