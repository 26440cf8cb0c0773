"""Rate limits shared by every process: gunicorn started by the Procfile's ``web`` line (two
workers, as `make run` runs it) counting in a real Redis, one such server or two ("nodes") at
once; and what a process does while that Redis is down."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from limits import parse_many

from forum import create_app
from forum.config import Config
from tests.processes import Browser, free_port, procfile_process, wait_for
from tests.redis_fixtures import running_redis

# the documented limit per address ("10 per minute;60 per hour"), as make run enforces it
LOGIN_LIMIT = min(item.amount for item in parse_many(Config.RATELIMIT_LOGIN))
PASSED_ON = (
    "DATABASE_URL",
    "SEARCH_DIR",
    "INSTANCE_DIR",
    "MAIL_DIR",
    "SECRET_KEY",
    "ARGON2_TIME_COST",
    "ARGON2_MEMORY_COST",
    "ARGON2_PARALLELISM",
)


def serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5):
            return True
    except urllib.error.HTTPError:  # an answer all the same (503 while the index is built)
        return True
    except OSError:
        return False


@contextmanager
def running_web(settings: dict, storage_uri: str, log_path: Path) -> Iterator[str]:
    """The Procfile's web line (gunicorn, two workers) on a free port, with the production
    defaults but the test's database, directories and rate-limit storage; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "FORUM_BIND": f"127.0.0.1:{port}",
        "FORUM_WEB_WORKERS": "2",
        "FORUM_RATELIMIT_STORAGE_URI": storage_uri,
        "FORUM_JOBS_SQLITE_PATH": str(Path(settings["INSTANCE_DIR"]) / "jobs.db"),
        **{f"FORUM_{name}": str(settings[name]) for name in PASSED_ON},
    }

    def ready() -> bool:
        return log_path.read_text().count("Booting worker") == 2 and serves(url)

    with procfile_process("web", env, log_path, ready=ready):
        yield url


def refused_login(browser: Browser, n: int) -> dict:
    """A login that fails, each for another account, so that only the limit per address applies
    (an account's own limit is lower)."""
    token = browser.csrf_token("/login")
    return {"csrf_token": token, "email": f"person{n}@example.org", "password": "not it at all"}


def failed_logins(servers: list[str], count: int) -> list[int]:
    """The statuses of ``count`` refused logins from 127.0.0.1, taking turns over ``servers``."""
    browsers = [Browser(url) for url in servers]
    statuses = []
    for n in range(count):
        browser = browsers[n % len(browsers)]
        statuses.append(browser.request("/login", refused_login(browser, n))[0])
    return statuses


def test_two_gunicorn_workers_refuse_the_eleventh_failed_login(
    app_settings, redis_server, tmp_path
):
    with running_web(app_settings, redis_server.limits_uri, tmp_path / "web.log") as url:
        browser = Browser(url)
        statuses = []
        for n in range(0, LOGIN_LIMIT + 2, 2):
            # each pair of attempts goes to both workers: one holds the first, half sent, while
            # the other serves the second
            held = browser.post_held("/login", refused_login(browser, n))
            statuses.append(browser.request("/login", refused_login(browser, n + 1))[0])
            statuses.append(held()[0])
    assert LOGIN_LIMIT == 10
    assert statuses == [422] * LOGIN_LIMIT + [429, 429]
    assert redis_server.client().keys("LIMITS*")


def test_two_nodes_sharing_a_redis_count_together(app_settings, redis_server, tmp_path):
    # the second node has its own index and instance directory, and the same database
    node_b = {
        **app_settings,
        "SEARCH_DIR": str(tmp_path / "b" / "search_index"),
        "INSTANCE_DIR": str(tmp_path / "b" / "instance"),
        "MAIL_DIR": str(tmp_path / "b" / "instance" / "mail"),
    }
    uri = redis_server.limits_uri
    with (
        running_web(app_settings, uri, tmp_path / "a.log") as url_a,
        running_web(node_b, uri, tmp_path / "b.log") as url_b,
    ):
        statuses = failed_logins([url_a, url_b], LOGIN_LIMIT + 2)
    # the 11th attempt reaches the first node, the 12th the second: both refuse
    assert statuses == [422] * LOGIN_LIMIT + [429, 429]


def test_while_redis_is_down_the_limits_count_in_the_process(app_settings, tmp_path_factory):
    socket = tmp_path_factory.mktemp("redis") / "redis.sock"  # no server there yet
    app = create_app(
        {
            **app_settings,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": f"redis+unix://{socket}",
        }
    )
    client = app.test_client()

    def attempt(n: int) -> int:
        data = {"email": f"person{n}@example.org", "password": "not it at all"}
        return client.post("/login", data=data).status_code

    try:
        # the site answers, and this process alone keeps the limit exactly
        assert [attempt(n) for n in range(LOGIN_LIMIT + 1)] == [422] * LOGIN_LIMIT + [429]
        with running_redis(socket) as server:
            # flask-limiter tries the storage again after growing pauses (1, 2, 4 ... 32 s)
            wait_for(
                lambda: attempt(100) == 422 and bool(server.client().keys("LIMITS*")),
                socket.with_name("redis.log"),
                "the return to Redis",
            )
            counted_in_redis = [attempt(n) for n in range(LOGIN_LIMIT)]
    finally:
        app.extensions["forum_engine"].dispose()
    assert counted_in_redis == [422] * (LOGIN_LIMIT - 1) + [429]
