"""Account rules: the lookups every account flow shares, registration and confirmation.

Every function of the area's services (this module, ``login``, ``settings``, ``roles`` and
``privacy``) takes keyword-only arguments (``*, session, actor, ...``), flushes but never commits,
and raises a domain error (an ``AccountError`` of ``errors.py``, or ``NotAllowed``) carrying a
translated message and the form field it belongs to, if any. Mails are added to the outbox
(``forum.mail``): they leave only if the caller's transaction commits.
"""

from __future__ import annotations

import secrets
from email.message import EmailMessage

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..clock import utcnow
from ..mail import compose, compose_after_commit, composer, send_after_commit
from . import handles, passwords, tokens
from .errors import AlreadyConfirmed, EmailTaken, ExpiredToken, InvalidToken, WeakPassword
from .models import ActorType, Role, User
from .urls import absolute_url

REGISTRATION_MAIL = "accounts.registration"


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def new_session_token() -> str:
    return secrets.token_hex(16)


def find_by_email(session: Session, email: str) -> User | None:
    email = normalize_email(email)
    if not email:
        return None
    return session.exec(select(User).where(func.lower(User.email) == email)).first()


def check_password(password: str, *, email: str | None, field: str = "password") -> None:
    problems = passwords.password_problems(password, email=email)
    if problems:
        raise WeakPassword(" ".join(problems), field=field)


def create_user(
    *,
    session: Session,
    display_name: str,
    email: str,
    password: str,
    organisation: str | None = None,
    actor_type: ActorType | str = ActorType.individual,
    locale: str = "sv",
    role: Role | str = Role.member,
    confirmed: bool = False,
) -> User:
    """Create an account (no mail). Used by the CLI and the demo seed."""
    email = normalize_email(email)
    if find_by_email(session, email) is not None:
        raise EmailTaken()
    check_password(password, email=email)
    return _add_user(
        session,
        display_name=display_name,
        email=email,
        password_hash=passwords.hash_password(password),
        organisation=organisation,
        actor_type=actor_type,
        locale=locale,
        role=role,
        confirmed=confirmed,
    )


def _add_user(
    session: Session,
    *,
    email: str,
    password_hash: str,
    display_name: str,
    organisation: str | None,
    actor_type: ActorType | str,
    locale: str,
    role: Role | str = Role.member,
    confirmed: bool = False,
    handle: str | None = None,
) -> User:
    display_name = display_name.strip()
    user = User(
        display_name=display_name,
        handle=handle or handles.available_handle(session, display_name),
        email=email,
        password_hash=password_hash,
        organisation=(organisation or "").strip() or None,
        actor_type=ActorType(actor_type),
        locale=locale,
        role=Role(role),
        confirmed_at=utcnow() if confirmed else None,
        session_token=new_session_token(),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        # A concurrent registration won the race for the address (or, rarely, for the handle:
        # the member tries again). The caller rolls its transaction back.
        raise EmailTaken() from exc
    return user


def register(
    *,
    session: Session,
    display_name: str,
    email: str,
    password: str,
    organisation: str | None = None,
    actor_type: ActorType | str = ActorType.individual,
    locale: str = "sv",
) -> User | None:
    """A new, unconfirmed member; None if the address already has an account. Both cost the same
    (the password is hashed, one mail is queued) and the caller answers both alike, so the form
    does not tell who has an account: the mail, composed in the worker, tells the address's owner
    (``compose_registration_mail``). Raises ``EmailTaken`` only when a concurrent registration
    won the race for the address (the caller rolls back and calls ``queue_registration_mail``)."""
    email = normalize_email(email)
    check_password(password, email=email)
    password_hash = passwords.hash_password(password)
    taken = find_by_email(session, email) is not None
    # the handle is looked up for a taken address too: the same statements either way
    handle = handles.available_handle(session, display_name)
    user = None
    if not taken:
        user = _add_user(
            session,
            display_name=display_name,
            handle=handle,
            email=email,
            password_hash=password_hash,
            organisation=organisation,
            actor_type=actor_type,
            locale=locale,
        )
    queue_registration_mail(session=session, email=email)
    return user


def queue_registration_mail(*, session: Session, email: str) -> None:
    compose_after_commit(session, composer=REGISTRATION_MAIL, to=normalize_email(email))


@composer(REGISTRATION_MAIL)
def compose_registration_mail(session: Session, address: str) -> EmailMessage | None:
    """After a registration with ``address``: the confirmation link if its account is not yet
    confirmed, the news that it already has an account if it is; nothing without an account."""
    user = find_by_email(session, address)
    if user is None or not user.is_active:
        return None
    if not user.is_confirmed:
        return confirmation_message(user, user.email, template="confirm")
    return message_to(
        user,
        subject=_l("You already have an account"),
        template="registered_again",
        login_link=absolute_url("accounts.login"),
        reset_link=absolute_url("accounts.reset_request"),
    )


def send_confirmation(*, session: Session, actor: User) -> None:
    """Send the confirmation link again."""
    if actor.is_confirmed:
        raise AlreadyConfirmed()
    queue_confirmation(session, actor, actor.email, template="confirm")


def queue_confirmation(session: Session, user: User, address: str, *, template: str) -> None:
    send_after_commit(session, confirmation_message(user, address, template=template))


def confirmation_message(user: User, address: str, *, template: str) -> EmailMessage:
    link = absolute_url("accounts.confirm", token=tokens.make_confirm_token(user, address))
    subject = (
        _l("Confirm your e-mail address")
        if template == "confirm"
        else _l("Confirm your new e-mail address")
    )
    return message_to(
        user,
        address=address,
        subject=subject,
        template=template,
        link=link,
        max_age_hours=_confirm_hours(),
    )


def mail_user(
    session: Session, user: User, *, subject, template: str, address: str | None = None, **context
) -> None:
    """Queue a mail to ``user`` in their language, to ``address`` instead of their own if given;
    it leaves when the caller commits."""
    send_after_commit(
        session, message_to(user, subject=subject, template=template, address=address, **context)
    )


def message_to(
    user: User, *, subject, template: str, address: str | None = None, **context
) -> EmailMessage:
    """A mail to ``user`` in their language (to ``address`` instead of their own if given)."""
    return compose(
        to=address or user.email,
        to_name=user.display_name,
        subject=subject,
        template=template,
        locale=user.locale,
        user=user,
        **context,
    )


def _confirm_hours() -> int:
    return int(current_app.config["CONFIRM_TOKEN_MAX_AGE"]) // 3600


def link_payload(read, token: str) -> dict:
    """What ``read`` (a reader of ``tokens``) finds in the token of a mailed link; the refusal the
    link's page shows when it has expired or is not valid."""
    try:
        return read(token)
    except tokens.TokenExpired as exc:
        raise ExpiredToken() from exc
    except tokens.TokenError as exc:
        raise InvalidToken() from exc


def check_confirm_token(*, session: Session, token: str) -> tuple[User, str]:
    """Read a confirmation link without using it: the user and the address it confirms."""
    payload = link_payload(tokens.read_confirm_token, token)
    user = session.get(User, payload["u"])
    if user is None or not user.is_active or user.email != payload["c"]:
        raise InvalidToken()
    return user, payload["e"]


def confirm(*, session: Session, token: str) -> tuple[User, str]:
    """Use a confirmation link. Returns the user and what happened:
    ``"confirmed"``, ``"already_confirmed"`` or ``"email_changed"``."""
    user, address = check_confirm_token(session=session, token=token)
    if address != user.email:
        if find_by_email(session, address) is not None:
            raise EmailTaken()
        user.email = address
        user.confirmed_at = utcnow()
        session.flush()
        return user, "email_changed"
    if user.is_confirmed:
        return user, "already_confirmed"
    user.confirmed_at = utcnow()
    session.flush()
    return user, "confirmed"
