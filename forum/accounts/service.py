"""Account rules: registration, confirmation, login, recovery, settings and roles.

Every function takes keyword-only arguments (``*, session, actor, ...``), flushes but never
commits, and raises an ``AccountError`` subclass carrying a translated message (and the form field
it belongs to, if any). Mails are queued with ``send_after_commit``: they leave only if the
caller's transaction commits. Privacy (export, deletion) lives in ``privacy.py`` and is
re-exported here.
"""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from .. import permissions
from ..i18n import utcnow
from ..mail import compose, send_after_commit
from ..markup import render_markdown
from . import passwords, tokens
from .models import ActorType, Role, User
from .urls import absolute_url


class AccountError(Exception):
    """A rule refused the action. ``message`` is user-facing; ``field`` names the form field."""

    message = _l("That did not work.")
    field: str | None = None
    status = 422

    def __init__(self, message=None, *, field: str | None = None):
        if message is not None:
            self.message = message
        if field is not None:
            self.field = field
        super().__init__(self.message)


class EmailTaken(AccountError):
    message = _l(
        "An account with this e-mail address already exists. Log in or reset your password."
    )
    field = "email"


class WeakPassword(AccountError):
    field = "password"


class InvalidCredentials(AccountError):
    message = _l("The e-mail address or the password is wrong.")


class WrongPassword(AccountError):
    message = _l("The password is wrong.")
    field = "password"


class InvalidToken(AccountError):
    message = _l(
        "This link is not valid. It may have been used already or replaced by a newer one."
    )
    status = 400


class ExpiredToken(InvalidToken):
    message = _l("This link has expired. Ask for a new one.")


class AlreadyConfirmed(AccountError):
    message = _l("Your e-mail address is already confirmed.")
    status = 409


class NotAllowed(AccountError):
    message = _l("You do not have permission to do that.")
    status = 403


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


# --- registration and confirmation -------------------------------------------------------------


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
    """Create an account (no mail). Used by ``register``, the CLI and the demo seed."""
    email = normalize_email(email)
    if find_by_email(session, email) is not None:
        raise EmailTaken()
    check_password(password, email=email)
    user = User(
        display_name=display_name.strip(),
        email=email,
        password_hash=passwords.hash_password(password),
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
    except IntegrityError as exc:  # a concurrent registration won the race for the address
        session.rollback()
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
) -> User:
    """A new, unconfirmed member; the confirmation mail leaves when the caller commits."""
    user = create_user(
        session=session,
        display_name=display_name,
        email=email,
        password=password,
        organisation=organisation,
        actor_type=actor_type,
        locale=locale,
    )
    _queue_confirmation(session, user, user.email, template="confirm")
    return user


def send_confirmation(*, session: Session, actor: User) -> None:
    """Send the confirmation link again."""
    if actor.is_confirmed:
        raise AlreadyConfirmed()
    _queue_confirmation(session, actor, actor.email, template="confirm")


def _queue_confirmation(session: Session, user: User, address: str, *, template: str) -> None:
    link = absolute_url("accounts.confirm", token=tokens.make_confirm_token(user, address))
    subject = (
        _l("Confirm your e-mail address")
        if template == "confirm"
        else _l("Confirm your new e-mail address")
    )
    send_after_commit(
        session,
        compose(
            to=address,
            to_name=user.display_name,
            subject=subject,
            template=template,
            locale=user.locale,
            user=user,
            link=link,
            max_age_hours=_confirm_hours(),
        ),
    )


def _confirm_hours() -> int:
    return int(current_app.config["CONFIRM_TOKEN_MAX_AGE"]) // 3600


def check_confirm_token(*, session: Session, token: str) -> tuple[User, str]:
    """Read a confirmation link without using it: the user and the address it confirms."""
    try:
        payload = tokens.read_confirm_token(token)
    except tokens.TokenExpired as exc:
        raise ExpiredToken() from exc
    except tokens.TokenError as exc:
        raise InvalidToken() from exc
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


# --- login and password recovery ---------------------------------------------------------------


def authenticate(*, session: Session, email: str, password: str) -> User:
    """The active user with these credentials. Unknown addresses cost one dummy hash, so the
    answer takes the same time whether or not the account exists."""
    user = find_by_email(session, email)
    if user is None or not user.is_active or not user.password_hash:
        passwords.verify_dummy(password)
        raise InvalidCredentials()
    if not passwords.verify_password(user.password_hash, password):
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        session.flush()
    return user


def request_reset(*, session: Session, email: str) -> None:
    """Mail a reset link if an active account has this address; say nothing either way."""
    user = find_by_email(session, email)
    if user is None or not user.is_active:
        return
    link = absolute_url("accounts.reset_password", token=tokens.make_reset_token(user))
    minutes = int(current_app.config["RESET_TOKEN_MAX_AGE"]) // 60
    send_after_commit(
        session,
        compose(
            to=user.email,
            to_name=user.display_name,
            subject=_l("Reset your password"),
            template="reset",
            locale=user.locale,
            user=user,
            link=link,
            max_age_minutes=minutes,
        ),
    )


def check_reset_token(*, session: Session, token: str) -> User:
    """The user a reset link belongs to, if it is still usable (read only)."""
    try:
        payload = tokens.read_reset_token(token)
    except tokens.TokenExpired as exc:
        raise ExpiredToken() from exc
    except tokens.TokenError as exc:
        raise InvalidToken() from exc
    user = session.get(User, payload["u"])
    if user is None or not user.is_active or not tokens.reset_token_matches(payload, user):
        raise InvalidToken()
    return user


def reset_password(*, session: Session, token: str, password: str) -> User:
    """Set a new password from a reset link. The link works once; every other session ends."""
    user = check_reset_token(session=session, token=token)
    check_password(password, email=user.email)
    user.password_hash = passwords.hash_password(password)
    user.session_token = new_session_token()
    if user.confirmed_at is None:  # the link reached the mailbox: that confirms it
        user.confirmed_at = utcnow()
    session.flush()
    return user


# --- settings ----------------------------------------------------------------------------------


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
    actor.bio_html = render_markdown(actor.bio) if actor.bio else ""
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
    opened) and a notice to the old address."""
    if not passwords.verify_password(actor.password_hash, password):
        raise WrongPassword()
    new_email = normalize_email(new_email)
    if new_email == actor.email:
        raise AccountError(_l("This is already your e-mail address."), field="email")
    if find_by_email(session, new_email) is not None:
        raise EmailTaken()
    _queue_confirmation(session, actor, new_email, template="email_change")
    send_after_commit(
        session,
        compose(
            to=actor.email,
            to_name=actor.display_name,
            subject=_l("Your e-mail address is being changed"),
            template="email_change_notice",
            locale=actor.locale,
            user=actor,
            new_email=new_email,
        ),
    )


def change_password(
    *, session: Session, actor: User, current_password: str, new_password: str
) -> User:
    """Set a new password; other sessions end (the caller logs the current one in again)."""
    if not passwords.verify_password(actor.password_hash, current_password):
        raise WrongPassword(field="current_password")
    check_password(new_password, email=actor.email, field="new_password")
    actor.password_hash = passwords.hash_password(new_password)
    actor.session_token = new_session_token()
    session.flush()
    return actor


# --- roles -------------------------------------------------------------------------------------


def set_role(*, session: Session, actor: User, user: User, role: Role | str) -> User:
    if not permissions.can_change_role(actor, user) or not user.is_active:
        raise NotAllowed()
    before = user.role
    user.role = Role(role)
    session.flush()
    if user.role != before:  # accountable like every moderation action
        from ..moderation.audit import record

        record(
            session=session,
            actor=actor,
            action="user.role",
            target_type="user",
            target_id=user.id,
            target_user_id=user.id,
            before={"role": Role(before).value},
            after={"role": user.role.value},
        )
    return user


def search_users(
    *, session: Session, actor: User, query: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[User], int]:
    """Admins only: accounts (not deleted) whose name, e-mail or organisation contains ``query``."""
    if not permissions.can_manage_users(actor):
        raise NotAllowed()
    statement = select(User).where(User.deleted_at.is_(None))
    query = (query or "").strip().lower()
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(
            func.lower(User.display_name).like(pattern, escape="\\")
            | func.lower(User.email).like(pattern, escape="\\")
            | func.lower(func.coalesce(User.organisation, "")).like(pattern, escape="\\")
        )
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    users = session.exec(
        statement.order_by(User.display_name, User.id).offset(offset).limit(limit)
    ).all()
    return list(users), total


from .privacy import delete_account, export_data  # noqa: E402  (re-exported: one service API)

__all__ = [
    "AccountError",
    "AlreadyConfirmed",
    "EmailTaken",
    "ExpiredToken",
    "InvalidCredentials",
    "InvalidToken",
    "NotAllowed",
    "WeakPassword",
    "WrongPassword",
    "authenticate",
    "change_email",
    "change_password",
    "check_confirm_token",
    "check_reset_token",
    "confirm",
    "create_user",
    "delete_account",
    "export_data",
    "find_by_email",
    "register",
    "request_reset",
    "reset_password",
    "search_users",
    "send_confirmation",
    "set_language",
    "set_role",
    "update_profile",
]
