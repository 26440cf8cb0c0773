"""Public profiles (``/u/<id>-<slug>``) and the user administration (``/admin/users``, admins
only)."""

from __future__ import annotations

from flask import abort, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import permissions
from ..db import get_session
from ..permissions import Rule
from ..web import fail, finish, page_arg, render, requires
from ..web.security import public_file
from . import roles
from .contributions import profile_page
from .forms import RoleForm
from .labels import ROLE_LABELS
from .models import MemberPicture, Role, User
from .urls import profile_path, user_slug
from .views import bp, me

USERS_PER_PAGE = 50
PICTURE_MAX_AGE = 365 * 24 * 3600

MANAGES_USERS = Rule(permissions.can_manage_users, _l("Only administrators can manage users."))
MAY_CHANGE_ROLE = Rule(
    permissions.can_change_role, _l("You cannot change your own role."), on=("user",)
)


def get_user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user


def load_user(user_id: int) -> dict:
    return {"user": get_user_or_404(user_id)}


@bp.get("/u/<int:user_id>")
@bp.get("/u/<int:user_id>-<slug>")
def profile(user_id: int, slug: str | None = None):
    user = get_user_or_404(user_id)
    if slug != user_slug(user):
        return redirect(profile_path(user), code=301)
    return render(
        "accounts/profile.html",
        "accounts/_profile.html",
        user=user,
        **profile_page.collect(session=get_session(), user=user),
    )


@bp.get("/u/<int:user_id>/picture-<key>-<any(large, small):size>.webp")
@public_file
def picture(user_id: int, key: str, size: str):
    """A member's picture: its URL names its version, so it may be kept for a year."""
    stored = get_session().get(MemberPicture, user_id)
    if stored is None or stored.key != key:
        abort(404)
    response = make_response(stored.large if size == "large" else stored.small)
    response.mimetype = "image/webp"
    response.cache_control.public = True
    response.cache_control.max_age = PICTURE_MAX_AGE
    response.cache_control.immutable = True
    response.set_etag(f"{key}-{size}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


# --- user administration -----------------------------------------------------------------------


@bp.get("/admin/users")
@requires(MANAGES_USERS)
def admin_users():
    query = request.args.get("q", "").strip()[:100]
    page = page_arg()
    users, total = roles.search_users(
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


@bp.get("/admin/users/<int:user_id>/role")
@requires(MANAGES_USERS, MAY_CHANGE_ROLE, load=load_user)
def admin_user_role(user_id: int, user: User):
    """The confirmation step: "Make X a moderator?" with a POST button."""
    wanted = request.args.get("role", "")
    if wanted not in ROLE_LABELS:
        fail(400, _("Choose one of the roles."))
    form = RoleForm()
    form.role.data = wanted
    return render(
        "accounts/admin_role.html",
        "accounts/_admin_role_form.html",
        user=user,
        form=form,
        wanted=wanted,
    )


@bp.post("/admin/users/<int:user_id>/role")
@requires(MANAGES_USERS, MAY_CHANGE_ROLE, load=load_user)
def admin_user_role_post(user_id: int, user: User):
    form = RoleForm()
    if not form.validate_on_submit():
        fail(400, _("Choose one of the roles."))
    roles.set_role(session=get_session(), actor=me(), user=user, role=Role(form.role.data))
    return finish(
        url_for("accounts.admin_users", q=request.args.get("q") or None),
        message=_(
            "%(name)s is now: %(role)s.", name=user.display_name, role=ROLE_LABELS[user.role.value]
        ),
    )
