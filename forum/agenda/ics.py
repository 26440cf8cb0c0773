"""iCalendar (RFC 5545) for one event and for the feed, written with the icalendar package.

Every VEVENT has a stable UID (``event-<id>@<host>``), DTSTAMP, DTSTART/DTEND in Europe/Stockholm
with its VTIMEZONE, the SEQUENCE the service raises on every change of time, place or state, and
the URL of the event page; a cancelled event says STATUS:CANCELLED so subscribed calendars
update their copy.

An occurrence of a series is a VEVENT of its own with its own UID, not an instance of a master
VEVENT with an RRULE and RECURRENCE-ID: a moved or cancelled occurrence, its SEQUENCE and its
registrations then need nothing special, and every program reads a list of single events the
same way. It names its series with ``RELATED-TO;RELTYPE=PARENT:series-<id>@<host>`` and the
series' title in CATEGORIES.
"""

from __future__ import annotations

from datetime import UTC

import icalendar

from ..clock import utcnow
from ..markup import plain_text
from .models import Event
from .service import LOCAL_ZONE


def _vevent(event: Event, *, host: str, url: str, series=None) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.id}@{host}")
    entry.add("dtstamp", utcnow().replace(tzinfo=UTC))
    entry.add("last-modified", event.updated_at.replace(tzinfo=UTC))
    entry.add("dtstart", event.starts_at.replace(tzinfo=UTC).astimezone(LOCAL_ZONE))
    entry.add("dtend", event.ends_at.replace(tzinfo=UTC).astimezone(LOCAL_ZONE))
    entry.add("sequence", event.sequence)
    entry.add("summary", event.title)
    entry.add("description", plain_text(event.summary, 2000))
    entry.add("url", url)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    if series is not None:
        entry.add("related-to", f"series-{series.id}@{host}", parameters={"RELTYPE": "PARENT"})
        entry.add("categories", [series.title])
    if event.online:
        entry.add("location", url)
    elif event.address:
        entry.add("location", event.address)
    return entry


def calendar_of(events: list[Event], *, host: str, url_of, name: str, related=None) -> bytes:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE they use; ``related(event)``:
    the series of an occurrence, or None."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tillsammans forum//events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        series = related(event) if related is not None else None
        calendar.add_component(_vevent(event, host=host, url=url_of(event), series=series))
    calendar.add_missing_timezones()
    return calendar.to_ical()
