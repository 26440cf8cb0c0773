"""Domain errors of moderation beyond the shared kinds of ``forum.domain``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain import Conflict, NotFound


class InvalidAction(Conflict):
    """The action does not fit the item's current state (e.g. restoring a visible post)."""

    default_message = _l("That action does not fit the current state. Reload and try again.")


class ItemNotFound(NotFound):
    default_message = _l("The reported item does not exist any more.")
