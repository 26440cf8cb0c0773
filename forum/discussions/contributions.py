"""The extension points through which higher areas add to discussions.

Each provider answers a dict (see forum.events.Contributions).
"""

from __future__ import annotations

from ..events import Contributions

#: The choices of new-thread form fields that a higher area owns (the "Project" field):
#: provider(*, session) -> {field name: choices}
new_thread_form = Contributions("new thread form")

#: Where a plain reply to a thread shown elsewhere lands (a lesson's discussion is shown below the
#: lesson): provider(*, session, thread) -> {"url": ...}, or {} for threads of other kinds.
thread_location = Contributions("thread location")
