"""The forms of watching and notifications: each a plain POST with its CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from .. import permissions
from .kinds import DEFAULTS, FREQUENCIES, FREQUENCY_LABELS, GROUP_LABELS, GROUPS
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


class MailForm(FlaskForm):
    """How often each group of kinds comes by mail (one select per group, ``kinds.GROUPS``)."""

    def groups(self, user) -> list:
        """The fields this member chooses: moderators' work only for moderators."""
        return [self[g] for g in GROUPS if g != "moderation" or permissions.can_moderate(user)]


for _group, _label in GROUP_LABELS.items():
    setattr(
        MailForm,
        _group,
        SelectField(
            _label,
            default=DEFAULTS[_group],  # a field the form does not show (moderators' work)
            choices=[SelectChoice(value, label) for value, label in FREQUENCY_LABELS.items()],
            validators=[AnyOf(FREQUENCIES, message=_l("Choose how often to get these by mail."))],
        ),
    )
