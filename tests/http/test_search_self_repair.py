"""The worker repairs a damaged index by itself: the first search that fails asks it to (the
minutely sweep would too), search shows the notice meanwhile and /healthz names the index. No
reindex by hand, no restart. Prints the seconds from the damage to results again."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from forum import create_app
from forum.search import get_search_service, health
from tests.factories import login_as, make_thread, make_user
from tests.http.test_jobs_worker import KEY, running_worker, wait_for
from tests.http.test_search_index_state import publish_an_older_index

NOTICE = "The search index is being rebuilt"


@pytest.fixture(autouse=True)
def fresh_verdicts(monkeypatch):
    monkeypatch.setattr(health, "VERDICT_SECONDS", 0)


def delete_live_directory(store) -> None:
    shutil.rmtree(store.live_path())


def delete_search_directory(store) -> None:
    shutil.rmtree(store.root)


def truncate_postings(store) -> None:
    postings = max(store.live_path().glob("*.pst"), key=lambda path: path.stat().st_size)
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 2])


def corrupt_table_of_contents(store) -> None:
    """A newer generation that cannot be read, as a commit cut short would leave."""
    latest = max(int(toc.stem.rsplit("_", 1)[1]) for toc in store.live_path().glob("_MAIN_*.toc"))
    (store.live_path() / f"_MAIN_{latest + 1}.toc").write_bytes(b"\x00garbage" * 8)


def found(client, thread_id: int) -> bool:
    return f"/threads/{thread_id}" in client.get("/search?q=skyfallsplan&lang=en").text


@pytest.mark.parametrize(
    "damage",
    [delete_live_directory, delete_search_directory, truncate_postings, corrupt_table_of_contents],
)
def test_the_worker_repairs_the_damage(
    damage, worker_app, worker_settings, db_session, tmp_path: Path
):
    thread, _ = make_thread(db_session, title="Skyfallsplan för Malmö", body="Regnbäddar.")
    client = worker_app.test_client()

    log_path = tmp_path / "worker.log"
    with running_worker(worker_settings, log_path):
        assert found(client, thread.id)
        damage(get_search_service(worker_app).store)
        damaged = time.monotonic()
        page = client.get("/search?q=skyfallsplan&lang=en")
        assert page.status_code in (200, 503) and NOTICE in page.text  # and a repair is asked
        answer = client.get("/healthz")
        assert answer.status_code == 503 and answer.json["search_index"].startswith("error")
        assert answer.json["worker"] == "ok"
        wait_for(lambda: found(client, thread.id), log_path, "search after the repair")
        seconds = time.monotonic() - damaged
        answer = client.get("/healthz")
    print(f"{damage.__name__}: search answered again {seconds:.2f} s after the damage")
    assert answer.status_code == 200, answer.json
    assert "rebuilt" in log_path.read_text() or "repaired" in log_path.read_text()


@pytest.mark.parametrize("state", ["missing", "outdated"])
def test_a_web_process_leaves_the_rebuild_at_its_start_to_the_worker(
    state, worker_app, worker_settings, db_session, tmp_path: Path
):
    """A web process that starts beside a missing index, or one an older version wrote, builds
    nothing itself: the build's memory would stay with it. It asks the worker, which builds."""
    thread, _ = make_thread(db_session, title="Skyfallsplan för Malmö", body="Regnbäddar.")
    store = get_search_service(worker_app).store
    if state == "missing":
        delete_search_directory(store)
    else:
        publish_an_older_index(store)
    restarted = create_app(worker_settings)
    try:
        service = get_search_service(restarted)
        client = restarted.test_client()
        page = client.get("/search?q=skyfallsplan&lang=en")
        assert service.rebuild_thread is None
        assert not (service.store.exists() and service.store.is_current())
        assert not found(client, thread.id)
        assert (NOTICE in page.text) == (state == "missing")
        log_path = tmp_path / "worker.log"
        with running_worker(worker_settings, log_path):
            wait_for(lambda: found(client, thread.id), log_path, "the worker's rebuild")
        assert service.store.is_current()
        assert "rebuilt" in log_path.read_text()
    finally:
        restarted.extensions["forum_engine"].dispose()


def test_healthz_names_a_silent_worker(worker_app, worker_settings, tmp_path: Path):
    client = worker_app.test_client()
    answer = client.get("/healthz")  # the queue is there, no worker ever beat
    assert answer.status_code == 503
    assert answer.json["worker"].startswith("error: no job worker has started")
    log_path = tmp_path / "worker.log"
    with running_worker(worker_settings, log_path, FORUM_JOBS_HEARTBEAT_SECONDS="0.2"):
        wait_for(lambda: client.get("/healthz").json["worker"] == "ok", log_path, "a beat")
        figures = client.get("/healthz").json["figures"]
        assert figures["worker_heartbeat_age_seconds"] < worker_app.config["HEALTH_WORKER_SILENCE"]
        assert figures["jobs_parked"] == 0
    worker_app.config["HEALTH_WORKER_SILENCE"] = 0.5
    wait_for(lambda: client.get("/healthz").status_code == 503, log_path, "the silence")
    assert "silent" in client.get("/healthz").json["worker"]


def test_a_held_write_lock_is_reported_and_outlived(
    worker_app, worker_settings, db_session, tmp_path: Path
):
    """Another process holds Whoosh's write lock (a long import, say): search goes on, writes are
    answered, /healthz names the waiting changes once they are older than allowed, and the worker
    applies them when the lock is free."""
    worker_app.config["HEALTH_PENDING_AGE"] = 1.0
    author = make_user(db_session)
    thread, _ = make_thread(db_session, author, title="Gröna tak", body="Sedum.")
    client = worker_app.test_client()
    login_as(client, author)
    store = get_search_service(worker_app).store
    log_path = tmp_path / "worker.log"

    class Release(Exception):
        pass

    with running_worker(worker_settings, log_path, FORUM_SEARCH_LOCK_TIMEOUT="0.2"):
        with pytest.raises(Release), store.writer(timeout=1):
            reply = {"reply-body": "Sedumtak i Augustenborg", "reply-submission_key": KEY}
            assert client.post(f"/threads/{thread.id}/replies", data=reply).status_code == 303
            assert "#post-" not in client.get("/search?q=augustenborg&lang=en").text
            wait_for(lambda: client.get("/healthz").status_code == 503, log_path, "the report")
            answer = client.get("/healthz").json
            assert answer["search_outbox"].startswith("error: 1 index change(s) pending")
            assert answer["search_index"] == "ok" and answer["worker"] == "ok"
            raise Release
        wait_for(lambda: client.get("/healthz").status_code == 200, log_path, "the change")
    assert "#post-" in client.get("/search?q=augustenborg&lang=en").text
