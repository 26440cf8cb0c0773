"""Mail that ran out of attempts, on /admin/jobs: admins send it again or dismiss it."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

from sqlmodel import select

from forum.accounts.models import Role
from forum.clock import utcnow
from forum.mail import MailOutbox
from forum.mail.outbox import MAX_ATTEMPTS
from tests.factories import login_as, make_user

EN = {"Accept-Language": "en"}


def park(session, address: str, subject: str = "Bekräfta din e-postadress") -> int:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "forum@example.org", address, subject
    message.set_content("Hej!")
    now = utcnow()
    row = MailOutbox(
        recipient=address,
        subject=subject,
        message=bytes(message),
        attempts=MAX_ATTEMPTS,
        last_error="could not send mail via 127.0.0.1:25: refused",
        next_attempt_at=now,
        parked_at=now - timedelta(minutes=3),
    )
    session.add(row)
    session.commit()
    return row.id


def test_admins_see_mail_that_was_not_sent_in_either_language(mail_app, db_session):
    park(db_session, "grace@example.org")
    client = mail_app.test_client()
    login_as(client, make_user(db_session, role=Role.moderator))
    assert client.get("/admin/jobs").status_code == 403
    assert client.post("/admin/mail/1/retry").status_code == 403
    admin = make_user(db_session, role=Role.admin, locale="en")
    login_as(client, admin)
    html = client.get("/admin/jobs", headers=EN).get_data(as_text=True)
    assert "Mail not sent" in html and "grace@example.org" in html and "refused" in html
    assert "Send again" in html and f"<td>{MAX_ATTEMPTS}</td>" in html
    admin.locale = "sv"
    db_session.commit()
    html = client.get("/admin/jobs").get_data(as_text=True)
    assert "E-post som inte skickades" in html and "Skicka igen" in html
    assert "Inga parkerade jobb." in html


def test_send_again_and_dismiss(mail_app, db_session, smtp_server):
    grace, erik = park(db_session, "grace@example.org"), park(db_session, "erik@example.org")
    client = mail_app.test_client()
    login_as(client, make_user(db_session, role=Role.admin, locale="en"))
    response = client.post(f"/admin/mail/{grace}/retry", headers=EN, follow_redirects=True)
    assert "The message will be sent again." in response.get_data(as_text=True)
    assert [str(m["To"]) for m in smtp_server.messages] == ["grace@example.org"]
    response = client.post(f"/admin/mail/{erik}/dismiss", headers=EN, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The message was dismissed." in html and "No unsent mail." in html
    assert db_session.exec(select(MailOutbox)).all() == [] and len(smtp_server.messages) == 1
    for action in ("retry", "dismiss"):
        response = client.post(f"/admin/mail/{erik}/{action}", headers=EN, follow_redirects=True)
        assert "That message is no longer parked." in response.get_data(as_text=True)
