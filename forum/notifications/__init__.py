"""Watching and notifications: members follow threads, lessons, projects, themes, goals and saved
searches, and are told what happened there on /notifications.

API for other areas: none to import. Areas send their domain events (``forum.events``) and the
receivers here decide who is told (``receivers``, ``fanout``). For new triggers inside this area,
``service.notify(session=, user_id=, kind=, ...)`` writes one notification (never to the actor)
and ``fanout.mentioned(session=, actor_id=, post=, user_ids=)`` tells members named in a post,
respecting what they muted. ``visibility.visible_ids(session, notifications)`` answers, for a
batch of any members' notifications in at most four statements, which may still be shown or
mailed; unmailed ones have ``emailed_at`` NULL (``ix_notification_user_unsent``). Mail: each
member chooses per group of kinds (``kinds.GROUPS``) at once, daily, weekly or never
(``preferences``); ``mailing`` writes the "at once" mail, ``digests`` the digests.
"""

# Connected from the moment the area is imported (``forum.models`` imports it early); the section
# of the data export registers with the blueprint (``views``), after the site's sections.
# The mail's composer and the digest job register when imported.
from . import digests, mailing, receivers  # noqa: F401
