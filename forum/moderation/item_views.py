"""Hide and restore a lesson or a project: a real form first (page, or htmx fragment in the
inline menu), POST answers 303 (plain), reloads the page (htmx) or settles the queue entry."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..db import get_session
from ..web import fail
from . import content, service
from .action_views import _navigate, _run_form
from .errors import ModerationError
from .forms import OptionalReasonForm, ReasonForm
from .loaders import back_to, fail_for, require_moderator
from .views import _done, bp

KINDS = {"lessons": "lesson", "projects": "project"}
HIDE_TITLES = {"lesson": _l("Hide the lesson"), "project": _l("Hide the project")}
HIDDEN_MESSAGES = {"lesson": _l("The lesson is hidden."), "project": _l("The project is hidden.")}
RESTORED_MESSAGES = {
    "lesson": _l("The lesson is visible again."),
    "project": _l("The project is visible again."),
}


def _load(kind: str, item_id: int):
    """The lesson or project (404 when unknown; drafts are nobody's business here) and its URL."""
    from ..lessons.models import Lesson
    from ..projects.models import Project

    session = get_session()
    if KINDS[kind] == "lesson":
        lesson = session.get(Lesson, item_id)
        if lesson is None or not lesson.is_published:
            fail(404, _("This lesson does not exist or is not published."))
        return (
            lesson,
            lesson.title,
            url_for("lessons.lesson_detail", lesson_id=lesson.id, slug=lesson.slug),
        )
    project = session.get(Project, item_id)
    if project is None:
        fail(404, _("There is no project at this address."))
    return project, project.name, url_for("projects.project_detail", slug=project.slug)


def _finish(message: str, location: str):
    if request.form.get("context") == "queue":
        return _done(
            message, back_to(url_for("moderation.queue_page")), "moderation/_queue_done.html"
        )
    return _navigate(message, back_to(location))


@bp.route("/mod/<any(lessons, projects):kind>/<int:item_id>/hide", methods=["GET", "POST"])
def item_hide(kind: str, item_id: int):
    denied = require_moderator()
    if denied is not None:
        return denied
    item, title, location = _load(kind, item_id)
    form = ReasonForm() if request.method == "POST" else ReasonForm(formdata=None)
    page = dict(
        title=HIDE_TITLES[KINDS[kind]],
        submit=_("Hide"),
        danger=True,
        subject=title,
        action_url=url_for("moderation.item_hide", kind=kind, item_id=item_id),
        cancel_url=location,
    )

    def act(session):
        content.hide_item(session=session, actor=current_user, item=item, reason=form.reason.data)
        return _finish(str(HIDDEN_MESSAGES[KINDS[kind]]), location)

    return _run_form(form, page, act)


@bp.post("/mod/<any(lessons, projects):kind>/<int:item_id>/restore")
def item_restore(kind: str, item_id: int):
    denied = require_moderator()
    if denied is not None:
        return denied
    item, _title, location = _load(kind, item_id)
    form = OptionalReasonForm()
    if not form.validate_on_submit():
        fail(422, _("Keep the reason under %(max)d characters.", max=service.REASON_MAX))
    try:
        content.restore_item(
            session=get_session(), actor=current_user, item=item, reason=form.reason.data or ""
        )
    except ModerationError as exc:
        fail_for(exc)
    return _finish(str(RESTORED_MESSAGES[KINDS[kind]]), location)
