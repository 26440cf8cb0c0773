"""A real Redis for the tests: `redis-server` started by the Procfile's ``redis`` line, as
`make run` starts it, on a socket in a temporary directory, and stopped at the end of the test.
`make test` and `make test-pg` install Debian's redis-server when it is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.processes import procfile_process


@dataclass(frozen=True)
class RedisServer:
    socket: Path

    @property
    def url(self) -> str:
        """redis-py's URL, as FORUM_REDIS_URL takes it."""
        return f"unix://{self.socket}"

    @property
    def limits_uri(self) -> str:
        """The same server in the syntax of FORUM_RATELIMIT_STORAGE_URI (limits)."""
        return f"redis+unix://{self.socket}"

    def client(self) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket), socket_timeout=5)

    def answers(self) -> bool:
        try:
            with self.client() as client:
                return client.ping()
        except redis.ConnectionError:
            return False


@contextmanager
def running_redis(socket: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (`make test` installs Debian's)")
    server = RedisServer(socket)
    log_path = socket.with_name(socket.stem + ".log")
    env = {"FORUM_REDIS_SOCKET": str(socket)}
    with procfile_process("redis", env, log_path, ready=server.answers):
        yield server


@pytest.fixture
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    # not tmp_path: a socket's path must stay under 108 bytes, and test names are long
    with running_redis(tmp_path_factory.mktemp("redis") / "redis.sock") as server:
        yield server
