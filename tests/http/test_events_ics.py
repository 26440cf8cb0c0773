"""The iCalendar files: one event and the feed, parsed back with icalendar."""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
import pytest

from forum.agenda.service import cancel_event, update_event
from tests.events_helpers import event_input, make_event
from tests.factories import make_user


@pytest.fixture
def mod(db_session):
    return make_user(db_session, role="moderator")


def parsed(client, path: str) -> icalendar.Calendar:
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(answer.data)


def vevents(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(entry["UID"]): entry for entry in calendar.walk("VEVENT")}


def assert_complete(calendar: icalendar.Calendar) -> None:
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Stockholm"
    for entry in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "URL", "STATUS"):
            assert name in entry, name
        assert entry["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert entry["DTEND"].params["TZID"] == "Europe/Stockholm"


def test_one_event_as_ics_keeps_local_noon_and_links_back(app, client, db_session, mod):
    with app.test_request_context("/"):
        summer = make_event(
            db_session,
            mod,
            starts_local=datetime(2027, 6, 11, 12),
            ends_local=datetime(2027, 6, 11, 13),
        )
    calendar = parsed(client, f"/events/{summer.id}.ics")
    assert_complete(calendar)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["UID"]) == f"event-{summer.id}@127.0.0.1"
    start = entry.decoded("DTSTART")
    assert (start.hour, start.minute, start.utcoffset()) == (12, 0, timedelta(hours=2))
    assert entry.decoded("DTEND").hour == 13
    assert str(entry["URL"]) == f"http://127.0.0.1:5000/events/{summer.id}"
    assert str(entry["SUMMARY"]) == "Tillsammans 2030 webinar"
    assert entry["STATUS"] == "CONFIRMED" and entry["SEQUENCE"] == 0


def test_the_feed_lists_published_and_recently_cancelled_events_only(app, client, db_session, mod):
    with app.test_request_context("/"):
        winter = make_event(db_session, mod)
        draft = make_event(db_session, mod, publish=False)
        cancelled = make_event(db_session, mod, title="Inställt")
        cancel_event(session=db_session, actor=mod, event=cancelled)
        old = make_event(db_session, mod, title="Inställt för länge sedan")
        cancel_event(session=db_session, actor=mod, event=old)
        old.cancelled_at = datetime(2020, 1, 1)
        db_session.commit()
    calendar = parsed(client, "/events.ics")
    assert_complete(calendar)
    entries = vevents(calendar)
    assert set(entries) == {f"event-{e.id}@127.0.0.1" for e in (winter, cancelled)}
    assert f"event-{draft.id}@127.0.0.1" not in entries
    gone = entries[f"event-{cancelled.id}@127.0.0.1"]
    assert gone["STATUS"] == "CANCELLED" and gone["SEQUENCE"] == 1
    start = entries[f"event-{winter.id}@127.0.0.1"].decoded("DTSTART")
    assert (start.hour, start.utcoffset()) == (12, timedelta(hours=1))


def test_a_move_raises_the_sequence_and_keeps_the_uid(app, client, db_session, mod):
    with app.test_request_context("/"):
        event = make_event(db_session, mod)
        before = vevents(parsed(client, f"/events/{event.id}.ics"))
        moved = event_input(
            starts_local=datetime(2027, 1, 22, 12), ends_local=datetime(2027, 1, 22, 13)
        )
        update_event(session=db_session, actor=mod, event=event, data=moved)
        db_session.commit()
    after = vevents(parsed(client, f"/events/{event.id}.ics"))
    assert before.keys() == after.keys()
    [entry] = after.values()
    assert entry["SEQUENCE"] == 1 and entry.decoded("DTSTART").day == 22


def test_the_feed_with_the_demo_content_parses(app, client, db_session):
    from forum.demo import seed_demo

    with app.test_request_context("/"):
        seed_demo(db_session)
        db_session.commit()
    calendar = parsed(client, "/events.ics")
    assert_complete(calendar)
    titles = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert titles.count("Tillsammans 2030 webinar") >= 17  # the series: six months back, a year on
    assert "Studiebesök på Botildenborg" in titles
    for entry in calendar.walk("VEVENT"):
        if str(entry["SUMMARY"]) == "Tillsammans 2030 webinar":
            start = entry.decoded("DTSTART")
            assert (start.weekday(), start.hour) == (4, 12)
