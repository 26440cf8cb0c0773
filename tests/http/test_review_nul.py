"""Review: a NUL character anywhere in a request is a translated 400 (PostgreSQL cannot store it)."""
from __future__ import annotations

import pytest
from sqlmodel import select

from forum.discussions.models import Thread
from tests.discussions_helpers import a_theme
from tests.factories import login_as, make_user

EN = {"Accept-Language": "en"}
MESSAGE = "contains a NUL character"


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_new_thread_with_a_nul_in_the_title_is_refused_and_nothing_is_stored(client, db_session, headers):
    login_as(client, make_user(db_session, locale="en"))
    theme = a_theme(db_session)
    response = client.post("/threads/new", headers={**EN, **headers}, data={
        "theme": str(theme.id), "title": "Dagvatten\x00 i Hyllie", "body": "Hur gör ni med dagvattnet i Hyllie?",
    })
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    assert db_session.exec(select(Thread)).all() == []


@pytest.mark.parametrize("path", ["/t/klimat%00", "/search?q=a%00b", "/projects?status=%00", "/?page=%00"])
def test_nul_in_the_path_or_query_is_a_translated_400(client, path):
    response = client.get(path, headers=EN)
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)


def test_other_control_characters_and_unicode_pass_the_guard(client):
    assert client.get("/search", query_string={"q": "\u202egröna tak 😀\t"}, headers=EN).status_code == 200
