"""A missing or corrupt index at start: the forum serves on, search says it is rebuilt, and it
is."""

from __future__ import annotations

import shutil
from pathlib import Path

from forum import create_app
from forum.search import get_search_service
from tests.factories import make_thread, make_user

# The thread every test here searches for, written straight through the models.
WIND_POWER = {
    "title": "Vindkraft i Öresund",
    "body": "Vindkraftverk utanför Malmö.",
    "direct": True,
}


def _restart(app_settings, **extra):
    return create_app({**app_settings, **extra})


def test_missing_index_is_rebuilt_in_the_background(app, app_settings, db_session):
    make_thread(db_session, **WIND_POWER)
    shutil.rmtree(app_settings["SEARCH_DIR"])
    restarted = _restart(
        app_settings, SEARCH_BACKGROUND_REBUILD=False
    )  # rebuilt inline: deterministic
    client = restarted.test_client()
    assert "Vindkraft i Öresund" in client.get("/search?q=vindkraft").get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_while_rebuilding_search_says_so_and_the_forum_serves(
    app, app_settings, db_session, monkeypatch
):
    make_thread(db_session, **WIND_POWER)
    shutil.rmtree(app_settings["SEARCH_DIR"])
    from forum.search.sync import SearchService

    started = []
    monkeypatch.setattr(
        SearchService, "rebuild_if_first", lambda self, replace=False: started.append(self)
    )
    restarted = _restart(app_settings)
    service = get_search_service(restarted)
    service.rebuild_thread.join(timeout=30)
    client = restarted.test_client()
    response = client.get("/search?q=vindkraft")
    assert response.status_code == 200
    assert "being rebuilt" in response.get_data(as_text=True) or "byggs om" in response.get_data(
        as_text=True
    )
    assert client.get("/").status_code == 200
    assert started == [service]
    monkeypatch.undo()
    service.rebuild_if_first()
    assert "Vindkraft i Öresund" in client.get("/search?q=vindkraft").get_data(as_text=True)


def test_background_rebuild_thread_restores_the_index(app, app_settings, db_session):
    make_thread(db_session, **WIND_POWER)
    shutil.rmtree(app_settings["SEARCH_DIR"])
    restarted = _restart(app_settings)
    service = get_search_service(restarted)
    assert service.rebuild_thread is not None
    service.rebuild_thread.join(timeout=60)
    assert "Vindkraft i Öresund" in restarted.test_client().get("/search?q=vindkraft").get_data(
        as_text=True
    )


def test_corrupt_index_is_moved_aside_and_rebuilt(app, app_settings, db_session):
    make_thread(db_session, **WIND_POWER)
    live = get_search_service(app).store.live_path()
    for toc in Path(live).glob("*.toc"):
        toc.write_bytes(b"garbage")
    restarted = _restart(app_settings, SEARCH_BACKGROUND_REBUILD=False)
    assert "Vindkraft i Öresund" in restarted.test_client().get("/search?q=vindkraft").get_data(
        as_text=True
    )
    assert list(Path(app_settings["SEARCH_DIR"]).glob("corrupt-*"))


def publish_an_older_index(store) -> Path:
    """An empty index whose fields differ from this version's (here: the date as Whoosh's
    DATETIME, as version 1 wrote it), made the live one; its directory."""
    from whoosh import index as whoosh_index
    from whoosh.fields import DATETIME

    from forum.search.index import build_schema

    old_schema = build_schema()
    old_schema.remove("day")
    old_schema.remove("created")
    old_schema.add("created", DATETIME(stored=True, sortable=True))
    old = store._new_directory()
    whoosh_index.create_in(str(old), old_schema)
    store._publish(old)
    assert not store.is_current()
    return old


def test_index_of_an_older_version_is_searched_then_replaced(app, app_settings, db_session):
    """An index written by an older version is rebuilt beside the live one."""
    make_thread(db_session, **WIND_POWER)
    old = publish_an_older_index(get_search_service(app).store)
    restarted = _restart(app_settings, SEARCH_BACKGROUND_REBUILD=False)
    service = get_search_service(restarted)
    assert service.store.is_current() and service.store.live_path() != old
    assert "Vindkraft i Öresund" in restarted.test_client().get("/search?q=vindkraft").get_data(
        as_text=True
    )


def test_reindex_command_swaps_in_a_new_index(app, runner, db_session):
    make_thread(db_session, **WIND_POWER)
    before = get_search_service(app).store.live_path()
    result = runner.invoke(args=["forum", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 documents" in result.output
    after = get_search_service(app).store.live_path()
    assert after != before
    assert "Vindkraft i Öresund" in app.test_client().get("/search?q=vindkraft").get_data(
        as_text=True
    )


def test_two_nodes_sharing_a_database_each_keep_their_own_index(
    app, app_settings, db_session, tmp_path
):
    node_b = _restart(app_settings, SEARCH_DIR=str(tmp_path / "node-b-index"))
    # committed and applied by node A (the test's app), rows marked applied
    make_thread(db_session, **WIND_POWER)
    service_b = get_search_service(node_b)
    assert "Vindkraft i Öresund" not in node_b.test_client().get("/search?q=vindkraft").get_data(
        as_text=True
    )
    assert service_b.apply_pending() > 0  # B applies the rows A already applied
    assert "Vindkraft i Öresund" in node_b.test_client().get("/search?q=vindkraft").get_data(
        as_text=True
    )
    assert service_b.apply_pending() == 0


def test_old_applied_outbox_rows_are_pruned(app, db_session):
    from datetime import timedelta

    make_thread(db_session, **WIND_POWER)
    service = get_search_service(app)
    assert service.prune(older_than=timedelta(days=7)) == 0
    assert service.prune(older_than=timedelta(seconds=-60)) >= 2


def test_two_workers_writing_at_once_keep_the_index_whole(app, app_settings, db_session):
    import threading

    from sqlmodel import Session

    worker_b = _restart(app_settings)  # same database, same index directory: a second worker
    author = make_user(db_session)
    errors = []

    def write(application, prefix):
        try:
            with Session(application.extensions["forum_engine"], expire_on_commit=False) as session:
                for n in range(5):
                    make_thread(
                        session,
                        author,
                        f"{prefix} tråd {n}",
                        f"Parallell skrivning {prefix} {n}.",
                        direct=True,
                    )
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(a, p)) for a, p in ((app, "Alfa"), (worker_b, "Beta"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    get_search_service(app).apply_pending()
    ix = get_search_service(app).store.open()
    with ix.searcher() as searcher:
        keys = [fields["key"] for fields in searcher.all_stored_fields()]
    assert len(keys) == len(set(keys)) == 10
