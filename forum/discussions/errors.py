"""Domain errors of the discussions area. Views turn them into a 4xx with the translated message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain import DomainError


class DiscussionError(DomainError):
    """Base class of the area's domain errors."""


class NotAllowed(DiscussionError):
    status = 403
    default_message = _l("You do not have permission to do that.")


class ThreadLocked(DiscussionError):
    status = 403
    default_message = _l("This thread is locked: it takes no new replies.")


class InvalidContent(DiscussionError):
    """Input the forms should have caught (the services check it again)."""

    status = 422
    default_message = _l("Some of what you entered needs fixing.")


class InvalidSolution(DiscussionError):
    status = 422
    default_message = _l("Only a visible reply in this thread can be marked as the solution.")


class DuplicateSubmission(DiscussionError):
    """A submission key that belongs to somebody else's post (never a plain double click)."""

    status = 409
    default_message = _l("This form was already used. Reload the page and try again.")
