"""Settings (profile, language, e-mail, password), profiles, data export and account deletion."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from forum.accounts.models import ActorType, User
from forum.discussions.models import Post
from tests.accounts_fixtures import field_error, link_path, login, text
from tests.factories import (
    DEFAULT_PASSWORD,
    login_as,
    make_lesson,
    make_project,
    make_thread,
    make_user,
)

NEW_PASSWORD = "skyfall över sofielund"


@pytest.fixture
def member(db_session):
    return make_user(
        db_session, email="anna@example.org", display_name="Anna Lindqvist", locale="en"
    )


# What the member wrote, as the assertions name it; written straight through the models, so a
# published lesson has no discussion thread of its own on the profile.
THREAD = {
    "title": "Gröna tak i Augustenborg",
    "body": "Det här lärde vi oss.",
    "slug": "grona-tak",
    "direct": True,
}
PROJECT = {"name": "Ekostaden Augustenborg", "slug": "augustenborg", "direct": True}
LESSON = {
    "direct": True,
    "title": "Öppna dagvattensystem",
    "language": "sv",
    "context": "Översvämningar.",
    "what_was_done": "Kanaler och dammar.",
    "advice": "Börja med de boende.",
}


def test_settings_page_shows_every_section(client, member):
    login_as(client, member)
    html = text(client.get("/settings"))
    for section in ("profile", "language", "email", "password", "privacy"):
        assert f'id="settings-{section}"' in html
    assert (
        'value="Anna Lindqvist"' in html
        and 'href="/settings/export"' in html
        and 'href="/settings/delete"' in html
    )
    fragment = client.get("/settings", headers={"HX-Request": "true"})
    assert fragment.status_code == 200  # the page (no section fragment for a plain GET)


def test_update_profile(client, member, db_session):
    login_as(client, member)
    response = client.post(
        "/settings/profile",
        data={
            "display_name": "Anna L.",
            "organisation": "VA SYD",
            "actor_type": "public",
            "bio": "Jobbar med **dagvatten**.<script>alert(1)</script>",
        },
    )
    assert (
        response.status_code == 303 and response.headers["Location"] == "/settings#settings-profile"
    )
    db_session.refresh(member)
    assert member.display_name == "Anna L." and member.organisation == "VA SYD"
    assert member.actor_type == ActorType.public
    assert "<strong>dagvatten</strong>" in member.bio_html and "<script" not in member.bio_html
    assert "Your profile is saved." in text(client.get("/settings"))


def test_update_profile_htmx_returns_the_section(client, member):
    login_as(client, member)
    response = client.post(
        "/settings/profile",
        data={"display_name": "Anna L.", "actor_type": "academia", "bio": ""},
        headers={"HX-Request": "true"},
    )
    html = text(response)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section class="card settings-section" id="settings-profile"')
    assert "Your profile is saved." in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"display_name": "A" * 81}, "display_name", "between 2 and 80"),
        ({"bio": "x" * 2001}, "bio", "At most 2000"),
        ({"actor_type": "dragon"}, "actor_type", "Not a valid choice"),
    ],
)
def test_invalid_profile_is_422_and_refilled(client, member, db_session, data, field, message):
    login_as(client, member)
    form = {
        "display_name": "Anna Lindqvist",
        "organisation": "Typed organisation",
        "actor_type": "public",
        "bio": "",
        **data,
    }
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post("/settings/profile", data=form, headers=headers)
        assert response.status_code == 422 and message in (field_error(response, field) or "")
        assert 'value="Typed organisation"' in text(response)
        assert ("<html" in text(response)) is (not headers)
    db_session.refresh(member)
    assert member.organisation == "Malmö stad"


def test_language_setting_changes_the_interface(client, member, db_session):
    login_as(client, member)
    assert '<html lang="en">' in text(client.get("/settings"))
    response = client.post("/settings/language", data={"locale": "sv"})
    assert response.status_code == 303
    db_session.refresh(member)
    assert member.locale == "sv"
    html = text(client.get("/settings?lang=en"))  # the account's setting wins
    assert '<html lang="sv">' in html and "Ditt språk är sparat." in html
    bad = client.post("/settings/language", data={"locale": "de"})
    assert bad.status_code == 422


def test_the_header_language_switch_changes_a_members_setting(client, member, db_session):
    thread, _opening = make_thread(db_session, author=member, **THREAD)
    login_as(client, member)
    path = f"/threads/{thread.id}-{thread.slug}"
    page = text(client.get(path))
    # the switch is a form for a member (their setting wins over ?lang=), not a ?lang= link
    assert "?lang=sv" not in page
    assert f'name="next" value="{path}"' in page
    response = client.post("/settings/language", data={"locale": "sv", "next": path})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(path)
    db_session.refresh(member)
    assert member.locale == "sv"
    assert '<html lang="sv">' in text(client.get(path))
    # a foreign target is never followed: back to the settings instead
    away = client.post("/settings/language", data={"locale": "en", "next": "//evil.example/"})
    assert "evil" not in away.headers["Location"]
    assert "/settings" in away.headers["Location"]


def test_the_header_language_switch_is_a_link_for_readers_not_logged_in(client):
    page = text(client.get("/"))
    assert 'hreflang="en"' in page and "?lang=en" in page


def test_change_email_needs_confirmation_from_the_new_address(
    mail_client, smtp_server, member, db_session
):
    login_as(mail_client, member)
    response = mail_client.post(
        "/settings/email", data={"email": "Anna.New@Example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 303
    db_session.refresh(member)
    assert member.email == "anna@example.org"  # unchanged until confirmed
    [notice] = smtp_server.to("anna@example.org")
    assert "anna.new@example.org" in notice.get_body(("plain",)).get_content()
    [confirmation] = smtp_server.to("anna.new@example.org")
    path = link_path(confirmation, "/confirm/")
    assert "anna.new@example.org" in text(mail_client.get(path))
    assert mail_client.post(path).status_code == 303
    db_session.refresh(member)
    assert member.email == "anna.new@example.org" and member.confirmed_at is not None
    assert mail_client.post(path).status_code == 400  # used: the account's address changed
    assert (
        login(mail_client, email="anna.new@example.org", password=DEFAULT_PASSWORD).status_code
        == 303
    )


def test_change_email_htmx_fragment(mail_client, smtp_server, member):
    login_as(mail_client, member)
    response = mail_client.post(
        "/settings/email",
        data={"email": "new@example.org", "password": DEFAULT_PASSWORD},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "<html" not in text(response)
    assert "new@example.org" in text(response)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"email": "new@example.org", "password": "wrong password!"},
            "password",
            "The password is wrong.",
        ),
        (
            {"email": "ANNA@example.org", "password": DEFAULT_PASSWORD},
            "email",
            "already your e-mail",
        ),
        ({"email": "nope", "password": DEFAULT_PASSWORD}, "email", "valid e-mail address"),
    ],
)
def test_change_email_errors(mail_client, smtp_server, member, db_session, data, field, message):
    make_user(db_session, email="taken@example.org")
    login_as(mail_client, member)
    response = mail_client.post("/settings/email", data=data)
    assert response.status_code == 422 and message in (field_error(response, field) or "")
    assert smtp_server.messages == []


CSRF_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}")


def test_change_to_an_address_with_an_account_is_answered_alike(
    mail_client, smtp_server, member, db_session
):
    make_user(db_session, email="taken@example.org", locale="en")
    login_as(mail_client, member)
    answers = {}
    for address in ("taken@example.org", "free@example.org"):
        response = mail_client.post(
            "/settings/email",
            data={"email": address, "password": DEFAULT_PASSWORD},
            follow_redirects=True,
        )
        page = CSRF_TOKEN.sub("TOKEN", text(response))  # signed with the second it was made
        answers[address] = (response.status_code, page.replace(address, "ADDRESS"))
    assert answers["taken@example.org"] == answers["free@example.org"]
    assert len(smtp_server.to("anna@example.org")) == 2  # a notice each time
    [to_owner] = smtp_server.to("taken@example.org")
    assert to_owner["Subject"] == "Someone tried to use your e-mail address"
    assert "/confirm/" not in to_owner.get_body(("plain",)).get_content()
    assert "/reset" in to_owner.get_body(("plain",)).get_content()
    db_session.refresh(member)
    assert member.email == "anna@example.org"


def test_email_taken_between_request_and_confirmation(mail_client, smtp_server, member, db_session):
    login_as(mail_client, member)
    mail_client.post(
        "/settings/email", data={"email": "new@example.org", "password": DEFAULT_PASSWORD}
    )
    path = link_path(smtp_server.to("new@example.org")[0], "/confirm/")
    make_user(db_session, email="new@example.org")
    response = mail_client.post(path)
    assert response.status_code == 409 and "already exists" in text(response)


def test_change_password_keeps_this_session_and_ends_others(app, client, member):
    other = app.test_client()
    login_as(other, member)
    login_as(client, member)
    response = client.post(
        "/settings/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 303
    assert client.get("/settings").status_code == 200
    assert other.get("/settings").status_code == 302
    client.post("/logout")
    assert login(client, email="anna@example.org", password=NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "current_password": "not my password",
                "new_password": NEW_PASSWORD,
                "new_password_confirm": NEW_PASSWORD,
            },
            "current_password",
            "The password is wrong.",
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "new_password": "password1234",
                "new_password_confirm": "password1234",
            },
            "new_password",
            "too common",
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "new_password": "anna@example.org",
                "new_password_confirm": "anna@example.org",
            },
            "new_password",
            "e-mail address",
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "new_password": NEW_PASSWORD,
                "new_password_confirm": "different one!",
            },
            "new_password_confirm",
            "do not match",
        ),
    ],
)
def test_change_password_errors(client, member, data, field, message):
    login_as(client, member)
    response = client.post("/settings/password", data=data)
    assert response.status_code == 422 and message in (field_error(response, field) or "")
    assert NEW_PASSWORD not in text(response) and DEFAULT_PASSWORD not in text(response)
    htmx = client.post("/settings/password", data=data, headers={"HX-Request": "true"})
    assert (
        htmx.status_code == 422
        and 'id="settings-password"' in text(htmx)
        and "<html" not in text(htmx)
    )


@pytest.mark.parametrize("path", ["/settings", "/settings/export", "/settings/delete"])
def test_settings_need_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "path", ["/settings/profile", "/settings/language", "/settings/email", "/settings/password"]
)
def test_settings_posts_need_login(client, path):
    assert client.post(path, data={}).status_code == 302


def test_export_contains_the_profile_and_everything_written(client, member, db_session):
    thread, (post,) = make_thread(db_session, member, **THREAD)
    login_as(client, member)
    response = client.get("/settings/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert (
        data["profile"]["email"] == "anna@example.org"
        and data["profile"]["display_name"] == "Anna Lindqvist"
    )
    assert "password_hash" not in json.dumps(data) and "session_token" not in json.dumps(data)
    assert [t["title"] for t in data["threads"]] == ["Gröna tak i Augustenborg"]
    assert [p["body"] for p in data["posts"]] == ["Det här lärde vi oss."]
    assert list(data) == [
        "format",
        "exported_at",
        "profile",
        "threads",
        "posts",
        "reactions",
        "lessons",
        "projects_created",
        "watch_defaults",
        "watches",
        "notifications",
        "mail_preferences",
        "digests_sent",
        "invitation_list",
        "event_registrations",
        "event_calendar_address",
    ]
    assert data["threads"][0]["url"] == f"/threads/{thread.id}-{thread.slug}"


def test_delete_account_page_plain_and_fragment(client, member):
    login_as(client, member)
    assert 'name="understood"' in text(client.get("/settings/delete"))
    fragment = client.get("/settings/delete", headers={"HX-Request": "true"})
    assert "<html" not in text(fragment) and 'id="delete-form"' in text(fragment)


def test_delete_account_needs_the_password(client, member, db_session):
    login_as(client, member)
    response = client.post(
        "/settings/delete", data={"password": "not my password", "understood": "y"}
    )
    assert response.status_code == 422 and "The password is wrong." in text(response)
    unticked = client.post("/settings/delete", data={"password": DEFAULT_PASSWORD})
    assert unticked.status_code == 422 and "Tick the box" in text(unticked)
    db_session.refresh(member)
    assert member.deleted_at is None


def test_delete_account_erases_personal_data_and_keeps_posts(client, member, db_session):
    thread, (post,) = make_thread(db_session, member, **THREAD)
    login_as(client, member)
    response = client.post(
        "/settings/delete", data={"password": DEFAULT_PASSWORD, "understood": "y"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"
    db_session.expire_all()
    gone = db_session.get(User, member.id)
    assert (
        gone.email is None
        and gone.password_hash is None
        and gone.organisation is None
        and gone.bio == ""
    )
    assert gone.deleted_at is not None and gone.display_name != "Anna Lindqvist"
    assert db_session.exec(select(User).where(User.email == "anna@example.org")).first() is None
    assert db_session.get(Post, post.id).author_id == member.id  # the post stays
    assert client.get("/settings").status_code == 302  # logged out
    assert login(client, email="anna@example.org", password=DEFAULT_PASSWORD).status_code == 422
    assert client.get(f"/u/{member.id}").status_code == 404
    # the address can be used for a new account
    assert (
        client.post(
            "/register",
            data={
                "display_name": "Anna igen",
                "email": "anna@example.org",
                "password": NEW_PASSWORD,
                "password_confirm": NEW_PASSWORD,
                "actor_type": "public",
                "locale": "sv",
                "accept_terms": "y",
            },
        ).status_code
        == 303
    )


def test_public_name_of_a_deleted_user_is_translated(app, db_session, member):
    from flask_babel import force_locale

    from forum.accounts.urls import profile_path, public_name
    from forum.clock import utcnow

    with app.test_request_context("/"):
        assert public_name(member) == "Anna Lindqvist"
        member.deleted_at = utcnow()
        with force_locale("sv"):
            assert public_name(member) == "raderad användare"
        with force_locale("en"):
            assert public_name(member) == "deleted user"
        assert profile_path(member) is None and public_name(None) == "raderad användare"


# --- profiles -------------------------------------------------------------------------------------


def test_profile_page_shows_the_person_and_their_writing(client, member, db_session):
    thread, (post,) = make_thread(db_session, member, **THREAD)
    response = client.get(f"/u/{member.id}-anna-lindqvist?lang=en")
    html = text(response)
    assert response.status_code == 200 and "Anna Lindqvist" in html and "Malmö stad" in html
    assert (
        "Member since" in html and f'href="/threads/{thread.id}-grona-tak#post-{post.id}"' in html
    )
    assert "anna@example.org" not in html  # the address is never public
    fragment = client.get(f"/u/{member.id}-anna-lindqvist", headers={"HX-Request": "true"})
    assert "<html" not in text(fragment) and "Anna Lindqvist" in text(fragment)


def test_profile_hides_hidden_and_deleted_posts(client, member, db_session):
    from forum.clock import utcnow

    thread, (post,) = make_thread(db_session, member, **THREAD)
    post.deleted_at = utcnow()
    db_session.commit()
    assert f"#post-{post.id}" not in text(client.get(f"/u/{member.id}-anna-lindqvist"))


def test_profile_slug_is_canonical(client, member):
    for path in (f"/u/{member.id}", f"/u/{member.id}-wrong-name"):
        response = client.get(path)
        assert response.status_code == 301 and response.headers["Location"].endswith(
            f"/u/{member.id}-anna-lindqvist"
        )


def test_unknown_profile_is_404(client):
    assert client.get("/u/9999-nobody").status_code == 404
    assert client.get("/u/abc").status_code == 404


def test_profile_lists_published_lessons_only(client, member, db_session):
    project = make_project(db_session, member, **PROJECT)
    lesson = make_lesson(db_session, project, member, **LESSON)
    html = text(client.get(f"/u/{member.id}-anna-lindqvist"))
    assert f'href="/lessons/{lesson.id}-oppna-dagvattensystem"' in html
    lesson.status = "draft"
    db_session.commit()
    assert "oppna-dagvattensystem" not in text(client.get(f"/u/{member.id}-anna-lindqvist"))


def test_export_includes_lessons_and_projects(client, member, db_session):
    project = make_project(db_session, member, **PROJECT)
    make_lesson(db_session, project, member, publish=False, **LESSON)
    login_as(client, member)
    data = client.get("/settings/export").get_json()
    assert [lesson["title"] for lesson in data["lessons"]] == ["Öppna dagvattensystem"]
    assert (
        data["lessons"][0]["advice"] == "Börja med de boende."
        and data["lessons"][0]["status"] == "draft"
    )
    assert [p["name"] for p in data["projects_created"]] == ["Ekostaden Augustenborg"]
