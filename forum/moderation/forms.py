"""Forms of moderation. Every POST form carries CSRF (Flask-WTF); the log filter is a plain GET
form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..clock import utcnow
from ..web import MAX_DATABASE_INT
from ..web.forms import ALWAYS_CHOSEN, MENTIONS
from .rules import REASON_MAX
from .users import NOTE_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def reason_labels() -> dict[str, str]:
    return {
        "spam": _l("Spam or advertising"),
        "off_topic": _l("Off-topic"),
        "harassment": _l("Harassment or personal attack"),
        "misinformation": _l("Misinformation"),
        "personal_data": _l("Personal data that should not be public"),
        "other": _l("Something else"),
    }


def _reason(label=None, *, required: bool = True, hint_max: int = REASON_MAX):
    validators = [Length(max=hint_max, message=_l("Keep it under %(max)d characters."))]
    validators.insert(0, DataRequired(message=_l("Give a reason.")) if required else Optional())
    return TextAreaField(
        label or (_l("Reason") if required else _l("Reason (optional)")),
        filters=[_strip],
        validators=validators,
        render_kw={"rows": 2},
    )


def _title(label):
    return StringField(
        label,
        filters=[lambda v: " ".join(v.split()) if isinstance(v, str) else v],
        validators=[DataRequired(message=_l("Give the thread a title.")), Length(min=5, max=200)],
    )


class ReportForm(FlaskForm):
    item_type = HiddenField(validators=[DataRequired()])
    item_id = HiddenField(validators=[DataRequired()])
    reason = RadioField(
        _l("Why are you reporting this?"),
        choices=[],
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    comment = TextAreaField(
        _l("Comment for the moderators (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=REASON_MAX)],
        render_kw={"rows": 3},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [SelectChoice(key, label) for key, label in reason_labels().items()]


class ReasonForm(FlaskForm):
    """Hide, dismiss, resolve, reject: a reason is required."""

    reason = _reason()


class OptionalReasonForm(FlaskForm):
    """Pin, lock, restore, lift...: a reason is welcome but optional."""

    reason = _reason(required=False)


class ConfirmedReasonForm(FlaskForm):
    """Permanent deletion: a reason and an explicit confirmation."""

    reason = _reason()
    confirm = BooleanField(
        _l("I understand that this cannot be undone"),
        validators=[DataRequired(message=_l("Confirm that you want to delete this for good."))],
    )


class EditPostForm(FlaskForm):
    body = TextAreaField(
        _l("Text"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Write some text."))],
        render_kw={"rows": 10, **MENTIONS},
    )
    reason = _reason(_l("Reason for the edit"))


class MoveForm(FlaskForm):
    theme = SelectField(
        _l("New theme"),
        coerce=int,
        choices=[],
        validators=[DataRequired(message=_l("Choose a theme."))],
        render_kw=ALWAYS_CHOSEN,
    )
    reason = _reason(required=False)


class RenameForm(FlaskForm):
    title = _title(_l("New title"))
    reason = _reason(required=False)


class MergeForm(FlaskForm):
    target = StringField(
        _l("Merge into thread (its number or address)"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Give the number or the address of the thread."))],
    )
    reason = _reason()

    def target_id(self) -> int | None:
        """``42``, ``/threads/42-solar`` or a full URL ending in it."""
        import re

        match = re.search(r"(?:^|/threads/)(\d{1,9})(?:-|$|/|\?|#)", self.target.data or "")
        return int(match.group(1)) if match else None

    def validate_target(self, field):
        if self.target_id() is None:
            raise ValidationError(_l("Give the number or the address of the thread."))


class SplitForm(FlaskForm):
    post_ids = SelectMultipleField(
        _l("Replies to move"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Select at least one reply to move."))],
    )
    title = _title(_l("Title of the new thread"))
    reason = _reason(required=False)


class _ItemContext:
    """Set from the queue: the action also resolves the item's open reports."""

    item_type = HiddenField()
    item_id = HiddenField()


class WarnForm(_ItemContext, FlaskForm):
    message = TextAreaField(
        _l("Message to the user"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Write the warning.")), Length(max=REASON_MAX)],
        render_kw={"rows": 3},
    )


class SuspendForm(_ItemContext, FlaskForm):
    duration = RadioField(
        _l("How long?"),
        choices=[
            SelectChoice("until", _l("Until a date")),
            SelectChoice("indefinite", _l("Indefinitely")),
        ],
        default="until",
        validators=[InputRequired()],
    )
    until = DateField(_l("Suspended until (end of the day)"), validators=[Optional()])
    reason = _reason(_l("Reason (the user sees it)"))

    def validate_until(self, field):
        if self.duration.data == "until":
            if field.data is None:
                raise ValidationError(_l("Choose the last day of the suspension."))
            if field.data < utcnow().date():
                raise ValidationError(_l("The end of the suspension must be in the future."))


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Private note (moderators only)"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Write the note.")), Length(max=NOTE_MAX)],
        render_kw={"rows": 3},
    )


class LogFilterForm(FlaskForm):
    """GET filter of the audit log (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    moderator = SelectField(_l("Moderator"), coerce=int, choices=[], validators=[Optional()])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    user = IntegerField(
        _l("User number"), validators=[Optional(), NumberRange(min=1, max=MAX_DATABASE_INT)]
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
