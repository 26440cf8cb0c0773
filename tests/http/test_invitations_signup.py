"""Signing up to the invitation list over HTTP with a real SMTP server: double opt-in, the same
answer and work for a listed address, rate limits per IP and per address, leaving in one click
(RFC 8058), the member's settings, data export and account deletion."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from forum import create_app
from forum.invitations import tokens
from forum.invitations.models import Subscriber
from forum.mail.outbox import deliver_due
from tests.factories import DEFAULT_PASSWORD, login_as, make_user
from tests.http.test_accounts_enumeration import post_each, queued_app  # noqa: F401
from tests.invitations_helpers import link_path, sign_up_and_confirm, subscribers
from tests.mail_fixtures import body_text

EN = {"Accept-Language": "en"}


@pytest.fixture
def mail_app(app_settings, smtp_server):
    application = create_app({**app_settings, **smtp_server.settings})
    yield application
    application.extensions["forum_engine"].dispose()


def test_signing_up_stores_the_address_only_once_confirmed(mail_app, db_session, smtp_server):
    client = mail_app.test_client()
    answer = client.post(
        "/invitations/signup", data={"email": " Anna@Example.org ", "locale": "en"}, headers=EN
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/invitations"
    assert subscribers(db_session) == []  # pending lives in the link only
    [mail] = smtp_server.to("anna@example.org")
    assert mail["Subject"] == "Confirm that you want invitations from Tillsammans 2030"
    assert mail["Content-Language"] == "en"
    path = link_path(mail, "/invitations/confirm/")
    page = client.get(path, headers=EN)  # a mail scanner's GET confirms nothing
    assert page.status_code == 200 and "anna@example.org" in page.get_data(as_text=True)
    assert subscribers(db_session) == []
    done = client.post(path, headers=EN)
    assert done.status_code == 303
    assert subscribers(db_session) == [("anna@example.org", "en")]
    assert client.post(path).status_code == 303  # twice: still one row
    assert subscribers(db_session) == [("anna@example.org", "en")]


def test_a_listed_address_gets_the_same_answer_and_nothing_is_stored(
    mail_app, db_session, smtp_server
):
    client = mail_app.test_client()
    sign_up_and_confirm(client, smtp_server, "anna@example.org")
    smtp_server.clear()
    again = client.post("/invitations/signup", data={"email": "anna@example.org", "locale": "sv"})
    new = client.post("/invitations/signup", data={"email": "erik@example.org", "locale": "sv"})
    assert (again.status_code, again.headers["Location"]) == (
        new.status_code,
        new.headers["Location"],
    )
    htmx = [
        client.post(
            "/invitations/signup",
            data={"email": email, "locale": "sv"},
            headers={"HX-Request": "true"},
        ).get_data(as_text=True)
        for email in ("anna@example.org", "erik@example.org")
    ]
    assert htmx[0].replace("anna", "X") == htmx[1].replace("erik", "X")
    [listed, _] = smtp_server.to("anna@example.org")
    assert listed["Subject"] == "Du finns redan på inbjudningslistan"
    assert "/invitations/unsubscribe/" in body_text(listed)
    assert "/invitations/confirm/" not in body_text(listed)
    assert subscribers(db_session) == [("anna@example.org", "sv")]


def test_a_sign_up_does_the_same_work_for_a_listed_address(queued_app, db_session):  # noqa: F811
    db_session.add(Subscriber(email="listed@example.org"))
    db_session.commit()
    forms = {name: {"email": f"{name}@example.org", "locale": "sv"} for name in ("listed", "new")}
    answers, work = post_each(queued_app, "/invitations/signup", forms)
    assert answers["listed"] == answers["new"] == (303, "/invitations")
    assert work["listed"] == work["new"]
    assert not any("invitation_subscriber" in s for s in work["listed"])  # no lookup


def test_confirm_links_that_cannot_be_used(mail_app, db_session):
    client = mail_app.test_client()
    assert client.get("/invitations/confirm/forged", headers=EN).status_code == 400
    assert client.post("/invitations/confirm/forged", headers=EN).status_code == 400
    expired = create_app({**mail_app.config, "INVITATIONS_CONFIRM_TOKEN_MAX_AGE": -1}).test_client()
    with mail_app.app_context():
        token = tokens.make_signup_token("anna@example.org", "sv")
    answer = expired.post(f"/invitations/confirm/{token}", headers=EN)
    assert answer.status_code == 400 and "expired" in answer.get_data(as_text=True)
    assert subscribers(db_session) == []


def test_an_invalid_address_is_refused_on_the_form(mail_app, smtp_server):
    answer = mail_app.test_client().post(
        "/invitations/signup", data={"email": "not an address", "locale": "sv"}, headers=EN
    )
    assert answer.status_code == 422
    assert "Enter a valid e-mail address" in answer.get_data(as_text=True)
    assert smtp_server.messages == []


LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_INVITATIONS_SIGNUP": "3 per minute",
    "RATELIMIT_INVITATIONS_SIGNUP_ADDRESS": "2 per minute",
}


@pytest.fixture
def limited_app(app_settings, smtp_server):
    application = create_app({**app_settings, **smtp_server.settings, **LIMITS})
    yield application
    application.extensions["forum_engine"].dispose()


def _signup(client, email: str, n: int):
    return client.post(
        "/invitations/signup",
        data={"email": email, "locale": "sv"},
        environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        headers=EN,
    )


def test_sign_ups_are_limited_per_address_alike_for_listed_and_new(limited_app, db_session):
    db_session.add(Subscriber(email="listed@example.org"))
    db_session.commit()
    client = limited_app.test_client()
    for email in ("listed@example.org", "new@example.org"):
        statuses = [_signup(client, email, n).status_code for n in range(3)]  # three places
        assert statuses == [303, 303, 429], email
    blocked = _signup(client, "listed@example.org", 9)
    assert blocked.status_code == 429 and "Too many requests" in blocked.get_data(as_text=True)


def test_sign_ups_are_limited_per_ip(limited_app):
    client = limited_app.test_client()
    statuses = [_signup(client, f"person{n}@example.org", 1).status_code for n in range(4)]
    assert statuses == [303, 303, 303, 429]
    assert _signup(client, "person9@example.org", 2).status_code == 303


# --- leaving -------------------------------------------------------------------------------------
def _unsubscribe_path(app, session, email: str) -> str:
    subscriber = session.exec(select(Subscriber).where(Subscriber.email == email)).one()
    with app.app_context():
        return f"/invitations/unsubscribe/{tokens.make_unsubscribe_token(subscriber)}"


def test_one_click_post_without_cookie_or_csrf_removes_the_address(app_settings, db_session):
    app = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    db_session.add(Subscriber(email="anna@example.org"))
    db_session.add(Subscriber(email="erik@example.org"))
    db_session.commit()
    path = _unsubscribe_path(app, db_session, "anna@example.org")
    client = app.test_client(use_cookies=False)
    page = client.get(path, headers=EN)  # GET only offers the button
    assert page.status_code == 200 and "Leave the list" in page.get_data(as_text=True)
    assert len(subscribers(db_session)) == 2
    answer = client.post(path, data={"List-Unsubscribe": "One-Click"}, headers=EN)
    assert answer.status_code == 200
    assert "has been removed" in answer.get_data(as_text=True)
    assert subscribers(db_session) == [("erik@example.org", "sv")]
    again = client.post(path, data={"List-Unsubscribe": "One-Click"}, headers=EN)
    assert again.status_code == 200 and "not on the invitation list" in again.get_data(as_text=True)
    # the exemption is this route's alone
    assert client.post("/invitations/signup", data={"email": "x@example.org"}).status_code == 400
    app.extensions["forum_engine"].dispose()


def test_an_unsubscribe_link_never_removes_someone_else(app, db_session):
    db_session.add(Subscriber(email="anna@example.org"))
    db_session.commit()
    path = _unsubscribe_path(app, db_session, "anna@example.org")
    row = db_session.exec(select(Subscriber)).one()
    db_session.delete(row)
    db_session.commit()
    db_session.add(Subscriber(id=row.id, email="erik@example.org"))  # the same id, reused
    db_session.commit()
    client = app.test_client()
    assert client.post(path).status_code == 200
    assert subscribers(db_session) == [("erik@example.org", "sv")]
    assert client.post("/invitations/unsubscribe/forged", headers=EN).status_code == 400
    forged = client.get("/invitations/unsubscribe/forged", headers=EN)
    assert forged.status_code == 400 and "Leave the list" not in forged.text  # no button to fail


# --- members -------------------------------------------------------------------------------------
def test_a_member_joins_from_the_settings_and_confirms(mail_app, db_session, smtp_server):
    member = make_user(db_session, email="maja@example.org", locale="en")
    client = mail_app.test_client()
    login_as(client, member)
    settings = client.get("/settings", headers=EN).get_data(as_text=True)
    assert "Sign up for the invitations" in settings
    answer = client.post("/invitations/join", headers={**EN, "HX-Request": "true"})
    assert answer.status_code == 200 and "Check your inbox" in answer.get_data(as_text=True)
    path = link_path(smtp_server.to("maja@example.org")[-1], "/invitations/confirm/")
    client.post(path)
    [row] = db_session.exec(select(Subscriber)).all()
    assert (row.email, row.locale, row.user_id) == ("maja@example.org", "en", member.id)
    settings = client.get("/settings", headers=EN).get_data(as_text=True)
    assert "Leave the invitation list" in settings
    export = json.loads(client.get("/settings/export").get_data(as_text=True))
    assert export["invitation_list"]["email"] == "maja@example.org"
    assert client.post("/invitations/leave").status_code == 303
    assert subscribers(db_session) == []
    export = json.loads(client.get("/settings/export").get_data(as_text=True))
    assert export["invitation_list"] is None


def test_deleting_the_account_removes_its_list_entry(mail_app, db_session, smtp_server):
    member = make_user(db_session, email="maja@example.org")
    client = mail_app.test_client()
    sign_up_and_confirm(client, smtp_server, "maja@example.org")  # signed up without logging in
    sign_up_and_confirm(client, smtp_server, "other@example.org")
    login_as(client, member)
    answer = client.post("/settings/delete", data={"password": DEFAULT_PASSWORD, "understood": "y"})
    assert answer.status_code == 303
    assert subscribers(db_session) == [("other@example.org", "sv")]


def test_the_composer_runs_in_the_worker(queued_app, db_session, smtp_server):  # noqa: F811
    queued_app.test_client().post(
        "/invitations/signup", data={"email": "anna@example.org", "locale": "sv"}
    )
    assert smtp_server.messages == []  # the request only added an outbox row
    with queued_app.app_context():
        assert deliver_due() == 1
    [mail] = smtp_server.messages
    assert mail["Subject"] == "Bekräfta att du vill ha inbjudningar från Tillsammans 2030"


def test_joining_from_the_settings_is_limited_per_member(limited_app, db_session):
    client = limited_app.test_client()
    assert client.post("/invitations/join").status_code == 302  # anonymous: to the login
    login_as(client, make_user(db_session))
    statuses = [client.post("/invitations/join").status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
