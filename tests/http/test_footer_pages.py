"""The footer's pages (about, privacy, accessibility) in both languages, with the operator from
the configuration, and the accessibility statement's "report a barrier" form, which lands in the
moderation queue."""

from __future__ import annotations

import pytest
from sqlmodel import select

from forum import create_app
from forum.extensions import limiter
from forum.moderation.models import BarrierReport, ModerationAction, Report, ReportStatus
from tests.factories import login_as, make_thread, make_user

OPERATOR = {
    "PUBLISHER_NAME": "Malmö stad, miljöförvaltningen",
    "PUBLISHER_ADDRESS": "Box 1, 205 00 Malmö",
    "CONTACT_EMAIL": "forum@example.org",
}
PAGES = {
    "/about": {"sv": "Tre teman", "en": "Three themes"},
    "/privacy": {"sv": "Personuppgiftsansvarig", "en": "Controller"},
    "/accessibility": {"sv": "Tillsynsmyndighet", "en": "Enforcement body"},
}


@pytest.fixture
def operated(app_settings):
    app = create_app({**app_settings, **OPERATOR})
    yield app
    app.extensions["forum_engine"].dispose()


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("language", ["sv", "en"])
def test_each_page_in_each_language_names_the_operator(operated, path, language):
    client = operated.test_client()
    response = client.get(f"{path}?lang={language}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'<html lang="{language}">' in html
    assert PAGES[path][language] in html
    other = "en" if language == "sv" else "sv"
    assert PAGES[path][other] not in html
    assert "Malmö stad, miljöförvaltningen" in html
    assert "Box 1, 205 00 Malmö" in html and 'href="mailto:forum@example.org"' in html
    fragment = client.get(f"{path}?lang={language}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200


def test_the_footer_of_every_page_links_the_three(client, db_session):
    thread, _posts = make_thread(db_session)
    for path in (
        "/",
        f"/threads/{thread.id}-{thread.slug}",
        "/search?q=vatten",
        "/login",
        "/nowhere",
    ):
        html = client.get(path).get_data(as_text=True)
        footer = html[html.index('<footer class="site-footer">') :]
        for link in ('href="/about"', 'href="/privacy"', 'href="/accessibility"'):
            assert link in footer, (path, link)


def test_privacy_states_the_retention_the_code_applies(app_settings):
    app = create_app(
        {
            **app_settings,
            "REMEMBER_COOKIE_DURATION": 90 * 24 * 3600,
            "EVENT_ANSWERS_RETENTION_DAYS": 14,
        }
    )
    html = app.test_client().get("/privacy?lang=en").get_data(as_text=True)
    assert "at most 90 days" in html and "removed 14 days after the event" in html
    assert "art. 6(1)" in html and "imy.se" in html
    app.extensions["forum_engine"].dispose()


def test_without_an_address_the_pages_point_to_the_form(client):
    html = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "mailto:" not in html and 'href="/accessibility#report-barrier"' in html


def test_a_visitor_reports_a_barrier_and_a_moderator_resolves_it(app, client, db_session):
    form = {
        "page": "/search",
        "description": "Sökfältets filter går inte att nå med tangentbordet.",
        "email": "Besokare@Example.org",
    }
    response = client.post("/accessibility/report", data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/accessibility#report-barrier")
    report = db_session.exec(select(Report)).one()
    barrier = db_session.get(BarrierReport, report.item_id)
    assert (report.item_type, report.reporter_id, report.reason.value) == (
        "barrier",
        None,
        "accessibility",
    )
    assert barrier.page == "/search" and barrier.contact_email == "besokare@example.org"

    moderator = make_user(db_session, role="moderator", locale="en")
    mod = app.test_client()
    login_as(mod, moderator)
    queue = mod.get("/mod/queue").get_data(as_text=True)
    assert "Accessibility barrier" in queue and form["description"] in queue
    assert 'href="mailto:besokare@example.org"' in queue and 'href="/search"' in queue
    assert "a visitor who was not logged in" in queue
    assert "Hide the" not in queue.split(f'id="queue-barrier-{barrier.id}"')[1]

    done = mod.post(
        f"/mod/queue/barrier/{barrier.id}/resolve",
        data={"reason": "Filtren fick riktiga knappar.", "context": "queue"},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200
    db_session.expire_all()
    assert db_session.get(Report, report.id).status == ReportStatus.resolved
    assert db_session.get(BarrierReport, barrier.id).contact_email is None  # erased when closed
    actions = [entry.action for entry in db_session.exec(select(ModerationAction))]
    assert actions == ["report.file", "report.resolve"]
    assert form["description"] not in mod.get("/mod/queue").get_data(as_text=True)


def test_a_member_reports_a_barrier_as_themselves_and_a_moderator_dismisses_it(
    app, client, db_session
):
    member = make_user(db_session, locale="en")
    login_as(client, member)
    form = client.get("/accessibility", headers={"Referer": "http://localhost/lessons?sort=new"})
    assert 'value="/lessons?sort=new"' in form.get_data(as_text=True)  # where they came from
    elsewhere = client.get("/accessibility", headers={"Referer": "https://evil.example/x"})
    assert 'name="page" type="text" value=""' in elsewhere.get_data(as_text=True)
    response = client.post(
        "/accessibility/report",
        data={"description": "Kontrasten på knapparna är låg.", "page": "/lessons?sort=new"},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "Thank you" in html
    report = db_session.exec(select(Report)).one()
    assert report.reporter_id == member.id
    assert db_session.get(BarrierReport, report.item_id).page == "/lessons?sort=new"
    moderator = make_user(db_session, role="moderator")
    mod = app.test_client()
    login_as(mod, moderator)
    response = mod.post(
        f"/mod/queue/barrier/{report.item_id}/dismiss", data={"reason": "Redan åtgärdat."}
    )
    assert response.status_code == 303
    db_session.expire_all()
    assert db_session.get(Report, report.id).status == ReportStatus.dismissed


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"description": "   "}, "Describe the problem you met."),
        ({"description": "x" * 4001}, "4000"),
        ({"description": "Något", "email": "inte en adress"}, "Enter a valid e-mail address."),
        ({"description": "Något", "page": "/" + "a" * 600}, "500"),
    ],
    ids=["empty", "too-long", "bad-email", "long-page"],
)
def test_a_bad_barrier_report_gets_the_form_back_filled(client, db_session, form, message):
    response = client.post("/accessibility/report?lang=en", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and 'id="report-barrier"' in html
    if form.get("email"):
        assert 'value="inte en adress"' in html
    fragment = client.post(
        "/accessibility/report?lang=en", data=form, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 422 and "<html" not in fragment.get_data(as_text=True)
    assert db_session.exec(select(Report)).first() is None


def test_the_swedish_form_answers_in_swedish(client):
    html = client.post("/accessibility/report", data={"description": ""}).get_data(as_text=True)
    assert "Beskriv problemet du stötte på." in html


def test_barriers_cannot_be_reached_through_the_member_report_form(client, db_session):
    client.post("/accessibility/report", data={"description": "Hemligt om min syn."})
    report = db_session.exec(select(Report)).one()
    login_as(client, make_user(db_session))
    answer = client.get(f"/report?type=barrier&id={report.item_id}")
    assert answer.status_code == 400 and "Hemligt" not in answer.get_data(as_text=True)
    assert (
        client.post(
            "/report", data={"item_type": "barrier", "item_id": report.item_id, "reason": "other"}
        ).status_code
        == 400
    )


def test_reports_are_rate_limited_per_address(app_settings, db_session):
    app = create_app(
        {**app_settings, "RATELIMIT_ENABLED": True, "BARRIER_REPORT_LIMIT": "2 per hour"}
    )
    limiter.reset()
    client = app.test_client()
    statuses = [
        client.post("/accessibility/report", data={"description": f"Brist {n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [303, 303, 429]
    assert client.get("/accessibility").status_code == 200
    limiter.reset()
    app.extensions["forum_engine"].dispose()


def test_a_form_sent_back_with_errors_does_not_count_against_the_limit(app_settings, db_session):
    app = create_app(
        {**app_settings, "RATELIMIT_ENABLED": True, "BARRIER_REPORT_LIMIT": "1 per hour"}
    )
    limiter.reset()
    client = app.test_client()
    mistakes = [client.post("/accessibility/report", data={}).status_code for _ in range(3)]
    filed = client.post("/accessibility/report", data={"description": "Brist"}).status_code
    again = client.post("/accessibility/report", data={"description": "Brist"}).status_code
    assert (mistakes, filed, again) == ([422, 422, 422], 303, 429)
    limiter.reset()
    app.extensions["forum_engine"].dispose()
