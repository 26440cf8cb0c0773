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
from ..projects.labels import localized_name
from ..web import fail, page_arg, register_template_globals, render
from . import afterwards, ics, labels, organisers, queries
from .discussion import discussion_context
from .models import KINDS, Event
from .registration_forms import registration_context
from .series_queries import occurrence_context, series_arg, series_of, series_options
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
            "event_question_label": labels.question_label,
        },
    )


def load_event(event_id: int) -> dict:
    """Unknown events and drafts the reader may not see are both "not found"."""
    session = get_session()
    event = session.get(Event, event_id)
    ids = organisers.organiser_ids(session, event) if event and event.is_draft else ()
    if event is None or not permissions.can_view_event(current_user, event, ids):
        fail(404, _("This event does not exist or is not published."))
    return {"event": event}


def drafts_shown_to(user):
    """``with_drafts`` of the lists: every draft for moderators, an organiser's own drafts."""
    if permissions.can_moderate(user):
        return True
    return user.id if permissions.can_manage_events(user) else False


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


def event_filters(session):
    """The theme, goal, kind and series the query string names (400 for unknown ones), and
    the same as keyword arguments of the queries."""
    theme = theme_arg(session, request.args.get("theme"))
    goal = goal_arg(session, request.args.get("sdg"))
    kind = request.args.get("kind", "")
    if kind and kind not in KINDS:
        fail(400, _("Choose a kind of event from the list."))
    series = series_arg(session)
    filters = {
        "theme_id": theme.id if theme else None,
        "goal_id": goal.id if goal else None,
        "kind": kind or None,
        "series_id": series.id if series else None,
    }
    return theme, goal, kind, series, filters


@bp.get("/events")
def event_list():
    session = get_session()
    theme, goal, kind, series, filters = event_filters(session)
    month = _month_arg()
    if not 1900 < month.year < 9999:
        fail(400, _("Give the month as YYYY-MM, e.g. 2026-12."))
    with_drafts = drafts_shown_to(current_user)
    pages = {"upcoming_page": page_arg("upcoming_page"), "past_page": page_arg("past_page")}
    listing = queries.list_events(session, with_drafts=with_drafts, **pages, **filters)
    days = queries.month_events(session, month, with_drafts=with_drafts, **filters)
    query = {
        "theme": theme.slug if theme else None,
        "sdg": goal.number if goal else None,
        "kind": kind or None,
        "series": series.id if series else None,
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
        current={
            "theme": query.get("theme"),
            "sdg": query.get("sdg"),
            "kind": kind,
            "series": str(series.id) if series else None,
        },
        options={
            **theme_and_goal_options(all_themes(session), all_goals(session)),
            "kinds": [(k, str(label)) for k, label in labels.KIND_LABELS.items()],
            "series": series_options(session),
        },
        pages=pages,
    )


@bp.get("/events/<int:event_id>")
def event_detail(event_id: int):
    event = load_event(event_id)["event"]
    return event_page(event, **registration_context(event))


def event_page(event: Event, *, status: int = 200, **registration):
    """The event page; ``registration``: the context of its registration fragment."""
    language, title, summary_html = event.text_in(current_language())
    session = get_session()
    details = queries.event_details(session, event)
    return render(
        "events/event.html",
        status=status,
        event=event,
        details=details,
        extra=occurrence_context(session, event),
        language=language,
        title=title,
        summary_html=summary_html,
        **registration,
        **afterwards.recording_context(session, event),
        lesson_from_event_url=afterwards.lesson_url(event, details),
        **discussion_context(session, event),
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
    return ics_response([event], name=event.title, filename=f"event-{event.id}.ics")


@bp.get("/events.ics")
def events_feed():
    """Every public event, or those of a theme, goal, kind or series (``?theme=<slug>``...)."""
    session = get_session()
    theme, _goal, _kind, _series, filters = event_filters(session)
    events = queries.feed_events(session, **filters)
    name = _("Tillsammans forum: events")
    if theme is not None:
        name = f"{name}: {localized_name(theme)}"
    return ics_response(events, name=name, filename="events.ics")


def ics_response(events: list[Event], *, name: str, filename: str) -> Response:
    """The feed of ``events``; an occurrence names its series (see ``ics``)."""
    related = series_of(get_session(), events)
    body = ics.calendar_of(
        events,
        host=_uid_host(),
        url_of=_absolute_url,
        name=name,
        related=lambda event: related.get(event.series_id),
    )
    return _ics_response(body, filename)


# The routes of the editor, registration, series, history and recordings join this blueprint.
from . import (  # noqa: E402,F401
    history_views,
    recording_views,
    registration_views,
    series_views,
    write_views,
)
