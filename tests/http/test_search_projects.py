"""Projects and lessons in search: drafts never appear; a lesson's discussion follows the lesson."""

from __future__ import annotations

import re

from forum.discussions.models import Thread
from forum.lessons.models import LessonStatus
from tests.factories import make_lesson, make_project, make_reply, make_user, themes


def titles(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a>', response.get_data(as_text=True))


def test_projects_are_found(client, db_session):
    make_project(
        db_session,
        direct=True,
        slug="hyllie",
        name="Hyllie klimatkontrakt",
        summary="Stadsdelen Hyllie ska försörjas med förnybar energi.",
    )
    response = client.get("/search?q=förnybar energi")
    assert titles(response) == ["Hyllie klimatkontrakt"]
    assert 'href="/projects/hyllie"' in response.get_data(as_text=True)


def test_draft_lesson_never_found_published_found_and_its_thread_follows(client, db_session):
    author = make_user(db_session)
    theme = themes(db_session)[0]
    project = make_project(db_session, author, direct=True, slug="hyllie", name="Hyllie")
    lesson = make_lesson(
        db_session,
        project,
        author,
        publish=False,
        direct=True,
        title="Klimatkontrakt som arbetssätt",
        slug="klimatkontrakt",
        language="sv",
        theme_id=theme.id,
        context="Hyllie ska drivas med förnybar energi.",
        what_was_done="Ett klimatkontrakt tecknades med energibolaget.",
        advice="Börja med en gemensam målbild.",
    )
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
    make_reply(db_session, thread, author, "Hur följde ni upp målbilden?", direct=True)
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
