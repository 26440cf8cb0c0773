"""What the discussion views are about, loaded in one place: a missing or invisible one is a 404.

``load_visible_thread`` and ``load_visible_post`` are the loaders of ``forum.web.requires``: they
return the objects by name and check that the current user may see the thread (a hidden thread
is visible to moderators and to its author only).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from .. import permissions
from ..core import queries as core_queries
from ..core.models import Theme
from ..db import get_session
from ..web import fail
from .models import Post, Thread


def get_theme_or_404(slug: str) -> Theme:
    theme = core_queries.theme_by_slug(get_session(), slug)
    if theme is None:
        fail(404, _("There is no theme with that name."))
    return theme


def load_visible_thread(thread_id: int) -> dict:
    """``{"thread": ...}`` when the thread exists and the current user may see it."""
    thread = get_session().get(Thread, thread_id)
    if thread is None or not permissions.can_view_thread(current_user, thread):
        fail(404, _("This thread does not exist or has been removed."))
    return {"thread": thread}


def load_visible_post(post_id: int) -> dict:
    """``{"post": ..., "thread": ...}`` when the post exists in a thread the user may see.

    The post itself may be hidden or deleted: the templates show what is left of it.
    """
    post = get_session().get(Post, post_id)
    thread = get_session().get(Thread, post.thread_id) if post is not None else None
    if thread is None or not permissions.can_view_thread(current_user, thread):
        fail(404, _("This post does not exist or has been removed."))
    return {"post": post, "thread": thread}
