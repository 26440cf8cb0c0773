"""Helpers of the invitation list tests: sign up and confirm over HTTP, a sent invitation."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from forum.invitations import sending, service
from forum.invitations.models import Invitation, Subscriber
from tests.mail_fixtures import first_link


def link_path(message, part: str) -> str:
    return re.sub(r"^https?://[^/]+", "", first_link(message, part))


def sign_up_and_confirm(client, smtp_server, email: str, locale: str = "sv") -> None:
    """The whole double opt-in over HTTP, with the mail from the test's SMTP server."""
    assert (
        client.post("/invitations/signup", data={"email": email, "locale": locale}).status_code
        == 303
    )
    path = link_path(smtp_server.to(email)[-1], "/invitations/confirm/")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 303


def subscribers(session: Session) -> list[tuple[str, str]]:
    session.expire_all()
    rows = session.exec(select(Subscriber).order_by(Subscriber.email)).all()
    return [(s.email, s.locale) for s in rows]


def add_subscribers(session: Session, *emails: str, locale: str = "sv") -> None:
    for email in emails:
        session.add(Subscriber(email=email, locale=locale))
    session.commit()


def make_invitation(session: Session, author, *, english: bool = True, **texts) -> Invitation:
    values = {
        "subject_sv": "Webbinarium om skyfall",
        "body_sv": "Välkommen till **webbinariet** den 12 maj.",
        "subject_en": "Webinar on cloudbursts" if english else None,
        "body_en": "Welcome to the **webinar** on 12 May." if english else None,
        **texts,
    }
    invitation = service.create_invitation(session=session, actor=author, **values)
    session.commit()
    return invitation


def make_sent_invitation(app, session: Session, author, **texts) -> Invitation:
    invitation = make_invitation(session, author, **texts)
    with app.app_context():
        sending.start_sending(session=session, invitation=invitation)
        session.commit()
        sending.send_due()
    session.refresh(invitation)
    return invitation
