"""Reports: a member files or withdraws one; a moderator closes an item's open reports.

Every function is keyword-only ``(*, session, actor, ...)``, checks ``forum.permissions``,
raises domain errors (``forum.domain``, ``forum.moderation.errors``), only ``flush``es (the view
commits once) and writes exactly one audit entry. ``close_reports`` is the step the other actions
share: acting on an item settles the reports that pointed at it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from .. import events, permissions
from ..clock import utcnow
from ..domain import InvalidInput, NotAllowed
from .audit import Target, record
from .barriers import forget_contact
from .errors import InvalidAction, ItemNotFound
from .models import Report, ReportReason, ReportStatus
from .queries import open_report_by, open_reports_for
from .reportable import MEMBER_REPORTABLE, load_item
from .rules import clean_reason, require_moderator


def file_report(
    *, session: Session, actor, item_type: str, item_id: int, reason: str, comment: str = ""
) -> Report:
    """Report a post, lesson or project. One open report per user and item."""
    if not permissions.can_report(actor):
        raise NotAllowed(_l("You cannot report right now."))
    if item_type not in MEMBER_REPORTABLE:
        raise InvalidInput()
    try:
        reason_value = ReportReason(reason)
    except ValueError:
        reason_value = None
    if reason_value in (None, ReportReason.accessibility):  # barriers have a form of their own
        raise InvalidInput(_l("Choose a reason from the list."))
    item = load_item(session, item_type, item_id)
    if item is None or (item.hidden and not permissions.can_moderate(actor)):
        raise ItemNotFound()
    if item.author_id == actor.id:
        raise InvalidAction(_l("You cannot report your own contribution."))
    if (
        open_report_by(session=session, user=actor, item_type=item_type, item_id=item_id)
        is not None
    ):
        raise InvalidAction(_l("You have already reported this. A moderator will look at it."))
    comment = clean_reason(comment, required=False)
    report = Report(
        reporter_id=actor.id,
        item_type=item_type,
        item_id=item_id,
        reason=reason_value,
        comment=comment,
    )
    session.add(report)
    session.flush()
    record(
        session=session,
        actor=actor,
        action="report.file",
        target=Target(item_type, item_id, item.author_id),
        reason=reason_value.value,
        after={"report_id": report.id, "comment": comment},
    )
    events.report_filed.send("moderation", session=session, actor=actor, report=report)
    return report


def withdraw_report(*, session: Session, actor, report: Report) -> Report:
    if not permissions.is_member(actor) or report.reporter_id != actor.id:
        raise NotAllowed()
    if report.status != ReportStatus.open:
        raise InvalidAction(_l("This report is already closed."))
    report.status, report.updated_at = ReportStatus.withdrawn, utcnow()
    session.flush()
    record(
        session=session,
        actor=actor,
        action="report.withdraw",
        target=Target(report.item_type, report.item_id),
        after={"report_id": report.id},
    )
    return report


def close_reports(
    session: Session, actor, item_type: str, item_id: int, status: ReportStatus, note: str
) -> list[int]:
    """Close every open report of the item; returns their ids (recorded in the caller's entry)."""
    closed = []
    now = utcnow()
    for report in open_reports_for(session=session, item_type=item_type, item_id=item_id):
        report.status, report.resolved_by_id, report.resolution_note = status, actor.id, note
        report.resolved_at = report.updated_at = now
        closed.append(report.id)
    session.flush()
    return closed


def dismiss_reports(
    *, session: Session, actor, item_type: str, item_id: int, reason: str
) -> list[int]:
    """Nothing to act on: close the item's open reports as dismissed."""
    return _settle_reports(
        session, actor, item_type, item_id, reason, ReportStatus.dismissed, "report.dismiss"
    )


def resolve_reports(
    *, session: Session, actor, item_type: str, item_id: int, reason: str
) -> list[int]:
    """Handled another way (e.g. the author fixed it): close the item's open reports as resolved."""
    return _settle_reports(
        session, actor, item_type, item_id, reason, ReportStatus.resolved, "report.resolve"
    )


def _settle_reports(session, actor, item_type, item_id, reason, status, action) -> list[int]:
    require_moderator(actor)
    reason = clean_reason(reason)
    item = load_item(session, item_type, item_id)
    closed = close_reports(session, actor, item_type, item_id, status, reason)
    if not closed:
        raise InvalidAction(_l("There are no open reports on this item."))
    forget_contact(session, item_type, item_id)
    record(
        session=session,
        actor=actor,
        action=action,
        target=Target(item_type, item_id, item.author_id if item else None),
        reason=reason,
        after={"report_ids": closed},
    )
    return closed
