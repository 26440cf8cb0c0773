"""Readers who are not logged in get an ETag and 304 for an unchanged page, never for a changed
one; members' pages (with their CSRF token) and pages that start a session get none."""

from __future__ import annotations

from forum.discussions import service
from tests.factories import client_as, make_thread, make_user


def test_an_unchanged_page_answers_304_and_a_changed_one_200(client, db_session):
    author = make_user(db_session)
    thread, posts = make_thread(db_session, author, body="Första versionen.")
    path = f"/threads/{thread.id}-{thread.slug}"
    first = client.get(path)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and "no-cache" in first.headers["Cache-Control"]
    assert {"Cookie", "Accept-Language", "HX-Request"} <= set(first.vary)
    assert "Set-Cookie" not in first.headers
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    service.edit_post(session=db_session, actor=author, post=posts[0], body="Andra versionen.")
    db_session.commit()
    changed = client.get(path, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Andra versionen." in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != tag


def test_the_fragment_and_the_page_have_different_tags(client, db_session):
    thread, _ = make_thread(db_session, make_user(db_session))
    path = f"/threads/{thread.id}-{thread.slug}"
    page = client.get(path)
    fragment = client.get(
        path, headers={"HX-Request": "true", "If-None-Match": page.headers["ETag"]}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)


def test_members_and_session_pages_get_no_tag(app, client, db_session):
    member = make_user(db_session)
    thread, _ = make_thread(db_session, member)
    answer = client_as(app, member).get(f"/threads/{thread.id}-{thread.slug}")
    assert answer.status_code == 200 and "ETag" not in answer.headers
    choice = client.get("/?lang=en")  # stores the choice in the session: this reader's own page
    assert choice.status_code == 200 and "ETag" not in choice.headers
    assert "X-CSRFToken" not in client.get("/").get_data(as_text=True)
