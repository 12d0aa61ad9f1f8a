"""The built site in a real browser: headless Debian chromium, driven by playwright, fully offline.

Every page (one test each) loads with no console error, no failed request and no request that leaves
127.0.0.1; its math is MathML that the browser lays out, with no raw TeX left in the text; its file
blocks show their filename bar and every code block has its copy button; its images load, and example
pages show at least one plot. Search finds "ReLU"; a copy button copies its block's exact source.
Screenshots of a few pages go to test-artifacts/.

Without /usr/bin/chromium the tests skip locally, but fail when the CI variable is set, so that CI can
never pass by skipping them. `.ci/run` installs Debian's chromium; never download a browser.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
import tangle
from markdown_it import MarkdownIt
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Belt and braces for "offline": no proxy, and no host name resolves, so only 127.0.0.1 is reachable.
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
# Pages worth a look by a human after a run (name -> URL path); the first example page is added.
SCREENSHOTS = {"": "home", "concepts/activations/": "chapter-activations"}
TIMEOUT_MS = 15_000
# The copy-to-clipboard button of `content.code.copy`: mkdocs-material 9.8 puts it in a nav over the
# block (`button.md-code__button[data-md-type=copy]`); releases before 9.7 used `button.md-clipboard`.
COPY_BUTTON = "button.md-code__button[data-md-type='copy'], button.md-clipboard"

# TeX that a renderer should have consumed: delimiters, $...\command...$, and common commands.
RAW_TEX = re.compile(
    r"\\[()\[\]]|\$\$|\$[^$\s][^$\n]*\\[A-Za-z]+[^$\n]*\$"
    r"|\\(?:frac|sum|partial|mathbf|mathrm|cdot|hat|sqrt|left|right|begin|times)\b"
)

# In-page helpers, run in the browser. Text outside code, math and scripts; what every code block,
# math element and image looks like once the page has settled.
PAGE_STATE_JS = """
async (copyButton) => {
  const article = document.querySelector("article.md-content__inner") || document.body;
  const skip = "pre, code, script, style, math, textarea, .jp-InputArea-editor";
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const text = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest(skip)) text.push(node.nodeValue);
  }
  const images = [...article.querySelectorAll("img")];
  await Promise.all(images.map((img) => { img.loading = "eager"; return img.decode().catch(() => null); }));
  const visible = (el) => el.getClientRects().length > 0;
  return {
    text: text.join(""),
    math: [...article.querySelectorAll("math")].map((m) => ({
      ns: m.namespaceURI,
      shown: visible(m),
      width: m.getBoundingClientRect().width,
      tex: m.getAttribute("alttext") || m.textContent.slice(0, 60),
    })),
    codeBlocks: [...article.querySelectorAll(".highlight pre")].map((pre) => ({
      copy: pre.querySelector(copyButton) !== null,
      head: pre.textContent.slice(0, 60),
    })),
    // Notebook pages (mkdocs-jupyter) give each code cell a <clipboard-copy> element of their own.
    cells: [...article.querySelectorAll(".jp-InputArea-editor")].map((cell) => ({
      copy: cell.querySelector("clipboard-copy") !== null && customElements.get("clipboard-copy") !== undefined,
      head: cell.textContent.trim().slice(0, 60),
    })),
    filenames: [...article.querySelectorAll(".highlight .filename")].map((e) => e.textContent.trim()),
    images: images.map((img) => ({ src: img.currentSrc.slice(0, 80), width: img.naturalWidth })),
    // Code that runs wider than its box makes the reader scroll sideways (tolerance: one pixel).
    wide: [...article.querySelectorAll(
      ".highlight pre, .highlight code, pre.nb-output__text, .jp-InputArea-editor pre"
    )].filter((el) => visible(el) && el.scrollWidth > el.clientWidth + 1).map((el) => ({
      head: el.textContent.trim().slice(0, 60), scroll: el.scrollWidth, client: el.clientWidth,
    })),
    // A notebook may also embed its figures as inline SVG.
    svgPlots: [...article.querySelectorAll(".jp-RenderedSVG svg")].map((svg) => svg.getBoundingClientRect().width),
  };
}
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep pytest's output clean
        pass


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A tab closed while a file was still being sent is not an error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def base_url(site_dir: Path):
    """The built site served by the standard library on a free port of 127.0.0.1."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session (Debian's, never a downloaded one)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; under CI the browser tests must run, not skip")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        # launch() gives the browser a fresh temporary profile and removes it on close.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def context(browser, base_url: str):
    """One browser context (and HTTP cache) for all pages."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def is_local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))


def open_page(context, url: str):
    """Open url in a new tab; return the tab and the list that collects everything that went wrong."""
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text} at {m.location}"))
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.on("request", lambda r: is_local(r.url) or problems.append(f"request to the network: {r.url}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status} for {r.url}"))
    page.goto(url, wait_until="load")
    return page, problems


def source_of(site_page: str) -> Path | None:
    """The file under docs/ that a page was built from (Markdown chapter or example notebook)."""
    stem = site_page.rstrip("/") or "index"
    for candidate in (f"{stem}.md", f"{stem}/index.md", f"{stem}.py", f"{stem}.ipynb"):
        if (DOCS / candidate).is_file():
            return DOCS / candidate
    return None


def markdown_expectations(source: Path) -> tuple[bool, list[str]]:
    """(does the chapter write math?, the titles of its fenced code blocks), read from the Markdown."""
    text = source.read_text(encoding="utf-8")
    lines = text.splitlines()
    titles = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "fence" and token.map is not None:
            title = tangle.parse_info(token.info)[2]
            if title:
                titles.append(title)
            lines[token.map[0] : token.map[1]] = [""] * (token.map[1] - token.map[0])
    prose = re.sub(r"`[^`\n]*`", "", "\n".join(lines))
    return bool(re.search(r"\\[(\[]", prose)), titles


def test_page_in_browser(site_page: str, context, base_url: str, site_dir: Path) -> None:
    page, problems = open_page(context, base_url + site_page)
    try:
        # mkdocs-material adds the copy buttons from script; give it a moment when the page has code
        # (if they never come, the assertion below names the blocks without one).
        if page.locator(".highlight pre").count():
            try:
                page.locator(COPY_BUTTON).first.wait_for(state="attached", timeout=5_000)
            except PlaywrightTimeout:
                pass
        state = page.evaluate(PAGE_STATE_JS, COPY_BUTTON)
        examples = sorted(f"examples/{p.parent.name}/" for p in site_dir.glob("examples/*/index.html"))
        name = SCREENSHOTS.get(site_page) or ("example" if examples and site_page == examples[0] else None)
        if name:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        page.close()

    assert not problems, f"{site_page or 'home'}:\n" + "\n".join(problems)

    leftover = sorted(set(RAW_TEX.findall(state["text"])))
    assert not leftover, f"raw TeX visible on the page: {leftover}"
    for math in state["math"]:
        assert math["ns"] == "http://www.w3.org/1998/Math/MathML", f"<math> not parsed as MathML: {math}"
        assert not math["shown"] or math["width"] > 0, f"MathML not laid out by the browser: {math}"

    source = source_of(site_page)
    if source is not None and source.suffix == ".md":
        writes_math, titles = markdown_expectations(source)
        if writes_math:
            assert state["math"], f"{source.relative_to(ROOT)} writes math but the page shows no <math>"
        missing = Counter(titles) - Counter(state["filenames"])
        assert not missing, f"code blocks without their filename bar: {sorted(missing)}"

    no_copy = [block["head"] for block in state["codeBlocks"] + state["cells"] if not block["copy"]]
    assert not no_copy, f"code blocks without a copy button: {no_copy}"

    assert not state["wide"], f"code blocks that scroll sideways at 1280 px: {state['wide']}"

    broken = [image["src"] for image in state["images"] if image["width"] == 0]
    assert not broken, f"images that did not load: {broken}"
    if site_page.startswith("examples/"):
        plots = [image for image in state["images"] if image["width"] > 0] + [w for w in state["svgPlots"] if w > 0]
        assert plots, "an example page shows no plot"


def test_search_finds_relu(context, base_url: str) -> None:
    page, problems = open_page(context, base_url)
    try:
        page.keyboard.press("/")  # mkdocs-material's shortcut for the search box
        page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
        page.keyboard.type("ReLU")
        links = page.locator("li.md-search-result__item > a.md-search-result__link")
        links.first.wait_for()
        hrefs = [link.get_attribute("href") or "" for link in links.all()]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "search-relu.png"))
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    assert any("concepts/activations/" in href for href in hrefs), f"no result on the activations page: {hrefs}"


def test_copy_button_copies_the_block(context, base_url: str) -> None:
    """Clicking the copy button of the first block of a chapter puts that block's source on the clipboard."""
    fences = [
        t
        for t in MarkdownIt("commonmark").parse((DOCS / "concepts/activations.md").read_text(encoding="utf-8"))
        if t.type == "fence"
    ]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page, problems = open_page(context, base_url + "concepts/activations/")
    try:
        block = page.locator(".highlight pre").first
        button = block.locator(COPY_BUTTON)
        block.hover()  # the button shows on hover
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    assert copied.strip() == fences[0].content.strip()


def test_chapter_download_button_gives_the_notebook(context, base_url: str) -> None:
    """The download button of a chapter is visible and its link serves that chapter's notebook."""
    page, problems = open_page(context, base_url + "implementation/gradcheck/")
    try:
        button = page.locator("a.nb-download")
        assert button.count() == 1 and button.is_visible()
        href = button.get_attribute("href") or ""
        url = page.evaluate("(href) => new URL(href, document.baseURI).href", href)
        response = context.request.get(url)
        status, body = response.status, response.json()
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    assert href.endswith("gradcheck.ipynb") and status == 200
    code = [cell for cell in body["cells"] if cell["cell_type"] == "code"]
    assert body["nbformat"] == 4 and "Gradient checking" in "".join(body["cells"][0]["source"]) and code


CONTRAST_JS = """
() => {
  const rgba = (s) => (s.match(/[\\d.]+/g) || []).map(Number).concat([1]).slice(0, 4);
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
  const lum = (c) => {
    const l = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const panel = document.querySelector(".nb-output");
  const text = document.querySelector(".nb-output__text");
  const label = document.querySelector(".nb-output__label");
  const bg = over(rgba(getComputedStyle(panel).backgroundColor), page);
  const figure = document.querySelector("figure.nb-figure img");
  return {
    text: ratio(over(rgba(getComputedStyle(text).color), bg), bg),
    label: ratio(over(rgba(getComputedStyle(label).color), bg), bg),
    figure: figure ? figure.naturalWidth : -1,
    figureBackground: figure ? getComputedStyle(figure).backgroundColor : "",
  };
}
"""


@pytest.mark.parametrize("scheme", ["default", "slate"], ids=["light", "dark"])
def test_outputs_and_figures_are_legible(scheme: str, context, base_url: str) -> None:
    """Output panels and figures in light and dark mode: readable contrast, and a screenshot of each."""
    page, problems = open_page(context, base_url + "concepts/activations/")
    try:
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        page.locator("figure.nb-figure img").first.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        state = page.evaluate(CONTRAST_JS)
        ARTIFACTS.mkdir(exist_ok=True)
        name = "light" if scheme == "default" else "dark"
        page.locator("div.nb-output").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"outputs-{name}.png"))
        page.locator("figure.nb-figure").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"figure-{name}.png"))
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    # WCAG AA: 4.5 for body text; the small uppercase label is held to the large-text 3.
    assert state["text"] >= 4.5 and state["label"] >= 3, state
    assert state["figure"] > 0 and state["figureBackground"] == "rgb(255, 255, 255)", state


EXAMPLES = sorted(f"examples/{path.stem}/" for path in DOCS.glob("examples/*.py"))

# Everything that would give the reader a sideways scrollbar: tables, their scrolling wrappers, code.
SIDEWAYS_JS = """
() => {
  const article = document.querySelector("article.md-content__inner") || document.body;
  article.querySelectorAll("details").forEach((d) => { d.open = true; });  // the solutions too
  const visible = (el) => el.getClientRects().length > 0;
  return [...article.querySelectorAll("table, pre, .md-typeset__scrollwrap, .jp-RenderedHTMLCommon")]
    .filter((el) => visible(el) && el.scrollWidth > el.clientWidth + 1)
    .map((el) => ({
      tag: el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""),
      head: el.textContent.trim().slice(0, 60), scroll: el.scrollWidth, client: el.clientWidth,
    }));
}
"""


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_page_does_not_scroll_sideways(example: str, context, base_url: str) -> None:
    """At 1280 px no table or code block of an example page (solutions opened) is wider than its box."""
    page, problems = open_page(context, base_url + example)
    try:
        wide = page.evaluate(SIDEWAYS_JS)
        if example == "examples/mnist-1d/":
            ARTIFACTS.mkdir(exist_ok=True)
            page.locator("table").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "example-mnist-1d-table.png"))
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    assert not wide, f"{example}: scrolls sideways at 1280 px: {wide}"


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_download_is_a_relative_notebook(example: str, context, base_url: str, site_dir: Path) -> None:
    """The download button links, relatively, an .ipynb that the site holds: a valid notebook of the example."""
    import nbformat

    page, problems = open_page(context, base_url + example)
    try:
        button = page.locator("a.nb-download")
        visible = button.count() == 1 and button.is_visible()
        href = button.get_attribute("href") or ""
        folded = page.locator("details.nb-solution").count()
        opened = page.locator("details.nb-solution[open]").count()
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    stem = example.rstrip("/").rsplit("/", 1)[-1]
    assert visible and href == f"{stem}.ipynb", f"{example}: download link {href!r}, not a relative .ipynb"
    notebook = nbformat.reads((site_dir / example / href).read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(notebook)
    solutions = [cell for cell in notebook.cells if "solution" in cell.metadata.get("tags", [])]
    assert notebook.cells[0].cell_type == "markdown" and solutions, f"{example}: a notebook without solutions"
    assert all(cell.metadata["jupyter"]["source_hidden"] for cell in solutions)
    # Each exercise's solution is one folded block on the page, closed until the reader opens it.
    assert folded >= 2 and opened == 0, f"{example}: {folded} folded solutions, {opened} open"
