"""Every kind of page works in Chromium under the forum's Content-Security-Policy: the browser
reports no violation (``securitypolicyviolation`` events, console errors) while a member reads,
replies by htmx, searches as they type, and a moderator and an administrator do their rounds."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import live_session, log_in
from tests.events_helpers import make_event
from tests.factories import goal, make_project_with_lesson, make_thread, make_user, theme

# Every document the page opens gets the listener before any of its own scripts run; it reports
# through a function exposed by the test, so nothing is lost when a link loads a new document.
LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const what = [event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber];
  (window.__violations = window.__violations || []).push(what.join(" "));
  window.reportViolation(what.join(" "));
});
"""


@pytest.fixture(scope="module")
def site(live_app):
    with live_app.test_request_context(), live_session(live_app) as session:
        author = make_user(session, display_name="Ada Aktör")
        admin = make_user(session, role="admin", locale="en", display_name="Alva Admin")
        place = theme(session)
        body = "Gröna tak **fördröjer** regn.\n\n| mm | % |\n|--:|:-:|\n| 30 | 50 |"
        thread, _ = make_thread(
            session,
            author,
            "Gröna tak och skyfall",
            body,
            theme=place,
            goal_ids=[goal(session, 11).id, goal(session, 13).id],
            replies=1,
        )
        project, lesson = make_project_with_lesson(session, author)
        event = make_event(session, admin)
        return {
            "admin": admin,
            "theme": f"/t/{place.slug}",
            "thread": f"/threads/{thread.id}-{thread.slug}",
            "project": f"/projects/{project.slug}",
            "lesson": f"/lessons/{lesson.id}-{lesson.slug}",
            "event": f"/events/{event.id}",
        }


@pytest.fixture
def watched(browser):
    """A page whose CSP violations and console errors are collected."""
    context = browser.new_context(locale="sv-SE")
    violations: list[str] = []
    context.expose_function("reportViolation", lambda text: violations.append(text))
    context.add_init_script(LISTENER)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    yield page, violations
    context.close()


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")


def test_pages_work_under_the_policy_without_a_violation(live_server, site, watched):
    page, violations = watched
    base = live_server.url
    for path in ("/", site["theme"], site["thread"], "/lessons", site["lesson"], "/projects"):
        _visit(page, base + path)
    for path in (site["project"], "/events", site["event"], "/search", "/login"):
        _visit(page, base + path)
    # the styles of the files apply: a goal's colour comes from its class, table alignment too
    _visit(page, base + site["thread"])
    chip = page.locator(".chip-goal.sdg-11").first
    colour = chip.evaluate("node => getComputedStyle(node).borderLeftColor")
    assert colour == "rgb(253, 157, 36)"  # #FD9D24, goal 11
    cell = page.locator(".post-body td.align-right, td.align-right").first
    assert cell.evaluate("node => getComputedStyle(node).textAlign") == "right"
    assert violations == []


def test_a_member_and_an_admin_use_htmx_under_the_policy(live_server, site, watched):
    page, violations = watched
    base = live_server.url
    log_in(page, base, site["admin"])
    page.goto(base + site["thread"])
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Your reply").fill("Vi har också gröna tak, med sedum.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#posts article.post").last).to_contain_text("med sedum")
    assert page.evaluate("window.__sameDocument") is True  # htmx appended it: no reload

    # the reply's swap settles and moves the focus after the post shows: type only after that
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    page.locator("#header-q").press_sequentially("sedum", delay=30)  # active search
    expect(page.locator("#header-q")).to_have_value("sedum")
    expect(page.locator(".search-hit").first).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    for path in ("/settings", "/notices", "/mod/queue", "/mod/log", "/admin/users", "/admin/jobs"):
        _visit(page, base + path)
    _visit(page, base + site["event"])
    _visit(page, base + site["lesson"])
    assert violations == []


def test_a_violation_would_be_seen(live_server, watched):
    """The listener works: a style attribute added by a script is refused and reported."""
    page, violations = watched
    _visit(page, live_server.url + "/")
    page.evaluate(
        """() => {
          const box = document.createElement("div");
          box.innerHTML = '<p style="color: red">röd</p>';
          document.body.appendChild(box);
        }"""
    )
    page.wait_for_function("() => (window.__violations || []).length > 0", timeout=10_000)
    assert any("style-src" in violation for violation in violations), violations
