"""Shared fixtures: the built site, and the list of its pages (known without building it).

Collection never builds the site. ``make test`` runs ``mkdocs build --strict`` before pytest; a test
that reads ``site/`` takes the ``site_dir`` fixture, which skips it when the site is missing (run
``make build``), or fails it under CI, where a missing site means the build step was skipped.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tools"))

# mkdocs-jupyter renders these notebooks as pages (mkdocs.yml's `include`).
NOTEBOOK_PAGES = "examples/*.py"


def site_pages(site: Path) -> list[str]:
    """Every page of the built site as a URL path relative to the site root ("" is home)."""
    pages = []
    for index in site.rglob("index.html"):
        rel = index.relative_to(site)
        if rel.parts[0] in {"assets", "search"}:
            continue
        pages.append("" if rel.parent == Path(".") else rel.parent.as_posix() + "/")
    return sorted(pages)


def source_pages(docs: Path = DOCS) -> list[str]:
    """The URL of every page the site is built from, read from docs/ (directory URLs, as mkdocs makes them)."""
    sources = sorted(docs.rglob("*.md")) + sorted(docs.glob(NOTEBOOK_PAGES))
    pages = []
    for source in sources:
        rel = source.relative_to(docs).with_suffix("")
        parts = rel.parts[:-1] if rel.name in {"index", "README"} else rel.parts
        pages.append("/".join(parts) + "/" if parts else "")
    return sorted(pages)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; missing, the test is skipped locally and fails under CI."""
    if not (SITE / "index.html").exists():
        message = "site/ is not built: run `make build` (make test builds it before pytest)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SITE


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests that take `site_page` run once per page of the site, named by its URL. The pages come from
    # the sources, so collection needs no build; tests/test_site.py checks the built site has exactly these.
    if "site_page" in metafunc.fixturenames:
        pages = source_pages()
        metafunc.parametrize("site_page", pages, ids=[page or "home" for page in pages])
