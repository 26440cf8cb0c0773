"""Domain errors of moderation. Views turn them into a 4xx with the translated message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain import DomainError


class ModerationError(DomainError):
    """Base class of the area's domain errors."""


class NotAllowed(ModerationError):
    status = 403
    default_message = _l("You do not have permission to do that.")


class InvalidAction(ModerationError):
    """The action does not fit the item's current state (e.g. restoring a visible post)."""

    status = 409
    default_message = _l("That action does not fit the current state. Reload and try again.")


class InvalidInput(ModerationError):
    """Input the forms should have caught (the services check it again)."""

    status = 422
    default_message = _l("Some of what you entered needs fixing.")


class ItemNotFound(ModerationError):
    status = 404
    default_message = _l("The reported item does not exist any more.")
