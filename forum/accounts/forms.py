"""Account forms. Every field has a translated label; passwords are never re-rendered."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..web.forms import MENTIONS
from . import passwords
from .labels import ACTOR_TYPE_LABELS, ROLE_LABELS
from .models import ActorType

# Each language named in itself, so a reader finds their own whatever the page language is.
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _required(message=None):
    return DataRequired(message=message or _l("This field is required."))


def _email_field(label, **render_kw):
    return EmailField(
        label,
        filters=[_lower],
        validators=[
            _required(_l("Enter your e-mail address.")),
            Length(
                max=254, message=_l("The e-mail address can be at most %(max)d characters long.")
            ),
            Email(
                message=_l("Enter a valid e-mail address, like name@example.org."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email", **render_kw},
    )


def _no_control_characters(form, field):
    if field.data and any(ord(ch) < 32 or ord(ch) == 127 for ch in field.data):
        raise ValidationError(_l("Use letters, digits, spaces and punctuation only."))


def _display_name_field():
    return StringField(
        _l("Display name"),
        filters=[_strip],
        validators=[
            _required(_l("Enter a display name.")),
            Length(
                min=2,
                max=80,
                message=_l("The name must be between %(min)d and %(max)d characters long."),
            ),
            _no_control_characters,
        ],
        render_kw={"autocomplete": "name", "maxlength": 80},
    )


def _organisation_field(**render_kw):
    return StringField(
        _l("Organisation (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=120, message=_l("At most %(max)d characters.")),
            _no_control_characters,
        ],
        render_kw={"maxlength": 120, **render_kw},
    )


def _language_field(**kwargs):
    return SelectField(
        _l("Language of the forum and of e-mails"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
        **kwargs,
    )


def _current_password_field(label):
    return PasswordField(
        label,
        validators=[InputRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class PasswordPolicy:
    """The password policy as a WTForms validator; ``email_field`` names the e-mail field."""

    def __init__(self, email_field: str | None = None):
        self.email_field = email_field

    def __call__(self, form, field):
        email = None
        if self.email_field:
            email = form[self.email_field].data
        elif getattr(form, "account_email", None):
            email = form.account_email
        problems = passwords.password_problems(field.data or "", email=email)
        if problems:
            raise ValidationError(" ".join(problems))


def _new_password_fields(name: str, label, *, email_field: str | None = None):
    """The new password and its repetition; ``name`` is the form's name of the first one."""
    new = PasswordField(
        label,
        validators=[InputRequired(message=_l("Choose a password.")), PasswordPolicy(email_field)],
        render_kw={"autocomplete": "new-password"},
    )
    again = PasswordField(
        _l("Password again"),
        validators=[
            InputRequired(message=_l("Repeat the password.")),
            EqualTo(name, message=_l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return new, again


class _NewPasswordForm(FlaskForm):
    """Sets the password of a known account: the policy compares it with ``account_email``."""

    def __init__(self, *args, account_email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email


class RegisterForm(FlaskForm):
    display_name = _display_name_field()
    email = _email_field(_l("E-mail address"), maxlength=254)
    password, password_confirm = _new_password_fields(
        "password", _l("Password"), email_field="email"
    )
    organisation = _organisation_field(autocomplete="organization")
    actor_type = SelectField(
        _l("You speak for"), choices=_choices(ACTOR_TYPE_LABELS), default=ActorType.individual.value
    )
    locale = _language_field(default="sv")
    accept_terms = BooleanField(
        _l("I accept the forum's terms"),
        validators=[DataRequired(message=_l("You need to accept the terms to register."))],
    )
    # Honeypot: hidden from people (and from assistive technology); naive bots fill it in.
    website = StringField(
        _l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"}
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[_lower],
        validators=[_required(_l("Enter your e-mail address."))],
        render_kw={"autocomplete": "username"},
    )
    password = _current_password_field(_l("Password"))
    remember = BooleanField(_l("Remember me on this device"))
    next = HiddenField()


class ActionForm(FlaskForm):
    """A form without fields: a button protected by the CSRF token (logout, send again...)."""


class ResetRequestForm(FlaskForm):
    email = _email_field(_l("E-mail address"))


class ResetPasswordForm(_NewPasswordForm):
    password, password_confirm = _new_password_fields("password", _l("New password"))


class ProfileForm(FlaskForm):
    display_name = _display_name_field()
    organisation = _organisation_field()
    actor_type = SelectField(_l("You speak for"), choices=_choices(ACTOR_TYPE_LABELS))
    bio = TextAreaField(
        _l("About you (Markdown)"),
        filters=[_strip],
        validators=[Optional(), Length(max=2000, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 6, **MENTIONS},
    )


class HandleForm(FlaskForm):
    handle = StringField(
        _l("New handle"),
        filters=[_strip],
        validators=[_required(_l("Enter a handle.")), Length(max=31)],
        render_kw={"autocomplete": "off", "maxlength": 31, "spellcheck": "false"},
    )


class LanguageForm(FlaskForm):
    locale = _language_field()


class EmailChangeForm(FlaskForm):
    email = _email_field(_l("New e-mail address"))
    password = _current_password_field(_l("Your current password"))


class PasswordChangeForm(_NewPasswordForm):
    current_password = _current_password_field(_l("Current password"))
    new_password, new_password_confirm = _new_password_fields("new_password", _l("New password"))


class DeleteAccountForm(FlaskForm):
    password = _current_password_field(_l("Your password"))
    understood = BooleanField(
        _l("I understand that this cannot be undone"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS))


class PictureForm(FlaskForm):
    picture = FileField(
        _l("Picture"),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
