"""Events in search over HTTP: published events are found (never drafts or cancelled ones), the
captions of a recording find the moment they were said, and the event's discussion works below
the event as a lesson's does (replies plain and with htmx, moderation, search)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from forum.agenda.models import EventRecording
from forum.agenda.service import cancel_event, update_event
from forum.discussions.models import Post, Thread
from forum.search import get_search_service
from forum.search.consistency import compare_index
from tests.events_helpers import event_input, make_event
from tests.factories import goal, login_as, make_user, theme

HX = {"HX-Request": "true"}
EN = {"Accept-Language": "en"}
CAPTIONS = """WEBVTT

00:00:01.000 --> 00:00:05.000
Välkomna till månadens webbinarium.

00:00:40.000 --> 00:00:44.000
<v Anna>Vi började med gröna tak på förskolorna.

01:02:03.500 --> 01:02:08.000
Regnbäddar tar hand om skyfallet i Augustenborg.
"""


def hits(response) -> list[tuple[str, str]]:
    """(link, title) of each result."""
    html = response.get_data(as_text=True)
    return re.findall(r'<h3><a href="([^"]+)"[^>]*>([^<]+)</a>', html)


@pytest.fixture
def webinar(app, db_session, mod):
    with app.test_request_context("/"):
        return make_event(
            db_session,
            mod,
            title="Dagvatten i staden",
            summary="Hur **regnbäddar** minskar översvämningar.",
            title_translation="Stormwater in the city",
            summary_translation="How rain gardens reduce flooding.",
            theme_ids=[theme(db_session, 2).id],
            goal_ids=[goal(db_session, 11).id],
        )


def record(db_session, event, captions: str | None = CAPTIONS) -> EventRecording:
    recording = db_session.get(EventRecording, event.id) or EventRecording(event_id=event.id)
    recording.captions, recording.captions_language = captions, "sv"
    db_session.add(recording)
    db_session.commit()
    return recording


def test_a_published_event_is_found_in_both_languages_as_an_event(client, webinar):
    response = client.get("/search?q=regnbäddar")
    assert hits(response) == [(f"/events/{webinar.id}", "Dagvatten i staden")]
    html = response.get_data(as_text=True)
    assert '<span class="chip">Evenemang</span>' in html
    english = client.get("/search?q=rain gardens", headers=EN)
    assert hits(english) == [(f"/events/{webinar.id}", "Stormwater in the city")]
    assert "<mark>rain</mark> <mark>gardens</mark>" in english.get_data(as_text=True)


def test_type_filter_and_facets_know_events(client, db_session, webinar):
    from tests.factories import make_thread

    make_thread(db_session, title="Regnbäddar på gården", body="Regnbäddar fungerar.", direct=True)
    both = client.get("/search?q=regnbäddar", headers=EN).get_data(as_text=True)
    assert re.search(r'value="event"[^>]*>\s*Events <span class="facet-count">1</span>', both)
    only = client.get("/search?q=regnbäddar&type=event", headers={**EN, **HX})
    assert hits(only) == [(f"/events/{webinar.id}", "Stormwater in the city")]
    typed = client.get("/search?q=regnbäddar typ:evenemang")
    assert [title for _link, title in hits(typed)] == ["Dagvatten i staden"]
    by_facets = client.get("/search?q=regnbäddar&theme=" + theme(db_session, 2).slug + "&sdg=11")
    assert f"/events/{webinar.id}" in dict(hits(by_facets))


def test_drafts_and_cancelled_events_are_never_found(app, client, db_session, mod, webinar):
    with app.test_request_context("/"):
        make_event(db_session, mod, publish=False, title="Hemligt utkast om regnbäddar")
        cancel_event(session=db_session, actor=mod, event=webinar)
        db_session.commit()
    assert hits(client.get("/search?q=regnbäddar")) == []
    assert hits(client.get("/search?q=utkast")) == []


def test_editing_an_event_updates_it_and_publishing_a_draft_adds_it(app, client, db_session, mod):
    with app.test_request_context("/"):
        draft = make_event(db_session, mod, publish=False, title="Solceller på taken")
        assert hits(client.get("/search?q=solceller")) == []
        update_event(
            session=db_session,
            actor=mod,
            event=draft,
            data=event_input(title="Solceller och batterier"),
            publish=True,
        )
        db_session.commit()
    assert [t for _l, t in hits(client.get("/search?q=batterier"))] == ["Solceller och batterier"]


def test_a_phrase_said_only_in_the_captions_finds_the_moment(client, db_session, webinar):
    assert hits(client.get('/search?q="gröna tak på förskolorna"')) == []
    record(db_session, webinar)
    response = client.get('/search?q="gröna tak på förskolorna"')
    assert hits(response) == [(f"/events/{webinar.id}#t=40", "Dagvatten i staden")]
    html = response.get_data(as_text=True)
    assert "vid 0:40 i inspelningen" in html and "Inspelningar" in html
    assert "<mark>gröna</mark> <mark>tak</mark>" in html
    late = client.get("/search?q=skyfallet Augustenborg&type=transcript", headers=EN)
    assert hits(late) == [(f"/events/{webinar.id}#t=3723", "Stormwater in the city")]
    assert "at 1:02:03 in the recording" in late.get_data(as_text=True)


def test_replaced_and_removed_captions_update_the_index(client, db_session, webinar):
    record(db_session, webinar)
    record(
        db_session, webinar, "WEBVTT\n\n00:02:00.000 --> 00:02:04.000\nSkelettjord under gatan.\n"
    )
    assert hits(client.get("/search?q=förskolorna")) == []
    assert hits(client.get("/search?q=skelettjord")) == [
        (f"/events/{webinar.id}#t=120", "Dagvatten i staden")
    ]
    record(db_session, webinar, None)
    assert hits(client.get("/search?q=skelettjord")) == []
    db_session.delete(db_session.get(EventRecording, webinar.id))
    db_session.commit()
    assert [link for link, _t in hits(client.get("/search?q=regnbäddar"))] == [
        f"/events/{webinar.id}"
    ]


def test_the_index_agrees_with_the_database_and_health_counts_events(
    app, client, db_session, webinar
):
    from forum.search import health

    record(db_session, webinar)
    service = get_search_service(app)
    assert compare_index(db_session, service.store).problems == 0
    assert health.indexable_count(db_session) == service.store.check() == 4  # event, 3 windows
    assert client.get("/healthz").json["search_index"] == "ok"
    with service.store.writer() as writer:  # the index loses the event's documents
        writer.delete_by_term("group", f"event:{webinar.id}")
    assert health.index_verdict(service).startswith("error: the index holds 0 documents")
    result = app.test_cli_runner().invoke(args=["forum", "check-index", "--repair"])
    assert f"event:{webinar.id}:40" in result.output
    assert compare_index(db_session, service.store).problems == 0
    assert health.index_verdict(service) == "ok"
    assert health.indexable_count(db_session) == service.rebuild()


# -- the event's discussion -----------------------------------------------------------------------
def test_publishing_opens_a_discussion_that_leads_back_to_the_event(client, db_session, webinar):
    thread = db_session.get(Thread, webinar.thread_id)
    assert thread.kind == "event" and thread.title == "Dagvatten i staden"
    assert thread.theme_id == theme(db_session, 2).id
    page = client.get(f"/events/{webinar.id}").get_data(as_text=True)
    assert 'id="discussion"' in page and "Logga in för att svara" in page
    thread_page = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert f'href="/events/{webinar.id}"' in thread_page
    listing = client.get(f"/t/{theme(db_session, 2).slug}").get_data(as_text=True)
    assert f"/threads/{thread.id}-" not in listing


def test_a_draft_has_no_discussion_until_it_is_published(app, client, db_session, mod):
    with app.test_request_context("/"):
        draft = make_event(db_session, mod, publish=False)
    assert draft.thread_id is None
    login_as(client, mod)
    assert 'id="discussion"' not in client.get(f"/events/{draft.id}").get_data(as_text=True)


def test_plain_reply_returns_to_the_event_and_is_searchable(client, db_session, webinar):
    login_as(client, make_user(db_session))
    response = client.post(
        f"/threads/{webinar.thread_id}/replies", data={"reply-body": "Finns bilderna någonstans?"}
    )
    post = db_session.exec(select(Post).order_by(Post.id.desc())).first()
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/events/{webinar.id}#post-{post.id}")
    page = client.get(f"/events/{webinar.id}").get_data(as_text=True)
    assert f'id="post-{post.id}"' in page and "Finns bilderna någonstans?" in page
    found = hits(client.get("/search?q=bilderna"))
    assert found == [
        (f"/threads/{webinar.thread_id}-dagvatten-i-staden#post-{post.id}", "Dagvatten i staden")
    ]


def test_htmx_reply_is_appended_in_place(client, db_session, webinar):
    login_as(client, make_user(db_session))
    response = client.post(
        f"/threads/{webinar.thread_id}/replies",
        data={"reply-body": "Tack för ett bra webbinarium!"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Tack för ett bra webbinarium!" in html


def test_a_moderator_hides_a_reply_below_the_event(app, client, db_session, mod, webinar):
    member = make_user(db_session)
    login_as(client, member)
    client.post(f"/threads/{webinar.thread_id}/replies", data={"reply-body": "Köp billiga klockor"})
    post = db_session.exec(select(Post).order_by(Post.id.desc())).first()
    login_as(client, mod)
    response = client.post(f"/mod/posts/{post.id}/hide", data={"reason": "Reklam"}, headers=HX)
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert hits(client.get("/search?q=klockor")) == []
    login_as(client, make_user(db_session))
    assert "Köp billiga klockor" not in client.get(f"/events/{webinar.id}").get_data(as_text=True)


def test_a_cancelled_events_discussion_is_closed_and_leaves_search(
    app, client, db_session, mod, webinar
):
    login_as(client, make_user(db_session))
    client.post(
        f"/threads/{webinar.thread_id}/replies", data={"reply-body": "Kommer ni att spela in?"}
    )
    assert len(hits(client.get("/search?q=spela in"))) == 1
    with app.test_request_context("/"):
        cancel_event(session=db_session, actor=mod, event=webinar)
        db_session.commit()
    assert hits(client.get("/search?q=spela in")) == []
    page = client.get(f"/events/{webinar.id}").get_data(as_text=True)
    assert "Diskussionen är stängd" in page
    response = client.post(f"/threads/{webinar.thread_id}/replies", data={"reply-body": "Hallå?"})
    assert response.status_code in (403, 409)
