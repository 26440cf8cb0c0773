"""The job queue in a real Redis (FORUM_REDIS_URL, as several nodes share it): `flask forum
worker` runs what requests enqueue there, and parked jobs are listed from there. The rate limits
move to that Redis with the queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from huey import RedisHuey
from sqlmodel import select

from forum import create_app
from forum.accounts.models import Role
from forum.discussions.models import Post
from forum.jobs import get_jobs
from forum.search import get_search_service
from tests.factories import login_as, make_thread, make_user
from tests.http.test_jobs_admin import park
from tests.http.test_jobs_worker import KEY, running_worker, searchable, wait_for


@pytest.fixture
def redis_settings(worker_settings, redis_server) -> dict:
    return {**worker_settings, "REDIS_URL": redis_server.url}


@pytest.fixture
def redis_app(redis_settings):
    application = create_app(redis_settings)
    yield application
    application.extensions["forum_engine"].dispose()


def health(app) -> tuple[str, dict]:
    return get_jobs(app).health(max_silence=60)


def test_the_worker_runs_jobs_from_redis(redis_app, redis_settings, db_session, tmp_path):
    assert isinstance(get_jobs(redis_app).huey, RedisHuey)
    author = make_user(db_session, display_name="Anna Andersson", locale="en")
    thread, _ = make_thread(db_session, author)
    client = redis_app.test_client()
    login_as(client, author)
    log_path = tmp_path / "worker.log"
    with running_worker(redis_settings, log_path, FORUM_REDIS_URL=redis_settings["REDIS_URL"]):
        assert "queue in Redis" in log_path.read_text()
        # the worker's heartbeat reaches the web through Redis
        wait_for(lambda: health(redis_app)[0] == "ok", log_path, "the heartbeat")
        response = client.post(
            f"/threads/{thread.id}/replies",
            data={"reply-body": "Skyfallsparker tar hand om regnet", "reply-submission_key": KEY},
        )
        assert response.status_code == 303
        post = db_session.exec(select(Post).order_by(Post.id.desc())).first()
        wait_for(searchable(client, "skyfallsparker", post.id), log_path, "the reply")
    assert not Path(redis_settings["JOBS_SQLITE_PATH"]).exists()
    assert health(redis_app)[1]["jobs_queued"] == 0


def test_parked_jobs_are_listed_from_redis(redis_app, db_session, redis_server):
    client = redis_app.test_client()
    login_as(client, make_user(db_session, role=Role.admin, locale="en"))
    park(redis_app, "job-1", "tests.remember", "a value", error="refused by the server")
    stored = redis_server.client()
    assert stored.hkeys("huey.results.forum") == [b"parked:job-1"]
    html = client.get("/admin/jobs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "tests.remember" in html and "refused by the server" in html
    assert client.post("/admin/jobs/job-1/dismiss").status_code == 303
    assert get_jobs(redis_app).parked() == [] and not stored.hkeys("huey.results.forum")


def test_the_rate_limits_follow_the_redis_url(redis_settings, redis_server):
    app = create_app({**redis_settings, "RATELIMIT_ENABLED": True})
    try:
        data = {"email": "anna@example.org", "password": "not the password"}
        assert app.test_client().post("/login", data=data).status_code == 422
    finally:
        app.extensions["forum_engine"].dispose()
    assert app.config["RATELIMIT_STORAGE_URI"] == redis_server.limits_uri
    assert redis_server.client().keys("LIMITS*")


def test_a_write_succeeds_while_the_queue_is_down(worker_settings, db_session, caplog):
    """The reply commits with its outbox row; the enqueue that follows fails (no Redis on port 1)
    and is logged: the answer is the usual redirect, not a 500 that would make the writer post it
    again, and the sweep of a worker that can reach the queue applies the change later."""
    app = create_app({**worker_settings, "REDIS_URL": "redis://127.0.0.1:1/0"})
    try:
        author = make_user(db_session, display_name="Cecilia Ek", locale="en")
        thread, _ = make_thread(db_session, author)
        client = app.test_client()
        login_as(client, author)
        response = client.post(
            f"/threads/{thread.id}/replies",
            data={"reply-body": "Regnet tas om hand lokalt", "reply-submission_key": KEY},
        )
        assert response.status_code == 303
        assert db_session.exec(select(Post).where(Post.thread_id == thread.id)).all()[-1].body == (
            "Regnet tas om hand lokalt"
        )
        assert "job search.apply_outbox not enqueued" in caplog.text
        assert get_search_service(app).pending_count() == 1
    finally:
        app.extensions["forum_engine"].dispose()
