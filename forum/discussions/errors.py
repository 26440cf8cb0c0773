"""Domain errors of the discussions area beyond the shared kinds of ``forum.domain``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain import Conflict, InvalidInput, NotAllowed


class ThreadLocked(NotAllowed):
    default_message = _l("This thread is locked: it takes no new replies.")


class InvalidContent(InvalidInput):
    """Refused thread or post content: the discussion views show their form again with it."""


class InvalidSolution(InvalidInput):
    default_message = _l("Only a visible reply in this thread can be marked as the solution.")


class DuplicateSubmission(Conflict):
    """A submission key that belongs to somebody else's post (never a plain double click)."""

    default_message = _l("This form was already used. Reload the page and try again.")
