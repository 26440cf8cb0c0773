"""flask-login glue: the session cookie carries ``<user id>:<session token>``.

Rotating ``User.session_token`` (password reset, "log out everywhere", account deletion)
invalidates every session and remember-me cookie of that user at once.
"""

from __future__ import annotations

from ..db import get_session
from ..web.inputs import whole_number
from .models import User


def load_user(user_key: str) -> User | None:
    user_id, _, token = (user_key or "").partition(":")
    user_id = whole_number(user_id)
    if user_id is None or not token:
        return None
    user = get_session().get(User, user_id)
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user
