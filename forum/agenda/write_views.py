"""Writing events: the editor (save a draft, publish, save changes) and cancelling."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import permissions
from ..accounts.forms import ActionForm
from ..core.queries import all_goals, all_themes
from ..db import get_session
from ..domain import DomainError
from ..i18n import current_language
from ..permissions import Rule
from ..projects import queries as project_queries
from ..web import fail, finish, render, requires, show_on_form
from . import organisers, queries, service
from .forms import EventForm, form_data_of
from .models import Event
from .views import bp, event_url, load_event

WRITES_EVENTS = Rule(
    permissions.can_manage_events,
    _l("Only organisers, moderators and administrators can write events."),
)
MANAGES_EVENT = Rule(
    permissions.can_manage_event,
    _l("Only its organisers, moderators and administrators can change this event."),
    on=("event", "organiser_ids"),
)


def load_managed_event(event_id: int) -> dict:
    """The event (404 as on its page) and its organisers' ids, for ``MANAGES_EVENT``."""
    event = load_event(event_id)["event"]
    return {"event": event, "organiser_ids": organisers.organiser_ids(get_session(), event)}


def _event_form(**kwargs) -> EventForm:
    session = get_session()
    return EventForm(
        projects=project_queries.project_choices(session),
        themes=all_themes(session),
        goals=all_goals(session),
        **kwargs,
    )


def _form_page(form, *, event=None, status: int = 200):
    return render("events/event_form.html", status=status, form=form, event=event)


def _handle(form: EventForm, save, *, event=None):
    if not form.validate_on_submit():
        return _form_page(form, event=event, status=422)
    publish = request.form.get("action") == "publish"
    try:
        ids = organisers.parse_handles(get_session(), form.organisers.data)
        saved = save(form.to_input(), publish, ids)
    except DomainError as error:
        get_session().rollback()
        show_on_form(form, error)
        return _form_page(form, event=event, status=error.status)
    if saved.is_draft:
        message = _(
            "The draft was saved. Only its organisers, moderators and administrators can see it."
        )
    else:
        message = _("The event was saved.")
    return finish(event_url(saved), message=message)


@bp.route("/events/new", methods=["GET", "POST"])
@requires(WRITES_EVENTS)
def event_new():
    if request.method == "GET":
        return _form_page(_event_form(data={"language": current_language()}))
    return _handle(
        _event_form(),
        lambda data, publish, ids: service.create_event(
            session=get_session(), actor=current_user, data=data, publish=publish, organiser_ids=ids
        ),
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@requires(WRITES_EVENTS, MANAGES_EVENT, load=load_managed_event)
def event_edit(event_id: int, event: Event, organiser_ids: list[int]):
    if event.is_cancelled:
        fail(409, _("A cancelled event cannot be edited."))
    session = get_session()
    if request.method == "GET":
        theme_ids, goal_ids = queries.linked_ids(session, event)
        data = form_data_of(event, theme_ids, goal_ids)
        data["organisers"] = organisers.handles_text(session, event, leave_out=event.author_id)
        return _form_page(_event_form(data=data), event=event)
    author = [event.author_id] if event.author_id in organiser_ids else []
    return _handle(
        _event_form(),
        lambda data, publish, ids: service.update_event(
            session=session,
            actor=current_user,
            event=event,
            data=data,
            publish=publish,
            organiser_ids=[*author, *ids],
        ),
        event=event,
    )


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@requires(WRITES_EVENTS, MANAGES_EVENT, load=load_managed_event)
def event_cancel(event_id: int, event: Event, organiser_ids: list[int]):
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.cancel_event(session=get_session(), actor=current_user, event=event)
        except DomainError as error:
            fail(error.status, str(error.message))
        return finish(event_url(event), message=_("The event was cancelled."))
    if event.state != "published":
        fail(409, _("Only a published event can be cancelled."))
    status = 400 if request.method == "POST" else 200
    return render("events/event_cancel.html", status=status, form=form, event=event)
