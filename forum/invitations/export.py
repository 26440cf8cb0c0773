"""What "Download my data" holds of the invitation list."""

from __future__ import annotations

from sqlmodel import Session

from ..accounts.contributions import data_export
from ..accounts.privacy import iso_moment
from .service import subscription_of


@data_export.provide
def invitation_list_of(*, session: Session, user) -> dict:
    subscriber = subscription_of(session, user)
    entry = None
    if subscriber is not None:
        entry = {
            "email": subscriber.email,
            "language": subscriber.locale,
            "confirmed_at": iso_moment(subscriber.confirmed_at),
        }
    return {"invitation_list": entry}
