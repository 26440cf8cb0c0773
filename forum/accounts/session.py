"""flask-login glue: the session cookie and the remember-me cookie carry a login's key
(``logins.py``), checked against the database on every request.

Log in and out only through ``sign_in`` and ``sign_out``: flask-login's own ``login_user`` would
put the account's id without a login into the session, which ``load_user`` refuses.
"""

from __future__ import annotations

from flask import session
from flask_login import login_user, logout_user

from ..db import get_session
from . import logins
from .models import User

# flask-login keeps the logged-in id here and writes the remember-me cookie from it
USER_ID_KEY = "_user_id"


def load_user(user_key: str) -> User | None:
    return logins.user_of_login(session=get_session(), key=user_key)


def sign_in(user: User, *, remember: bool) -> None:
    """A new login of ``user`` in a fresh session (no session fixation: a new CSRF token too)."""
    key = logins.open_login(session=get_session(), user=user)
    session.clear()
    login_user(user, remember=remember)
    session[USER_ID_KEY] = key


def sign_out() -> None:
    """End this login on the server, then forget the session. flask-login's order matters: it
    marks the remember-me cookie for deletion in the (new) session."""
    logins.close_login(session=get_session(), key=session.get(USER_ID_KEY))
    session.clear()
    logout_user()
