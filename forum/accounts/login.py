"""Logging in and getting back in: credentials, and the password reset link."""

from __future__ import annotations

from email.message import EmailMessage

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..clock import utcnow
from ..mail import compose_after_commit, composer
from . import passwords, tokens
from .errors import InvalidCredentials, InvalidToken
from .logins import end_all_logins
from .models import User
from .service import (
    check_password,
    find_by_email,
    link_payload,
    message_to,
    normalize_email,
)
from .urls import absolute_url

RESET_MAIL = "accounts.reset"


def authenticate(*, session: Session, email: str, password: str) -> User:
    """The active user with these credentials. Unknown addresses cost one dummy hash, so the
    answer takes the same time whether or not the account exists."""
    user = find_by_email(session, email)
    if user is None or not user.is_active or not user.password_hash:
        passwords.verify_dummy(password)
        raise InvalidCredentials()
    if not passwords.verify_password(user.password_hash, password):
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        session.flush()
    return user


def record_login(*, session: Session, user: User) -> bool:
    """Note the moment of a successful login; True when it is the account's first."""
    first = user.last_login_at is None
    user.last_login_at = utcnow()
    session.flush()
    return first


def request_reset(*, session: Session, email: str) -> None:
    """Mail a reset link if an active account has this address; say nothing either way. Whether
    it has one is looked up when the mail is composed in the worker (``compose_reset``), so the
    request does the same work, and takes the same time, for any address."""
    compose_after_commit(session, composer=RESET_MAIL, to=normalize_email(email))


@composer(RESET_MAIL)
def compose_reset(session: Session, address: str) -> EmailMessage | None:
    """The reset mail to the active account using ``address``; None when there is none. The link
    is made now, so it is valid for its full time from when it is sent."""
    user = find_by_email(session, address)
    if user is None or not user.is_active:
        return None
    link = absolute_url("accounts.reset_password", token=tokens.make_reset_token(user))
    minutes = int(current_app.config["RESET_TOKEN_MAX_AGE"]) // 60
    return message_to(
        user,
        subject=_l("Reset your password"),
        template="reset",
        link=link,
        max_age_minutes=minutes,
    )


def check_reset_token(*, session: Session, token: str) -> User:
    """The user a reset link belongs to, if it is still usable (read only)."""
    payload = link_payload(tokens.read_reset_token, token)
    user = session.get(User, payload["u"])
    if user is None or not user.is_active or not tokens.reset_token_matches(payload, user):
        raise InvalidToken()
    return user


def reset_password(*, session: Session, token: str, password: str) -> User:
    """Set a new password from a reset link. The link works once; every other session ends."""
    user = check_reset_token(session=session, token=token)
    check_password(password, email=user.email)
    user.password_hash = passwords.hash_password(password)
    end_all_logins(session=session, user=user)
    if user.confirmed_at is None:  # the link reached the mailbox: that confirms it
        user.confirmed_at = utcnow()
    session.flush()
    return user
