"""Replies, permalinks, edits with revisions, deletion, useful marks and solutions.

Each POST answers a plain browser with a 303 to the post's permalink and an htmx request with the
fragment to swap in. Validation errors come back as the filled form with status 422.
"""

from __future__ import annotations

import difflib

from flask import redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import permissions
from ..db import get_session
from ..events import Contributions
from ..web import fail, render, wants_fragment
from . import queries, service
from .forms import ActionForm, EditPostForm, ReplyForm
from .loaders import (
    fail_for,
    get_post_or_404,
    get_thread_or_404,
    mark_posted,
    post_location,
    posting_rate_limit,
    require_participant,
    thread_url,
)
from .models import Post, Thread
from .views import bp, quote_text, thread_context


def _post_context(post: Post, thread: Thread) -> dict:
    return queries.post_context(
        session=get_session(), viewer=current_user, post=post, thread=thread
    )


def _location(post: Post, thread: Thread) -> str:
    return post_location(post, thread, service.page_of_post(session=get_session(), post=post))


#: Where a plain reply to a thread of another kind lands, given by the area that owns the kind
#: (a lesson's discussion is shown below the lesson): provider(*, session, thread) -> {"url": ...}
thread_location = Contributions("thread location")


def _reply_location(post: Post, thread: Thread) -> str:
    """Where a plain reply lands: the first page of a thread shown elsewhere goes back there
    (``/lessons/<id>-<slug>#post-<id>``); otherwise the thread page."""
    page = service.page_of_post(session=get_session(), post=post)
    if page == 1:
        url = thread_location.collect(session=get_session(), thread=thread).get("url")
        if url:
            return f"{url}#post-{post.id}"
    return post_location(post, thread, page)


def _denied_or_none():
    return require_participant()


# --- permalink and single post ------------------------------------------------------------------
@bp.get("/posts/<int:post_id>")
def post_permalink(post_id: int):
    """Plain: redirect to the page that shows the post. htmx: the post itself (cancel an edit)."""
    post, thread = get_post_or_404(post_id)
    if wants_fragment():
        return render(
            "discussions/_post.html",
            "discussions/_post.html",
            **_post_context(post, thread),
        )
    return redirect(_location(post, thread))


# --- reply --------------------------------------------------------------------------------------
def _reply_invalid(thread: Thread, form: ReplyForm):
    if wants_fragment():
        response = render(
            "discussions/_reply_form.html",
            "discussions/_reply_form.html",
            status=422,
            thread=thread,
            form=form,
        )
        response.headers["HX-Retarget"] = "#reply-form"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    session = get_session()
    last_page = queries.thread_view(session=session, thread=thread, viewer=current_user).pages
    return render(
        "discussions/thread.html", status=422, **thread_context(thread, page=last_page, form=form)
    )


@bp.post("/threads/<int:thread_id>/replies")
@posting_rate_limit
def reply(thread_id: int):
    thread = get_thread_or_404(thread_id)
    denied = _denied_or_none()
    if denied is not None:
        return denied
    if thread.locked:
        fail(403, _("This thread is locked: it takes no new replies."))
    form = ReplyForm()
    if not form.validate_on_submit():
        return _reply_invalid(thread, form)
    session = get_session()
    key = form.submission_key.data or None
    created = service.find_submission(session=session, submission_key=key) is None
    try:
        post = service.reply(
            session=session,
            actor=current_user,
            thread=thread,
            body=form.body.data,
            language=form.language.data or None,
            submission_key=key,
        )
        session.commit()
    except service.InvalidContent as error:
        session.rollback()
        form.body.errors = list(form.body.errors) + [str(error.message)]
        return _reply_invalid(thread, form)
    except service.DiscussionError as error:
        session.rollback()
        fail_for(error)
    except IntegrityError:  # a double click that raced the first submit
        session.rollback()
        post, created = service.find_submission(session=session, submission_key=key), False
        if post is None:
            raise
    if created:
        mark_posted()
    if wants_fragment():
        return render(
            "discussions/_reply_result.html",
            "discussions/_reply_result.html",
            form=ReplyForm(formdata=None),
            **_post_context(post, thread),
        )
    return redirect(_reply_location(post, thread), 303)


# --- edit and revisions -------------------------------------------------------------------------
def _edit_allowed(post: Post, thread: Thread) -> None:
    if not permissions.can_edit_post(current_user, post, thread):
        if thread.locked and post.author_id == current_user.id:
            fail(403, _("This thread is locked: its posts can no longer be edited."))
        fail(403, _("You can only edit your own posts."))


def _render_edit(post: Post, thread: Thread, form: EditPostForm, *, status: int = 200):
    context = _post_context(post, thread)
    return render(
        "discussions/edit_post.html",
        "discussions/_edit_form.html",
        status=status,
        form=form,
        **context,
    )


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    post, thread = get_post_or_404(post_id)
    denied = _denied_or_none()
    if denied is not None:
        return denied
    _edit_allowed(post, thread)
    session = get_session()
    is_first = service.is_first_post(session=session, post=post)
    form = EditPostForm(
        prefix=f"edit-{post.id}",
        data={
            "body": post.body,
            "language": post.language,
            "title": thread.title if is_first else "",
        },
    )
    if request.method == "GET":
        return _render_edit(post, thread, form)
    valid = form.validate_on_submit()
    if is_first and not form.title.data:
        form.title.errors = list(form.title.errors) + [_("Give the thread a title.")]
        valid = False
    if not valid:
        return _render_edit(post, thread, form, status=422)
    try:
        service.edit_post(
            session=session,
            actor=current_user,
            post=post,
            body=form.body.data,
            title=form.title.data if is_first else None,
            language=form.language.data,
        )
        session.commit()
    except service.InvalidContent as error:
        session.rollback()
        form.body.errors = list(form.body.errors) + [str(error.message)]
        return _render_edit(post, thread, form, status=422)
    except service.DiscussionError as error:
        session.rollback()
        fail_for(error)
    if wants_fragment():
        return render(
            "discussions/_post.html",
            "discussions/_edit_result.html",
            **_post_context(post, thread),
        )
    return redirect(_location(post, thread), 303)


def readable_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Line by line: ("same"|"removed"|"added", text)."""
    kinds = {"  ": "same", "- ": "removed", "+ ": "added"}
    return [
        (kinds[line[:2]], line[2:])
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line[:2] in kinds
    ]


@bp.get("/posts/<int:post_id>/revisions")
def post_revisions(post_id: int):
    post, thread = get_post_or_404(post_id)
    if not permissions.can_view_revisions(current_user, post):
        if not current_user.is_authenticated:
            return require_participant()
        fail(403, _("Only the author and moderators can see earlier versions."))
    session = get_session()
    revisions = service.revisions_of(session=session, post=post)
    bodies = [r.body for r in revisions] + [post.body]
    titles = [r.title for r in revisions] + [
        thread.title if revisions and revisions[0].title is not None else None
    ]
    written = [post.created_at] + [r.created_at for r in revisions]
    editors = queries.users_by_id(session, [r.edited_by_id for r in revisions] + [post.author_id])
    versions = []
    for index, body in enumerate(bodies):
        previous = bodies[index - 1] if index else ""
        versions.append(
            {
                "number": index + 1,
                "written_at": written[index],
                "editor": editors.get(
                    revisions[index - 1].edited_by_id if index else post.author_id
                ),
                "title": titles[index],
                "title_changed": bool(index and titles[index] != titles[index - 1]),
                "diff": readable_diff(previous, body)
                if index
                else [("same", line) for line in body.splitlines()],
                "current": index == len(bodies) - 1,
            }
        )
    versions.reverse()
    return render(
        "discussions/revisions.html",
        post=post,
        thread=thread,
        versions=versions,
        location=_location(post, thread),
    )


# --- delete, useful, solution -------------------------------------------------------------------
def _action(post_id: int):
    post, thread = get_post_or_404(post_id)
    denied = _denied_or_none()
    if denied is not None:
        return None, None, denied
    form = ActionForm()
    if not form.validate_on_submit():
        fail(400, _("This form is out of date. Reload the page and try again."))
    return post, thread, None


def _commit_action(call):
    """Run one service call and commit; a domain error rolls back and answers its 4xx."""
    session = get_session()
    try:
        result = call(session)
        session.commit()
    except service.DiscussionError as error:
        session.rollback()
        fail_for(error)
    return result


@bp.post("/posts/<int:post_id>/delete")
def delete_post(post_id: int):
    post, thread, denied = _action(post_id)
    if denied is not None:
        return denied
    _commit_action(
        lambda session: service.delete_post(session=session, actor=current_user, post=post)
    )
    if wants_fragment():
        return render(
            "discussions/_post.html",
            "discussions/_post.html",
            **_post_context(post, thread),
        )
    return redirect(_location(post, thread), 303)


@bp.post("/posts/<int:post_id>/useful")
def toggle_useful(post_id: int):
    post, thread, denied = _action(post_id)
    if denied is not None:
        return denied
    session = get_session()
    try:
        marked = service.toggle_useful(session=session, actor=current_user, post=post)
        session.commit()
    except service.DiscussionError as error:
        session.rollback()
        fail_for(error)
    except IntegrityError:  # two clicks raced: the mark exists, which is what the user wanted
        session.rollback()
        session.refresh(post)
        marked = True
    if wants_fragment():
        return render(
            "discussions/_useful.html",
            "discussions/_useful.html",
            post=post,
            thread=thread,
            marked=marked,
        )
    return redirect(_location(post, thread), 303)


@bp.post("/posts/<int:post_id>/solution")
def mark_solution(post_id: int):
    post, thread, denied = _action(post_id)
    if denied is not None:
        return denied
    _commit_action(
        lambda session: service.mark_solution(session=session, actor=current_user, post=post)
    )
    return redirect(thread_url(thread) + "#solution", 303)


@bp.post("/threads/<int:thread_id>/solution/remove")
def unmark_solution(thread_id: int):
    thread = get_thread_or_404(thread_id)
    denied = _denied_or_none()
    if denied is not None:
        return denied
    if not ActionForm().validate_on_submit():
        fail(400, _("This form is out of date. Reload the page and try again."))
    _commit_action(
        lambda session: service.unmark_solution(session=session, actor=current_user, thread=thread)
    )
    return redirect(thread_url(thread), 303)


# --- quote --------------------------------------------------------------------------------------
@bp.get("/posts/<int:post_id>/quote")
def quote_into_reply(post_id: int):
    """Plain: the thread's last page with the quote in the reply box. htmx: that reply form only,
    keeping what was already typed (sent along with ``hx-include``)."""
    post, thread = get_post_or_404(post_id)
    if not post.is_visible:
        fail(404, _("This post does not exist or has been removed."))
    session = get_session()
    if not wants_fragment():
        last_page = queries.thread_view(session=session, thread=thread, viewer=current_user).pages
        params = {"page": last_page} if last_page > 1 else {}
        return redirect(thread_url(thread, quote=post.id, **params) + "#reply")
    if not permissions.can_reply(current_user, thread):
        fail(403, _("You cannot reply in this thread."))
    form = ReplyForm(formdata=None)
    typed = request.args.get("reply-body", "")[: service.BODY_MAX]
    author = queries.users_by_id(session, [post.author_id]).get(post.author_id)

    form.body.data = (typed.rstrip() + "\n\n" if typed.strip() else "") + quote_text(post, author)
    if request.args.get("reply-language") in ("sv", "en"):
        form.language.data = request.args["reply-language"]
    key = request.args.get("reply-submission_key", "")
    if 16 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum():
        form.submission_key.data = key
    return render(
        "discussions/_reply_form.html", "discussions/_reply_form.html", thread=thread, form=form
    )
