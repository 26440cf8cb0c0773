"""The cached posts on thread pages never show stale or someone else's content.

Each test loads a thread page twice (so the second load is served from the cache), changes what a
post shows through the service a user would use, and loads the page again, as a reader who is not
logged in and as a member. The cache keys name every input of a fragment, so the change must
show at once, in every process.
"""

from __future__ import annotations

import datetime
import re

import pytest
from sqlmodel import select

from forum.accounts import privacy, roles, settings
from forum.accounts.models import Role, User
from forum.discussions import service
from forum.discussions.models import Post, Thread
from forum.moderation import posts as moderation_posts
from forum.moderation import threads as moderation_threads
from forum.web.fragments import TOKEN_HOLE, FragmentCache, templates_digest
from tests.factories import DEFAULT_PASSWORD, client_as, make_reply, make_thread, make_user, theme
from tests.fragments import served_from_cache

EN = {"Accept-Language": "en"}


@pytest.fixture(params=["anonymous", "member"])
def reader(request, app, db_session):
    if request.param == "anonymous":
        return app.test_client()
    return client_as(app, make_user(db_session, display_name="Läsare Lind"))


@pytest.fixture
def people(db_session):
    author = make_user(db_session, display_name="Anna Andersson", organisation="Malmö stad")
    moderator = make_user(db_session, role=Role.moderator, display_name="Mona Moderator")
    return author, moderator


@pytest.fixture
def thread(db_session, people):
    author, _ = people
    thread, _ = make_thread(db_session, author, title="Fjärrvärme i Hyllie", body="Första texten.")
    make_reply(db_session, thread, make_user(db_session), "Ett svar om solceller.")
    return db_session.get(Thread, thread.id)


def page(reader, thread, headers=None) -> str:
    response = reader.get(f"/threads/{thread.id}", headers=headers, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def warm(app, reader, thread, headers=None) -> str:
    return served_from_cache(app, lambda: page(reader, thread, headers))


def anonymous(reader) -> bool:
    with reader.session_transaction() as session:
        return "_user_id" not in session


def first_post(db_session, thread) -> Post:
    return db_session.exec(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
    ).first()


def test_an_edit_shows_at_once(app, db_session, reader, thread, people):
    assert "Första texten." in warm(app, reader, thread)
    service.edit_post(
        session=db_session, actor=people[0], post=first_post(db_session, thread), body="Ny text."
    )
    db_session.commit()
    html = page(reader, thread)
    assert "Ny text." in html and "Första texten." not in html


def last_post(db_session, thread) -> Post:
    return db_session.exec(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id.desc())
    ).first()


def test_hide_and_restore_show_at_once(app, db_session, reader, thread, people):
    warm(app, reader, thread)
    reply = last_post(db_session, thread)
    moderation_posts.hide_post(session=db_session, actor=people[1], post=reply, reason="spam")
    db_session.commit()
    assert "Ett svar om solceller." not in page(reader, thread)
    moderation_posts.restore_post(session=db_session, actor=people[1], post=reply)
    db_session.commit()
    assert "Ett svar om solceller." in page(reader, thread)


def test_a_deleted_reply_disappears(app, db_session, reader, thread):
    warm(app, reader, thread)
    reply = last_post(db_session, thread)
    author = db_session.get(User, reply.author_id)
    service.delete_post(session=db_session, actor=author, post=reply)
    db_session.commit()
    html = page(reader, thread)
    assert "Ett svar om solceller." not in html


def test_an_author_rename_shows_at_once(app, db_session, reader, thread, people):
    assert "Anna Andersson" in warm(app, reader, thread)
    author = people[0]
    settings.update_profile(
        session=db_session,
        actor=author,
        display_name="Anna Berg",
        organisation="Region Skåne",
        actor_type=author.actor_type,
        bio="",
    )
    db_session.commit()
    html = page(reader, thread)
    assert "Anna Berg" in html and "Region Skåne" in html and "Anna Andersson" not in html


def test_a_deleted_account_is_shown_as_deleted(app, db_session, reader, thread, people):
    warm(app, reader, thread, EN)
    privacy.delete_account(session=db_session, actor=people[0], password=DEFAULT_PASSWORD)
    db_session.commit()
    html = page(reader, thread, EN)
    assert "Anna Andersson" not in html and "author-deleted" in html


def test_a_role_change_shows_the_moderator_chip(app, db_session, reader, thread, people):
    assert "chip-role" not in warm(app, reader, thread)
    admin = make_user(db_session, role=Role.admin)
    roles.set_role(session=db_session, actor=admin, user=people[0], role=Role.moderator)
    db_session.commit()
    assert '<span class="chip chip-role">Moderator</span>' in page(reader, thread)
    roles.set_role(session=db_session, actor=admin, user=people[0], role=Role.admin)
    db_session.commit()
    # an administrator is named as such, not as a moderator (the member reads Swedish)
    html = page(reader, thread)
    assert re.search(r'<span class="chip chip-role">Administrat(or|ör)</span>', html)
    assert ">Moderator<" not in html


def test_the_reader_language_is_part_of_the_key(app, db_session, reader, thread, people):
    service.edit_post(
        session=db_session, actor=people[0], post=first_post(db_session, thread), body="Ändrad."
    )
    db_session.commit()
    assert ">redigerat<" in warm(app, reader, thread)
    english = page(reader, thread, {"Accept-Language": "en"} if anonymous(reader) else {})
    if not anonymous(reader):  # a member reads in their own setting, whatever the browser asks
        settings_of_reader = db_session.exec(select(User).where(User.display_name == "Läsare Lind"))
        settings_of_reader.one().locale = "en"
        db_session.commit()
        english = page(reader, thread)
    assert ">edited<" in english and ">redigerat<" not in english


def test_a_move_and_a_solution_show_at_once(app, db_session, reader, thread, people):
    warm(app, reader, thread)
    moderation_threads.move_thread(
        session=db_session, actor=people[1], thread=thread, theme=theme(db_session, 2)
    )
    reply = last_post(db_session, thread)
    service.mark_solution(session=db_session, actor=people[0], post=reply)
    db_session.commit()
    html = page(reader, thread)
    assert "chip-solved" in html and 'href="/t/resilienta' in html


def test_a_merge_shows_the_moved_posts(app, db_session, reader, thread, people):
    target, _ = make_thread(db_session, people[0], title="Solceller på taken", body="Målet.")
    warm(app, reader, target)
    moderation_threads.merge_thread(
        session=db_session, actor=people[1], source=thread, target=target, reason="Samma fråga"
    )
    db_session.commit()
    html = page(reader, target)
    assert "Målet." in html and "Första texten." in html and "Ett svar om solceller." in html


def test_a_useful_mark_changes_the_count_readers_see(app, db_session, thread):
    reader = app.test_client()
    warm(app, reader, thread, EN)
    reply = last_post(db_session, thread)
    service.toggle_useful(session=db_session, actor=make_user(db_session), post=reply)
    db_session.commit()
    assert "1 person found this useful" in page(reader, thread, EN)


def test_members_get_their_own_controls_around_a_cached_post(app, db_session, thread, people):
    author, moderator = people
    warm(app, app.test_client(), thread)
    as_author = page(client_as(app, author), thread)
    as_moderator = page(client_as(app, moderator), thread)
    edit_link = f"/posts/{first_post(db_session, thread).id}/edit"
    assert edit_link in as_author and "Moderera" in as_moderator
    assert "Moderera" not in as_author


def test_a_template_change_at_deploy_makes_new_keys(tmp_path):
    (tmp_path / "discussions").mkdir()
    template = tmp_path / "discussions" / "_post.html"
    template.write_text("<p>{{ post }}</p>")
    before = templates_digest(tmp_path)
    template.write_text("<article>{{ post }}</article>")
    after = templates_digest(tmp_path)
    assert before != after
    # templates include files that are not .html (the useful mark's _icons/thumb_up.svg)
    (tmp_path / "_icons").mkdir()
    (tmp_path / "_icons" / "thumb_up.svg").write_text('<svg class="icon"></svg>')
    with_icon = templates_digest(tmp_path)
    (tmp_path / "_icons" / "thumb_up.svg").write_text('<svg class="icon"><path/></svg>')
    assert len({after, with_icon, templates_digest(tmp_path)}) == 3
    old, new = FragmentCache(size=10_000, version=before), FragmentCache(size=10_000, version=after)
    old.get_or_render(("post", 1), lambda: "<p>gammal</p>")
    shared = old._entries  # one store, as a shared cache would be after a deploy
    new._entries = shared
    fresh = new.get_or_render(("post", 1), lambda: "<article>ny</article>")
    assert fresh == "<article>ny</article>"


def test_thread_rows_follow_title_replies_lock_and_author(app, db_session, reader, thread, people):
    def theme_page() -> str:
        response = reader.get("/t/klimatneutral-framtid")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    theme_page()
    assert "Fjärrvärme i Hyllie" in theme_page()
    author, moderator = people
    service.edit_post(
        session=db_session,
        actor=author,
        post=first_post(db_session, thread),
        body="Första texten.",
        title="Fjärrvärme och solceller i Hyllie",
    )
    db_session.commit()
    assert "Fjärrvärme och solceller i Hyllie" in theme_page()
    make_reply(db_session, thread, make_user(db_session), "Ännu ett svar.")
    assert "<dt>Svar</dt><dd>2</dd>" in theme_page()
    moderation_threads.set_thread_flag(
        session=db_session, actor=moderator, thread=thread, action="lock"
    )
    db_session.commit()
    assert "chip-locked" in theme_page()
    author.display_name = "Anna Berg"
    db_session.commit()
    html = theme_page()
    assert "Anna Berg" in html and "Anna Andersson" not in html


# --- a member's own controls, cached by what they may do, with their own CSRF token ----------
def tokens_in(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def test_each_member_gets_their_own_csrf_token_in_cached_controls(app_settings, db_session):
    from forum import create_app

    app = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    author = make_user(db_session, display_name="Anna Andersson")
    thread, _ = make_thread(db_session, author, title="Fjärrvärme i Hyllie", body="Första.")
    make_reply(db_session, thread, make_user(db_session), "Ett svar.")
    first, second = make_user(db_session), make_user(db_session)
    pages = []
    for member in (first, second, first):
        html = page(client_as(app, member), thread)
        assert TOKEN_HOLE not in html
        session_token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        assert tokens_in(html) == {session_token}  # every form carries this reader's token
        pages.append(session_token)
    assert pages[0] != pages[1]


def test_a_useful_mark_and_a_report_show_in_the_readers_controls(app, db_session, thread):
    reader = make_user(db_session)
    client = client_as(app, reader)
    reply = last_post(db_session, thread)
    html = warm(app, client, thread, EN)
    assert 'aria-pressed="true"' not in html and "report-withdraw" not in html
    service.toggle_useful(session=db_session, actor=reader, post=reply)
    db_session.commit()
    assert 'aria-pressed="true"' in page(client, thread, EN)
    with app.test_request_context("/"):
        from forum.moderation import reports

        reports.file_report(
            session=db_session, actor=reader, item_type="post", item_id=reply.id, reason="spam"
        )
        db_session.commit()
    assert "report-withdraw" in page(client, thread, EN)
    assert "report-withdraw" not in page(client_as(app, make_user(db_session)), thread, EN)


def test_a_lock_takes_the_quote_links_away_from_a_member(app, db_session, thread, people):
    client = client_as(app, make_user(db_session))
    assert "/quote" in warm(app, client, thread)
    moderation_threads.set_thread_flag(
        session=db_session, actor=people[1], thread=thread, action="lock"
    )
    db_session.commit()
    assert "/quote" not in page(client, thread)


def test_a_hidden_post_cached_for_a_moderator_never_reaches_a_member(
    app, db_session, thread, people
):
    moderator = client_as(app, people[1])
    member = client_as(app, make_user(db_session))
    moderation_posts.hide_post(
        session=db_session, actor=people[1], post=last_post(db_session, thread), reason="spam"
    )
    db_session.commit()
    assert "Ett svar om solceller." in warm(app, moderator, thread)
    assert "Ett svar om solceller." not in warm(app, member, thread)
    assert "Ett svar om solceller." in page(moderator, thread)


def test_a_suspended_moderator_sees_neither_a_deleted_post_nor_the_moderation_menu(
    app, db_session, thread, people
):
    moderator = people[1]
    reply = last_post(db_session, thread)
    service.delete_post(session=db_session, actor=db_session.get(User, reply.author_id), post=reply)
    db_session.commit()
    client = client_as(app, moderator)
    html = warm(app, client, thread)
    assert "Ett svar om solceller." in html and "Moderera" in html
    moderator.suspended_until = datetime.datetime(2999, 1, 1)
    db_session.commit()
    html = page(client, thread)  # may moderate no longer: what a member sees, from another entry
    assert "Ett svar om solceller." not in html and "Moderera" not in html
    assert "Inlägget har tagits bort av författaren." in html


# --- the watch control: cached by the member's level, the page and the language ----------------
def selected_level(html: str) -> str:
    form = re.search(r'<form class="watch-form".*?</form>', html, re.S).group(0)
    found = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', form)
    return next(group for group in found.groups() if group is not None)


def test_a_watch_level_shows_at_once_and_only_to_its_member(app, db_session, thread):
    from forum.notifications import service as notifications

    first, second = make_user(db_session), make_user(db_session)
    as_first, as_second = client_as(app, first), client_as(app, second)
    assert selected_level(warm(app, as_first, thread)) == ""
    notifications.set_watch(
        session=db_session,
        actor=first,
        target_type="thread",
        target_key=str(thread.id),
        level=notifications.WATCHING,
    )
    db_session.commit()
    assert selected_level(page(as_first, thread)) == notifications.WATCHING
    assert selected_level(page(as_second, thread)) == ""


def test_the_watch_form_follows_the_members_language(app, db_session, thread):
    member = make_user(db_session)
    client = client_as(app, member)
    swedish = warm(app, client, thread)
    member.locale = "en"
    db_session.commit()
    english = page(client, thread)
    form = re.compile(r'<form class="watch-form".*?</form>', re.S)
    assert "Bevakar inte" in form.search(swedish).group(0)
    assert "Not watching" in form.search(english).group(0)
    assert "Bevakar inte" not in form.search(english).group(0)


def test_the_cache_keeps_no_more_bytes_than_its_budget():
    cache = FragmentCache(size=20_000, version="v")
    for n in range(100):  # about 2.4 KB each in memory: "…" takes two bytes a character
        cache.get_or_render(("post", n), lambda n=n: f"<p>Inlägg {n}: " + "…" * 1000 + "</p>")
    assert 0 < cache._entries.currsize <= 20_000
    assert 5 <= len(cache._entries) <= 10  # the last ones kept, the first dropped
    assert ("v", "post", 99) in cache._entries and ("v", "post", 0) not in cache._entries
    big = cache.get_or_render(("post", "big"), lambda: "<p>" + "x" * 30_000 + "</p>")
    assert len(big) == 30_007 and ("v", "post", "big") not in cache._entries  # served, not kept
