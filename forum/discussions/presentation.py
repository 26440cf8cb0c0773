"""How discussions appear in templates: the addresses of threads and posts, names and labels."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from .. import permissions
from ..accounts.models import User
from ..i18n import current_language
from ..markup import text_of
from ..web.fragments import digest
from .models import Post, Thread


def thread_url(thread: Thread, **params) -> str:
    return url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug, **params)


def post_url(post: Post) -> str:
    return url_for("discussions.post_permalink", post_id=post.id)


def post_location(post: Post, thread: Thread, page: int) -> str:
    """The thread page that shows ``post``, with its anchor."""
    params = {"page": page} if page > 1 else {}
    return thread_url(thread, **params) + f"#post-{post.id}"


def post_excerpt(post: Post, limit: int = 240) -> Markup:
    """The beginning of a post's text on one line (its rendered HTML without the tags)."""
    return Markup(text_of(post.body_html or "", limit))  # noqa: S704 (every tag removed)


def is_deleted_user(user: User | None) -> bool:
    return user is None or user.deleted_at is not None


def language_name(code: str | None) -> str:
    return {"sv": _("Swedish"), "en": _("English")}.get(code or "", code or "")


def post_fragment_key(
    post: Post, author: User | None, *, is_solution: bool, ago: str, number: int
) -> tuple:
    """Everything the cached part of a post shows: its header, notices and body (the per-viewer
    footer is rendered outside). ``ago`` is the relative date as the reader sees it now,
    ``number`` the post's place in its thread (moving earlier posts changes it)."""
    return (
        "post",
        post.id,
        number,
        digest(post.body_html),
        post.language,
        post.created_at,
        post.edited_at,
        post.deleted_at is not None,
        (post.hidden_at is not None, post.hidden_by_id, post.hidden_reason),
        is_solution,
        _shown_author(author),
        current_language(),
        ago,
    )


def _shown_author(author: User | None) -> tuple | None:
    if is_deleted_user(author):
        return None
    return (
        author.id,
        author.display_name,
        author.organisation,
        author.actor_type,
        author.role,
        author.picture_key,
    )


def thread_row_key(
    thread: Thread, author: User | None, theme, goals, *, ago: str, last_poster: User | None = None
) -> tuple:
    """Everything a row of a thread list shows (``_thread_row.html``), for the fragment cache."""
    return (
        "thread-row",
        thread.id,
        thread.title,
        thread.slug,
        thread.language,
        thread.pinned,
        thread.featured,
        thread.locked,
        thread.solution_post_id,
        thread.reply_count,
        thread.last_post_at,
        _shown_author(author),
        _shown_author(last_poster),
        (theme.id, theme.slug, theme.name_sv, theme.name_en) if theme else None,
        tuple(goal.id for goal in goals or ()),
        current_language(),
        ago,
    )


def viewer_rights(viewer, thread: Thread) -> tuple:
    """What ``viewer`` may do in ``thread`` whatever the post: the same for every post of a page,
    so a thread page works it out once (``_post_list.html``) for all its footers."""
    return (
        permissions.can_reply(viewer, thread),
        permissions.can_mark_solution(viewer, thread),
        permissions.can_report(viewer),
        permissions.can_moderate(viewer),
        permissions.can_delete_permanently(viewer),
    )


def post_footer_key(
    post: Post,
    thread: Thread,
    viewer,
    *,
    is_first: bool,
    is_solution: bool,
    marked: bool,
    open_report_id: int | None,
    rights: tuple | None = None,
) -> tuple:
    """Every input of the controls below a post (``_post_article.html``'s footer) for ``viewer``:
    what they may do with the post, their own marks, its state, the language. A new input of the
    footer belongs here. ``rights``: ``viewer_rights(viewer, thread)`` when the caller has it."""
    signed_in = bool(getattr(viewer, "is_authenticated", False))
    return (
        "post-footer",
        post.id,
        thread.id,
        current_language(),
        is_first,
        is_solution,
        marked,
        post.useful_count,
        post.is_visible,
        post.edited_at is not None,
        post.author_id,
        post.deleted_at is not None,
        (post.hidden_at is not None, post.hidden_by_id, post.hidden_reason),
        signed_in and post.author_id == viewer.id,
        permissions.can_mark_useful(viewer, post),
        permissions.can_edit_post(viewer, post, thread),
        permissions.can_view_revisions(viewer, post),
        permissions.can_delete_post(viewer, post, thread),
        rights if rights is not None else viewer_rights(viewer, thread),
        open_report_id,
    )


TEMPLATE_HELPERS = {
    "post_footer_key": post_footer_key,
    "viewer_rights": viewer_rights,
    "thread_row_key": thread_row_key,
    "post_fragment_key": post_fragment_key,
    "thread_url": thread_url,
    "post_url": post_url,
    "post_excerpt": post_excerpt,
    "is_deleted_user": is_deleted_user,
    "language_name": language_name,
}
