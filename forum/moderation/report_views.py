"""Reports: a member reports a post, lesson or project (or withdraws the report); a moderator
settles an item's reports from the queue without acting on it."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import permissions
from ..db import get_session
from ..extensions import limiter, user_or_address
from ..permissions import MODERATOR, SIGNED_IN, Rule
from ..web import fail, finish, render, requires
from ..web.inputs import whole_number
from . import queries, reports
from .action_flow import settled_in_queue
from .forms import ReasonForm, ReportForm
from .loaders import back_to, report_or_404
from .reportable import ITEM_TYPES, MEMBER_REPORTABLE, load_item
from .views import bp


def _item_from_args(source) -> tuple[str, int]:
    item_type = source.get("item_type") or source.get("type") or ""
    item_id = whole_number(source.get("item_id") or source.get("id"))
    if item_type not in MEMBER_REPORTABLE or item_id is None:
        fail(400, _("Say which post, lesson or project you want to report."))
    return item_type, item_id


def _report_page(item, fragment: str, status: int = 200, **context):
    """The report page of ``item``: its form, or the report already filed."""
    return render(
        "moderation/report.html",
        fragment,
        status=status,
        item=item,
        next=back_to(item.url),
        **context,
    )


CAN_REPORT = Rule(permissions.can_report, _l("You cannot report right now."))


def _visible_item_in_args() -> dict:
    """The item the query names, when the user may see it (404 otherwise)."""
    item_type, item_id = _item_from_args(request.args)
    item = load_item(get_session(), item_type, item_id)
    if item is None or (item.hidden and not permissions.can_moderate(current_user)):
        fail(404, _("The reported item does not exist any more."))
    return {"item": item}


@bp.get("/report")
@requires(SIGNED_IN, CAN_REPORT, load=_visible_item_in_args)
def report_form(item):
    existing = queries.open_report_by(
        session=get_session(), user=current_user, item_type=item.type, item_id=item.id
    )
    if existing is not None:
        return _report_page(item, "moderation/_report_status.html", form=None, report=existing)
    form = ReportForm(data={"item_type": item.type, "item_id": str(item.id)})
    return _report_page(item, "moderation/_report_form.html", form=form)


def _report_limit() -> str:
    return current_app.config["MODERATION_REPORT_LIMIT"]


@bp.post("/report")
@limiter.limit(_report_limit, key_func=user_or_address, scope="moderation-report")
@requires(SIGNED_IN)
def file_report():
    item_type, item_id = _item_from_args(request.form)
    session = get_session()
    item = load_item(session, item_type, item_id)
    if item is None:
        fail(404, _("The reported item does not exist any more."))
    form = ReportForm()
    if not form.validate_on_submit():
        return _report_page(item, "moderation/_report_form.html", status=422, form=form)
    report = reports.file_report(
        session=session,
        actor=current_user,
        item_type=item_type,
        item_id=item_id,
        reason=form.reason.data,
        comment=form.comment.data or "",
    )
    return finish(
        back_to(item.url),
        message=_("Thank you. The moderators will look at your report."),
        fragment="moderation/_report_status.html",
        report=report,
        item=item,
        next=back_to(item.url),
    )


@bp.post("/reports/<int:report_id>/withdraw")
@requires(SIGNED_IN)
def withdraw_report(report_id: int):
    report = report_or_404(report_id)
    session = get_session()
    item = load_item(session, report.item_type, report.item_id)
    reports.withdraw_report(session=session, actor=current_user, report=report)
    location = back_to(item.url if item else url_for("site.home"))
    return finish(
        location,
        message=_("Your report is withdrawn."),
        fragment="moderation/_report_link.html",
        item_type=report.item_type,
        item_id=report.item_id,
        next=location,
    )


def _settle(item_type: str, item_id: int, settle, message: str):
    if item_type not in ITEM_TYPES:
        fail(404, _("There is no such item."))
    form = ReasonForm()
    if not form.validate_on_submit():
        fail(422, _("Give a reason."))
    settle(
        session=get_session(),
        actor=current_user,
        item_type=item_type,
        item_id=item_id,
        reason=form.reason.data,
    )
    return settled_in_queue(message, url_for("moderation.queue_page"))


@bp.post("/mod/queue/<item_type>/<int:item_id>/dismiss")
@requires(MODERATOR)
def dismiss_reports(item_type: str, item_id: int):
    return _settle(item_type, item_id, reports.dismiss_reports, _("Reports dismissed."))


@bp.post("/mod/queue/<item_type>/<int:item_id>/resolve")
@requires(MODERATOR)
def resolve_reports(item_type: str, item_id: int):
    return _settle(item_type, item_id, reports.resolve_reports, _("Reports resolved."))
