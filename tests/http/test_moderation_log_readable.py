"""The audit log reads as words in the viewer's language: what an entry is about as a link with
its title, reason codes as their labels, and the changes as "before → after" (never raw JSON)."""

from __future__ import annotations

import html as htmllib
import re
from datetime import timedelta

import pytest

from forum.accounts.roles import set_role
from forum.clock import utcnow
from forum.moderation import posts as post_moderation
from forum.moderation import threads as thread_moderation
from forum.moderation import users as user_moderation
from tests.factories import login_as, make_report, make_thread, make_user, themes
from tests.statements import recording

EN = {"Accept-Language": "en"}


@pytest.fixture
def logged(app, db_session):
    """A moderator's afternoon: a report, a move, a rename, an edit, a hidden post, a suspension
    and a role change, all on Swedish content with å, ä and ö."""
    admin = make_user(db_session, role="admin", display_name="Åsa Admin")
    moderator = make_user(db_session, role="moderator", display_name="Märta Moderator")
    member = make_user(db_session, display_name="Örjan Medlem")
    thread, posts = make_thread(
        db_session, member, "Gröna tak på förskolor", "Sedumtak håller vattnet kvar.", replies=2
    )
    with app.test_request_context():
        make_report(db_session, "post", posts[1].id, reason="spam", comment="Säljer solceller")
        one, two = themes(db_session)[:2]
        thread_moderation.move_thread(
            session=db_session, actor=moderator, thread=thread, theme=two, reason="Fel tema"
        )
        thread_moderation.rename_thread(
            session=db_session, actor=moderator, thread=thread, title="Gröna tak på skolor"
        )
        post_moderation.moderator_edit_post(
            session=db_session,
            actor=moderator,
            post=posts[2],
            body="Kontakta mig här.",
            reason="Telefonnummer borttaget",
        )
        post_moderation.hide_post(
            session=db_session, actor=moderator, post=posts[1], reason="Reklam för solceller"
        )
        user_moderation.suspend_user(
            session=db_session,
            actor=moderator,
            user=member,
            reason="Upprepad reklam",
            until=utcnow() + timedelta(days=7),
        )
        set_role(session=db_session, actor=admin, user=member, role="organiser")
        db_session.commit()
    return {"admin": admin, "thread": thread, "posts": posts, "themes": (one, two)}


def log_rows(client, headers=None) -> str:
    html = client.get("/mod/log", headers=headers or {}).get_data(as_text=True)
    return html.split("<tbody>")[1].split("</tbody>")[0]


def text_of(fragment: str) -> str:
    """What a screen reader says (the arrow is only for the eye)."""
    fragment = fragment.replace('<span aria-hidden="true">→</span>', "")
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "en",
            [
                "Spam or advertising",
                "Comment: Säljer solceller",
                "Theme: Climate-neutral future changed to Resilient and healthy communities",
                "Title: Gröna tak på förskolor changed to Gröna tak på skolor",
                "Text: Svar nummer 2 om solceller changed to Kontakta mig här.",
                "Visibility: Visible changed to Hidden",
                "1 report closed",
                "Suspended until: Not suspended changed to",
                "Role: Member changed to Event organiser",
            ],
        ),
        (
            "sv",
            [
                "Spam eller reklam",
                "Kommentar: Säljer solceller",
                "Tema: Klimatneutral framtid ändrat till Resilienta och hälsosamma samhällen",
                "Rubrik: Gröna tak på förskolor ändrat till Gröna tak på skolor",
                "Synlighet: Synlig ändrat till Dold",
                "1 anmälan stängd",
                "Avstängd till: Inte avstängd ändrat till",
                "Roll: Medlem ändrat till Evenemangsarrangör",
            ],
        ),
    ],
)
def test_the_log_reads_as_words_in_the_viewers_language(client, db_session, logged, locale, words):
    viewer = make_user(db_session, role="moderator", locale=locale)
    login_as(client, viewer)
    rows = log_rows(client)
    readable = text_of(rows)
    for expected in words:
        assert expected in readable
    # no JSON, no escapes, no codes, no bookkeeping ids
    for raw in ("{", "\\u00", '"hidden"', "report_ids", "theme_id", "spam<", ">spam", "null"):
        assert raw not in rows, raw
    # what an entry is about is a link with its current title
    thread = logged["thread"]
    assert f'href="/threads/{thread.id}-{thread.slug}' in rows
    assert ">Gröna tak på skolor</a>" in rows
    assert 'href="/mod/users/' in rows


def test_approval_reasons_are_words(app, client, db_session):
    from forum.moderation.audit import Target, record

    admin = make_user(db_session, role="admin", locale="en")
    thread, posts = make_thread(db_session, admin)
    record(
        session=db_session,
        actor=None,
        action="post.hold",
        target=Target.post(posts[0]),
        reason="new_account, links",
        after={"thread_hidden": True},
    )
    db_session.commit()
    login_as(client, admin)
    readable = text_of(log_rows(client, EN))
    assert "New account, Many links" in readable and "Its thread was hidden with it." in readable


def test_the_log_takes_the_same_statements_for_more_entries(app, client, logged, db_session):
    login_as(client, logged["admin"])
    engine = app.extensions["forum_engine"]
    with recording(engine) as few:
        client.get("/mod/log")
    member = make_user(db_session)
    with app.test_request_context():
        for n in range(4):
            user_moderation.warn_user(
                session=db_session, actor=logged["admin"], user=member, message=f"Varning {n}"
            )
        thread, posts = make_thread(db_session, member, "En tråd till att flytta")
        thread_moderation.move_thread(
            session=db_session, actor=logged["admin"], thread=thread, theme=logged["themes"][1]
        )
        db_session.commit()
    with recording(engine) as many:
        client.get("/mod/log")
    assert len(many) == len(few)
