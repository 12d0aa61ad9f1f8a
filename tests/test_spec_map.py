"""The spec map (docs/reference/spec-map.md) cannot drift from the spec or from the book.

SPEC.md (the outline the book mirrors, kept verbatim at the repository's root) has a tree of headings.
The map's table lists every one of them, in the spec's order, as its path (the headings above it and
itself, joined by right angle quotes), each linked to a section of the book: the link's page exists, its
anchor is a heading of that page, and the link's text is that heading's text. The chapters no row links to go
"beyond the spec"; the index and the map say which, and these tests compute the list from the map.
"""

import posixpath
import re
from pathlib import Path

import markdown
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SPEC = ROOT / "SPEC.md"
MAP = "reference/spec-map.md"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
SEPARATOR = " \u203a "  # a right angle quote between a heading and the one above it
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def spec_headings() -> list[str]:
    """Every heading of SPEC.md as its path from the top (``Concepts`` SEPARATOR ``Layer``), in order."""
    paths, stack = [], []
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"(#{1,6})\s+(.+?)\s*#*\s*$", line)
        if match:
            level = len(match[1])
            stack = [(lvl, text) for lvl, text in stack if lvl < level] + [(level, match[2])]
            paths.append(SEPARATOR.join(text for _, text in stack))
    return paths


def map_rows() -> list[tuple[str, str, str]]:
    """The map's table as (spec heading path, link text, link target relative to docs/)."""
    rows = []
    for line in (DOCS / MAP).read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or set(cells[0]) <= set("-: ") or cells[0] == "spec heading":
            continue
        link = LINK.fullmatch(cells[1])
        assert link, f"{MAP}: the row for {cells[0]!r} does not link one section: {cells[1]!r}"
        rows.append((cells[0], link[1], resolve(MAP, link[2])))
    return rows


def resolve(page: str, target: str) -> str:
    """A link's target relative to docs/ (``concepts/loss.md#anchor``)."""
    path, _, anchor = target.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    return resolved + (f"#{anchor}" if anchor else "")


def headings(page: str) -> dict[str, str]:
    """Every heading of a page, id -> text, as the site's table of contents makes them; "" -> the H1."""
    md = markdown.Markdown(
        extensions=["toc", "attr_list", "md_in_html", "admonition", "pymdownx.superfences", "pymdownx.blocks.details"]
    )
    md.convert((DOCS / page).read_text(encoding="utf-8"))
    found: dict[str, str] = {}

    def walk(tokens):
        for token in tokens:
            if token["level"] == 1:
                found.setdefault("", token["name"])
            found[token["id"]] = token["name"]
            walk(token["children"])

    walk(md.toc_tokens)
    return found


def parts() -> list[list[str]]:
    """The chapters of each 'Part ...' section of mkdocs.yml's nav, in order."""

    def pages(node) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, list):
            return [page for item in node for page in pages(item)]
        return [page for value in node.values() for page in pages(value)]

    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    sections = [next(iter(item.items())) for item in nav if isinstance(item, dict)]
    return [pages(children) for title, children in sections if title.startswith("Part ")]


def test_the_map_lists_every_spec_heading_in_order():
    listed = [spec for spec, _, _ in map_rows()]
    assert spec_headings(), "SPEC.md has no headings"
    assert listed == spec_headings(), "the map's rows are not the spec's headings, in order"


@pytest.mark.parametrize("row", map_rows(), ids=lambda row: row[0])
def test_each_row_links_an_existing_section_by_its_heading(row):
    spec, text, target = row
    page, _, anchor = target.partition("#")
    assert (DOCS / page).is_file(), f"{spec}: {target} names a page that does not exist"
    found = headings(page)
    assert anchor in found, f"{spec}: docs/{page} has no heading with the id {anchor!r}; it has {sorted(found)}"
    assert text == found[anchor], f"{spec}: the link reads {text!r}, the heading it points at {found[anchor]!r}"


def beyond_the_spec() -> tuple[list[str], str]:
    """What goes beyond the spec.

    The unmapped chapters of the parts the map covers in part, and the parts it leaves out altogether, as
    the words ``Parts III, IV and V``.
    """
    mapped = {target.partition("#")[0] for _, _, target in map_rows()}
    chapters, whole = [], []
    for number, part in enumerate(parts()):
        unmapped = [page for page in part if page not in mapped]
        if unmapped == part:
            whole.append(ROMAN[number])
        else:
            chapters += unmapped
    if not whole:
        return chapters, ""
    words = whole[0] if len(whole) == 1 else ", ".join(whole[:-1]) + " and " + whole[-1]
    return chapters, ("Part " if len(whole) == 1 else "Parts ") + words


@pytest.mark.parametrize("page", ["index.md", MAP])
def test_the_page_says_truly_what_goes_beyond_the_spec(page):
    chapters, whole = beyond_the_spec()
    text = (DOCS / page).read_text(encoding="utf-8")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if "beyond the spec" in p.lower()]
    assert paragraphs, f"docs/{page} does not say what goes beyond the spec"
    said = " ".join(paragraphs)
    chapter_pages = {page for part in parts() for page in part}
    linked = [resolve(page, target).partition("#")[0] for _, target in LINK.findall(said)]
    linked = [target for target in linked if target in chapter_pages]
    assert sorted(linked) == sorted(chapters), (
        f"docs/{page} names {linked} beyond the spec; the map leaves out {chapters} (in parts it covers)"
    )
    assert whole in said, f"docs/{page} should say that all of {whole} goes beyond the spec"
