"""Domain events: how an area reacts to another area's changes without importing it.

A service sends an event after it has flushed the change, inside its caller's transaction.
Receivers run at once, in the same session, so whatever they write commits or rolls back together
with the change; a receiver flushes but never commits. The sender is the sending area's name;
the keyword arguments of each event are listed beside it and are the whole contract.

Receivers connect when their area's package is imported (``create_app`` imports every area), so a
lower area never needs to know who listens.
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

#: session, actor, post, thread, first (True for a thread's opening post)
post_created = _events.signal("post-created")
#: session, actor, user, before, after (the role values as strings)
user_role_changed = _events.signal("user-role-changed")
#: session, actor, lesson (a lesson has just been published, with its discussion thread)
lesson_published = _events.signal("lesson-published")
#: session, actor, lesson (a moderator has just featured a lesson that was not featured)
lesson_featured = _events.signal("lesson-featured")
#: session, actor, post, thread (``post`` has just been marked as the solution of ``thread``)
solution_marked = _events.signal("solution-marked")
#: session, post, thread (a new post has just been hidden until a moderator approves it)
post_held = _events.signal("post-held")
#: session, actor, post, thread (a moderator approved a waiting post: it is public now)
post_approved = _events.signal("post-approved")
#: session, actor, report (a member has just filed a report)
report_filed = _events.signal("report-filed")
#: session, user, handle (the account has just been anonymised: remove what belongs to the
#: person; ``handle``, the one it had or None: areas render again what mentions it)
account_deleted = _events.signal("account-deleted")
#: session, actor, event, registration, before (the registration's state before the change, or
#: None for a new one; ``registration.state`` is the state after it: a member registered, joined
#: the waitlist, cancelled, or was promoted from the waitlist when a seat freed)
event_registration_changed = _events.signal("event-registration-changed")
#: session, actor, event (a published event's time, place or link changed: its SEQUENCE is raised)
event_rescheduled = _events.signal("event-rescheduled")
#: session, actor, event (a published event has just been cancelled)
event_cancelled = _events.signal("event-cancelled")


class Contributions:
    """An extension point where a lower area asks and higher areas answer.

    The data export asks every area for its section, the project page for what other areas show
    on it: each answer is a dict, and ``collect`` merges them. Providers register with
    ``@point.provide`` when their module is imported; a name given twice is a programming error.
    """

    def __init__(self, name: str):
        self.name = name
        self._providers: list = []

    def provide(self, provider):
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def collect(self, **kwargs) -> dict:
        merged: dict = {}
        for provider in self._providers:
            answer = provider(**kwargs)
            clash = merged.keys() & answer.keys()
            if clash:
                raise RuntimeError(f"{self.name}: {sorted(clash)} given by two providers")
            merged.update(answer)
        return merged
