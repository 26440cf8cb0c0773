"""The mail outbox: messages waiting to be sent, in the database of the changes they follow."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ..clock import utcnow


class MailOutbox(SQLModel, table=True):
    """One message to send, written in the same transaction as the change it follows.

    Either ``message`` holds the composed message (its bytes), or ``composer`` names the function
    that composes it when it is sent (``forum.mail.outbox.composer``), which may decide to send
    nothing; ``composer_key`` tells that function what the message is about when the address
    alone does not (an event mail names the registration). A row is due from
    ``next_attempt_at``; a deliverer claims it by pushing that time ahead (a lease) and counting
    the attempt, then deletes it once the message is out, or records the error and the time of
    the next attempt. ``parked_at`` is set when the attempts ran out.
    """

    __tablename__ = "mail_outbox"

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=254)  # the address alone, without a display name
    subject: str = Field(default="", max_length=300)  # known once composed
    composer: str | None = Field(default=None, max_length=40)
    composer_key: str | None = Field(default=None, max_length=100)
    message: bytes | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    parked_at: datetime | None = Field(default=None)
