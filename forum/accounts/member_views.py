"""Finding members by handle: the member search behind the ``@handle`` suggestions and the
project contact picker (``/members``), and ``/u/@<handle>``, which leads to the profile."""

from __future__ import annotations

import re

from flask import abort, current_app, redirect, request

from ..db import get_session
from ..extensions import limiter, user_or_address
from ..permissions import SIGNED_IN
from ..web import render, requires
from . import handles
from .urls import profile_path
from .views import bp

SUGGESTIONS = 8
# the id of the field asking (the options' ids are built from it)
_FIELD_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,59}\Z")


@bp.get("/members")
@limiter.limit(lambda: current_app.config["RATELIMIT_MEMBER_SEARCH"], key_func=user_or_address)
@requires(SIGNED_IN)
def member_search():
    """Members whose handle or name starts with ``q``: a page, or for htmx the listbox options
    (``for`` names the field they are offered to). Never an e-mail address."""
    query = " ".join(request.args.get("q", "").split())[:40]
    field = request.args.get("for", "")
    members = handles.search_members(get_session(), query, limit=SUGGESTIONS)
    return render(
        "accounts/members.html",
        "accounts/_member_options.html",
        members=members,
        query=query,
        field=field if _FIELD_ID.match(field) else "member",
    )


@bp.get("/u/@<handle>")
def profile_by_handle(handle: str):
    """The profile of the member with this handle; a handle can change, so the redirect is not
    permanent."""
    user = handles.find_by_handle(get_session(), handle)
    if user is None or user.deleted_at is not None:
        abort(404)
    return redirect(profile_path(user), code=302)
