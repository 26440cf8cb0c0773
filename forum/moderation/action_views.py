"""Inline moderation of threads and posts: every action is a real form first, htmx enhances it.

GET on an action that needs input (move, rename, merge, split, hide, edit, delete, reject) shows
its form as a page, or as a fragment for htmx menus. POST answers a plain browser with a 303 and
htmx with the changed controls or post (or ``HX-Redirect`` when the thread itself moved away).
"""

from __future__ import annotations

from flask import flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import select

from ..core.models import Theme
from ..db import get_session
from ..discussions.models import Post, Thread
from ..discussions.queries import post_context
from ..i18n import localized
from ..markup import plain_text
from ..web import fail, render, wants_fragment
from . import approval, service, threads
from .errors import ModerationError
from .forms import (
    ConfirmedReasonForm,
    EditPostForm,
    MergeForm,
    MoveForm,
    OptionalReasonForm,
    ReasonForm,
    RenameForm,
    SplitForm,
)
from .items import thread_url as plain_thread_url
from .loaders import (
    back_to,
    fail_for,
    get_post_or_404,
    get_thread_or_404,
    redirect_303,
    require_admin,
    require_moderator,
)
from .views import _done, bp


def thread_link(thread: Thread) -> str:
    try:
        return url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug)
    except Exception:  # the discussions blueprint is not registered (unit-sized apps)
        return plain_thread_url(thread)


def post_link(post: Post) -> str:
    try:
        return url_for("discussions.post_permalink", post_id=post.id)
    except Exception:
        return f"/posts/{post.id}"


# --- thread actions -------------------------------------------------------------------------------
FLAG_MESSAGES = {
    "pin": _l("The thread is pinned in its theme."),
    "unpin": _l("The thread is no longer pinned."),
    "feature": _l("The thread is featured on the home page."),
    "unfeature": _l("The thread is no longer featured on the home page."),
    "lock": _l("The thread is locked."),
    "unlock": _l("The thread is unlocked."),
}


@bp.post("/mod/threads/<int:thread_id>/<any(pin, unpin, feature, unfeature, lock, unlock):action>")
def thread_flag(thread_id: int, action: str):
    denied = require_moderator()
    if denied is not None:
        return denied
    thread = get_thread_or_404(thread_id)
    form = OptionalReasonForm()
    if not form.validate_on_submit():
        fail(422, _("Keep the reason under %(max)d characters.", max=service.REASON_MAX))
    try:
        threads.set_thread_flag(
            session=get_session(),
            actor=current_user,
            thread=thread,
            action=action,
            reason=form.reason.data or "",
        )
    except ModerationError as exc:
        fail_for(exc)
    return _done(
        str(FLAG_MESSAGES[action]),
        back_to(thread_link(thread)),
        "moderation/_thread_controls.html",
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
        themes = session.exec(select(Theme).order_by(Theme.position)).all()
        form.theme.choices = [
            (t.id, localized(t, "name")) for t in themes if t.id != thread.theme_id
        ]
    elif action == "rename" and not form.title.data:
        form.title.data = thread.title
    elif action == "split":
        from ..discussions.service import first_post_id

        first = first_post_id(session=session, thread=thread)
        replies = session.exec(
            select(Post).where(Post.thread_id == thread.id, Post.id != first).order_by(Post.id)
        ).all()
        form.post_ids.choices = [(p.id, f"#{p.id}: {plain_text(p.body, 120)}") for p in replies]
    return form


def _action_page(
    form,
    *,
    title,
    submit,
    action_url,
    cancel_url,
    danger=False,
    status=200,
    subject=None,
    hx_target=None,
):
    response = render(
        "moderation/action.html",
        "moderation/_action_form.html",
        status=status,
        form=form,
        title=title,
        submit=submit,
        action_url=action_url,
        cancel_url=cancel_url,
        danger=danger,
        subject=subject,
        next=back_to(cancel_url),
        hx_target=hx_target,
    )
    if status == 422 and wants_fragment():
        response.headers["HX-Retarget"] = "#mod-action-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def _run_form(form, page: dict, act):
    """The flow of every moderation form: its page on GET; the page again with 422 when the input
    is invalid or the service refuses (what was typed stays, the refusal is shown on the form);
    otherwise the response ``act(session)`` gives. Other refusals answer their 4xx page."""
    if request.method == "GET":
        return _action_page(form, **page)
    if not form.validate_on_submit():
        return _action_page(form, status=422, **page)
    session = get_session()
    try:
        return act(session)
    except ModerationError as exc:
        if exc.status != 422:
            fail_for(exc)
        session.rollback()
        form.form_errors.append(str(exc.message))
        return _action_page(form, status=422, **page)


def _navigate(message: str, location: str):
    """After moving a thread away from under the page: reload there (htmx) or 303 (plain)."""
    get_session().commit()
    flash(message, "success")
    if wants_fragment():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
        return response
    return redirect_303(location)


@bp.route(
    "/mod/threads/<int:thread_id>/<any(move, rename, merge, split):action>", methods=["GET", "POST"]
)
def thread_form_action(thread_id: int, action: str):
    denied = require_moderator()
    if denied is not None:
        return denied
    thread = get_thread_or_404(thread_id)
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

    def act(session):
        if action == "move":
            threads.move_thread(
                session=session,
                actor=current_user,
                thread=thread,
                theme=session.get(Theme, form.theme.data),
                reason=form.reason.data or "",
            )
            return _navigate(_("The thread is moved."), thread_link(thread))
        if action == "rename":
            threads.rename_thread(
                session=session,
                actor=current_user,
                thread=thread,
                title=form.title.data,
                reason=form.reason.data or "",
            )
            return _navigate(_("The thread is renamed."), thread_link(thread))
        if action == "merge":
            target = session.get(Thread, form.target_id())
            if target is None:
                form.target.errors = [_("There is no thread with that number.")]
                return _action_page(form, status=422, **page)
            threads.merge_thread(
                session=session,
                actor=current_user,
                source=thread,
                target=target,
                reason=form.reason.data,
            )
            return _navigate(_("The threads are merged."), thread_link(target))
        new = threads.split_thread(
            session=session,
            actor=current_user,
            thread=thread,
            post_ids=form.post_ids.data,
            title=form.title.data,
            reason=form.reason.data or "",
        )
        return _navigate(_("The replies are moved to a new thread."), thread_link(new))

    return _run_form(form, page, act)


# --- post actions ---------------------------------------------------------------------------------
def _post_done(post: Post, message: str):
    """Queue: the settled entry; thread page via htmx: the post again; plain: 303 back."""
    session = get_session()
    if request.form.get("context") == "queue":
        return _done(
            message, back_to(url_for("moderation.queue_page")), "moderation/_queue_done.html"
        )
    session.commit()
    thread = session.get(Thread, post.thread_id)
    if wants_fragment() and thread is not None:
        return render(
            "discussions/_post.html",
            "discussions/_post.html",
            message=message,
            **post_context(session=session, viewer=current_user, post=post, thread=thread),
        )
    flash(message, "success")
    return redirect_303(back_to(post_link(post)))


POST_FORMS = {
    "hide": (ReasonForm, _l("Hide the post"), _l("Hide"), True),
    "edit": (EditPostForm, _l("Edit the post as a moderator"), _l("Save"), False),
    "delete": (
        ConfirmedReasonForm,
        _l("Delete the post permanently"),
        _l("Delete permanently"),
        True,
    ),
    "reject": (ReasonForm, _l("Reject the post"), _l("Reject"), True),
}


@bp.route(
    "/mod/posts/<int:post_id>/<any(hide, edit, delete, reject):action>", methods=["GET", "POST"]
)
def post_form_action(post_id: int, action: str):
    denied = require_admin() if action == "delete" else require_moderator()
    if denied is not None:
        return denied
    post = get_post_or_404(post_id)
    form_class, title, submit, danger = POST_FORMS[action]
    form = form_class() if request.method == "POST" else form_class(formdata=None)
    if action == "edit" and request.method == "GET":
        form.body.data = post.body
    session = get_session()
    thread = session.get(Thread, post.thread_id)
    page = dict(
        title=title,
        submit=submit,
        danger=danger,
        subject=thread.title if thread else None,
        action_url=url_for("moderation.post_form_action", post_id=post.id, action=action),
        cancel_url=post_link(post),
        hx_target=f"#post-{post.id}" if action != "delete" else None,
    )

    def act(session):
        if action == "hide":
            service.hide_post(
                session=session, actor=current_user, post=post, reason=form.reason.data
            )
            return _post_done(post, _("The post is hidden."))
        if action == "edit":
            service.moderator_edit_post(
                session=session,
                actor=current_user,
                post=post,
                body=form.body.data,
                reason=form.reason.data,
            )
            return _post_done(post, _("The post is edited."))
        if action == "reject":
            approval.reject_post(
                session=session, actor=current_user, post=post, reason=form.reason.data
            )
            return _post_done(post, _("The post is rejected and stays hidden."))
        first = thread is not None and _is_first(post)
        remaining = service.delete_post_permanently(
            session=session, actor=current_user, post=post, reason=form.reason.data
        )
        if request.form.get("context") == "queue":
            return _done(
                _("The post is deleted permanently."),
                url_for("moderation.queue_page"),
                "moderation/_queue_done.html",
            )
        location = (
            thread_link(session.get(Thread, remaining))
            if remaining and not first
            else url_for("site.home")
        )
        return _navigate(_("The post is deleted permanently."), location)

    return _run_form(form, page, act)


def _is_first(post: Post) -> bool:
    from ..discussions.service import is_first_post

    return is_first_post(session=get_session(), post=post)


@bp.post("/mod/posts/<int:post_id>/<any(restore, approve):action>")
def post_simple_action(post_id: int, action: str):
    denied = require_moderator()
    if denied is not None:
        return denied
    post = get_post_or_404(post_id)
    form = OptionalReasonForm()
    if not form.validate_on_submit():
        fail(422, _("Keep the reason under %(max)d characters.", max=service.REASON_MAX))
    try:
        if action == "restore":
            service.restore_post(
                session=get_session(), actor=current_user, post=post, reason=form.reason.data or ""
            )
            return _post_done(post, _("The post is visible again."))
        approval.approve_post(session=get_session(), actor=current_user, post=post)
        return _post_done(post, _("The post is approved and now public."))
    except ModerationError as exc:
        fail_for(exc)
