"""Every cache a reader's copy can come from, after every change that alters what it shows.

The caches: the fragment cache (a thread's posts, the rows of the theme and home pages), the
conditional GET of pages for readers who are not logged in (their ``ETag`` is a digest of the
page) and the feeds' ``ETag``. Each test warms them (the pages loaded until the fragments come from
the cache, each answer's tag kept), makes one change through the service a person would use, then
asks again as a browser or a feed reader holding the old copy would: with ``If-None-Match``, and
for the feeds with ``If-Modified-Since`` alone too. Every surface that shows the change must answer
200 with the new content (never a 304 for a stale copy, never the old text), for a reader who is
not logged in and for a member. The test per cache and path is listed in README (*Speed*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from sqlmodel import select

from forum.accounts import privacy, roles, settings
from forum.accounts.models import Role, User
from forum.discussions import service
from forum.discussions.models import Post, Thread
from forum.moderation import posts as moderation_posts
from forum.moderation import threads as moderation_threads
from tests.factories import DEFAULT_PASSWORD, client_as, make_reply, make_thread, make_user, theme
from tests.fragments import served_from_cache


@dataclass
class Forum:
    """A thread about district heating with one reply, a second thread (the target of a merge),
    their author, a moderator and an administrator."""

    thread: Thread
    target: Thread
    author: User
    moderator: User
    admin: User
    first_theme: str
    second_theme: str


@dataclass
class Expected:
    """What each surface must show after a change (``gone``: must not show any more)."""

    shows: dict[str, list] = field(default_factory=dict)  # strings, or patterns to search for
    gone: dict[str, list] = field(default_factory=dict)


@pytest.fixture
def forum(db_session) -> Forum:
    author = make_user(db_session, display_name="Anna Andersson", organisation="Malmö stad")
    thread, _ = make_thread(db_session, author, title="Fjärrvärme i Hyllie", body="Första texten.")
    make_reply(db_session, thread, make_user(db_session), "Ett svar om solceller.")
    target, _ = make_thread(
        db_session, make_user(db_session), title="Solceller på taken", body="Målet."
    )
    return Forum(
        thread=db_session.get(Thread, thread.id),
        target=db_session.get(Thread, target.id),
        author=author,
        moderator=make_user(db_session, role=Role.moderator),
        admin=make_user(db_session, role=Role.admin),
        first_theme=theme(db_session, 1).slug,
        second_theme=theme(db_session, 2).slug,
    )


def _posts(db_session, thread: Thread) -> list[Post]:
    return list(db_session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)))


REPLY_SHOWN = {"thread": ["Ett svar om solceller."], "thread_feed": ["Ett svar om solceller"]}


# --- the changes: each makes its change and says what must show where afterwards ---------------
def edit(db_session, forum: Forum) -> Expected:
    service.edit_post(
        session=db_session,
        actor=forum.author,
        post=_posts(db_session, forum.thread)[0],
        body="Nu om värmepumpar.",
        title="Värmepumpar i Hyllie",
    )
    title = ["Värmepumpar i Hyllie"]
    return Expected(
        shows={"thread": ["Nu om värmepumpar."], "theme": title, "home": title,
               "thread_feed": ["Nu om värmepumpar."], "theme_feed": title, "new_feed": title},
        gone={"thread": ["Första texten."], "theme": ["Fjärrvärme i Hyllie"],
              "home": ["Fjärrvärme i Hyllie"], "thread_feed": ["Första texten."],
              "theme_feed": ["Fjärrvärme i Hyllie"], "new_feed": ["Fjärrvärme i Hyllie"]},
    )  # fmt: skip


def _replies_in_row(count: int) -> re.Pattern:
    """The thread's row on a list with ``count`` replies (never reaching into the next row)."""
    return re.compile(f"Fjärrvärme i Hyllie</a>(?:(?!</li>).)*<dd>{count}</dd>", re.S)


def hide(db_session, forum: Forum) -> Expected:
    reply = _posts(db_session, forum.thread)[1]
    moderation_posts.hide_post(session=db_session, actor=forum.moderator, post=reply, reason="spam")
    counted = [_replies_in_row(0)]
    return Expected(shows={"theme": counted, "home": counted}, gone=REPLY_SHOWN)


def restore(db_session, forum: Forum) -> Expected:
    reply = _posts(db_session, forum.thread)[1]
    moderation_posts.restore_post(session=db_session, actor=forum.moderator, post=reply)
    counted = [_replies_in_row(1)]
    return Expected(shows={**REPLY_SHOWN, "theme": counted, "home": counted})


THREAD_LISTED = {
    surface: ["Fjärrvärme i Hyllie"] for surface in ("theme", "home", "theme_feed", "new_feed")
}


def hide_thread(db_session, forum: Forum) -> Expected:
    opening = _posts(db_session, forum.thread)[0]
    moderation_posts.hide_post(session=db_session, actor=forum.moderator, post=opening, reason="x")
    return Expected(gone=THREAD_LISTED)


def restore_thread(db_session, forum: Forum) -> Expected:
    opening = _posts(db_session, forum.thread)[0]
    moderation_posts.restore_post(session=db_session, actor=forum.moderator, post=opening)
    return Expected(shows=THREAD_LISTED)


def delete_reply(db_session, forum: Forum) -> Expected:
    reply = _posts(db_session, forum.thread)[1]
    service.delete_post(session=db_session, actor=db_session.get(User, reply.author_id), post=reply)
    return Expected(gone=REPLY_SHOWN)


def delete_thread(db_session, forum: Forum) -> Expected:
    opening = _posts(db_session, forum.thread)[0]
    moderation_posts.delete_post_permanently(
        session=db_session, actor=forum.admin, post=opening, reason="spam"
    )
    gone = ["Fjärrvärme i Hyllie"]
    return Expected(gone={"theme": gone, "home": gone, "theme_feed": gone, "new_feed": gone})


def rename_author(db_session, forum: Forum) -> Expected:
    settings.update_profile(
        session=db_session,
        actor=forum.author,
        display_name="Anna Berg",
        organisation="Region Skåne",
        actor_type=forum.author.actor_type,
        bio="",
    )
    name = ["Anna Berg"]
    return Expected(
        shows={"thread": [*name, "Region Skåne"], "theme": name, "home": name,
               "thread_feed": name, "theme_feed": name, "new_feed": name},
        gone={surface: ["Anna Andersson"] for surface in SURFACES},
    )  # fmt: skip


def delete_author(db_session, forum: Forum) -> Expected:
    privacy.delete_account(session=db_session, actor=forum.author, password=DEFAULT_PASSWORD)
    return Expected(gone={surface: ["Anna Andersson"] for surface in SURFACES})


def change_role(db_session, forum: Forum) -> Expected:
    roles.set_role(session=db_session, actor=forum.admin, user=forum.author, role=Role.moderator)
    # rows and feeds name no role: they cannot show a stale one
    return Expected(shows={"thread": ['<span class="chip chip-role">Moderator</span>']})


def move(db_session, forum: Forum) -> Expected:
    moderation_threads.move_thread(
        session=db_session, actor=forum.moderator, thread=forum.thread, theme=theme(db_session, 2)
    )
    title, link = ["Fjärrvärme i Hyllie"], [f'href="/t/{forum.second_theme}"']
    # the home page links every theme; its rows name each thread's theme before the language
    row = [re.compile(f'href="/t/{forum.second_theme}">[^<]*</a>\\s*· <span class="chip chip-lang')]
    return Expected(
        shows={"thread": link, "home": row, "second_theme": title, "second_theme_feed": title},
        gone={"theme": title, "theme_feed": title},
    )


def merge(db_session, forum: Forum) -> Expected:
    moderation_threads.merge_thread(
        session=db_session,
        actor=forum.moderator,
        source=forum.thread,
        target=forum.target,
        reason="Samma fråga",
    )
    moved = ["Första texten.", "Ett svar om solceller."]
    title = ["Fjärrvärme i Hyllie"]
    return Expected(
        shows={"target": moved, "target_feed": ["Ett svar om solceller"]},
        gone={"theme": title, "home": title, "theme_feed": title, "new_feed": title},
    )


# what is done before the caches are warmed, for a change that undoes it
PREPARED = {"restore a hidden post": hide, "restore a hidden thread": hide_thread}
CHANGES = {
    "edit": edit,
    "hide": hide,
    "restore a hidden post": restore,
    "hide a thread": hide_thread,
    "restore a hidden thread": restore_thread,
    "delete a reply": delete_reply,
    "delete a thread": delete_thread,
    "rename the author": rename_author,
    "delete the author's account": delete_author,
    "role change": change_role,
    "move": move,
    "merge": merge,
}


# --- the surfaces --------------------------------------------------------------------------------
def _paths(forum: Forum) -> dict[str, str]:
    return {
        "thread": f"/threads/{forum.thread.id}-{forum.thread.slug}",
        "target": f"/threads/{forum.target.id}-{forum.target.slug}",
        "theme": f"/t/{forum.first_theme}",
        "second_theme": f"/t/{forum.second_theme}",
        "home": "/",
        "thread_feed": f"/threads/{forum.thread.id}.atom",
        "target_feed": f"/threads/{forum.target.id}.atom",
        "theme_feed": f"/t/{forum.first_theme}.atom",
        "second_theme_feed": f"/t/{forum.second_theme}.atom",
        "new_feed": "/threads.atom",
    }


SURFACES = ("thread", "theme", "home", "thread_feed", "theme_feed", "new_feed")
PAGES = ("thread", "target", "theme", "second_theme", "home")


@pytest.fixture(params=["anonymous", "member"])
def reader(request, app, db_session):
    if request.param == "anonymous":
        return app.test_client()
    return client_as(app, make_user(db_session, display_name="Läsare Lind"))


def _get(reader, path: str, headers=None):
    return reader.get(path, headers=headers or {}, follow_redirects=True)


def _warm(app, reader, paths: dict[str, str]) -> dict[str, object]:
    """Each surface loaded until its fragments come from the cache; the answers kept (a hidden
    thread's page and feed are a 404)."""
    copies = {}
    for name, path in paths.items():
        if name in PAGES and _get(reader, path).status_code == 200:
            served_from_cache(app, lambda path=path: _get(reader, path).get_data(as_text=True))
        copies[name] = _get(reader, path)
    return copies


def _in(marker: str | re.Pattern, text: str) -> bool:
    return bool(marker.search(text)) if isinstance(marker, re.Pattern) else marker in text


def _is_anonymous(reader) -> bool:
    with reader.session_transaction() as session:
        return "_user_id" not in session


@pytest.mark.parametrize("change", list(CHANGES))
def test_no_cache_serves_a_copy_from_before_the_change(app, db_session, reader, forum, change):
    if change in PREPARED:
        PREPARED[change](db_session, forum)
        db_session.commit()
    paths = _paths(forum)
    copies = _warm(app, reader, paths)
    if _is_anonymous(reader):  # pages carry a tag for readers who are not logged in only
        assert all(
            copies[name].headers.get("ETag") for name in PAGES if copies[name].status_code == 200
        )
    expected = CHANGES[change](db_session, forum)
    db_session.commit()
    for name in set(expected.shows) | set(expected.gone):
        old = copies[name]
        assert old.status_code == 200, name
        before = old.get_data(as_text=True)  # so that each check below can fail
        assert not [wanted for wanted in expected.shows.get(name, []) if _in(wanted, before)], name
        assert all(_in(stale, before) for stale in expected.gone.get(name, [])), name
        asks = [{"If-None-Match": old.headers["ETag"]}] if old.headers.get("ETag") else [{}]
        if old.headers.get("Last-Modified"):  # a feed reader that keeps only the date
            asks.append({"If-Modified-Since": old.headers["Last-Modified"]})
        for headers in asks:
            answer = _get(reader, paths[name], headers)
            text = answer.get_data(as_text=True)
            assert answer.status_code == 200, (name, headers)
            for wanted in expected.shows.get(name, []):
                assert _in(wanted, text), (name, headers, wanted)
            for stale in expected.gone.get(name, []):
                assert not _in(stale, text), (name, headers, stale)


def test_a_language_switch_never_serves_the_other_language(app, db_session, reader, forum):
    paths = _paths(forum)
    copies = _warm(app, reader, paths)
    english = {"Accept-Language": "en"}
    if not _is_anonymous(reader):  # a member reads in their own setting, whatever the browser asks
        member = db_session.exec(select(User).where(User.display_name == "Läsare Lind")).one()
        member.locale = "en"
        db_session.commit()
        english = {}
    words = {
        "thread": ("Link to post 1", "Länk till inlägg 1"),
        "theme": ("<dt>Replies</dt>", "<dt>Svar</dt>"),
        "home": ("<dt>Replies</dt>", "<dt>Svar</dt>"),
        "new_feed": ("Tillsammans forum: new threads", "Tillsammans forum: nya trådar"),
    }
    for name, (wanted, stale) in words.items():
        old = copies[name]
        assert stale in old.get_data(as_text=True), name
        tags = {"If-None-Match": old.headers["ETag"]} if old.headers.get("ETag") else {}
        answer = _get(reader, paths[name], {**english, **tags})
        text = answer.get_data(as_text=True)
        assert answer.status_code == 200 and wanted in text and stale not in text, name
