"""The 24-hour reminder (its timing, and no duplicate when a run dies half-way or runs twice), and
the notices of a changed or cancelled event with the calendar file that updates or removes the
entry, delivered to a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
import pytest
from sqlmodel import select

from forum.agenda import mailing, reminders
from forum.agenda.models import REGISTERED, WAITLISTED, WITHDRAWN, Event, EventRegistration
from forum.agenda.reminders import send_reminders
from forum.agenda.service import cancel_event, to_local, update_event
from forum.clock import utcnow
from forum.jobs import AFTER_COMMIT, get_jobs
from forum.mail import MailOutbox
from forum.mail.outbox import deliver_due
from tests.events_helpers import change_registration, event_input, make_event
from tests.factories import make_user
from tests.statements import recording

START = datetime(2027, 1, 15, 11, 0)  # noon in Stockholm, as ``event_input`` has it


@pytest.fixture
def world(mail_app, db_session):
    with mail_app.test_request_context():
        organiser = make_user(db_session, role="moderator")
        event = make_event(db_session, organiser, title="Regnvatten i staden")
        people = {
            "anna": make_user(db_session, display_name="Anna", locale="sv"),
            "ed": make_user(db_session, display_name="Ed", locale="en"),
            "gone": make_user(db_session, display_name="Gunnar", locale="sv"),
        }
        for name, state in (("anna", REGISTERED), ("ed", WAITLISTED), ("gone", REGISTERED)):
            change_registration(db_session, event, people[name], state)
        change_registration(db_session, event, people["gone"], WITHDRAWN)
    return {"event": event, "organiser": organiser, **people}


def registration_of(session, event, user) -> EventRegistration:
    session.expire_all()
    return session.exec(
        select(EventRegistration).where(
            EventRegistration.event_id == event.id, EventRegistration.user_id == user.id
        )
    ).one()


def subjects(smtp_server, user) -> list[str]:
    return [str(m["Subject"]) for m in smtp_server.to(user.email)]


def entry_of(message) -> tuple[str, icalendar.Event]:
    [part] = list(message.iter_attachments())
    calendar = icalendar.Calendar.from_ical(part.get_content())
    [entry] = calendar.walk("VEVENT")
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    return str(calendar["METHOD"]), entry


def starting_in(session, event: Event, delay: timedelta) -> Event:
    """The event moved (directly, without notices) to start ``delay`` from now, for an hour."""
    event.starts_at = utcnow() + delay
    event.ends_at = event.starts_at + timedelta(hours=1)
    session.add(event)
    session.commit()
    return event


def remind(app, now: datetime) -> int:
    with app.app_context():
        return send_reminders(now=now)


# --- the reminder ---------------------------------------------------------------------------------
def test_the_reminder_goes_once_to_those_with_a_seat_from_24_hours_before_the_start(
    mail_app, db_session, smtp_server, world
):
    event, anna = world["event"], world["anna"]
    smtp_server.clear()
    assert remind(mail_app, START - timedelta(hours=24, minutes=5)) == 0
    moment = START - timedelta(hours=23, minutes=58)
    assert remind(mail_app, moment) == 1
    assert remind(mail_app, moment + timedelta(minutes=5)) == 0
    assert subjects(smtp_server, anna) == ["Påminnelse: ”Regnvatten i staden” på fredag kl. 12:00"]
    assert smtp_server.to(world["ed"].email) == smtp_server.to(world["gone"].email) == []
    [message] = smtp_server.to(anna.email)
    registration = registration_of(db_session, event, anna)
    assert registration.reminded_at == moment
    assert str(message["Message-ID"]).startswith(
        f"<event-{event.id}-reminder-{registration.id}-{event.sequence}@"
    )
    method, entry = entry_of(message)
    assert method == "PUBLISH" and str(entry["LOCATION"]) == "https://meet.example.org/t2030"


def test_no_reminder_once_the_event_has_started_or_when_it_was_cancelled(
    mail_app, db_session, smtp_server, world
):
    assert remind(mail_app, START + timedelta(minutes=1)) == 0
    with mail_app.test_request_context():
        cancel_event(session=db_session, actor=world["organiser"], event=world["event"])
        db_session.commit()
    assert remind(mail_app, START - timedelta(hours=20)) == 0


def test_a_reminder_run_killed_half_way_sends_no_duplicate_when_run_again(
    mail_app, db_session, smtp_server, world, monkeypatch
):
    event = world["event"]
    more = [make_user(db_session, locale="sv") for _ in range(3)]
    with mail_app.test_request_context():
        for user in more:
            change_registration(db_session, event, user, REGISTERED)
    smtp_server.clear()
    seated = [world["anna"], *more]
    queue, calls = mailing.queue, []

    def dies_at_the_third(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise SystemExit("killed")
        queue(*args, **kwargs)

    monkeypatch.setattr(mailing, "queue", dies_at_the_third)
    monkeypatch.setattr(reminders, "BATCH", 2)
    moment = START - timedelta(hours=23)
    with pytest.raises(SystemExit):
        remind(mail_app, moment)
    # the first batch of two committed with its mail, nothing of the second
    reminded = [registration_of(db_session, event, u).reminded_at is not None for u in seated]
    assert reminded == [True, True, False, False]
    assert sum(len(smtp_server.to(u.email)) for u in seated) == 2

    monkeypatch.setattr(mailing, "queue", queue)
    assert remind(mail_app, moment + timedelta(minutes=5)) == 2
    assert remind(mail_app, moment + timedelta(minutes=10)) == 0
    assert [len(smtp_server.to(u.email)) for u in seated] == [1, 1, 1, 1]
    assert db_session.exec(select(MailOutbox)).all() == []


def test_the_worker_runs_the_reminder_job_on_its_own_clock(
    mail_app, db_session, smtp_server, world
):
    event = starting_in(db_session, world["event"], timedelta(hours=20))
    smtp_server.clear()
    get_jobs(mail_app).enqueue("agenda.send_reminders")  # as the worker does every five minutes
    assert [len(smtp_server.to(world[name].email)) for name in ("anna", "ed", "gone")] == [1, 0, 0]
    assert registration_of(db_session, event, world["anna"]).reminded_at is not None


def test_a_reminder_still_waiting_for_the_mail_server_when_the_event_starts_is_dropped(
    mail_app, db_session, smtp_server, world
):
    event = starting_in(db_session, world["event"], timedelta(hours=20))
    smtp_server.clear()
    smtp_server.refuse(1)
    assert remind(mail_app, utcnow()) == 1
    [row] = db_session.exec(select(MailOutbox)).all()
    assert "451" in row.last_error
    starting_in(db_session, event, timedelta(minutes=-5))
    with mail_app.app_context():
        assert deliver_due(now=row.next_attempt_at) == 0
    assert smtp_server.messages == [] and db_session.exec(select(MailOutbox)).all() == []


def test_a_seat_taken_within_the_24_hours_gets_no_reminder_after_its_confirmation(
    mail_app, db_session, smtp_server, world
):
    soon = starting_in(db_session, world["event"], timedelta(hours=5))
    late = make_user(db_session, locale="sv")
    with mail_app.test_request_context():
        change_registration(db_session, soon, late, REGISTERED)
    assert registration_of(db_session, soon, late).reminded_at is not None
    assert subjects(smtp_server, late) == ["Du är anmäld till ”Regnvatten i staden”"]
    assert remind(mail_app, utcnow()) == 1  # Anna, who registered long before
    assert len(smtp_server.to(late.email)) == 1


# --- a changed event ------------------------------------------------------------------------------
def reschedule(app, session, world, starts_local: datetime, **overrides) -> Event:
    with app.test_request_context():
        event = update_event(
            session=session,
            actor=world["organiser"],
            event=world["event"],
            data=event_input(
                title="Regnvatten i staden",
                starts_local=starts_local,
                ends_local=starts_local + timedelta(hours=1),
                **overrides,
            ),
        )
        session.commit()
    return event


def test_a_new_time_is_announced_with_the_raised_sequence_to_seats_and_the_waiting_list(
    mail_app, db_session, smtp_server, world
):
    event = world["event"]
    [confirmation] = smtp_server.to(world["anna"].email)
    _, before = entry_of(confirmation)
    smtp_server.clear()
    reschedule(mail_app, db_session, world, datetime(2027, 1, 22, 14, 0))
    [changed] = smtp_server.to(world["anna"].email)
    assert changed["Subject"] == "Ändrat: ”Regnvatten i staden” har ny tid, plats eller länk"
    assert "fredag 22 januari 2027 kl. 14:00–15:00" in changed.get_body(("plain",)).get_content()
    method, entry = entry_of(changed)
    assert method == "PUBLISH" and str(entry["UID"]) == str(before["UID"])
    assert entry["SEQUENCE"] == before["SEQUENCE"] + 1 == event.sequence
    assert entry["DTSTART"].dt.replace(tzinfo=None) == datetime(2027, 1, 22, 14, 0)
    assert entry["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert changed["References"] == confirmation["References"]
    assert str(changed["Message-ID"]).endswith(f"-{event.sequence}@localhost>")

    [waiting] = smtp_server.to(world["ed"].email)
    assert waiting["Subject"] == "Changed: “Regnvatten i staden” has a new time, place or link"
    assert list(waiting.iter_attachments()) == []
    assert "still on the waiting list" in waiting.get_body(("plain",)).get_content()
    assert smtp_server.to(world["gone"].email) == []


def test_the_reminder_follows_the_new_time(mail_app, db_session, smtp_server, world):
    event, anna = world["event"], world["anna"]
    assert remind(mail_app, START - timedelta(hours=23)) == 1
    reschedule(mail_app, db_session, world, datetime(2027, 1, 29, 12, 0))
    assert registration_of(db_session, event, anna).reminded_at is None
    assert remind(mail_app, START - timedelta(hours=22)) == 0
    assert remind(mail_app, event.starts_at - timedelta(hours=23)) == 1
    assert subjects(smtp_server, anna)[-1].startswith("Påminnelse:")

    # moved to within the next 24 hours: the change notice is the reminder
    soon = to_local(utcnow() + timedelta(hours=6)).replace(second=0, microsecond=0)
    reschedule(mail_app, db_session, world, soon)
    assert registration_of(db_session, event, anna).reminded_at is not None
    assert remind(mail_app, utcnow()) == 0


def test_an_overtaken_change_notice_is_not_sent(mail_app, db_session, smtp_server, world):
    smtp_server.clear()
    with mail_app.test_request_context():
        for day in (20, 21):
            update_event(
                session=db_session,
                actor=world["organiser"],
                event=world["event"],
                data=event_input(
                    title="Regnvatten i staden",
                    starts_local=datetime(2027, 1, day, 9, 0),
                    ends_local=datetime(2027, 1, day, 10, 0),
                ),
            )
            db_session.info.pop(AFTER_COMMIT)  # the process died before the enqueue
            db_session.commit()
        assert deliver_due() == 2  # one each to Anna and Ed, of the latest change
    [changed] = smtp_server.to(world["anna"].email)
    assert "torsdag 21 januari 2027 kl. 09:00–10:00" in changed.get_body(("plain",)).get_content()


# --- a cancelled event ----------------------------------------------------------------------------
def test_a_cancelled_event_is_removed_from_calendars_and_the_waiting_list_is_told(
    mail_app, db_session, smtp_server, world
):
    event = world["event"]
    smtp_server.clear()
    with mail_app.test_request_context():
        cancel_event(session=db_session, actor=world["organiser"], event=event)
        db_session.commit()
    [cancelled] = smtp_server.to(world["anna"].email)
    assert cancelled["Subject"] == "Inställt: ”Regnvatten i staden” blir inte av"
    method, entry = entry_of(cancelled)
    assert method == "CANCEL" and str(entry["STATUS"]) == "CANCELLED"
    assert entry["SEQUENCE"] == event.sequence == 1
    assert str(entry["UID"]) == f"event-{event.id}@127.0.0.1"
    assert str(entry["ATTENDEE"]) == f"mailto:{world['anna'].email}"
    [waiting] = smtp_server.to(world["ed"].email)
    assert waiting["Subject"] == "Cancelled: “Regnvatten i staden” will not take place"
    assert list(waiting.iter_attachments()) == []
    assert smtp_server.to(world["gone"].email) == []


def test_the_notices_read_as_much_for_two_participants_as_for_eight(mail_app, db_session, world):
    counts = []
    for extra in (0, 6):
        with mail_app.test_request_context():
            event = make_event(db_session, world["organiser"])
            for _ in range(2 + extra):
                change_registration(db_session, event, make_user(db_session), REGISTERED)
            with recording(db_session.get_bind()) as statements:
                cancel_event(session=db_session, actor=world["organiser"], event=event)
                db_session.flush()
            db_session.rollback()
        counts.append(sum(not s.startswith("INSERT") for s in statements))
        inserts = sum(s.startswith("INSERT INTO mail_outbox") for s in statements)
        assert 1 <= inserts <= 2 + extra  # one per row on SQLite, batched where RETURNING allows
    # The event's update, its discussion's lock, the participants' select, and the organisers' and
    # history's few reads: the same for two participants as for eight.
    assert counts[0] == counts[1] <= 10
