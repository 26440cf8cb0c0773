"""Home page, language choice, error pages and the health check over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum import create_app
from forum.clock import utcnow
from forum.mail import MailOutbox

THEMES_SV = [
    "Klimatneutral framtid",
    "Resilienta och hälsosamma samhällen",
    "Rättvisa och inkluderande samhällen",
]
THEMES_EN = [
    "Climate-neutral future",
    "Resilient and healthy communities",
    "Just and inclusive communities",
]


def test_home_lists_three_themes_in_swedish_by_default(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    for name in THEMES_SV:
        assert name in html
    assert 'data-hx-boost="true"' in html
    assert 'action="/search" method="get"' in html


def test_language_switch_is_remembered(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    for name in THEMES_EN:
        assert name in html
    # the choice sticks for the next request
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in client.get("/?lang=sv").get_data(as_text=True)


def test_accept_language_is_used_without_a_choice(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_unsupported_language_falls_back_quietly(client):
    response = client.get("/?lang=xx")
    assert response.status_code == 200
    assert '<html lang="sv">' in response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "text"), [("sv", "Sidan finns inte"), ("en", "Page not found")])
def test_unknown_url_gives_translated_404(client, lang, text):
    response = client.get(f"/no/such/page?lang={lang}")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_404_fragment_for_htmx_has_no_html_element(client):
    response = client.get("/no/such/page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "<html" not in response.get_data(as_text=True)


def test_500_page_is_styled_and_translated(app_settings):
    app = create_app({**app_settings, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom?lang=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "kaboom" not in body and "Traceback" not in body


def test_405_for_wrong_method(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json
    figures = body.pop("figures")
    assert body == {
        "status": "ok",
        "database": "ok",
        "worker": "ok",  # no worker in the tests: jobs run in the request
        "mail": "ok",
        "search_index": "ok",
        "search_outbox": "ok",
    }
    assert figures["search_pending_changes"] == 0
    assert figures["search_oldest_pending_seconds"] is None
    assert figures["mail_pending"] == 0 and figures["mail_oldest_due_seconds"] is None


def test_healthz_names_mail_that_waited_too_long(app, client, db_session):
    """A message due for longer than allowed: no worker sends mail (one waiting for its next
    attempt after a refusal is not due, and not counted)."""
    limit = app.config["HEALTH_PENDING_AGE"]
    db_session.add(MailOutbox(recipient="a@example.org", message=b"Subject: x\n\nHej"))
    waiting = utcnow() - timedelta(seconds=limit + 60)
    db_session.add(MailOutbox(recipient="b@example.org", message=b"x", next_attempt_at=waiting))
    later = utcnow() + timedelta(minutes=5)
    db_session.add(MailOutbox(recipient="c@example.org", message=b"x", next_attempt_at=later))
    db_session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["mail"].startswith("error: mail due for")
    assert response.json["figures"]["mail_pending"] == 3
    assert response.json["figures"]["mail_oldest_due_seconds"] >= limit + 60


def test_healthz_reports_missing_search_dir(app_settings, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the directory should be")
    app = create_app({**app_settings, "SEARCH_DIR": str(blocker / "index")})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "ok"
    assert "does not exist" in response.json["search_index"]


def test_healthz_reports_broken_database(app_settings, tmp_path):
    app = create_app({**app_settings, "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"].startswith("error")


def test_static_htmx_is_vendored(client):
    with client.get("/static/vendor/htmx.min.js") as response:  # closes the static file
        assert response.status_code == 200
        assert b"htmx" in response.data[:2000]


def test_the_forum_has_an_icon(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/img/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    old_name = client.get("/favicon.ico")
    assert old_name.status_code == 301 and old_name.location.endswith("/static/img/favicon.svg")


def test_the_main_navigation_names_every_part_and_marks_the_current_one(client):
    home = client.get("/?lang=en").text
    nav = home.split('<nav class="wrap main-nav" aria-label="Main">')[1].split("</nav>")[0]
    for href, label in [
        ("/#themes-heading", "Themes"),
        ("/projects", "Projects"),
        ("/lessons", "Lessons"),
        ("/events", "Events"),
        ("/search", "Search"),
    ]:
        assert f'href="{href}"' in nav and f">{label}</a>" in nav
    assert '<a href="/#themes-heading" aria-current="true">Themes</a>' in nav
    assert 'href="/threads/new"' in home.split('class="intro"')[1].split("</section>")[0]
    lessons = client.get("/lessons").text
    assert '<a href="/lessons" aria-current="true">' in lessons
    assert lessons.count('aria-current="true"') == 2  # the part, and the language shown
