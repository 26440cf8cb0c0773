"""Watching and notifications over HTTP: every route by role, plain and htmx answers, the header
badge, opening and marking read, and the number of statements the page and the badge cost."""

from __future__ import annotations

import pytest
from sqlmodel import select

from forum import create_app
from forum.notifications.models import Notification, Watch
from forum.notifications.service import WATCHING
from tests.factories import login_as, make_reply, make_thread, make_user, theme
from tests.statements import recording

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true"}


@pytest.fixture
def world(app, db_session):
    reader = make_user(db_session, locale="en", display_name="Rita Reader")
    author = make_user(db_session, display_name="Arne Author")
    thread, _ = make_thread(db_session, author, title="Gröna tak i Augustenborg")
    with app.test_request_context():
        key = str(thread.id)
        db_session.add(
            Watch(user_id=reader.id, target_type="thread", target_key=key, level=WATCHING)
        )
        db_session.commit()
        reply = make_reply(db_session, thread, author, "Sedum fungerar bra.")
    mine = db_session.exec(select(Notification).where(Notification.user_id == reader.id)).one()
    return {"reader": reader, "author": author, "thread": thread, "reply": reply, "mine": mine}


def routes(w) -> list[tuple[str, str, dict]]:
    n = w["mine"].id
    return [
        ("GET", "/notifications", {}),
        ("GET", "/notifications/watching", {}),
        ("POST", f"/notifications/{n}/read", {}),
        ("POST", f"/notifications/{n}/open", {}),
        ("POST", "/notifications/read", {}),
        ("POST", "/notifications/defaults", {"threads": "y"}),
        ("POST", "/notifications/mail", {"replies": "weekly"}),
        (
            "POST",
            "/watch",
            {"target_type": "theme", "target_key": str(theme_id(w)), "level": "watching"},
        ),
    ]


def theme_id(w) -> int:
    return w["thread"].theme_id


@pytest.mark.parametrize("who", ["anonymous", "owner", "other member"])
def test_route_matrix(app, db_session, world, who):
    """Anonymous visitors go to the login page; a member reaches every route; nobody else opens
    or marks read somebody's notification (404, as if it did not exist)."""
    client = app.test_client()
    if who == "owner":
        login_as(client, world["reader"])
    elif who == "other member":
        login_as(client, make_user(db_session))
    for method, url, form in routes(world):
        response = client.get(url) if method == "GET" else client.post(url, data=form)
        if who == "anonymous":
            assert response.status_code == 302, (method, url)
            assert "/login" in response.headers["Location"]
        elif who == "other member" and url.startswith("/notifications/") and url[15:16].isdigit():
            assert response.status_code == 404, (method, url)
        else:
            assert response.status_code == (200 if method == "GET" else 303), (method, url)
    db_session.expire_all()
    assert (db_session.get(Notification, world["mine"].id).read_at is None) == (who != "owner")


@pytest.mark.parametrize(
    "url", ["/watch", "/notifications/read", "/notifications/defaults", "/notifications/mail"]
)
def test_posts_need_the_csrf_token(app_settings, db_session, world, url):
    application = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    client = application.test_client()
    login_as(client, world["reader"])
    assert client.post(url, data={"level": "watching"}, headers=EN).status_code == 400
    application.extensions["forum_engine"].dispose()


def test_header_badge_page_and_opening_marks_read(client, db_session, world):
    login_as(client, world["reader"])
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert 'id="notification-count">1<span class="visually-hidden"> unread notification<' in home
    page = client.get("/notifications", headers=EN).get_data(as_text=True)
    assert "Arne Author replied in “Gröna tak i Augustenborg”" in page and "is-unread" in page
    response = client.post(f"/notifications/{world['mine'].id}/open")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/posts/{world['reply'].id}")
    assert 'id="notification-count"' not in client.get("/", headers=EN).get_data(as_text=True)


def test_replies_are_grouped_and_marked_read_in_place(client, db_session, world):
    for n in range(2):
        make_reply(db_session, world["thread"], world["author"], f"Ett svar till {n}")
    login_as(client, world["reader"])
    page = client.get("/notifications", headers=EN).get_data(as_text=True)
    assert "3 new replies in “Gröna tak i Augustenborg”" in page
    newest = db_session.exec(
        select(Notification).where(Notification.user_id == world["reader"].id)
        .order_by(Notification.id.desc())
    ).first()  # fmt: skip
    fragment = client.post(f"/notifications/{newest.id}/read", headers={**EN, **HX})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and 'id="notification-list"' in html
    assert "3 replies in “Gröna tak i Augustenborg”" in html and "is-unread" not in html
    assert 'data-hx-swap-oob="true"' in html and 'id="notification-count"' not in html


def test_mark_all_read_without_javascript(client, db_session, world):
    login_as(client, world["reader"])
    response = client.post("/notifications/read", headers=EN)
    assert response.status_code == 303 and response.headers["Location"].endswith("/notifications")
    assert "All notifications are marked as read." in client.get(
        "/notifications", headers=EN
    ).get_data(as_text=True)


def test_what_is_hidden_is_not_listed_and_does_not_open(client, db_session, world):
    from forum.clock import utcnow

    world["reply"].hidden_at = utcnow()
    db_session.add(world["reply"])
    db_session.commit()
    login_as(client, world["reader"])
    page = client.get("/notifications", headers=EN).get_data(as_text=True)
    assert "Gröna tak" not in page.split('id="notification-list"')[1]
    response = client.post(f"/notifications/{world['mine'].id}/open", headers=EN)
    assert response.headers["Location"].endswith("/notifications")


def test_watch_a_theme_plainly_and_with_htmx(client, db_session, world):
    login_as(client, world["reader"])
    slug = theme(db_session).slug
    page = client.get(f"/t/{slug}", headers=EN).get_data(as_text=True)
    assert 'id="watch-form-theme"' in page and 'id="watch-status-theme"' in page
    form = {"target_type": "theme", "target_key": str(theme(db_session).id), "next": f"/t/{slug}"}
    plain = client.post("/watch", data={**form, "level": "watching"}, headers=EN)
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"/t/{slug}")
    swapped = client.post("/watch", data={**form, "level": "muted"}, headers={**EN, **HX})
    html = swapped.get_data(as_text=True)
    assert '<option selected value="muted">' in html
    assert 'data-hx-swap-oob="innerHTML">You muted this' in html
    assert client.post("/watch", data={**form, "level": "loud"}).status_code == 400
    unknown = {**form, "target_key": "999999", "level": "watching"}
    assert client.post("/watch", data=unknown).status_code == 404


def test_controls_on_every_watchable_page(app, client, db_session, world):
    from tests.factories import make_lesson, make_project

    with app.test_request_context():
        project = make_project(db_session, world["author"])
        lesson = make_lesson(db_session, project, world["author"])
    login_as(client, world["reader"])
    for url, target in [
        (f"/threads/{world['thread'].id}-{world['thread'].slug}", "thread"),
        (f"/lessons/{lesson.id}-{lesson.slug}", "lesson"),
        (f"/projects/{project.slug}", "project"),
        ("/lessons?sdg=7", "goal"),
        ("/projects?sdg=7", "goal"),
        ("/search?q=sedum", "search"),
    ]:
        html = client.get(url, headers=EN).get_data(as_text=True)
        assert f'id="watch-form-{target}"' in html, url
    results = client.get("/search?q=tak", headers={**EN, **HX, "HX-Target": "search-results"})
    assert 'name="target_key" type="hidden" value="q=tak"' in results.get_data(as_text=True)
    anonymous = app.test_client().get(f"/t/{theme(db_session).slug}").get_data(as_text=True)
    assert "watch-form" not in anonymous


def test_watching_list_and_defaults_on_the_settings_page(client, db_session, world):
    login_as(client, world["reader"])
    listing = client.get("/notifications/watching", headers=EN).get_data(as_text=True)
    assert "Gröna tak i Augustenborg" in listing and 'value="watching" selected' in listing
    settings = client.get("/settings", headers=EN).get_data(as_text=True)
    assert 'id="settings-notifications"' in settings and 'name="threads"' in settings
    response = client.post("/notifications/defaults", data={"lessons": "y"})
    assert response.headers["Location"].endswith("/settings#settings-notifications")
    settings = client.get("/settings", headers=EN).get_data(as_text=True)
    assert 'id="threads" name="threads" type="checkbox" value="y">' in settings


def _statements(app, client, path) -> list[str]:
    with recording(app.extensions["forum_engine"]) as statements:
        assert client.get(path).status_code == 200
    return list(statements)


def test_the_page_and_the_badge_cost_a_constant_number_of_statements(
    app, client, db_session, world
):
    login_as(client, world["reader"])
    few = _statements(app, client, "/notifications")
    for n in range(25):
        other, _ = make_thread(db_session, world["author"], title=f"En annan tråd {n}")
        db_session.add(
            Watch(user_id=world["reader"].id, target_type="thread", target_key=str(other.id),
                  level=WATCHING)
        )  # fmt: skip
        db_session.commit()
        make_reply(db_session, other, world["author"], "Svar")
    many = _statements(app, client, "/notifications")
    assert len(many) == len(few) <= 12, "\n".join(s[:100] for s in many)
    home = _statements(app, client, "/")
    badge = [s for s in home if "FROM notification" in s]
    assert len(badge) == 1 and "notification.read_at IS NULL" in badge[0]
