"""Account forms. Every field has a translated label; passwords are never re-rendered."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
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
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from . import passwords
from .labels import ACTOR_TYPE_LABELS, ROLE_LABELS
from .models import ActorType

# Each language named in itself, so a reader finds their own whatever the page language is.
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _required(message=None):
    return DataRequired(message=message or _l("This field is required."))


def _email_validators():
    return [
        _required(_l("Enter your e-mail address.")),
        Length(max=254, message=_l("The e-mail address can be at most %(max)d characters long.")),
        Email(
            message=_l("Enter a valid e-mail address, like name@example.org."),
            check_deliverability=False,
        ),
    ]


def _no_control_characters(form, field):
    if field.data and any(ord(ch) < 32 or ord(ch) == 127 for ch in field.data):
        raise ValidationError(_l("Use letters, digits, spaces and punctuation only."))


def _name_validators():
    return [
        _required(_l("Enter a display name.")),
        Length(
            min=2,
            max=80,
            message=_l("The name must be between %(min)d and %(max)d characters long."),
        ),
        _no_control_characters,
    ]


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


def _new_password_fields(email_field: str | None = None, label=None):
    new = PasswordField(
        label or _l("Password"),
        validators=[InputRequired(message=_l("Choose a password.")), PasswordPolicy(email_field)],
        render_kw={"autocomplete": "new-password"},
    )
    again = PasswordField(
        _l("Password again"),
        validators=[InputRequired(message=_l("Repeat the password."))],
        render_kw={"autocomplete": "new-password"},
    )
    return new, again


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        filters=[_strip],
        validators=_name_validators(),
        render_kw={"autocomplete": "name", "maxlength": 80},
    )
    email = EmailField(
        _l("E-mail address"),
        filters=[_lower],
        validators=_email_validators(),
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    password, password_confirm = _new_password_fields("email")
    organisation = StringField(
        _l("Organisation (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=120, message=_l("At most %(max)d characters.")),
            _no_control_characters,
        ],
        render_kw={"autocomplete": "organization", "maxlength": 120},
    )
    actor_type = SelectField(
        _l("You speak for"), choices=_choices(ACTOR_TYPE_LABELS), default=ActorType.individual.value
    )
    locale = SelectField(
        _l("Language of the forum and of e-mails"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
        default="sv",
    )
    accept_terms = BooleanField(
        _l("I accept the forum's terms"),
        validators=[DataRequired(message=_l("You need to accept the terms to register."))],
    )
    # Honeypot: hidden from people (and from assistive technology); naive bots fill it in.
    website = StringField(
        _l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"}
    )

    def validate_password_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords do not match."))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[_lower],
        validators=[_required(_l("Enter your e-mail address."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device"))
    next = HiddenField()


class ActionForm(FlaskForm):
    """A form without fields: a button protected by the CSRF token (logout, send again...)."""


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[_lower],
        validators=_email_validators(),
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    password, password_confirm = _new_password_fields(label=_l("New password"))

    def __init__(self, *args, account_email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email

    def validate_password_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords do not match."))


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        filters=[_strip],
        validators=_name_validators(),
        render_kw={"autocomplete": "name", "maxlength": 80},
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=120, message=_l("At most %(max)d characters.")),
            _no_control_characters,
        ],
        render_kw={"maxlength": 120},
    )
    actor_type = SelectField(_l("You speak for"), choices=_choices(ACTOR_TYPE_LABELS))
    bio = TextAreaField(
        _l("About you (Markdown)"),
        filters=[_strip],
        validators=[Optional(), Length(max=2000, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 6},
    )


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language of the forum and of e-mails"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
    )


class EmailChangeForm(FlaskForm):
    email = EmailField(
        _l("New e-mail address"),
        filters=[_lower],
        validators=_email_validators(),
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Your current password"),
        validators=[InputRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, new_password_confirm = _new_password_fields(label=_l("New password"))

    def __init__(self, *args, account_email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email

    def validate_new_password_confirm(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("The two passwords do not match."))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that this cannot be undone"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS))
