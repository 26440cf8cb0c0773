"""Event pages: the list with its month calendar, one event, and the iCalendar files.

The editor and the cancel action are in ``write_views`` (same blueprint).
"""

from __future__ import annotations

import calendar
from datetime import date
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from .. import permissions
from ..accounts.urls import absolute_url
from ..clock import utcnow
from ..core.queries import all_goals, all_themes
from ..db import get_session
from ..i18n import current_language
from ..projects.filters import goal_arg, theme_and_goal_options, theme_arg
from ..web import fail, register_template_globals, render
from . import ics, labels, queries
from .discussion import discussion_context
from .models import KINDS, Event
from .service import to_local

bp = Blueprint("events", __name__)


@bp.record_once
def _template_globals(state):
    register_template_globals(
        state.app,
        "events",
        {
            "event_kind_label": labels.kind_label,
            "event_state_label": labels.state_label,
            "event_local_day": lambda event: to_local(event.starts_at).date(),
        },
    )


def load_event(event_id: int) -> dict:
    """Unknown events and drafts the reader may not see are both "not found"."""
    event = get_session().get(Event, event_id)
    if event is None or not permissions.can_view_event(current_user, event):
        fail(404, _("This event does not exist or is not published."))
    return {"event": event}


def event_url(event: Event, **kwargs) -> str:
    return url_for("events.event_detail", event_id=event.id, **kwargs)


def _month_arg() -> date:
    raw = request.args.get("month", "")
    if not raw:
        today = to_local(utcnow()).date()
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        fail(400, _("Give the month as YYYY-MM, e.g. 2026-12."))


def _shift(month: date, by: int) -> str:
    index = month.year * 12 + month.month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@bp.get("/events")
def event_list():
    session = get_session()
    theme = theme_arg(session, request.args.get("theme"))
    goal = goal_arg(session, request.args.get("sdg"))
    kind = request.args.get("kind", "")
    if kind and kind not in KINDS:
        fail(400, _("Choose a kind of event from the list."))
    month = _month_arg()
    if not 1900 < month.year < 9999:
        fail(400, _("Give the month as YYYY-MM, e.g. 2026-12."))
    filters = {
        "theme_id": theme.id if theme else None,
        "goal_id": goal.id if goal else None,
        "kind": kind or None,
    }
    with_drafts = permissions.can_manage_events(current_user)
    listing = queries.list_events(session, with_drafts=with_drafts, **filters)
    days = queries.month_events(session, month, with_drafts=with_drafts, **filters)
    query = {
        "theme": theme.slug if theme else None,
        "sdg": goal.number if goal else None,
        "kind": kind or None,
    }
    query = {key: value for key, value in query.items() if value}
    return render(
        "events/events.html",
        listing=listing,
        weeks=calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month),
        weekdays=[format_date(date(2024, 1, day), "EEEE") for day in range(1, 8)],
        days=days,
        month=month,
        month_name=format_date(month, "LLLL y"),
        previous_month=_shift(month, -1),
        next_month=_shift(month, 1),
        query=query,
        current={"theme": query.get("theme"), "sdg": query.get("sdg"), "kind": kind},
        options={
            **theme_and_goal_options(all_themes(session), all_goals(session)),
            "kinds": [(k, str(label)) for k, label in labels.KIND_LABELS.items()],
        },
    )


@bp.get("/events/<int:event_id>")
def event_detail(event_id: int):
    event = load_event(event_id)["event"]
    language, title, summary_html = event.text_in(current_language())
    return render(
        "events/event.html",
        event=event,
        details=queries.event_details(get_session(), event),
        language=language,
        title=title,
        summary_html=summary_html,
        **discussion_context(get_session(), event),
    )


def _ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _absolute_url(event: Event) -> str:
    return absolute_url("events.event_detail", event_id=event.id)


def _uid_host() -> str:
    """The host in every UID: from ``SERVER_URL``, not the request, so a UID never changes with
    the address a calendar program happened to use."""
    return urlsplit(current_app.config["SERVER_URL"]).hostname or "localhost"


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id: int):
    event = load_event(event_id)["event"]
    if event.is_draft:
        fail(404, _("This event does not exist or is not published."))
    body = ics.calendar_of([event], host=_uid_host(), url_of=_absolute_url, name=event.title)
    return _ics_response(body, f"event-{event.id}.ics")


@bp.get("/events.ics")
def events_feed():
    events = queries.feed_events(get_session())
    body = ics.calendar_of(
        events, host=_uid_host(), url_of=_absolute_url, name=_("Tillsammans forum: events")
    )
    return _ics_response(body, "events.ics")


from . import write_views  # noqa: E402,F401  (the editor's routes join this blueprint)
