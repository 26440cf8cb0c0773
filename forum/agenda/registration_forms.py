"""The registration form (only the questions the event asks, all optional) and what the event
page's registration fragment needs to render."""

from __future__ import annotations

import json

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from ..clock import utcnow
from ..db import get_session
from . import registration_queries
from .labels import QUESTION_LABELS
from .models import PUBLISHED, Event
from .registration import ANSWER_MAX, questions_of


def registration_form(event: Event, **kwargs) -> FlaskForm:
    """A form with one short text field per question of ``event``."""

    class RegistrationForm(FlaskForm):
        pass

    for key in questions_of(event):
        field = StringField(
            QUESTION_LABELS[key],
            filters=[lambda value: (value or "").strip()],
            validators=[Optional(), Length(max=ANSWER_MAX)],
            render_kw={"maxlength": ANSWER_MAX, "autocomplete": "off"},
        )
        setattr(RegistrationForm, key, field)
    return RegistrationForm(**kwargs)


def answers_of(form: FlaskForm, event: Event) -> dict:
    return {key: form[key].data or "" for key in questions_of(event)}


def registration_context(
    event: Event, *, form=None, message=None, error=None, offer_waitlist=False
) -> dict:
    """The registration fragment's context: the seats, the reader's place, the form (filled
    with the reader's answers when they have some, or with what they just sent)."""
    seats = registration_queries.seats(get_session(), event, current_user)
    if form is None:
        stored = seats.mine.answers if seats.mine is not None and seats.state else None
        form = registration_form(event, formdata=None, data=json.loads(stored) if stored else {})
    return {
        "seats": seats,
        "registration_form": form,
        "registration_message": message,
        "registration_error": error,
        "offer_waitlist": offer_waitlist or seats.full,
        "registration_open": event.state == PUBLISHED and event.starts_at > utcnow(),
    }
