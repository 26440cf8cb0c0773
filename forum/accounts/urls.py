"""Names and addresses of users: profile slugs, absolute links for mail, the public name."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from slugify import slugify


def absolute_url(endpoint: str, **values) -> str:
    """``SERVER_URL`` + the route's path; works outside a request (CLI, mail after commit)."""
    adapter = current_app.url_map.bind("localhost", url_scheme="http")
    path = adapter.build(endpoint, values, force_external=False)
    return current_app.config["SERVER_URL"].rstrip("/") + path


def user_slug(user) -> str:
    return slugify(user.display_name or "", max_length=60, word_boundary=True) or "user"


def is_deleted(user) -> bool:
    return user is None or getattr(user, "deleted_at", None) is not None


def public_name(user) -> str:
    """The name shown next to someone's posts; "deleted user" once the account is gone."""
    if is_deleted(user):
        return _("deleted user")
    return user.display_name


def profile_path(user) -> str | None:
    """``/u/<id>-<slug>``, or None for a deleted account (it has no profile)."""
    if is_deleted(user):
        return None
    values = {"user_id": user.id, "slug": user_slug(user)}
    if has_request_context():
        return url_for("accounts.profile", **values)
    # outside a request (the demo seed, the CLI rendering a mention): the same path
    return current_app.url_map.bind("localhost").build("accounts.profile", values)
