"""What the moderation views load: objects by id (404 when missing) and where to go afterwards.

Moderators act on hidden content too, so these loaders find any thread or post, hidden or not;
the views check the moderator rule before loading, so an address tells a member nothing about
what exists.
"""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..db import get_session
from ..discussions.models import Post, Thread
from ..web import fail, is_safe_redirect
from .models import Report, UserWarning


def any_thread_or_404(thread_id: int) -> Thread:
    """The thread, hidden or not."""
    thread = get_session().get(Thread, thread_id)
    if thread is None:
        fail(404, _("This thread does not exist or has been removed."))
    return thread


def any_post_or_404(post_id: int) -> Post:
    """The post, hidden or not."""
    post = get_session().get(Post, post_id)
    if post is None:
        fail(404, _("This post does not exist or has been removed."))
    return post


def user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        fail(404, _("There is no such user."))
    return user


def report_or_404(report_id: int) -> Report:
    report = get_session().get(Report, report_id)
    if report is None:
        fail(404, _("There is no such report."))
    return report


def own_warning_or_404(warning_id: int) -> UserWarning:
    """A warning given to the current user; anybody else's is a 404."""
    warning = get_session().get(UserWarning, warning_id)
    if warning is None or not current_user.is_authenticated or warning.user_id != current_user.id:
        fail(404, _("There is no such warning."))
    return warning


def back_to(default: str) -> str:
    """The ``next`` field or parameter when it is a local path, else ``default``."""
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_redirect(target) else default


def thread_link(thread: Thread) -> str:
    return url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug)


def post_link(post: Post) -> str:
    return url_for("discussions.post_permalink", post_id=post.id)
