"""The cached list of featured lessons (home and theme pages) never shows a stale lesson.

Each test loads the page twice (the second load comes from the fragment cache), changes a
featured lesson through the service a user would use, and loads the page again.
"""

from __future__ import annotations

import pytest

from forum.accounts.models import Role, User
from forum.lessons import service as lessons
from forum.moderation import items as moderation_items
from forum.projects.models import Project
from tests.factories import lesson_input, make_lesson, make_project, make_user, theme
from tests.fragments import served_from_cache

EN = {"Accept-Language": "en"}


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


def page(app, path, headers=None) -> str:
    response = app.test_client().get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def warm(app, path, headers=None) -> str:
    return served_from_cache(app, lambda: page(app, path, headers))


def test_the_featured_lesson_is_on_the_theme_of_the_factories(featured, db_session):
    assert featured.theme_id == theme(db_session).id  # the theme page below shows it


def test_an_edited_title_and_text_show_at_once(app, db_session, path, featured):
    assert "Solceller på skoltaken" in warm(app, path)
    data = lesson_input(
        db_session,
        db_session.get(Project, featured.project_id),
        title="Solceller på förskolans tak",
        language="sv",
        context="Ett nytt sammanhang om förskolor.",
    )
    author = db_session.get(User, featured.author_id)
    lessons.update_lesson(session=db_session, actor=author, lesson=featured, data=data)
    db_session.commit()
    html = page(app, path)
    assert "Solceller på förskolans tak" in html and "Solceller på skoltaken" not in html
    assert "Ett nytt sammanhang om förskolor." in html


def test_a_useful_mark_changes_the_count(app, db_session, path, featured):
    assert "0 useful marks" in warm(app, path, EN)
    lessons.toggle_lesson_useful(session=db_session, actor=make_user(db_session), lesson=featured)
    db_session.commit()
    assert "1 useful mark" in page(app, path, EN)


def test_unfeaturing_hiding_and_restoring_show_at_once(app, db_session, path, featured, moderator):
    assert "Solceller på skoltaken" in warm(app, path)
    lessons.set_lesson_featured(
        session=db_session, actor=moderator, lesson=featured, featured=False
    )
    db_session.commit()
    assert "Solceller på skoltaken" not in page(app, path)
    lessons.set_lesson_featured(session=db_session, actor=moderator, lesson=featured, featured=True)
    moderation_items.hide_item(session=db_session, actor=moderator, item=featured, reason="spam")
    db_session.commit()
    assert "Solceller på skoltaken" not in page(app, path)
    moderation_items.restore_item(session=db_session, actor=moderator, item=featured)
    db_session.commit()
    assert "Solceller på skoltaken" in page(app, path)


def test_the_reader_language_is_part_of_the_key(app, path, featured):
    assert "Utvalda lärdomar" in warm(app, path)
    assert "Featured lessons" in page(app, path, EN)
    assert "Utvalda lärdomar" in page(app, path)
