"""Registration, the confirmation mail (received by a real SMTP server) and confirming."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from forum.accounts import service
from forum.accounts.models import ActorType, User
from forum.accounts.service import find_by_email
from tests.accounts_fixtures import (
    REGISTRATION,
    field_error,
    link_path,
    login,
    register,
    text,
)
from tests.factories import login_as, make_user
from tests.mail_fixtures import body_html, body_text


def _user(db_session, email="anna@example.org") -> User:
    db_session.expire_all()
    return db_session.exec(select(User).where(User.email == email)).one()


def test_register_page_plain_and_fragment(client):
    page = client.get("/register")
    assert page.status_code == 200
    html = text(page)
    assert "<html" in html and 'name="display_name"' in html and 'name="accept_terms"' in html
    assert 'href="/terms"' in html
    for name in (
        "display_name",
        "email",
        "password",
        "password_confirm",
        "organisation",
        "actor_type",
        "locale",
    ):
        assert f'for="{name}"' in html  # every field has a label
    fragment = client.get("/register", headers={"HX-Request": "true"})
    assert (
        fragment.status_code == 200
        and "<html" not in text(fragment)
        and 'id="register-form"' in text(fragment)
    )
    assert "HX-Request" in fragment.headers["Vary"]


def test_register_creates_unconfirmed_user_and_mails_a_link(mail_client, smtp_server, db_session):
    response = register(
        mail_client, email="  Anna@Example.ORG ", locale="en", actor_type="academia"
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"
    user = _user(db_session)
    assert (
        user.confirmed_at is None and user.actor_type == ActorType.academia and user.locale == "en"
    )
    assert (
        user.password_hash.startswith("$argon2id$")
        and REGISTRATION["password"] not in user.password_hash
    )
    [message] = smtp_server.to("anna@example.org")
    assert message["Subject"] == "Confirm your e-mail address"  # in the recipient's language
    assert (
        message.is_multipart()
        and "/confirm/" in body_text(message)
        and "/confirm/" in body_html(message)
    )
    assert "<html" in body_html(message) and 'lang="en"' in body_html(message)


def test_confirmation_mail_is_swedish_for_swedish_users(mail_client, smtp_server):
    register(mail_client, locale="sv")
    [message] = smtp_server.to("anna@example.org")
    assert message["Subject"] == "Bekräfta din e-postadress"
    assert "Hej Anna Lindqvist" in body_text(message)


def test_confirm_link_shows_a_button_and_post_confirms(mail_client, smtp_server, db_session):
    register(mail_client)
    path = link_path(smtp_server.to("anna@example.org")[0], "/confirm/")
    page = mail_client.get(path)
    assert page.status_code == 200 and "anna@example.org" in text(page)
    assert _user(db_session).confirmed_at is None  # GET never writes
    done = mail_client.post(path)
    assert done.status_code == 303
    assert _user(db_session).confirmed_at is not None
    again = mail_client.post(path)  # double click on the button
    assert again.status_code == 303
    assert "redan bekräftad" in text(mail_client.get("/login"))
    assert "redan bekräftad" in text(mail_client.get(path))


def test_the_confirmation_page_offers_only_the_confirm_button(mail_client, smtp_server):
    register(mail_client)
    path = link_path(smtp_server.to("anna@example.org")[0], "/confirm/")
    assert login(mail_client).status_code == 303
    assert 'id="confirm-notice"' in text(mail_client.get("/"))  # unconfirmed: the notice shows
    page = text(mail_client.get(path))
    assert 'id="confirm-notice"' not in page and "/confirm/resend" not in page
    assert f'action="{path}"' in page


def test_confirm_fragment_for_htmx(mail_client, smtp_server):
    register(mail_client)
    path = link_path(smtp_server.to("anna@example.org")[0], "/confirm/")
    fragment = mail_client.get(path, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    done = mail_client.post(path, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done.headers["HX-Redirect"] == "/login"


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-3] + "xyz", lambda t: "garbage", lambda t: t.rsplit(".", 1)[0]]
)
def test_tampered_confirmation_link_is_400(mail_client, smtp_server, db_session, mangle):
    register(mail_client)
    token = link_path(smtp_server.to("anna@example.org")[0], "/confirm/").rsplit("/", 1)[1]
    for method in (mail_client.get, mail_client.post):
        response = method(f"/confirm/{mangle(token)}?lang=en")
        assert response.status_code == 400
        assert "This link is not valid" in text(response)
    assert _user(db_session).confirmed_at is None


def test_expired_confirmation_link_says_so(mail_client, smtp_server, monkeypatch):
    register(mail_client)
    path = link_path(smtp_server.to("anna@example.org")[0], "/confirm/")
    later = time.time() + 3 * 24 * 3600 + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    response = mail_client.get(path + "?lang=en")
    assert response.status_code == 400 and "This link has expired" in text(response)
    assert mail_client.post(path).status_code == 400


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"display_name": "A" * 81}, "display_name", "between 2 and 80"),
        ({"display_name": " "}, "display_name", "Enter a display name"),
        ({"email": "not-an-address"}, "email", "valid e-mail address"),
        ({"email": ""}, "email", "Enter your e-mail address"),
        ({"password_confirm": "something else entirely"}, "password_confirm", "do not match"),
        ({"password": "short", "password_confirm": "short"}, "password", "at least 10"),
        ({"password": "password123", "password_confirm": "password123"}, "password", "too common"),
        (
            {"password": "anna@example.org", "password_confirm": "anna@example.org"},
            "password",
            "e-mail address",
        ),
        ({"accept_terms": ""}, "accept_terms", "accept the terms"),
        ({"organisation": "O" * 121}, "organisation", "At most 120"),
        ({"actor_type": "pirate"}, "actor_type", "Not a valid choice"),
    ],
)
def test_invalid_registration_is_422_with_message_and_refilled_form(
    client, db_session, overrides, field, message
):
    data = {**overrides}
    response = client.post("/register?lang=en", data={**REGISTRATION, **data})
    assert response.status_code == 422
    assert message in (field_error(response, field) or "")
    html = text(response)
    if field != "organisation":
        assert 'value="Malmö stad"' in html  # what the user typed comes back
    assert REGISTRATION["password"] not in html  # ... never the password
    assert db_session.exec(select(User)).all() == []


def test_invalid_registration_fragment_for_htmx(client):
    response = client.post(
        "/register", data={**REGISTRATION, "email": "nope"}, headers={"HX-Request": "true"}
    )
    assert (
        response.status_code == 422
        and "<html" not in text(response)
        and 'id="register-form"' in text(response)
    )


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_mail(
    mail_client, smtp_server, db_session
):
    make_user(db_session, email="anna@example.org", locale="en")
    new = register(mail_client, email="someone@example.org")
    taken = register(mail_client, email="ANNA@example.org")  # unique case-insensitively
    assert (new.status_code, new.headers["Location"]) == (303, "/")  # signed in at once
    assert (taken.status_code, taken.headers["Location"]) == (303, "/login")
    assert len(db_session.exec(select(User).where(User.email == "anna@example.org")).all()) == 1
    [message] = smtp_server.to("anna@example.org")
    assert message["Subject"] == "You already have an account"
    assert "/login" in body_text(message) and "/reset" in body_text(message)
    assert "already belongs to your account" in body_html(message)


def test_a_registration_losing_the_race_for_the_address_is_answered_as_a_taken_one(
    mail_client, smtp_server, db_session, monkeypatch
):
    make_user(db_session, email="anna@example.org", locale="en")
    lookups = []

    def stale_once(session, email):  # the other registration committed after this lookup
        lookups.append(email)
        return None if len(lookups) == 1 else find_by_email(session, email)

    monkeypatch.setattr(service, "find_by_email", stale_once)
    response = register(mail_client)
    assert response.status_code == 303 and len(lookups) == 2  # the worker's lookup found it
    assert len(db_session.exec(select(User)).all()) == 1
    [message] = smtp_server.to("anna@example.org")
    assert message["Subject"] == "You already have an account"


def test_double_submit_creates_one_account(mail_client, smtp_server, db_session):
    first, second = register(mail_client), register(mail_client)
    assert first.status_code == second.status_code == 303
    assert len(db_session.exec(select(User)).all()) == 1
    # the account is not confirmed yet: the second registration mails the link again
    assert all("/confirm/" in body_text(m) for m in smtp_server.to("anna@example.org"))
    assert len(smtp_server.to("anna@example.org")) == 2


def test_honeypot_rejects_bots(client, db_session):
    response = client.post(
        "/register?lang=en", data={**REGISTRATION, "website": "http://spam.example"}
    )
    assert response.status_code == 400 and "could not be accepted" in text(response)
    assert db_session.exec(select(User)).all() == []


def test_logged_in_user_is_sent_home_from_register(client, db_session):
    login_as(client, make_user(db_session))
    assert client.get("/register").status_code == 302


def test_unconfirmed_user_can_log_in_and_sees_the_notice(mail_client, smtp_server):
    register(mail_client)
    assert login(mail_client).status_code == 303
    html = text(mail_client.get("/?lang=en"))  # the account's language (sv) wins over ?lang
    assert 'id="confirm-notice"' in html and "Skicka länken igen" in html
    assert 'action="/confirm/resend"' in html


def test_send_again_mails_a_new_link(mail_client, smtp_server, db_session):
    register(mail_client)
    login(mail_client)
    response = mail_client.post("/confirm/resend", data={"next": "/terms"})
    assert response.status_code == 303 and response.headers["Location"] == "/terms"
    assert len(smtp_server.to("anna@example.org")) == 2
    fragment = mail_client.post("/confirm/resend", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    assert 'id="confirm-notice"' in text(fragment) and "anna@example.org" in text(fragment)
    # the newest link works
    mail_client.post(link_path(smtp_server.to("anna@example.org")[-1], "/confirm/"))
    assert _user(db_session).confirmed_at is not None


def test_send_again_ignores_an_external_next(mail_client):
    register(mail_client)
    login(mail_client)
    response = mail_client.post("/confirm/resend", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_send_again_when_confirmed_sends_nothing(mail_client, smtp_server, db_session):
    login_as(mail_client, make_user(db_session, confirmed=True))
    response = mail_client.post("/confirm/resend")
    assert response.status_code == 303 and smtp_server.messages == []
    assert 'id="confirm-notice"' not in text(mail_client.get("/"))


def test_send_again_needs_login(client):
    response = client.post("/confirm/resend")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_resend_needs_post(mail_client, smtp_server, db_session):
    login_as(mail_client, make_user(db_session, confirmed=False))
    assert (
        mail_client.get("/confirm/resend").status_code == 400
    )  # read as a (bad) confirmation link
    assert smtp_server.messages == []


def test_terms_page(client):
    assert "Villkor" in text(client.get("/terms"))
    fragment = client.get("/terms?lang=en", headers={"HX-Request": "true"})
    assert (
        fragment.status_code == 200
        and "<html" not in text(fragment)
        and "Terms of the forum" in text(fragment)
    )


@pytest.mark.parametrize("name", ["Anna\r\nBcc: victim@example.org", "Anna\x01Lind", "Tab\there"])
def test_control_characters_in_names_are_refused(client, db_session, name):
    response = client.post("/register?lang=en", data={**REGISTRATION, "display_name": name})
    assert response.status_code == 422
    assert "punctuation only" in field_error(response, "display_name")
    assert db_session.exec(select(User)).all() == []


def test_html_in_names_is_escaped_in_the_mail(mail_client, smtp_server):
    register(mail_client, display_name="<b>Anna</b> & co")
    [message] = smtp_server.to("anna@example.org")
    assert "&lt;b&gt;Anna&lt;/b&gt; &amp; co" in body_html(
        message
    ) and "<b>Anna</b>" not in body_html(message)
    assert "Hej <b>Anna</b> & co," in body_text(message)


@pytest.mark.parametrize(
    ("locale", "welcome", "notice"),
    [
        ("en", "Welcome to the forum, Anna Lindqvist!", "Confirm your e-mail address."),
        ("sv", "Välkommen till forumet, Anna Lindqvist!", "Bekräfta din e-postadress."),
    ],
)
def test_a_new_member_is_signed_in_at_once_and_reads_until_confirmed(
    mail_client, smtp_server, db_session, locale, welcome, notice
):
    response = mail_client.post("/register", data={**REGISTRATION, "locale": locale})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = text(mail_client.get("/"))
    assert welcome in home and 'action="/logout"' in home and notice in home
    assert _user(db_session).last_login_at is not None  # this was the first login
    assert mail_client.get("/threads/new").status_code == 403  # unconfirmed: reads only
    mail_client.post("/logout")
    again = text(mail_client.get(login(mail_client).headers["Location"]))
    assert "Välkommen tillbaka" in again or "Welcome back" in again


def test_the_registration_answer_with_htmx_signs_in_too(mail_client, smtp_server, db_session):
    response = mail_client.post("/register", data=REGISTRATION, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"
    assert 'action="/logout"' in text(mail_client.get("/"))
