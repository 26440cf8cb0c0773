"""GDPR: "Download my data" and "Delete my account".

``export_data`` collects the profile and everything the person wrote: accounts knows only the
profile, the areas above it answer ``contributions.data_export`` with their sections.

``delete_account`` anonymises the account in place: the e-mail address, password hash,
organisation, handle and biography are removed, the name is replaced and every session ends. The
row stays, so posts keep their author id and show "deleted user". Stored mentions of the account
become plain text: bios here, the other areas on ``events.account_deleted``.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from .. import events
from ..clock import utcnow
from . import passwords
from .contributions import data_export
from .errors import WrongPassword
from .handles import unlink_mentions
from .logins import end_all_logins
from .models import Role, User
from .pictures import remove_picture
from .urls import absolute_url

DELETED_NAME = "deleted user"


def iso_moment(moment: datetime | None) -> str | None:
    """A moment as the export writes it: ISO 8601 in UTC, to the second."""
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def _profile(user: User) -> dict:
    return {
        "id": user.id,
        "display_name": user.display_name,
        "handle": user.handle,
        "email": user.email,
        "organisation": user.organisation,
        "actor_type": user.actor_type.value,
        "bio": user.bio,
        "locale": user.locale,
        "role": user.role.value,
        "created_at": iso_moment(user.created_at),
        "confirmed_at": iso_moment(user.confirmed_at),
        "last_login_at": iso_moment(user.last_login_at),
        # the picture itself, at its address (the file the forum made of the upload)
        "picture": absolute_url(
            "accounts.picture", user_id=user.id, key=user.picture_key, size="large"
        )
        if user.picture_key
        else None,
    }


def export_data(*, session: Session, actor: User) -> dict:
    """Everything about ``actor`` as JSON-ready data."""
    data: dict = {
        "format": "tillsammans-forum-export/1",
        "exported_at": iso_moment(utcnow()),
        "profile": _profile(actor),
    }
    data.update(data_export.collect(session=session, user=actor))
    return data


def delete_account(*, session: Session, actor: User, password: str) -> User:
    """Remove the person from the account after checking their password (GDPR erasure)."""
    if not passwords.verify_password(actor.password_hash, password):
        raise WrongPassword()
    actor.email = None
    actor.password_hash = None
    handle = actor.handle
    actor.display_name = DELETED_NAME
    actor.handle = None  # derived from the name; mentions of it become plain text
    actor.organisation = None
    actor.bio = ""
    actor.bio_html = ""
    actor.suspended_until = None
    actor.role = Role.member
    actor.deleted_at = utcnow()
    remove_picture(session=session, actor=actor)
    end_all_logins(session=session, user=actor)
    session.flush()
    if handle:
        unlink_mentions(session, User, {"bio": "bio_html"}, handle)
    events.account_deleted.send("accounts", session=session, user=actor, handle=handle)
    return actor
