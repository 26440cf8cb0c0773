"""Mail to an event's participants, written when it is sent (``forum.mail`` composer).

Each mail is a row in the mail outbox, written in the transaction of the change it announces
(``queue``) and naming the registration and the kind of mail in its key. The composer writes it
when the worker sends it, in the member's language of that moment and with the event as it is
then, and sends nothing when the mail no longer holds: a confirmation whose registration was
cancelled meanwhile, a change notice overtaken by a newer change (the newer notice says it).
Only confirmed, active, not suspended accounts with an address get mail.

The kinds, and what the attached ``.ics`` is (``ics.participant_calendar``):

* ``seat``, ``promoted`` (a seat freed and came to someone on the waiting list), ``reminder``,
  ``changed`` to a participant with a seat: METHOD:PUBLISH with the join link. PUBLISH, not
  REQUEST: a REQUEST shows Accept/Decline buttons whose answer would go to the forum's no-reply
  address and cancel nothing; the registration lives on the event page.
* ``withdrawn`` (the member gave up their seat), ``cancelled`` (the event, to one who had a seat):
  METHOD:CANCEL, the same UID and the event's SEQUENCE, STATUS:CANCELLED and the member as
  ATTENDEE (RFC 5546 cancels a published event with CANCEL). The SEQUENCE is not raised for one
  member: programs remove the entry for a CANCEL not older than their copy.
* ``waitlist``, ``left-waitlist``, ``changed`` and ``cancelled-waitlist`` to someone waiting: no
  calendar file. They have no seat, so nothing in their calendar to add, update or remove.

Every mail has a stable ``Message-ID`` (``event-<id>-<kind>-<registration>-<token>@<domain>``)
and ``In-Reply-To``/``References`` ``<event-<id>@<domain>>``, so mail programs group an event's
mails.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import format_date, format_datetime, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_
from sqlmodel import Session, col

from ..accounts.models import User, not_suspended
from ..accounts.urls import absolute_url
from ..clock import utcnow
from ..i18n import in_language
from ..mail import compose, compose_after_commit, composer
from ..markup import plain_text
from ..permissions import is_suspended
from . import ics, labels
from .models import PUBLISHED, REGISTERED, WAITLISTED, WITHDRAWN, Event, EventRegistration

COMPOSER = "agenda.event_mail"
SEAT, WAITLIST, PROMOTED = "seat", "waitlist", "promoted"
WITHDRAWN_SEAT, LEFT_WAITLIST = "withdrawn", "left-waitlist"
REMINDER, CHANGED = "reminder", "changed"
CANCELLED_SEAT, CANCELLED_WAITING = "cancelled", "cancelled-waitlist"

SUBJECTS = {
    SEAT: _l("You are registered for “%(title)s”"),
    PROMOTED: _l("You have a seat now at “%(title)s”"),
    WAITLIST: _l("You are on the waiting list for “%(title)s”"),
    WITHDRAWN_SEAT: _l("Your registration for “%(title)s” is cancelled"),
    LEFT_WAITLIST: _l("You have left the waiting list for “%(title)s”"),
    REMINDER: _l("Reminder: “%(title)s” on %(day)s at %(time)s"),
    CHANGED: _l("Changed: “%(title)s” has a new time, place or link"),
    CANCELLED_SEAT: _l("Cancelled: “%(title)s” will not take place"),
    CANCELLED_WAITING: _l("Cancelled: “%(title)s” will not take place"),
}
INTRODUCTIONS = {
    SEAT: _l(
        "You are registered for the event below. The attached calendar file adds it to your "
        "calendar."
    ),
    PROMOTED: _l(
        "A seat has become free and it is yours: you are now registered for the event below. "
        "The attached calendar file adds it to your calendar."
    ),
    WAITLIST: _l(
        "The event below is full, so you are on its waiting list. When a seat becomes free and "
        "it is your turn, you get the seat and a message from us."
    ),
    WITHDRAWN_SEAT: _l(
        "You have cancelled your registration for the event below. The attached calendar file "
        "removes it from your calendar."
    ),
    LEFT_WAITLIST: _l("You have left the waiting list for the event below."),
    REMINDER: _l("A reminder: the event below, which you are registered for, starts soon."),
    CHANGED: _l(
        "The time, place or link of the event below has changed. These are the new details; "
        "the attached calendar file updates your calendar."
    ),
    (CHANGED, WAITLISTED): _l(
        "The time, place or link of the event below has changed. These are the new details. "
        "You are still on the waiting list."
    ),
    CANCELLED_SEAT: _l(
        "The event below has been cancelled and will not take place. The attached calendar "
        "file removes it from your calendar."
    ),
    CANCELLED_WAITING: _l(
        "The event below has been cancelled and will not take place. You were on its waiting list."
    ),
}
WITH_SEAT = {SEAT, PROMOTED, REMINDER, CHANGED, WITHDRAWN_SEAT, CANCELLED_SEAT}
CANCELLING = {WITHDRAWN_SEAT, CANCELLED_SEAT}


def reachable():
    """The SQL condition of accounts that get event mail."""
    return and_(
        col(User.email).is_not(None),
        col(User.confirmed_at).is_not(None),
        col(User.deleted_at).is_(None),
        col(User.is_placeholder).is_(False),
        not_suspended(),
    )


def can_receive(user: User | None) -> bool:
    return bool(
        user is not None
        and user.email
        and user.is_confirmed
        and user.is_active
        and not is_suspended(user)
    )


def queue(
    session: Session, registration: EventRegistration, address: str, kind: str, token
) -> None:
    """Mail ``kind`` about ``registration`` to ``address`` once ``session`` commits; ``token``
    tells this mail from another of the same kind (it goes into the Message-ID)."""
    key = f"{kind}:{registration.id}:{token}"
    compose_after_commit(session, composer=COMPOSER, to=address, key=key)


def _still_holds(kind: str, event: Event, registration: EventRegistration, token: str) -> bool:
    """Whether the mail queued as ``kind`` is still true of the event and registration now."""
    published = event.state == PUBLISHED
    if kind in (SEAT, PROMOTED, REMINDER):
        started = kind == REMINDER and event.starts_at <= utcnow()  # a late retry: too late
        return published and registration.state == REGISTERED and not started
    if kind == WAITLIST:
        return published and registration.state == WAITLISTED
    if kind in (WITHDRAWN_SEAT, LEFT_WAITLIST):
        return not event.is_draft and registration.state == WITHDRAWN
    if kind == CHANGED:
        taking_part = registration.state in (REGISTERED, WAITLISTED)
        return published and taking_part and str(event.sequence) == token
    return event.is_cancelled  # whoever had a seat or a place in the queue was told


@composer(COMPOSER)
def compose_event_mail(session: Session, address: str, key: str) -> EmailMessage | None:
    kind, registration_id, token = key.split(":", 2)
    registration = session.get(EventRegistration, int(registration_id))
    if registration is None:
        return None
    event = session.get(Event, registration.event_id)
    user = session.get(User, registration.user_id)
    if not can_receive(user) or not _still_holds(kind, event, registration, token):
        return None
    seat = kind in WITH_SEAT and not (kind == CHANGED and registration.state == WAITLISTED)
    return event_message(user, event, kind=kind, seat=seat, message_id=f"{registration.id}-{token}")


def _sender() -> tuple[str, str]:
    name, address = parseaddr(current_app.config["MAIL_SENDER"])
    return name or "Tillsammans forum", address or "no-reply@localhost"


def when_text(event: Event) -> str:
    """The event's time in the current locale, in Swedish time with its zone's name."""
    same_day = format_date(event.starts_at, "yMd") == format_date(event.ends_at, "yMd")
    return _(
        "%(day)s, %(start)s–%(end)s (%(zone)s)",
        day=format_date(event.starts_at, "full"),
        start=format_time(event.starts_at, "HH:mm"),
        end=(
            format_time(event.ends_at, "HH:mm")
            if same_day
            else f"{format_date(event.ends_at, 'full')} {format_time(event.ends_at, 'HH:mm')}"
        ),
        zone=format_datetime(event.starts_at, "zzzz"),
    )


def event_message(
    user: User, event: Event, *, kind: str, seat: bool, message_id: str
) -> EmailMessage:
    """The mail ``kind`` about ``event`` to ``user`` in their language; ``seat``: they have (or
    had) a seat, so a calendar file is attached (with the join link while the seat is theirs)."""
    sender_name, sender_address = _sender()
    domain = sender_address.partition("@")[2] or "localhost"
    url = absolute_url("events.event_detail", event_id=event.id)
    with in_language(user.locale):
        language, title, summary_html = event.text_in(user.locale)
        when = when_text(event)
        day, time = format_date(event.starts_at, "EEEE"), format_time(event.starts_at, "HH:mm")
        subject = SUBJECTS[kind] % {"title": title, "day": day, "time": time}
        waiting = kind == WAITLIST or (kind == CHANGED and not seat)
        join_url = event.join_url if event.online and kind not in CANCELLING else None
        introduction = str(
            INTRODUCTIONS[(CHANGED, WAITLISTED) if kind == CHANGED and waiting else kind]
        )
        kind_label = labels.kind_label(event.kind)
        join_label = _("Link to join")
    message = compose(
        to=user.email,
        to_name=user.display_name,
        subject=subject,
        template="event_notice",
        locale=user.locale,
        user=user,
        event=event,
        title=title,
        title_language=language,
        summary_html=summary_html,
        kind_label=kind_label,
        when=when,
        introduction=introduction,
        join_url=join_url if seat else None,
        waiting=waiting,
        cancelled=kind in (CANCELLED_SEAT, CANCELLED_WAITING),
        url=url,
    )
    message.replace_header("Message-ID", f"<event-{event.id}-{kind}-{message_id}@{domain}>")
    thread = f"<event-{event.id}@{domain}>"
    message["In-Reply-To"], message["References"] = thread, thread
    if seat:
        summary = event.summary if language == event.language else event.summary_translation
        description = plain_text(summary or "", 2000)
        location = None
        if join_url:
            description = f"{join_label}: {join_url}\n\n{description}"
            location = join_url
        calendar = ics.participant_calendar(
            event,
            host=urlsplit(current_app.config["SERVER_URL"]).hostname or "localhost",
            url=url,
            organizer=(sender_name, sender_address),
            title=title,
            description=description,
            location=location,
            attendee=user.email if kind in CANCELLING else None,
        )
        message.add_attachment(
            calendar,
            maintype="text",
            subtype="calendar",
            filename=f"event-{event.id}.ics",
            params={"method": "CANCEL" if kind in CANCELLING else "PUBLISH", "charset": "utf-8"},
        )
        message["Content-Language"] = user.locale  # attaching moved it to the inner part
    return message
