"""What the discussion views share: loaders that 404/403 in one place, paging, rate limits, URLs."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlmodel import select

from .. import permissions
from ..accounts.models import User
from ..core.models import Theme
from ..db import get_session
from ..extensions import limiter
from ..i18n import utcnow
from ..web import fail, page_arg  # noqa: F401  (page_arg: used by the views through this module)
from .errors import DiscussionError
from .models import Post, Thread

# "N per minute;M per hour" strings of flask-limiter; new accounts (younger than a day) get the
# strict one.
DEFAULT_POST_LIMIT = "8 per minute;60 per hour"
DEFAULT_NEW_ACCOUNT_POST_LIMIT = "2 per minute;10 per hour"
NEW_ACCOUNT_AGE = timedelta(days=1)


def get_theme_or_404(slug: str) -> Theme:
    theme = get_session().exec(select(Theme).where(Theme.slug == slug)).first()
    if theme is None:
        fail(404, _("There is no theme with that name."))
    return theme


def get_thread_or_404(thread_id: int) -> Thread:
    thread = get_session().get(Thread, thread_id)
    if thread is None or not permissions.can_view_thread(current_user, thread):
        fail(404, _("This thread does not exist or has been removed."))
    return thread


def get_post_or_404(post_id: int) -> tuple[Post, Thread]:
    post = get_session().get(Post, post_id)
    if post is None:
        fail(404, _("This post does not exist or has been removed."))
    thread = get_session().get(Thread, post.thread_id)
    if thread is None or not permissions.can_view_thread(current_user, thread):
        fail(404, _("This post does not exist or has been removed."))
    return post, thread


def require_participant():
    """Anonymous: the login flow (or 401); logged in but unconfirmed or suspended: 403."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not permissions.can_participate(current_user):
        if permissions.is_suspended(current_user):
            fail(403, _("Your account is suspended: you cannot post right now."))
        fail(403, _("Confirm your e-mail address before you take part in discussions."))
    return None


def fail_for(error: DiscussionError):
    fail(error.status, str(error.message))


# --- rate limit ---------------------------------------------------------------------------------
def posting_limit() -> str:
    created = getattr(current_user, "created_at", None)
    if created is not None and utcnow() - created < NEW_ACCOUNT_AGE:
        return current_app.config.get(
            "DISCUSSIONS_NEW_ACCOUNT_POST_LIMIT", DEFAULT_NEW_ACCOUNT_POST_LIMIT
        )
    return current_app.config.get("DISCUSSIONS_POST_LIMIT", DEFAULT_POST_LIMIT)


def posting_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


def mark_posted() -> None:
    """Only a request that really created a post counts against the posting limit."""
    g.discussions_posted = True


posting_rate_limit = limiter.shared_limit(
    posting_limit,
    scope="discussions-posting",
    key_func=posting_key,
    methods=["POST"],
    deduct_when=lambda response: bool(g.get("discussions_posted")),
)


# --- URLs and labels for templates --------------------------------------------------------------
def thread_url(thread: Thread, **params) -> str:
    return url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug, **params)


def post_url(post: Post) -> str:
    return url_for("discussions.post_permalink", post_id=post.id)


def post_location(post: Post, thread: Thread, page: int) -> str:
    """The thread page that shows ``post``, with its anchor."""
    params = {"page": page} if page > 1 else {}
    return thread_url(thread, **params) + f"#post-{post.id}"


def is_deleted_user(user: User | None) -> bool:
    return user is None or user.deleted_at is not None


def language_name(code: str | None) -> str:
    return {"sv": _("Swedish"), "en": _("English")}.get(code or "", code or "")


TEMPLATE_HELPERS = {
    "thread_url": thread_url,
    "post_url": post_url,
    "is_deleted_user": is_deleted_user,
    "language_name": language_name,
}
