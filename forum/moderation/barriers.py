"""Accessibility barriers: anyone may report one (the form of /accessibility), logged in or not,
since a barrier may be what keeps someone from logging in. A report is a ``BarrierReport`` with
an ordinary ``Report`` pointing at it, so it waits in the moderation queue like any other report
and is dismissed or resolved the same way; closing it erases the reporter's address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from .. import events, permissions
from ..domain import InvalidInput
from .audit import Target, record
from .models import BarrierReport, Report, ReportReason

DESCRIPTION_MAX = 4000


def file_barrier_report(
    *, session: Session, actor, page: str, description: str, contact_email: str | None
) -> Report:
    """Record the barrier and put it in the queue. ``actor`` may be an anonymous visitor."""
    description = (description or "").strip()
    if not description:
        raise InvalidInput(_l("Describe the problem you met."), field="description")
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(
            _l("Keep the description under %(max)d characters.", max=DESCRIPTION_MAX),
            field="description",
        )
    member = actor if permissions.is_member(actor) else None
    barrier = BarrierReport(
        page=" ".join((page or "").split())[:500],
        description=description,
        contact_email=(contact_email or "").strip().lower() or None,
    )
    session.add(barrier)
    session.flush()
    report = Report(
        reporter_id=member.id if member else None,
        item_type="barrier",
        item_id=barrier.id,
        reason=ReportReason.accessibility,
    )
    session.add(report)
    session.flush()
    record(
        session=session,
        actor=member,
        action="report.file",
        target=Target("barrier", barrier.id),
        reason=ReportReason.accessibility.value,
        after={"report_id": report.id},
    )
    events.report_filed.send("moderation", session=session, actor=member, report=report)
    return report


def forget_contact(session: Session, item_type: str, item_id: int) -> None:
    """A settled barrier keeps what it was about, not who to write to."""
    if item_type != "barrier":
        return
    barrier = session.get(BarrierReport, item_id)
    if barrier is not None and barrier.contact_email:
        barrier.contact_email = None
        session.flush()
