"""The project a discussion thread is about: chosen on the new-thread form or later.

The discussions area asks through its extension points: the choices of the new-thread form's
"Project" field, what to do with the answer once the thread exists, and the thread page includes
``projects/_thread_project.html``. Both ways end in ``service.set_thread_project``.
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ..db import get_session
from ..discussions.contributions import new_thread_form
from ..discussions.loaders import load_visible_thread
from ..discussions.models import Thread
from ..domain import DomainError
from ..web import finish, render, requires, show_on_form
from ..web.forms import optional_int
from . import queries, service
from .rules import LINK_THREAD_PROJECT, WRITER
from .views import bp


class ThreadProjectForm(FlaskForm):
    project = SelectField(_l("Project"), coerce=optional_int)


def _project_field_choices(session) -> list[SelectChoice]:
    """The choices of a thread's "Project" field: none, then every project by name."""
    return [SelectChoice("", _("No project"))] + [
        SelectChoice(value, label) for value, label in queries.project_choices(session)
    ]


@new_thread_form.provide
def _new_thread_project_choices(*, session) -> dict:
    return {"project": _project_field_choices(session)}


def _thread_url(thread: Thread) -> str:
    return url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug)


@bp.route("/threads/<int:thread_id>/project", methods=["GET", "POST"])
@requires(WRITER, LINK_THREAD_PROJECT, load=load_visible_thread)
def thread_project(thread_id: int, thread: Thread):
    session = get_session()
    form = ThreadProjectForm()
    form.project.choices = _project_field_choices(session)
    if request.method == "GET":
        form.project.data = thread.project_id
    elif form.validate():
        try:
            service.set_thread_project(
                session=session, actor=current_user, thread=thread, project_id=form.project.data
            )
        except DomainError as error:
            session.rollback()
            show_on_form(form, error)
        else:
            return finish(_thread_url(thread), message=_("The thread's project was saved."))
    return render(
        "projects/thread_project.html",
        "projects/_thread_project_form.html",
        status=422 if form.errors else 200,
        form=form,
        thread=thread,
        thread_url=_thread_url(thread),
    )
