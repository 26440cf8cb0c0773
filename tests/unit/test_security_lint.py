"""The static security lint: ruff's bandit rules (S) run with the project's settings, on the
forum's code, with every accepted finding written down where it is accepted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from forum.config import PROJECT_ROOT

RUFF = Path(sys.executable).with_name("ruff")
RISKY = """import subprocess
import pickle


def run(command, data):
    subprocess.call(command, shell=True)
    return pickle.loads(data)
"""


def _ruff(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RUFF), "check", "--no-cache", "--output-format", "concise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_settings_catch_insecure_code():
    """Code the rules exist for is refused by `make lint` (the project's own configuration)."""
    sample = PROJECT_ROOT / "forum" / "_security_lint_sample.py"
    result = subprocess.run(
        [
            str(RUFF),
            "check",
            "--no-cache",
            "--output-format",
            "concise",
            "--stdin-filename",
            str(sample),
            "-",
        ],
        cwd=PROJECT_ROOT,
        input=RISKY,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "S602" in result.stdout and "S301" in result.stdout


def test_the_forum_has_no_unexplained_finding():
    result = _ruff("--select", "S", "forum", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_accepted_finding_in_the_forum_says_why():
    """A `# noqa: S...` is followed by the reason in parentheses, on the same line."""
    bare = []
    for path in (PROJECT_ROOT / "forum").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.search(r"#\s*noqa:[^#]*\bS\d{3}\b(.*)$", line)
            if match and not re.search(r"\(\S.*\)", match.group(1)):
                bare.append(f"{path.relative_to(PROJECT_ROOT)}:{number}")
    assert bare == []
