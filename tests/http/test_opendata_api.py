"""The JSON API: every answer valid against the OpenAPI document the forum serves, public
content only (the visibility matrix, by list and by id), conditional GET, CORS, JSON errors in
the reader's language, the rate limit, and the data dictionary."""

from __future__ import annotations

import pytest

from forum import create_app
from forum.clock import utcnow
from forum.extensions import limiter
from forum.moderation.items import hide_item
from forum.opendata.api import schemas
from tests.api_content import SECRETS, make_content, public_paths
from tests.factories import make_user
from tests.openapi_check import ApiClient


@pytest.fixture
def content(app, db_session):
    return make_content(app, db_session)


def test_the_document_is_valid_openapi_and_names_every_route(app, api):
    assert api.document["openapi"].startswith("3.1")
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert len(routes) == len(api.document["paths"]) == 16
    for route in routes:
        assert api.operation(route.replace("<int:", "<")), route
    assert set(api.document["components"]["schemas"]) >= set(schemas.OBJECTS)


def test_every_answer_is_valid_and_public_only(api, content):
    for path in public_paths(content):
        text = api.get(path).get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in text, (path, secret)
        assert "astrid@example.org" not in text
        assert "join_url" not in text


def test_objects_carry_stable_ids_absolute_addresses_and_language(api, content):
    [thread] = [t for t in api.walk("/api/v1/threads") if t["id"] == content.thread.id]
    assert thread["url"] == f"http://127.0.0.1:5000/api/v1/threads/{content.thread.id}"
    assert thread["html_url"].startswith(f"http://127.0.0.1:5000/threads/{content.thread.id}-")
    assert thread["language"] == "sv" and thread["goals"] == [7]
    assert thread["project_id"] == content.project.id and thread["author"] == "Astrid Author"
    assert api.get(thread["url"]).get_json() == thread
    posts = api.walk(thread["posts_url"])
    assert [p["body"] for p in posts] == ["Vi satte **solceller** på taket.", "Ett publikt svar"]
    assert "<strong>solceller</strong>" in posts[0]["body_html"]
    [lesson] = api.walk("/api/v1/lessons")
    assert lesson["id"] == content.lesson.id and lesson["licence"].startswith("https://")
    assert lesson["project"]["url"] == f"http://127.0.0.1:5000/api/v1/projects/{content.project.id}"
    assert api.get(lesson["url"]).get_json() == lesson
    [project] = api.walk("/api/v1/projects")
    assert project["name"] == "Solparken i Lund" and project["goals"] == [7]
    assert [item["id"] for item in api.walk(project["lessons_url"])] == [content.lesson.id]
    goals = api.walk("/api/v1/goals")
    assert [g["id"] for g in goals] == list(range(1, 18))
    assert goals[6]["name"]["en"] and goals[6]["name"]["sv"]


def test_hidden_deleted_and_draft_content_is_a_404_by_id(api, content):
    c = content
    for path in (
        f"/api/v1/threads/{c.hidden_thread.id}",
        f"/api/v1/threads/{c.hidden_thread.id}/posts",
        f"/api/v1/posts/{c.hidden_reply.id}",
        f"/api/v1/posts/{c.deleted_reply.id}",
        f"/api/v1/lessons/{c.draft.id}",
        f"/api/v1/lessons/{c.hidden_lesson.id}",
        f"/api/v1/threads/{c.hidden_lesson.thread_id}/posts",
        f"/api/v1/projects/{c.hidden_project.id}",
        f"/api/v1/events/{c.draft_event.id}",
        "/api/v1/threads/999999",
        "/api/v1/goals/18",
        "/api/v1/themes/999",
        "/api/v1/nothing-here",
    ):
        error = api.get(path, 404).get_json()["error"]
        assert error["code"] == "not_found" and error["status"] == 404, path


def test_a_post_of_a_hidden_thread_is_a_404(api, content, db_session):
    content.thread.hidden_at = utcnow()
    db_session.add(content.thread)
    db_session.commit()
    api.get(f"/api/v1/posts/{content.reply.id}", 404)
    assert content.thread.id not in [t["id"] for t in api.walk("/api/v1/threads")]


def test_a_link_to_a_hidden_project_is_null(api, content, db_session):
    content.event.project_id = content.project.id
    db_session.add(content.event)
    db_session.commit()
    event_url, thread_url = (
        f"/api/v1/events/{content.event.id}",
        f"/api/v1/threads/{content.thread.id}",
    )
    assert api.get(event_url).get_json()["project_id"] == content.project.id
    with api.client.application.test_request_context("/"):
        moderator = make_user(db_session, role="moderator")
        hide_item(session=db_session, actor=moderator, item=content.project, reason="spam")
        db_session.commit()
    assert api.get(event_url).get_json()["project_id"] is None
    assert api.get(thread_url).get_json()["project_id"] is None
    [event] = [e for e in api.walk("/api/v1/events") if e["id"] == content.event.id]
    assert event["project_id"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/threads?limit=0",
        "/api/v1/threads?limit=101",
        "/api/v1/threads?limit=ten",
        "/api/v1/threads?cursor=not-a-cursor",
        "/api/v1/threads?sort=best",
        "/api/v1/threads?theme=no-such-theme",
        "/api/v1/threads?sdg=18",
        "/api/v1/threads?solved=maybe",
        "/api/v1/lessons?type=poem",
        "/api/v1/lessons?project=no-such-project",
        "/api/v1/lessons?language=de",
        "/api/v1/projects?status=dreamt",
        "/api/v1/events?when=someday",
        "/api/v1/events?kind=party",
    ],
)
def test_bad_parameters_are_a_400_in_json(api, path):
    error = api.get(path, 400).get_json()["error"]
    assert error["code"] == "bad_request" and error["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/threads"), ("put", "/api/v1/threads/1"), ("delete", "/api/v1/")],
)
def test_a_method_the_api_does_not_take_is_a_405_in_json(api, method, path):
    answer = getattr(api.client, method)(path, headers={"Accept-Language": "en"})
    assert answer.status_code == 405 and answer.mimetype == "application/json"
    api.check({"$ref": "#/components/schemas/Error"}, answer.get_json())
    assert answer.get_json()["error"]["code"] == "method_not_allowed"
    assert {"GET", "HEAD", "OPTIONS"} <= set(answer.headers["Allow"].split(", "))


def test_an_address_outside_the_api_versions_is_a_404_in_json(api):
    for path in ("/api/nothing", "/api/v2/threads", "/api/v1/threads/abc"):
        assert api.client.get(path).mimetype == "application/json", path
        api.get(path, 404)


def test_errors_speak_the_readers_language(api):
    swedish = api.get("/api/v1/threads?limit=0", 400, **{"Accept-Language": "sv"})
    english = api.get("/api/v1/threads?limit=0", 400, **{"Accept-Language": "en"})
    assert english.get_json()["error"]["message"] == "Give a limit between 1 and 100."
    assert swedish.get_json()["error"]["message"] != english.get_json()["error"]["message"]
    assert swedish.get_json()["error"]["code"] == "bad_request"
    chosen = api.get("/api/v1/threads?limit=0&lang=en", 400, **{"Accept-Language": "sv"})
    assert chosen.get_json()["error"]["message"] == "Give a limit between 1 and 100."


def test_any_origin_may_read_the_api(api, client, content):
    answer = api.get("/api/v1/lessons", **{"Origin": "https://example.org"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    error = api.get("/api/v1/lessons/999999", 404, **{"Origin": "https://example.org"})
    assert error.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/lessons",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]


def test_too_many_requests_from_one_address_is_a_429_in_json(app_settings):
    app = create_app({**app_settings, "RATELIMIT_ENABLED": True, "RATELIMIT_API": "3 per minute"})
    limiter.reset()
    try:
        api = ApiClient(app.test_client())  # the document is the first request
        api.get("/api/v1/goals")
        api.get("/api/v1/themes")
        answer = api.get("/api/v1/goals", 429, **{"Accept-Language": "en"})
        assert answer.get_json()["error"]["code"] == "rate_limited"
        # the limiter rounds the window's end up to a whole second, so a minute may read 61
        assert 0 < int(answer.headers["Retry-After"]) <= 61
        other = app.test_client().get("/api/v1/goals", environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 200
    finally:
        limiter.reset()
        app.extensions["forum_engine"].dispose()


def test_the_data_dictionary_explains_every_field_in_both_languages(client):
    english = client.get("/api/dictionary", headers={"Accept-Language": "en"})
    swedish = client.get("/api/dictionary", headers={"Accept-Language": "sv"})
    assert english.status_code == swedish.status_code == 200
    assert english.mimetype == "text/html"
    page = english.get_data(as_text=True)
    for name, schema in schemas.OBJECTS.items():
        assert f'id="{name.lower()}"' in page
        for field in schema["properties"]:
            assert f"<code>{field}</code>" in page, (name, field)
    assert "<code>project.slug</code>" in page and "<code>outcomes[].label</code>" in page
    assert "How many members marked it useful." in page
    assert "How many members marked it useful." not in swedish.get_data(as_text=True)
    assert "<td>array of integer</td>" in page  # the types' words are translated too
    assert "array of" not in swedish.get_data(as_text=True)
    assert 'href="/api/v1/openapi.json"' in page
