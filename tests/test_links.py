"""Every internal link of the built site resolves, and the site needs no network.

Each HTML page is parsed (html.parser); every href/src that is relative, root-relative or under
site_url must name a file of site/, and its #fragment must be an id (or a name) in the target page.
Links to other sites are fine for readers to follow (<a href>), but nothing the browser loads by
itself (stylesheets, scripts, images, fonts, frames) may come from the network, in HTML or in CSS.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent

# Elements whose URL the browser fetches on its own, as opposed to links a reader may click.
ASSET_TAGS = {"script", "img", "source", "iframe", "embed", "object", "video", "audio", "track", "input", "image"}
NAVIGATION_RELS = {"canonical", "prev", "next", "alternate", "author", "license", "help", "search"}
# Hosts that serve fonts, scripts or styles: an offline book must not mention them in a page or stylesheet.
CDN = re.compile(
    r"fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com"
    r"|polyfill\.io|code\.jquery\.com|ajax\.googleapis\.com|cdn\.mathjax\.org|use\.fontawesome\.com"
)
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)|@import\s+(['"])(?P<imp>[^'"]+)\3""")


class PageParser(HTMLParser):
    """Collects the ids/names of a page and its URLs as (tag, rel, attribute, url, line)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.urls: list[tuple[str, str, str, str, int]] = []
        self.inline_code: list[str] = []  # bodies of <script> and <style>
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for name in ("id", "name") if tag in {"a", "map"} else ("id",):
            if name in values:
                self.anchors.add(values[name])
        rel = values.get("rel", "")
        for name in ("href", "src", "poster", "data"):
            if name in values:
                self.urls.append((tag, rel, name, values[name].strip(), self.getpos()[0]))
        if "srcset" in values:
            for candidate in values["srcset"].split(","):
                if candidate.strip():
                    self.urls.append((tag, rel, "srcset", candidate.split()[0], self.getpos()[0]))

        self._in_code = tag in {"script", "style"}

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_code = False

    def handle_endtag(self, tag: str) -> None:
        self._in_code = False

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.inline_code.append(data)


@cache
def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


@cache
def site_url() -> str:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # ignore !!python/name tags
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    url = config.get("site_url") or ""
    return url if url.endswith("/") or not url else url + "/"


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def is_asset(tag: str, rel: str) -> bool:
    """Does the browser fetch this URL by itself when it shows the page?"""
    if tag == "link":
        return not set(rel.lower().split()) <= NAVIGATION_RELS
    return tag in ASSET_TAGS


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file of site/ and the fragment an internal URL points to; None for an external URL."""
    base = site_url()
    if base and url.startswith(base):
        url = "/" + url[len(base) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    page_url = "/" + page.relative_to(site).as_posix()
    target = urlsplit(urljoin(page_url, parts.path)).path if parts.path else page_url
    path = site / unquote(target).lstrip("/")
    if target.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parts.fragment)


def test_every_internal_link_and_anchor_resolves(site_dir: Path) -> None:
    broken = []
    checked = 0
    for page in html_files(site_dir):
        for tag, _rel, attribute, url, line in parse(page).urls:
            if not url or url.startswith(("mailto:", "tel:", "javascript:", "data:", "blob:")):
                continue
            resolved = resolve(site_dir, page, url)
            if resolved is None:
                continue
            checked += 1
            target, fragment = resolved
            where = f"{page.relative_to(site_dir)}:{line} <{tag} {attribute}={url!r}>"
            if not target.is_file():
                broken.append(f"{where}: no file {target.relative_to(site_dir)}")
            elif fragment and target.suffix == ".html" and fragment not in parse(target).anchors:
                broken.append(f"{where}: no id {fragment!r} in {target.relative_to(site_dir)}")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken)
    assert checked > 100, f"only {checked} internal links found: is the site built?"


def test_pages_load_nothing_from_the_network(site_dir: Path) -> None:
    remote = []
    for page in html_files(site_dir):
        for tag, rel, attribute, url, line in parse(page).urls:
            if is_asset(tag, rel) and resolve(site_dir, page, url) is None and not url.startswith(("data:", "blob:")):
                remote.append(f"{page.relative_to(site_dir)}:{line} <{tag} {attribute}={url!r}>")
    assert not remote, "assets fetched from the network:\n" + "\n".join(remote)


def test_stylesheets_load_nothing_from_the_network_and_their_files_exist(site_dir: Path) -> None:
    problems = []
    for sheet in sorted(site_dir.rglob("*.css")):
        for match in CSS_URL.finditer(sheet.read_text(encoding="utf-8")):
            url = (match["url"] or match["imp"]).strip()
            if url.startswith(("data:", "#")):
                continue
            if urlsplit(url).scheme or url.startswith("//"):
                problems.append(f"{sheet.relative_to(site_dir)}: loads {url}")
            elif not (sheet.parent / unquote(urlsplit(url).path)).is_file():
                problems.append(f"{sheet.relative_to(site_dir)}: missing {url}")
    assert not problems, "\n".join(problems)


def test_no_page_or_stylesheet_refers_to_a_font_or_script_cdn(site_dir: Path) -> None:
    # What a page refers to: its URLs and its inline scripts and styles (prose may name a CDN).
    found = []
    for page in html_files(site_dir):
        parsed = parse(page)
        for text in [url for *_, url, _line in parsed.urls] + parsed.inline_code:
            found += [f"{page.relative_to(site_dir)}: {match[0]}" for match in CDN.finditer(text)]
    for sheet in site_dir.rglob("*.css"):
        found += [f"{sheet.relative_to(site_dir)}: {match[0]}" for match in CDN.finditer(sheet.read_text("utf-8"))]
    assert not found, "the site would need the network:\n" + "\n".join(sorted(set(found)))


def test_sitemap_lists_exactly_the_pages_of_the_site(site_dir: Path) -> None:
    locations = re.findall(r"<loc>([^<]+)</loc>", (site_dir / "sitemap.xml").read_text(encoding="utf-8"))
    listed = sorted(site_dir / loc.removeprefix(site_url()) / "index.html" for loc in locations)
    pages = sorted(
        p for p in site_dir.rglob("index.html") if p.relative_to(site_dir).parts[0] not in {"assets", "search"}
    )
    assert listed == pages
