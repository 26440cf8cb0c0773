"""What the moderation views share: access checks and loaders that 404/403 in one place."""

from __future__ import annotations

from flask import current_app, redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import permissions
from ..accounts.models import User
from ..db import get_session
from ..discussions.models import Post, Thread
from ..web import fail, is_safe_redirect
from .errors import ModerationError
from .models import Report, UserWarning


def require_moderator():
    """Anonymous: the login flow; members (also replaying a form by hand): 403."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not permissions.can_moderate(current_user):
        fail(403, _("Only moderators can do that."))
    return None


def require_admin():
    denied = require_moderator()
    if denied is None and not permissions.can_delete_permanently(current_user):
        fail(403, _("Only administrators can do that."))
    return denied


def require_member():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def get_thread_or_404(thread_id: int) -> Thread:
    thread = get_session().get(Thread, thread_id)
    if thread is None:
        fail(404, _("This thread does not exist or has been removed."))
    return thread


def get_post_or_404(post_id: int) -> Post:
    post = get_session().get(Post, post_id)
    if post is None:
        fail(404, _("This post does not exist or has been removed."))
    return post


def get_user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        fail(404, _("There is no such user."))
    return user


def get_report_or_404(report_id: int) -> Report:
    report = get_session().get(Report, report_id)
    if report is None:
        fail(404, _("There is no such report."))
    return report


def get_warning_or_404(warning_id: int) -> UserWarning:
    warning = get_session().get(UserWarning, warning_id)
    if warning is None or not current_user.is_authenticated or warning.user_id != current_user.id:
        fail(404, _("There is no such warning."))
    return warning


def fail_for(error: ModerationError):
    get_session().rollback()
    fail(error.status, str(error.message))


def back_to(default: str) -> str:
    """The ``next`` field or parameter when it is a local path, else ``default``."""
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_redirect(target) else default


ACTION_LABELS = {
    "report.file": _l("Report filed"),
    "report.withdraw": _l("Report withdrawn"),
    "report.dismiss": _l("Reports dismissed"),
    "report.resolve": _l("Reports resolved"),
    "post.hide": _l("Post hidden"),
    "post.restore": _l("Post restored"),
    "post.edit": _l("Post edited"),
    "post.delete": _l("Post deleted permanently"),
    "post.hold": _l("Post held for approval"),
    "post.approve": _l("Post approved"),
    "post.reject": _l("Post rejected"),
    "lesson.hide": _l("Lesson hidden"),
    "lesson.restore": _l("Lesson restored"),
    "project.hide": _l("Project hidden"),
    "project.restore": _l("Project restored"),
    "thread.pin": _l("Thread pinned"),
    "thread.unpin": _l("Thread unpinned"),
    "thread.feature": _l("Thread featured on the home page"),
    "thread.unfeature": _l("Thread no longer featured"),
    "thread.lock": _l("Thread locked"),
    "thread.unlock": _l("Thread unlocked"),
    "thread.move": _l("Thread moved"),
    "thread.rename": _l("Thread renamed"),
    "thread.merge": _l("Thread merged"),
    "thread.split": _l("Thread split"),
    "user.warn": _l("User warned"),
    "user.acknowledge_warning": _l("Warning acknowledged"),
    "user.suspend": _l("User suspended"),
    "user.lift_suspension": _l("Suspension lifted"),
    "user.note": _l("Note added"),
    "user.role": _l("Role changed"),
}

ITEM_TYPE_LABELS = {
    "post": _l("Post"),
    "lesson": _l("Lesson"),
    "project": _l("Project"),
    "thread": _l("Thread"),
    "user": _l("User"),
}


def redirect_303(location: str):
    return redirect(location, code=303)
