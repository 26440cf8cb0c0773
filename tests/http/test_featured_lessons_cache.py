"""The cached list of featured lessons (home and theme pages) never shows a stale lesson.

Each test loads the page twice (the second load comes from the fragment cache), changes a
featured lesson through the service a user would use, and loads the page again, as a reader who
is not logged in and as a member.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from forum.accounts.models import Role, User
from forum.lessons import service as lessons
from forum.moderation import items as moderation_items
from forum.projects.models import Project
from tests.factories import client_as, lesson_input, make_lesson, make_project, make_user, theme
from tests.fragments import served_from_cache


@pytest.fixture(params=["/", "/t/klimatneutral-framtid"])
def path(request):
    return request.param


@pytest.fixture
def moderator(db_session):
    return make_user(db_session, role=Role.moderator)


@pytest.fixture
def featured(db_session, moderator):
    author = make_user(db_session)
    project = make_project(db_session, author, name="Solparken i Lund")
    lesson = make_lesson(db_session, project, author, title="Solceller på skoltaken", language="sv")
    lessons.set_lesson_featured(session=db_session, actor=moderator, lesson=lesson, featured=True)
    db_session.commit()
    return lesson


@dataclass
class Reader:
    client: object
    member: User | None  # None: not logged in


@pytest.fixture(params=["anonymous", "member"])
def reader(request, app, db_session) -> Reader:
    if request.param == "anonymous":
        return Reader(app.test_client(), None)
    member = make_user(db_session)
    return Reader(client_as(app, member), member)


def speaking(db_session, reader: Reader, language: str) -> dict:
    """The headers that ask for ``language``: a member's own setting wins over the browser's."""
    if reader.member is None:
        return {"Accept-Language": language}
    reader.member.locale = language
    db_session.commit()
    return {}


def page(reader: Reader, path, headers=None) -> str:
    response = reader.client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def warm(app, reader: Reader, path, headers=None) -> str:
    return served_from_cache(app, lambda: page(reader, path, headers))


def edit(db_session, lesson, **fields) -> None:
    """``lesson`` edited by its author through the lessons service (in Swedish)."""
    project = db_session.get(Project, lesson.project_id)
    data = lesson_input(db_session, project, language="sv", **fields)
    author = db_session.get(User, lesson.author_id)
    lessons.update_lesson(session=db_session, actor=author, lesson=lesson, data=data)
    db_session.commit()


def test_the_featured_lesson_is_on_the_theme_of_the_factories(featured, db_session):
    assert featured.theme_id == theme(db_session).id  # the theme page below shows it


def test_an_edited_title_and_text_show_at_once(app, db_session, reader, path, featured):
    assert "Solceller på skoltaken" in warm(app, reader, path)
    edit(
        db_session,
        featured,
        title="Solceller på förskolans tak",
        context="Ett nytt sammanhang om förskolor.",
    )
    html = page(reader, path)
    assert "Solceller på förskolans tak" in html and "Solceller på skoltaken" not in html
    assert "Ett nytt sammanhang om förskolor." in html


def test_a_useful_mark_changes_the_count(app, db_session, reader, path, featured):
    english = speaking(db_session, reader, "en")
    assert "0 useful marks" in warm(app, reader, path, english)
    lessons.toggle_lesson_useful(session=db_session, actor=make_user(db_session), lesson=featured)
    db_session.commit()
    assert "1 useful mark" in page(reader, path, english)


def test_unfeaturing_hiding_and_restoring_show_at_once(
    app, db_session, reader, path, featured, moderator
):
    assert "Solceller på skoltaken" in warm(app, reader, path)
    lessons.set_lesson_featured(
        session=db_session, actor=moderator, lesson=featured, featured=False
    )
    db_session.commit()
    assert "Solceller på skoltaken" not in page(reader, path)
    lessons.set_lesson_featured(session=db_session, actor=moderator, lesson=featured, featured=True)
    moderation_items.hide_item(session=db_session, actor=moderator, item=featured, reason="spam")
    db_session.commit()
    assert "Solceller på skoltaken" not in page(reader, path)
    moderation_items.restore_item(session=db_session, actor=moderator, item=featured)
    db_session.commit()
    assert "Solceller på skoltaken" in page(reader, path)


def test_the_reader_language_is_part_of_the_key(app, db_session, reader, path, featured):
    assert "Utvalda lärdomar" in warm(app, reader, path)
    english = page(reader, path, speaking(db_session, reader, "en"))
    assert "Featured lessons" in english and "Utvalda lärdomar" not in english
    assert "Utvalda lärdomar" in page(reader, path, speaking(db_session, reader, "sv"))


def test_a_lesson_moved_to_another_theme_leaves_the_theme_page(
    app, db_session, reader, path, featured
):
    """Its key names what the list shows of it, not its theme: the list is chosen again on every
    load, so the theme page drops it at once and the home page keeps it."""
    assert "Solceller på skoltaken" in warm(app, reader, path)
    edit(db_session, featured, title="Solceller på skoltaken", theme_id=theme(db_session, 2).id)
    assert ("Solceller på skoltaken" in page(reader, path)) is (path == "/")


def test_the_lessons_author_and_their_role_are_not_in_the_list(app, reader, path, featured):
    """Hence no author rename, deletion or role change can make the list stale."""
    html = warm(app, reader, path)
    section = html[html.index('class="featured-lessons"') :]
    section = section[: section.index("</section>")]
    author = featured.author_id
    assert f"/u/{author}" not in section and "Testare" not in section and "chip-role" not in section
