"""The discussion of an event: a ``Thread`` of kind ``event``, shown at the bottom of its page.

As a lesson's, it is opened when the event is published, through the discussions service, with
an opening post that points back to the event; its replies are ordinary posts, so replying,
editing, useful marks, reports, moderation and search are the discussions area's own. Title,
language, theme, SDGs and project follow the event on every save. An event published before its
discussion existed gets it at its next save (``sync_discussion``). Cancelling the event locks the
thread; search drops its replies (``searchable.py``: the thread's owner is not public).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from flask_login import current_user
from sqlmodel import Session, col, select

from .. import permissions
from ..core.models import Theme
from ..discussions import queries as discussion_queries
from ..discussions import service as discussions
from ..discussions.contributions import thread_location
from ..discussions.models import Thread
from ..domain import DomainError, InvalidInput
from ..i18n import in_language
from .models import PUBLISHED, Event, EventGoal, EventTheme

THREAD_KIND = "event"


def _opening_post(event: Event) -> str:
    """The first post, in the event's language: a pointer back to the event."""
    with in_language(event.language):
        intro = gettext("Discussion of the event “%(title)s”.", title=event.title)
        more = gettext("Go to the event")
    return f"{intro}\n\n[{more}](/events/{event.id})"


def _thread_title(event: Event) -> str:
    """The event's title; a very short one ("Möte") gets its date, as a thread title needs five
    characters at least."""
    if len(event.title.strip()) >= 5:
        return event.title
    from .service import to_local  # the service imports this module

    return f"{event.title} {to_local(event.starts_at):%Y-%m-%d}"


def _theme(session: Session, event: Event) -> Theme | None:
    """The event's first theme in the forum's order, else the forum's first theme."""
    linked = select(EventTheme.theme_id).where(EventTheme.event_id == event.id)
    own = session.exec(
        select(Theme).where(col(Theme.id).in_(linked)).order_by(Theme.position, Theme.id)
    ).first()
    return own or session.exec(select(Theme).order_by(Theme.position, Theme.id)).first()


def _goal_ids(session: Session, event: Event) -> list[int]:
    return list(session.exec(select(EventGoal.goal_id).where(EventGoal.event_id == event.id)))


def sync_discussion(*, session: Session, actor, event: Event) -> Thread | None:
    """Open the discussion of a published event that has none; otherwise make its thread follow
    the event (title, language, theme, SDGs, project). Drafts have none."""
    if event.state != PUBLISHED:
        return None
    theme = _theme(session, event)
    thread = session.get(Thread, event.thread_id) if event.thread_id else None
    if thread is None:
        try:
            thread = discussions.create_thread(
                session=session,
                actor=actor,
                theme=theme,
                title=_thread_title(event),
                body=_opening_post(event),
                language=event.language,
                goal_ids=_goal_ids(session, event),
                kind=THREAD_KIND,
                project_id=event.project_id,
            )
        except DomainError as exc:
            raise InvalidInput(exc.message) from exc
        event.thread_id = thread.id
        session.add(event)
        session.flush()
        return thread
    title = _thread_title(event)
    thread.title, thread.slug = title, discussions.thread_slug(title)
    thread.language, thread.project_id = event.language, event.project_id
    if theme is not None:
        thread.theme_id = theme.id
    discussions.set_thread_goals(session=session, thread=thread, goal_ids=_goal_ids(session, event))
    return thread


def close_discussion(*, session: Session, event: Event) -> None:
    """A cancelled event's discussion takes no more replies (moderators may still unlock it)."""
    thread = session.get(Thread, event.thread_id) if event.thread_id else None
    if thread is not None and not thread.locked:
        thread.locked = True
        session.add(thread)
        session.flush()


def discussion_context(session: Session, event: Event) -> dict:
    """What ``events/_event_discussion.html`` needs: the thread (None if there is none or the
    reader may not see it), the first page of its posts and an empty reply form."""
    thread = session.get(Thread, event.thread_id) if event.thread_id else None
    if thread is not None and not permissions.can_view_thread(current_user, thread):
        thread = None
    view = (
        discussion_queries.thread_view(session=session, thread=thread, viewer=current_user)
        if thread is not None
        else None
    )
    return {"thread": thread, "view": view, "form": None}


@thread_location.provide
def event_of_discussion(*, session, thread) -> dict:
    """A plain reply on the first page of an event's discussion returns to the event page."""
    if thread.kind != THREAD_KIND:
        return {}
    event_id = session.exec(select(Event.id).where(Event.thread_id == thread.id)).first()
    if event_id is None:
        return {}
    return {"url": url_for("events.event_detail", event_id=event_id)}
