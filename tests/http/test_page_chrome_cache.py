"""The cached page chrome (brand and search box, main navigation, footer) and a theme page's
cached filter form never show another page's, language's or choice's copy."""

from __future__ import annotations

import re

from forum.core.models import Goal
from tests.factories import goal, make_thread, make_user, theme
from tests.fragments import served_from_cache

EN = {"Accept-Language": "en"}


def text(client, path: str, headers=None) -> str:
    response = client.get(path, headers=headers, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def current_part(html: str) -> str:
    nav = re.search(r'<nav class="wrap main-nav".*?</nav>', html, re.S).group(0)
    return re.search(r'<a href="[^"]*" aria-current="true">([^<]+)</a>', nav).group(1)


def filters(html: str) -> str:
    return re.search(r'<form class="thread-filters".*?</form>', html, re.S).group(0)


def selected(form: str, name: str) -> str | None:
    select = re.search(rf'<select id="[^"]*" name="{name}">.*?</select>', form, re.S).group(0)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else None


def test_the_navigation_marks_the_part_of_each_page(app):
    client = app.test_client()
    served_from_cache(app, lambda: text(client, "/lessons"))
    assert current_part(text(client, "/lessons")) == "Lärdomar"
    assert current_part(text(client, "/projects")) == "Projekt"
    assert current_part(text(client, "/")) == "Teman"


def test_the_chrome_follows_the_readers_language(app):
    client = app.test_client()
    swedish = served_from_cache(app, lambda: text(client, "/lessons"))
    english = text(client, "/lessons", EN)
    assert "Sök i forumet" in swedish and "Om forumet" in swedish
    assert "Search the forum" in english and "About the forum" in english
    assert "Om forumet" not in english
    assert current_part(english) == "Lessons"


def test_the_theme_filters_show_each_readers_choice(app, db_session):
    make_thread(db_session, make_user(db_session), title="Solceller på taken")
    slug = theme(db_session).slug
    client = app.test_client()
    served_from_cache(app, lambda: text(client, f"/t/{slug}?sdg=7&sort=newest"))
    chosen = filters(text(client, f"/t/{slug}?sdg=7&sort=newest"))
    other = filters(text(client, f"/t/{slug}?sdg=11&language=en"))
    plain = filters(text(client, f"/t/{slug}"))
    assert (selected(chosen, "sdg"), selected(chosen, "sort")) == ("7", "newest")
    assert (selected(other, "sdg"), selected(other, "language")) == ("11", "en")
    assert (selected(plain, "sdg"), selected(plain, "language")) == (None, None)
    assert "Alla mål" in plain and "All goals" in filters(text(client, f"/t/{slug}", EN))


def test_a_goal_renamed_shows_in_the_filters_at_once(app, db_session):
    slug = theme(db_session).slug
    client = app.test_client()
    served_from_cache(app, lambda: text(client, f"/t/{slug}"))
    renamed: Goal = goal(db_session, 7)
    renamed.name_sv = "Hållbar energi för alla, nytt namn"
    db_session.commit()
    assert "7. Hållbar energi för alla, nytt namn" in filters(text(client, f"/t/{slug}"))
