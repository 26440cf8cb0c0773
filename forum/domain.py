"""The domain errors every area raises: views turn them into a 4xx with the translated message.

An area adds a subclass of one of these kinds only for a message of its own or for a view that
catches exactly that refusal.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """``status`` is the HTTP status a view answers with, ``message`` is translated, and ``field``
    (optional) names the form field the message belongs to."""

    status = 400
    default_message = _l("That could not be done.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        # Kept lazy: a service may refuse outside a request (CLI, seed), where no locale is set yet.
        super().__init__(self.message)


class NotAllowed(DomainError):
    status = 403
    default_message = _l("You do not have permission to do that.")


class NotFound(DomainError):
    status = 404
    default_message = _l("The page you asked for does not exist or has been moved.")


class Conflict(DomainError):
    """The action does not fit the current state of what it acts on."""

    status = 409
    default_message = _l("Someone else changed this at the same time. Reload and try again.")


class InvalidInput(DomainError):
    """Input the service refuses (the forms catch most of it first)."""

    status = 422
    default_message = _l("Some of what you entered needs fixing.")
