"""Forms of the discussions area. Every form carries a one-time submission key (double submits)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..web.forms import ALWAYS_CHOSEN, MENTIONS
from ..web.fragments import csrf_token, new_submission_key, submission_key_or_hole
from .service import BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def language_choices():
    return [
        SelectChoice("", _l("Detect from the text")),
        SelectChoice("sv", _l("Swedish")),
        SelectChoice("en", _l("English")),
    ]


def _body_field(label):
    return TextAreaField(
        label,
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write some text.")),
            Length(
                min=BODY_MIN,
                max=BODY_MAX,
                message=_l("The text must be between %(min)d and %(max)d characters."),
            ),
        ],
        render_kw=MENTIONS,
    )


def _title_field(presence):
    return StringField(
        _l("Title"),
        filters=[lambda v: " ".join(v.split()) if isinstance(v, str) else v],
        validators=[
            presence,
            Length(
                min=TITLE_MIN,
                max=TITLE_MAX,
                message=_l("The title must be between %(min)d and %(max)d characters."),
            ),
        ],
    )


def _key_field():
    return HiddenField(
        validators=[
            Optional(),
            Regexp(
                r"^[A-Za-z0-9_-]{16,64}$", message=_l("This form is out of date. Reload the page.")
            ),
        ],
        default=new_submission_key,
    )


class ThreadForm(FlaskForm):
    theme = SelectField(
        _l("Theme"),
        validators=[DataRequired(message=_l("Choose a theme."))],
        choices=[],
        render_kw=ALWAYS_CHOSEN,
    )
    title = _title_field(DataRequired(message=_l("Give the thread a title.")))
    body = _body_field(_l("Text"))
    goals = SelectMultipleField(
        _l("Sustainable Development Goals"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    language = SelectField(_l("Language of the text"), choices=language_choices(), default="")
    # the choices are the projects, filled in by the view (forum.projects owns them)
    project = SelectField(_l("Project"), choices=[], default="")
    submission_key = _key_field()


class ReplyForm(FlaskForm):
    """Fields are prefixed (``reply-body``) so ids never clash with an inline edit form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reply")
        super().__init__(*args, **kwargs)

    body = _body_field(_l("Your reply"))
    language = SelectField(_l("Language of the text"), choices=language_choices(), default="")
    submission_key = _key_field()


def blank_reply_form() -> ReplyForm:
    """An empty reply form for a cached fragment (``_reply_section.html``): its CSRF token and
    submission key are holes that each use of the fragment fills with new values."""
    form = ReplyForm(formdata=None)
    form.submission_key.data = submission_key_or_hole()
    if form.meta.csrf:  # (switched off in some tests)
        form.csrf_token.current_token = csrf_token()
    return form


class EditPostForm(FlaskForm):
    """Prefixed per post (``edit-12-body``): several can be open on one page."""

    title = _title_field(Optional())
    body = _body_field(_l("Text"))
    language = SelectField(_l("Language of the text"), choices=language_choices()[1:])


class ActionForm(FlaskForm):
    """Buttons that change something (useful, solution, delete): only the CSRF token."""
