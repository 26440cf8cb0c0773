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
from ..web import fail, redirect_target
from .models import Report, UserWarning


def _found_or_404(model, key: int, message: str):
    row = get_session().get(model, key)
    if row is None:
        fail(404, message)
    return row


def any_thread_or_404(thread_id: int) -> Thread:
    """The thread, hidden or not."""
    return _found_or_404(Thread, thread_id, _("This thread does not exist or has been removed."))


def any_post_or_404(post_id: int) -> Post:
    """The post, hidden or not."""
    return _found_or_404(Post, post_id, _("This post does not exist or has been removed."))


def user_or_404(user_id: int) -> User:
    return _found_or_404(User, user_id, _("There is no such user."))


def report_or_404(report_id: int) -> Report:
    return _found_or_404(Report, report_id, _("There is no such report."))


def own_warning_or_404(warning_id: int) -> UserWarning:
    """A warning given to the current user; anybody else's is a 404."""
    warning = get_session().get(UserWarning, warning_id)
    if warning is None or not current_user.is_authenticated or warning.user_id != current_user.id:
        fail(404, _("There is no such warning."))
    return warning


def back_to(default: str) -> str:
    """The ``next`` field or parameter when it is a local path, else ``default``."""
    return redirect_target(request.form.get("next") or request.args.get("next")) or default


def thread_link(thread: Thread) -> str:
    return url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug)


def post_link(post: Post) -> str:
    return url_for("discussions.post_permalink", post_id=post.id)
