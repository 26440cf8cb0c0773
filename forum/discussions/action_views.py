"""One-button actions on a post or thread: delete, mark useful, choose or drop the solution.

The service refuses what the user may not do (a 403 with its message through the domain error
handler); the views load, check the form is current, call it and finish.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..db import get_session
from ..permissions import PARTICIPANT
from ..web import fail, finish, requires
from . import service
from .forms import ActionForm
from .loaders import load_visible_post, load_visible_thread
from .models import Post, Thread
from .post_views import place_of, post_fragment_context
from .presentation import thread_url
from .views import bp


def _require_current_form() -> None:
    if not ActionForm().validate_on_submit():
        fail(400, _("This form is out of date. Reload the page and try again."))


@bp.post("/posts/<int:post_id>/delete")
@requires(PARTICIPANT, load=load_visible_post)
def delete_post(post_id: int, post: Post, thread: Thread):
    _require_current_form()
    service.delete_post(session=get_session(), actor=current_user, post=post)
    return finish(
        place_of(post, thread),
        fragment="discussions/_post.html",
        **post_fragment_context(post, thread),
    )


@bp.post("/posts/<int:post_id>/useful")
@requires(PARTICIPANT, load=load_visible_post)
def toggle_useful(post_id: int, post: Post, thread: Thread):
    _require_current_form()
    session = get_session()
    try:
        marked = service.toggle_useful(session=session, actor=current_user, post=post)
    except IntegrityError:  # two clicks raced: the mark exists, which is what the user wanted
        session.rollback()
        session.refresh(post)
        marked = True
    return finish(
        place_of(post, thread),
        fragment="discussions/_useful.html",
        post=post,
        thread=thread,
        marked=marked,
    )


@bp.post("/posts/<int:post_id>/solution")
@requires(PARTICIPANT, load=load_visible_post)
def mark_solution(post_id: int, post: Post, thread: Thread):
    _require_current_form()
    service.mark_solution(session=get_session(), actor=current_user, post=post)
    return finish(thread_url(thread) + "#solution")


@bp.post("/threads/<int:thread_id>/solution/remove")
@requires(PARTICIPANT, load=load_visible_thread)
def unmark_solution(thread_id: int, thread: Thread):
    _require_current_form()
    service.unmark_solution(session=get_session(), actor=current_user, thread=thread)
    return finish(thread_url(thread))
