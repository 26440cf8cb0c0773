"""iCalendar (RFC 5545) for one event and for the feed, written with the icalendar package.

Every VEVENT has a stable UID (``event-<id>@<host>``), DTSTAMP, DTSTART/DTEND in Europe/Stockholm
with its VTIMEZONE, the SEQUENCE the service raises on every change of time, place or state, and
the URL of the event page (also the LOCATION of an online event: the join link is only for
registered members); a cancelled event says STATUS:CANCELLED so subscribed calendars
update their copy.

An occurrence of a series is a VEVENT of its own with its own UID, not an instance of a master
VEVENT with an RRULE and RECURRENCE-ID: a moved or cancelled occurrence, its SEQUENCE and its
registrations then need nothing special, and every program reads a list of single events the
same way. It names its series with ``RELATED-TO;RELTYPE=PARENT:series-<id>@<host>`` and the
series' title in CATEGORIES.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from ..clock import utcnow
from ..markup import plain_text
from .models import Event
from .service import LOCAL_ZONE

if TYPE_CHECKING:  # imported where a calendar is written: most processes never write one
    import icalendar


def _vevent(
    event: Event, *, host: str, url: str, join_link: bool = False, series=None
) -> icalendar.Event:
    import icalendar

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
    if series is not None:
        entry.add("related-to", f"series-{series.id}@{host}", parameters={"RELTYPE": "PARENT"})
        entry.add("categories", [series.title])
    if event.online:
        entry.add("location", url)
    elif event.address:
        entry.add("location", event.address)
    return entry


def _calendar(method: str) -> icalendar.Calendar:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tillsammans forum//events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def calendar_of(
    events: list[Event],
    *,
    host: str,
    url_of,
    name: str,
    join_links: bool = False,
    related=None,
) -> bytes:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE they use; ``join_links`` (only
    for a registered member's own feed) puts an online event's join link in its description;
    ``related(event)``: the series of an occurrence, or None."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        series = related(event) if related is not None else None
        entry = _vevent(event, host=host, url=url_of(event), join_link=join_links, series=series)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# -- the entry attached to a mail to one participant ----------------------------------------------
def participant_calendar(
    event: Event,
    *,
    host: str,
    url: str,
    organizer: tuple[str, str],
    title: str,
    description: str,
    location: str | None = None,
    attendee: str | None = None,
) -> bytes:
    """The event for one participant's calendar: METHOD:PUBLISH (the event in the reader's
    language, with what only participants see, such as the join link, in ``location`` and
    ``description``), or METHOD:CANCEL when ``attendee`` (their address) is given: the same UID
    and the event's SEQUENCE with STATUS:CANCELLED, which makes calendar programs remove the
    entry, whether the event was cancelled or the participant gave up their seat. ``organizer``
    is the forum's (name, address): RFC 5546 asks for it in both methods."""
    entry = _vevent(event, host=host, url=url)
    for name, value in (("summary", title), ("description", description), ("location", location)):
        if value:
            entry.pop(name, None)
            entry.add(name, value)
    entry.add("organizer", f"mailto:{organizer[1]}", parameters={"CN": organizer[0]})
    if attendee:
        entry.pop("status", None)
        entry.add("status", "CANCELLED")
        entry.add("attendee", f"mailto:{attendee}")
    calendar = _calendar("CANCEL" if attendee else "PUBLISH")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
