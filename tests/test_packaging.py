"""The package as users get it: `python -m build` makes a wheel of nnbook/ alone, which installs and imports.

Offline and quick: the wheel is built without isolation (the backend pyproject names is in the test
environment), from a copy of the files a release needs, and installed with --no-index into a fresh venv
that sees no site-packages of ours; numpy, its one dependency, is lent to that venv by a .pth file.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent
RELEASE_FILES = ["pyproject.toml", "README.md", "LICENSE"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in RELEASE_FILES:
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "nnbook", source / "nnbook", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=source, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = dist.glob("*.whl")
    return wheel


def test_the_wheel_holds_the_package_and_py_typed_only(wheel):
    import nnbook

    names = zipfile.ZipFile(wheel).namelist()
    dist_info = f"nnbook-{nnbook.__version__}.dist-info/"
    assert wheel.name == f"nnbook-{nnbook.__version__}-py3-none-any.whl"
    package = sorted(name for name in names if not name.startswith(dist_info))
    expected = [*(f"nnbook/{path.name}" for path in (ROOT / "nnbook").glob("*.py")), "nnbook/py.typed"]
    assert package == sorted(expected)
    assert f"{dist_info}licenses/LICENSE" in names


def test_metadata_version_and_license_come_from_one_place(wheel):
    import nnbook

    metadata = zipfile.ZipFile(wheel).read(f"nnbook-{nnbook.__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {nnbook.__version__}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata
    runtime = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert runtime == ["Requires-Dist: numpy>=1.24"]  # numpy only; the book's tools are extras
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_the_wheel_installs_and_imports_in_a_clean_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    # Lend numpy (and only numpy) to the venv: a directory of links to it, on the venv's path.
    ours = Path(sysconfig.get_paths()["purelib"])
    lent = tmp_path / "lent"
    lent.mkdir()
    for item in ours.iterdir():
        if item.name == "numpy" or item.name == "numpy.libs" or item.name.startswith("numpy-"):
            (lent / item.name).symlink_to(item)
    (site / "lent_numpy.pth").write_text(f"{lent}\n")
    uv = Path(sys.executable).parent / "uv"
    install = [str(uv), "pip", "install", "--offline", "--no-index", "--no-deps", "--python", str(python), str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    script = (
        "import nnbook as nb, numpy as np, sys\n"
        "assert nb.__file__.startswith(sys.prefix), nb.__file__\n"
        "for name in ('matplotlib', 'pytest', 'mkdocs', 'markdown_it'):\n"
        "    assert __import__('importlib.util').util.find_spec(name) is None, name\n"
        "layer = nb.Dense(3, 2, rng=0)\n"
        "print(nb.__version__, layer.forward(np.ones((4, 3))).shape, sorted(nb.__all__)[:1])\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    done = subprocess.run([python, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    import nnbook

    assert done.stdout.split()[0] == nnbook.__version__
    assert "(4, 2)" in done.stdout


def test_metadata_names_the_authors_and_the_project_urls(wheel):
    """What `pip show nnbook` prints: an author and a home page; and where the source and issues are."""
    import nnbook

    metadata = zipfile.ZipFile(wheel).read(f"nnbook-{nnbook.__version__}.dist-info/METADATA").decode()
    fields = [line.split(": ", 1) for line in metadata.split("\n\n", 1)[0].splitlines() if ": " in line]
    urls = dict(value.split(", ", 1) for key, value in fields if key == "Project-URL")
    assert ("Author", "The nnbook authors") in [tuple(field) for field in fields]
    assert set(urls) == {"Homepage", "Source", "Issues"}
    repository = urls["Source"]
    assert repository.startswith("https://github.com/") and urls["Issues"] == repository + "/issues"
    assert repository in (ROOT / "README.md").read_text(encoding="utf-8")  # one address, everywhere
