import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; `make test` builds it before pytest, otherwise build it here."""
    site = ROOT / "site"
    if not (site / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=ROOT, check=True)
    return site
