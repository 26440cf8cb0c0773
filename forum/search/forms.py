"""Forms of the search area (the search itself is a GET form without CSRF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class GlossaryGroupForm(FlaskForm):
    note = StringField(_l("Name of the group (for admins)"), validators=[Length(max=200)])
    terms = TextAreaField(
        _l("Equivalent terms, one a line"),
        validators=[DataRequired(message=_l("Enter at least two terms.")), Length(max=2000)],
        render_kw={"rows": 5},
    )


class GlossaryDeleteForm(FlaskForm):
    """Only the CSRF token."""
