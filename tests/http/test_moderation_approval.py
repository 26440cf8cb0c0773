"""Optional approval: off by default; when on, posts by new accounts or with many links wait."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from forum import create_app
from forum.clock import utcnow
from forum.discussions.models import Post, Thread
from forum.moderation.models import ModerationAction
from tests.factories import login_as, make_thread, make_user

LINKS = "Se https://malmo.se/a och https://malmo.se/b och https://malmo.se/c"


@pytest.fixture
def approving_app(app_settings):
    application = create_app(
        {
            **app_settings,
            "MODERATION_APPROVAL_ENABLED": True,
            "MODERATION_APPROVAL_MAX_ACCOUNT_AGE_HOURS": 48,
            "MODERATION_APPROVAL_MAX_LINKS": 2,
        }
    )
    yield application
    application.extensions["forum_engine"].dispose()


def old_user(session, **fields):
    return make_user(session, created_at=utcnow() - timedelta(days=30), **fields)


def _reply(app, user, thread, body):
    client = app.test_client()
    login_as(client, user)
    response = client.post(f"/threads/{thread.id}/replies", data={"reply-body": body})
    assert response.status_code in (200, 303), response.status_code
    return client


def _latest_post(session) -> Post:
    session.expire_all()
    return session.exec(select(Post).order_by(Post.id.desc())).first()


def test_off_by_default(app, db_session):
    thread, _ = make_thread(db_session, old_user(db_session))
    _reply(app, make_user(db_session), thread, LINKS)
    assert _latest_post(db_session).hidden_at is None


def test_new_account_waits_in_the_queue_until_approved(approving_app, db_session):
    app = approving_app
    thread, _ = make_thread(db_session, old_user(db_session))
    newcomer = make_user(db_session)
    _reply(app, newcomer, thread, "Hej, jag är ny här")
    post = _latest_post(db_session)
    assert post.hidden_at is not None and post.hidden_by_id is None
    assert db_session.get(Thread, thread.id).post_count == 1  # not counted while waiting
    held = db_session.exec(
        select(ModerationAction).where(ModerationAction.action == "post.hold")
    ).one()
    assert held.reason == "new_account"

    moderator = make_user(db_session, role="moderator")
    client = app.test_client()
    login_as(client, moderator)
    queue = client.get("/mod/queue").get_data(as_text=True)
    assert f'id="pending-{post.id}"' in queue and "Hej, jag är ny här" in queue
    reader = app.test_client()
    login_as(reader, old_user(db_session))
    page = reader.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert "Hej, jag är ny här" not in page and "väntar på att en moderator godkänner" in page

    assert (
        client.post(f"/mod/posts/{post.id}/approve", data={"context": "queue"}).status_code == 303
    )
    db_session.expire_all()
    assert db_session.get(Post, post.id).hidden_at is None
    assert db_session.get(Thread, thread.id).post_count == 2
    assert "Hej, jag är ny här" in reader.get(f"/threads/{thread.id}-{thread.slug}").get_data(
        as_text=True
    )


def test_many_links_wait_few_do_not_and_moderators_never(approving_app, db_session):
    thread, _ = make_thread(db_session, old_user(db_session))
    veteran = old_user(db_session)
    _reply(approving_app, veteran, thread, "En länk: https://malmo.se")
    assert _latest_post(db_session).hidden_at is None
    _reply(approving_app, veteran, thread, LINKS)
    assert _latest_post(db_session).hidden_at is not None
    _reply(approving_app, make_user(db_session, role="moderator"), thread, LINKS)
    assert _latest_post(db_session).hidden_at is None


def test_new_thread_waits_with_its_thread_and_reject_keeps_it_hidden(approving_app, db_session):
    app = approving_app
    newcomer = make_user(db_session)
    client = app.test_client()
    login_as(client, newcomer)
    response = client.post(
        "/threads/new",
        data={
            "theme": "klimatneutral-framtid",
            "title": "Min första tråd här",
            "body": "Hej alla",
            "language": "sv",
        },
    )
    assert response.status_code == 303
    thread = db_session.exec(select(Thread).order_by(Thread.id.desc())).first()
    assert thread.hidden_at is not None and thread.post_count == 0
    # the author can still open it and sees that it waits
    assert "väntar på att en moderator godkänner" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    moderator = make_user(db_session, role="moderator")
    mod = app.test_client()
    login_as(mod, moderator)
    post = _latest_post(db_session)
    assert (
        mod.post(
            f"/mod/posts/{post.id}/reject", data={"reason": "Reklam", "context": "queue"}
        ).status_code
        == 303
    )
    db_session.expire_all()
    assert db_session.get(Post, post.id).hidden_reason == "Reklam"
    assert (
        db_session.exec(
            select(func.count())
            .select_from(ModerationAction)
            .where(ModerationAction.action == "post.reject")
        ).one()
        == 1
    )
