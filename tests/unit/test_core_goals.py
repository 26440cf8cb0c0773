"""The goals of many owners (threads, projects, lessons, events) read in one statement: the
helper every area uses for lists, exports, dumps, the API and the search documents."""

from __future__ import annotations

from forum.core.queries import goals_linked, goals_of
from forum.discussions.models import ThreadGoal
from forum.projects.models import ProjectGoal
from tests.factories import goal, make_project, make_thread
from tests.statements import recording


def test_goals_of_many_threads_in_one_statement_by_number(app, db_session):
    ids = [
        make_thread(
            db_session, title=f"Tråd {n}", goal_ids=[goal(db_session, g).id for g in wanted]
        )[0].id
        for n, wanted in enumerate([(13, 6), (), (11,)])
    ]
    with recording(app.extensions["forum_engine"]) as statements:
        found = goals_of(db_session, ThreadGoal, ThreadGoal.thread_id, ids)
    assert len(statements) == 1
    assert {owner: [g.number for g in goals] for owner, goals in found.items()} == {
        ids[0]: [6, 13],
        ids[1]: [],
        ids[2]: [11],
    }
    assert [
        g.number for g in goals_linked(db_session, ThreadGoal, ThreadGoal.thread_id, ids[0])
    ] == [
        6,
        13,
    ]


def test_goals_of_no_owner_reads_nothing(app, db_session):
    with recording(app.extensions["forum_engine"]) as statements:
        assert goals_of(db_session, ProjectGoal, ProjectGoal.project_id, []) == {}
    assert statements == []


def test_goals_of_a_project_through_its_own_link(app, db_session, ctx, member):
    project = make_project(db_session, member, goal_ids=[goal(db_session, 12).id])
    found = goals_of(db_session, ProjectGoal, ProjectGoal.project_id, [project.id])
    assert [g.number for g in found[project.id]] == [12]
