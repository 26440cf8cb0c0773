"""Discussions tell other areas about new posts through ``forum.events``; moderation's optional
approval listens, so discussions never imports moderation."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

import forum.discussions
from forum import events
from forum.clock import utcnow
from forum.discussions import service
from forum.discussions.models import Post
from tests.factories import make_thread, make_user, theme


@pytest.fixture
def approval_on(app):
    app.config["MODERATION_APPROVAL_ENABLED"] = True
    with app.app_context():
        yield


@pytest.fixture
def sent():
    """Every post_created sent while the test runs, as (sender, kwargs)."""
    received = []

    def receive(sender, **kwargs):
        received.append((sender, kwargs))

    events.post_created.connect(receive)
    yield received
    events.post_created.disconnect(receive)


def _new_thread(session, author, **fields):
    return service.create_thread(
        session=session,
        actor=author,
        theme=theme(session),
        title="Solceller på förskolan",
        body="Hur fick ni med föräldrarna?",
        language=None,
        **fields,
    )


def test_a_new_thread_and_a_reply_announce_their_post(db_session, sent):
    author, replier = make_user(db_session), make_user(db_session)
    thread = _new_thread(db_session, author)
    post = service.reply(session=db_session, actor=replier, thread=thread, body="Med en fika.")
    assert [(sender, kwargs["first"], kwargs["actor"]) for sender, kwargs in sent] == [
        ("discussions", True, author),
        ("discussions", False, replier),
    ]
    assert sent[1][1]["post"] is post and sent[1][1]["thread"] is thread
    assert sent[1][1]["session"] is db_session


def test_a_repeated_submit_announces_nothing(db_session, sent):
    author = make_user(db_session)
    thread, _ = make_thread(db_session, make_user(db_session))
    sent.clear()
    for _ in range(2):
        service.reply(
            session=db_session, actor=author, thread=thread, body="Hej", submission_key="k" * 32
        )
    assert len(sent) == 1


def test_with_approval_on_a_new_accounts_posts_wait(db_session, approval_on):
    veteran = make_user(db_session, created_at=utcnow() - timedelta(days=30))
    newcomer = make_user(db_session)
    thread, _ = make_thread(db_session, veteran)
    assert thread.hidden_at is None
    reply = service.reply(session=db_session, actor=newcomer, thread=thread, body="Första svaret")
    assert reply.hidden_at is not None and reply.hidden_by_id is None
    assert thread.post_count == 1  # the waiting reply counts only once approved
    opened = _new_thread(db_session, newcomer)
    assert opened.hidden_at is not None


def test_a_lessons_opening_post_never_waits(db_session, approval_on):
    thread = _new_thread(db_session, make_user(db_session), kind="lesson")
    post = db_session.get(Post, thread.last_post_id)
    assert post.hidden_at is None and thread.hidden_at is None


def _imported_modules(path: Path, package: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_discussions_never_imports_moderation():
    folder = Path(forum.discussions.__file__).parent
    for path in folder.glob("*.py"):
        imported = _imported_modules(path, "forum.discussions")
        assert not {name for name in imported if name.startswith("forum.moderation")}, path
