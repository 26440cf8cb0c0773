"""The form of the accessibility statement: report a barrier."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..moderation.barriers import DESCRIPTION_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class BarrierForm(FlaskForm):
    page = StringField(
        _l("Which page? (address or name)"),
        filters=[_strip],
        validators=[Optional(), Length(max=500)],
    )
    description = TextAreaField(
        _l("What did not work for you?"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Describe the problem you met.")),
            Length(max=DESCRIPTION_MAX),
        ],
        render_kw={"rows": 6},
    )
    email = EmailField(
        _l("Your e-mail address, if you want an answer (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )
