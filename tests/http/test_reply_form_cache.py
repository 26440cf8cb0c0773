"""The empty reply form is one cached fragment per thread and language, and still never shares a
CSRF token or a submission key: each use fills both holes anew (forum/web/fragments.py).

A shared submission key would be a real hole: two members (or two tabs) sending forms with the
same key would make the second reply vanish into the first (the service returns the earlier post
for a repeated key). So every load must carry a new key, and a repeated send of one load's form
must still post once.
"""

from __future__ import annotations

import datetime
import re

import pytest
from sqlmodel import func, select

from forum.accounts.models import Role
from forum.discussions.models import Post, Thread
from forum.moderation import threads as moderation_threads
from forum.web.fragments import KEY_HOLE, TOKEN_HOLE
from tests.factories import client_as, make_reply, make_thread, make_user, theme
from tests.fragments import served_from_cache


@pytest.fixture
def csrf_app(app_settings):
    from forum import create_app

    application = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    yield application
    application.extensions["forum_engine"].dispose()


@pytest.fixture
def thread(db_session):
    author = make_user(db_session, display_name="Anna Andersson")
    thread, _ = make_thread(db_session, author, title="Fjärrvärme i Hyllie", body="Första texten.")
    make_reply(db_session, thread, make_user(db_session), "Ett svar om solceller.")
    return db_session.get(Thread, thread.id)


def page(client, thread, path="") -> str:
    response = client.get(f"/threads/{thread.id}{path}", follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def reply_form(html: str) -> str:
    return re.search(r'<form id="reply-form".*?</form>', html, re.S).group(0)


def hidden(form: str, name: str) -> str:
    return re.search(rf'name="reply-{name}" type="hidden" value="([^"]*)"', form).group(1)


def test_each_load_carries_the_readers_token_and_a_new_submission_key(csrf_app, db_session, thread):
    first, second = make_user(db_session), make_user(db_session)
    as_first, as_second = client_as(csrf_app, first), client_as(csrf_app, second)
    loads = [served_from_cache(csrf_app, lambda: page(as_first, thread))]
    loads += [page(as_first, thread), page(as_second, thread), page(as_second, thread)]
    keys, tokens = [], []
    for html in loads:
        assert TOKEN_HOLE not in html and KEY_HOLE not in html
        form = reply_form(html)
        session_token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        assert hidden(form, "csrf_token") == session_token
        keys.append(hidden(form, "submission_key"))
        tokens.append(session_token)
    assert len(set(keys)) == len(keys)  # never another load's key
    assert tokens[0] == tokens[1] and tokens[1] != tokens[2]


def test_two_loads_of_the_cached_form_post_two_replies_and_a_resend_posts_once(
    csrf_app, db_session, thread
):
    client = client_as(csrf_app, make_user(db_session))
    forms = [reply_form(page(client, thread)) for _ in range(2)]

    def send(form: str, body: str) -> None:
        data = {
            "reply-csrf_token": hidden(form, "csrf_token"),
            "reply-submission_key": hidden(form, "submission_key"),
            "reply-body": body,
        }
        response = client.post(f"/threads/{thread.id}/replies", data=data)
        assert response.status_code == 303

    send(forms[0], "Första svaret från samma sida.")
    send(forms[1], "Andra svaret från en ny laddning.")
    send(forms[1], "Andra svaret från en ny laddning.")  # a double click: one post

    def count() -> int:
        query = select(func.count()).select_from(Post).where(Post.thread_id == thread.id)
        return db_session.exec(query).one()

    assert count() == 4
    html = page(client, thread)
    assert "Första svaret från samma sida." in html and "Andra svaret" in html


def test_the_form_follows_the_reader_language_and_its_thread(app, db_session, thread):
    member = make_user(db_session)
    client = client_as(app, member)
    swedish = reply_form(served_from_cache(app, lambda: page(client, thread)))
    member.locale = "en"  # the member switches language in their settings
    db_session.commit()
    english = reply_form(page(client, thread))
    other, _ = make_thread(db_session, make_user(db_session), title="Solceller", body="Text.")
    assert "Skicka svar" in swedish and "Post reply" in english
    assert f"/threads/{thread.id}/replies" in swedish
    assert f'action="/threads/{other.id}/replies"' in reply_form(page(client, other))


def test_each_reader_keeps_drafts_under_their_own_id(app, db_session, thread):
    """static/js/drafts.js keys a draft by the member its form names: the form cached for everyone
    must not carry the id of the member it was first rendered for."""
    first, second = make_user(db_session), make_user(db_session)
    as_first, as_second = client_as(app, first), client_as(app, second)
    page(as_first, thread)
    html = served_from_cache(app, lambda: page(as_second, thread))
    assert "data-draft-owner" not in reply_form(html)
    owners = re.findall(r'<section id="reply"[^>]*data-draft-owner="(\d+)"', html)
    assert owners == [str(second.id)]


def test_a_quote_fills_a_form_of_its_own_and_the_next_load_is_empty(app, db_session, thread):
    client = client_as(app, make_user(db_session))
    served_from_cache(app, lambda: page(client, thread))
    quoted = db_session.exec(select(Post).where(Post.thread_id == thread.id)).first()
    assert "&gt; Första texten." in reply_form(page(client, thread, f"?quote={quoted.id}"))
    empty = reply_form(page(client, thread))
    assert "Första texten." not in empty
    assert re.search(r'<textarea[^>]*name="reply-body"[^>]*>\s*</textarea>', empty)


def test_a_rejected_reply_comes_back_filled(app, db_session, thread):
    client = client_as(app, make_user(db_session))
    served_from_cache(app, lambda: page(client, thread))
    response = client.post(f"/threads/{thread.id}/replies", data={"reply-body": "x" * 50_001})
    assert response.status_code == 422
    assert "x" * 100 in reply_form(response.get_data(as_text=True))
    assert "x" * 100 not in reply_form(page(client, thread))


def test_a_lock_and_a_suspension_take_the_cached_form_away(app, db_session, thread):
    moderator = make_user(db_session, role=Role.moderator)
    member = make_user(db_session)
    client = client_as(app, member)
    assert 'id="reply-form"' in served_from_cache(app, lambda: page(client, thread))
    moderation_threads.set_thread_flag(
        session=db_session, actor=moderator, thread=thread, action="lock"
    )
    db_session.commit()
    assert 'id="reply-form"' not in page(client, thread)
    moderation_threads.set_thread_flag(
        session=db_session, actor=moderator, thread=thread, action="unlock"
    )
    db_session.commit()
    assert 'id="reply-form"' in page(client, thread)
    member.suspended_until = datetime.datetime(2999, 1, 1)
    db_session.commit()
    assert 'id="reply-form"' not in page(client, thread)


@pytest.mark.parametrize("who", ["anonymous", "unconfirmed"])
def test_readers_who_may_not_reply_never_get_the_cached_form(app, db_session, thread, who):
    member = client_as(app, make_user(db_session))
    served_from_cache(app, lambda: page(member, thread))
    if who == "anonymous":
        reader = app.test_client()
    else:
        reader = client_as(app, make_user(db_session, confirmed=False))
    assert 'id="reply-form"' not in page(reader, thread)


def test_a_merge_a_move_and_a_role_change_never_bring_another_threads_form(app, db_session, thread):
    """The form names its thread (its address) and nothing of the posts, the theme or the
    member's role: after a merge the target's page has the target's form, after a move and a
    promotion the same thread's."""
    member = make_user(db_session)
    moderator = make_user(db_session, role=Role.moderator)
    client = client_as(app, member)
    target, _ = make_thread(db_session, make_user(db_session), title="Solceller", body="Mål.")
    assert f"/threads/{thread.id}/replies" in reply_form(
        served_from_cache(app, lambda: page(client, thread))
    )
    served_from_cache(app, lambda: page(client, target))
    moderation_threads.move_thread(
        session=db_session, actor=moderator, thread=thread, theme=theme(db_session, 2)
    )
    db_session.commit()
    assert f'action="/threads/{thread.id}/replies"' in reply_form(page(client, thread))
    member.role = Role.moderator
    db_session.commit()
    assert f'action="/threads/{thread.id}/replies"' in reply_form(page(client, thread))
    moderation_threads.merge_thread(
        session=db_session, actor=moderator, source=thread, target=target, reason="Samma fråga"
    )
    db_session.commit()
    merged = page(client, thread)  # the old address leads to the target
    assert "Första texten." in merged
    assert f'action="/threads/{target.id}/replies"' in reply_form(merged)
    assert f"/threads/{thread.id}/replies" not in merged
