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


# A web worker's memory: the migration tool stays out (its CLI commands are registered, not run),
# and detecting a post's language loads lingua's small models (the full ones take some 86 MiB).
WORKER_PROBE = textwrap.dedent(
    """
    import json, re, sys
    from forum import create_app
    from forum.language import detect_language

    def resident():
        status = open("/proc/self/status").read()
        return int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1)) / 1024

    app = create_app()
    app.test_client().get("/")
    before = resident()
    language = detect_language("Fjärrvärmen i kvarteret blev billigare efter bytet av pannor.")
    print(json.dumps({"alembic": "alembic" in sys.modules, "mako": "mako" in sys.modules,
                      "language": language, "detector_mib": resident() - before}))
    """
)


def test_a_web_worker_leaves_out_alembic_and_the_large_language_models(tmp_path):
    loaded = _modules_after_a_request(tmp_path, probe=WORKER_PROBE)
    assert (loaded["alembic"], loaded["mako"], loaded["language"]) == (False, False, "sv")
    assert loaded["detector_mib"] < 40


# What a worker imports only where it is used: a calendar (icalendar), a picture (Pillow),
# captions (webvtt); what lxml would import for feeds that never need it (rnc2rng); and, on
# SQLite, PostgreSQL's dialect.
PAGES_PROBE = textwrap.dedent(
    """
    import json, sys
    from sqlmodel import SQLModel
    from forum import create_app
    app = create_app()
    SQLModel.metadata.create_all(app.extensions["forum_engine"])
    client = app.test_client()
    for path in ("/", "/threads.atom", "/events", "/search?q=energi"):
        assert client.get(path).status_code == 200, path
    names = ("icalendar", "PIL", "webvtt", "rnc2rng", "feedgen", "sqlalchemy.dialects.postgresql")
    print(json.dumps({name: name in sys.modules for name in names}))
    """
)


def test_pages_and_feeds_leave_out_calendars_pictures_captions_rnc2rng_and_postgresql(tmp_path):
    loaded = _modules_after_a_request(tmp_path, probe=PAGES_PROBE)
    assert loaded == {
        "icalendar": False,
        "PIL": False,
        "webvtt": False,
        "rnc2rng": False,
        "feedgen": True,
        "sqlalchemy.dialects.postgresql": False,
    }


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
