"""Replying below a lesson: without JavaScript back to the lesson page at the new post; with htmx
the post is appended in place; a discussion thread still returns to the thread page."""

from __future__ import annotations

from sqlmodel import select

from forum.discussions import service as discussions
from forum.discussions.models import Post, Thread
from tests.factories import login_as, make_project_with_lesson, make_reply, make_thread, make_user

HX = {"HX-Request": "true"}


def test_plain_reply_returns_to_the_lesson_page(app, client, db_session):
    with app.test_request_context():
        _project, lesson = make_project_with_lesson(db_session)
    login_as(client, make_user(db_session))
    response = client.post(
        f"/threads/{lesson.thread_id}/replies", data={"reply-body": "Hur stora var andelarna?"}
    )
    assert response.status_code == 303
    post = db_session.exec(
        select(Post).where(Post.thread_id == lesson.thread_id).order_by(Post.id.desc())
    ).first()
    assert response.headers["Location"].endswith(
        f"/lessons/{lesson.id}-{lesson.slug}#post-{post.id}"
    )
    page = client.get(f"/lessons/{lesson.id}-{lesson.slug}").get_data(as_text=True)
    assert f'id="post-{post.id}"' in page and "Hur stora var andelarna?" in page


def test_htmx_reply_below_a_lesson_is_appended_in_place(app, client, db_session):
    with app.test_request_context():
        _project, lesson = make_project_with_lesson(db_session)
    login_as(client, make_user(db_session))
    response = client.post(
        f"/threads/{lesson.thread_id}/replies", data={"reply-body": "Tack för tipset!"}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "Tack för tipset!" in html


def test_reply_on_a_later_page_of_a_lesson_thread_goes_to_the_thread_page(app, client, db_session):
    with app.test_request_context():
        _project, lesson = make_project_with_lesson(db_session)
        thread = db_session.get(Thread, lesson.thread_id)
        for n in range(discussions.POSTS_PER_PAGE):
            make_reply(db_session, thread, make_user(db_session), f"Svar {n} om solparken")
    login_as(client, make_user(db_session))
    response = client.post(
        f"/threads/{lesson.thread_id}/replies", data={"reply-body": "Sent svar om solparken"}
    )
    assert response.status_code == 303 and f"/threads/{thread.id}-" in response.headers["Location"]
    assert "page=2" in response.headers["Location"]


def test_discussion_thread_reply_still_returns_to_the_thread(client, db_session):
    thread, _posts = make_thread(db_session)
    login_as(client, make_user(db_session))
    response = client.post(
        f"/threads/{thread.id}/replies", data={"reply-body": "Vi fick bygglov på tre veckor."}
    )
    assert (
        response.status_code == 303
        and f"/threads/{thread.id}-{thread.slug}" in response.headers["Location"]
    )
