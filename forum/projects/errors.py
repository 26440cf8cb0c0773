"""Domain errors of the projects area beyond the shared kinds of ``forum.domain``; ``field`` names
the form field the message belongs to (the form comes back filled)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain import InvalidInput


class DuplicateSlug(InvalidInput):
    default_message = _l(
        "A project with this address already exists. Choose another name or address."
    )


class UnknownProject(InvalidInput):
    default_message = _l("Choose a project from the list.")
