"""The Atom and RSS feeds: read back by feedparser, valid against RFC 4287's schema, public content
only (the visibility matrix), conditional GET, and announced by the pages they mirror."""

from __future__ import annotations

from dataclasses import dataclass

import feedparser
import pytest
from lxml import etree

from forum.clock import utcnow
from forum.moderation.items import hide_item
from forum.moderation.posts import hide_post
from forum.opendata import feeds
from forum.opendata.feeds import FEED_SIZE
from tests.atom_schema import ATOM, atom_problems
from tests.events_helpers import make_event
from tests.factories import (
    goal,
    login_as,
    make_lesson,
    make_project,
    make_reply,
    make_thread,
    make_user,
    theme,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Content:
    thread: object
    project: object
    lesson: object
    event: object


@pytest.fixture
def content(app, db_session):
    """Public content of every kind (SDG 7, the first theme), and the hidden, deleted and draft
    things no feed may show, each with a title that says so."""
    author = make_user(db_session, display_name="Astrid Author", email="astrid@example.org")
    mod = make_user(db_session, role="moderator")
    with app.test_request_context("/"):
        thread, _posts = make_thread(
            db_session,
            author,
            "Solceller på skolans tak",
            "Vi satte **solceller** på taket. <script>alert(1)</script> Se @nobody.",
            goal_ids=[goal(db_session, 7).id],
        )
        make_reply(db_session, thread, make_user(db_session), "Ett publikt svar om batterier")
        hidden_reply = make_reply(db_session, thread, make_user(db_session), "DOLT SVAR spam")
        hide_post(session=db_session, actor=mod, post=hidden_reply, reason="spam")
        deleted_reply = make_reply(db_session, thread, author, "RADERAT SVAR")
        deleted_reply.deleted_at = utcnow()
        make_thread(db_session, author, "DOLD TRÅD om solceller", "Dold.", hidden_at=utcnow())
        project = make_project(
            db_session, author, name="Solparken i Lund", goal_ids=[goal(db_session, 7).id]
        )
        make_thread(db_session, author, "Om solparken", "Tråd om projektet.", project_id=project.id)
        lesson = make_lesson(db_session, project, author, title="Andelsägd solpark", language="sv")
        make_lesson(db_session, project, author, title="UTKAST lektion", publish=False)
        hidden_lesson = make_lesson(db_session, project, author, title="DOLD LEKTION")
        hide_item(session=db_session, actor=mod, item=hidden_lesson, reason="spam")
        secret = make_project(db_session, author, name="DOLT PROJEKT")
        hide_item(session=db_session, actor=mod, item=secret, reason="spam")
        event = make_event(
            db_session, mod, title="Solenergidag i Malmö", goal_ids=[goal(db_session, 7).id]
        )
        make_event(db_session, mod, title="UTKAST evenemang", publish=False)
        db_session.commit()
    return Content(thread, project, lesson, event)


SECRETS = ("DOLT SVAR", "RADERAT SVAR", "DOLD TRÅD", "UTKAST", "DOLD LEKTION", "DOLT PROJEKT")


def feed_paths(content: Content) -> list[str]:
    return [
        "/threads.atom",
        "/threads.rss",
        f"/t/{theme_slug(content)}.atom",
        "/goals/7.atom",
        f"/projects/{content.project.slug}.atom",
        "/lessons.atom",
        "/lessons.rss",
        "/lessons.atom?theme=" + theme_slug(content) + "&language=sv&sdg=7",
        f"/threads/{content.thread.id}.atom",
        f"/threads/{content.lesson.thread_id}.atom",
        "/events.atom",
        "/search.atom?q=solceller",
        "/search.atom?q=sol*&type=lesson&language=sv",
    ]


def theme_slug(content: Content) -> str:
    return "klimatneutral-framtid"


def read(client, path: str, **headers):
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200, (path, answer.status_code)
    kind = "rss" if path.split("?")[0].endswith(".rss") else "atom"
    assert answer.mimetype == f"application/{kind}+xml"
    parsed = feedparser.parse(answer.data)
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return answer, parsed


def test_every_feed_is_read_without_error_and_is_valid_atom(client, content):
    for path in feed_paths(content):
        answer, parsed = read(client, path)
        assert parsed.entries, path
        text = answer.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in text, (path, secret)
        assert "astrid@example.org" not in text
        if parsed.version != "atom10":
            assert parsed.version == "rss20"
            continue
        assert atom_problems(answer.data) == [], path
        root = etree.fromstring(answer.data)
        entries = root.xpath("atom:entry", namespaces=ATOM)
        assert entries and all(entry.get(XML_LANG) in ("sv", "en") for entry in entries), path
        assert root.xpath("atom:link[@rel='self']/@href", namespaces=ATOM) == [
            "http://127.0.0.1:5000" + path
        ]


def test_a_thread_entry_carries_what_a_reader_needs(client, content):
    _answer, parsed = read(client, "/threads.atom")
    [entry] = [e for e in parsed.entries if e.title == "Solceller på skolans tak"]
    assert entry.link == f"http://127.0.0.1:5000/threads/{content.thread.id}-{content.thread.slug}"
    assert entry.id == f"http://127.0.0.1:5000/threads/{content.thread.id}"
    assert entry.author == "Astrid Author"
    assert entry.published_parsed and entry.updated_parsed
    assert entry.summary.startswith("Vi satte solceller på taket.")
    html = entry.content[0].value
    assert "<strong>solceller</strong>" in html and "<script" not in html
    terms = {tag.term for tag in entry.tags}
    assert {"klimatneutral-framtid", "sdg-7"} <= terms
    assert entry.title_detail.language == "sv"


def test_the_thread_feed_lists_its_visible_posts_only(client, content):
    _answer, parsed = read(client, f"/threads/{content.thread.id}.atom")
    summaries = [entry.summary for entry in parsed.entries]
    assert len(summaries) == 2 and "Ett publikt svar om batterier" in summaries
    assert all(entry.link.startswith("http://127.0.0.1:5000/posts/") for entry in parsed.entries)


def test_topic_feeds_mix_threads_and_lessons(client, content):
    _answer, parsed = read(client, f"/projects/{content.project.slug}.atom")
    assert {entry.title for entry in parsed.entries} == {"Om solparken", "Andelsägd solpark"}
    _answer, parsed = read(client, "/goals/7.atom")
    assert {"Solceller på skolans tak", "Andelsägd solpark"} <= {e.title for e in parsed.entries}
    lesson = next(e for e in parsed.entries if e.title == "Andelsägd solpark")
    assert (
        "Context and challenge" in lesson.content[0].value
        or "Sammanhang" in lesson.content[0].value
    )


def test_hidden_drafts_and_unknown_things_have_no_feed(client, db_session, content):
    hidden, _posts = make_thread(db_session, None, "En dold tråd", "Dold.", hidden_at=utcnow())
    for path in (
        f"/threads/{hidden.id}.atom",
        "/projects/dolt-projekt.atom",
        "/projects/no-such-project.atom",
        "/t/no-such-theme.atom",
        "/goals/18.atom",
        "/threads/99999999999999999999.atom",
    ):
        assert client.get(path).status_code == 404, path


def test_bad_filters_are_a_400_with_a_message(client, content):
    answer = client.get("/lessons.atom?type=poem", headers={"Accept-Language": "en"})
    assert answer.status_code == 400
    assert "Choose a lesson type from the list." in answer.get_data(as_text=True)
    assert client.get("/events.atom?kind=party").status_code == 400
    answer = client.get("/search.atom", headers={"Accept-Language": "en"})
    assert answer.status_code == 400
    assert "Give words or filters to search for." in answer.get_data(as_text=True)


def test_a_member_reads_the_public_feed(client, db_session, content):
    """A feed is never personal: the author's own draft stays out even for the author."""
    author = make_user(db_session)
    with client.application.test_request_context("/"):
        make_lesson(db_session, content.project, author, title="Mitt eget UTKAST", publish=False)
    login_as(client, author)
    answer, _parsed = read(client, "/lessons.atom")
    assert "UTKAST" not in answer.get_data(as_text=True)


def test_a_repeated_request_is_answered_304_until_something_changes(client, db_session, content):
    path = f"/threads/{content.thread.id}.atom"
    first = client.get(path)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    make_reply(db_session, content.thread, make_user(db_session), "Ett nytt svar")
    changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]


def test_hiding_a_post_changes_the_feed_at_once(client, db_session, content):
    path = f"/threads/{content.thread.id}.atom"
    first = client.get(path)
    post = next(p for p in _posts_of(db_session, content.thread) if "batterier" in p.body)
    hide_post(
        session=db_session, actor=make_user(db_session, role="moderator"), post=post, reason="x"
    )
    db_session.commit()
    answer = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert answer.status_code == 200 and "batterier" not in answer.get_data(as_text=True)


def _posts_of(session, thread):
    from sqlmodel import select

    from forum.discussions.models import Post

    return list(session.exec(select(Post).where(Post.thread_id == thread.id)))


def test_the_language_of_the_feed_follows_the_reader(client, content):
    english = client.get("/threads.atom", headers={"Accept-Language": "en"})
    swedish = client.get("/threads.atom", headers={"Accept-Language": "sv"})
    assert b"new threads" in english.data and english.headers["ETag"] != swedish.headers["ETag"]
    assert "Accept-Language" in english.headers["Vary"]


def test_an_event_entry_says_when_and_where(client, content):
    _answer, parsed = read(client, "/events.atom", **{"Accept-Language": "en"})
    [entry] = parsed.entries
    assert entry.title == "Solenergidag i Malmö"
    assert "Online" in entry.summary and "2027" in entry.summary
    assert "meet.example.org" not in entry.content[0].value  # the join link is for participants


def alternates(client, path: str) -> dict[str, str]:
    root = etree.HTML(client.get(path).data)
    return {
        link.get("href"): link.get("type") for link in root.xpath("//head/link[@rel='alternate']")
    }


def test_pages_announce_their_feeds(client, content):
    assert alternates(client, "/") == {
        "/threads.atom": "application/atom+xml",
        "/threads.rss": "application/rss+xml",
    }
    assert "/t/klimatneutral-framtid.atom" in alternates(client, "/t/klimatneutral-framtid")
    thread = content.thread
    assert f"/threads/{thread.id}.atom" in alternates(client, f"/threads/{thread.id}-{thread.slug}")
    assert "/lessons.atom?language=sv" in alternates(client, "/lessons?language=sv&page=1")
    assert f"/projects/{content.project.slug}.atom" in alternates(
        client, f"/projects/{content.project.slug}"
    )
    lesson = content.lesson
    assert f"/threads/{lesson.thread_id}.atom" in alternates(
        client, f"/lessons/{lesson.id}-{lesson.slug}"
    )
    assert "/events.atom" in alternates(client, "/events")
    assert "/events.atom?kind=webinar" in alternates(client, "/events?kind=webinar&month=2027-01")
    assert client.get("/events?kind=party").status_code == 400
    assert alternates(client, "/events?kind=party") == {}  # an error page announces nothing
    assert "/search.atom?q=sol" in alternates(client, "/search?q=sol&page=1")
    assert not any(".atom" in href for href in alternates(client, "/search"))


def test_an_event_and_a_goal_announce_their_feeds(client, db_session, content):
    event = content.event
    assert event.thread_id  # a public event has its discussion from the start
    announced = alternates(client, f"/events/{event.id}")
    assert announced[f"/threads/{event.thread_id}.atom"] == "application/atom+xml"
    read(client, f"/threads/{event.thread_id}.atom")
    goal_page = alternates(client, "/search?sdg=7")  # where a goal's feed and its API link go
    assert "/goals/7.atom" in goal_page and "/search.atom?sdg=7" in goal_page
    assert "/goals/7.atom" not in alternates(client, "/search?sdg=7&type=lesson")
    assert "/goals/7.atom" not in alternates(client, "/search?q=sol&sdg=7")
    organiser = make_user(db_session, role="moderator")
    draft = make_event(db_session, organiser, publish=False)
    login_as(client, organiser)
    assert client.get(f"/events/{draft.id}").status_code == 200
    announced = alternates(client, f"/events/{draft.id}")  # its organiser sees it: no feed
    assert not any(".atom" in href for href in announced)


def test_a_feed_is_bounded(client, db_session, app):
    author = make_user(db_session)
    for number in range(FEED_SIZE + 5):
        make_thread(db_session, author, f"Tråd nummer {number}", "Text.", commit=False)
    db_session.commit()
    _answer, parsed = read(client, "/threads.atom")
    titles = [entry.title for entry in parsed.entries]
    assert len(titles) == FEED_SIZE
    assert titles[0] == f"Tråd nummer {FEED_SIZE + 4}" and "Tråd nummer 4" not in titles


def test_a_document_is_written_once_for_the_same_data(client, db_session, content, monkeypatch):
    written = []

    def counted(feed, kind, language):
        written.append((feed.self_url, kind, language))
        return document(feed, kind, language)

    document = feeds._document
    monkeypatch.setattr(feeds, "DOCUMENTS", feeds.Documents(size=2))
    monkeypatch.setattr(feeds, "_document", counted)
    first = client.get("/threads.atom").data
    assert client.get("/threads.atom").data == first and len(written) == 1
    assert client.get("/threads.atom", headers={"Accept-Language": "en"}).data != first
    client.get("/threads.rss")  # a third document: the first one is let go
    client.get("/threads.rss")
    assert len(written) == 3
    assert client.get("/threads.atom").data == first and len(written) == 4
    make_thread(db_session, make_user(db_session), "En alldeles ny tråd", "Ny.")
    changed = client.get("/threads.atom").data
    assert len(written) == 5 and "En alldeles ny tråd" in changed.decode()


def test_the_lessons_feed_filters_like_the_list(client, db_session, content):
    other = theme(db_session, 2)
    answer = client.get(f"/lessons.atom?theme={other.slug}")
    assert answer.status_code == 200
    assert feedparser.parse(answer.data).entries == []
