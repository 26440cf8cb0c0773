"""The participant list as a CSV file (made by ``forum.web.spreadsheets``: safe from formulas,
right in Swedish Excel)."""

from __future__ import annotations

from flask import Response
from flask_babel import format_datetime
from flask_babel import gettext as _

from ..web.spreadsheets import csv_response
from .labels import QUESTION_LABELS, REGISTRATION_STATE_LABELS
from .registration_queries import Participants


def participants_csv(
    participants: Participants, questions: list[str], *, filename: str
) -> Response:
    header = [
        _("Name"),
        _("Organisation (profile)"),
        _("State"),
        _("Waitlist place"),
        _("Registered at"),
        *(str(QUESTION_LABELS[key]) for key in questions),
    ]
    rows = [(p, None) for p in participants.registered]
    rows += [(p, place) for place, p in enumerate(participants.waiting, start=1)]
    return csv_response(
        header,
        (
            (
                participant.user.display_name,
                getattr(participant.user, "organisation", "") or "",
                str(REGISTRATION_STATE_LABELS[participant.registration.state]),
                place or "",
                format_datetime(participant.registration.queued_at, "yyyy-MM-dd HH:mm"),
                *(participant.answers.get(key, "") for key in questions),
            )
            for participant, place in rows
        ),
        filename=filename,
    )
