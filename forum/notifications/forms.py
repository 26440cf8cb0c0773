"""The forms of watching and notifications: each a plain POST with its CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from .service import LEVELS, MUTED, TARGET_TYPES, TRACKING, WATCHING

LEVEL_LABELS = {
    "": _l("Not watching"),
    WATCHING: _l("Watching: everything new"),
    TRACKING: _l("Tracking: only mentions and replies to me"),
    MUTED: _l("Muted: nothing"),
}


class WatchForm(FlaskForm):
    target_type = HiddenField(validators=[AnyOf(TARGET_TYPES)])
    target_key = HiddenField()
    next = HiddenField()
    level = SelectField(
        _l("Notifications"),
        choices=[SelectChoice(value, label) for value, label in LEVEL_LABELS.items()],
        validators=[AnyOf(("", *LEVELS), message=_l("Choose how closely to follow it."))],
    )


class DefaultsForm(FlaskForm):
    threads = BooleanField(_l("Watch the threads I start or reply to"))
    lessons = BooleanField(_l("Watch the lessons I write"))


class ReadForm(FlaskForm):
    """Mark read: the page it was sent from comes back."""

    page = HiddenField()
