"""The built HTML: no fence was left unrendered, math is MathML, file blocks show their file."""

import re

import tangle


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
