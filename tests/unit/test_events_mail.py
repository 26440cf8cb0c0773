"""Mail to an event's participants, delivered to a real SMTP server (aiosmtpd on 127.0.0.1) by the
mail job after each commit: confirmations with their calendar file, waiting-list mails, the
member's language at sending time, and who gets no mail."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from forum.agenda.models import REGISTERED, WAITLISTED, WITHDRAWN
from forum.clock import utcnow
from forum.jobs import AFTER_COMMIT
from forum.mail.outbox import deliver_due
from tests.events_helpers import change_registration, make_event
from tests.factories import make_user
from tests.mail_fixtures import body_html, body_text


@pytest.fixture
def world(mail_app, db_session):
    with mail_app.test_request_context():
        organiser = make_user(db_session, role="moderator")
        event = make_event(
            db_session,
            organiser,
            title="Gröna tak i praktiken",
            title_translation="Green roofs in practice",
            summary="Hur **gröna tak** fördröjer regnvatten.",
            summary_translation="How **green roofs** hold back rain.",
        )
        anna = make_user(db_session, display_name="Anna Andersson", locale="sv")
        ed = make_user(db_session, display_name="Ed English", locale="en")
    return {"event": event, "anna": anna, "ed": ed, "organiser": organiser}


def calendar_of(message) -> icalendar.Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def attachments(message) -> list:
    return list(message.iter_attachments())


def register(app, session, event, user, state=REGISTERED):
    with app.test_request_context():
        return change_registration(session, event, user, state)


def test_a_seat_is_confirmed_in_swedish_with_a_calendar_entry_holding_the_join_link(
    mail_app, db_session, smtp_server, world
):
    event, anna = world["event"], world["anna"]
    registration = register(mail_app, db_session, event, anna)
    [message] = smtp_server.to(anna.email)
    assert message["Subject"] == "Du är anmäld till ”Gröna tak i praktiken”"
    assert message["Content-Language"] == "sv"
    assert str(message["Message-ID"]).startswith(f"<event-{event.id}-seat-{registration.id}-")
    assert message["In-Reply-To"] == message["References"] == f"<event-{event.id}@localhost>"
    text = body_text(message)
    assert "Hej Anna Andersson," in text and "Du är anmäld till evenemanget nedan." in text
    assert "fredag 15 januari 2027 kl. 12:00–13:00 (centraleuropeisk normaltid)" in text
    assert f"Evenemangets sida: http://127.0.0.1:5000/events/{event.id}" in text
    assert "https://meet.example.org/t2030" in text and "https://meet.example.org/t2030" in (
        body_html(message)
    )
    [part] = attachments(message)
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH" and part.get_filename() == f"event-{event.id}.ics"
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "PUBLISH"
    [entry] = calendar.walk("VEVENT")
    assert str(entry["UID"]) == f"event-{event.id}@127.0.0.1"
    assert entry["DTSTAMP"].dt.tzinfo is not None
    assert entry["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert entry["DTSTART"].dt.hour == 12 and entry["DTEND"].dt.hour == 13
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert str(entry["URL"]) == f"http://127.0.0.1:5000/events/{event.id}"
    assert entry["SEQUENCE"] == event.sequence
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert str(entry["SUMMARY"]) == "Gröna tak i praktiken"
    assert str(entry["LOCATION"]) == "https://meet.example.org/t2030"
    assert "Länk för att delta: https://meet.example.org/t2030" in str(entry["DESCRIPTION"])
    assert str(entry["ORGANIZER"]) == "mailto:no-reply@localhost"


def test_an_english_member_reads_english_and_the_translated_title(
    mail_app, db_session, smtp_server, world
):
    register(mail_app, db_session, world["event"], world["ed"])
    [message] = smtp_server.to(world["ed"].email)
    assert message["Subject"] == "You are registered for “Green roofs in practice”"
    text = body_text(message)
    assert "Hello Ed English," in text and "Friday, 15 January 2027, 12:00–13:00" in text
    [entry] = calendar_of(message).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Green roofs in practice"
    assert "How green roofs hold back rain." in str(entry["DESCRIPTION"])
    assert "Link to join: https://meet.example.org/t2030" in str(entry["DESCRIPTION"])


def test_the_mail_is_written_in_the_language_the_member_has_when_it_is_sent(
    mail_app, db_session, smtp_server, world
):
    anna = world["anna"]
    with mail_app.test_request_context():
        change_registration_without_enqueue(db_session, world["event"], anna)
        anna.locale = "en"
        db_session.add(anna)
        db_session.commit()
        assert smtp_server.messages == [] and deliver_due() == 1
    [message] = smtp_server.to(anna.email)
    assert message["Subject"] == "You are registered for “Green roofs in practice”"


def change_registration_without_enqueue(session, event, user, state=REGISTERED):
    """As a process would that dies right after its commit, before the mail job is enqueued."""
    registration = change_registration(session, event, user, state, commit=False)
    session.info.pop(AFTER_COMMIT)
    session.commit()
    return registration


def test_the_waiting_list_gets_no_calendar_file_and_a_promotion_gives_the_seat(
    mail_app, db_session, smtp_server, world
):
    event, ed = world["event"], world["ed"]
    registration = register(mail_app, db_session, event, ed, WAITLISTED)
    [waiting] = smtp_server.to(ed.email)
    assert waiting["Subject"] == "You are on the waiting list for “Green roofs in practice”"
    assert attachments(waiting) == []
    text = body_text(waiting)
    assert "waiting list" in text and "meet.example.org" not in text
    assert "the link to join is sent to those with a seat" in text

    register(mail_app, db_session, event, ed, REGISTERED)
    [_, promoted] = smtp_server.to(ed.email)
    assert promoted["Subject"] == "You have a seat now at “Green roofs in practice”"
    assert str(promoted["Message-ID"]).startswith(f"<event-{event.id}-promoted-{registration.id}-")
    assert promoted["Message-ID"] != waiting["Message-ID"]
    [entry] = calendar_of(promoted).walk("VEVENT")
    assert str(entry["LOCATION"]) == "https://meet.example.org/t2030"


def test_giving_up_a_seat_sends_a_calendar_cancel_for_the_same_entry(
    mail_app, db_session, smtp_server, world
):
    event, anna = world["event"], world["anna"]
    register(mail_app, db_session, event, anna)
    register(mail_app, db_session, event, anna, WITHDRAWN)
    confirmation, cancelled = smtp_server.to(anna.email)
    assert cancelled["Subject"] == "Din anmälan till ”Gröna tak i praktiken” är avbokad"
    [part] = attachments(cancelled)
    assert part.get_param("method") == "CANCEL"
    calendar = calendar_of(cancelled)
    assert str(calendar["METHOD"]) == "CANCEL"
    [entry] = calendar.walk("VEVENT")
    [kept] = calendar_of(confirmation).walk("VEVENT")
    assert str(entry["UID"]) == str(kept["UID"])
    assert entry["SEQUENCE"] == kept["SEQUENCE"] == event.sequence
    assert str(entry["STATUS"]) == "CANCELLED"
    assert str(entry["ATTENDEE"]) == f"mailto:{anna.email}"
    assert cancelled["References"] == confirmation["References"]
    assert "meet.example.org" not in body_text(cancelled) + entry.to_ical().decode()


def test_leaving_the_waiting_list_is_confirmed_without_a_calendar_file(
    mail_app, db_session, smtp_server, world
):
    register(mail_app, db_session, world["event"], world["ed"], WAITLISTED)
    register(mail_app, db_session, world["event"], world["ed"], WITHDRAWN)
    [_, left] = smtp_server.to(world["ed"].email)
    assert left["Subject"] == "You have left the waiting list for “Green roofs in practice”"
    assert attachments(left) == []


@pytest.mark.parametrize(
    "account",
    [
        {"confirmed": False},
        {"suspended_until": utcnow() + timedelta(days=3)},
        {"deleted_at": utcnow()},
    ],
)
def test_unconfirmed_suspended_and_deleted_accounts_get_no_event_mail(
    mail_app, db_session, smtp_server, world, account
):
    user = make_user(db_session, **account)
    register(mail_app, db_session, world["event"], user)
    assert smtp_server.messages == []


def test_a_confirmation_no_longer_true_when_it_is_sent_is_dropped(
    mail_app, db_session, smtp_server, world
):
    anna = world["anna"]
    with mail_app.test_request_context():
        change_registration_without_enqueue(db_session, world["event"], anna)
        change_registration_without_enqueue(db_session, world["event"], anna, WITHDRAWN)
        assert deliver_due() == 1  # the confirmation composes to nothing
    [message] = smtp_server.to(anna.email)
    assert message["Subject"] == "Din anmälan till ”Gröna tak i praktiken” är avbokad"
