"""Projects and lessons in search: drafts never appear; a lesson's discussion follows the lesson."""

from __future__ import annotations

import re

from forum.discussions.models import Thread
from forum.lessons.models import Lesson, LessonStatus
from forum.markup import render_markdown
from forum.projects.models import Project
from tests.factories import make_user
from tests.search_helpers import first_theme, make_reply


def titles(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a>', response.get_data(as_text=True))


def _lesson(session, project, theme, author, status):
    sections = {
        "context": "Hyllie ska drivas med förnybar energi.",
        "what_was_done": "Ett klimatkontrakt tecknades med energibolaget.",
        "advice": "Börja med en gemensam målbild.",
    }
    lesson = Lesson(
        project_id=project.id,
        title="Klimatkontrakt som arbetssätt",
        slug="klimatkontrakt",
        theme_id=theme.id,
        language="sv",
        author_id=author.id,
        status=status,
        **sections,
        **{f"{k}_html": render_markdown(v) for k, v in sections.items()},
    )
    session.add(lesson)
    session.commit()
    return lesson


def test_projects_are_found(client, db_session):
    project = Project(
        slug="hyllie",
        name="Hyllie klimatkontrakt",
        municipality="Malmö",
        summary="Stadsdelen Hyllie ska försörjas med förnybar energi.",
        summary_html=render_markdown("Stadsdelen Hyllie ska försörjas med förnybar energi."),
    )
    db_session.add(project)
    db_session.commit()
    response = client.get("/search?q=förnybar energi")
    assert titles(response) == ["Hyllie klimatkontrakt"]
    assert 'href="/projects/hyllie"' in response.get_data(as_text=True)


def test_draft_lesson_never_found_published_found_and_its_thread_follows(client, db_session):
    author = make_user(db_session)
    theme = first_theme(db_session)
    project = Project(
        slug="hyllie", name="Hyllie", municipality="Malmö", summary="", summary_html=""
    )
    db_session.add(project)
    db_session.commit()
    lesson = _lesson(db_session, project, theme, author, LessonStatus.draft)
    assert titles(client.get("/search?q=målbild")) == []
    assert titles(client.get("/search?q=Hyllie")) == ["Hyllie"]

    thread = Thread(
        kind="lesson",
        theme_id=theme.id,
        title=lesson.title,
        slug="klimatkontrakt",
        author_id=author.id,
    )
    db_session.add(thread)
    db_session.commit()
    lesson.thread_id = thread.id
    db_session.commit()
    make_reply(db_session, thread, author, "Hur följde ni upp målbilden?")
    assert (
        titles(client.get("/search?q=målbild")) == []
    )  # still a draft: neither the lesson nor its replies

    lesson.status = LessonStatus.published
    db_session.commit()
    found = titles(client.get("/search?q=målbild"))
    assert sorted(found) == [
        "Klimatkontrakt som arbetssätt",
        "Klimatkontrakt som arbetssätt",
    ]  # lesson + reply
    assert 'href="/lessons/' in client.get("/search?q=målbild&type=lesson").get_data(as_text=True)

    lesson.status = LessonStatus.draft
    db_session.commit()
    assert titles(client.get("/search?q=målbild")) == []
