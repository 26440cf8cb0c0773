"""Conditional requests to the JSON API: every list and object answers a 304 to its own ETag,
for GET and HEAD, without writing its JSON; and the tag changes with anything the answer
shows (an edit, a hide, a new row, a renamed author, the next page's link), so no reader is ever
told that a stale copy is current."""

from __future__ import annotations

import json

import pytest

from forum.accounts.models import User
from forum.accounts.settings import update_profile
from forum.discussions import service as discussions
from forum.moderation.items import hide_item
from forum.moderation.posts import hide_post
from tests.api_content import make_content, public_paths
from tests.factories import make_reply, make_thread, make_user
from tests.openapi_check import ApiClient


@pytest.fixture
def content(app, db_session):
    return make_content(app, db_session)


def tag_of(api: ApiClient, path: str, **headers) -> str:
    return api.get(path, **headers).headers["ETag"]


def test_every_address_answers_304_to_its_own_tag(api, content):
    for path in public_paths(content):
        first = api.get(path)
        tag = first.headers["ETag"]
        again = api.get(path, 304, **{"If-None-Match": tag})
        assert again.headers["ETag"] == tag, path
        assert "no-cache" in again.headers["Cache-Control"], path
        assert "Accept-Language" in again.headers["Vary"], path
        assert again.headers.get("Link") == first.headers.get("Link"), path
        api.get(path, 200, **{"If-None-Match": '"another"'})


def test_head_gives_the_tag_of_get_and_its_304(api, content):
    client = api.client
    for path in public_paths(content):
        tag = tag_of(api, path)
        head = client.head(path)
        assert head.status_code == 200 and head.data == b"", path
        assert head.headers["ETag"] == tag and head.mimetype == "application/json", path
        assert client.head(path, headers={"If-None-Match": tag}).status_code == 304, path


def test_a_304_writes_no_json(api, content, monkeypatch):
    tags = {path: tag_of(api, path) for path in public_paths(content)}

    def refuse(*args, **kwargs):
        raise AssertionError("a current copy must not be written again")

    monkeypatch.setattr(api.client.application.json, "response", refuse)
    for path, tag in tags.items():
        assert api.client.get(path, headers={"If-None-Match": tag}).status_code == 304, path


def test_each_language_has_its_own_tag(api, content):
    for path in ("/api/v1/", "/api/v1/threads", "/api/v1/openapi.json"):
        swedish = tag_of(api, path, **{"Accept-Language": "sv"})
        api.get(path, 200, **{"Accept-Language": "en", "If-None-Match": swedish})


def _changed(api: ApiClient, tags: dict[str, str], expected: str | None = None) -> None:
    """Every address in ``tags`` now answers 200 with a new tag (and ``expected`` in it)."""
    for path, tag in tags.items():
        answer = api.get(path, 200, **{"If-None-Match": tag})
        assert answer.headers["ETag"] != tag, path
        if expected is not None:
            assert expected in json.dumps(answer.get_json(), ensure_ascii=False), path


def _author(db_session, post) -> User:
    return db_session.get(User, post.author_id)


def test_an_edit_changes_the_tags_of_what_shows_it(api, app, content, db_session):
    c = content
    thread_paths = ("/api/v1/threads", f"/api/v1/threads/{c.thread.id}")
    post_paths = (f"/api/v1/posts/{c.reply.id}", f"/api/v1/threads/{c.thread.id}/posts")
    tags = {path: tag_of(api, path) for path in (*thread_paths, *post_paths)}
    with app.test_request_context("/"):
        discussions.edit_post(
            session=db_session, actor=_author(db_session, c.reply), post=c.reply, body="Nytt svar"
        )
        db_session.commit()
    _changed(api, {path: tags[path] for path in post_paths}, "Nytt svar")
    for path in thread_paths:  # the thread shows no post body: its tag stays
        api.get(path, 304, **{"If-None-Match": tags[path]})
    first_id = discussions.first_post_id(session=db_session, thread=c.thread)
    with app.test_request_context("/"):
        first = db_session.get(type(c.reply), first_id)
        discussions.edit_post(
            session=db_session,
            actor=_author(db_session, first),
            post=first,
            body=first.body,
            title="Solceller på förskolans tak",
        )
        db_session.commit()
    _changed(api, {path: tags[path] for path in thread_paths}, "förskolans tak")


def test_hiding_changes_the_tags_of_lists_and_objects(api, app, content, db_session):
    c = content
    paths = (
        "/api/v1/threads",
        f"/api/v1/threads/{c.thread.id}",  # its post count
        f"/api/v1/threads/{c.thread.id}/posts",
        "/api/v1/lessons",
        "/api/v1/projects",
        f"/api/v1/events/{c.event.id}",  # its project
    )
    c.event.project_id = c.project.id
    db_session.add(c.event)
    db_session.commit()
    tags = {path: tag_of(api, path) for path in paths}
    with app.test_request_context("/"):
        moderator = make_user(db_session, role="moderator")
        hide_post(session=db_session, actor=moderator, post=c.reply, reason="spam")
        hide_item(session=db_session, actor=moderator, item=c.lesson, reason="spam")
        hide_item(session=db_session, actor=moderator, item=c.project, reason="spam")
        db_session.commit()
    _changed(api, tags)
    text = api.get(f"/api/v1/threads/{c.thread.id}/posts").get_data(as_text=True)
    assert "Ett publikt svar" not in text
    assert api.get("/api/v1/lessons").get_json()["data"] == []
    assert api.get(f"/api/v1/events/{c.event.id}").get_json()["project_id"] is None


def test_a_new_row_changes_the_tag_even_of_a_page_it_only_gives_a_next_link(
    api, app, content, db_session
):
    c = content
    posts = f"/api/v1/threads/{c.thread.id}/posts"
    whole = api.get(f"{posts}?limit=2").get_json()
    assert len(whole["data"]) == 2 and whole["next"] is None
    tags = {path: tag_of(api, path) for path in ("/api/v1/threads", posts, f"{posts}?limit=2")}
    with app.test_request_context("/"):
        make_reply(db_session, c.thread, make_user(db_session), "Ett tredje svar")
        make_thread(db_session, make_user(db_session), "En ny tråd om vindkraft")
    _changed(api, tags)
    page = api.get(f"{posts}?limit=2", 200, **{"If-None-Match": tags[f"{posts}?limit=2"]})
    assert page.get_json()["data"] == whole["data"] and page.get_json()["next"]
    titles = [thread["title"] for thread in api.get("/api/v1/threads").get_json()["data"]]
    assert "En ny tråd om vindkraft" in titles


def test_a_renamed_author_changes_the_tags_of_their_content(api, app, content, db_session):
    c = content
    paths = (
        "/api/v1/threads",
        f"/api/v1/threads/{c.thread.id}",
        f"/api/v1/threads/{c.thread.id}/posts",
        f"/api/v1/lessons/{c.lesson.id}",
    )
    tags = {path: tag_of(api, path) for path in paths}
    author = db_session.get(User, c.thread.author_id)
    with app.test_request_context("/"):
        update_profile(
            session=db_session,
            actor=author,
            display_name="Astrid Andersson",
            organisation=None,
            actor_type=author.actor_type,
            bio="",
        )
        db_session.commit()
    _changed(api, tags, "Astrid Andersson")
