"""Naming the project a discussion thread is about, after the thread was started.

(The new-thread form of the discussions area has its own "Project" field; both end in
``service.set_thread_project``.) The thread page includes ``projects/_thread_project.html``.
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from .. import permissions
from ..db import get_session
from ..discussions.models import Thread
from ..web import fail, render
from . import service
from .errors import ProjectsError
from .forms import optional_int
from .views import attach_error, bp, done, participant_required


class ThreadProjectForm(FlaskForm):
    project = SelectField(_l("Project"), coerce=optional_int)


def project_field_choices(session) -> list[tuple[str, str]]:
    """The choices of a thread's "Project" field: none, then every project by name."""
    return [("", _("No project"))] + service.project_choices(session)


def _thread_url(thread: Thread) -> str:
    return url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug)


@bp.route("/threads/<int:thread_id>/project", methods=["GET", "POST"])
@participant_required
def thread_project(thread_id: int):
    session = get_session()
    thread = session.get(Thread, thread_id)
    if thread is None or not permissions.can_view_thread(current_user, thread):
        fail(404, _("This thread does not exist or has been removed."))
    if not permissions.can_link_thread_project(current_user, thread):
        fail(403, _("Only the thread's author and moderators can choose its project."))
    form = ThreadProjectForm()
    form.project.choices = project_field_choices(session)
    if request.method == "GET":
        form.project.data = thread.project_id
    elif form.validate():
        try:
            service.set_thread_project(
                session=session, actor=current_user, thread=thread, project_id=form.project.data
            )
        except ProjectsError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            session.commit()
            return done(_thread_url(thread), _("The thread's project was saved."))
    status = 422 if form.errors else 200
    return render(
        "projects/thread_project.html",
        "projects/_thread_project_form.html",
        status=status,
        form=form,
        thread=thread,
        thread_url=_thread_url(thread),
    )
