"""Permalinks, replies, quotes, edits and the revisions of a post.

Each POST answers a plain browser with a 303 to the post's place in its thread and an htmx
request with the fragment to swap in. Validation errors come back as the filled form with 422.
"""

from __future__ import annotations

import difflib

from flask import redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import permissions
from ..db import get_session
from ..permissions import PARTICIPANT, Rule
from ..web import announce, fail, finish, render, requires, show_on_form, wants_fragment
from . import queries, service
from .contributions import thread_location
from .errors import InvalidContent
from .forms import EditPostForm, ReplyForm
from .limits import posting_rate_limit
from .loaders import load_visible_post, load_visible_thread
from .models import Post, Thread
from .presentation import post_location, thread_url
from .views import bp, quote_text, submitted_once, thread_context


def _not_locked_for_author(user, post: Post, thread: Thread) -> bool:
    """An author who may no longer edit because the thread is locked is told so."""
    return permissions.can_edit_post(user, post, thread) or not (
        thread.locked and post.author_id == user.id
    )


MAY_EDIT = (
    Rule(
        _not_locked_for_author,
        _l("This thread is locked: its posts can no longer be edited."),
        on=("post", "thread"),
    ),
    Rule(permissions.can_edit_post, _l("You can only edit your own posts."), on=("post", "thread")),
)
MAY_SEE_REVISIONS = Rule(
    permissions.can_view_revisions,
    _l("Only the author and moderators can see earlier versions."),
    on=("post",),
)


def post_fragment_context(post: Post, thread: Thread) -> dict:
    """What ``discussions/_post.html`` needs to show ``post`` on its own."""
    return queries.post_context(
        session=get_session(), viewer=current_user, post=post, thread=thread
    )


def place_of(post: Post, thread: Thread) -> str:
    """The thread page that shows ``post``, with its anchor."""
    return post_location(post, thread, service.page_of_post(session=get_session(), post=post))


def _reply_location(post: Post, thread: Thread) -> str:
    """Where a plain reply lands: the first page of a thread shown elsewhere goes back there
    (``/lessons/<id>-<slug>#post-<id>``); otherwise the thread page."""
    page = service.page_of_post(session=get_session(), post=post)
    if page == 1:
        url = thread_location.collect(session=get_session(), thread=thread).get("url")
        if url:
            return f"{url}#post-{post.id}"
    return post_location(post, thread, page)


# --- permalink and single post ------------------------------------------------------------------
@bp.get("/posts/<int:post_id>")
@requires(load=load_visible_post)
def post_permalink(post_id: int, post: Post, thread: Thread):
    """Plain: redirect to the page that shows the post. htmx: the post itself (cancel an edit)."""
    if wants_fragment():
        return render("discussions/_post.html", **post_fragment_context(post, thread))
    return redirect(place_of(post, thread))


@bp.get("/threads/<int:thread_id>-<slug>/<int:number>")
@bp.get("/threads/<int:thread_id>/<int:number>")
@requires(load=lambda thread_id, **_: load_visible_thread(thread_id))
def numbered_post(thread_id: int, number: int, thread: Thread, slug: str | None = None):
    """A post by its number in the thread ("#3"), as Discourse's /t/slug/id/3: the page showing
    it. Not permanent (302): moving or erasing earlier posts renumbers; /posts/<id> never does."""
    post = queries.post_at(session=get_session(), thread=thread, number=number)
    if post is None:
        fail(404, _("This thread has no post number %(number)d.", number=number))
    return redirect(place_of(post, thread))


# --- reply --------------------------------------------------------------------------------------
def _reply_invalid(thread: Thread, form: ReplyForm):
    if wants_fragment():
        response = render("discussions/_reply_form.html", status=422, thread=thread, form=form)
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
@requires(PARTICIPANT, load=load_visible_thread)
def reply(thread_id: int, thread: Thread):
    form = ReplyForm()
    if not form.validate_on_submit():
        return _reply_invalid(thread, form)
    try:
        post = submitted_once(
            lambda: service.reply(
                session=get_session(),
                actor=current_user,
                thread=thread,
                body=form.body.data,
                language=form.language.data or None,
                submission_key=form.submission_key.data or None,
            )
        )
    except InvalidContent as error:
        show_on_form(form, error)
        return _reply_invalid(thread, form)
    response = finish(
        _reply_location(post, thread),
        fragment="discussions/_reply_result.html",
        form=ReplyForm(formdata=None),
        **post_fragment_context(post, thread),
    )
    return announce(response, _("Your reply was posted."))


# --- edit and revisions -------------------------------------------------------------------------
def _render_edit(post: Post, thread: Thread, form: EditPostForm, *, status: int = 200):
    return render(
        "discussions/edit_post.html",
        "discussions/_edit_form.html",
        status=status,
        form=form,
        **post_fragment_context(post, thread),
    )


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    # A post that does not exist is not found, for a visitor who is not logged in as well.
    load_visible_post(post_id)
    return _edit_visible_post(post_id=post_id)


@requires(PARTICIPANT, MAY_EDIT, load=load_visible_post)
def _edit_visible_post(post_id: int, post: Post, thread: Thread):
    is_first = service.is_first_post(session=get_session(), post=post)
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
            session=get_session(),
            actor=current_user,
            post=post,
            body=form.body.data,
            title=form.title.data if is_first else None,
            language=form.language.data,
        )
    except InvalidContent as error:
        show_on_form(form, error)
        return _render_edit(post, thread, form, status=422)
    return finish(
        place_of(post, thread),
        fragment="discussions/_edit_result.html",
        **post_fragment_context(post, thread),
    )


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
    # A post that does not exist is not found, for a visitor who is not logged in as well.
    load_visible_post(post_id)
    return _revisions_of_visible_post(post_id=post_id)


@requires(MAY_SEE_REVISIONS, load=load_visible_post)
def _revisions_of_visible_post(post_id: int, post: Post, thread: Thread):
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
        number=queries.post_number(session=get_session(), post=post),
        location=place_of(post, thread),
    )


# --- quote --------------------------------------------------------------------------------------
@bp.get("/posts/<int:post_id>/quote")
@requires(load=load_visible_post)
def quote_into_reply(post_id: int, post: Post, thread: Thread):
    """Plain: the thread's last page with the quote in the reply box. htmx: that reply form only,
    keeping what was already typed (sent along with ``hx-include``)."""
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
    return render("discussions/_reply_form.html", thread=thread, form=form)
