"""Log in, log out, sessions, open redirects and CSRF."""

from __future__ import annotations

import pytest

from forum import create_app
from forum.accounts import passwords
from tests.accounts_fixtures import VALID_PASSWORD, login, text
from tests.factories import DEFAULT_PASSWORD, login_as, make_user


def test_login_page_plain_and_fragment(client):
    page = client.get("/login")
    assert (
        page.status_code == 200
        and 'name="remember"' in text(page)
        and 'href="/reset"' in text(page)
    )
    fragment = client.get("/login", headers={"HX-Request": "true"})
    assert (
        fragment.status_code == 200
        and "<html" not in text(fragment)
        and 'id="login-form"' in text(fragment)
    )


def test_login_with_any_case_email_and_header_shows_the_menu(client, db_session):
    user = make_user(db_session, email="anna@example.org", display_name="Anna Lindqvist")
    response = login(client, email="ANNA@example.org ", password=DEFAULT_PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    html = text(client.get("/"))
    assert "Anna Lindqvist" in html and "<details" in html
    assert f'href="/u/{user.id}-anna-lindqvist"' in html and 'href="/settings"' in html
    assert 'action="/logout"' in html and 'href="/register"' not in html


def test_the_first_login_welcomes_and_later_ones_welcome_back(client, db_session):
    user = make_user(db_session, email="new@example.org", display_name="Nils Ny", locale="en")
    assert user.last_login_at is None
    login(client, email="new@example.org", password=DEFAULT_PASSWORD)
    assert "Welcome to the forum, Nils Ny." in text(client.get("/"))
    db_session.refresh(user)
    assert user.last_login_at is not None
    client.post("/logout")
    login(client, email="new@example.org", password=DEFAULT_PASSWORD)
    html = text(client.get("/"))
    assert "Welcome back, Nils Ny." in html and "Welcome to the forum" not in html


def test_header_for_anonymous_has_login_and_register(client):
    html = text(client.get("/terms"))
    assert 'href="/login?next=/terms"' in html and 'href="/register"' in html
    assert 'href="/login"' in text(client.get("/register"))  # no next back to the account pages


@pytest.mark.parametrize(
    ("email", "password"),
    [("anna@example.org", "wrong password here"), ("nobody@example.org", DEFAULT_PASSWORD)],
)
def test_wrong_credentials_give_one_message_and_keep_the_email(client, db_session, email, password):
    make_user(db_session, email="anna@example.org")
    response = client.post("/login?lang=en", data={"email": email, "password": password})
    assert response.status_code == 422
    html = text(response)
    assert "The e-mail address or the password is wrong." in html
    assert f'value="{email}"' in html and password not in html


def test_unknown_email_still_costs_a_hash(client, db_session, monkeypatch):
    calls = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    login(client, email="nobody@example.org", password="whatever it is")
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


def test_login_fragment_errors_and_htmx_redirect(client, db_session):
    make_user(db_session, email="anna@example.org")
    bad = client.post(
        "/login",
        data={"email": "anna@example.org", "password": "nope nope nope"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422 and "<html" not in text(bad)
    good = client.post(
        "/login",
        data={"email": "anna@example.org", "password": DEFAULT_PASSWORD, "next": "/settings"},
        headers={"HX-Request": "true"},
    )
    assert good.status_code == 204 and good.headers["HX-Redirect"] == "/settings"


def test_empty_login_form_is_422(client):
    response = client.post("/login?lang=en", data={})
    assert response.status_code == 422 and "Enter your e-mail address." in text(response)


def test_login_starts_a_new_session(client, db_session):
    user = make_user(db_session, email="anna@example.org")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    login(client, email="anna@example.org", password=DEFAULT_PASSWORD)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"].startswith(f"{user.id}:{user.session_token}:")


def test_remember_me_sets_a_cookie(client, db_session):
    make_user(db_session, email="anna@example.org")
    login(client, email="anna@example.org", password=DEFAULT_PASSWORD, remember="y")
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_no_cookie(client, db_session):
    make_user(db_session, email="anna@example.org")
    login(client, email="anna@example.org", password=DEFAULT_PASSWORD)
    assert client.get_cookie("remember_token") is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/settings", "/settings"),
        ("/t/klimat?page=2", "/t/klimat?page=2"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
    ],
)
def test_next_only_goes_to_local_paths(client, db_session, target, expected):
    make_user(db_session, email="anna@example.org")
    page = client.get("/login", query_string={"next": target})
    if expected == "/":
        assert 'name="next" type="hidden" value=""' in text(page)
    response = login(client, email="anna@example.org", password=DEFAULT_PASSWORD, next=target)
    assert response.status_code == 303 and response.headers["Location"] == expected


def test_logged_in_user_visiting_login_is_redirected_safely(client, db_session):
    login_as(client, make_user(db_session))
    assert client.get("/login?next=//evil.example").headers["Location"] == "/"
    assert client.get("/login?next=/settings").headers["Location"] == "/settings"


def test_protected_page_sends_anonymous_to_login_with_next(client):
    response = client.get("/settings")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=%2Fsettings"


def test_logout_is_post_only_and_ends_the_session(client, db_session):
    login_as(client, make_user(db_session))
    assert client.get("/logout").status_code == 405
    assert client.get("/settings").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert client.get("/settings").status_code == 302
    assert "Du är utloggad." in text(client.get("/"))


def test_logout_for_htmx_redirects(client, db_session):
    login_as(client, make_user(db_session))
    response = client.post("/logout", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"


def test_deleted_and_placeholder_accounts_cannot_log_in(client, db_session):
    from forum.clock import utcnow

    make_user(db_session, email="gone@example.org", deleted_at=utcnow())
    make_user(db_session, email="imported@example.org", is_placeholder=True)
    for email in ("gone@example.org", "imported@example.org"):
        assert login(client, email=email, password=DEFAULT_PASSWORD).status_code == 422


def test_old_argon2_costs_are_upgraded_at_login(client, app, db_session):
    user = make_user(db_session, email="anna@example.org")
    with app.app_context():
        app.config["ARGON2_TIME_COST"] = 2
        assert login(client, email="anna@example.org", password=DEFAULT_PASSWORD).status_code == 303
    db_session.refresh(user)
    assert ",t=2," in user.password_hash


def test_rotated_session_token_logs_the_user_out(client, db_session):
    user = make_user(db_session)
    login_as(client, user)
    user.session_token = "rotated-elsewhere"
    db_session.commit()
    assert client.get("/settings").status_code == 302


# --- CSRF ----------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(app_settings):
    application = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    yield application.test_client()
    application.extensions["forum_engine"].dispose()


def test_login_without_csrf_token_is_refused(csrf_client, db_session):
    make_user(db_session, email="anna@example.org")
    response = csrf_client.post(
        "/login",
        data={"email": "anna@example.org", "password": DEFAULT_PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400 and "Bad request" in text(response)
    assert csrf_client.get("/settings").status_code == 302  # not logged in


@pytest.mark.parametrize(
    "path",
    [
        "/register",
        "/logout",
        "/reset",
        "/confirm/resend",
        "/settings/profile",
        "/settings/password",
        "/settings/delete",
    ],
)
def test_every_account_post_needs_a_csrf_token(csrf_client, db_session, path):
    login_as(csrf_client, make_user(db_session, confirmed=False))
    assert csrf_client.post(path, data={"password": DEFAULT_PASSWORD}).status_code == 400


def test_login_with_csrf_token_works(csrf_client, db_session):
    import re

    make_user(db_session, email="anna@example.org")
    page = text(csrf_client.get("/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post(
        "/login",
        data={"email": "anna@example.org", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
    # a new session: the pre-login CSRF token no longer works
    assert csrf_client.post("/logout", data={"csrf_token": token}).status_code == 400
    html = text(csrf_client.get("/"))
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert csrf_client.post("/logout", data={"csrf_token": fresh}).status_code == 303


def test_valid_password_constant_is_not_common():
    assert passwords.password_problems(VALID_PASSWORD) == []


def test_logout_also_forgets_the_remember_me_cookie(client, db_session):
    make_user(db_session, email="anna@example.org")
    login(client, email="anna@example.org", password=DEFAULT_PASSWORD, remember="y")
    assert client.get_cookie("remember_token") is not None
    client.post("/logout")
    assert client.get_cookie("remember_token") is None
    assert client.get("/settings").status_code == 302


def test_remember_me_cookie_logs_in_a_new_browser_session(client, db_session):
    make_user(db_session, email="anna@example.org")
    login(client, email="anna@example.org", password=DEFAULT_PASSWORD, remember="y")
    client.delete_cookie("session")  # the browser was closed
    assert client.get("/settings").status_code == 200
