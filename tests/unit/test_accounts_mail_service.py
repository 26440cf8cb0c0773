"""Mail delivery (SMTP and .eml files, only after commit) and account service rules."""

from __future__ import annotations

import email
import email.policy
import logging

import pytest
from sqlmodel import select

from forum import events
from forum.accounts import errors, login, privacy, roles, service
from forum.accounts.models import Role, User
from forum.domain import NotAllowed
from forum.mail import (
    MailOutbox,
    MailSettings,
    compose,
    deliver,
    pending_mail,
    send_after_commit,
)
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.mail_fixtures import body_html, body_text, free_port


def _message(app, user, locale="sv"):
    return compose(
        to=user.email,
        to_name=user.display_name,
        subject="Test",
        template="reset",
        locale=locale,
        user=user,
        link="http://127.0.0.1:5000/reset/abc",
        max_age_minutes=60,
    )


def test_without_smtp_mail_is_written_to_an_eml_file_and_logged(app, db_session, caplog):
    user = make_user(db_session, locale="en")
    caplog.set_level(logging.INFO, logger="forum.mail")
    with app.app_context():
        where = deliver(_message(app, user, "en"))
    assert where.startswith(app.config["MAIL_DIR"]) and where.endswith(".eml")
    assert where in caplog.text and "FORUM_MAIL_SERVER" in caplog.text
    with open(where, "rb") as fh:
        parsed = email.message_from_bytes(fh.read(), policy=email.policy.default)
    assert (
        parsed["To"] == f"{user.display_name} <{user.email}>" and parsed["Content-Language"] == "en"
    )
    assert "http://127.0.0.1:5000/reset/abc" in body_text(
        parsed
    ) and 'href="http://127.0.0.1:5000/reset/abc"' in body_html(parsed)


def test_smtp_delivery(app, db_session, smtp_server):
    user = make_user(db_session)
    app.config.update(smtp_server.settings)
    with app.app_context():
        assert deliver(_message(app, user)) == f"smtp://127.0.0.1:{smtp_server.port}"
    [received] = smtp_server.to(user.email)
    assert "Hej" in body_text(received)


def test_smtp_failure_after_commit_is_logged_not_raised(app, db_session, caplog):
    user = make_user(db_session)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2.0)
    with app.app_context():
        send_after_commit(db_session, _message(app, user))
    db_session.commit()  # nothing listens on that port
    assert "could not send mail" in caplog.text


def test_mail_is_sent_only_when_the_transaction_commits(app, db_session, smtp_server):
    user = make_user(db_session)
    app.config.update(smtp_server.settings)
    with app.app_context():
        send_after_commit(db_session, _message(app, user))
    assert len(pending_mail(db_session)) == 1 and smtp_server.messages == []
    db_session.rollback()
    assert pending_mail(db_session) == [] and smtp_server.messages == []
    with app.app_context():
        send_after_commit(db_session, _message(app, user))
    db_session.commit()
    assert len(smtp_server.messages) == 1


def test_mail_settings_from_config():
    settings = MailSettings.from_config(
        {
            "MAIL_SERVER": "",
            "MAIL_PORT": "2525",
            "MAIL_SENDER": "x <a@b.org>",
            "MAIL_DIR": "/tmp/m",
            "MAIL_USE_TLS": True,
        }
    )
    assert (
        settings.server is None
        and settings.port == 2525
        and settings.use_tls
        and settings.timeout == 10.0
    )


# --- service rules -------------------------------------------------------------------------------


def test_authenticate_hashes_a_dummy_for_unknown_users(app, db_session, monkeypatch):
    from forum.accounts import passwords

    calls = []
    monkeypatch.setattr(passwords, "verify_dummy", lambda p: calls.append(p) or False)
    with app.app_context():
        with pytest.raises(errors.InvalidCredentials):
            login.authenticate(
                session=db_session, email="ghost@example.org", password="whatever password"
            )
    assert calls == ["whatever password"]


def test_register_queues_the_confirmation_mail_in_the_users_language(app, db_session):
    with app.test_request_context("/"):
        user = service.register(
            session=db_session,
            display_name="Grace Okafor",
            email="Grace@Example.org",
            password="community gardens grow",
            locale="en",
        )
        [row] = [row for row in db_session.new if isinstance(row, MailOutbox)]
        assert pending_mail(db_session) == []  # composed when it is sent, in the worker
        message = service.compose_registration_mail(db_session, row.recipient)
    assert user.email == "grace@example.org" and user.confirmed_at is None and user.id is not None
    assert (
        message["Subject"] == "Confirm your e-mail address"
        and message["To"].addresses[0].addr_spec == user.email
    )
    db_session.rollback()


def test_a_lost_race_for_the_address_leaves_the_rollback_to_the_caller(db_session, monkeypatch):
    make_user(db_session, email="anna@example.org")
    # the other registration committed after this one looked the address up
    monkeypatch.setattr(service, "find_by_email", lambda session, email: None)
    with pytest.raises(errors.EmailTaken):
        service.create_user(
            session=db_session,
            display_name="Anna",
            email="anna@example.org",
            password="community gardens grow",
        )
    assert not db_session.is_active  # the failed flush is the caller's to roll back
    db_session.rollback()


def test_set_role_rules(app, db_session):
    admin = make_user(db_session, role="admin")
    moderator = make_user(db_session, role="moderator")
    member = make_user(db_session)
    with pytest.raises(NotAllowed):
        roles.set_role(session=db_session, actor=moderator, user=member, role=Role.moderator)
    with pytest.raises(NotAllowed):
        roles.set_role(session=db_session, actor=admin, user=admin, role=Role.member)
    roles.set_role(session=db_session, actor=admin, user=member, role="admin")
    assert member.role == Role.admin


def test_a_role_change_is_announced_once(app, db_session):
    admin = make_user(db_session, role="admin")
    member = make_user(db_session)
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    with events.user_role_changed.connected_to(listen):
        roles.set_role(session=db_session, actor=admin, user=member, role="moderator")
        roles.set_role(session=db_session, actor=admin, user=member, role="moderator")
    assert heard == [
        {
            "session": db_session,
            "actor": admin,
            "user": member,
            "before": "member",
            "after": "moderator",
        }
    ]


def test_search_users_is_for_admins(app, db_session):
    with pytest.raises(NotAllowed):
        roles.search_users(session=db_session, actor=make_user(db_session, role="moderator"))


def test_delete_account_rotates_the_session_token_and_frees_the_address(app, db_session):
    user = make_user(db_session, email="anna@example.org", role="moderator")
    token = user.session_token
    with app.app_context():
        with pytest.raises(errors.WrongPassword):
            privacy.delete_account(session=db_session, actor=user, password="not the password")
        privacy.delete_account(session=db_session, actor=user, password=DEFAULT_PASSWORD)
    db_session.commit()
    assert user.session_token != token and user.role == Role.member and not user.is_active
    assert db_session.exec(select(User).where(User.email == "anna@example.org")).first() is None
    with app.app_context():
        export = privacy.export_data(session=db_session, actor=user)
    assert export["profile"]["email"] is None and export["posts"] == []


def test_recipient_name_never_breaks_the_header(app, db_session):
    user = make_user(db_session)
    user.display_name = "Anna\r\nBcc: victim@example.org"
    with app.app_context():
        message = _message(app, user)
    assert "\n" not in str(message["To"]).strip() and message["Bcc"] is None
