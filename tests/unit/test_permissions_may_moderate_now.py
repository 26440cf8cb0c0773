"""Every rule that lets moderators see or do more asks ``can_moderate`` (may moderate now: the
role, an active account, no suspension), never the role alone."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

import forum
from forum import permissions as p
from forum.clock import utcnow


def moderator(*, suspended: bool):
    return SimpleNamespace(
        id=9,
        is_authenticated=True,
        is_active=True,
        is_moderator=True,
        is_admin=False,
        is_organiser=False,
        is_confirmed=True,
        suspended_until=utcnow() + timedelta(days=1) if suspended else None,
    )


HIDDEN = dict(author_id=1, hidden_at=utcnow(), deleted_at=None)
THREAD = SimpleNamespace(**HIDDEN, kind="discussion", locked=True)
POST = SimpleNamespace(**HIDDEN)
LESSON = SimpleNamespace(**HIDDEN, status="published")
PROJECT = SimpleNamespace(hidden_at=None, creator_id=1)
RULES = {
    "can_view_thread": lambda u: p.can_view_thread(u, THREAD),
    "can_view_hidden_post": lambda u: p.can_view_hidden_post(u, POST),
    "can_view_revisions": lambda u: p.can_view_revisions(u, POST),
    "not is_hidden_for": lambda u: not p.is_hidden_for(u, LESSON),
    "can_edit_post": lambda u: p.can_edit_post(u, POST, THREAD),
    "can_mark_solution": lambda u: p.can_mark_solution(u, SimpleNamespace(**HIDDEN, locked=False)),
    "can_edit_project": lambda u: p.can_edit_project(u, PROJECT),
    "can_feature_lesson": lambda u: p.can_feature_lesson(u, LESSON),
    "can_link_thread_project": lambda u: p.can_link_thread_project(u, THREAD),
    "can_manage_events": p.can_manage_events,
    "can_moderate": p.can_moderate,
}


@pytest.mark.parametrize("rule", RULES)
def test_a_moderator_may_while_not_suspended(rule):
    assert RULES[rule](moderator(suspended=False)) is True
    assert RULES[rule](moderator(suspended=True)) is False


CALL = re.compile(r"(?<!def )\bis_moderator\(")


def test_nothing_but_the_rules_asks_for_the_role_alone():
    root = Path(forum.__file__).parent
    callers = [
        path.relative_to(root.parent).as_posix()
        for path in [*root.rglob("*.py"), *(root.parent / "templates").rglob("*.html")]
        if CALL.search(path.read_text(encoding="utf-8"))
    ]
    assert callers == ["forum/permissions.py"]
    source = (root / "permissions.py").read_text(encoding="utf-8")
    # "may moderate now" itself, and whom a moderator may suspend (a matter of role)
    assert len(CALL.findall(source)) == 2
