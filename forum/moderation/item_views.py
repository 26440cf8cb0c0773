"""Hide and restore a lesson or a project: a real form first (page, or htmx fragment in the
inline menu), POST answers 303 (plain), reloads the page (htmx) or settles the queue entry."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..db import get_session
from ..lessons.models import Lesson
from ..permissions import MODERATOR
from ..projects.models import Project
from ..web import fail, finish, requires
from . import items
from .action_flow import from_queue, optional_reason, run_form, settled_in_queue
from .forms import ReasonForm
from .loaders import back_to
from .views import bp

KINDS = {"lessons": "lesson", "projects": "project"}
HIDE_TITLES = {"lesson": _l("Hide the lesson"), "project": _l("Hide the project")}
HIDDEN_MESSAGES = {"lesson": _l("The lesson is hidden."), "project": _l("The project is hidden.")}
RESTORED_MESSAGES = {
    "lesson": _l("The lesson is visible again."),
    "project": _l("The project is visible again."),
}


def _published_item_or_404(kind: str, item_id: int):
    """The lesson or project (404 when unknown; drafts are nobody's business here) and its URL."""
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


def _item_done(message: str, location: str):
    if from_queue():
        return settled_in_queue(message)
    # The page shows the item as it was (hidden or not) in many places: htmx reloads it.
    return finish(back_to(location), message=message, hx_status=200)


@bp.route("/mod/<any(lessons, projects):kind>/<int:item_id>/hide", methods=["GET", "POST"])
@requires(MODERATOR)
def item_hide(kind: str, item_id: int):
    item, title, location = _published_item_or_404(kind, item_id)
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
        items.hide_item(session=session, actor=current_user, item=item, reason=form.reason.data)
        return _item_done(str(HIDDEN_MESSAGES[KINDS[kind]]), location)

    return run_form(form, page, act)


@bp.post("/mod/<any(lessons, projects):kind>/<int:item_id>/restore")
@requires(MODERATOR)
def item_restore(kind: str, item_id: int):
    item, _title, location = _published_item_or_404(kind, item_id)
    items.restore_item(
        session=get_session(), actor=current_user, item=item, reason=optional_reason()
    )
    return _item_done(str(RESTORED_MESSAGES[KINDS[kind]]), location)
