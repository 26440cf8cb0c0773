"""Password reset: same answer for everyone, a one-hour link that works once, sessions end."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from forum.accounts.models import User
from tests.accounts_fixtures import link_path, login, text
from tests.factories import DEFAULT_PASSWORD, login_as, make_user

NEW_PASSWORD = "hamnen och bron i kvällsljus"


def test_reset_page_plain_and_fragment(client):
    assert client.get("/reset").status_code == 200
    fragment = client.get("/reset", headers={"HX-Request": "true"})
    assert "<html" not in text(fragment) and 'id="reset-request-form"' in text(fragment)


def test_same_answer_whether_or_not_the_account_exists(mail_client, smtp_server, db_session):
    make_user(db_session, email="anna@example.org", locale="en")
    known = mail_client.post("/reset", data={"email": "Anna@example.org"})
    unknown = mail_client.post("/reset", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"] == "/login"
    [message] = smtp_server.messages
    assert (
        "anna@example.org" in message["X-Envelope-To"]
        and message["Subject"] == "Reset your password"
    )


def test_invalid_email_is_422(client):
    response = client.post("/reset?lang=en", data={"email": "not an address"})
    assert response.status_code == 422 and "valid e-mail address" in text(response)
    htmx = client.post("/reset", data={"email": ""}, headers={"HX-Request": "true"})
    assert htmx.status_code == 422 and "<html" not in text(htmx)


def _reset_link(mail_client, smtp_server, email="anna@example.org") -> str:
    mail_client.post("/reset", data={"email": email})
    return link_path(smtp_server.to(email)[-1], "/reset/")


def test_reset_sets_the_password_and_ends_other_sessions(
    mail_app, mail_client, smtp_server, db_session
):
    user = make_user(db_session, email="anna@example.org")
    elsewhere = mail_app.test_client()
    login_as(elsewhere, user)
    assert elsewhere.get("/settings").status_code == 200
    path = _reset_link(mail_client, smtp_server)
    form = mail_client.get(path)
    assert form.status_code == 200 and 'name="password_confirm"' in text(form)
    done = mail_client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    assert elsewhere.get("/settings").status_code == 302  # the other session ended
    assert (
        login(mail_client, email="anna@example.org", password=DEFAULT_PASSWORD).status_code == 422
    )
    assert login(mail_client, email="anna@example.org", password=NEW_PASSWORD).status_code == 303


def test_reset_link_works_once(mail_client, smtp_server, db_session):
    make_user(db_session, email="anna@example.org")
    path = _reset_link(mail_client, smtp_server)
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert mail_client.post(path, data=data).status_code == 303
    for response in (
        mail_client.get(path + "?lang=en"),
        mail_client.post(path + "?lang=en", data=data),
    ):
        assert response.status_code == 400 and "may have been used already" in text(response)


def test_a_newer_password_change_invalidates_older_links(mail_client, smtp_server, db_session):
    make_user(db_session, email="anna@example.org")
    first = _reset_link(mail_client, smtp_server)
    second = _reset_link(mail_client, smtp_server)
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert mail_client.post(second, data=data).status_code == 303
    assert mail_client.post(first, data=data).status_code == 400


def test_reset_confirms_an_unconfirmed_address(mail_client, smtp_server, db_session):
    user = make_user(db_session, email="anna@example.org", confirmed=False)
    path = _reset_link(mail_client, smtp_server)
    mail_client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    db_session.refresh(user)
    assert user.confirmed_at is not None


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short", "short", "at least 10"),
        ("qwertyuiop", "qwertyuiop", "too common"),
        ("anna@example.org", "anna@example.org", "e-mail address"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "do not match"),
    ],
)
def test_bad_new_password_is_422_and_the_link_still_works(
    mail_client, smtp_server, db_session, password, again, message
):
    make_user(db_session, email="anna@example.org")
    path = _reset_link(mail_client, smtp_server)
    response = mail_client.post(
        path + "?lang=en", data={"password": password, "password_confirm": again}
    )
    assert response.status_code == 422 and message in text(response)
    assert password not in text(response).replace("anna@example.org", "")
    htmx = mail_client.post(
        path, data={"password": password, "password_confirm": again}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422 and "<html" not in text(htmx)
    ok = mail_client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert ok.status_code == 303


def test_expired_reset_link(mail_client, smtp_server, db_session, monkeypatch):
    make_user(db_session, email="anna@example.org")
    path = _reset_link(mail_client, smtp_server)
    later = time.time() + 3600 + 5
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    response = mail_client.get(path + "?lang=en")
    assert response.status_code == 400 and "This link has expired" in text(response)


@pytest.mark.parametrize("token", ["garbage", "eyJ1IjoxfQ.abc.def"])
def test_tampered_reset_link(client, token):
    response = client.get(f"/reset/{token}?lang=en")
    assert response.status_code == 400 and "This link is not valid" in text(response)
    # a password link offers a new password link, never a confirmation link
    assert "Ask for a new password link" in text(response)
    assert "confirmation" not in text(response)
    htmx = client.get(f"/reset/{token}", headers={"HX-Request": "true"})
    assert htmx.status_code == 400 and "<html" not in text(htmx)


def test_no_mail_for_deleted_accounts(mail_client, smtp_server, db_session):
    from forum.clock import utcnow

    make_user(db_session, email="gone@example.org", deleted_at=utcnow())
    assert mail_client.post("/reset", data={"email": "gone@example.org"}).status_code == 303
    assert smtp_server.messages == []
    assert db_session.exec(select(User).where(User.email == "gone@example.org")).one()
