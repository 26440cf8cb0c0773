"""The feeds of a series and of a theme, parsed back with icalendar: every occurrence a VEVENT
of its own at 12:00 Swedish time in winter and summer, naming its series."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from forum.agenda.models import Event
from forum.agenda.service import cancel_event, to_local
from forum.clock import utcnow
from tests.events_helpers import make_event, make_series
from tests.factories import make_user, theme
from tests.http.test_events_ics import assert_complete, parsed

YEAR = to_local(utcnow()).year + 1
FIRST = date(YEAR, 1, 1)


@pytest.fixture
def mod(db_session):
    return make_user(db_session, role="moderator")


@pytest.fixture
def series(app, db_session, mod):
    with app.test_request_context("/"):
        made = make_series(
            db_session, mod, first=FIRST, today=FIRST, theme_ids=[theme(db_session, 1).id]
        )
        april = db_session.exec(
            select(Event).where(
                Event.series_id == made.id, Event.recurrence_date >= date(YEAR, 4, 1)
            )
        ).first()
        cancel_event(session=db_session, actor=mod, event=april)
        db_session.commit()
    return made


def test_the_series_feed_keeps_noon_in_march_and_november(client, db_session, series):
    calendar = parsed(client, f"/events/series/{series.id}.ics")
    assert_complete(calendar)
    assert str(calendar["X-WR-CALNAME"]) == "Tillsammans 2030 webinar"
    entries = calendar.walk("VEVENT")
    assert len(entries) == 12
    by_month = {entry.decoded("DTSTART").month: entry for entry in entries}
    for month, offset in ((3, 1), (6, 2), (11, 1)):
        start = by_month[month].decoded("DTSTART")
        assert (start.hour, start.minute, start.weekday()) == (12, 0, 4)
        assert start.utcoffset() == timedelta(hours=offset)
        assert by_month[month].decoded("DTEND").hour == 13
    ids = {
        e.recurrence_date.month: e.id
        for e in db_session.exec(select(Event).where(Event.series_id == series.id)).all()
    }
    march = by_month[3]
    assert str(march["UID"]) == f"event-{ids[3]}@127.0.0.1"
    assert str(march["URL"]) == f"http://127.0.0.1:5000/events/{ids[3]}"
    assert str(march["RELATED-TO"]) == f"series-{series.id}@127.0.0.1"
    assert march["RELATED-TO"].params["RELTYPE"] == "PARENT"
    assert march["CATEGORIES"].cats == ["Tillsammans 2030 webinar"]
    assert len({str(entry["UID"]) for entry in entries}) == 12
    assert by_month[4]["STATUS"] == "CANCELLED" and by_month[5]["STATUS"] == "CONFIRMED"


def test_the_feed_of_a_theme_holds_only_its_events(app, client, db_session, mod, series):
    with app.test_request_context("/"):
        other = make_event(db_session, mod, title="Utan tema")
    slug = theme(db_session, 1).slug
    calendar = parsed(client, f"/events.ics?theme={slug}")
    assert_complete(calendar)
    summaries = {str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT")}
    assert summaries == {"Tillsammans 2030 webinar"}
    everything = parsed(client, "/events.ics")
    assert f"event-{other.id}@127.0.0.1" in {str(e["UID"]) for e in everything.walk("VEVENT")}
    only_series = parsed(client, f"/events.ics?series={series.id}")
    assert len(only_series.walk("VEVENT")) == 12
    assert client.get("/events.ics?theme=no-such-theme").status_code == 400
    assert client.get("/events.ics?series=x").status_code == 400


def test_the_events_page_offers_the_filtered_feed(client, db_session, series):
    slug = theme(db_session, 1).slug
    page = client.get(f"/events?theme={slug}", headers={"Accept-Language": "en"}).get_data(True)
    assert f'href="/events.ics?theme={slug}"' in page
    assert "Subscribe to these events (iCalendar)" in page
