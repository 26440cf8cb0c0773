"""Forms of the invitation list: signing up, and the admins' invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from ..accounts.forms import LANGUAGE_NAMES

BODY_MAX = 20_000


class SignupForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[lambda value: (value or "").strip().lower()],
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(
                max=254, message=_l("The e-mail address can be at most %(max)d characters long.")
            ),
            Email(
                message=_l("Enter a valid e-mail address, like name@example.org."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email"},
    )
    locale = RadioField(
        _l("Language of the invitations"),
        choices=[SelectChoice(value, label) for value, label in LANGUAGE_NAMES.items()],
        default="sv",
        validators=[DataRequired(message=_l("Choose a language."))],
    )


def _subject(label, *, required: bool):
    first = DataRequired(message=_l("Write a subject.")) if required else Optional()
    return StringField(
        label,
        filters=[lambda value: (value or "").strip()],
        validators=[first, Length(max=200, message=_l("At most %(max)d characters."))],
        render_kw={"maxlength": 200},
    )


def _body(label, *, required: bool):
    first = (
        DataRequired(message=_l("Write the text of the invitation.")) if required else Optional()
    )
    return TextAreaField(
        label,
        validators=[first, Length(max=BODY_MAX, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 12},
    )


class InvitationForm(FlaskForm):
    subject_sv = _subject(_l("Subject (Swedish)"), required=True)
    body_sv = _body(_l("Text in Swedish (Markdown)"), required=True)
    subject_en = _subject(_l("Subject (English, optional)"), required=False)
    body_en = _body(_l("Text in English (Markdown, optional)"), required=False)
