"""The forum's processes for real, as `make run` starts them from the ``Procfile`` (a line under
``sh``, as honcho runs it): gunicorn (``web``), the job worker (``worker``) and ``redis-server``,
on a test's database, index and queue, with the virtualenv the tests run in, configured only by
the environment the test gives them.

Used by the job worker, Redis, rate-limit, soak and crash tests and by
``bench/commit_to_search.py``. Every process is stopped at the end (SIGTERM/SIGINT, then
SIGKILL), so a test leaves nothing running.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
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

WAIT = 60.0  # seconds: a bound for a loaded machine; a process usually needs well under one
BIN = Path(sys.executable).parent
# the settings a process needs to work on the test's own files and database
PASSED_ON = (
    "DATABASE_URL",
    "SEARCH_DIR",
    "INSTANCE_DIR",
    "MAIL_DIR",
    "SECRET_KEY",
    "JOBS_SQLITE_PATH",
    "MAIL_SERVER",
    "MAIL_PORT",
)


def forum_env(settings: dict, **extra_env: str) -> dict:
    """The environment of a forum process: ``FORUM_*`` for the settings of ``PASSED_ON`` that are
    set, the job worker on, and ``extra_env`` last."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    return {
        **inherited,
        "FLASK_APP": "forum:create_app",
        "FORUM_JOBS_WORKER": "true",
        **{f"FORUM_{name}": str(settings[name]) for name in PASSED_ON if settings.get(name)},
        **extra_env,
    }


def procfile_command(name: str) -> list[str]:
    """The ``Procfile``'s command ``name`` (run by a shell, as honcho does), with this
    interpreter's virtualenv for ``.venv`` (a git worktree has none of its own)."""
    for line in (PROJECT_ROOT / "Procfile").read_text().splitlines():
        key, sep, command = line.partition(":")
        if sep and key.strip() == name:
            command = command.strip().replace(".venv/bin/", f"{shlex.quote(str(BIN))}/")
            return ["/bin/sh", "-c", f"exec {command}"]  # exec: the pid is the process itself
    raise LookupError(f"no {name!r} line in the Procfile")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    check: Callable[[], bool], log_path: Path, what: str, *, timeout: float = WAIT
) -> float:
    """Seconds until ``check()`` holds; fails (with the process's log) after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{what} not within {timeout}s; log:\n{log_path.read_text()[-5000:]}")


def children(pid: int) -> set[int]:
    """The child processes of ``pid`` (gunicorn's master: its web workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(part) for part in text.split()}


def _stop(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


def _start(name: str, env: dict, log_path: Path) -> subprocess.Popen:
    with open(log_path, "ab") as log:  # appended: a restart keeps what came before
        return subprocess.Popen(
            procfile_command(name), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )


@contextmanager
def procfile_process(
    name: str, env: dict[str, str], log_path: Path, *, ready: Callable[[], bool]
) -> Iterator[subprocess.Popen]:
    """The Procfile's ``name`` with ``env`` (and no other FORUM_* variable), once ``ready()``
    holds; stopped with SIGTERM (gunicorn and redis-server stop on it), killed after 20 s."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    log_path.touch()
    process = _start(name, {**inherited, **env}, log_path)

    def started() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"{name} exited ({process.returncode}):\n{log_path.read_text()}")
        return ready()

    try:
        wait_for(started, log_path, f"{name} ready")
        yield process
    finally:
        _stop(process, signal.SIGTERM)


@contextmanager
def running_worker(settings: dict, log_path: Path, **extra_env: str):
    """The ``Procfile``'s job worker with these settings; stopped (SIGINT, then killed) at the
    end."""
    log_path.touch()
    process = _start("worker", forum_env(settings, **extra_env), log_path)
    try:
        wait_for(lambda: "consumer started" in log_path.read_text(), log_path, "the worker")
        yield process
    finally:
        _stop(process, signal.SIGINT)


class Forum:
    """Both ``Procfile`` processes on one set of settings, with 127.0.0.1:``port``; each logs to
    its own file in ``directory``. Kill either and start it again as a supervisor would."""

    def __init__(self, settings: dict, directory: Path, **extra_env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = forum_env(
            settings,
            FORUM_BIND=f"127.0.0.1:{self.port}",
            FORUM_WEB_WORKERS="2",
            **extra_env,
        )
        self.web_log = directory / "web.log"
        self.worker_log = directory / "worker.log"
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def __enter__(self) -> Forum:
        try:
            self.start_worker()
            self.start_web()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    # -- starting ---------------------------------------------------------------------------------
    def start_web(self) -> None:
        self.web_log.touch()
        self.web = _start("web", self.env, self.web_log)
        wait_for(self._answers, self.web_log, "gunicorn's first answer", timeout=2 * WAIT)
        wait_for(lambda: len(self.web_workers()) == 2, self.web_log, "two web workers")

    def start_worker(self) -> None:
        self.worker_log.touch()
        before = self.worker_log.read_text().count("consumer started")
        self.worker = _start("worker", self.env, self.worker_log)
        wait_for(
            lambda: self.worker_log.read_text().count("consumer started") > before,
            self.worker_log,
            "the job worker",
        )

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5):
                return True
        except urllib.error.HTTPError:  # 503 is an answer too
            return True
        except OSError:
            return False

    # -- killing ----------------------------------------------------------------------------------
    def web_workers(self) -> set[int]:
        return children(self.web.pid) if self.web is not None else set()

    def kill_web_worker(self) -> int:
        """SIGKILL one web worker; waits for gunicorn's master to start its replacement."""
        before = self.web_workers()
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda: len(self.web_workers() - {victim}) == 2, self.web_log, "a replacement worker"
        )
        return victim

    def kill_worker(self) -> None:
        self.worker.kill()
        self.worker.wait()

    def kill_all(self) -> None:
        """SIGKILL the master, its workers and the job worker at once (a power cut, in effect)."""
        pids = [self.web.pid, *self.web_workers(), self.worker.pid]
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        self.web.wait()
        self.worker.wait()
        wait_for(lambda: not any(_alive(pid) for pid in pids), self.web_log, "the processes' end")

    def stop(self) -> None:
        if self.web is not None:
            workers = self.web_workers()
            _stop(self.web, signal.SIGTERM)
            for pid in workers:  # a master killed earlier leaves none; a stuck one, some
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
        if self.worker is not None:
            _stop(self.worker, signal.SIGINT)


def _alive(pid: int) -> bool:
    """Running (not a zombie waiting for its parent)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


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
