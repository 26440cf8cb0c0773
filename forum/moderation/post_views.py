"""Moderating a post from the thread page or the queue: hide, edit, reject and delete through
their forms; restore and approve at once.

From the queue the settled entry comes back; on the thread page htmx gets the post again, a
plain browser a 303 back to it.
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..db import get_session
from ..discussions.models import Post, Thread
from ..discussions.queries import post_context
from ..permissions import ADMIN, MODERATOR
from ..web import finish, requires, wants_fragment
from . import approval, posts
from .action_flow import from_queue, optional_reason, run_form, settled_in_queue
from .forms import ConfirmedReasonForm, EditPostForm, ReasonForm
from .loaders import any_post_or_404, back_to, post_link, thread_link
from .views import bp


def _post_done(post: Post, message: str):
    """Queue: the settled entry; thread page via htmx: the post again; plain: 303 back."""
    if from_queue():
        return settled_in_queue(message)
    context = {}
    if wants_fragment():
        session = get_session()
        thread = session.get(Thread, post.thread_id)
        context = post_context(session=session, viewer=current_user, post=post, thread=thread)
    return finish(
        back_to(post_link(post)), message=message, fragment="discussions/_post.html", **context
    )


POST_FORMS = {
    "hide": (ReasonForm, _l("Hide the post"), _l("Hide")),
    "edit": (EditPostForm, _l("Edit the post as a moderator"), _l("Save")),
    "reject": (ReasonForm, _l("Reject the post"), _l("Reject")),
}


def _page(post: Post, *, title, submit, danger: bool, action_url: str, hx_target) -> dict:
    thread = get_session().get(Thread, post.thread_id)
    return dict(
        title=title,
        submit=submit,
        danger=danger,
        subject=thread.title if thread else None,
        action_url=action_url,
        cancel_url=post_link(post),
        hx_target=hx_target,
    )


@bp.route("/mod/posts/<int:post_id>/<any(hide, edit, reject):action>", methods=["GET", "POST"])
@requires(MODERATOR)
def post_form_action(post_id: int, action: str):
    post = any_post_or_404(post_id)
    form_class, title, submit = POST_FORMS[action]
    form = form_class() if request.method == "POST" else form_class(formdata=None)
    if action == "edit" and request.method == "GET":
        form.body.data = post.body
    page = _page(
        post,
        title=title,
        submit=submit,
        danger=action != "edit",
        action_url=url_for("moderation.post_form_action", post_id=post.id, action=action),
        hx_target=f"#post-{post.id}",
    )

    def act(session):
        if action == "hide":
            posts.hide_post(session=session, actor=current_user, post=post, reason=form.reason.data)
            return _post_done(post, _("The post is hidden."))
        if action == "edit":
            posts.moderator_edit_post(
                session=session,
                actor=current_user,
                post=post,
                body=form.body.data,
                reason=form.reason.data,
            )
            return _post_done(post, _("The post is edited."))
        approval.reject_post(
            session=session, actor=current_user, post=post, reason=form.reason.data
        )
        return _post_done(post, _("The post is rejected and stays hidden."))

    return run_form(form, page, act)


@bp.route("/mod/posts/<int:post_id>/delete", methods=["GET", "POST"])
@requires(ADMIN)
def post_delete(post_id: int):
    post = any_post_or_404(post_id)
    form = ConfirmedReasonForm() if request.method == "POST" else ConfirmedReasonForm(formdata=None)
    page = _page(
        post,
        title=_l("Delete the post permanently"),
        submit=_l("Delete permanently"),
        danger=True,
        action_url=url_for("moderation.post_delete", post_id=post.id),
        hx_target=None,
    )

    def act(session):
        remaining = posts.delete_post_permanently(
            session=session, actor=current_user, post=post, reason=form.reason.data
        )
        message = _("The post is deleted permanently.")
        if from_queue():
            return settled_in_queue(message, url_for("moderation.queue_page"))
        # The post (or its whole thread) is gone from under the page: htmx reloads elsewhere.
        if remaining is None:
            return finish(url_for("site.home"), message=message, hx_status=200)
        return finish(thread_link(session.get(Thread, remaining)), message=message, hx_status=200)

    return run_form(form, page, act)


@bp.post("/mod/posts/<int:post_id>/<any(restore, approve):action>")
@requires(MODERATOR)
def post_simple_action(post_id: int, action: str):
    post = any_post_or_404(post_id)
    reason = optional_reason()
    if action == "restore":
        posts.restore_post(session=get_session(), actor=current_user, post=post, reason=reason)
        return _post_done(post, _("The post is visible again."))
    approval.approve_post(session=get_session(), actor=current_user, post=post)
    return _post_done(post, _("The post is approved and now public."))
