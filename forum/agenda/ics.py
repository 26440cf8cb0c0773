"""iCalendar (RFC 5545) for one event and for the feed, written with the icalendar package.

Every VEVENT has a stable UID (``event-<id>@<host>``), DTSTAMP, DTSTART/DTEND in Europe/Stockholm
with its VTIMEZONE, the SEQUENCE the service raises on every change of time, place or state, and
the URL of the event page (also the LOCATION of an online event: the join link is only for
registered members); a cancelled event says STATUS:CANCELLED so subscribed calendars
update their copy.
"""

from __future__ import annotations

from datetime import UTC

import icalendar

from ..clock import utcnow
from ..markup import plain_text
from .models import Event
from .service import LOCAL_ZONE


def _vevent(event: Event, *, host: str, url: str, join_link: bool = False) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", f"event-{event.id}@{host}")
    entry.add("dtstamp", utcnow().replace(tzinfo=UTC))
    entry.add("last-modified", event.updated_at.replace(tzinfo=UTC))
    entry.add("dtstart", event.starts_at.replace(tzinfo=UTC).astimezone(LOCAL_ZONE))
    entry.add("dtend", event.ends_at.replace(tzinfo=UTC).astimezone(LOCAL_ZONE))
    entry.add("sequence", event.sequence)
    entry.add("summary", event.title)
    description = plain_text(event.summary, 2000)
    if join_link and event.online and event.join_url:
        description = f"{event.join_url}\n\n{description}"
    entry.add("description", description)
    entry.add("url", url)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    if event.online:
        entry.add("location", url)
    elif event.address:
        entry.add("location", event.address)
    return entry


def calendar_of(
    events: list[Event], *, host: str, url_of, name: str, join_links: bool = False
) -> bytes:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE they use; ``join_links`` (only
    for a registered member's own feed) puts an online event's join link in its description."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tillsammans forum//events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event, host=host, url=url_of(event), join_link=join_links))
    calendar.add_missing_timezones()
    return calendar.to_ical()
