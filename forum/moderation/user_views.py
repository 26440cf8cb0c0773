"""Members: the moderators' page of a member (warn, suspend, lift, notes) and what the member is
told (warnings to acknowledge, the suspension in force)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import permissions
from ..db import get_session
from ..permissions import MODERATOR, SIGNED_IN
from ..web import finish, render, requires, wants_fragment
from ..web.inputs import whole_number
from . import queries, users
from .action_flow import from_queue, settled_in_queue
from .forms import NoteForm, OptionalReasonForm, SuspendForm, WarnForm
from .loaders import back_to, own_warning_or_404, user_or_404
from .reportable import MEMBER_REPORTABLE
from .views import bp


def _user_context(user, **forms) -> dict:
    session = get_session()
    return {
        "user": user,
        "suspension": queries.active_suspension(session=session, user=user),
        "warn_form": forms.get("warn_form") or WarnForm(),
        "suspend_form": forms.get("suspend_form") or SuspendForm(),
        "lift_form": forms.get("lift_form") or OptionalReasonForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        **queries.user_record(session, user),
    }


def _user_page(user, status: int = 200, **forms):
    return render(
        "moderation/user.html",
        "moderation/_user_panel.html",
        status=status,
        message=None,
        **_user_context(user, **forms),
    )


@bp.get("/mod/users/<int:user_id>")
@requires(MODERATOR)
def user_page(user_id: int):
    return _user_page(user_or_404(user_id))


def _item_context(form) -> dict:
    item_type = form.item_type.data or None
    item_id = whole_number(form.item_id.data)
    if item_type not in MEMBER_REPORTABLE or item_id is None:
        return {}
    return {"item_type": item_type, "item_id": item_id}


def _user_done(user, message: str):
    """From the queue: the settled entry; on the member's page: the panel again (htmx) or a 303."""
    location = back_to(url_for("moderation.user_page", user_id=user.id))
    if from_queue():
        return settled_in_queue(message, location)
    return finish(
        location,
        message=message,
        fragment="moderation/_user_panel.html",
        **(_user_context(user) if wants_fragment() else {}),
    )


@bp.post("/mod/users/<int:user_id>/warn")
@requires(MODERATOR)
def warn_user(user_id: int):
    user = user_or_404(user_id)
    form = WarnForm()
    if not form.validate_on_submit():
        return _user_page(user, status=422, warn_form=form)
    users.warn_user(
        session=get_session(),
        actor=current_user,
        user=user,
        message=form.message.data,
        **_item_context(form),
    )
    return _user_done(user, _("%(name)s has been warned.", name=user.display_name))


@bp.post("/mod/users/<int:user_id>/suspend")
@requires(MODERATOR)
def suspend_user(user_id: int):
    user = user_or_404(user_id)
    form = SuspendForm()
    if not form.validate_on_submit():
        return _user_page(user, status=422, suspend_form=form)
    until = None
    if form.duration.data == "until":
        until = datetime.combine(form.until.data + timedelta(days=1), time.min)
    users.suspend_user(
        session=get_session(),
        actor=current_user,
        user=user,
        reason=form.reason.data,
        until=until,
        **_item_context(form),
    )
    return _user_done(user, _("%(name)s is suspended.", name=user.display_name))


@bp.post("/mod/users/<int:user_id>/lift")
@requires(MODERATOR)
def lift_suspension(user_id: int):
    user = user_or_404(user_id)
    form = OptionalReasonForm()
    if not form.validate_on_submit():
        return _user_page(user, status=422, lift_form=form)
    users.lift_suspension(
        session=get_session(), actor=current_user, user=user, reason=form.reason.data or ""
    )
    return _user_done(user, _("The suspension of %(name)s is lifted.", name=user.display_name))


@bp.post("/mod/users/<int:user_id>/notes")
@requires(MODERATOR)
def add_note(user_id: int):
    user = user_or_404(user_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _user_page(user, status=422, note_form=form)
    users.add_user_note(session=get_session(), actor=current_user, user=user, body=form.body.data)
    return _user_done(user, _("Note saved."))


@bp.get("/notices")
@requires(SIGNED_IN)
def notices_page():
    session = get_session()
    warnings = queries.warnings_of(session, current_user)
    return render(
        "moderation/notices.html",
        None,
        warnings=warnings,
        warned_items=queries.warned_items(session, warnings),
        suspension=queries.active_suspension(session=session, user=current_user),
        suspended=permissions.is_suspended(current_user),
        form=OptionalReasonForm(),
    )


@bp.post("/notices/warnings/<int:warning_id>/acknowledge")
@requires(SIGNED_IN)
def acknowledge_warning(warning_id: int):
    warning = own_warning_or_404(warning_id)
    users.acknowledge_warning(session=get_session(), actor=current_user, warning=warning)
    return finish(
        back_to(url_for("moderation.notices_page")),
        message=_("Thank you for reading the warning."),
    )
