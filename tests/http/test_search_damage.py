"""A damaged index (real files in the test's index directory): search says it is being rebuilt
instead of failing, /healthz says what is wrong, and `flask forum check-index --repair` or a
rebuild makes search answer again."""

from __future__ import annotations

import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from forum.clock import utcnow
from forum.search import get_search_service, health
from forum.search.index import IndexUnavailable
from tests.factories import make_lesson, make_project, make_thread, make_user

WIND = {"title": "Vindkraft i Öresund", "body": "Vindkraftverk utanför Malmö.", "direct": True}
NOTICE = "The search index is being rebuilt"


@pytest.fixture(autouse=True)
def fresh_verdicts(monkeypatch):
    """Every /healthz here checks again (in service a verdict is reused for a few seconds)."""
    monkeypatch.setattr(health, "VERDICT_SECONDS", 0)


def search(client, q: str = "vindkraft") -> str:
    response = client.get(f"/search?q={q}&lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def in_another_thread(function, *args):
    """Each thread keeps a searcher of its own."""
    results = []
    worker = threading.Thread(target=lambda: results.append(function(*args)))
    worker.start()
    worker.join(timeout=60)
    return results[0]


def live(app) -> Path:
    return get_search_service(app).store.live_path()


def check_index(app, *args: str):
    return app.test_cli_runner().invoke(args=["forum", "check-index", *args])


def unreadable_generation(app) -> Path:
    """A newer generation of the live index that cannot be opened (remove it to heal)."""
    toc = sorted(live(app).glob("_MAIN_*.toc"))[-1]
    generation = int(toc.stem.rsplit("_", 1)[1])
    broken = toc.with_name(f"_MAIN_{generation + 1}.toc")
    broken.write_bytes(b"garbage")
    return broken


def test_the_searcher_is_reopened_after_a_failure(app, db_session):
    make_thread(db_session, **WIND)
    store = get_search_service(app).store
    assert store.searcher().doc_count() == 1
    broken = unreadable_generation(app)
    with pytest.raises(IndexUnavailable):
        store.searcher()
    broken.unlink()
    assert store.searcher().doc_count() == 1


def test_a_failed_open_is_not_kept_once_the_index_is_whole_again(app, client, db_session):
    make_thread(db_session, **WIND)
    assert "Vindkraft i Öresund" in search(client)
    broken = unreadable_generation(app)
    assert NOTICE in search(client)
    broken.unlink()
    assert "Vindkraft i Öresund" in search(client)


def test_any_index_error_shows_the_notice_and_is_logged(
    app, client, db_session, monkeypatch, caplog
):
    from forum.search import engine

    make_thread(db_session, **WIND)

    def broken(*args, **kwargs):
        raise EOFError("a postings block ends early")

    monkeypatch.setattr(engine, "search", broken)
    assert NOTICE in search(client)
    assert "a postings block ends early" in caplog.text
    monkeypatch.undo()
    assert "Vindkraft i Öresund" in search(client)


def test_deleted_index_directory(app, client, db_session):
    make_thread(db_session, **WIND)
    shutil.rmtree(app.config["SEARCH_DIR"])
    assert NOTICE in search(client)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "does not exist" in response.json["search_index"]
    result = check_index(app)
    assert result.exit_code == 1 and "cannot be read" in result.output
    result = check_index(app, "--repair")
    assert result.exit_code == 0, result.output
    assert "Vindkraft i Öresund" in search(client)
    assert client.get("/healthz").status_code == 200


def test_truncated_postings_file(app, client, db_session, runner):
    make_thread(db_session, **WIND)
    assert "Vindkraft i Öresund" in search(client)
    postings = next(live(app).glob("*.pst"))
    postings.write_bytes(postings.read_bytes()[:10])
    assert NOTICE in search(client)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert f"{postings.name} has 10 bytes" in response.json["search_index"]
    assert "error: damaged index" in runner.invoke(args=["forum", "search-status"]).output
    assert check_index(app, "--repair").exit_code == 0
    assert "Vindkraft i Öresund" in search(client)
    assert client.get("/healthz").json["search_index"] == "ok"


def test_corrupt_table_of_contents(app, client, db_session, runner):
    make_thread(db_session, **WIND)
    assert "Vindkraft i Öresund" in search(client)
    for toc in live(app).glob("*.toc"):
        toc.write_bytes(b"garbage")
    assert NOTICE in in_another_thread(search, client)  # which opens the index afresh
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "cannot open the index" in response.json["search_index"]
    assert "error: cannot open the index" in runner.invoke(args=["forum", "search-status"]).output
    assert runner.invoke(args=["forum", "reindex"]).exit_code == 0
    assert "Vindkraft i Öresund" in search(client)
    assert client.get("/healthz").status_code == 200


def test_missing_stale_and_extra_documents_are_found_and_repaired(app, client, db_session):
    wind, _ = make_thread(db_session, **WIND, replies=2)
    sun, _ = make_thread(db_session, title="Solceller på taket", body="Solpaneler.", direct=True)
    store = get_search_service(app).store
    with store.writer() as writer:  # behind the outbox's back
        writer.delete_by_term("key", f"thread:{sun.id}")
        writer.add_document(key="thread:999", group="thread:999", kind="thread", title_sv="Spök")
    update = text("UPDATE thread SET title = 'Havsvind' WHERE id = :id")
    db_session.execute(update, {"id": wind.id})  # no flush, so no outbox row
    db_session.commit()

    assert client.get("/healthz").status_code == 200  # as many documents as there should be
    result = check_index(app)
    assert result.exit_code == 1
    assert f"missing: 1 (thread:{sun.id})" in result.output
    assert f"stale: 1 (thread:{wind.id})" in result.output
    assert "extra: 1 (thread:999)" in result.output
    assert "Havsvind" not in search(client, "havsvind")

    result = check_index(app, "--repair")
    assert result.exit_code == 0 and "Repaired 3 document(s)" in result.output
    assert "Havsvind" in search(client, "havsvind")
    assert "Solceller på taket" in search(client, "solceller")
    assert "Spök" not in search(client, "spök")
    result = check_index(app)
    assert result.exit_code == 0 and "agrees with the database" in result.output


def test_healthz_compares_the_number_of_documents_with_the_database(app, client, db_session):
    thread, _ = make_thread(db_session, **WIND)
    with get_search_service(app).store.writer() as writer:
        writer.delete_by_term("key", f"thread:{thread.id}")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "holds 0 documents, the database has 1" in response.json["search_index"]


def test_the_count_of_indexable_documents_follows_the_providers(app, db_session):
    from datetime import datetime

    author = make_user(db_session)
    make_thread(db_session, author, replies=3, direct=True)
    _, posts = make_thread(db_session, author, "Dold", "Dold tråd.", replies=2, direct=True)
    posts[0].hidden_at = datetime(2026, 1, 1)  # a hidden opening post: the thread is still found
    posts[1].deleted_at = datetime(2026, 1, 1)
    make_thread(db_session, author, "Gömd", "Gömd.", hidden_at=datetime(2026, 1, 1), direct=True)
    project = make_project(db_session, author, direct=True, slug="hyllie", name="Hyllie")
    make_project(db_session, author, direct=True, slug="dold", hidden_at=datetime(2026, 1, 1))
    with app.test_request_context():
        lesson = make_lesson(db_session, project, author)
        make_lesson(db_session, project, author, publish=False, title="Ett utkast")
    make_thread(db_session, author, replies=1, direct=True, kind="lesson")  # of no lesson
    db_session.commit()
    assert lesson.thread_id is not None
    assert health.indexable_count(db_session) == get_search_service(app).rebuild()


def test_healthz_allows_the_changes_still_pending(app, client, db_session):
    make_thread(db_session, **WIND)
    db_session.info["search_defer_apply"] = True  # committed, not yet applied to the index
    make_thread(db_session, title="Solceller på taket", body="Solpaneler.", direct=True)
    assert get_search_service(app).pending_count() == 2  # the thread and its opening post
    assert client.get("/healthz").status_code == 200
    assert get_search_service(app).apply_pending() == 2
    assert client.get("/healthz").status_code == 200


def test_healthz_names_changes_that_waited_too_long(app, client, db_session):
    db_session.info["search_defer_apply"] = True
    make_thread(db_session, **WIND)
    db_session.execute(
        text("UPDATE search_outbox SET created_at = :when"),
        {"when": utcnow() - timedelta(seconds=app.config["HEALTH_PENDING_AGE"] + 60)},
    )
    db_session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["search_index"] == "ok"
    assert response.json["search_outbox"].startswith("error: 2 index change(s) pending")
    assert response.json["figures"]["search_pending_changes"] == 2
    assert response.json["figures"]["search_oldest_pending_seconds"] >= 360
    get_search_service(app).apply_pending()
    assert client.get("/healthz").status_code == 200


def test_sizes_follow_the_segments_as_writes_merge_them(app, client, db_session):
    import json

    author = make_user(db_session)
    for n in range(12):  # a commit each: Whoosh merges the small segments on the way
        make_thread(db_session, author, f"Tråd {n}", "Om kompost.", direct=True)
    ix = get_search_service(app).store.open()
    listed = {name for s in ix._read_toc().segments for name in s.list_files(ix.storage)}
    assert set(json.loads((live(app) / ".sizes.json").read_text())) == listed
    assert client.get("/healthz").status_code == 200
    assert "Tråd 11" in search(client, "kompost")
