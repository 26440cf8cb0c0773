"""Permission rules: pure predicates on (user, object), shared by views, services and templates.

Every predicate accepts flask-login's anonymous user as well as a ``User``.
"""
from __future__ import annotations

from datetime import datetime

from .i18n import utcnow


def is_member(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_moderator(user) -> bool:
    return is_member(user) and bool(getattr(user, "is_moderator", False))


def is_admin(user) -> bool:
    return is_member(user) and bool(getattr(user, "is_admin", False))


def is_suspended(user, now: datetime | None = None) -> bool:
    until = getattr(user, "suspended_until", None)
    return is_member(user) and until is not None and until > (now or utcnow())


def can_participate(user) -> bool:
    """Post, mark useful, report: logged in, e-mail confirmed, not suspended."""
    return is_member(user) and bool(getattr(user, "is_confirmed", False)) and not is_suspended(user)


# Exposed to Jinja templates as globals by create_app.
TEMPLATE_PREDICATES = {
    "is_moderator": is_moderator,
    "is_admin": is_admin,
    "can_participate": can_participate,
}
