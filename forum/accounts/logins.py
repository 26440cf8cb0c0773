"""Logins that end on the server.

A login's key is ``<user id>:<session token>:<secret>``: flask-login keeps it in the session and
writes it into the remember-me cookie. The user's ``session_token`` ends every login at once when
it changes (a new password, a deleted account); the secret names one ``LoginSession`` row, whose
deletion ends that login alone (logging out). Both live in the database, so a logout holds on
every worker and machine, and a cookie copied before it opens nothing afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, func
from sqlmodel import Session, select

from ..clock import utcnow
from ..db import session_scope
from ..jobs import crontab, job
from ..web.inputs import whole_number
from .models import LoginSession, User
from .service import new_session_token


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _parts(key: str | None) -> tuple[int, str, str] | None:
    raw_id, token, secret = ((key or "").split(":") + ["", "", ""])[:3]
    user_id = whole_number(raw_id)
    if user_id is None or not token or not secret:
        return None
    return user_id, token, secret


def open_login(*, session: Session, user: User) -> str:
    """Record a new login of ``user``; its key, for the session and the remember-me cookie."""
    secret = secrets.token_urlsafe(32)
    session.add(LoginSession(user_id=user.id, key_hash=_digest(secret)))
    session.flush()
    return f"{user.get_id()}:{secret}"


# Built once: every request of a member runs it, and building a statement costs several times
# more than running this one.
_USER_OF_LOGIN = (
    select(User)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(User.id == bindparam("user_id"), LoginSession.key_hash == bindparam("key_hash"))
)


def user_of_login(*, session: Session, key: str | None) -> User | None:
    """The active user whose open login this key names (one statement), else None."""
    parts = _parts(key)
    if parts is None:
        return None
    user_id, token, secret = parts
    params = {"user_id": user_id, "key_hash": _digest(secret)}
    user = session.exec(_USER_OF_LOGIN, params=params).first()
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def close_login(*, session: Session, key: str | None) -> None:
    """End the login this key names (logging out); an unknown key ends nothing."""
    parts = _parts(key)
    if parts is not None:
        session.execute(
            delete(LoginSession).where(
                LoginSession.user_id == parts[0], LoginSession.key_hash == _digest(parts[2])
            )
        )
        session.flush()


def end_all_logins(*, session: Session, user: User) -> None:
    """End every login of ``user``, on every device (the caller may open a new one)."""
    user.session_token = new_session_token()
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    session.flush()


def count_logins(*, session: Session, user: User) -> int:
    return session.exec(
        select(func.count()).select_from(LoginSession).where(LoginSession.user_id == user.id)
    ).one()


def purge_logins(*, session: Session, older_than: timedelta) -> int:
    """Forget logins older than the longest a cookie can carry them (the remember-me cookie's
    lifetime): their cookies have expired in the browser, and a copy must not outlive them."""
    result = session.execute(
        delete(LoginSession).where(LoginSession.created_at < utcnow() - older_than)
    )
    session.flush()
    return result.rowcount


@job("accounts.purge_logins", retries=0, periodic=crontab(hour="3", minute="29"))
def purge_logins_job() -> None:
    with session_scope() as session:
        seconds = int(current_app.config["REMEMBER_COOKIE_DURATION"])
        purge_logins(session=session, older_than=timedelta(seconds=seconds))
