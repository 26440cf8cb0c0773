"""The security headers on every kind of page, ``Cache-Control`` on private ones, pages without
inline script or style (so the CSP can forbid them), and the HTTPS switch."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from forum import create_app
from forum.config import Config, https_settings
from tests.accounts_fixtures import login
from tests.events_helpers import make_event
from tests.factories import (
    DEFAULT_PASSWORD,
    client_as,
    goal,
    make_project_with_lesson,
    make_thread,
    make_user,
    theme,
)

PUBLIC = "/", "/t/{theme}", "/threads/{thread}", "/search?q=dagvatten", "/lessons"
PUBLIC += "/lessons/{lesson}", "/projects", "/projects/{project}", "/events", "/events/{event}"
PUBLIC += "/login", "/register", "/reset", "/terms", "/invitations"
MEMBER = "/settings", "/notices", "/threads/{thread}", "/", "/lessons/{lesson}", "/events/{event}"
MODERATOR = "/mod/queue", "/mod/log", "/admin/users", "/admin/jobs"


@pytest.fixture
def paths(app, db_session, mod):
    with app.test_request_context():
        project, lesson = make_project_with_lesson(db_session)
        place = theme(db_session)
        body = "| a | b |\n|--:|:-:|\n| 1 | 2 |"
        goals = [goal(db_session, 11).id]  # its chip is coloured by a class, not a style
        thread, _ = make_thread(db_session, body=body, theme=place, goal_ids=goals, replies=1)
        event = make_event(db_session, mod)
    values = {
        "theme": place.slug,
        "thread": f"{thread.id}-{thread.slug}",
        "lesson": f"{lesson.id}-{lesson.slug}",
        "project": project.slug,
        "event": event.id,
    }
    return lambda templates: [template.format(**values) for template in templates]


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in header.split(";"))


def _assert_security_headers(response) -> None:
    policy = _policy(response)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # HTTPS is off


class _Inline(HTMLParser):
    """What a strict CSP refuses: inline scripts, style elements and attributes, handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        # a data block (JSON-LD for link previews) is never run, so the CSP does not apply to it
        data_block = dict(attrs).get("type") == "application/ld+json"
        if tag == "script" and "src" not in names and not data_block:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name in names:
            if name == "style" or name.startswith(("on", "hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}>")
        href = dict(attrs).get("href") or ""
        if href.lower().startswith("javascript:"):
            self.found.append(f"<{tag} href=javascript:>")


def _inline_parts(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.found


def test_public_pages_send_the_headers_and_stay_cacheable(client, paths):
    for path in paths(PUBLIC):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_security_headers(response)
        assert _inline_parts(response.get_data(as_text=True)) == [], path
        assert "no-store" not in response.headers.get("Cache-Control", ""), path


def test_an_anonymous_page_keeps_its_etag_and_answers_304(client, paths):
    [path] = paths(["/threads/{thread}"])
    first = client.get(path)
    assert first.headers["Cache-Control"] == "no-cache" and first.headers.get("ETag")
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    _assert_security_headers(again)


def test_pages_for_members_are_private_and_never_stored(app, db_session, paths):
    member = client_as(app, make_user(db_session))
    for path in paths(MEMBER):
        response = member.get(path)
        assert response.status_code == 200, path
        _assert_security_headers(response)
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert "ETag" not in response.headers, path
        assert _inline_parts(response.get_data(as_text=True)) == [], path


def test_moderation_and_admin_pages_are_private(app, db_session, paths):
    admin = client_as(app, make_user(db_session, role="admin"))
    for path in paths(MODERATOR):
        response = admin.get(path)
        assert response.status_code == 200, path
        _assert_security_headers(response)
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert _inline_parts(response.get_data(as_text=True)) == [], path


def test_private_addresses_are_not_stored_even_when_they_send_the_reader_away(client):
    for path in ("/settings", "/notices", "/mod/queue", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Cache-Control"] == "private, no-store", path


def test_htmx_fragments_carry_the_headers_too(app, db_session, paths):
    member = client_as(app, make_user(db_session))
    [path] = paths(["/threads/{thread}"])
    fragment = member.get(path, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    _assert_security_headers(fragment)
    assert fragment.headers["Cache-Control"] == "private, no-store"


def test_static_files_stay_cacheable_for_members(app, db_session):
    member = client_as(app, make_user(db_session))
    response = member.get("/static/css/forum.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_htmx_is_configured_to_need_no_eval_and_run_no_swapped_script(client):
    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)[1])
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False  # htmx would add a <style> element


def test_markdown_tables_and_goal_chips_use_classes_not_styles(client, paths):
    [path] = paths(["/threads/{thread}"])
    html = client.get(path).get_data(as_text=True)
    assert '<th class="align-right">a</th>' in html and '<td class="align-center">2</td>' in html
    assert 'class="chip chip-goal sdg-11"' in html


# --- the HTTPS switch ---------------------------------------------------------------------------


def test_forum_https_switches_every_cookie_to_secure(monkeypatch):
    monkeypatch.setenv("FORUM_HTTPS", "true")
    settings = Config.from_environment()
    settings.update(https_settings(settings))
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert settings["PREFERRED_URL_SCHEME"] == "https"


def test_the_remember_cookie_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("FORUM_REMEMBER_COOKIE_SECURE", "true")
    assert Config.from_environment()["REMEMBER_COOKIE_SECURE"] is True


@pytest.fixture
def https_app(app_settings):
    application = create_app({**app_settings, "HTTPS": True})
    yield application
    application.extensions["forum_engine"].dispose()


def _set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_over_https_every_cookie_is_secure_and_hsts_is_sent(https_app, db_session):
    user = make_user(db_session)
    client = https_app.test_client()
    base = "https://forum.example"
    cookies = _set_cookies(client.get("/?lang=en", base_url=base))  # the language choice
    form = {"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"}
    logged_in = client.post("/login", data=form, base_url=base)
    assert logged_in.status_code == 303
    cookies += _set_cookies(logged_in)
    assert client.get("/settings", base_url=base).status_code == 200
    cookies += _set_cookies(client.post("/logout", base_url=base))
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert {"session", "remember_token"} <= names
    for cookie in cookies:  # those logout deletes too
        assert "; Secure" in cookie, cookie
        assert "; HttpOnly" in cookie or "Max-Age=0" in cookie, cookie
    page = client.get("/", base_url=base)
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
    behind_proxy = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert behind_proxy.headers["Strict-Transport-Security"] == "max-age=31536000"
    with https_app.test_request_context():
        from flask import url_for

        assert url_for("site.home", _external=True).startswith("https://")


def test_without_https_no_hsts_and_cookies_work_over_http(client, db_session):
    user = make_user(db_session)
    response = login(client, email=user.email, password=DEFAULT_PASSWORD, remember="y")
    assert all("Secure" not in cookie for cookie in _set_cookies(response))
    assert "Strict-Transport-Security" not in client.get("/", base_url="https://x").headers


def test_a_pdf_may_be_shown_by_the_browser_viewer(app):
    @app.get("/test-slides.pdf")
    def slides():
        return app.response_class(b"%PDF-1.4\n", mimetype="application/pdf")

    response = app.test_client().get("/test-slides.pdf")
    policy = _policy(response)
    assert policy["object-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'" and response.headers["X-Frame-Options"] == "DENY"
