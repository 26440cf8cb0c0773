"""Watching and notifications: levels, defaults, who is told about what (never the actor), and
the batch visibility check that every display and mail goes through."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from forum.accounts import privacy
from forum.clock import utcnow
from forum.discussions import service as discussions
from forum.domain import InvalidInput, NotFound
from forum.lessons import service as lessons
from forum.notifications import fanout, service, visibility
from forum.notifications.models import Notification, Watch
from forum.notifications.service import MUTED, TRACKING, WATCHING
from forum.search.saved import matching_queries
from tests.factories import (
    DEFAULT_PASSWORD,
    goal,
    make_lesson,
    make_reply,
    make_report,
    make_thread,
    make_user,
    theme,
)
from tests.statements import recording


def notes(session, user, kind=None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(session.exec(query.order_by(Notification.id)))


def watch(session, user, target_type, key, level=WATCHING):
    service.set_watch(
        session=session, actor=user, target_type=target_type, target_key=str(key), level=level
    )
    session.commit()


# --- levels and defaults ------------------------------------------------------------------------
def test_posting_watches_the_thread_by_default_and_keeps_a_chosen_level(db_session, ctx):
    author, replier, quiet = make_user(db_session), make_user(db_session), make_user(db_session)
    thread, _ = make_thread(db_session, author)
    watch(db_session, quiet, "thread", thread.id, MUTED)
    make_reply(db_session, thread, replier, "Ett svar")
    make_reply(db_session, thread, quiet, "Jag svarar men vill inte störas")
    level = lambda user: service.watch_level(  # noqa: E731
        session=db_session, user=user, target_type="thread", target_key=thread.id
    )
    assert (level(author), level(replier), level(quiet)) == (WATCHING, WATCHING, MUTED)


def test_defaults_off_watch_nothing(db_session, ctx):
    author = make_user(db_session)
    service.save_defaults(session=db_session, actor=author, threads=False, lessons=False)
    thread, _ = make_thread(db_session, author)
    assert (
        service.watch_level(
            session=db_session, user=author, target_type="thread", target_key=thread.id
        )
        is None
    )


def test_a_level_can_be_forgotten_and_nobody_watches_what_they_cannot_see(db_session, ctx):
    member = make_user(db_session)
    thread, _ = make_thread(db_session, hidden_at=utcnow())
    with pytest.raises(NotFound):
        service.set_watch(
            session=db_session, actor=member, target_type="thread",
            target_key=str(thread.id), level=WATCHING,
        )  # fmt: skip
    watch(db_session, member, "theme", theme(db_session).id)
    watch(db_session, member, "theme", theme(db_session).id, None)
    assert db_session.exec(select(Watch).where(Watch.user_id == member.id)).all() == []
    with pytest.raises(InvalidInput):
        service.set_watch(
            session=db_session, actor=member, target_type="goal", target_key="7", level="loud"
        )


def test_saved_searches_are_bounded_per_member(db_session, ctx):
    member = make_user(db_session)
    for n in range(service.MAX_SAVED_SEARCHES):
        watch(db_session, member, "search", f"q=ord{n}")
    with pytest.raises(InvalidInput):
        watch(db_session, member, "search", "q=en+till")
    watch(db_session, member, "search", "q=ord1", MUTED)  # changing one is fine


# --- triggers -----------------------------------------------------------------------------------
def test_a_reply_tells_watchers_and_trackers_it_answers_never_the_replier(db_session, ctx):
    author, watcher, tracker, muted, replier = (make_user(db_session) for _ in range(5))
    thread, _ = make_thread(db_session, author)
    tracker_post = make_reply(db_session, thread, tracker, "Mitt svar")
    watch(db_session, watcher, "thread", thread.id)
    watch(db_session, tracker, "thread", thread.id, TRACKING)
    watch(db_session, muted, "thread", thread.id, MUTED)
    make_reply(db_session, thread, replier, "Ett svar till alla")
    assert [len(notes(db_session, u)) for u in (author, watcher, tracker, muted, replier)] == [
        2,  # the tracker's reply and this one: the author watches by default
        1,
        0,  # tracking: this reply answers somebody else
        0,
        0,
    ]
    quoted = f"> **Tracker** ([#{tracker_post.id}](/posts/{tracker_post.id})):\n> Mitt svar\n\nJa!"
    make_reply(db_session, thread, replier, quoted)
    assert [n.kind for n in notes(db_session, tracker)] == ["reply"]
    assert notes(db_session, watcher)[0].group_key == f"reply:{thread.id}"


def test_a_new_thread_tells_watchers_of_its_theme_project_and_goals_once(db_session, ctx, project):
    by_theme, by_goal, by_project, tracking = (make_user(db_session) for _ in range(4))
    author = make_user(db_session)
    watch(db_session, by_theme, "theme", theme(db_session).id)
    watch(db_session, by_theme, "goal", 13)  # the same member twice: told once
    watch(db_session, by_goal, "goal", 13)
    watch(db_session, by_project, "project", project.id)
    watch(db_session, tracking, "theme", theme(db_session).id, TRACKING)
    watch(db_session, author, "theme", theme(db_session).id)
    thread = discussions.create_thread(
        session=db_session, actor=author, theme=theme(db_session), title="Skyfall i Malmö",
        body="Hur gör ni?", language="sv", goal_ids=[goal(db_session, 13).id],
        project_id=project.id,
    )  # fmt: skip
    db_session.commit()
    told = {u.id: notes(db_session, u) for u in (by_theme, by_goal, by_project, tracking, author)}
    assert [len(n) for n in told.values()] == [1, 1, 1, 0, 0]
    assert told[by_theme.id][0].reason == f"theme:{theme(db_session).id}"
    assert told[by_goal.id][0].kind == "new_thread" and told[by_goal.id][0].thread_id == thread.id


def test_a_published_lesson_and_replies_in_its_discussion(db_session, ctx, project):
    follower, replier = make_user(db_session), make_user(db_session)
    watch(db_session, follower, "project", project.id)
    author = make_user(db_session)
    lesson = make_lesson(db_session, project, author)
    assert [n.kind for n in notes(db_session, follower)] == ["new_lesson"]
    assert (
        service.watch_level(
            session=db_session, user=author, target_type="lesson", target_key=lesson.id
        )
        == WATCHING
    )
    thread = db_session.get(discussions.Thread, lesson.thread_id)
    make_reply(db_session, thread, replier, "Intressant lärdom")
    assert [n.kind for n in notes(db_session, author)] == ["reply"]  # through the lesson watch
    assert notes(db_session, author)[0].lesson_id == lesson.id
    assert notes(db_session, replier) == []


def test_solution_and_featuring_tell_the_author_not_the_actor(db_session, ctx, mod, project):
    asker, helper = make_user(db_session), make_user(db_session)
    thread, _ = make_thread(db_session, asker)
    answer = make_reply(db_session, thread, helper, "Prova gröna tak")
    own = make_reply(db_session, thread, asker, "Jag löste det själv")
    discussions.mark_solution(session=db_session, actor=asker, post=answer)
    discussions.mark_solution(session=db_session, actor=asker, post=own)
    lesson = make_lesson(db_session, project, helper)
    lessons.set_lesson_featured(session=db_session, actor=mod, lesson=lesson, featured=True)
    lessons.set_lesson_featured(session=db_session, actor=mod, lesson=lesson, featured=True)
    db_session.commit()
    kinds = [n.kind for n in notes(db_session, helper)]
    assert kinds == ["reply", "solution", "featured"]  # the reply: the helper watches the thread
    assert notes(db_session, asker, "solution") == []


def test_moderators_hear_of_reports_and_posts_waiting_for_approval(app, db_session, ctx, mod):
    app.config["MODERATION_APPROVAL_ENABLED"] = True
    admin, suspended = make_user(db_session, role="admin"), make_user(db_session, role="moderator")
    suspended.suspended_until = utcnow() + timedelta(days=3)
    veteran = make_user(db_session, created_at=utcnow() - timedelta(days=30))
    watcher = make_user(db_session, created_at=utcnow() - timedelta(days=30))
    thread, posts = make_thread(db_session, veteran)
    watch(db_session, watcher, "thread", thread.id)
    newcomer = make_user(db_session)
    waiting = make_reply(db_session, thread, newcomer, "Köp billiga solceller här")
    assert [n.kind for n in notes(db_session, mod)] == ["approval"]
    assert notes(db_session, watcher) == []  # hidden until approved
    from forum.moderation import approval

    approval.approve_post(session=db_session, actor=admin, post=waiting)
    db_session.commit()
    assert [n.kind for n in notes(db_session, watcher)] == ["reply"]
    assert notes(db_session, mod)[0].read_at is not None  # done: no longer waits for anyone
    make_report(db_session, "post", posts[0].id)
    db_session.commit()
    assert [n.kind for n in notes(db_session, admin)] == ["approval", "report"]
    assert notes(db_session, suspended) == []


def test_a_mention_respects_a_muted_thread(db_session, ctx):
    author, named, quiet = make_user(db_session), make_user(db_session), make_user(db_session)
    thread, posts = make_thread(db_session, author)
    watch(db_session, quiet, "thread", thread.id, MUTED)
    fanout.mentioned(
        session=db_session, actor_id=author.id, post=posts[0],
        user_ids=[named.id, quiet.id, author.id],
    )  # fmt: skip
    assert [n.kind for n in notes(db_session, named)] == ["mention"]
    assert notes(db_session, quiet) == [] and notes(db_session, author) == []


def test_a_mention_in_a_post_tells_who_can_be_told_once(db_session, ctx):
    author = make_user(db_session, display_name="Anna Andersson")
    named = make_user(db_session, display_name="Bo Berg")
    watcher = make_user(db_session, display_name="Cilla Ek")
    gone = make_user(db_session, display_name="Dan Ek")
    away = make_user(db_session, display_name="Eva Ek")
    placeholder = make_user(db_session, display_name="Fia Ek")
    placeholder.is_placeholder = True
    away.suspended_until = utcnow() + timedelta(days=3)
    db_session.commit()
    handles = [u.handle for u in (named, watcher, gone, away, placeholder, author)]
    privacy.delete_account(session=db_session, actor=gone, password=DEFAULT_PASSWORD)
    db_session.commit()
    thread, _ = make_thread(db_session, author)
    watch(db_session, watcher, "thread", thread.id)
    text = " ".join(f"@{handle}" for handle in handles) + " `@" + named.handle + "` i kod"
    make_reply(db_session, thread, make_user(db_session), text)
    assert [n.kind for n in notes(db_session, named)] == ["mention"]
    assert [n.kind for n in notes(db_session, watcher)] == ["mention"]  # not a reply as well
    assert [n.kind for n in notes(db_session, author)] == ["mention"]  # the thread's author
    for user in (gone, away, placeholder):
        assert notes(db_session, user) == []


def test_a_mention_in_a_new_thread(db_session, ctx):
    author, named = make_user(db_session), make_user(db_session)
    thread, _ = make_thread(db_session, author, "Fråga", f"Vad tycker du, @{named.handle}?")
    [note] = notes(db_session, named)
    assert (note.kind, note.thread_id) == ("mention", thread.id)
    assert notes(db_session, author) == []  # never the author


# --- saved searches -----------------------------------------------------------------------------
def test_a_saved_search_matches_what_the_search_page_would_find(db_session, ctx):
    thread, _ = make_thread(
        db_session, title="Gröna tak i Augustenborg", body="Sedum på taken minskar dagvattnet."
    )
    queries = ["q=sedum", "q=kompost", "q=tak&language=en", "q=tak&theme=klimatneutral-framtid"]
    assert matching_queries(db_session, entity="thread", entity_id=thread.id, queries=queries) == [
        "q=sedum",
        "q=tak&theme=klimatneutral-framtid",
    ]


def test_a_new_thread_matching_a_watched_search_is_told_after_the_commit(app, db_session):
    searcher, author = make_user(db_session), make_user(db_session)
    with app.test_request_context():
        watch(db_session, searcher, "search", "q=sedum")
        make_thread(db_session, author, title="Sedumtak på skolan", body="Sedum överallt.")
        make_thread(db_session, author, title="Kompost i källaren", body="Maskar.")
    assert [(n.kind, n.reason) for n in notes(db_session, searcher)] == [
        ("new_thread", "search:q=sedum")
    ]


# --- visibility ---------------------------------------------------------------------------------
def test_hidden_deleted_and_unreachable_targets_are_never_shown(app, db_session, ctx, project):
    reader, moderator = make_user(db_session), make_user(db_session, role="moderator")
    for user in (reader, moderator):
        watch(db_session, user, "theme", theme(db_session).id)
        watch(db_session, user, "project", project.id)
    author = make_user(db_session)
    threads = [make_thread(db_session, author, title=f"Tråd nummer {n}")[0] for n in range(3)]
    for user in (reader, moderator):
        for t in threads:
            watch(db_session, user, "thread", t.id)
    replies = [make_reply(db_session, threads[0], author, f"Svar {n}") for n in range(3)]
    lesson = make_lesson(db_session, project, author)
    threads[1].hidden_at = utcnow()  # a moderator hid the thread
    replies[0].deleted_at = utcnow()  # the author deleted a reply
    replies[1].hidden_at = utcnow()  # a moderator hid a reply
    lesson.hidden_at = utcnow()
    db_session.commit()
    shown = lambda user: {  # noqa: E731
        (n.kind, n.thread_id if n.kind != "new_lesson" else n.lesson_id, n.post_id)
        for n in notes(db_session, user)
        if n.id in visibility.visible_ids(db_session, notes(db_session, user))
    }
    assert shown(reader) == {
        ("new_thread", threads[0].id, None),
        ("new_thread", threads[2].id, None),
        ("reply", threads[0].id, replies[2].id),
    }
    assert ("reply", threads[0].id, replies[1].id) in shown(moderator)  # moderators see hidden
    assert ("new_thread", threads[1].id, None) in shown(moderator)
    assert ("reply", threads[0].id, replies[0].id) not in shown(moderator)  # deleted: gone


def test_the_batch_check_costs_the_same_for_one_or_many_members(app, db_session, ctx):
    author = make_user(db_session)
    watchers = [make_user(db_session) for _ in range(6)]
    thread, _ = make_thread(db_session, author)
    for user in watchers:
        watch(db_session, user, "thread", thread.id)
    for n in range(5):
        make_reply(db_session, thread, author, f"Svar {n}")
    engine = app.extensions["forum_engine"]
    counts = []
    for how_many in (1, 30):
        with Session(engine) as fresh:  # nothing cached: every statement is counted
            batch = list(fresh.exec(select(Notification).limit(how_many)))
            with recording(engine) as statements:
                assert len(visibility.visible_ids(fresh, batch)) == how_many
            counts.append(len(statements))
    assert counts[0] == counts[1] <= 4


# --- reading and privacy ------------------------------------------------------------------------
def test_marking_read_covers_the_group_and_nobody_reads_anothers(db_session, ctx):
    author, watcher, other = make_user(db_session), make_user(db_session), make_user(db_session)
    thread, _ = make_thread(db_session, author)
    watch(db_session, watcher, "thread", thread.id)
    for n in range(3):
        make_reply(db_session, thread, other, f"Svar {n}")
    newest = notes(db_session, watcher)[-1]
    with pytest.raises(NotFound):
        service.get_own(session=db_session, actor=other, notification_id=newest.id)
    assert service.mark_read(session=db_session, actor=watcher, notification=newest) == 3
    make_reply(db_session, thread, other, "Ett till")
    assert service.mark_all_read(session=db_session, actor=watcher) == 1


def test_deleting_the_account_removes_watches_and_notifications(db_session, ctx):
    member, author = make_user(db_session), make_user(db_session)
    thread, _ = make_thread(db_session, member)
    make_reply(db_session, thread, author, "Svar")
    service.save_defaults(session=db_session, actor=member, threads=True, lessons=False)
    exported = privacy.export_data(session=db_session, actor=member)
    assert exported["watches"][0]["target_type"] == "thread"
    assert exported["notifications"][0]["kind"] == "reply"
    assert exported["watch_defaults"] == {"threads": True, "lessons": False}
    privacy.delete_account(session=db_session, actor=member, password=DEFAULT_PASSWORD)
    db_session.commit()
    assert notes(db_session, member) == []
    assert db_session.exec(select(Watch).where(Watch.user_id == member.id)).all() == []
