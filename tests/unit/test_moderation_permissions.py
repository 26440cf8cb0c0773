"""Moderation rules in forum.permissions: who may moderate, suspend, delete and change roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from forum import permissions as p
from forum.accounts.models import Role, User
from forum.clock import utcnow


def user(role="member", uid=1, **fields) -> User:
    return User(
        id=uid,
        display_name="x",
        role=Role(role),
        session_token="t",
        confirmed_at=utcnow(),
        **fields,
    )


ANON = AnonymousUserMixin()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (ANON, False),
        (user("member"), False),
        (user("moderator"), True),
        (user("admin"), True),
        (user("moderator", suspended_until=utcnow() + timedelta(days=1)), False),
        (user("admin", deleted_at=utcnow()), False),
    ],
)
def test_can_moderate(who, expected):
    assert p.can_moderate(who) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (ANON, False),
        (user("member"), False),
        (user("moderator"), False),
        (user("admin"), True),
    ],
)
def test_only_admins_delete_permanently(who, expected):
    assert p.can_delete_permanently(who) is expected


@pytest.mark.parametrize(
    ("actor", "target", "expected"),
    [
        ("moderator", "member", True),
        ("moderator", "moderator", False),
        ("moderator", "admin", False),
        ("admin", "member", True),
        ("admin", "moderator", True),
        ("admin", "admin", False),
        ("member", "member", False),
    ],
)
def test_can_suspend(actor, target, expected):
    assert p.can_suspend(user(actor, uid=1), user(target, uid=2)) is expected


def test_nobody_suspends_themselves():
    admin = user("admin", uid=7)
    assert not p.can_suspend(admin, admin)
    assert not p.can_suspend(ANON, user("member", uid=2))


@pytest.mark.parametrize(
    ("actor", "expected"), [("member", False), ("moderator", False), ("admin", True)]
)
def test_only_admins_change_roles(actor, expected):
    assert p.can_change_role(user(actor, uid=1), user("member", uid=2)) is expected
    assert not p.can_change_role(user(actor, uid=1), user(actor, uid=1))


def test_suspended_users_cannot_report():
    assert p.can_report(user("member"))
    assert not p.can_report(user("member", suspended_until=utcnow() + timedelta(hours=1)))
    assert p.can_report(user("member", suspended_until=utcnow() - timedelta(hours=1)))
    assert not p.can_report(ANON)
