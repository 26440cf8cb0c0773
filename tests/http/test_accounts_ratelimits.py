"""Rate limits (flask-limiter) on login, registration, reset requests and confirmation mails,
per IP and per account, answered with the translated 429 page. TestConfig turns them off; these
tests turn them on with small limits."""

from __future__ import annotations

import pytest

from forum import create_app
from tests.accounts_fixtures import REGISTRATION, text
from tests.factories import DEFAULT_PASSWORD, login_as, make_user

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_LOGIN": "4 per minute",
    "RATELIMIT_LOGIN_ACCOUNT": "2 per minute",
    "RATELIMIT_REGISTER": "2 per minute",
    "RATELIMIT_RESET": "3 per minute",
    "RATELIMIT_RESET_ACCOUNT": "1 per minute",
    "RATELIMIT_CONFIRM_MAIL": "1 per minute",
}


@pytest.fixture
def limited_app(app_settings, smtp_server, db_session):
    application = create_app({**app_settings, **smtp_server.settings, **LIMITS})
    yield application
    application.extensions["forum_engine"].dispose()


def _ip(n: int) -> dict:
    return {"REMOTE_ADDR": f"192.0.2.{n}"}


def test_failed_logins_are_limited_per_account(limited_app, db_session):
    make_user(db_session, email="anna@example.org")
    client = limited_app.test_client()
    for n in range(2):  # two failures from two addresses
        bad = client.post(
            "/login",
            data={"email": "anna@example.org", "password": "guess number n"},
            environ_base=_ip(n),
        )
        assert bad.status_code == 422
    blocked = client.post(
        "/login",
        data={"email": "ANNA@example.org", "password": DEFAULT_PASSWORD},
        environ_base=_ip(9),
        headers={"Accept-Language": "en"},
    )
    assert blocked.status_code == 429
    html = text(blocked)
    assert "Too many requests" in html and "<html" in html and "Traceback" not in html
    # another account from the same place is not affected
    make_user(db_session, email="erik@example.org")
    ok = client.post(
        "/login",
        data={"email": "erik@example.org", "password": DEFAULT_PASSWORD},
        environ_base=_ip(9),
    )
    assert ok.status_code == 303


def test_successful_logins_do_not_use_up_the_account_limit(limited_app, db_session):
    make_user(db_session, email="anna@example.org")
    client = limited_app.test_client()
    for n in range(3):
        response = client.post(
            "/login",
            data={"email": "anna@example.org", "password": DEFAULT_PASSWORD},
            environ_base=_ip(n),
        )
        assert response.status_code == 303


def test_logins_are_limited_per_ip(limited_app):
    client = limited_app.test_client()
    statuses = [
        client.post(
            "/login",
            data={"email": f"person{n}@example.org", "password": "whatever it is"},
            environ_base=_ip(1),
        ).status_code
        for n in range(5)
    ]
    assert statuses == [422, 422, 422, 422, 429]
    assert (
        client.get("/login", environ_base=_ip(1)).status_code == 200
    )  # reading the form is not limited
    other = client.post(
        "/login", data={"email": "x@example.org", "password": "whatever it is"}, environ_base=_ip(2)
    )
    assert other.status_code == 422


def test_429_is_translated_and_has_an_htmx_fragment(limited_app):
    client = limited_app.test_client()
    for _ in range(4):
        client.post("/login", data={"email": "a@example.org", "password": "x"}, environ_base=_ip(3))
    swedish = client.post(
        "/login", data={"email": "a@example.org", "password": "x"}, environ_base=_ip(3)
    )
    assert swedish.status_code == 429 and "För många förfrågningar" in text(swedish)
    fragment = client.post(
        "/login",
        data={"email": "a@example.org", "password": "x"},
        environ_base=_ip(3),
        headers={"HX-Request": "true"},
    )
    # htmx gets the one sentence, shown next to the form (static/js/htmx-feedback.js)
    assert fragment.status_code == 429 and "<html" not in text(fragment)
    assert "Du har gjort det för ofta." in text(fragment)
    assert fragment.headers["HX-Reswap"] == "none"


def test_registrations_are_limited_per_ip_and_per_address(limited_app):
    per_ip = [
        limited_app.test_client()  # each registration signs its own browser in
        .post(
            "/register", data={**REGISTRATION, "email": f"new{n}@example.org"}, environ_base=_ip(4)
        )
        .status_code
        for n in range(3)
    ]
    assert per_ip == [303, 303, 429]
    per_address = [
        limited_app.test_client()
        .post(
            "/register",
            data={**REGISTRATION, "email": "same@example.org"},
            environ_base=_ip(10 + n),
        )
        .status_code
        for n in range(3)
    ]
    assert per_address == [303, 303, 429]  # a taken address counts as a new one


def test_reset_requests_are_limited_per_address_and_ip(limited_app, smtp_server, db_session):
    make_user(db_session, email="anna@example.org")
    client = limited_app.test_client()
    first = client.post("/reset", data={"email": "anna@example.org"}, environ_base=_ip(5))
    second = client.post("/reset", data={"email": "anna@example.org"}, environ_base=_ip(6))
    assert (first.status_code, second.status_code) == (303, 429)
    assert len(smtp_server.to("anna@example.org")) == 1
    statuses = [
        client.post("/reset", data={"email": f"p{n}@example.org"}, environ_base=_ip(7)).status_code
        for n in range(4)
    ]
    assert statuses == [303, 303, 303, 429]


def test_confirmation_mails_are_limited_per_account(limited_app, smtp_server, db_session):
    user = make_user(db_session, email="anna@example.org", confirmed=False)
    client = limited_app.test_client()
    login_as(client, user)
    assert client.post("/confirm/resend", environ_base=_ip(8)).status_code == 303
    assert client.post("/confirm/resend", environ_base=_ip(9)).status_code == 429
    assert len(smtp_server.to("anna@example.org")) == 1


def test_limits_are_off_in_the_test_config(client, db_session):
    make_user(db_session, email="anna@example.org")
    statuses = {
        client.post(
            "/login", data={"email": "anna@example.org", "password": "wrong one!"}
        ).status_code
        for _ in range(12)
    }
    assert statuses == {422}
