"""Domain errors of the accounts area. Views turn them into a 4xx with the translated message, or
show them next to the form field they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain import DomainError


class AccountError(DomainError):
    """Base class of the area's domain errors. ``default_field`` names the form field a subclass's
    message belongs to unless the raiser names another one."""

    status = 422
    default_message = _l("That did not work.")
    default_field: str | None = None

    def __init__(self, message=None, *, field: str | None = None):
        super().__init__(message, field=field or self.default_field)


class EmailTaken(AccountError):
    default_message = _l(
        "An account with this e-mail address already exists. Log in or reset your password."
    )
    default_field = "email"


class WeakPassword(AccountError):
    default_field = "password"


class InvalidCredentials(AccountError):
    default_message = _l("The e-mail address or the password is wrong.")


class WrongPassword(AccountError):
    default_message = _l("The password is wrong.")
    default_field = "password"


class InvalidToken(AccountError):
    status = 400
    default_message = _l(
        "This link is not valid. It may have been used already or replaced by a newer one."
    )


class ExpiredToken(InvalidToken):
    default_message = _l("This link has expired. Ask for a new one.")


class AlreadyConfirmed(AccountError):
    status = 409
    default_message = _l("Your e-mail address is already confirmed.")
