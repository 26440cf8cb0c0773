"""The invitation list: who receives the partnership's invitations, what was written, who got it.

``Subscriber``
    one confirmed address (lower-case, unique) and the language its owner chose; ``user_id`` is
    the member whose account had that address when it was confirmed (their data export lists it,
    deleting the account removes it). Pending sign-ups are not stored: they live in the signed
    link of the confirmation mail. Unsubscribing deletes the row.
``Invitation``
    subject and Markdown body in Swedish, optionally in English too (``*_html``: sanitised, made
    when saved); ``state`` draft -> sending -> sent. Only sent invitations are public.
``InvitationDelivery``
    one row per invitation and subscriber, made when the sending starts (the recipients are the
    list at that moment); ``queued_at`` is set in the transaction that puts the mail into the
    mail outbox, so a sending that is interrupted resumes without sending anyone the same twice.
    A subscriber who leaves meanwhile leaves a row without ``subscriber_id``: no mail, no address.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..clock import utcnow

DRAFT, SENDING, SENT = "draft", "sending", "sent"


class Subscriber(SQLModel, table=True):
    __tablename__ = "invitation_subscriber"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    locale: str = Field(default="sv", max_length=5)
    user_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="CASCADE", index=True
    )
    confirmed_at: datetime = Field(default_factory=utcnow)


class Invitation(SQLModel, table=True):
    __tablename__ = "invitation"
    __table_args__ = (Index("ix_invitation_state_sent", "state", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    subject_sv: str = Field(max_length=200)
    body_sv: str = Field(sa_column=Column(Text, nullable=False))
    body_sv_html: str = Field(sa_column=Column(Text, nullable=False))
    subject_en: str | None = Field(default=None, max_length=200)
    body_en: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    body_en_html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    state: str = Field(default=DRAFT, max_length=10)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    sending_at: datetime | None = Field(default=None)
    sent_at: datetime | None = Field(default=None)

    @property
    def has_english(self) -> bool:
        return bool(self.subject_en and self.body_en)


class InvitationDelivery(SQLModel, table=True):
    __tablename__ = "invitation_delivery"
    __table_args__ = (
        UniqueConstraint("invitation_id", "subscriber_id", name="uq_invitation_delivery_once"),
        # the throttle: how many were queued in the last minute
        Index("ix_invitation_delivery_queued", "queued_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    invitation_id: int = Field(foreign_key="invitation.id", ondelete="CASCADE")
    subscriber_id: int | None = Field(
        default=None, foreign_key="invitation_subscriber.id", ondelete="SET NULL", index=True
    )
    queued_at: datetime | None = Field(default=None)
