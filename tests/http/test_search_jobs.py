"""Search's jobs (forum/search/jobs.py) in huey's immediate mode: the hourly check repairs the
index, the sweep applies what no job applied, the job after a commit asks for a retry while the
index is locked."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text
from sqlmodel import Session

from forum import create_app
from forum.jobs import RetryLater, get_jobs
from forum.search import get_search_service
from forum.search.jobs import apply_outbox
from tests.factories import make_thread, make_user

WIND = {"title": "Vindkraft i Öresund", "body": "Vindkraftverk utanför Malmö.", "direct": True}


def found(client, q: str) -> str:
    return client.get(f"/search?q={q}", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_the_check_job_repairs_missing_stale_and_extra_documents(app, client, db_session, caplog):
    wind, _ = make_thread(db_session, **WIND)
    sun, _ = make_thread(db_session, title="Solceller på taket", body="Solpaneler.", direct=True)
    with get_search_service(app).store.writer() as writer:  # behind the outbox's back
        writer.delete_by_term("key", f"thread:{sun.id}")
        writer.add_document(key="thread:999", group="thread:999", kind="thread", title_sv="Spök")
    db_session.execute(text("UPDATE thread SET title = 'Havsvind' WHERE id = :id"), {"id": wind.id})
    db_session.commit()  # no flush of the object, so no outbox row
    assert "Havsvind" not in found(client, "havsvind")

    get_jobs(app).enqueue("search.check_index")
    assert "repaired 1 missing, 1 stale and 1 extra document(s)" in caplog.text
    assert "Havsvind" in found(client, "havsvind")
    assert "Solceller på taket" in found(client, "solceller")
    assert "Spök" not in found(client, "spök")


def test_the_check_job_rebuilds_an_unreadable_index(app, client, db_session, caplog):
    make_thread(db_session, **WIND)
    shutil.rmtree(app.config["SEARCH_DIR"])
    get_jobs(app).enqueue("search.check_index")
    assert "could not be read" in caplog.text
    assert "Vindkraft i Öresund" in found(client, "vindkraft")


def test_the_sweep_applies_what_no_job_applied(app, client, db_session):
    db_session.info["search_defer_apply"] = True  # committed, as if the enqueue never happened
    make_thread(db_session, **WIND)
    service = get_search_service(app)
    assert service.pending_count() == 2  # the thread and its opening post
    get_jobs(app).enqueue("search.sweep_outbox")
    assert service.pending_count() == 0
    assert "Vindkraft i Öresund" in found(client, "vindkraft")


def test_the_sweep_repairs_an_index_that_lost_documents(app, client, db_session, caplog):
    sun, _ = make_thread(db_session, title="Solceller på taket", body="Solpaneler.", direct=True)
    with get_search_service(app).store.writer() as writer:  # behind the outbox's back
        writer.delete_by_term("key", f"thread:{sun.id}")
    get_jobs(app).enqueue("search.sweep_outbox")
    assert "search sweep: error: the index holds 0 documents" in caplog.text
    assert "repaired 1 missing" in caplog.text
    assert "Solceller på taket" in found(client, "solceller")


def test_the_sweep_rebuilds_a_missing_index(app, client, db_session, caplog):
    make_thread(db_session, **WIND)
    shutil.rmtree(get_search_service(app).store.live_path())
    get_jobs(app).enqueue("search.sweep_outbox")
    assert "could not be read" in caplog.text
    assert "Vindkraft i Öresund" in found(client, "vindkraft")


def test_the_apply_job_asks_for_a_retry_while_the_index_is_locked(app_settings):
    app = create_app({**app_settings, "SEARCH_LOCK_TIMEOUT": 0.2})
    try:
        service = get_search_service(app)
        with app.app_context(), service.store.writer(timeout=1):  # another writer
            with Session(app.extensions["forum_engine"]) as session:
                session.info["search_defer_apply"] = True
                make_thread(session, make_user(session), **WIND)
            with pytest.raises(RetryLater, match="2 index change"):
                apply_outbox()
        with app.app_context():
            apply_outbox()  # the lock is free again
        assert service.pending_count() == 0
    finally:
        app.extensions["forum_engine"].dispose()
