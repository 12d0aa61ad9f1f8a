import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
sys.path.insert(0, str(ROOT / "tools"))


def build_site() -> Path:
    """The built site; `make test` builds it before pytest, otherwise build it here."""
    if not (SITE / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=ROOT, check=True)
    return SITE


def site_pages(site: Path) -> list[str]:
    """Every page of the built site as a URL path relative to the site root ("" is home)."""
    pages = []
    for index in site.rglob("index.html"):
        rel = index.relative_to(site)
        if rel.parts[0] in {"assets", "search"}:
            continue
        pages.append("" if rel.parent == Path(".") else rel.parent.as_posix() + "/")
    return sorted(pages)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    return build_site()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests that take `site_page` run once per page of the built site, named by its URL.
    if "site_page" in metafunc.fixturenames:
        pages = site_pages(build_site())
        metafunc.parametrize("site_page", pages, ids=[page or "home" for page in pages])
