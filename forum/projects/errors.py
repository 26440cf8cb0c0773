"""Domain errors of the projects area. Views turn them into a 4xx with the translated message;
``field`` names the form field the message belongs to (the form comes back filled)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain import DomainError


class ProjectsError(DomainError):
    status = 422
    default_message = _l("Some of what you entered needs fixing.")


class NotAllowed(ProjectsError):
    status = 403
    default_message = _l("You do not have permission to do that.")


class InvalidInput(ProjectsError):
    status = 422


class DuplicateSlug(ProjectsError):
    status = 422
    default_message = _l(
        "A project with this address already exists. Choose another name or address."
    )


class UnknownProject(ProjectsError):
    status = 422
    default_message = _l("Choose a project from the list.")
