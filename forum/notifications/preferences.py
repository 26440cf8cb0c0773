"""How members get their notifications by mail: the choices per group of kinds, the signed
unsubscribe links, and queuing the mail of an "at once" notification.

An "at once" notification is mailed a little later (``AT_ONCE_DELAY``): the outbox row is due
then, and its composer (``mailing.compose_at_once``) collects every unsent "at once" notification
of the member, so five replies within that minute make one mail. A member has at most one such
row waiting; one that a deliverer has already claimed does not count, so nothing created while
it is being sent is left without a mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete
from sqlmodel import Session, col, select

from .. import permissions
from ..accounts import tokens
from ..accounts.models import User
from ..clock import utcnow
from ..domain import InvalidInput, NotAllowed
from ..mail import MailOutbox, compose_after_commit
from .kinds import DEFAULTS, FREQUENCIES, GROUP_OF_KIND, GROUPS, IMMEDIATE, NEVER
from .models import DigestSent, MailPreference, Notification

AT_ONCE_COMPOSER = "notifications.at_once"
AT_ONCE_DELAY = timedelta(seconds=60)
UNSUBSCRIBE = "notifications.unsubscribe"  # the tokens' purpose (their salt)
UNSUBSCRIBE_MAX_AGE = 180 * 24 * 3600  # a link in a half-year-old mail still works


def frequencies(session: Session, user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Each member's frequency per group (their choice, else the default), one statement."""
    wanted = sorted(set(user_ids))
    result = {user_id: dict(DEFAULTS) for user_id in wanted}
    if wanted:
        rows = session.exec(select(MailPreference).where(col(MailPreference.user_id).in_(wanted)))
        for row in rows:
            if row.kind_group in GROUPS:
                result[row.user_id][row.kind_group] = row.frequency
    return result


def frequencies_of(session: Session, user_id: int) -> dict[str, str]:
    return frequencies(session, [user_id])[user_id]


def kinds_at(choices: dict[str, str], frequency: str) -> set[str]:
    """The notification kinds a member gets at ``frequency``."""
    return {kind for group, (kinds, _, _) in GROUPS.items() if choices[group] == frequency
            for kind in kinds}  # fmt: skip


def set_frequencies(*, session: Session, user_id: int, choices: dict[str, str]) -> None:
    """Save the member's choice for the groups named in ``choices`` (the others keep theirs)."""
    for group, frequency in choices.items():
        if group not in GROUPS or frequency not in FREQUENCIES:
            raise InvalidInput(_l("Choose how often to get these by mail."), field=group)
        row = session.get(MailPreference, (user_id, group))
        if row is None:
            row = MailPreference(user_id=user_id, kind_group=group, frequency=frequency)
        row.frequency, row.updated_at = frequency, utcnow()
        session.add(row)
    session.flush()


def save_choices(*, session: Session, actor, choices: dict[str, str]) -> None:
    if not permissions.is_member(actor):
        raise NotAllowed()
    set_frequencies(session=session, user_id=actor.id, choices=choices)


# --- unsubscribe links --------------------------------------------------------------------------
def unsubscribe_token(user_id: int, groups: Iterable[str]) -> str:
    """A signed link naming the member and the groups a mail was about."""
    return tokens.make_token(UNSUBSCRIBE, {"u": user_id, "g": sorted(set(groups))})


def read_unsubscribe_token(session: Session, token: str) -> tuple[User, list[str]]:
    """The member and groups of a valid link; ``tokens.TokenError`` otherwise (also when the
    account is gone)."""
    payload = tokens.read_token(UNSUBSCRIBE, token, max_age=UNSUBSCRIBE_MAX_AGE)
    groups = payload.get("g")
    if not isinstance(groups, list) or not groups or not set(groups) <= set(GROUPS):
        raise tokens.TokenError("malformed payload")
    user = session.get(User, payload["u"])
    if user is None or not user.is_active:
        raise tokens.TokenError("no such member")
    return user, groups


def unsubscribe(*, session: Session, token: str) -> tuple[User, list[str]]:
    """One click: the groups the link names are never mailed again (until chosen again)."""
    user, groups = read_unsubscribe_token(session, token)
    set_frequencies(session=session, user_id=user.id, choices=dict.fromkeys(groups, NEVER))
    return user, groups


# --- "at once" ----------------------------------------------------------------------------------
def queue_at_once(session: Session, notifications: list[Notification]) -> None:
    """Queue the mail of the notifications whose members get their kind at once."""
    user_ids = {n.user_id for n in notifications}
    if not user_ids:
        return
    choices = frequencies(session, user_ids)
    wanted = {
        n.user_id for n in notifications if choices[n.user_id][GROUP_OF_KIND[n.kind]] == IMMEDIATE
    }
    if not wanted:
        return
    addresses = dict(
        session.exec(
            select(User.id, User.email).where(
                col(User.id).in_(sorted(wanted)),
                col(User.email).is_not(None),
                col(User.confirmed_at).is_not(None),
            )
        ).all()
    )
    waiting = set(
        session.exec(
            select(MailOutbox.recipient).where(
                MailOutbox.composer == AT_ONCE_COMPOSER,
                col(MailOutbox.recipient).in_(sorted(addresses.values())),
                MailOutbox.attempts == 0,
                col(MailOutbox.parked_at).is_(None),
            )
        ).all()
    )
    for address in sorted(set(addresses.values()) - waiting):
        compose_after_commit(session, composer=AT_ONCE_COMPOSER, to=address, delay=AT_ONCE_DELAY)


def forget_member(*, session: Session, user_id: int) -> None:
    """A deleted account: its mail choices and digest records go."""
    for model in (MailPreference, DigestSent):
        session.execute(delete(model).where(col(model.user_id) == user_id))
