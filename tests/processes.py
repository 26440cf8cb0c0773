"""Real processes for the tests, started as `make run` starts them: a command line of the
Procfile under ``sh`` (as honcho runs it), with the virtualenv the tests run in, configured only by
the environment the test gives it, and stopped whatever happens."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

from forum.config import PROJECT_ROOT

PROCFILE = PROJECT_ROOT / "Procfile"
WAIT = 60.0  # seconds: a bound for a loaded machine; a start usually takes a second or two


def procfile_command(name: str) -> str:
    """The command of the Procfile's process ``name``."""
    for line in PROCFILE.read_text(encoding="utf-8").splitlines():
        key, colon, command = line.partition(":")
        if colon and key.strip() == name:
            return command.strip()
    raise LookupError(f"no process {name!r} in {PROCFILE}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check: Callable[[], bool], log_path: Path, what: str) -> float:
    """Seconds until ``check()`` holds; fails (with the process's log) after ``WAIT``."""
    started = time.monotonic()
    while time.monotonic() - started < WAIT:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{what} not within {WAIT}s; log:\n{log_path.read_text()}")


@contextmanager
def procfile_process(
    name: str, env: dict[str, str], log_path: Path, *, ready: Callable[[], bool]
) -> Iterator[subprocess.Popen]:
    """The Procfile's ``name`` with ``env`` (and no other FORUM_* variable), once ``ready()``
    holds; stopped with SIGTERM (gunicorn and redis-server stop on it), killed after 20 s."""
    venv_bin = f"{Path(sys.executable).parent}/"
    command = "exec " + procfile_command(name).replace(".venv/bin/", venv_bin)
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["sh", "-c", command],
            cwd=PROJECT_ROOT,
            env={**inherited, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        def started() -> bool:
            if process.poll() is not None:
                log = log_path.read_text()
                raise AssertionError(f"{name} exited ({process.returncode}):\n{log}")
            return ready()

        try:
            wait_for(started, log_path, f"{name} ready")
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Browser:
    """A cookie-keeping HTTP client for a server in another process (standard library only)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=WAIT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # 4xx and 5xx answers, with their pages
            with error:
                return error.code, error.read().decode()

    def post_held(self, path: str, data: dict) -> Callable[[], tuple[int, str]]:
        """Send a POST but for its last byte, and answer a function that sends that byte and
        reads the answer: until then, the gunicorn worker that took the request serves no other
        (sync workers serve one request at a time)."""
        body = urllib.parse.urlencode(data).encode()
        where = urllib.parse.urlsplit(self.base_url)
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=WAIT)
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(len(body)))
        connection.putheader("Cookie", "; ".join(f"{c.name}={c.value}" for c in self.cookies))
        connection.endheaders(body[:-1])

        def finish() -> tuple[int, str]:
            with closing(connection):
                connection.send(body[-1:])
                with connection.getresponse() as response:
                    return response.status, response.read().decode()

        return finish

    def csrf_token(self, path: str) -> str:
        status, html = self.request(path)
        assert status == 200, html
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
