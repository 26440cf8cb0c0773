"""Thread curation from the thread page: pin, feature and lock at once; move, rename, merge and
split through their forms. Once a thread moved away from under the page, htmx reloads there."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import select
from wtforms.fields.choices import SelectChoice

from ..core.models import Theme
from ..core.queries import all_themes
from ..db import get_session
from ..discussions.models import Post, Thread
from ..discussions.service import first_post_id
from ..i18n import localized
from ..markup import plain_text
from ..permissions import MODERATOR
from ..web import finish, requires
from . import threads
from .action_flow import action_page, optional_reason, run_form
from .forms import MergeForm, MoveForm, RenameForm, SplitForm
from .loaders import any_thread_or_404, back_to, thread_link
from .views import bp

FLAG_MESSAGES = {
    "pin": _l("The thread is pinned in its theme."),
    "unpin": _l("The thread is no longer pinned."),
    "feature": _l("The thread is featured on the home page."),
    "unfeature": _l("The thread is no longer featured on the home page."),
    "lock": _l("The thread is locked."),
    "unlock": _l("The thread is unlocked."),
}


@bp.post("/mod/threads/<int:thread_id>/<any(pin, unpin, feature, unfeature, lock, unlock):action>")
@requires(MODERATOR)
def thread_flag(thread_id: int, action: str):
    thread = any_thread_or_404(thread_id)
    threads.set_thread_flag(
        session=get_session(),
        actor=current_user,
        thread=thread,
        action=action,
        reason=optional_reason(),
    )
    return finish(
        back_to(thread_link(thread)),
        message=str(FLAG_MESSAGES[action]),
        fragment="moderation/_thread_controls.html",
        thread=thread,
    )


THREAD_FORMS = {
    "move": (MoveForm, _l("Move the thread to another theme"), _l("Move")),
    "rename": (RenameForm, _l("Rename the thread"), _l("Rename")),
    "merge": (MergeForm, _l("Merge the thread into another"), _l("Merge")),
    "split": (SplitForm, _l("Split replies into a new thread"), _l("Split")),
}


def _thread_form(action: str, thread: Thread, *, submitted: bool):
    form_class = THREAD_FORMS[action][0]
    form = form_class() if submitted else form_class(formdata=None)
    session = get_session()
    if action == "move":
        form.theme.choices = [
            SelectChoice(t.id, localized(t, "name"))
            for t in all_themes(session)
            if t.id != thread.theme_id
        ]
    elif action == "rename" and not form.title.data:
        form.title.data = thread.title
    elif action == "split":
        first = first_post_id(session=session, thread=thread)
        replies = session.exec(
            select(Post).where(Post.thread_id == thread.id, Post.id != first).order_by(Post.id)
        ).all()
        form.post_ids.choices = [
            SelectChoice(p.id, f"#{p.id}: {plain_text(p.body, 120)}") for p in replies
        ]
    return form


@bp.route(
    "/mod/threads/<int:thread_id>/<any(move, rename, merge, split):action>", methods=["GET", "POST"]
)
@requires(MODERATOR)
def thread_form_action(thread_id: int, action: str):
    thread = any_thread_or_404(thread_id)
    form = _thread_form(action, thread, submitted=request.method == "POST")
    _form_class, title, submit = THREAD_FORMS[action]
    page = dict(
        title=title,
        submit=submit,
        subject=thread.title,
        danger=action in ("merge", "split"),
        action_url=url_for("moderation.thread_form_action", thread_id=thread.id, action=action),
        cancel_url=thread_link(thread),
    )

    # The page the form came from shows the thread at its old address (or a thread that is gone):
    # htmx reloads at the new one.
    def act(session):
        if action == "move":
            threads.move_thread(
                session=session,
                actor=current_user,
                thread=thread,
                theme=session.get(Theme, form.theme.data),
                reason=form.reason.data or "",
            )
            return finish(thread_link(thread), message=_("The thread is moved."), hx_status=200)
        if action == "rename":
            threads.rename_thread(
                session=session,
                actor=current_user,
                thread=thread,
                title=form.title.data,
                reason=form.reason.data or "",
            )
            return finish(thread_link(thread), message=_("The thread is renamed."), hx_status=200)
        if action == "merge":
            target = session.get(Thread, form.target_id())
            if target is None:
                form.target.errors = [_("There is no thread with that number.")]
                return action_page(form, status=422, **page)
            threads.merge_thread(
                session=session,
                actor=current_user,
                source=thread,
                target=target,
                reason=form.reason.data,
            )
            return finish(thread_link(target), message=_("The threads are merged."), hx_status=200)
        new = threads.split_thread(
            session=session,
            actor=current_user,
            thread=thread,
            post_ids=form.post_ids.data,
            title=form.title.data,
            reason=form.reason.data or "",
        )
        return finish(
            thread_link(new), message=_("The replies are moved to a new thread."), hx_status=200
        )

    return run_form(form, page, act)
