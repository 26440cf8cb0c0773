"""Lesson services: rules, drafts, publishing, revisions, useful marks, featuring, lists."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from forum.accounts.models import Role
from forum.discussions import service as discussions
from forum.discussions.models import Post, Thread, ThreadGoal
from forum.domain import InvalidInput, NotAllowed
from forum.lessons import queries as lesson_queries
from forum.lessons import service as lesson_service
from forum.lessons.models import LessonOutcome, LessonRevision, LessonStatus
from forum.lessons.queries import LessonFilters
from forum.lessons.service import OutcomeInput
from forum.projects import queries as project_queries
from forum.projects import service
from forum.projects.errors import UnknownProject
from forum.projects.queries import ProjectFilters
from tests.factories import goal, lesson_input, make_user, project_input, theme

# The services translate their messages: every test runs in a request context.
pytestmark = pytest.mark.usefixtures("ctx")


def test_draft_lesson_then_publish_opens_a_lesson_thread(db_session, member, project):
    lesson = lesson_service.create_lesson(
        session=db_session, actor=member, data=lesson_input(db_session, project)
    )
    db_session.commit()
    assert lesson.status == LessonStatus.draft and lesson.thread_id is None
    outcomes = lesson_queries.lesson_outcomes(session=db_session, lesson=lesson)
    assert [(o.label, o.value, o.unit) for o in outcomes] == [
        ("Renewable share", 100.0, "%"),
        ("CO₂ per resident", -30.0, "%"),
    ]
    assert lesson.link_list == ["https://example.org/report", "https://example.org/video"]
    assert lesson_queries.list_lessons(session=db_session, filters=LessonFilters()).total == 0

    lesson_service.publish_lesson(session=db_session, actor=member, lesson=lesson)
    db_session.commit()
    thread = db_session.get(Thread, lesson.thread_id)
    assert (
        thread.kind == "lesson" and thread.project_id == project.id and thread.title == lesson.title
    )
    assert thread.post_count == 1
    opening = db_session.exec(select(Post).where(Post.thread_id == thread.id)).one()
    assert f"/lessons/{lesson.id}" in opening.body_html
    assert [
        tg.goal_id
        for tg in db_session.exec(select(ThreadGoal).where(ThreadGoal.thread_id == thread.id))
    ] == [goal(db_session, 7).id]
    assert lesson_queries.list_lessons(session=db_session, filters=LessonFilters()).items == [
        lesson
    ]


def test_only_the_author_publishes(db_session, member, project):
    lesson = lesson_service.create_lesson(
        session=db_session, actor=member, data=lesson_input(db_session, project)
    )
    with pytest.raises(NotAllowed):
        lesson_service.publish_lesson(
            session=db_session, actor=make_user(db_session, role=Role.moderator), lesson=lesson
        )


@pytest.mark.parametrize("section", ["title", "context", "what_was_done", "advice"])
def test_required_sections(db_session, member, project, section):
    with pytest.raises(InvalidInput) as error:
        lesson_service.create_lesson(
            session=db_session,
            actor=member,
            data=lesson_input(db_session, project, **{section: "  "}),
        )
    assert error.value.field == section


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"outcomes": [OutcomeInput("CO₂", "a lot", "%")]}, "outcomes"),
        ({"outcomes": [OutcomeInput("", "12", "%")]}, "outcomes"),
        ({"outcomes": [OutcomeInput("CO₂", "nan", "%")]}, "outcomes"),
        ({"links": "not a link"}, "links"),
        ({"context": "x" * 20_001}, "context"),
        ({"lesson_type": "gossip"}, "lesson_type"),
        ({"language": "de"}, "language"),
        ({"theme_id": 999}, "theme_id"),
    ],
)
def test_bad_lesson_input(db_session, member, project, overrides, field):
    with pytest.raises(InvalidInput) as error:
        lesson_service.create_lesson(
            session=db_session, actor=member, data=lesson_input(db_session, project, **overrides)
        )
    assert error.value.field == field


def test_unknown_project(db_session, member, project):
    with pytest.raises(UnknownProject):
        lesson_service.create_lesson(
            session=db_session,
            actor=member,
            data=lesson_input(db_session, project, project_id=9999),
        )


@pytest.mark.parametrize(
    ("raw", "value"),
    [("-30", -30.0), ("−30", -30.0), ("12,5", 12.5), ("1 200", 1200.0), ("x", None), ("inf", None)],
)
def test_parse_number(raw, value):
    assert lesson_service.parse_number(raw) == value


def test_edit_published_lesson_keeps_revision_and_syncs_thread(db_session, member, project):
    lesson = lesson_service.create_lesson(
        session=db_session, actor=member, data=lesson_input(db_session, project), publish=True
    )
    db_session.commit()
    lesson_service.update_lesson(
        session=db_session,
        actor=member,
        lesson=lesson,
        data=lesson_input(
            db_session,
            project,
            title="District energy: what we would repeat",
            theme_id=theme(db_session, 2).id,
            outcomes=[OutcomeInput("Renewable share", "95", "%")],
        ),
    )
    db_session.commit()
    thread = db_session.get(Thread, lesson.thread_id)
    assert (
        thread.title == "District energy: what we would repeat"
        and thread.theme_id == theme(db_session, 2).id
    )
    assert [
        o.value
        for o in db_session.exec(select(LessonOutcome).where(LessonOutcome.lesson_id == lesson.id))
    ] == [95.0]
    revision = json.loads(db_session.exec(select(LessonRevision)).one().snapshot)
    assert revision["title"] == "Local renewable energy at district scale"
    assert revision["outcomes"][0] == ["Renewable share", 100.0, "%"]


def test_useful_marks_rank_lessons_and_toggle(db_session, member, project):
    first = lesson_service.create_lesson(
        session=db_session, actor=member, data=lesson_input(db_session, project), publish=True
    )
    second = lesson_service.create_lesson(
        session=db_session,
        actor=member,
        data=lesson_input(db_session, project, title="Second lesson here"),
        publish=True,
    )
    readers = [make_user(db_session) for _ in range(2)]
    for reader in readers:
        assert (
            lesson_service.toggle_lesson_useful(session=db_session, actor=reader, lesson=second)
            is True
        )
    lesson_service.toggle_lesson_useful(session=db_session, actor=readers[0], lesson=first)
    db_session.commit()
    assert [
        x.id
        for x in lesson_queries.list_lessons(
            session=db_session, filters=LessonFilters(sort="useful")
        ).items
    ] == [second.id, first.id]
    assert (
        lesson_service.toggle_lesson_useful(session=db_session, actor=readers[0], lesson=second)
        is False
    )
    assert second.useful_count == 1
    with pytest.raises(NotAllowed):  # not one's own lesson
        lesson_service.toggle_lesson_useful(session=db_session, actor=member, lesson=first)


def test_most_discussed_sort_counts_replies(db_session, member, project):
    quiet = lesson_service.create_lesson(
        session=db_session, actor=member, data=lesson_input(db_session, project), publish=True
    )
    busy = lesson_service.create_lesson(
        session=db_session,
        actor=member,
        data=lesson_input(db_session, project, title="Busy lesson"),
        publish=True,
    )
    discussions.reply(
        session=db_session,
        actor=make_user(db_session),
        thread=db_session.get(Thread, busy.thread_id),
        body="How did you finance it?",
    )
    db_session.commit()
    ranked = lesson_queries.list_lessons(
        session=db_session, filters=LessonFilters(sort="discussed")
    ).items
    assert [x.id for x in ranked] == [busy.id, quiet.id]
    assert lesson_queries.reply_counts(session=db_session, lessons=ranked) == {
        busy.id: 1,
        quiet.id: 0,
    }


def test_filters_combine(db_session, member, project):
    other = service.create_project(
        session=db_session,
        actor=member,
        data=project_input(
            db_session,
            name="Botildenborg",
            district="Rosengård",
            status="ongoing",
            theme_ids=[theme(db_session, 3).id],
            goal_ids=[goal(db_session, 2).id],
        ),
    )
    a = lesson_service.create_lesson(
        session=db_session, actor=member, data=lesson_input(db_session, project), publish=True
    )
    b = lesson_service.create_lesson(
        session=db_session,
        actor=member,
        data=lesson_input(
            db_session,
            other,
            title="Odling som integration",
            language="sv",
            lesson_type="method",
            theme_id=theme(db_session, 3).id,
            goal_ids=[goal(db_session, 2).id],
        ),
        publish=True,
    )
    db_session.commit()

    def ids(**kw):
        return [
            x.id
            for x in lesson_queries.list_lessons(
                session=db_session, filters=LessonFilters(**kw)
            ).items
        ]

    assert ids(project=other) == [b.id]
    assert ids(goal=goal(db_session, 7)) == [a.id]
    assert ids(lesson_type="method", language="sv") == [b.id]
    assert ids(theme=theme(db_session, 1), language="sv") == []
    assert [
        p.name
        for p in project_queries.list_projects(
            session=db_session, filters=ProjectFilters(status="ongoing")
        ).items
    ] == ["Botildenborg"]
    assert [
        p.name
        for p in project_queries.list_projects(
            session=db_session, filters=ProjectFilters(goal=goal(db_session, 11))
        ).items
    ] == ["Västra Hamnen"]
    assert (
        project_queries.list_projects(
            session=db_session, filters=ProjectFilters(municipality="malmö")
        ).total
        == 2
    )


def test_featured_lessons_by_moderators_only(db_session, member, project):
    lesson = lesson_service.create_lesson(
        session=db_session, actor=member, data=lesson_input(db_session, project), publish=True
    )
    with pytest.raises(NotAllowed):
        lesson_service.set_lesson_featured(
            session=db_session, actor=member, lesson=lesson, featured=True
        )
    lesson_service.set_lesson_featured(
        session=db_session,
        actor=make_user(db_session, role=Role.moderator),
        lesson=lesson,
        featured=True,
    )
    db_session.commit()
    assert lesson_queries.featured_lessons(session=db_session) == [lesson]
    assert (
        lesson_queries.featured_lessons(session=db_session, theme_id=theme(db_session, 2).id) == []
    )
