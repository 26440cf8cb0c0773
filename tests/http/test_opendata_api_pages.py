"""The API's cursor pages: the lists come in the pages' own orders, a walk sees every row once
even while rows are added, and a page costs the same number of statements however full."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from forum.agenda.queries import list_events
from forum.discussions.queries import SORTS, ThreadFilters, list_threads
from forum.lessons.queries import LESSON_SORTS, LessonFilters, list_lessons
from forum.projects.queries import PROJECT_SORTS, ProjectFilters, list_projects
from tests.events_helpers import make_event
from tests.factories import make_lesson, make_project, make_thread, make_user, themes
from tests.statements import recording

START = datetime(2026, 1, 1, 12, 0)


def add_threads(session, author, count: int, *, first: int = 0) -> list:
    """Threads with created, last-post times and reply counts in different orders (and ties),
    in two themes, one of them pinned."""
    made = []
    for n in range(first, first + count):
        thread, _ = make_thread(
            session,
            author,
            f"Tråd nummer {n}",
            "Text.",
            direct=True,
            theme=themes(session)[n % 2],
            created_at=START + timedelta(hours=n),
            last_post_at=START + timedelta(hours=(n * 7) % 5),
        )
        thread.post_count = 1 + n % 3
        thread.pinned = n == 3
        made.append(thread)
    session.commit()
    return made


def ids(objects) -> list[int]:
    return [item["id"] for item in objects]


@pytest.mark.parametrize("sort", list(SORTS))
def test_threads_come_in_the_theme_pages_order(api, app, db_session, sort):
    add_threads(db_session, make_user(db_session), 9)
    for theme in (None, themes(db_session)[1]):
        page = list_threads(
            session=db_session, theme=theme, filters=ThreadFilters(sort=sort), per_page=100
        )
        query = f"?sort={sort}&limit=2" + (f"&theme={theme.slug}" if theme else "")
        assert ids(api.walk("/api/v1/threads" + query)) == [t.id for t in page.threads]


@pytest.mark.parametrize("sort", list(SORTS))
def test_a_walk_sees_every_thread_once_while_new_ones_arrive(api, app, db_session, sort):
    author = make_user(db_session)
    before = add_threads(db_session, author, 8)
    url, seen, added = f"/api/v1/threads?sort={sort}&limit=3", [], 0
    while url:
        answer = api.get(url)
        body = answer.get_json()
        seen += ids(body["data"])
        url = body["next"]
        if url:
            assert answer.headers["Link"] == f'<{url}>; rel="next"'
            # newer and busier than all the others, and one with nothing yet
            add_threads(db_session, author, 2, first=100 + added)
            added += 2
    assert len(seen) == len(set(seen))
    assert {t.id for t in before} <= set(seen)


@pytest.mark.parametrize("sort", LESSON_SORTS)
def test_lessons_come_in_the_lesson_lists_order(api, app, db_session, sort):
    author = make_user(db_session)
    with app.test_request_context("/"):
        project = make_project(db_session, author, name="Projekt för ordning")
        for n in range(7):
            lesson = make_lesson(db_session, project, author, title=f"Lärdom nummer {n}")
            lesson.useful_count = n % 3
            lesson.published_at = START + timedelta(days=n % 4)
        db_session.commit()
    page = list_lessons(session=db_session, filters=LessonFilters(sort=sort), per_page=100)
    assert ids(api.walk(f"/api/v1/lessons?sort={sort}&limit=2")) == [x.id for x in page.items]


@pytest.mark.parametrize("sort", PROJECT_SORTS)
def test_projects_come_in_the_project_lists_order(api, app, db_session, sort):
    author = make_user(db_session)
    for n, name in enumerate(("beta", "Alfa", "gamma", "alfa", "Delta", "epsilon")):
        project = make_project(db_session, author, direct=True, name=name, slug=f"p-{n}")
        project.last_activity_at = START + timedelta(days=n % 3)
    db_session.commit()
    page = list_projects(session=db_session, filters=ProjectFilters(sort=sort), per_page=100)
    assert ids(api.walk(f"/api/v1/projects?sort={sort}&limit=2")) == [p.id for p in page.items]


def test_events_come_in_the_event_lists_orders(api, app, db_session):
    organiser = make_user(db_session, role="moderator")
    with app.test_request_context("/"):
        for n in range(6):
            day = datetime(2020 + 4 * (n % 2), 3, 1 + n, 12, 0)
            end = day + timedelta(hours=1)
            make_event(
                db_session, organiser, title=f"Evenemang {n}", starts_local=day, ends_local=end
            )
    listing = list_events(db_session, with_drafts=False, per_page=100)
    upcoming = ids(api.walk("/api/v1/events?when=upcoming&limit=2"))
    past = ids(api.walk("/api/v1/events?when=past&limit=2"))
    assert upcoming == [e.id for e in listing.upcoming] and past == [e.id for e in listing.past]
    assert sorted(ids(api.walk("/api/v1/events?limit=4"))) == sorted(upcoming + past)


def test_a_cursor_works_only_for_its_own_order(api, db_session):
    add_threads(db_session, make_user(db_session), 4)
    following = api.get("/api/v1/threads?sort=newest&limit=2").get_json()["next"]
    cursor = following.split("cursor=")[1]
    api.get(f"/api/v1/threads?sort=replies&cursor={cursor}", 400)
    api.get(f"/api/v1/lessons?cursor={cursor}", 400)
    api.get(f"/api/v1/threads?sort=newest&cursor={cursor}&limit=2")


def _statements(app, client, path: str) -> int:
    with recording(app.extensions["forum_engine"]) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_a_page_costs_the_same_statements_however_full(app, client, db_session):
    author = make_user(db_session)
    with app.test_request_context("/"):
        project = make_project(db_session, author, name="Projekt för räkning")
        thread, _ = make_thread(db_session, author, "Tråd att räkna i", "Text.", replies=1)
        make_lesson(db_session, project, author, title="En lärdom att räkna")
        make_event(db_session, make_user(db_session, role="moderator"), title="Räknat evenemang")
    paths = (
        "/api/v1/threads",
        f"/api/v1/threads/{thread.id}/posts",
        "/api/v1/lessons?sort=discussed",
        "/api/v1/projects?sort=activity",
        "/api/v1/events",
    )
    few = {path: _statements(app, client, path) for path in paths}
    with app.test_request_context("/"):
        add_threads(db_session, author, 6)
        thread, _ = make_thread(db_session, author, "En till tråd att räkna i", "T.", replies=4)
        for n in range(4):
            other = make_project(db_session, author, name=f"Projekt nummer {n}")
            make_lesson(db_session, other, make_user(db_session), title=f"Lärdom nummer {n}")
        for n in range(3):
            make_event(db_session, make_user(db_session, role="moderator"), title=f"Möte {n}")
    many = {path: _statements(app, client, path) for path in paths[:1] + paths[2:]}
    many[paths[1]] = _statements(app, client, f"/api/v1/threads/{thread.id}/posts")
    assert many == few
