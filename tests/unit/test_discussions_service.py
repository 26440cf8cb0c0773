"""Discussion rules: posting, locked threads, permissions, solutions, revisions, double submits,
counters."""

from __future__ import annotations

import pytest
from sqlmodel import select

from forum import permissions
from forum.accounts.models import Role
from forum.clock import utcnow
from forum.discussions import service
from forum.discussions.models import Post, PostRevision, Reaction, Thread, ThreadGoal
from forum.language import choose_language, detect_language
from tests.factories import make_thread, make_user, theme


@pytest.fixture
def people(db_session):
    return {
        "author": make_user(db_session),
        "other": make_user(db_session),
        "moderator": make_user(db_session, role=Role.moderator),
        "unconfirmed": make_user(db_session, confirmed=False),
    }


def test_create_thread_makes_first_post_goals_and_counters(db_session, people):
    thread = service.create_thread(
        session=db_session,
        actor=people["author"],
        theme=theme(db_session),
        title="  Gröna tak   i Augustenborg ",
        body="Vad har ni lärt er av **gröna tak**?",
        language=None,
        goal_ids=[11, 13, 13],
    )
    db_session.commit()
    posts = db_session.exec(select(Post).where(Post.thread_id == thread.id)).all()
    assert thread.title == "Gröna tak i Augustenborg"
    assert thread.slug == "grona-tak-i-augustenborg"
    assert thread.kind == "discussion" and thread.language == "sv"
    assert [p.body_html for p in posts] == [
        "<p>Vad har ni lärt er av <strong>gröna tak</strong>?</p>\n"
    ]
    assert thread.post_count == 1 and thread.reply_count == 0 and thread.last_post_id == posts[0].id
    goals = db_session.exec(
        select(ThreadGoal.goal_id).where(ThreadGoal.thread_id == thread.id)
    ).all()
    assert sorted(goals) == [11, 13]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("", "text"),
        ("Kort", "text"),
        ("x" * 201, "text"),
        ("a" + "\u200b" * 4 + "b", "text"),  # zero-width spaces are not characters a reader sees
        ("ab\u200e\u200f\u2060\ufeffcd", "text"),
        ("En bra titel", ""),
        ("En bra titel", "   "),
        ("En bra titel", "x" * 50_001),
    ],
)
def test_create_thread_rejects_bad_sizes(db_session, people, title, body):
    with pytest.raises(service.InvalidContent):
        service.create_thread(
            session=db_session,
            actor=people["author"],
            theme=theme(db_session),
            title=title,
            body=body,
            language="sv",
            goal_ids=[],
        )


def test_create_thread_rejects_unknown_goal(db_session, people):
    with pytest.raises(service.InvalidContent):
        service.create_thread(
            session=db_session,
            actor=people["author"],
            theme=theme(db_session),
            title="Okänt mål",
            body="text",
            language="sv",
            goal_ids=[99],
        )


def test_unconfirmed_and_suspended_users_cannot_post(db_session, people):
    with pytest.raises(service.NotAllowed):
        make_thread(db_session, people["unconfirmed"])
    thread, _ = make_thread(db_session, people["author"])
    suspended = make_user(db_session, suspended_until=utcnow().replace(year=utcnow().year + 1))
    with pytest.raises(service.NotAllowed):
        service.reply(session=db_session, actor=suspended, thread=thread, body="Hej")


def test_reply_updates_counters_and_detects_language(db_session, people):
    thread, _ = make_thread(db_session, people["author"])
    post = service.reply(
        session=db_session,
        actor=people["other"],
        thread=thread,
        body="In Copenhagen we built cloudburst boulevards that double as parks.",
    )
    db_session.commit()
    assert post.language == "en"
    assert thread.post_count == 2 and thread.reply_count == 1
    assert thread.last_post_id == post.id and thread.last_post_at == post.created_at


def test_locked_thread_refuses_replies_even_from_moderators(db_session, people):
    thread, _ = make_thread(db_session, people["author"])
    thread.locked = True
    for actor in (people["other"], people["moderator"]):
        with pytest.raises(service.ThreadLocked):
            service.reply(session=db_session, actor=actor, thread=thread, body="Hej")
    assert not permissions.can_reply(people["other"], thread)


def test_double_submit_creates_one_post(db_session, people):
    thread, _ = make_thread(db_session, people["author"])
    key = "k" * 32
    first = service.reply(
        session=db_session,
        actor=people["other"],
        thread=thread,
        body="Ett svar",
        submission_key=key,
    )
    again = service.reply(
        session=db_session,
        actor=people["other"],
        thread=thread,
        body="Ett svar",
        submission_key=key,
    )
    db_session.commit()
    assert again.id == first.id
    assert thread.post_count == 2
    with pytest.raises(service.DuplicateSubmission):  # somebody else's key
        service.reply(
            session=db_session,
            actor=people["moderator"],
            thread=thread,
            body="x",
            submission_key=key,
        )


def test_double_submit_of_a_new_thread_returns_the_same_thread(db_session, people):
    kwargs = dict(
        session=db_session,
        actor=people["author"],
        theme=theme(db_session),
        title="Samma tråd två gånger",
        body="text",
        language="sv",
        goal_ids=[],
        submission_key="t" * 32,
    )
    first = service.create_thread(**kwargs)
    second = service.create_thread(**kwargs)
    assert first.id == second.id
    assert len(db_session.exec(select(Thread)).all()) == 1


def test_edit_keeps_every_earlier_version(db_session, people):
    thread, _ = make_thread(db_session, people["author"], body="Version ett")
    post = db_session.get(Post, thread.last_post_id)
    service.edit_post(
        session=db_session,
        actor=people["author"],
        post=post,
        body="Version två",
        title="Ny titel på tråden",
    )
    service.edit_post(
        session=db_session,
        actor=people["author"],
        post=post,
        body="Version tre",
        title="Ny titel på tråden",
    )
    db_session.commit()
    revisions = service.revisions_of(session=db_session, post=post)
    assert [r.body for r in revisions] == ["Version ett", "Version två"]
    assert [r.title for r in revisions] == ["Dagvatten i Västra Hamnen", "Ny titel på tråden"]
    assert (
        post.body == "Version tre"
        and post.edited_at is not None
        and post.edited_by_id == people["author"].id
    )
    assert thread.title == "Ny titel på tråden" and thread.slug == "ny-titel-pa-traden"


def test_edit_without_change_adds_no_revision(db_session, people):
    thread, _ = make_thread(db_session, people["author"], body="Samma text")
    post = db_session.get(Post, thread.last_post_id)
    service.edit_post(
        session=db_session, actor=people["author"], post=post, body="Samma text", language="sv"
    )
    assert db_session.exec(select(PostRevision)).all() == []
    assert post.edited_at is None


def test_only_author_or_moderator_edits(db_session, people):
    thread, _ = make_thread(
        db_session, people["author"], replies=[(people["other"], "Ett svar från en annan")]
    )
    reply = db_session.get(Post, thread.last_post_id)
    with pytest.raises(service.NotAllowed):
        service.edit_post(session=db_session, actor=people["author"], post=reply, body="Kapat")
    service.edit_post(
        session=db_session, actor=people["moderator"], post=reply, body="Modererad text"
    )
    assert reply.edited_by_id == people["moderator"].id
    thread.locked = True
    with pytest.raises(service.ThreadLocked):
        service.edit_post(
            session=db_session, actor=people["other"], post=reply, body="Efter låsning"
        )


def test_first_post_title_must_stay_valid(db_session, people):
    thread, _ = make_thread(db_session, people["author"])
    post = db_session.get(Post, thread.last_post_id)
    with pytest.raises(service.InvalidContent):
        service.edit_post(
            session=db_session, actor=people["author"], post=post, body="ok", title="x"
        )


def test_soft_delete_by_author_only(db_session, people):
    thread, _ = make_thread(db_session, people["author"], replies=[(people["other"], "Mitt svar")])
    reply = db_session.get(Post, thread.last_post_id)
    with pytest.raises(service.NotAllowed):
        service.delete_post(session=db_session, actor=people["author"], post=reply)
    with pytest.raises(service.NotAllowed):  # moderators hide instead
        service.delete_post(session=db_session, actor=people["moderator"], post=reply)
    service.delete_post(session=db_session, actor=people["other"], post=reply)
    db_session.commit()
    assert reply.deleted_at is not None and db_session.get(Post, reply.id) is not None
    assert thread.post_count == 1 and thread.last_post_id != reply.id


def test_useful_toggles_once_per_user_and_not_on_own_post(db_session, people):
    thread, _ = make_thread(
        db_session, people["author"], replies=[(people["other"], "Ett nyttigt svar")]
    )
    reply = db_session.get(Post, thread.last_post_id)
    assert service.toggle_useful(session=db_session, actor=people["author"], post=reply) is True
    assert service.toggle_useful(session=db_session, actor=people["moderator"], post=reply) is True
    assert reply.useful_count == 2 and thread.useful_count == 2
    assert service.toggle_useful(session=db_session, actor=people["author"], post=reply) is False
    db_session.commit()
    assert reply.useful_count == 1 and thread.useful_count == 1
    assert len(db_session.exec(select(Reaction)).all()) == 1
    with pytest.raises(service.NotAllowed):
        service.toggle_useful(session=db_session, actor=people["other"], post=reply)


def test_solution_rules(db_session, people):
    thread, _ = make_thread(
        db_session,
        people["author"],
        replies=[(people["other"], "Svaret"), (people["moderator"], "Ett till")],
    )
    first_post, answer, second = db_session.exec(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
    ).all()
    with pytest.raises(service.NotAllowed):  # only the asker or a moderator
        service.mark_solution(session=db_session, actor=people["other"], post=answer)
    with pytest.raises(service.InvalidSolution):  # never the question itself
        service.mark_solution(session=db_session, actor=people["author"], post=first_post)
    service.mark_solution(session=db_session, actor=people["author"], post=answer)
    assert thread.solution_post_id == answer.id and thread.is_solved
    service.mark_solution(session=db_session, actor=people["moderator"], post=second)
    assert thread.solution_post_id == second.id
    service.unmark_solution(session=db_session, actor=people["author"], thread=thread)
    assert not thread.is_solved
    service.mark_solution(session=db_session, actor=people["author"], post=answer)
    service.delete_post(session=db_session, actor=people["other"], post=answer)
    assert thread.solution_post_id is None  # a deleted answer is no longer the solution
    with pytest.raises(service.InvalidSolution):
        service.mark_solution(session=db_session, actor=people["author"], post=answer)


def test_refresh_counters_after_a_post_is_hidden_and_restored(db_session, people):
    thread, _ = make_thread(
        db_session, people["author"], replies=[(people["other"], "Ett"), (people["other"], "Två")]
    )
    last = db_session.get(Post, thread.last_post_id)
    service.toggle_useful(session=db_session, actor=people["author"], post=last)
    last.hidden_at = utcnow()  # what moderation does, then it asks for fresh counters
    service.refresh_thread_counters(session=db_session, thread=thread)
    assert (thread.post_count, thread.useful_count) == (2, 0)
    assert thread.last_post_id != last.id
    last.hidden_at = None
    service.refresh_thread_counters(session=db_session, thread=thread)
    assert (thread.post_count, thread.useful_count, thread.last_post_id) == (3, 1, last.id)


def test_page_of_post(db_session, people):
    thread, _ = make_thread(
        db_session, people["author"], replies=[(people["other"], f"Svar {n}") for n in range(31)]
    )
    posts = db_session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
    assert [
        service.page_of_post(session=db_session, post=p)
        for p in (posts[0], posts[29], posts[30], posts[31])
    ] == [1, 1, 2, 2]
    assert service.page_of_post(session=db_session, post=posts[31], per_page=10) == 4


def test_permission_predicates_for_anonymous_users():
    from flask_login import AnonymousUserMixin

    anonymous = AnonymousUserMixin()
    thread = Thread(id=1, theme_id=1, title="t", slug="t", author_id=1)
    post = Post(id=1, thread_id=1, author_id=1, body="b", body_html="b")
    assert not permissions.can_reply(anonymous, thread)
    assert not permissions.can_edit_post(anonymous, post)
    assert not permissions.can_mark_useful(anonymous, post)
    assert not permissions.can_mark_solution(anonymous, thread)
    assert not permissions.can_view_revisions(anonymous, post)
    assert permissions.can_view_thread(anonymous, thread)
    thread.hidden_at = utcnow()
    assert not permissions.can_view_thread(anonymous, thread)


@pytest.mark.parametrize(
    ("text", "chosen", "expected"),
    [
        ("Hur hanterar ni dagvatten när det regnar mycket i Malmö?", None, "sv"),
        ("How do you deal with stormwater when it rains heavily?", None, "en"),
        ("How do you deal with stormwater when it rains heavily?", "sv", "sv"),
        ("ok", None, "sv"),
        ("ok", "en", "en"),
    ],
)
def test_language_choice(text, chosen, expected):
    assert choose_language(text, chosen) == expected


def test_detection_is_silent_on_short_text():
    assert detect_language("Hej") is None
    assert detect_language("") is None
