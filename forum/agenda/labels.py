"""Translated names of the kinds of event and of their states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import CANCELLED, DRAFT, PUBLISHED

KIND_LABELS = {
    "webinar": _l("Webinar"),
    "workshop": _l("Workshop"),
    "seminar": _l("Seminar"),
    "conference": _l("Conference"),
    "study_visit": _l("Study visit"),
    "meeting": _l("Meeting"),
}

STATE_LABELS = {DRAFT: _l("Draft"), PUBLISHED: _l("Published"), CANCELLED: _l("Cancelled")}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))
