"""Moderation pages: the review queue, the audit log, user moderation, reports and notices.

Thread and post actions are in ``action_views.py`` (same blueprint). Views are thin: load, check,
validate, call one service, commit once, then 303 (plain) or a fragment (htmx).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, current_app, flash, g, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlmodel import select

from .. import permissions
from ..db import get_session
from ..extensions import limiter
from ..web import MAX_DATABASE_INT, fail, render, wants_fragment
from . import queries, service
from .approval import AWAITING_APPROVAL, is_awaiting_approval, pending_posts
from .audit import ACTIONS
from .errors import ModerationError
from .forms import (
    LogFilterForm,
    NoteForm,
    OptionalReasonForm,
    ReasonForm,
    ReportForm,
    SuspendForm,
    WarnForm,
)
from .items import ITEM_TYPES, load_item
from .loaders import (
    ACTION_LABELS,
    ITEM_TYPE_LABELS,
    back_to,
    fail_for,
    get_report_or_404,
    get_user_or_404,
    get_warning_or_404,
    redirect_303,
    require_member,
    require_moderator,
)
from .models import UserWarning

bp = Blueprint("moderation", __name__)
DEFAULT_REPORT_LIMIT = (
    "10 per minute;30 per hour"  # reports per user; FORUM_MODERATION_REPORT_LIMIT overrides
)


@bp.app_context_processor
def _moderation_helpers():
    def queue_count() -> int:
        return (
            queries.open_item_count(get_session()) if permissions.can_moderate(current_user) else 0
        )

    def my_notices() -> dict:
        if not current_user.is_authenticated:
            return {"warnings": [], "suspension": None, "suspended": False}
        session = get_session()
        return {
            "warnings": service.unacknowledged_warnings(session=session, user=current_user),
            "suspension": service.active_suspension(session=session, user=current_user),
            "suspended": permissions.is_suspended(current_user),
        }

    def my_open_report(item_type: str, item_id: int):
        # A thread page asks once per post: load the viewer's open reports once per request
        # (no N+1).
        if "moderation_my_open_reports" not in g:
            g.moderation_my_open_reports = service.open_reports_by(
                session=get_session(), user=current_user
            )
        return g.moderation_my_open_reports.get((item_type, item_id))

    return {
        "moderation_queue_count": queue_count,
        "moderation_notices": my_notices,
        "moderation_open_report": my_open_report,
        "moderation_action_labels": ACTION_LABELS,
        "moderation_item_labels": ITEM_TYPE_LABELS,
        "is_awaiting_approval": is_awaiting_approval,
        "AWAITING_APPROVAL": AWAITING_APPROVAL,
    }


def _done(message: str, location: str, fragment: str | None = None, **context):
    """Commit, then 303 for a plain browser or the fragment (with the message) for htmx."""
    get_session().commit()
    if wants_fragment() and fragment:
        return render(fragment, fragment, message=message, **context)
    flash(message, "success")
    return redirect_303(location)


# --- reports --------------------------------------------------------------------------------------
def _item_from_args(source) -> tuple[str, int]:
    item_type = source.get("item_type") or source.get("type") or ""
    raw_id = source.get("item_id") or source.get("id") or ""
    if item_type not in ITEM_TYPES or not raw_id.isdigit() or len(raw_id) > 9:
        fail(400, _("Say which post, lesson or project you want to report."))
    return item_type, int(raw_id)


def _report_page(form: ReportForm, item, status: int = 200):
    return render(
        "moderation/report.html",
        "moderation/_report_form.html",
        status=status,
        form=form,
        item=item,
        next=back_to(item.url),
    )


@bp.get("/report")
def report_form():
    denied = require_member()
    if denied is not None:
        return denied
    item_type, item_id = _item_from_args(request.args)
    item = load_item(get_session(), item_type, item_id)
    if item is None or (item.hidden and not permissions.can_moderate(current_user)):
        fail(404, _("The reported item does not exist any more."))
    if not permissions.can_report(current_user):
        fail(403, _("You cannot report right now."))
    existing = service.open_report_by(
        session=get_session(), user=current_user, item_type=item_type, item_id=item_id
    )
    if existing is not None:
        return render(
            "moderation/report.html",
            "moderation/_report_status.html",
            form=None,
            item=item,
            report=existing,
            next=back_to(item.url),
        )
    form = ReportForm(data={"item_type": item_type, "item_id": str(item_id)})
    return _report_page(form, item)


def _report_limit() -> str:
    return current_app.config.get("MODERATION_REPORT_LIMIT", DEFAULT_REPORT_LIMIT)


def _reporter_key() -> str:
    return (
        f"user:{current_user.id}" if current_user.is_authenticated else f"ip:{get_remote_address()}"
    )


@bp.post("/report")
@limiter.limit(_report_limit, key_func=_reporter_key, scope="moderation-report")
def file_report():
    denied = require_member()
    if denied is not None:
        return denied
    item_type, item_id = _item_from_args(request.form)
    session = get_session()
    item = load_item(session, item_type, item_id)
    if item is None:
        fail(404, _("The reported item does not exist any more."))
    form = ReportForm()
    if not form.validate_on_submit():
        return _report_page(form, item, status=422)
    try:
        report = service.file_report(
            session=session,
            actor=current_user,
            item_type=item_type,
            item_id=item_id,
            reason=form.reason.data,
            comment=form.comment.data or "",
        )
    except ModerationError as exc:
        fail_for(exc)
    return _done(
        _("Thank you. The moderators will look at your report."),
        back_to(item.url),
        "moderation/_report_status.html",
        report=report,
        item=item,
        next=back_to(item.url),
    )


@bp.post("/reports/<int:report_id>/withdraw")
def withdraw_report(report_id: int):
    denied = require_member()
    if denied is not None:
        return denied
    report = get_report_or_404(report_id)
    session = get_session()
    item = load_item(session, report.item_type, report.item_id)
    try:
        service.withdraw_report(session=session, actor=current_user, report=report)
    except ModerationError as exc:
        fail_for(exc)
    location = back_to(item.url if item else url_for("site.home"))
    return _done(
        _("Your report is withdrawn."),
        location,
        "moderation/_report_link.html",
        item_type=report.item_type,
        item_id=report.item_id,
        next=location,
    )


# --- the review queue -----------------------------------------------------------------------------
@bp.get("/mod/queue")
def queue_page():
    denied = require_moderator()
    if denied is not None:
        return denied
    session = get_session()
    entries = queries.queue(session)
    pending = pending_posts(session=session)
    authors = queries.users_by_id(session, [p.author_id for p in pending])
    reporters = queries.users_by_id(session, [r.reporter_id for e in entries for r in e.reports])
    return render(
        "moderation/queue.html",
        None,
        entries=entries,
        pending=pending,
        authors=authors,
        reporters=reporters,
        thread_of=lambda post: load_item(session, "post", post.id),
    )


def _queue_settle(item_type: str, item_id: int, action: str):
    denied = require_moderator()
    if denied is not None:
        return denied
    if item_type not in ITEM_TYPES:
        fail(404, _("There is no such item."))
    form = ReasonForm()
    if not form.validate_on_submit():
        fail(422, _("Give a reason."))
    settle = service.dismiss_reports if action == "dismiss" else service.resolve_reports
    try:
        settle(
            session=get_session(),
            actor=current_user,
            item_type=item_type,
            item_id=item_id,
            reason=form.reason.data,
        )
    except ModerationError as exc:
        fail_for(exc)
    message = _("Reports dismissed.") if action == "dismiss" else _("Reports resolved.")
    return _done(message, url_for("moderation.queue_page"), "moderation/_queue_done.html")


@bp.post("/mod/queue/<item_type>/<int:item_id>/dismiss")
def dismiss_reports(item_type: str, item_id: int):
    return _queue_settle(item_type, item_id, "dismiss")


@bp.post("/mod/queue/<item_type>/<int:item_id>/resolve")
def resolve_reports(item_type: str, item_id: int):
    return _queue_settle(item_type, item_id, "resolve")


# --- the audit log --------------------------------------------------------------------------------
@bp.get("/mod/log")
def log_page():
    denied = require_moderator()
    if denied is not None:
        return denied
    session = get_session()
    mods = queries.moderators(session)
    form = LogFilterForm(request.args)
    form.moderator.choices = [(0, _("Anyone"))] + [(m.id, m.display_name) for m in mods]
    form.moderator.coerce = lambda v: int(v) if str(v).isdigit() else 0
    form.action.choices = [("", _("Any action"))] + [(a, str(ACTION_LABELS[a])) for a in ACTIONS]
    if request.args and not form.validate():
        entries, more = [], False
        status = 422
    else:
        before = request.args.get("before", "")
        entries, more = queries.log_entries(
            session,
            moderator_id=form.moderator.data or None,
            action=form.action.data or None,
            user_id=form.user.data,
            since=form.since.data,
            until=form.until.data,
            before_id=int(before) if before.isdigit() and int(before) <= MAX_DATABASE_INT else None,
        )
        status = 200
    people = queries.users_by_id(
        session, [e.actor_id for e in entries] + [e.target_user_id for e in entries]
    )
    return render(
        "moderation/log.html",
        None,
        status=status,
        form=form,
        entries=entries,
        more=more,
        people=people,
    )


# --- users ----------------------------------------------------------------------------------------
def _user_page(user, status: int = 200, message: str | None = None, **forms):
    session = get_session()
    context = {
        "warn_form": forms.get("warn_form") or WarnForm(),
        "suspend_form": forms.get("suspend_form") or SuspendForm(),
        "lift_form": forms.get("lift_form") or OptionalReasonForm(),
        "note_form": forms.get("note_form") or NoteForm(),
    }
    return render(
        "moderation/user.html",
        "moderation/_user_panel.html",
        status=status,
        user=user,
        message=message,
        suspension=service.active_suspension(session=session, user=user),
        **queries.user_record(session, user),
        **context,
    )


@bp.get("/mod/users/<int:user_id>")
def user_page(user_id: int):
    denied = require_moderator()
    if denied is not None:
        return denied
    return _user_page(get_user_or_404(user_id))


def _item_context(form) -> dict:
    item_type = form.item_type.data or None
    item_id = form.item_id.data
    if item_type not in ITEM_TYPES or not (item_id or "").isdigit():
        return {}
    return {"item_type": item_type, "item_id": int(item_id)}


def _user_done(user, message: str):
    fragment = "moderation/_queue_done.html" if request.form.get("context") == "queue" else None
    if fragment is None and wants_fragment():
        get_session().commit()
        return _user_page(user, message=message)
    return _done(message, back_to(url_for("moderation.user_page", user_id=user.id)), fragment)


@bp.post("/mod/users/<int:user_id>/warn")
def warn_user(user_id: int):
    denied = require_moderator()
    if denied is not None:
        return denied
    user = get_user_or_404(user_id)
    form = WarnForm()
    if not form.validate_on_submit():
        return _user_page(user, status=422, warn_form=form)
    try:
        service.warn_user(
            session=get_session(),
            actor=current_user,
            user=user,
            message=form.message.data,
            **_item_context(form),
        )
    except ModerationError as exc:
        fail_for(exc)
    return _user_done(user, _("%(name)s has been warned.", name=user.display_name))


@bp.post("/mod/users/<int:user_id>/suspend")
def suspend_user(user_id: int):
    denied = require_moderator()
    if denied is not None:
        return denied
    user = get_user_or_404(user_id)
    form = SuspendForm()
    if not form.validate_on_submit():
        return _user_page(user, status=422, suspend_form=form)
    until = None
    if form.duration.data == "until":
        until = datetime.combine(form.until.data + timedelta(days=1), time.min)
    try:
        service.suspend_user(
            session=get_session(),
            actor=current_user,
            user=user,
            reason=form.reason.data,
            until=until,
            **_item_context(form),
        )
    except ModerationError as exc:
        fail_for(exc)
    return _user_done(user, _("%(name)s is suspended.", name=user.display_name))


@bp.post("/mod/users/<int:user_id>/lift")
def lift_suspension(user_id: int):
    denied = require_moderator()
    if denied is not None:
        return denied
    user = get_user_or_404(user_id)
    form = OptionalReasonForm()
    if not form.validate_on_submit():
        return _user_page(user, status=422, lift_form=form)
    try:
        service.lift_suspension(
            session=get_session(), actor=current_user, user=user, reason=form.reason.data or ""
        )
    except ModerationError as exc:
        fail_for(exc)
    return _user_done(user, _("The suspension of %(name)s is lifted.", name=user.display_name))


@bp.post("/mod/users/<int:user_id>/notes")
def add_note(user_id: int):
    denied = require_moderator()
    if denied is not None:
        return denied
    user = get_user_or_404(user_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _user_page(user, status=422, note_form=form)
    try:
        service.add_user_note(
            session=get_session(), actor=current_user, user=user, body=form.body.data
        )
    except ModerationError as exc:
        fail_for(exc)
    return _user_done(user, _("Note saved."))


# --- what the user sees: warnings and suspension --------------------------------------------------
@bp.get("/notices")
def notices_page():
    denied = require_member()
    if denied is not None:
        return denied
    session = get_session()
    warnings = list(
        session.exec(
            select(UserWarning)
            .where(UserWarning.user_id == current_user.id)
            .order_by(UserWarning.id.desc())
        )
    )
    return render(
        "moderation/notices.html",
        None,
        warnings=warnings,
        suspension=service.active_suspension(session=session, user=current_user),
        suspended=permissions.is_suspended(current_user),
        form=OptionalReasonForm(),
    )


@bp.post("/notices/warnings/<int:warning_id>/acknowledge")
def acknowledge_warning(warning_id: int):
    denied = require_member()
    if denied is not None:
        return denied
    warning = get_warning_or_404(warning_id)
    try:
        service.acknowledge_warning(session=get_session(), actor=current_user, warning=warning)
    except ModerationError as exc:
        fail_for(exc)
    return _done(
        _("Thank you for reading the warning."), back_to(url_for("moderation.notices_page"))
    )


# Imported last: these modules import bp and helpers from here, then register their routes on it
# (thread and post actions; lesson and project hide/restore).
from . import action_views, item_views  # noqa: E402, F401
