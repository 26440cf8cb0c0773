"""Handles over HTTP: changed once in the settings, shown on the profile, ``/u/@handle``, the
member search behind the suggestions, mentions in posts and the project contact by handle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from forum import create_app
from forum.accounts.models import User
from forum.clock import utcnow
from forum.discussions.models import Post
from forum.projects.models import Project
from tests.factories import (
    DEFAULT_PASSWORD,
    login_as,
    make_project,
    make_thread,
    make_user,
    project_form,
)

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true", **EN}


@pytest.fixture
def anna(db_session):
    return make_user(
        db_session, display_name="Anna Andersson", email="anna@example.org", locale="en"
    )


# --- route × role matrix ----------------------------------------------------------------------
ROLES = [None, "member", "moderator", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(client, db_session, anna, role):
    if role:
        login_as(client, make_user(db_session, role=role, locale="en"))
    signed_in = role is not None
    search = client.get("/members?q=ann", headers=EN)
    assert search.status_code == (200 if signed_in else 302)
    if not signed_in:
        assert search.headers["Location"].startswith("/login?next=")
    by_handle = client.get("/u/@anna_andersson", headers=EN)
    assert by_handle.status_code == 302
    assert by_handle.headers["Location"] == f"/u/{anna.id}-anna-andersson"
    change = client.post("/settings/handle", data={"handle": f"{role or 'x'}_ny"}, headers=EN)
    assert change.status_code == (303 if signed_in else 302)


# --- the member's handle -------------------------------------------------------------------------
def test_handle_is_changed_once(client, db_session, anna):
    login_as(client, anna)
    page = client.get("/settings", headers=EN).text
    assert "Your handle is @anna_andersson." in page and 'name="handle"' in page
    first = client.post("/settings/handle", data={"handle": "@Anna"}, headers=HX)
    assert first.status_code == 200
    assert "Your handle is now @anna." in first.text and "<html" not in first.text
    db_session.refresh(anna)
    assert anna.handle == "anna" and anna.handle_changed_at is not None
    assert 'name="handle"' not in client.get("/settings", headers=EN).text
    second = client.post("/settings/handle", data={"handle": "anna_a"}, headers=EN)
    assert second.status_code == 422
    assert "You have already changed your handle once; it cannot be changed again." in second.text
    anna.locale = "sv"
    db_session.commit()
    swedish = client.post("/settings/handle", data={"handle": "anna_a"}, headers=HX)
    assert "Du har redan bytt användarnamn en gång" in swedish.text
    db_session.refresh(anna)
    assert anna.handle == "anna"


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("admin", "This word is reserved; choose another handle."),
        ("ab", "A handle has between 3 and 30 characters."),
        ("anna andersson", "Use lower-case letters a-z, digits, _ and -"),
        ("TAGEN", "Another member already has this handle."),
        ("", "Enter a handle."),
    ],
)
def test_a_refused_handle_is_shown_next_to_the_field(client, db_session, anna, wanted, message):
    make_user(db_session, handle="tagen")
    login_as(client, anna)
    response = client.post("/settings/handle", data={"handle": wanted}, headers=HX)
    assert response.status_code == 422
    assert message in response.text and 'id="handle-error"' in response.text
    db_session.refresh(anna)
    assert anna.handle == "anna_andersson" and anna.handle_changed_at is None


def test_profile_shows_the_handle_and_handle_urls_lead_to_it(client, db_session, anna):
    profile = client.get(f"/u/{anna.id}-anna-andersson", headers=EN)
    assert "@anna_andersson" in profile.text
    assert client.get("/u/@Anna_Andersson").headers["Location"] == f"/u/{anna.id}-anna-andersson"
    assert client.get("/u/@nobody_here", headers=EN).status_code == 404
    gone = make_user(db_session, display_name="Gone", handle=None, deleted_at=utcnow())
    assert client.get(f"/u/@{gone.handle}", headers=EN).status_code == 404


def test_registration_gives_a_handle(client, db_session):
    from tests.accounts_fixtures import register

    make_user(db_session, display_name="Anna Lindqvist")
    register(client)
    user = db_session.exec(select(User).where(User.email == "anna@example.org")).one()
    assert user.handle == "anna_lindqvist2"


# --- the member search ------------------------------------------------------------------------
def test_member_search_offers_handles_and_names_never_addresses(client, db_session, anna):
    make_user(db_session, display_name="Annika Berg", email="annika@example.org")
    make_user(db_session, display_name="Bo Annander", email="bo@example.org")
    make_user(db_session, display_name="Erik Ek", email="anna.erik@example.org")
    login_as(client, make_user(db_session, locale="en"))
    response = client.get("/members?q=ann&for=post-body", headers=HX)
    assert response.status_code == 200
    html = response.text
    assert '<ul role="listbox" id="post-body-members"' in html
    assert html.count('role="option"') == 3  # handle prefix, name prefix, a later word
    assert max(html.index("@anna_andersson"), html.index("@annika_berg")) < html.index(
        "@bo_annander"
    )  # handles that match come before names that match
    assert 'id="post-body-member-1"' in html and "Anna Andersson" in html
    assert "3 members found" in html
    assert "@" not in html.replace("@anna_andersson", "").replace("@annika_berg", "").replace(
        "@bo_annander", ""
    )
    assert "example.org" not in client.get("/members?q=anna.erik", headers=HX).text
    page = client.get("/members?q=%40ann", headers=EN)
    assert "<html" in page.text and f'href="/u/{anna.id}-anna-andersson"' in page.text


def test_member_search_folds_and_bad_field_ids_are_replaced(client, db_session):
    make_user(db_session, display_name="Åsa Öberg")
    login_as(client, make_user(db_session, locale="en"))
    html = client.get("/members?q=Ås&for=<x>", headers=HX).text
    assert "@asa_oberg" in html and 'id="member-members"' in html and "<x>" not in html
    assert "No member found." in client.get("/members?q=zzz", headers=HX).text
    assert "listbox" not in client.get("/members?q=", headers=HX).text


def test_member_search_leaves_out_who_cannot_be_mentioned(client, db_session):
    make_user(db_session, display_name="Karin Aktiv")
    make_user(db_session, display_name="Karin Borta", handle=None, deleted_at=utcnow())
    make_user(
        db_session, display_name="Karin Avstängd", suspended_until=utcnow() + timedelta(days=1)
    )
    make_user(db_session, display_name="Karin Importerad", is_placeholder=True, email=None)
    make_user(db_session, display_name="Karin Förr", suspended_until=utcnow() - timedelta(days=1))
    login_as(client, make_user(db_session, locale="en"))
    html = client.get("/members?q=karin", headers=HX).text
    assert "@karin_aktiv" in html and "@karin_forr" in html
    for absent in ("Borta", "Avstängd", "Importerad"):
        assert absent not in html


def test_member_search_answers_at_most_eight(client, db_session):
    for n in range(10):
        make_user(db_session, display_name=f"Sara {n}")
    login_as(client, make_user(db_session, locale="en"))
    assert client.get("/members?q=sara", headers=HX).text.count('role="option"') == 8


def test_member_search_is_rate_limited_per_user(app_settings, db_session):
    limited = create_app(
        {**app_settings, "RATELIMIT_ENABLED": True, "RATELIMIT_MEMBER_SEARCH": "3 per minute"}
    )
    try:
        first, second = limited.test_client(), limited.test_client()
        login_as(first, make_user(db_session, locale="en"))
        login_as(second, make_user(db_session, locale="en"))
        codes = [first.get("/members?q=a", headers=HX).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert second.get("/members?q=a", headers=HX).status_code == 200
    finally:
        limited.extensions["forum_engine"].dispose()


# --- mentions ---------------------------------------------------------------------------------
def test_a_reply_links_mentions_of_members_who_can_be_mentioned(client, db_session, anna):
    make_user(db_session, display_name="Gone", handle=None, deleted_at=utcnow())
    make_user(db_session, display_name="Imported", handle="imported_one", is_placeholder=True)
    thread, _ = make_thread(db_session)
    login_as(client, make_user(db_session))
    body = (
        "Fråga @Anna_Andersson, @imported_one eller @gone; "
        "inte `@anna_andersson` eller anna@example.org."
    )
    response = client.post(f"/threads/{thread.id}/replies", data={"reply-body": body})
    assert response.status_code == 303
    post = db_session.exec(select(Post).order_by(Post.id.desc())).first()
    assert post.body_html.count('class="mention"') == 1
    assert f'<a href="/u/{anna.id}-anna-andersson" class="mention"' in post.body_html
    assert "@imported_one" in post.body_html and "@gone" in post.body_html
    page = client.get(f"/threads/{thread.id}-{thread.slug}").text
    assert f'href="/u/{anna.id}-anna-andersson" class="mention"' in page


def test_preview_links_mentions(client, db_session, anna):
    login_as(client, make_user(db_session))
    response = client.post(
        "/threads/preview", data={"body": "Hej @anna_andersson", "title": "x"}, headers=HX
    )
    assert 'class="mention"' in response.text


def test_mentions_do_not_count_as_links_for_approval(app, client, db_session, anna):
    from forum.moderation.approval import approval_reasons

    others = [make_user(db_session, display_name=f"Nämnd {n}") for n in range(3)]
    thread, _ = make_thread(db_session)
    author = make_user(db_session, created_at=utcnow() - timedelta(days=30))
    login_as(client, author)
    body = " ".join(f"@{user.handle}" for user in [anna, *others])
    client.post(f"/threads/{thread.id}/replies", data={"reply-body": body})
    post = db_session.exec(select(Post).order_by(Post.id.desc())).first()
    assert post.body_html.count('class="mention"') == 4
    config = {"MODERATION_APPROVAL_ENABLED": True, "MODERATION_APPROVAL_MAX_LINKS": 2}
    assert approval_reasons(author=author, post=post, config=config) == []
    post.body_html += '<a href="https://a.se">a</a>' * 3
    assert approval_reasons(author=author, post=post, config=config) == ["links"]


# --- the project contact ----------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["@anna_andersson", "Anna_Andersson", "anna andersson"])
def test_project_contact_by_handle_or_unique_name(client, db_session, anna, typed):
    member = make_user(db_session, locale="en")
    login_as(client, member)
    form = project_form(db_session, contact_name=typed)
    assert client.post("/projects/new", data=form).status_code == 303
    project = db_session.exec(select(Project).order_by(Project.id.desc())).first()
    assert project.contact_user_id == anna.id
    edit = client.get(f"/projects/{project.slug}/edit", headers=EN).text
    assert 'value="@anna_andersson"' in edit and 'data-mentions="member"' in edit


def test_project_contact_by_name_must_be_unique(app, client, db_session, anna):
    make_user(db_session, display_name="Anna Andersson")
    login_as(client, make_user(db_session, locale="en"))
    response = client.post(
        "/projects/new", data=project_form(db_session, contact_name="Anna Andersson"), headers=EN
    )
    assert response.status_code == 422
    assert "give the person&#39;s handle, like @anna_andersson" in response.text
    with app.test_request_context():
        project = make_project(db_session, anna, contact_name="@anna_andersson2")
    assert project.contact_user_id != anna.id


def test_markdown_fields_are_marked_for_suggestions(client, db_session, anna):
    assert "data-member-search" not in client.get("/", headers=EN).text
    login_as(client, anna)
    page = client.get("/settings", headers=EN).text
    assert 'data-mentions="markdown"' in page and 'data-member-search="/members"' in page
    assert "/static/js/mentions.js" in page


def test_deleting_an_account_turns_its_stored_mentions_into_text(app, client, db_session, anna):
    from forum.accounts.settings import update_profile
    from forum.lessons.models import Lesson
    from tests.factories import make_lesson

    other = make_user(db_session, display_name="Bo Kvar")
    with app.test_request_context():
        _, [post] = make_thread(db_session, other, body="Fråga @ANNA_andersson och @bo_kvar.")
        project = make_project(db_session, other, summary="Kontakt: @anna_andersson")
        lesson = make_lesson(db_session, project, other, advice="Ring @anna_andersson.")
        update_profile(
            session=db_session,
            actor=other,
            display_name=other.display_name,
            organisation=None,
            actor_type="individual",
            bio="Jobbar med @anna_andersson.",
        )
    db_session.commit()
    rows = [(post, "body_html"), (project, "summary_html"), (lesson, "advice_html")]
    rows.append((other, "bio_html"))
    for row, column in rows:
        assert f'<a href="/u/{anna.id}-anna-andersson" class="mention"' in getattr(row, column)

    login_as(client, anna)
    response = client.post(
        "/settings/delete", data={"password": DEFAULT_PASSWORD, "understood": "y"}
    )
    assert response.status_code == 303
    for row, column in rows:
        db_session.refresh(row)
        assert f"/u/{anna.id}-" not in getattr(row, column), column
        assert "@anna_andersson" in getattr(row, column).lower()
    db_session.refresh(post)
    assert f'href="/u/{other.id}-bo-kvar" class="mention"' in post.body_html  # others stay
    assert db_session.get(Lesson, lesson.id).advice == "Ring @anna_andersson."
