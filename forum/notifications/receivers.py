"""The receivers of the domain events (``forum.events``) that notifications follow.

They run in the sender's transaction and only flush. A new thread or lesson is also matched
against the saved searches members watch: that is a job (``notifications.match_saved_searches``)
enqueued once the transaction commits, so a request never waits for it and a rolled-back thread
matches nothing.
"""

from __future__ import annotations

import logging

from flask import has_app_context
from sqlalchemy import event
from sqlmodel import Session, select

from .. import events
from ..accounts.handles import mentioned_members
from ..db import session_scope
from ..discussions.service import first_post_id
from ..jobs import get_jobs, job
from ..moderation.approval import approval_reasons
from ..search.saved import matching_queries
from . import fanout, service
from .models import Watch
from .service import KIND_APPROVAL, KIND_REPORT, WATCHING

log = logging.getLogger("forum.notifications")
PENDING_KEY = "notifications_saved_search"
# Distinct saved searches read for one new item: each costs one query on a one-document index.
MAX_DISTINCT_SEARCHES = 5000


@events.post_created.connect
def on_post_created(sender, *, session: Session, actor, post, thread, first: bool):
    author_id = getattr(actor, "id", None)
    if first and thread.kind != "discussion":
        return  # a lesson's (or event's) publication is the news, not its thread's pointer post
    service.watch_by_default(session, author_id, "thread", thread.id)
    # Blinker calls receivers in no fixed order: whether moderation's approval hold has run yet
    # or not, a post that waits is told about once a moderator approves it (on_post_approved).
    if post.hidden_at is not None or approval_reasons(author=actor, post=post):
        return
    _tell_about_post(session, author_id, post, thread, first)


def _tell_about_post(session: Session, author_id, post, thread, first: bool) -> None:
    """Members the post mentions are told of the mention alone (not of the reply or the thread
    as well); then the watchers."""
    mentioned = set(mentioned_members(session, post.body)) - {author_id}
    if mentioned:
        fanout.mentioned(session=session, actor_id=author_id, post=post, user_ids=mentioned)
    if first:
        fanout.thread_started(session=session, author_id=author_id, thread=thread, skip=mentioned)
        _match_saved_searches_later(session, "thread", thread.id, author_id)
    else:
        fanout.reply_posted(
            session=session, author_id=author_id, post=post, thread=thread, skip=mentioned
        )


@events.post_approved.connect
def on_post_approved(sender, *, session: Session, actor, post, thread):
    service.mark_read_for_everyone(session=session, kind=KIND_APPROVAL, post_id=post.id)
    first = post.id == first_post_id(session=session, thread=thread)
    _tell_about_post(session, post.author_id, post, thread, first)


@events.post_held.connect
def on_post_held(sender, *, session: Session, post, thread):
    fanout.for_moderators(
        session, kind=KIND_APPROVAL, actor_id=post.author_id, post_id=post.id, thread_id=thread.id
    )


@events.lesson_published.connect
def on_lesson_published(sender, *, session: Session, actor, lesson):
    service.watch_by_default(session, actor.id, "lesson", lesson.id)
    fanout.lesson_published(session=session, author_id=actor.id, lesson=lesson)
    _match_saved_searches_later(session, "lesson", lesson.id, actor.id)


@events.lesson_featured.connect
def on_lesson_featured(sender, *, session: Session, actor, lesson):
    fanout.lesson_featured(session=session, actor_id=actor.id, lesson=lesson)


@events.solution_marked.connect
def on_solution_marked(sender, *, session: Session, actor, post, thread):
    fanout.solution_marked(session=session, actor_id=actor.id, post=post, thread=thread)


@events.report_filed.connect
def on_report_filed(sender, *, session: Session, actor, report):
    fanout.for_moderators(
        session, kind=KIND_REPORT, actor_id=getattr(actor, "id", None), report_id=report.id
    )


@events.account_deleted.connect
def on_account_deleted(sender, *, session: Session, user, handle: str | None):
    service.forget_member(session=session, user_id=user.id)


# --- saved searches -----------------------------------------------------------------------------
def _match_saved_searches_later(session: Session, entity: str, entity_id: int, author_id) -> None:
    """Without an application (a script writing through the services) there is no queue: the
    saved searches are then not matched."""
    if has_app_context():
        session.info.setdefault(PENDING_KEY, []).append((get_jobs(), entity, entity_id, author_id))


@event.listens_for(Session, "after_commit")
def _enqueue_matching(session: Session) -> None:
    for jobs, entity, entity_id, author_id in session.info.pop(PENDING_KEY, []):
        jobs.enqueue("notifications.match_saved_searches", entity, entity_id, author_id)


@event.listens_for(Session, "after_rollback")
def _drop_matching(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


@job("notifications.match_saved_searches", retries=3, retry_delay=10.0)
def match_saved_searches(entity: str, entity_id: int, author_id: int | None) -> None:
    """Tell the watchers of every saved search the new thread or lesson matches. Runs once per
    new item: the distinct watched searches (at most ``MAX_DISTINCT_SEARCHES``) are each run on
    a one-document index holding just that item."""
    with session_scope() as session:
        queries = list(
            session.exec(
                select(Watch.target_key)
                .where(Watch.target_type == "search", Watch.level == WATCHING)
                .distinct()
                .order_by(Watch.target_key)
                .limit(MAX_DISTINCT_SEARCHES)
            ).all()
        )
        matched = matching_queries(session, entity=entity, entity_id=entity_id, queries=queries)
        fanout.saved_searches_matched(
            session=session,
            entity=entity,
            entity_id=entity_id,
            author_id=author_id,
            queries=matched,
        )
        log.info(
            "%s %d matched %d of %d saved searches", entity, entity_id, len(matched), len(queries)
        )
