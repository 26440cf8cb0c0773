"""The moderation queue and the report form mark quoted content written in another
language."""

from __future__ import annotations

from tests.factories import login_as, make_report, make_thread, make_user


def test_queue_and_report_form_mark_swedish_content_for_an_english_moderator(
    app, client, db_session
):
    thread, posts = make_thread(db_session, replies=1)
    with app.test_request_context():
        make_report(db_session, "post", posts[1].id)
    db_session.commit()
    login_as(client, make_user(db_session, role="moderator", locale="en"))
    for path in ("/mod/queue", f"/report?type=post&id={posts[1].id}"):
        html = client.get(path).get_data(as_text=True)
        assert f'lang="sv">{thread.title}</a>' in html, path
        assert 'lang="sv">Svar nummer 1 om solceller' in html, path


def test_queue_adds_no_lang_when_the_content_is_in_the_page_language(app, client, db_session):
    thread, posts = make_thread(db_session, replies=1)
    with app.test_request_context():
        make_report(db_session, "post", posts[1].id)
    db_session.commit()
    login_as(client, make_user(db_session, role="moderator", locale="sv"))
    html = client.get("/mod/queue").get_data(as_text=True)
    assert f'">{thread.title}</a>' in html and f'lang="sv">{thread.title}' not in html
