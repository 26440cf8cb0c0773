"""The history of a published event or of a series: every saved change, newest first, in the
reader's language (times in Swedish time, themes and goals by name, summaries as a line diff).

Public like the event: it holds what the page showed before. The join link is the exception:
the history says that it changed, never what it was.
"""

from __future__ import annotations

import difflib
import json
from datetime import date, datetime

from flask import url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import col, select

from ..accounts.forms import LANGUAGE_NAMES
from ..accounts.models import User
from ..core.queries import all_goals, all_themes
from ..db import get_session
from ..i18n import current_language
from ..projects.labels import localized_name
from ..projects.models import Project
from ..web import render
from . import history, labels
from .recurrence import rule_in_words
from .series_models import EventSeries
from .series_views import load_series
from .views import bp, load_event

LABELS = {
    "state": _l("State"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "rule": _l("Repeats"),
    "first_date": _l("First date"),
    "start_time": _l("Starts at"),
    "end_time": _l("Ends at"),
    "kind": _l("Kind of event"),
    "language": _l("Written in"),
    "title": _l("Title"),
    "summary": _l("Summary"),
    "title_translation": _l("Title in the other language"),
    "summary_translation": _l("Summary in the other language"),
    "online": _l("Online event"),
    "join_url": _l("Link to join"),
    "address": _l("Address"),
    "meeting_point": _l("Meeting point"),
    "accessibility": _l("Accessibility of the venue"),
    "project_id": _l("Project"),
    "theme_ids": _l("Themes"),
    "goal_ids": _l("Goals"),
}
LONG_TEXTS = ("summary", "summary_translation", "accessibility")
SECRET = ("join_url",)


class _Names:
    """Themes, goals and projects by id: what the values of a history refer to."""

    def __init__(self, session, revisions):
        self.themes = {t.id: localized_name(t) for t in all_themes(session)}
        self.goals = {g.id: _("Goal %(number)d", number=g.number) for g in all_goals(session)}
        wanted = {
            value
            for revision in revisions
            for value in revision.get("project_id", [])
            if value is not None
        }
        rows = (
            session.exec(select(Project).where(col(Project.id).in_(wanted))).all() if wanted else []
        )
        self.projects = {p.id: p.name for p in rows}


def _value(name: str, value, names: _Names, first_date: date) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in ("starts_at", "ends_at"):
        return format_datetime(datetime.fromisoformat(value), "EEEE d MMMM y, HH:mm")
    readers = {
        "first_date": lambda v: format_date(date.fromisoformat(v)),
        "start_time": lambda v: v[:5],
        "end_time": lambda v: v[:5],
        "online": lambda v: _("Yes") if v else _("No"),
        "kind": labels.kind_label,
        "state": labels.state_label,
        "language": lambda v: str(LANGUAGE_NAMES.get(v, v)),
        "project_id": lambda v: names.projects.get(v, _("a removed project")),
        "theme_ids": lambda v: ", ".join(names.themes.get(i, "?") for i in v),
        "goal_ids": lambda v: ", ".join(names.goals.get(i, "?") for i in v),
        "rule": lambda v: rule_in_words(v, first_date),
    }
    return readers[name](value) if name in readers else str(value)


def _diff(before, after) -> list[tuple[str, str]]:
    kinds = {"+ ": "added", "- ": "removed", "  ": "same"}
    return [
        (kinds[line[:2]], line[2:])
        for line in difflib.ndiff((before or "").splitlines(), (after or "").splitlines())
        if line[:2] in kinds
    ]


def _rows(changes: dict, names: _Names, first_date: date) -> list[dict]:
    rows = []
    for name, label in LABELS.items():
        if name not in changes:
            continue
        before, after = changes[name]
        row = {"label": label, "secret": name in SECRET, "diff": None}
        if name in LONG_TEXTS:
            row["diff"] = _diff(before, after)
        elif not row["secret"]:
            row["before"] = _value(name, before, names, first_date)
            row["after"] = _value(name, after, names, first_date)
        rows.append(row)
    return rows


def _history_page(item, *, title: str, back: str):
    session = get_session()
    revisions = history.revisions_of(session, item)
    changes = [json.loads(revision.changes) for revision in revisions]
    names = _Names(session, changes)
    editor_ids = {r.editor_id for r in revisions if r.editor_id is not None}
    editors = (
        session.exec(select(User).where(col(User.id).in_(editor_ids))).all() if editor_ids else []
    )
    by_id = {user.id: user for user in editors}
    first_date = getattr(item, "first_date", None) or date.today()
    entries = [
        {
            "revision": revision,
            "editor": by_id.get(revision.editor_id),
            "rows": _rows(change, names, first_date),
        }
        for revision, change in zip(revisions, changes, strict=True)
    ]
    return render("events/history.html", entries=entries, title=title, back=back)


@bp.get("/events/<int:event_id>/history")
def event_history(event_id: int):
    event = load_event(event_id)["event"]
    return _history_page(
        event,
        title=event.text_in(current_language())[1],
        back=url_for("events.event_detail", event_id=event.id),
    )


@bp.get("/events/series/<int:series_id>/history")
def series_history(series_id: int):
    item: EventSeries = load_series(series_id)["series"]
    return _history_page(
        item,
        title=item.text_in(current_language())[1],
        back=url_for("events.series_detail", series_id=item.id),
    )
