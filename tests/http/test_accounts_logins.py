"""Logins end on the server: a session or remember-me cookie copied before a logout opens nothing
after it; "Log out everywhere" and a new password end the other devices' logins."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from forum.accounts import logins
from forum.accounts.models import LoginSession
from forum.clock import utcnow
from tests.accounts_fixtures import text
from tests.factories import DEFAULT_PASSWORD, login_as, make_user

COOKIE_NAMES = ("session", "remember_token")


def _log_in(client, user, *, remember: bool = True):
    data = {"email": user.email, "password": DEFAULT_PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 303
    return {name: client.get_cookie(name).value for name in COOKIE_NAMES if client.get_cookie(name)}


def _with_cookies(app, **cookies):
    """A browser of its own (an attacker's) holding only these copied cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _opens_settings(client) -> bool:
    response = client.get("/settings")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_copied_session_cookie_opens_nothing_after_logout(app, client, db_session):
    user = make_user(db_session)
    copied = _log_in(client, user, remember=False)
    assert _opens_settings(_with_cookies(app, session=copied["session"]))
    assert client.post("/logout").status_code == 303
    assert not _opens_settings(client)
    assert not _opens_settings(_with_cookies(app, session=copied["session"]))


def test_a_copied_remember_me_cookie_alone_opens_nothing_after_logout(app, client, db_session):
    user = make_user(db_session)
    copied = _log_in(client, user)
    thief = _with_cookies(app, remember_token=copied["remember_token"])
    assert _opens_settings(thief)  # the cookie works alone, as it should before the logout
    client.post("/logout")
    assert client.get_cookie("remember_token") is None
    assert not _opens_settings(_with_cookies(app, remember_token=copied["remember_token"]))
    both = _with_cookies(app, **copied)
    assert not _opens_settings(both)


def test_logging_out_ends_only_this_login(app, client, db_session):
    user = make_user(db_session)
    _log_in(client, user)
    phone = app.test_client()
    _log_in(phone, user)
    client.post("/logout")
    assert _opens_settings(phone) and not _opens_settings(client)


def test_log_out_everywhere_from_a_second_device(app, client, db_session):
    user = make_user(db_session, locale="en")
    laptop = _log_in(client, user)
    phone = app.test_client()
    _log_in(phone, user)
    page = phone.get("/settings?lang=en")
    assert "You are logged in on 2 devices or browsers." in text(page)
    assert 'action="/settings/logout-everywhere"' in text(page)
    answer = phone.post("/settings/logout-everywhere")
    assert answer.status_code == 303 and answer.headers["Location"] == "/login"
    followed = phone.get("/login?lang=en")
    assert "Du är utloggad på alla enheter." in text(followed)  # a new session: Swedish
    assert not _opens_settings(phone) and not _opens_settings(client)
    assert not _opens_settings(_with_cookies(app, remember_token=laptop["remember_token"]))
    assert db_session.exec(select(LoginSession).where(LoginSession.user_id == user.id)).all() == []


def test_log_out_everywhere_by_htmx_and_only_by_post(app, client, db_session):
    user = make_user(db_session)
    login_as(client, user)
    assert client.get("/settings/logout-everywhere").status_code == 405
    answer = client.post("/settings/logout-everywhere", headers={"HX-Request": "true"})
    assert answer.status_code == 204 and answer.headers["HX-Redirect"] == "/login"
    assert not _opens_settings(client)


def test_log_out_everywhere_needs_the_csrf_token(app_settings, db_session):
    from forum import create_app

    strict = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    client = strict.test_client()
    login_as(client, make_user(db_session))
    refused = client.post("/settings/logout-everywhere", headers={"Accept-Language": "en"})
    assert refused.status_code == 400
    assert _opens_settings(client)
    strict.extensions["forum_engine"].dispose()


def test_a_new_password_ends_the_other_logins_and_keeps_this_one(app, client, db_session):
    user = make_user(db_session)
    other = _log_in(app.test_client(), user)
    _log_in(client, user)
    changed = client.post(
        "/settings/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "ett helt nytt lösenord",
            "new_password_confirm": "ett helt nytt lösenord",
        },
    )
    assert changed.status_code == 303
    assert _opens_settings(client)
    assert client.get_cookie("remember_token") is not None  # remembered still, with the new key
    assert not _opens_settings(_with_cookies(app, **other))
    assert not _opens_settings(_with_cookies(app, remember_token=other["remember_token"]))


def test_a_key_for_another_account_or_a_forged_one_opens_nothing(app, db_session):
    anna, bo = make_user(db_session), make_user(db_session)
    with app.app_context():
        key = logins.open_login(session=db_session, user=anna)
        db_session.commit()
        secret = key.rsplit(":", 1)[1]
        for forged in (
            f"{bo.id}:{bo.session_token}:{secret}",  # anna's login, bo's account
            f"{anna.id}:{anna.session_token}",  # the account without a login
            f"{anna.id}:{anna.session_token}:not-the-secret",
            f"²:{anna.session_token}:{secret}",
            "",
        ):
            assert logins.user_of_login(session=db_session, key=forged) is None, forged
        assert logins.user_of_login(session=db_session, key=key).id == anna.id


def test_old_logins_are_forgotten(app, db_session):
    user = make_user(db_session)
    with app.app_context():
        old = logins.open_login(session=db_session, user=user)
        new = logins.open_login(session=db_session, user=user)
        rows = db_session.exec(select(LoginSession).order_by(LoginSession.id)).all()
        rows[0].created_at = utcnow() - timedelta(days=400)
        db_session.commit()
        assert logins.purge_logins(session=db_session, older_than=timedelta(days=365)) == 1
        db_session.commit()
        assert logins.user_of_login(session=db_session, key=old) is None
        assert logins.user_of_login(session=db_session, key=new) is not None
