"""How the audit log reads: what each entry is about (a link with its title), its reason in words
and its changes as "before → after" in the viewer's language.

The entries keep what the services wrote (``audit.record``): ids, codes and raw values. This
turns them into words when the log is shown, so an entry written today reads well in either
language tomorrow, and a renamed thread shows its current title.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from ..accounts.labels import role_label
from ..core.queries import all_themes
from ..discussions.models import Thread
from ..i18n import localized
from ..markup import plain_text
from .forms import reason_labels
from .models import INDEFINITE, ModerationAction
from .reportable import ITEM_TYPES, load_items

# Why optional approval held a post (approval.approval_reasons), as the log says it.
APPROVAL_REASON_LABELS = {
    "new_account": _l("New account"),
    "links": _l("Many links"),
}
# The recorded fields a moderator reads, in this order; the others (ids of notes, warnings and
# reports, the theme's id next to its slug...) are bookkeeping and stay out of the page.
FIELD_LABELS = {
    "title": _l("Title"),
    "thread_title": _l("Thread"),
    "thread_id": _l("Thread"),
    "theme": _l("Theme"),
    "hidden": _l("Visibility"),
    "awaiting_approval": _l("Approval"),
    "hidden_reason": _l("Reason for hiding"),
    "pinned": _l("Pinned"),
    "featured": _l("Featured on the home page"),
    "locked": _l("Locked"),
    "body": _l("Text"),
    "post_ids": _l("Posts"),
    "role": _l("Role"),
    "suspended_until": _l("Suspended until"),
    "comment": _l("Comment"),
}
BODY_EXCERPT = 160


@dataclass
class Link:
    """A value shown as a link (``url`` None: the thing no longer exists; text only)."""

    text: str
    url: str | None = None
    lang: str | None = None


@dataclass
class Change:
    label: str
    before: str | Link | None
    after: str | Link | None


@dataclass
class LogLine:
    entry: ModerationAction
    target: Link | None
    reason: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def describe(session: Session, entries: list[ModerationAction], people: dict) -> list[LogLine]:
    """One ``LogLine`` per entry, with a fixed number of statements whatever their number."""
    items = load_items(session, _item_keys(entries))
    threads = _threads(session, _thread_ids(entries))
    themes = {theme.slug: theme for theme in all_themes(session)}
    context = _Context(items=items, threads=threads, themes=themes, people=people)
    return [context.line(entry) for entry in entries]


def _item_keys(entries) -> list[tuple[str, int]]:
    keys = []
    for entry in entries:
        if entry.target_type in ITEM_TYPES and entry.target_id is not None:
            keys.append((entry.target_type, entry.target_id))
        after = entry.after or {}
        if after.get("item_type") in ITEM_TYPES and after.get("item_id") is not None:
            keys.append((after["item_type"], after["item_id"]))
    return keys


def _thread_ids(entries) -> set[int]:
    ids = set()
    for entry in entries:
        if entry.target_type == "thread" and entry.target_id is not None:
            ids.add(entry.target_id)
        for values in (entry.before or {}, entry.after or {}):
            if isinstance(values.get("thread_id"), int):
                ids.add(values["thread_id"])
    return ids


def _threads(session: Session, ids) -> dict[int, Thread]:
    if not ids:
        return {}
    return {t.id: t for t in session.exec(select(Thread).where(Thread.id.in_(ids)))}


def _datetime(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass
class _Context:
    items: dict
    threads: dict[int, Thread]
    themes: dict
    people: dict

    def line(self, entry: ModerationAction) -> LogLine:
        before, after = entry.before or {}, entry.after or {}
        line = LogLine(entry=entry, target=self.target(entry), reason=self.reason(entry))
        for key, label in FIELD_LABELS.items():
            if key not in before and key not in after:
                continue
            # the title beside a thread's id names that thread: it is the link's text
            if key in ("title", "thread_title") and ("thread_id" in before or "thread_id" in after):
                continue
            old = self.value(key, before.get(key), before)
            new = self.value(key, after.get(key), after)
            if old is not None or new is not None:
                line.changes.append(Change(str(label), old, new))
        if after.get("item_type") in ITEM_TYPES and after.get("item_id") is not None:
            item = self.items.get((after["item_type"], after["item_id"]))
            line.changes.append(Change(_("About"), None, self.item_link(item)))
        line.notes = self.notes(after)
        return line

    def target(self, entry: ModerationAction) -> Link | None:
        kind, key = entry.target_type, entry.target_id
        if kind == "user":
            return self.user_link(key)
        if kind == "thread":
            fallback = (entry.before or {}).get("title") or (entry.after or {}).get("title")
            return self.thread_link(key, fallback)
        if kind in ITEM_TYPES:
            item = self.items.get((kind, key))
            if item is None and kind == "post":  # erased: the entry kept its thread's title
                title = (entry.before or {}).get("thread_title")
                return Link(_("%(title)s (removed)", title=title) if title else _("Removed"))
            return self.item_link(item)
        return None

    def reason(self, entry: ModerationAction) -> str:
        if entry.action == "report.file":
            return str(reason_labels().get(entry.reason, entry.reason))
        if entry.action == "post.hold":
            codes = [code.strip() for code in entry.reason.split(",") if code.strip()]
            return ", ".join(str(APPROVAL_REASON_LABELS.get(code, code)) for code in codes)
        return entry.reason

    def value(self, key: str, value: Any, values: dict) -> str | Link | None:
        if value is None:
            if key == "suspended_until" and key in values and not values.get("indefinite"):
                return _("Not suspended")
            if key == "suspended_until" and values.get("indefinite"):
                return _("Indefinitely")
            return None
        if key == "hidden":
            return _("Hidden") if value else _("Visible")
        if key == "awaiting_approval":
            return _("Waiting for approval") if value else None
        if key in ("pinned", "featured", "locked"):
            return _("Yes") if value else _("No")
        if key == "body":
            return plain_text(str(value), BODY_EXCERPT)
        if key == "theme":
            theme = self.themes.get(value)
            return localized(theme, "name") if theme else str(value)
        if key == "role":
            return role_label(value)
        if key == "suspended_until":
            until = _datetime(value)
            if until is None or until >= INDEFINITE:
                return _("Indefinitely")
            return format_datetime(until, "short")
        if key == "thread_id":
            return self.thread_link(value, values.get("title") or values.get("thread_title"))
        if key == "post_ids":
            return ngettext("%(num)d post", "%(num)d posts", len(value))
        return str(value)

    def notes(self, after: dict) -> list[str]:
        notes = []
        if after.get("thread_hidden"):
            notes.append(_("Its thread was hidden with it."))
        if after.get("thread_restored"):
            notes.append(_("Its thread was restored with it."))
        if after.get("thread_deleted"):
            notes.append(_("The whole thread was deleted."))
        closed = len(after.get("report_ids") or ())
        if closed:
            notes.append(ngettext("%(num)d report closed", "%(num)d reports closed", closed))
        return notes

    def thread_link(self, thread_id, fallback: str | None) -> Link:
        thread = self.threads.get(thread_id)
        if thread is None:
            title = fallback or _("A thread")
            return Link(_("%(title)s (removed)", title=title))
        url = url_for("discussions.thread_page", thread_id=thread.id, slug=thread.slug)
        return Link(thread.title, url, thread.language)

    def item_link(self, item) -> Link:
        if item is None:
            return Link(_("Removed"))
        return Link(item.title, item.url or None, item.title_language)

    def user_link(self, user_id) -> Link | None:
        user = self.people.get(user_id)
        if user is None:
            return None
        return Link(user.display_name, url_for("moderation.user_page", user_id=user.id))
