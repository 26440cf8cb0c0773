"""The base of every area's domain errors: views turn them into a 4xx with the translated
message."""

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
