"""A member who has not confirmed their address is not offered "Start a thread" or the reply form
they cannot use: the page says why where the control would be, with the link to send again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.clock import utcnow
from tests.factories import client_as, make_thread, make_user

THEME = "/t/klimatneutral-framtid"


@pytest.fixture
def thread_path(db_session):
    thread, _ = make_thread(db_session)
    return f"/threads/{thread.id}-{thread.slug}"


def start_buttons(html: str) -> list[str]:
    return re.findall(r'href="(/threads/new|/t/[^"/]+/new)"', html)


def resend_forms(html: str) -> list[str]:
    """The ``next`` of each form posting to the resend route outside the page-wide notice."""
    html = re.sub(r'<div class="confirm-notice".*?</div>', "", html, flags=re.S)
    return re.findall(
        r'<form method="post" action="/confirm/resend">.*?name="next" value="([^"]+)"', html, re.S
    )


@pytest.mark.parametrize(
    ("locale", "home", "theme", "reply"),
    [
        (
            "en",
            "To start a thread or share a lesson, confirm your e-mail address first",
            "To start a thread, confirm your e-mail address first",
            "To reply, confirm your e-mail address first",
        ),
        (
            "sv",
            "Bekräfta din e-postadress innan du startar en tråd eller delar en lärdom",
            "Bekräfta din e-postadress innan du startar en tråd:",
            "Bekräfta din e-postadress innan du svarar",
        ),
    ],
)
def test_an_unconfirmed_member_is_told_why_where_the_control_would_be(
    app, db_session, thread_path, locale, home, theme, reply
):
    member = make_user(db_session, confirmed=False, locale=locale, email="ny@example.org")
    client = client_as(app, member)
    for path, reason in (("/", home), (THEME, theme)):
        html = client.get(path).get_data(as_text=True)
        assert start_buttons(html) == []  # the button that led to a 403
        assert reason in html and "ny@example.org" in html
        assert resend_forms(html) == [path]
    html = client.get(thread_path).get_data(as_text=True)
    assert reply in html and resend_forms(html) == [thread_path]
    assert 'id="reply-form"' not in html


def test_the_button_sends_the_link_again_and_returns_to_the_page(app, db_session, thread_path):
    member = make_user(db_session, confirmed=False, locale="en")
    client = client_as(app, member)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(THEME).get_data(True))
    response = client.post(
        "/confirm/resend", data={"next": THEME, "csrf_token": token.group(1) if token else ""}
    )
    assert response.status_code == 303 and response.headers["Location"] == THEME
    assert "We sent a new confirmation link" in client.get(THEME).get_data(as_text=True)


@pytest.mark.parametrize("confirmed", [True, None])
def test_confirmed_members_and_visitors_keep_the_buttons(app, db_session, thread_path, confirmed):
    client = app.test_client()
    if confirmed:
        client = client_as(app, make_user(db_session))
    for path in ("/", THEME):
        html = client.get(path).get_data(as_text=True)
        assert start_buttons(html) and resend_forms(html) == []


def test_a_suspended_member_is_told_so_under_the_thread(app, db_session, thread_path):
    member = make_user(db_session, locale="en", suspended_until=utcnow() + timedelta(days=3))
    html = client_as(app, member).get(thread_path).get_data(as_text=True)
    assert "Your account is suspended: you cannot post right now." in html
    assert "confirm your e-mail address" not in html.lower()
