"""What members change about their own account: profile, language, e-mail address, password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..markup import render_markdown
from . import passwords
from .errors import AccountError, WrongPassword
from .handles import mention_links
from .logins import end_all_logins
from .models import ActorType, User
from .service import (
    check_password,
    find_by_email,
    mail_user,
    normalize_email,
    queue_confirmation,
)
from .urls import absolute_url


def update_profile(
    *,
    session: Session,
    actor: User,
    display_name: str,
    organisation: str | None,
    actor_type: ActorType | str,
    bio: str,
) -> User:
    actor.display_name = display_name.strip()
    actor.organisation = (organisation or "").strip() or None
    actor.actor_type = ActorType(actor_type)
    actor.bio = (bio or "").strip()
    actor.bio_html = (
        render_markdown(actor.bio, mentions=mention_links(session), field="bio")
        if actor.bio
        else ""
    )
    session.flush()
    return actor


def set_language(*, session: Session, actor: User, locale: str, languages=("sv", "en")) -> User:
    if locale not in languages:
        raise AccountError(_l("Choose one of the offered languages."), field="locale")
    actor.locale = locale
    session.flush()
    return actor


def change_email(*, session: Session, actor: User, new_email: str, password: str) -> None:
    """Mail a confirmation link to the new address (the account keeps the old one until it is
    opened) and a notice to the old address.

    An address that already has an account is answered alike (two mails queued, the same
    message), so that the form does not tell who has an account: its owner is told instead."""
    if not passwords.verify_password(actor.password_hash, password):
        raise WrongPassword()
    new_email = normalize_email(new_email)
    if new_email == actor.email:
        raise AccountError(_l("This is already your e-mail address."), field="email")
    owner = find_by_email(session, new_email)
    if owner is None:
        queue_confirmation(session, actor, new_email, template="email_change")
    else:
        mail_user(
            session,
            owner,
            subject=_l("Someone tried to use your e-mail address"),
            template="email_change_taken",
            login_link=absolute_url("accounts.login"),
            reset_link=absolute_url("accounts.reset_request"),
        )
    mail_user(
        session,
        actor,
        subject=_l("Your e-mail address is being changed"),
        template="email_change_notice",
        new_email=new_email,
    )


def change_password(
    *, session: Session, actor: User, current_password: str, new_password: str
) -> User:
    """Set a new password; other sessions end (the caller logs the current one in again)."""
    if not passwords.verify_password(actor.password_hash, current_password):
        raise WrongPassword(field="current_password")
    check_password(new_password, email=actor.email, field="new_password")
    actor.password_hash = passwords.hash_password(new_password)
    end_all_logins(session=session, user=actor)
    session.flush()
    return actor
