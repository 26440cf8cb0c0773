"""The invitation list: signing up (double opt-in), leaving, and the admins' invitations.

Like every service here: keyword-only arguments, flush never commit, domain errors. Signing up
does the same work for any address: it only adds a mail to the outbox, and the composer decides
in the worker what the mail says (a confirmation link, or "you are already on the list"), so
neither the answer nor the time it takes tells whether an address is listed.
"""

from __future__ import annotations

import hmac
from email.message import EmailMessage

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from .. import events
from ..accounts.service import find_by_email, normalize_email
from ..accounts.urls import absolute_url
from ..clock import utcnow
from ..domain import Conflict, DomainError, InvalidInput
from ..mail import compose, compose_after_commit, composer
from ..markup import render_markdown
from . import tokens
from .models import DRAFT, Invitation, Subscriber

SIGNUP_MAIL = "invitations.signup.{locale}"  # one composer per language: the outbox keeps only
# the address, and the language chosen in the form must reach the mail


class LinkProblem(DomainError):
    status = 400
    default_message = _l(
        "This link is not valid. Copy the whole address from the mail, or sign up again."
    )


class LinkExpired(LinkProblem):
    default_message = _l("This link has expired. Sign up again to get a new one.")


class NotADraft(Conflict):
    default_message = _l("This invitation has been sent; it can no longer be changed.")


# --- the list ------------------------------------------------------------------------------------
def find_subscriber(session: Session, email: str) -> Subscriber | None:
    return session.exec(
        select(Subscriber).where(Subscriber.email == normalize_email(email))
    ).first()


def request_signup(*, session: Session, email: str, locale: str) -> None:
    """Mail the address a confirmation link, or tell its owner it is listed already."""
    if locale not in current_app.config["LANGUAGES"]:
        locale = "sv"
    compose_after_commit(
        session, composer=SIGNUP_MAIL.format(locale=locale), to=normalize_email(email)
    )


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url("invitations.unsubscribe", token=tokens.make_unsubscribe_token(subscriber))


def _signup_composer(locale: str):
    @composer(SIGNUP_MAIL.format(locale=locale))
    def compose_signup(session: Session, address: str) -> EmailMessage:
        listed = find_subscriber(session, address)
        context = {"to": address, "locale": locale, "archive": absolute_url("invitations.archive")}
        if listed is not None:
            return compose(
                subject=_l("You are already on the invitation list"),
                template="invitations_listed",
                unsubscribe=unsubscribe_url(listed),
                **context,
            )
        token = tokens.make_signup_token(address, locale)
        return compose(
            subject=_l("Confirm that you want invitations from Tillsammans 2030"),
            template="invitations_confirm",
            link=absolute_url("invitations.confirm", token=token),
            hours=int(current_app.config["INVITATIONS_CONFIRM_TOKEN_MAX_AGE"]) // 3600,
            **context,
        )

    return compose_signup


for _locale in ("sv", "en"):
    _signup_composer(_locale)


def read_signup(token: str) -> tuple[str, str]:
    """The address and language of a sign-up link, or ``LinkProblem``."""
    try:
        return tokens.read_signup_token(token)
    except tokens.TokenExpired as exc:
        raise LinkExpired() from exc
    except tokens.TokenError as exc:
        raise LinkProblem() from exc


def confirm_signup(*, session: Session, token: str) -> Subscriber:
    """Store the address of a sign-up link (its language wins over an earlier one)."""
    email, locale = read_signup(token)
    subscriber = find_subscriber(session, email)
    if subscriber is None:
        owner = find_by_email(session, email)
        subscriber = Subscriber(email=email, locale=locale, user_id=owner and owner.id)
        try:
            with session.begin_nested():
                session.add(subscriber)
        except IntegrityError:  # the same link confirmed twice at once: the other one stored it
            subscriber = find_subscriber(session, email)
    subscriber.locale = locale
    session.flush()
    return subscriber


def check_unsubscribe_link(token: str) -> tuple[int, str]:
    """The subscriber id and address digest an unsubscribe link names; LinkProblem if it was
    not made by this forum."""
    try:
        return tokens.read_unsubscribe_token(token)
    except tokens.TokenError as exc:
        raise LinkProblem() from exc


def unsubscribe(*, session: Session, token: str) -> bool:
    """Remove the subscriber a link names (the row: no address is kept); False if it is gone."""
    subscriber_id, digest = check_unsubscribe_link(token)
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None or not hmac.compare_digest(
        tokens.address_digest(subscriber.email), digest
    ):
        return False
    session.delete(subscriber)
    session.flush()
    return True


def subscription_of(session: Session, user) -> Subscriber | None:
    """The list entry of a member: confirmed as a member, or with their account's address."""
    return session.exec(_of_member(user).order_by(col(Subscriber.id))).first()


def _of_member(user):
    return select(Subscriber).where(
        or_(col(Subscriber.user_id) == user.id, col(Subscriber.email) == (user.email or ""))
    )


def leave(*, session: Session, user) -> bool:
    """A member leaves the list from their settings."""
    found = False
    for subscriber in session.exec(_of_member(user)).all():
        session.delete(subscriber)
        found = True
    session.flush()
    return found


@events.account_deleted.connect
def on_account_deleted(sender, *, session: Session, user, handle: str | None) -> None:
    session.execute(delete(Subscriber).where(col(Subscriber.user_id) == user.id))


# --- invitations ---------------------------------------------------------------------------------
def _texts(subject_sv: str, body_sv: str, subject_en: str | None, body_en: str | None) -> dict:
    subject_en, body_en = (subject_en or "").strip() or None, (body_en or "").strip() or None
    if bool(subject_en) != bool(body_en):
        field = "body_en" if subject_en else "subject_en"
        raise InvalidInput(_l("Write both the English subject and text, or neither."), field=field)
    return {
        "subject_sv": subject_sv.strip(),
        "body_sv": body_sv,
        "body_sv_html": render_markdown(body_sv, field="body_sv"),
        "subject_en": subject_en,
        "body_en": body_en,
        "body_en_html": render_markdown(body_en, field="body_en") if body_en else None,
    }


def create_invitation(
    *, session: Session, actor, subject_sv: str, body_sv: str, subject_en=None, body_en=None
) -> Invitation:
    invitation = Invitation(author_id=actor.id, **_texts(subject_sv, body_sv, subject_en, body_en))
    session.add(invitation)
    session.flush()
    return invitation


def update_invitation(
    *, session: Session, invitation: Invitation, subject_sv, body_sv, subject_en=None, body_en=None
) -> Invitation:
    if invitation.state != DRAFT:
        raise NotADraft()
    for name, value in _texts(subject_sv, body_sv, subject_en, body_en).items():
        setattr(invitation, name, value)
    invitation.updated_at = utcnow()
    session.flush()
    return invitation
