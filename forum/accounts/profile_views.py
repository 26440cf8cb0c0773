"""Public profiles (``/u/<id>-<slug>``) and the user administration (``/admin/users``, admins
only)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from .. import permissions
from ..db import get_session
from ..discussions.models import Post, Thread
from ..lessons.models import Lesson, LessonStatus
from ..web import fail, page_arg, render
from . import service
from .forms import ROLE_LABELS, RoleForm
from .models import Role, User
from .urls import profile_path, user_slug
from .views import bp, me, see_other

PROFILE_ITEMS = 20
USERS_PER_PAGE = 50


def get_user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user


@bp.get("/u/<int:user_id>")
@bp.get("/u/<int:user_id>-<slug>")
def profile(user_id: int, slug: str | None = None):
    user = get_user_or_404(user_id)
    if slug != user_slug(user):
        return redirect(profile_path(user), code=301)
    db = get_session()
    visible_threads = select(Thread).where(
        Thread.author_id == user.id, Thread.hidden_at.is_(None), Thread.kind == "discussion"
    )
    threads = db.exec(visible_threads.order_by(Thread.created_at.desc()).limit(PROFILE_ITEMS)).all()
    posts = db.exec(
        select(Post, Thread)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Post.author_id == user.id,
            Post.deleted_at.is_(None),
            Post.hidden_at.is_(None),
            Thread.hidden_at.is_(None),
        )
        .order_by(Post.created_at.desc())
        .limit(PROFILE_ITEMS)
    ).all()
    lessons = db.exec(
        select(Lesson)
        .where(
            Lesson.author_id == user.id,
            Lesson.status == LessonStatus.published,
            Lesson.hidden_at.is_(None),
        )
        .order_by(Lesson.published_at.desc())
        .limit(PROFILE_ITEMS)
    ).all()
    return render(
        "accounts/profile.html",
        "accounts/_profile.html",
        user=user,
        threads=threads,
        posts=posts,
        lessons=lessons,
    )


# --- user administration -----------------------------------------------------------------------


def _require_admin() -> None:
    if not permissions.can_manage_users(current_user):
        fail(403, _("Only administrators can manage users."))


@bp.get("/admin/users")
@login_required
def admin_users():
    _require_admin()
    query = request.args.get("q", "").strip()[:100]
    page = page_arg()
    users, total = service.search_users(
        session=get_session(),
        actor=me(),
        query=query,
        limit=USERS_PER_PAGE,
        offset=(page - 1) * USERS_PER_PAGE,
    )
    pages = max((total + USERS_PER_PAGE - 1) // USERS_PER_PAGE, 1)
    return render(
        "accounts/admin_users.html",
        "accounts/_admin_users_table.html",
        users=users,
        total=total,
        query=query,
        page_number=page,
        pages=pages,
        roles=ROLE_LABELS,
    )


def _role_target(user_id: int) -> tuple[User, RoleForm]:
    _require_admin()
    user = get_user_or_404(user_id)
    if not permissions.can_change_role(me(), user):
        fail(403, _("You cannot change your own role."))
    return user, RoleForm()


@bp.get("/admin/users/<int:user_id>/role")
@login_required
def admin_user_role(user_id: int):
    """The confirmation step: "Make X a moderator?" with a POST button."""
    user, form = _role_target(user_id)
    wanted = request.args.get("role", "")
    if wanted not in ROLE_LABELS:
        fail(400, _("Choose one of the roles."))
    form.role.data = wanted
    return render(
        "accounts/admin_role.html",
        "accounts/_admin_role_form.html",
        user=user,
        form=form,
        wanted=wanted,
    )


@bp.post("/admin/users/<int:user_id>/role")
@login_required
def admin_user_role_post(user_id: int):
    user, form = _role_target(user_id)
    if not form.validate_on_submit():
        fail(400, _("Choose one of the roles."))
    try:
        service.set_role(session=get_session(), actor=me(), user=user, role=Role(form.role.data))
    except service.AccountError as error:
        fail(error.status, str(error.message))
    get_session().commit()
    flash(
        _("%(name)s is now: %(role)s.", name=user.display_name, role=ROLE_LABELS[user.role.value]),
        "success",
    )
    return see_other(url_for("accounts.admin_users", q=request.args.get("q") or None))
