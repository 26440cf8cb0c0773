"""What htmx requests get back: one translated sentence for a failure (never the error page),
what the page reads out, whole pages for boosted links and Back, and "Load more" as an address."""

from __future__ import annotations

import json
import re

import pytest
from flask import abort
from sqlmodel import Session, select

from forum import create_app
from forum.moderation.posts import delete_post_permanently
from forum.search.models import GlossaryGroup
from tests.factories import login_as, make_reply, make_thread, make_user, theme

HX = {"HX-Request": "true"}


def announced(response) -> str:
    return json.loads(response.headers["HX-Trigger"])["forum:announce"]


def assert_short_failure(response, status: int, message: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.headers["HX-Reswap"] == "none"  # nothing lands among the posts
    assert "<html" not in body and "error-page" not in body and "<h1" not in body
    assert (
        re.fullmatch(
            r'<p class="htmx-error" role="alert" data-error-message>([^<]+)</p>', body.strip()
        ).group(1)
        == message
    )


@pytest.mark.parametrize(
    "lang, message",
    [
        ("sv", "Tråden är låst: den tar inte emot nya svar."),
        ("en", "This thread is locked: it takes no new replies."),
    ],
)
def test_a_reply_to_a_locked_thread(client, db_session, lang, message):
    thread, _ = make_thread(db_session)
    member = make_user(db_session, locale=lang)
    thread.locked = True
    db_session.commit()
    login_as(client, member)
    response = client.post(
        f"/threads/{thread.id}/replies", data={"reply-body": "Ett svar"}, headers=HX
    )
    assert_short_failure(response, 403, message)
    # the same request from a plain browser still gets the page
    plain = client.post(f"/threads/{thread.id}/replies", data={"reply-body": "Ett svar"})
    assert plain.status_code == 403 and "<html" in plain.get_data(as_text=True)


def test_an_expired_form(app_settings):
    strict = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    try:
        client = strict.test_client()
        with Session(strict.extensions["forum_engine"], expire_on_commit=False) as session:
            thread, _ = make_thread(session)
            member = make_user(session, locale="en")
        login_as(client, member)
        response = client.post(
            f"/threads/{thread.id}/replies", data={"reply-body": "Hej"}, headers=HX
        )
        assert_short_failure(
            response,
            400,
            "This form has expired or did not come from this site. Reload the page and try again.",
        )
    finally:
        strict.extensions["forum_engine"].dispose()


def test_a_conflict_is_short_too(client, db_session):
    member = make_user(db_session, locale="en")
    first, _ = make_thread(db_session)
    second, _ = make_thread(db_session, title="Ett annat ämne om solceller")
    make_reply(db_session, first, member, "Svar").submission_key = "k" * 20
    db_session.commit()
    login_as(client, member)
    response = client.post(
        f"/threads/{second.id}/replies",
        data={"reply-body": "Svar", "reply-submission_key": "k" * 20},
        headers=HX,
    )
    assert response.status_code == 409
    assert response.headers["HX-Reswap"] == "none"
    assert "<html" not in response.get_data(as_text=True)


@pytest.mark.parametrize("status", [400, 403, 404, 405, 409, 413, 429, 500, 503])
def test_every_failure_status_is_one_sentence(app, status):
    def fails():
        if status == 500:
            raise RuntimeError("boom")
        abort(status)

    app.add_url_rule("/test-failure", "test_failure", fails, methods=["GET", "POST"])
    client = app.test_client()
    response = client.post("/test-failure", headers={**HX, "Accept-Language": "en"})
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.headers["HX-Reswap"] == "none"
    assert body.strip().startswith('<p class="htmx-error" role="alert" data-error-message>')
    assert len(body) < 300
    # a boosted link is a page change: the whole translated error page
    boosted = client.get("/test-failure", headers={**HX, "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True) and "HX-Reswap" not in boosted.headers


def test_back_without_htmx_copy_gets_the_whole_page(client, db_session):
    make_thread(db_session)
    slug = theme(db_session).slug
    restore = client.get(
        f"/t/{slug}", headers={**HX, "HX-History-Restore-Request": "true"}
    ).get_data(as_text=True)
    assert "<html" in restore and 'id="thread-rows"' in restore
    fragment = client.get(f"/t/{slug}", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment


def test_load_more_is_an_address(client, db_session):
    home = theme(db_session)
    for number in range(55):
        make_thread(db_session, title=f"Tråd nummer {number:02d} om dagvatten", theme=home)
    rows = re.compile(r'<li class="thread-row')
    first = client.get(f"/t/{home.slug}").get_data(as_text=True)
    assert len(rows.findall(first)) == 25
    assert f'data-hx-replace-url="/t/{home.slug}?shown=2"' in first
    more = client.get(f"/t/{home.slug}?page=2", headers={**HX, "Accept-Language": "en"})
    assert len(rows.findall(more.get_data(as_text=True))) == 25
    assert announced(more) == "25 more threads shown"
    both = client.get(f"/t/{home.slug}?shown=2").get_data(as_text=True)
    assert len(rows.findall(both)) == 50
    assert f'href="/t/{home.slug}?page=3"' in both  # "Load more" goes on from there
    all_three = client.get(f"/t/{home.slug}?shown=3").get_data(as_text=True)
    assert len(rows.findall(all_three)) == 55
    past_the_end = client.get(f"/t/{home.slug}?shown=4")
    assert past_the_end.status_code == 200
    assert len(rows.findall(past_the_end.get_data(as_text=True))) == 55
    assert "?page=4" not in past_the_end.get_data(as_text=True)
    for bad in ("0", "21", "x", "²"):
        assert client.get(f"/t/{home.slug}?shown={bad}").status_code == 400


def test_an_old_load_more_address_shows_the_threads_left_after_deletions(app, client, db_session):
    """``?shown=3`` saved (Back, a bookmark) before threads were deleted: the threads that are
    left, not a 404, as Discourse keeps an old position working."""
    home = theme(db_session)
    made = [
        make_thread(db_session, title=f"Tråd nummer {number:02d} om skyfall", theme=home)
        for number in range(55)
    ]
    admin = make_user(db_session, role="admin")
    with app.test_request_context():
        for _thread, posts in made[:25]:
            delete_post_permanently(session=db_session, actor=admin, post=posts[0], reason="Spam")
        db_session.commit()
    rows = re.compile(r'<li class="thread-row')
    for plain_or_htmx in ({}, {**HX, "HX-History-Restore-Request": "true"}):
        answer = client.get(f"/t/{home.slug}?shown=3", headers=plain_or_htmx)
        assert answer.status_code == 200
        html = answer.get_data(as_text=True)
        assert len(rows.findall(html)) == 30
        assert f'href="/t/{home.slug}?page=2"' not in html and "?page=3" not in html
    # a thread list with no thread left at all still answers
    with app.test_request_context():
        for _thread, posts in made[25:]:
            delete_post_permanently(session=db_session, actor=admin, post=posts[0], reason="Spam")
        db_session.commit()
    empty = client.get(f"/t/{home.slug}?shown=2")
    assert empty.status_code == 200 and not rows.findall(empty.get_data(as_text=True))


def test_a_reply_and_a_search_are_read_out(client, db_session):
    thread, _ = make_thread(db_session)
    login_as(client, make_user(db_session, locale="sv"))
    response = client.post(
        f"/threads/{thread.id}/replies", data={"reply-body": "Vi provade det."}, headers=HX
    )
    assert response.status_code == 200
    assert announced(response) == "Ditt svar har publicerats."
    search = client.get("/search?q=dagvatten", headers={**HX, "HX-Target": "search-results"})
    assert re.fullmatch(r"\d+ träff(ar)?", announced(search))
    assert "HX-Trigger" not in client.get("/search?q=dagvatten").headers


def test_glossary_save_by_htmx_answers_the_list(client, db_session):
    login_as(client, make_user(db_session, role="admin", locale="en"))
    groups_before = len(db_session.exec(select(GlossaryGroup)).all())
    response = client.post(
        "/admin/glossary",
        data={"note": "Skyfall", "terms": "sv: skyfall\nen: cloudburst"},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="glossary-admin"' in body and "cloudburst" in body
    assert f"{groups_before + 1} group" in body
    assert 'id="glossary-saved"' in body and "The glossary group was saved." in body
    assert response.headers["HX-Push-Url"] == "/admin/glossary"
    assert announced(response) == "The glossary group was saved."
    refused = client.post("/admin/glossary", data={"note": "x", "terms": ""}, headers=HX)
    assert refused.status_code == 422 and 'id="glossary-admin"' in refused.get_data(as_text=True)
