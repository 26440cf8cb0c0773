"""Users and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, LargeBinary, or_
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from ..clock import utcnow


class Role(str, enum.Enum):
    member = "member"
    organiser = "organiser"  # writes events and manages those they organise; not a moderator
    moderator = "moderator"
    admin = "admin"


class ActorType(str, enum.Enum):
    public = "public"
    private = "private"
    nonprofit = "nonprofit"
    academia = "academia"
    civil_society = "civil_society"
    individual = "individual"


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    # Handles are unique whatever their case: stored lower-cased (checked), then unique. (Alembic's
    # autogenerate cannot write an index on lower(handle) for SQLite, so the check does the work.)
    __table_args__ = (CheckConstraint("handle = lower(handle)", name="handle_lower_case"),)

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=80)
    # What members type to mention someone (``@handle``; rules in ``handles.py``). NULL once the
    # account is deleted: it is derived from the name, so it goes with it.
    handle: str | None = Field(default=None, max_length=30, unique=True)
    handle_changed_at: datetime | None = Field(default=None)  # the member's one change
    # Stored lower-cased, so uniqueness is case-insensitive. NULL once the account is deleted
    # (GDPR): posts stay, attributed to "deleted user".
    email: str | None = Field(default=None, max_length=254, unique=True)
    password_hash: str | None = Field(default=None, max_length=255)
    organisation: str | None = Field(default=None, max_length=120)
    actor_type: ActorType = Field(
        default=ActorType.individual,
        sa_column=Column(
            SAEnum(ActorType, name="actor_type", native_enum=False, length=20), nullable=False
        ),
    )
    bio: str = Field(default="", max_length=2000)
    bio_html: str = Field(default="")
    locale: str = Field(default="sv", max_length=5)
    role: Role = Field(
        default=Role.member,
        sa_column=Column(SAEnum(Role, name="role", native_enum=False, length=20), nullable=False),
    )
    created_at: datetime = Field(default_factory=utcnow)
    confirmed_at: datetime | None = Field(default=None)
    last_login_at: datetime | None = Field(default=None)  # None until the first login
    suspended_until: datetime | None = Field(default=None)
    deleted_at: datetime | None = Field(default=None)
    # Changing it invalidates every session and remember-me cookie of the user.
    session_token: str = Field(max_length=64)
    is_placeholder: bool = Field(default=False)  # imported authors: cannot log in
    # The uploaded picture's version (a digest of it, in its URL): NULL shows generated initials.
    picture_key: str | None = Field(default=None, max_length=16)

    # flask-login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None and not self.is_placeholder

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.moderator, Role.admin)

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.organiser

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin


def not_suspended():
    """The SQL condition of accounts that no suspension holds now (permissions.is_suspended, in
    a query)."""
    now = utcnow()
    return or_(User.suspended_until.is_(None), User.suspended_until <= now)


class LoginSession(SQLModel, table=True):
    """One login: a browser that logged in and has not logged out. Its key (``login_key``) is in
    the session cookie and the remember-me cookie; deleting the row ends that login on every
    worker and machine at once, so a cookie copied before a logout opens nothing after it."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    # sha256 of the secret in the cookie: a copy of the database logs nobody in
    key_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class MemberPicture(SQLModel, table=True):
    """A member's uploaded picture, re-encoded in two sizes. In the database, the one place every
    node of the forum shares; a few kilobytes each."""

    __tablename__ = "member_picture"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(max_length=16)  # the same as User.picture_key
    large: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    small: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
