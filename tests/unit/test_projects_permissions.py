"""Who may do what with projects and lessons: the pure predicates of forum.permissions."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from forum import permissions as p
from forum.clock import utcnow


def person(uid, role="member", confirmed=True, suspended=False):
    return SimpleNamespace(
        id=uid,
        is_authenticated=True,
        is_moderator=role in ("moderator", "admin"),
        is_admin=role == "admin",
        is_confirmed=confirmed,
        suspended_until=utcnow() + timedelta(days=1) if suspended else None,
    )


ANON = AnonymousUserMixin()
CREATOR, OTHER, MOD, ADMIN = person(1), person(2), person(3, "moderator"), person(4, "admin")
UNCONFIRMED, SUSPENDED = person(1, confirmed=False), person(1, suspended=True)
PROJECT = SimpleNamespace(creator_id=1)
PUBLISHED = SimpleNamespace(author_id=1, status="published")
DRAFT = SimpleNamespace(author_id=1, status="draft")
THREAD = SimpleNamespace(author_id=1, kind="discussion")
LESSON_THREAD = SimpleNamespace(author_id=1, kind="lesson")


@pytest.mark.parametrize(
    ("user", "create", "edit"),
    [
        (ANON, False, False),
        (UNCONFIRMED, False, False),
        (SUSPENDED, False, False),
        (OTHER, True, False),
        (CREATOR, True, True),
        (MOD, True, True),
        (ADMIN, True, True),
    ],
)
def test_projects(user, create, edit):
    assert p.can_create_project(user) is create
    assert p.can_edit_project(user, PROJECT) is edit


@pytest.mark.parametrize(
    ("user", "view_draft", "edit_draft", "edit_published", "feature", "useful"),
    [
        (ANON, False, False, False, False, False),
        (OTHER, False, False, False, False, True),
        (CREATOR, True, True, True, False, False),
        (SUSPENDED, True, False, False, False, False),
        (MOD, False, False, True, True, True),
        (ADMIN, False, False, True, True, True),
    ],
)
def test_lessons(user, view_draft, edit_draft, edit_published, feature, useful):
    assert p.can_view_lesson(user, PUBLISHED) is True
    assert p.can_view_lesson(user, DRAFT) is view_draft
    assert p.can_edit_lesson(user, DRAFT) is edit_draft
    assert p.can_edit_lesson(user, PUBLISHED) is edit_published
    assert p.can_feature_lesson(user, PUBLISHED) is feature
    assert p.can_feature_lesson(user, DRAFT) is False
    assert p.can_mark_lesson_useful(user, PUBLISHED) is useful
    assert p.can_mark_lesson_useful(user, DRAFT) is False


@pytest.mark.parametrize(
    ("user", "allowed"),
    [(ANON, False), (OTHER, False), (CREATOR, True), (MOD, True), (UNCONFIRMED, False)],
)
def test_thread_project(user, allowed):
    assert p.can_link_thread_project(user, THREAD) is allowed
    assert p.can_link_thread_project(user, LESSON_THREAD) is False
