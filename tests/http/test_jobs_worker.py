"""The job worker for real: the Procfile's `flask forum worker` in a subprocess, on the test's
database, index and queue (a SQLite file in the test's instance directory), fed by requests of
the test client.

A request commits and answers; the worker makes the reply searchable and sends the mail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import select

from forum.discussions.models import Post
from forum.search import get_search_service
from tests.accounts_fixtures import REGISTRATION, register
from tests.factories import login_as, make_thread, make_user
from tests.mail_fixtures import body_text
from tests.processes import procfile_process, wait_for

KEY = "abcdefghijklmnopqrstuvwxyz012345"


@contextmanager
def running_worker(settings: dict, log_path: Path, **extra_env):
    """The Procfile's worker line (`flask forum worker`) with these settings, stopped at the end."""
    names = (
        "DATABASE_URL",
        "SEARCH_DIR",
        "INSTANCE_DIR",
        "MAIL_DIR",
        "SECRET_KEY",
        "JOBS_SQLITE_PATH",
        "MAIL_SERVER",
        "MAIL_PORT",
    )
    env = {
        "FORUM_JOBS_WORKER": "true",
        **{f"FORUM_{name}": str(settings[name]) for name in names},
        **extra_env,
    }

    def ready() -> bool:
        return "consumer started" in log_path.read_text()

    with procfile_process("worker", env, log_path, ready=ready) as process:
        yield process


def searchable(client, word: str, post_id: int) -> Callable[[], bool]:
    return lambda: f"#post-{post_id}" in client.get(f"/search?q={word}").get_data(as_text=True)


def test_the_worker_makes_a_reply_searchable(worker_app, worker_settings, db_session, tmp_path):
    author = make_user(db_session, display_name="Anna Andersson", locale="en")
    thread, _ = make_thread(db_session, author)
    client = worker_app.test_client()
    login_as(client, author)
    log_path = tmp_path / "worker.log"
    with running_worker(worker_settings, log_path):
        started = time.monotonic()
        response = client.post(
            f"/threads/{thread.id}/replies",
            data={"reply-body": "Regnbäddar fördröjer skyfallsvatten", "reply-submission_key": KEY},
        )
        answered = time.monotonic() - started
        assert response.status_code == 303
        post = db_session.exec(select(Post).order_by(Post.id.desc())).first()
        seconds = wait_for(searchable(client, "regnbäddar", post.id), log_path, "the reply")
    print(f"request {answered * 1000:.0f} ms; searchable after {seconds:.2f} s")
    assert get_search_service(worker_app).pending_count() == 0


def test_a_request_does_not_wait_for_a_locked_index(
    worker_app, worker_settings, db_session, tmp_path
):
    author = make_user(db_session, display_name="Bo Berg", locale="en")
    thread, _ = make_thread(db_session, author)
    client = worker_app.test_client()
    login_as(client, author)
    log_path = tmp_path / "worker.log"
    store = get_search_service(worker_app).store
    with running_worker(worker_settings, log_path, FORUM_SEARCH_LOCK_TIMEOUT="0.5"):

        class Release(Exception):
            pass

        with pytest.raises(Release), store.writer(timeout=1):  # another writer holds the lock
            started = time.monotonic()
            response = client.post(
                f"/threads/{thread.id}/replies",
                data={"reply-body": "Gröna tak svalkar kvarteret", "reply-submission_key": KEY},
            )
            answered = time.monotonic() - started
            post = db_session.exec(select(Post).order_by(Post.id.desc())).first()
            # the worker tries, finds the index locked and retries later
            wait_for(lambda: "still pending" in log_path.read_text(), log_path, "a retry")
            assert not searchable(client, "svalkar", post.id)()
            raise Release  # cancels the writer, releasing the lock
        # inline, the request would have waited out the lock timeout (10 s) before answering
        assert response.status_code == 303 and answered < 3
        seconds = wait_for(searchable(client, "svalkar", post.id), log_path, "the reply")
    print(f"request {answered * 1000:.0f} ms; searchable {seconds:.2f} s after the lock")


def test_the_worker_delivers_mail_over_smtp(worker_app, worker_settings, smtp_server, tmp_path):
    log_path = tmp_path / "worker.log"
    with running_worker(worker_settings, log_path):
        response = register(worker_app.test_client())
        assert response.status_code in (302, 303)
        seconds = wait_for(
            lambda: bool(smtp_server.to(REGISTRATION["email"])), log_path, "the mail"
        )
    print(f"mail delivered {seconds:.2f} s after the request")
    [message] = smtp_server.to(REGISTRATION["email"])
    assert message["Subject"] == "Bekräfta din e-postadress"
    assert "/confirm/" in body_text(message)
