"""Demo content for ``flask forum seed --demo`` (and ``make run`` on an empty database).

``SEEDERS`` runs in order; each takes the session and returns lines describing what it created.
An area adds its seeder by importing it here and appending it to the list (accounts come first:
the other seeders use ``forum.accounts.demo.demo_user(session, "admin")`` and friends as authors).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from .accounts.demo import seed_demo_accounts
from .agenda.demo import seed_demo_events
from .agenda.demo_recordings import seed_demo_recordings
from .discussions.demo import seed_demo_discussions
from .invitations.demo import seed_demo_invitations
from .lessons.demo import seed_demo_lessons
from .projects.demo import seed_demo_projects

SEEDERS: list[Callable[[Session], list[str]]] = [
    seed_demo_accounts,  # one admin, one moderator, two members
    seed_demo_discussions,  # six threads with replies in Swedish and English
    seed_demo_projects,  # four Malmö projects (uses the demo accounts)
    seed_demo_lessons,  # one or two lessons for each demo project
    seed_demo_invitations,  # a past webinar in the invitation archive
    seed_demo_events,  # monthly webinars, a workshop and a study visit
    seed_demo_recordings,  # captions and a video link for past demo webinars
]


def seed_demo(session: Session) -> list[str]:
    """Run every area's demo seeder; return the lines to print."""
    lines: list[str] = []
    for seeder in SEEDERS:
        lines.extend(seeder(session))
        session.flush()
    return lines
