"""What "Download my data" holds of watching, notifications and notification mail."""

from __future__ import annotations

from sqlmodel import Session, select

from ..accounts.contributions import data_export
from ..accounts.privacy import iso_moment
from .models import DigestSent, Notification, Watch
from .preferences import frequencies_of
from .service import defaults_of


@data_export.provide
def notifications_of(*, session: Session, user) -> dict:
    defaults = defaults_of(session=session, user_id=user.id)
    watches = session.exec(select(Watch).where(Watch.user_id == user.id).order_by(Watch.id))
    notifications = session.exec(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    digests = session.exec(
        select(DigestSent).where(DigestSent.user_id == user.id).order_by(DigestSent.id)
    )
    return {
        "watch_defaults": {"threads": defaults.threads, "lessons": defaults.lessons},
        "watches": [
            {
                "target_type": w.target_type,
                "target": w.target_key,
                "level": w.level,
                "created_at": iso_moment(w.created_at),
            }
            for w in watches
        ],
        "notifications": [
            {
                "kind": n.kind,
                "thread_id": n.thread_id,
                "post_id": n.post_id,
                "lesson_id": n.lesson_id,
                "reason": n.reason,
                "created_at": iso_moment(n.created_at),
                "read_at": iso_moment(n.read_at),
                "emailed_at": iso_moment(n.emailed_at),
            }
            for n in notifications
        ],
        "mail_preferences": frequencies_of(session, user.id),
        "digests_sent": [
            {
                "period": d.period,
                "notifications": d.notification_count,
                "created_at": iso_moment(d.created_at),
            }
            for d in digests
        ],
    }
