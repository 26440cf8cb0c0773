"""The participant list as a CSV file that Excel with Swedish settings opens as it is: UTF-8
with a byte order mark (or Excel guesses Windows-1252), ``;`` between cells (``,`` is the
decimal comma there) and CRLF line ends.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a
formula (CSV injection: members write their own names and answers), so it gets an apostrophe
in front, which Excel shows as text.
"""

from __future__ import annotations

import csv
import io

from flask_babel import format_datetime
from flask_babel import gettext as _

from .labels import QUESTION_LABELS, REGISTRATION_STATE_LABELS
from .registration_queries import Participants

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def participants_csv(participants: Participants, questions: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Name"),
            _("Organisation (profile)"),
            _("State"),
            _("Waitlist place"),
            _("Registered at"),
            *(str(QUESTION_LABELS[key]) for key in questions),
        ]
    )
    rows = [(p, None) for p in participants.registered]
    rows += [(p, place) for place, p in enumerate(participants.waiting, start=1)]
    for participant, place in rows:
        registration, user = participant.registration, participant.user
        writer.writerow(
            safe_cell(value)
            for value in (
                user.display_name,
                getattr(user, "organisation", "") or "",
                str(REGISTRATION_STATE_LABELS[registration.state]),
                place or "",
                format_datetime(registration.queued_at, "yyyy-MM-dd HH:mm"),
                *(participant.answers.get(key, "") for key in questions),
            )
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
