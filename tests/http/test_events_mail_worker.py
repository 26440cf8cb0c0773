"""Event mail for real: the Procfile's job worker in a subprocess sends the confirmation of a new
registration, composed when it is sent, to an SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import icalendar
from sqlmodel import select

from forum.agenda.models import REGISTERED
from forum.mail import MailOutbox
from tests.events_helpers import change_registration, make_event
from tests.factories import make_user
from tests.mail_fixtures import body_text
from tests.processes import running_worker, wait_for


def test_the_worker_delivers_a_confirmation_with_a_calendar_file(
    worker_app, worker_settings, smtp_server, db_session, tmp_path
):
    organiser = make_user(db_session, role="moderator")
    member = make_user(db_session, display_name="Maja Medlem", locale="en")
    log_path = tmp_path / "worker.log"
    with running_worker(worker_settings, log_path):
        with worker_app.test_request_context():
            event = make_event(db_session, organiser, title="Skyfall och gröna tak")
            registration = change_registration(db_session, event, member, REGISTERED)
        seconds = wait_for(lambda: bool(smtp_server.to(member.email)), log_path, "the mail")
    print(f"confirmation delivered {seconds:.2f} s after the commit")
    [message] = smtp_server.to(member.email)
    assert message["Subject"] == "You are registered for “Skyfall och gröna tak”"
    assert "https://meet.example.org/t2030" in body_text(message)
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "PUBLISH"
    calendar = icalendar.Calendar.from_ical(part.get_content())
    [entry] = calendar.walk("VEVENT")
    assert str(entry["UID"]) == f"event-{event.id}@127.0.0.1"
    assert entry["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert entry["SEQUENCE"] == event.sequence
    assert str(message["Message-ID"]).startswith(f"<event-{event.id}-seat-{registration.id}-")
    db_session.expire_all()
    assert db_session.exec(select(MailOutbox)).all() == []
