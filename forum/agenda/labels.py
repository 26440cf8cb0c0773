"""Translated names of the kinds of event and of their states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import CANCELLED, DRAFT, PUBLISHED, REGISTERED, WAITLISTED, WITHDRAWN

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


# The questions an organiser may ask at registration (``models.QUESTIONS``).
QUESTION_LABELS = {
    "organisation": _l("Organisation"),
    "dietary_needs": _l("Dietary needs"),
    "access_needs": _l("Access needs (step-free access, hearing loop, …)"),
    "interpretation": _l("Interpretation (sign language, other language)"),
}

REGISTRATION_STATE_LABELS = {
    REGISTERED: _l("Registered"),
    WAITLISTED: _l("On the waitlist"),
    WITHDRAWN: _l("Cancelled"),
}


def question_label(key: str) -> str:
    return str(QUESTION_LABELS.get(key, key))
