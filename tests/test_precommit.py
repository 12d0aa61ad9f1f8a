"""The pre-commit config: local hooks only (no network at commit time), and each one passes on the tree."""

import shlex
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = [hook for repo in CONFIG["repos"] for hook in repo["hooks"]]


def test_every_hook_is_local_and_runs_the_projects_own_tools():
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    assert {hook["id"] for hook in HOOKS} == {"tangle-check", "ruff-check", "ruff-format"}
    for hook in HOOKS:
        assert hook["language"] == "system", hook["id"]
        program = shlex.split(hook["entry"])[0]
        assert (ROOT / program).exists(), f"{hook['id']}: {program} is missing (make install)"


def test_every_hook_passes_on_the_committed_tree():
    python_files = subprocess.run(
        ["git", "ls-files", "*.py", "*.pyi"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for hook in HOOKS:
        command = shlex.split(hook["entry"]) + ([] if hook.get("pass_filenames") is False else python_files)
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{hook['id']}:\n{done.stdout}{done.stderr}"
