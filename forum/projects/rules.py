"""Who may write on the project and lesson pages, as rules for ``forum.web.requires``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import permissions
from ..permissions import Rule


def _not_suspended(user) -> bool:
    return not permissions.is_suspended(user)


def _confirmed(user) -> bool:
    return bool(getattr(user, "is_confirmed", False))


# Writing projects and lessons: the suspension is named first, since confirming would not help.
WRITER = (
    Rule(_not_suspended, _l("Your account is suspended: you cannot do that right now.")),
    Rule(_confirmed, _l("Confirm your e-mail address first.")),
)
EDIT_PROJECT = Rule(
    permissions.can_edit_project,
    _l("Only the project's creator and moderators can edit it."),
    on=("project",),
)
LINK_THREAD_PROJECT = Rule(
    permissions.can_link_thread_project,
    _l("Only the thread's author and moderators can choose its project."),
    on=("thread",),
)
