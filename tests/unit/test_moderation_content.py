"""Hiding and restoring lessons and projects: one audit entry per action, the lesson's thread
follows, reports are resolved, members cannot act."""

from __future__ import annotations

import pytest
from sqlmodel import select

from forum import permissions
from forum.discussions.models import Thread
from forum.domain import InvalidInput, NotAllowed
from forum.lessons import queries as lesson_queries
from forum.lessons import service as lesson_service
from forum.moderation import items
from forum.moderation.errors import InvalidAction
from forum.moderation.models import ModerationAction, Report, ReportStatus
from forum.projects import queries as project_queries
from tests.factories import make_project_with_lesson, make_report, make_user
from tests.moderation_helpers import audit_count


def last_entry(session) -> ModerationAction:
    return session.exec(select(ModerationAction).order_by(ModerationAction.id.desc())).first()


def test_hide_and_restore_lesson_one_entry_each_and_thread_follows(db_session, mod):
    project, lesson = make_project_with_lesson(db_session)
    make_report(db_session, "lesson", lesson.id)
    n = audit_count(db_session)
    items.hide_item(session=db_session, actor=mod, item=lesson, reason="Reklam för en konsult")
    assert audit_count(db_session) == n + 1
    entry = last_entry(db_session)
    assert (entry.action, entry.target_type, entry.target_id) == (
        "lesson.hide",
        "lesson",
        lesson.id,
    )
    assert entry.target_user_id == lesson.author_id and entry.after["thread_hidden"] is True
    assert (
        lesson.hidden_at is not None
        and lesson.hidden_by_id == mod.id
        and lesson.hidden_reason == "Reklam för en konsult"
    )
    assert db_session.get(Thread, lesson.thread_id).hidden_at is not None
    assert db_session.exec(select(Report)).one().status == ReportStatus.resolved
    member = make_user(db_session)
    assert permissions.is_hidden_for(member, lesson) and not permissions.is_hidden_for(mod, lesson)
    assert not permissions.can_mark_lesson_useful(member, lesson)
    with pytest.raises(InvalidAction):
        items.hide_item(session=db_session, actor=mod, item=lesson, reason="igen")
    items.restore_item(session=db_session, actor=mod, item=lesson)
    assert audit_count(db_session) == n + 2
    entry = last_entry(db_session)
    assert (
        entry.action == "lesson.restore"
        and entry.before["hidden_reason"] == "Reklam för en konsult"
    )
    assert lesson.hidden_at is None and lesson.hidden_reason is None
    assert db_session.get(Thread, lesson.thread_id).hidden_at is None
    with pytest.raises(InvalidAction):
        items.restore_item(session=db_session, actor=mod, item=lesson)
    assert audit_count(db_session) == n + 2


def test_hide_and_restore_project_one_entry_each(db_session, mod):
    project, lesson = make_project_with_lesson(db_session)
    n = audit_count(db_session)
    items.hide_item(session=db_session, actor=mod, item=project, reason="Påhittat")
    assert audit_count(db_session) == n + 1 and last_entry(db_session).action == "project.hide"
    assert last_entry(db_session).target_user_id == project.creator_id
    db_session.commit()
    listing = project_queries.list_projects(
        session=db_session, filters=project_queries.ProjectFilters()
    )
    assert project.id not in [p.id for p in listing.items] and listing.total == 0
    assert lesson.hidden_at is None  # its lessons keep their own state
    items.restore_item(session=db_session, actor=mod, item=project, reason="Det finns")
    assert audit_count(db_session) == n + 2 and last_entry(db_session).action == "project.restore"
    listing = project_queries.list_projects(
        session=db_session, filters=project_queries.ProjectFilters()
    )
    assert project.id in [p.id for p in listing.items]


def test_members_cannot_hide_and_reason_is_required(db_session, mod):
    project, lesson = make_project_with_lesson(db_session)
    member = make_user(db_session)
    n = audit_count(db_session)
    with pytest.raises(NotAllowed):
        items.hide_item(session=db_session, actor=member, item=lesson, reason="Spam")
    with pytest.raises(NotAllowed):
        items.hide_item(session=db_session, actor=member, item=project, reason="Spam")
    with pytest.raises(InvalidInput):
        items.hide_item(session=db_session, actor=mod, item=lesson, reason="   ")
    assert audit_count(db_session) == n and lesson.hidden_at is None and project.hidden_at is None


def test_hidden_lesson_leaves_lists_featured_counts_and_project_page(db_session, mod):
    project, lesson = make_project_with_lesson(db_session)
    lesson_service.set_lesson_featured(session=db_session, actor=mod, lesson=lesson, featured=True)
    items.hide_item(session=db_session, actor=mod, item=lesson, reason="Spam")
    db_session.commit()
    member = make_user(db_session)
    assert (
        lesson_queries.list_lessons(
            session=db_session, filters=lesson_queries.LessonFilters()
        ).total
        == 0
    )
    assert lesson_queries.featured_lessons(session=db_session) == []
    assert lesson_queries.lesson_counts(session=db_session, project_ids=[project.id]) == {}
    assert lesson_queries.project_lessons(session=db_session, project=project, viewer=member) == []
    assert lesson_queries.project_lessons(session=db_session, project=project, viewer=mod) == [
        lesson
    ]
