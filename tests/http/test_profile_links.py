"""Every author name leads to the profile: posts, thread lists (starter and last replier),
lessons, search results, project history, the moderation queue; a deleted author's does not."""

from __future__ import annotations

from forum.accounts.models import User
from forum.accounts.urls import user_slug
from tests.factories import (
    DEFAULT_PASSWORD,
    login_as,
    make_project_with_lesson,
    make_report,
    make_thread,
    make_user,
)


def _profile_link(user: User) -> str:
    return f'href="/u/{user.id}-{user_slug(user)}"'


def test_names_on_posts_and_thread_lists_link_to_profiles(client, db_session):
    author = make_user(db_session, display_name="Karin Nord")
    replier = make_user(db_session, display_name="Olle Syd")
    thread, _posts = make_thread(db_session, author, replies=[(replier, "Vi provade gröna tak.")])
    page = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert _profile_link(author) in page and _profile_link(replier) in page
    home = client.get("/").get_data(as_text=True)
    row = home[home.index(thread.title) :]
    row = row[: row.index("</li>")]
    assert _profile_link(author) in row and _profile_link(replier) in row
    profile = client.get(f"/u/{author.id}-{user_slug(author)}")
    assert profile.status_code == 200 and "Karin Nord" in profile.get_data(as_text=True)


def test_lesson_and_search_results_link_the_author(app, client, db_session):
    author = make_user(db_session, display_name="Lisa Lärdom", locale="en")
    with app.test_request_context("/"):
        _project, lesson = make_project_with_lesson(db_session, author)
    html = client.get(f"/lessons/{lesson.id}-{lesson.slug}").get_data(as_text=True)
    byline = html[html.index('class="lesson-byline') :]
    assert _profile_link(author) in byline[: byline.index("</p>")]
    thread, _posts = make_thread(db_session, author, "Solceller på skolor", "Paneler på taket.")
    results = client.get("/search", query_string={"q": "solceller"}).get_data(as_text=True)
    assert "Solceller på skolor" in results and _profile_link(author) in results


def test_a_deleted_author_has_no_link(client, db_session):
    author = make_user(db_session, display_name="Borta Bort")
    thread, _posts = make_thread(db_session, author)
    login_as(client, author)
    client.post("/settings/delete", data={"password": DEFAULT_PASSWORD, "understood": "y"})
    html = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert f'href="/u/{author.id}-' not in html and "author-deleted" in html


def test_the_queue_links_reporters_to_their_profiles(app, db_session):
    _thread, posts = make_thread(db_session)
    with app.test_request_context("/"):
        report = make_report(db_session, "post", posts[0].id)
        db_session.commit()
    reporter = db_session.get(User, report.reporter_id)
    mod = app.test_client()
    login_as(mod, make_user(db_session, role="moderator"))
    assert _profile_link(reporter) in mod.get("/mod/queue").get_data(as_text=True)
