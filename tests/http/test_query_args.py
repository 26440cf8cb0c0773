"""Hostile query strings: a thread address keeps them as sent, and numbers too large, negative or
not numbers at all are a 400 or 422 with a message, never a 500."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_thread, make_user

EN = {"Accept-Language": "en"}
TOO_LARGE = "99999999999999999999"


@pytest.fixture
def admin(client, db_session):
    user = make_user(db_session, role="admin", locale="en")
    login_as(client, user)
    return user


@pytest.mark.parametrize(
    "query",
    [
        {"thread_id": "7"},
        {"slug": "other"},
        {"thread": "1"},
        {"_method": "POST"},
        {"_external": "1"},
        {"_anchor": "x"},
        {"_scheme": "javascript"},
    ],
)
def test_thread_address_without_slug_redirects_keeping_the_query_as_sent(client, db_session, query):
    thread, _ = make_thread(db_session, make_user(db_session))
    response = client.get(f"/threads/{thread.id}", query_string={**query, "page": "1"}, headers=EN)
    assert response.status_code == 301
    location = response.headers["Location"]
    assert location.startswith(f"/threads/{thread.id}-{thread.slug}?")
    name, value = next(iter(query.items()))
    assert f"{name}={value}" in location and "#" not in location


@pytest.mark.parametrize("query", [{"user": TOO_LARGE}, {"before": TOO_LARGE}, {"user": "-3"}])
def test_moderation_log_with_huge_or_negative_numbers_is_not_a_500(client, admin, query):
    response = client.get("/mod/log", query_string=query, headers=EN)
    assert response.status_code in (200, 422)


def test_moderation_log_refuses_a_user_number_too_large_with_a_message(client, admin):
    response = client.get("/mod/log", query_string={"user": TOO_LARGE}, headers=EN)
    assert response.status_code == 422


@pytest.mark.parametrize("page", [TOO_LARGE, "abc", "-1", "0"])
@pytest.mark.parametrize(
    "path", ["/admin/users", "/projects", "/lessons", "/t/klimatneutral-framtid"]
)
def test_bad_page_numbers_are_a_translated_400(client, admin, path, page):
    response = client.get(path, query_string={"page": page}, headers=EN)
    assert response.status_code == 400
    assert "The page number must be a whole number from 1 upwards." in response.get_data(
        as_text=True
    )
