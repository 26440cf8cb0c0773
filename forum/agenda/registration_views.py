"""Registering for an event, "my events" with the personal calendar feed, and the participant
list with its CSV export (routes of the ``events`` blueprint). Importing ``registration_privacy``
here adds the registrations to the data export and to account deletion."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import permissions
from ..accounts.forms import ActionForm
from ..accounts.urls import absolute_url
from ..db import get_session
from ..domain import DomainError
from ..permissions import SIGNED_IN, Rule
from ..web import fail, finish, render, requires, wants_fragment
from . import ics, registration, registration_privacy, registration_queries  # noqa: F401
from .models import WAITLISTED, Event
from .participants_csv import participants_csv
from .registration_forms import answers_of, registration_context, registration_form
from .views import _absolute_url, _ics_response, _uid_host, bp, event_page, event_url, load_event
from .write_views import load_managed_event

SEES_PARTICIPANTS = Rule(
    permissions.can_see_participants,
    _l("Only the event's organisers can see who registered."),
    on=("event", "organiser_ids"),
)
FRAGMENT = "events/_registration_response.html"


def _refused(event: Event, form, message: str, status: int, *, offer_waitlist=False):
    """The fragment (htmx) or the whole event page, with the message and the form as sent."""
    get_session().rollback()
    context = registration_context(event, form=form, error=message, offer_waitlist=offer_waitlist)
    if wants_fragment():
        return render(FRAGMENT, status=status, event=event, **context)
    return event_page(event, status=status, **context)


def _done(event: Event, message: str):
    context = registration_context(event, message=message)
    return finish(event_url(event), message=message, fragment=FRAGMENT, event=event, **context)


@bp.post("/events/<int:event_id>/register")
@requires(SIGNED_IN, load=load_event)
def event_register(event_id: int, event: Event):
    form = registration_form(event)
    if not form.validate_on_submit():
        return _refused(event, form, _("Some of what you entered needs fixing."), 422)
    try:
        saved = registration.register(
            session=get_session(),
            actor=current_user,
            event=event,
            answers=answers_of(form, event),
            waitlist_ok=request.form.get("waitlist") == "1",
        )
    except registration.EventFull as error:
        return _refused(event, form, str(error.message), 409, offer_waitlist=True)
    except DomainError as error:
        return _refused(event, form, str(error.message), error.status)
    except IntegrityError:  # the same member's other request got there first
        return _refused(event, form, _("You are already registered for this event."), 409)
    if saved.state == WAITLISTED:
        return _done(event, _("The event is full: you are on the waitlist."))
    return _done(event, _("You are registered."))


@bp.post("/events/<int:event_id>/unregister")
@requires(SIGNED_IN, load=load_event)
def event_unregister(event_id: int, event: Event):
    form = ActionForm()
    if not form.validate_on_submit():
        fail(400, _("The request could not be understood. Check what you entered and try again."))
    try:
        registration.cancel_registration(session=get_session(), actor=current_user, event=event)
    except DomainError as error:
        return _refused(event, registration_form(event), str(error.message), error.status)
    return _done(event, _("Your registration was cancelled."))


@bp.get("/events/mine")
@requires(SIGNED_IN)
def my_events():
    session = get_session()
    token = registration_queries.calendar_token(session, current_user.id)
    feed = absolute_url("events.my_feed", token=token) if token else None
    return render(
        "events/mine.html",
        mine=registration_queries.my_events(session, current_user),
        feed_url=feed,
        form=ActionForm(),
    )


@bp.post("/events/mine/calendar")
@requires(SIGNED_IN)
def my_calendar_address():
    form = ActionForm()
    if not form.validate_on_submit():
        fail(400, _("The request could not be understood. Check what you entered and try again."))
    registration.new_calendar_token(session=get_session(), actor=current_user)
    return finish(
        url_for("events.my_events", _anchor="calendar"),
        message=_("Your secret calendar address is ready. An older one no longer works."),
    )


@bp.get("/events/mine/<token>.ics")
def my_feed(token: str):
    session = get_session()
    user_id = registration_queries.feed_owner(session, token) if len(token) <= 64 else None
    if user_id is None:
        fail(404, _("This calendar address does not exist. Ask for a new one on My events."))
    body = ics.calendar_of(
        registration_queries.registered_events(session, user_id),
        host=_uid_host(),
        url_of=_absolute_url,
        name=_("Tillsammans forum: my events"),
        join_links=True,
    )
    response = _ics_response(body, "my-events.ics")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/events/<int:event_id>/participants")
@requires(SIGNED_IN, SEES_PARTICIPANTS, load=load_managed_event)
def event_participants(event_id: int, event: Event, organiser_ids):
    return render(
        "events/participants.html",
        event=event,
        participants=registration_queries.participants(get_session(), event),
        questions=registration.questions_of(event),
    )


@bp.get("/events/<int:event_id>/participants.csv")
@requires(SIGNED_IN, SEES_PARTICIPANTS, load=load_managed_event)
def event_participants_csv(event_id: int, event: Event, organiser_ids):
    response = participants_csv(
        registration_queries.participants(get_session(), event),
        registration.questions_of(event),
        filename=f"event-{event.id}-participants.csv",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
