"""The Nu HTML checker (npm ``vnu-jar``, pinned in package.json) over a batch of pages.

One JVM start checks the whole batch: starting Java costs more than checking a page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from forum.config import PROJECT_ROOT

VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def java_and_vnu() -> list[str]:
    """The command that runs the checker; skips, saying why, where it is not installed (``make
    test`` installs both: the npm package and Debian's ``default-jre-headless``)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on this machine (make test installs default-jre-headless)")
    if not VNU_JAR.is_file():
        pytest.skip(f"{VNU_JAR} is missing (make test runs npm ci)")
    # the checker's schema needs a deep stack; one short batch runs in half the CPU time on
    # the quick compiler alone with the simplest collector
    return [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU_JAR)]


def html_errors(pages: dict[str, str], directory: Path) -> list[str]:
    """Check every page (label -> full HTML document) at once; one readable line per error:
    ``label:line: message «extract»``."""
    command = java_and_vnu()
    directory.mkdir(parents=True, exist_ok=True)
    labels, files = {}, []
    for number, (label, html) in enumerate(pages.items()):
        path = directory / f"page{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        labels[path.name] = label
        files.append(str(path))
    run = subprocess.run(
        [*command, "--format", "json", "--errors-only", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(run.stderr)["messages"]
    except ValueError:
        pytest.fail(f"the checker failed (exit status {run.returncode}):\n{run.stderr}")
    errors = []
    for message in messages:
        url = message.get("url", "?")
        label = labels.get(url.rsplit("/", 1)[-1], url)
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{label}:{message.get('lastLine', '?')}: {message['message']}  «{extract}»")
    return errors
