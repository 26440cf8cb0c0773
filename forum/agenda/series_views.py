"""Series pages: one series with its rule in words and its occurrences, its iCalendar feed, and
the form to create or edit it (organisers, moderators, admins)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import permissions
from ..core.queries import all_goals, all_themes
from ..db import get_session
from ..domain import DomainError
from ..i18n import current_language
from ..permissions import Rule
from ..projects import queries as project_queries
from ..web import fail, finish, page_arg, render, requires, show_on_form
from . import organisers, queries
from . import series as series_service
from .recurrence import rule_in_words
from .series_forms import MONTHLY, NEVER, SeriesForm, series_form_data
from .series_models import EventSeries
from .series_queries import has_history, series_details
from .views import bp, ics_response
from .write_views import WRITES_EVENTS

MANAGES_SERIES = Rule(
    permissions.can_manage_event,
    _l("Only its organisers, moderators and administrators can change this series."),
    on=("series", "organiser_ids"),
)


def load_series(series_id: int) -> dict:
    session = get_session()
    found = session.get(EventSeries, series_id)
    if found is None:
        fail(404, _("This series does not exist."))
    return {"series": found, "organiser_ids": organisers.organiser_ids(session, found)}


def series_url(item: EventSeries) -> str:
    return url_for("events.series_detail", series_id=item.id)


@bp.get("/events/series/<int:series_id>")
def series_detail(series_id: int):
    session = get_session()
    item = load_series(series_id)["series"]
    pages = {"upcoming_page": page_arg("upcoming_page"), "past_page": page_arg("past_page")}
    listing = queries.list_events(session, with_drafts=False, series_id=item.id, **pages)
    language, title = item.text_in(current_language())
    return render(
        "events/series.html",
        series=item,
        title=title,
        language=language,
        rule_words=rule_in_words(item.rule, item.first_date),
        listing=listing,
        details=series_details(session, item),
        organisers=organisers.organisers_of(session, item),
        has_history=has_history(session, item),
        pages=pages,
    )


@bp.get("/events/series/<int:series_id>.ics")
def series_ics(series_id: int):
    session = get_session()
    item = load_series(series_id)["series"]
    events = queries.feed_events(session, series_id=item.id)
    return ics_response(events, name=item.title, filename=f"series-{item.id}.ics")


def _series_form(**kwargs) -> SeriesForm:
    session = get_session()
    return SeriesForm(
        projects=project_queries.project_choices(session),
        themes=all_themes(session),
        goals=all_goals(session),
        **kwargs,
    )


def _form_page(form, *, item=None, status: int = 200):
    return render("events/series_form.html", status=status, form=form, series=item)


def _handle(form: SeriesForm, save, *, item=None):
    if not form.validate_on_submit():
        return _form_page(form, item=item, status=422)
    session = get_session()
    try:
        ids = organisers.parse_handles(session, form.organisers.data)
        saved, message = save(form.to_series_input(), ids)
    except DomainError as error:
        session.rollback()
        show_on_form(form, error)
        return _form_page(form, item=item, status=error.status)
    return finish(series_url(saved), message=message)


@bp.route("/events/series/new", methods=["GET", "POST"])
@requires(WRITES_EVENTS)
def series_new():
    if request.method == "GET":
        data = {"language": current_language(), "pattern": MONTHLY, "ordinal": "2"}
        return _form_page(_series_form(data={**data, "weekday": "FR", "ends": NEVER}))

    def save(data, ids):
        created = series_service.create_series(
            session=get_session(), actor=current_user, data=data, organiser_ids=ids
        )
        return created, _("The series was saved and its dates were added to the calendar.")

    return _handle(_series_form(), save)


@bp.route("/events/series/<int:series_id>/edit", methods=["GET", "POST"])
@requires(WRITES_EVENTS, MANAGES_SERIES, load=load_series)
def series_edit(series_id: int, series: EventSeries, organiser_ids: list[int]):
    session = get_session()
    if request.method == "GET":
        stored = _series_input_ids(session, series)
        text = organisers.handles_text(session, series, leave_out=series.author_id)
        return _form_page(_series_form(data=series_form_data(series, *stored, text)), item=series)
    author = [series.author_id] if series.author_id in organiser_ids else []

    def save(data, ids):
        done = _regenerate(session, series, data, [*author, *ids])
        return series, _(
            "The series was saved: %(updated)d dates changed, %(created)d added, %(deleted)d "
            "removed, %(cancelled)d cancelled (people had registered).",
            updated=done.updated,
            created=done.created,
            deleted=done.deleted,
            cancelled=done.cancelled,
        )

    return _handle(_series_form(), save, item=series)


def _series_input_ids(session, item: EventSeries) -> tuple[list[int], list[int]]:
    stored = series_service.series_input(session, item).event
    return stored.theme_ids, stored.goal_ids


def _regenerate(session, item: EventSeries, data, ids):
    return series_service.update_series(
        session=session, actor=current_user, series=item, data=data, organiser_ids=ids
    )
