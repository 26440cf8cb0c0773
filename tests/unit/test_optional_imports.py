"""Clients a setting does not ask for stay out of the process (forum/optional_imports.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from forum.config import PROJECT_ROOT
from forum.jobs import redis_huey
from forum.optional_imports import without_modules

# A fresh interpreter: this test process has long imported everything.
PROBE = textwrap.dedent(
    """
    import json, sys
    from forum import create_app
    app = create_app()
    app.test_client().get("/")
    print(json.dumps({name: name in sys.modules for name in ("redis", "psycopg", "huey")}))
    """
)


def _modules_after_a_request(tmp_path, probe: str = PROBE, **settings):
    """What ``probe`` prints last, as JSON, run in a fresh interpreter with ``settings``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "FORUM_DATABASE_URL": f"sqlite:///{tmp_path / 'forum.db'}",
        "FORUM_SEARCH_DIR": str(tmp_path / "index"),
        "FORUM_INSTANCE_DIR": str(tmp_path / "instance"),
        "FORUM_SECRET_KEY": "test-only",
        "FORUM_SEARCH_BACKGROUND_REBUILD": "false",
        **{f"FORUM_{key}": value for key, value in settings.items()},
    }
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_forum_on_sqlite_without_redis_loads_neither_redis_nor_psycopg(tmp_path):
    loaded = _modules_after_a_request(tmp_path, JOBS_WORKER="true")
    assert loaded == {"redis": False, "psycopg": False, "huey": True}


def test_a_queue_in_redis_loads_the_redis_client(tmp_path):
    loaded = _modules_after_a_request(
        tmp_path, JOBS_WORKER="true", REDIS_URL="redis://127.0.0.1:1/0"
    )
    assert loaded["redis"] and not loaded["psycopg"]


def test_hidden_modules_are_importable_again_after_the_block():
    name = "forum_optional_imports_probe"
    with without_modules("json", name):
        with pytest.raises(ImportError):
            __import__(name)
        assert sys.modules["json"] is json  # already imported: left alone
    assert name not in sys.modules  # "missing" is not remembered


def test_a_redis_queue_made_after_huey_was_imported_without_redis_works():
    queue = redis_huey("probe", url="redis://127.0.0.1:1/0", blocking=False)
    assert queue.storage.conn.connection_pool.connection_kwargs["port"] == 1
