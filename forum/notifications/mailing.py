"""Notification mail: the "at once" mail and the daily and weekly digests.

* **At once.** ``preferences.queue_at_once`` leaves a row in the mail outbox, due a minute later;
  ``compose_at_once`` writes the mail when it is sent: the member's unsent, unread "at once"
  notifications they may still see (``visibility``), those about one thread in one mail (with
  ``In-Reply-To``/``References`` naming the thread, so mail programs group them); the others
  get the next mail, queued in the same transaction. The notifications are marked mailed in the
  transaction that deletes the outbox row after the server accepted the message; a failed
  attempt leaves them unmarked for the retry.
* **Digests** (``digests``). See ``send_digests``.

Every mail carries a stable ``Message-ID``, ``List-Unsubscribe`` with a signed link naming the
member and the groups of kinds it is about, and ``List-Unsubscribe-Post`` (RFC 8058).
"""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app, render_template
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import update
from sqlmodel import Session, col, select

from ..accounts.models import User
from ..accounts.urls import absolute_url
from ..clock import utcnow
from ..i18n import in_language
from ..mail import add_unsubscribe_headers, compose, compose_after_commit, composer
from . import visibility
from .kinds import GROUP_OF_KIND, IMMEDIATE, KIND_APPROVAL, KIND_REPORT
from .models import Notification
from .preferences import AT_ONCE_COMPOSER, frequencies_of, kinds_at, unsubscribe_token
from .queries import Entry, describe_target

LOOKBACK_DAYS = 8  # unsent notifications older than this are not mailed any more


def mail_domain() -> str:
    return parseaddr(current_app.config["MAIL_SENDER"])[1].partition("@")[2] or "localhost"


def entries(
    notifications: list[Notification], targets: visibility.Targets, actors: dict[int, User]
) -> list[Entry]:
    """The notifications as the page shows them (replies in one thread as one line, newest
    first), each with the absolute link a mail needs."""
    groups: dict[str, list[Notification]] = {}
    for notification in sorted(notifications, key=lambda n: n.id, reverse=True):
        groups.setdefault(notification.group_key, []).append(notification)
    result = []
    for members in groups.values():
        newest = members[0]
        title, endpoint, values = describe_target(newest, targets)
        result.append(
            Entry(
                notification=newest,
                count=len(members),
                unread=True,
                title=title,
                url=absolute_url(endpoint, **values),
                actor=actors.get(newest.actor_id),
            )
        )
    return result


def line_of(entry: Entry) -> str:
    """What the page says of the entry, as plain text (for a subject)."""
    html = render_template("notifications/_text.html", entry=entry, n=entry.notification)
    return Markup(html).striptags()  # noqa: S704  (our template's escaped output, to plain text)


def notification_message(
    user: User,
    *,
    subject,
    template: str,
    groups,
    message_id: str,
    thread_id: int | None = None,
    **context,
) -> EmailMessage:
    """A notification mail or digest to ``user`` in their language, with its stable
    ``Message-ID``, thread headers and the unsubscribe headers and footer link."""
    domain = mail_domain()
    link = absolute_url("notifications.unsubscribe_page", token=unsubscribe_token(user.id, groups))
    message = compose(
        to=user.email,
        to_name=user.display_name,
        subject=subject,
        template=template,
        locale=user.locale,
        user=user,
        unsubscribe_url=link,
        settings_url=absolute_url("accounts.settings", _anchor="settings-mail"),
        **context,
    )
    message.replace_header("Message-ID", f"<{message_id}@{domain}>")
    if thread_id is not None:
        message["In-Reply-To"] = f"<thread-{thread_id}@{domain}>"
        message["References"] = f"<thread-{thread_id}@{domain}>"
    add_unsubscribe_headers(
        message, url=link, mailto=current_app.config.get("UNSUBSCRIBE_MAILTO") or None
    )
    return message


def thread_key(notification: Notification, targets: visibility.Targets) -> tuple[str, int]:
    """What a notification's mail is about: a thread (a lesson's discussion counts as its
    lesson's thread), a lesson without one, or moderators' work."""
    if notification.kind in (KIND_REPORT, KIND_APPROVAL):
        return ("moderation", 0)
    thread = targets.thread_of(notification)
    if thread is not None:
        return ("thread", thread.id)
    lesson = targets.lesson_of(notification)
    if lesson is not None and lesson.thread_id is not None:
        return ("thread", lesson.thread_id)
    return ("lesson", notification.lesson_id or 0)


def unsent(session: Session, user_ids, kinds=None, *, before=None) -> list[Notification]:
    """Unsent, unread notifications of the members from the last ``LOOKBACK_DAYS`` (what was read
    on the site needs no mail), oldest first; ``ix_notification_user_unsent`` answers it."""
    now = utcnow()
    query = select(Notification).where(
        col(Notification.user_id).in_(sorted(user_ids)),
        col(Notification.emailed_at).is_(None),
        col(Notification.created_at) >= now - timedelta(days=LOOKBACK_DAYS),
        col(Notification.read_at).is_(None),
    )
    if kinds is not None:
        query = query.where(col(Notification.kind).in_(sorted(kinds)))
    if before is not None:
        query = query.where(col(Notification.created_at) < before)
    return list(session.exec(query.order_by(col(Notification.id))))


def claim(session: Session, notifications: list[Notification]) -> bool:
    """Mark them mailed, unless another sender got to any of them first (False: nothing kept
    marked, the caller rolls back)."""
    ids = [n.id for n in notifications]
    done = session.execute(
        update(Notification)
        .where(col(Notification.id).in_(ids), col(Notification.emailed_at).is_(None))
        .values(emailed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return done == len(ids)


@composer(AT_ONCE_COMPOSER)
def compose_at_once(session: Session, address: str) -> EmailMessage | None:
    user = session.exec(select(User).where(User.email == address)).first()
    if user is None or not user.is_active or user.confirmed_at is None:
        return None
    kinds = kinds_at(frequencies_of(session, user.id), IMMEDIATE)
    pending = unsent(session, [user.id], kinds) if kinds else []
    targets = visibility.check(session, pending, users={user.id: user})
    visible = [n for n in pending if n.id in targets.visible]
    if not visible:
        return None
    key = thread_key(visible[0], targets)
    batch = [n for n in visible if thread_key(n, targets) == key]
    if not claim(session, batch):  # another deliverer mails them: try again with what is left
        session.rollback()
        compose_after_commit(session, composer=AT_ONCE_COMPOSER, to=address)
        return None
    if len(batch) < len(visible):  # the other threads get their own mails, right after this one
        compose_after_commit(session, composer=AT_ONCE_COMPOSER, to=address)
    actors = {u.id: u for u in session.exec(select(User).where(
        col(User.id).in_({n.actor_id for n in batch if n.actor_id}))
    )}  # fmt: skip
    lines = entries(batch, targets, actors)
    with in_language(user.locale):
        if len(lines) == 1:
            subject = line_of(lines[0])
        elif lines[0].title:
            subject = ngettext(
                "%(num)d new notifications about “%(title)s”",
                "%(num)d new notifications about “%(title)s”",
                len(batch),
                title=lines[0].title,
            )
        else:
            subject = ngettext("%(num)d new notification", "%(num)d new notifications", len(batch))
    return notification_message(
        user,
        subject=subject,
        template="notification",
        groups={GROUP_OF_KIND[n.kind] for n in batch},
        message_id=f"notification-{batch[0].id}",
        thread_id=key[1] if key[0] == "thread" else None,
        entries=lines,
    )
