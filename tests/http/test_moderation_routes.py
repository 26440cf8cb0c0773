"""Moderation routes over HTTP: the role matrix, plain and htmx answers, what members see."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from forum.discussions.models import Post, Thread
from forum.moderation import users
from forum.moderation.models import Report, ReportStatus
from tests.factories import (
    client_as,
    login_as,
    make_project_with_lesson,
    make_report,
    make_thread,
    make_user,
    themes,
)
from tests.moderation_helpers import audit_count

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app, db_session):
    """A thread with two replies, one of them reported; users of every role."""
    people = {
        "member": make_user(db_session),
        "moderator": make_user(db_session, role="moderator"),
        "admin": make_user(db_session, role="admin"),
    }
    thread, posts = make_thread(db_session, replies=2)
    other, _ = make_thread(db_session, title="Cykelbanor i Malmö")
    with app.test_request_context():
        make_report(db_session, "post", posts[2].id, comment="Reklam för solpaneler")
        project, lesson = make_project_with_lesson(db_session)
    db_session.commit()
    return {
        "thread": thread,
        "posts": posts,
        "other": other,
        "target_user": make_user(db_session),
        "project": project,
        "lesson": lesson,
        **people,
    }


def routes(w) -> list[tuple[str, str, dict, bool]]:
    """(method, url, form, admin only) of every moderation route, with data a moderator may send."""
    t, p, u = w["thread"], w["posts"], w["target_user"]
    other_theme = themes_ids(w)[1]
    return [
        ("GET", "/mod/queue", {}, False),
        ("GET", "/mod/log", {}, False),
        ("GET", f"/mod/users/{u.id}", {}, False),
        ("POST", f"/mod/users/{u.id}/warn", {"message": "Håll god ton"}, False),
        ("POST", f"/mod/users/{u.id}/suspend", {"duration": "indefinite", "reason": "Spam"}, False),
        ("POST", f"/mod/users/{u.id}/notes", {"body": "Anteckning"}, False),
        ("POST", f"/mod/queue/post/{p[2].id}/dismiss", {"reason": "Inget fel"}, False),
        ("POST", f"/mod/threads/{t.id}/pin", {}, False),
        ("POST", f"/mod/threads/{t.id}/feature", {}, False),
        ("POST", f"/mod/threads/{t.id}/lock", {}, False),
        ("GET", f"/mod/threads/{t.id}/move", {}, False),
        ("POST", f"/mod/threads/{t.id}/move", {"theme": str(other_theme)}, False),
        ("GET", f"/mod/threads/{t.id}/rename", {}, False),
        ("POST", f"/mod/threads/{t.id}/rename", {"title": "Ett nytt namn på tråden"}, False),
        ("GET", f"/mod/threads/{t.id}/split", {}, False),
        ("GET", f"/mod/threads/{t.id}/merge", {}, False),
        ("GET", f"/mod/posts/{p[1].id}/hide", {}, False),
        ("POST", f"/mod/posts/{p[1].id}/hide", {"reason": "Olämpligt"}, False),
        ("GET", f"/mod/posts/{p[1].id}/edit", {}, False),
        (
            "POST",
            f"/mod/posts/{p[2].id}/edit",
            {"body": "Redigerad", "reason": "Reklam borttagen"},
            False,
        ),
        ("GET", f"/mod/posts/{p[2].id}/delete", {}, True),
        (
            "POST",
            f"/mod/posts/{p[2].id}/delete",
            {"reason": "Personuppgifter", "confirm": "y"},
            True,
        ),
        (
            "POST",
            f"/mod/threads/{w['other'].id}/merge",
            {"target": str(t.id), "reason": "Samma fråga"},
            False,
        ),
        ("GET", f"/mod/lessons/{w['lesson'].id}/hide", {}, False),
        ("POST", f"/mod/lessons/{w['lesson'].id}/hide", {"reason": "Reklam"}, False),
        ("POST", f"/mod/lessons/{w['lesson'].id}/restore", {}, False),
        ("GET", f"/mod/projects/{w['project'].id}/hide", {}, False),
        ("POST", f"/mod/projects/{w['project'].id}/hide", {"reason": "Påhittat projekt"}, False),
        ("POST", f"/mod/projects/{w['project'].id}/restore", {"reason": "Det fanns"}, False),
    ]


def themes_ids(w):
    return [theme_id for theme_id in w["theme_ids"]]


@pytest.fixture
def matrix_world(world, db_session):
    world["theme_ids"] = [t.id for t in themes(db_session)]
    return world


def _as(client, who, w):
    if who != "anonymous":
        login_as(client, w[who])


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator", "admin"])
def test_role_matrix(app, matrix_world, db_session, who):
    """Every route x role: anonymous to login, members 403 (also replaying the form), moderators and
    admins through (except admin-only permanent deletion)."""
    w = matrix_world
    client = app.test_client()
    _as(client, who, w)
    for method, url, form, admin_only in routes(w):
        before = audit_count(db_session)
        response = client.get(url) if method == "GET" else client.post(url, data=form)
        if who == "anonymous":
            assert response.status_code in (302, 401), (method, url, response.status_code)
        elif who == "member" or (admin_only and who == "moderator"):
            assert response.status_code == 403, (method, url, response.status_code)
        else:
            expected = 200 if method == "GET" else 303
            assert response.status_code == expected, (
                method,
                url,
                response.status_code,
                response.get_data(as_text=True)[:400],
            )
        db_session.expire_all()
        writes = (
            1
            if (
                method == "POST"
                and who in ("moderator", "admin")
                and not (admin_only and who == "moderator")
            )
            else 0
        )
        assert audit_count(db_session) == before + writes, (method, url)


def test_member_replaying_a_form_with_csrf_on_gets_403(app_settings, db_session, world):
    from forum import create_app

    app = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    login_as(client, world["member"])
    home = client.get("/").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', home).group(
        1
    )  # a valid token of the member's session
    for url, data in [
        (f"/mod/posts/{world['posts'][1].id}/hide", {"reason": "x"}),
        (f"/mod/threads/{world['thread'].id}/lock", {}),
        (
            f"/mod/users/{world['target_user'].id}/suspend",
            {"duration": "indefinite", "reason": "x"},
        ),
    ]:
        response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == 403, url
    assert (
        client.post(
            f"/mod/threads/{world['thread'].id}/lock", data={"csrf_token": "forged"}
        ).status_code
        == 400
    )
    assert db_session.get(Post, world["posts"][1].id).hidden_at is None


def test_queue_lists_reports_grouped_with_priority(client, world, db_session, app):
    with app.test_request_context():
        make_report(db_session, "post", world["posts"][2].id, reason="off_topic")
        make_report(db_session, "post", world["posts"][1].id, reason="harassment")
    db_session.commit()
    login_as(client, world["moderator"])
    html = client.get("/mod/queue").get_data(as_text=True)
    first, second = (
        html.index(f'id="queue-post-{world["posts"][2].id}"'),
        html.index(f'id="queue-post-{world["posts"][1].id}"'),
    )
    assert first < second  # two reports before one
    assert "Reklam för solpaneler" in html and "Spam eller reklam" in html
    assert 'class="badge" id="mod-queue-count">2' in html  # header badge: two reported items


def test_queue_dismiss_plain_and_htmx(client, world, db_session):
    login_as(client, world["moderator"])
    post_id = world["posts"][2].id
    response = client.post(f"/mod/queue/post/{post_id}/dismiss", data={"reason": ""}, headers=HX)
    assert response.status_code == 422
    response = client.post(
        f"/mod/queue/post/{post_id}/dismiss", data={"reason": "Ok", "context": "queue"}, headers=HX
    )
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert db_session.exec(select(Report)).one().status == ReportStatus.dismissed
    assert "Inga öppna anmälningar" in client.get("/mod/queue").get_data(as_text=True)


def test_hidden_post_placeholder_for_members_greyed_for_moderators(client, world, db_session):
    login_as(client, world["moderator"])
    post = world["posts"][1]
    response = client.post(f"/mod/posts/{post.id}/hide", data={"reason": "Personangrepp"})
    assert response.status_code == 303
    db_session.expire_all()
    thread = db_session.get(Thread, world["thread"].id)
    url = f"/threads/{thread.id}-{thread.slug}"
    html = client.get(url).get_data(as_text=True)
    assert "Svar nummer 1" in html and "post-hidden" in html
    member = client_as(client.application, world["member"])
    html = member.get(url).get_data(as_text=True)
    assert "Svar nummer 1" not in html
    assert "Dold av en moderator: Personangrepp" in html
    assert thread.post_count == 2


def test_hide_via_htmx_returns_the_post(client, world):
    login_as(client, world["moderator"])
    response = client.post(
        f"/mod/posts/{world['posts'][1].id}/hide", data={"reason": "Spam"}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert f'id="post-{world["posts"][1].id}"' in html and "post-hidden" in html


def test_hide_without_reason_comes_back_422_filled(client, world):
    login_as(client, world["moderator"])
    response = client.post(f"/mod/posts/{world['posts'][1].id}/hide", data={"reason": "  "})
    assert response.status_code == 422
    assert "Ange ett skäl" in response.get_data(as_text=True)


def test_merge_redirects_old_url(client, world, db_session):
    login_as(client, world["moderator"])
    source, target = world["other"], world["thread"]
    response = client.post(
        f"/mod/threads/{source.id}/merge",
        data={"target": f"/threads/{target.id}-x", "reason": "Dubblett"},
    )
    assert response.status_code == 303
    moved = client.get(f"/threads/{source.id}")
    assert moved.status_code == 301 and moved.headers["Location"].endswith(
        f"/threads/{target.id}-{target.slug}"
    )


def test_split_form_and_action(client, world, db_session):
    login_as(client, world["moderator"])
    thread, posts = world["thread"], world["posts"]
    page = client.get(f"/mod/threads/{thread.id}/split").get_data(as_text=True)
    assert f'value="{posts[1].id}"' in page and f'value="{posts[0].id}"' not in page
    response = client.post(
        f"/mod/threads/{thread.id}/split",
        data={"post_ids": [str(posts[2].id)], "title": "Egen tråd om solceller"},
    )
    assert response.status_code == 303
    db_session.expire_all()
    new_thread = db_session.get(Post, posts[2].id).thread_id
    assert new_thread != thread.id and response.headers["Location"].startswith(
        f"/threads/{new_thread}-"
    )


def test_move_via_htmx_redirects(client, world, db_session):
    login_as(client, world["moderator"])
    theme = themes(db_session)[2]
    response = client.post(
        f"/mod/threads/{world['thread'].id}/move", data={"theme": str(theme.id)}, headers=HX
    )
    assert response.status_code == 200 and "HX-Redirect" in response.headers
    db_session.expire_all()
    assert db_session.get(Thread, world["thread"].id).theme_id == theme.id


def test_pin_via_htmx_returns_controls(client, world):
    login_as(client, world["moderator"])
    response = client.post(f"/mod/threads/{world['thread'].id}/pin", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="thread-controls-{world["thread"].id}"' in html
    assert 'data-mod-action="unpin"' in html
    again = client.post(f"/mod/threads/{world['thread'].id}/pin")
    assert again.status_code == 409


def test_report_form_flow_and_withdraw(client, world, db_session):
    member = world["member"]
    login_as(client, member)
    post = world["posts"][1]
    page = client.get(f"/report?type=post&id={post.id}")
    assert page.status_code == 200 and "Spam eller reklam" in page.get_data(as_text=True)
    fragment = client.get(f"/report?type=post&id={post.id}", headers=HX)
    assert "<html" not in fragment.get_data(as_text=True)
    bad = client.post(
        "/report", data={"item_type": "post", "item_id": str(post.id), "comment": "hmm"}
    )
    assert bad.status_code == 422 and "hmm" in bad.get_data(as_text=True)
    ok = client.post(
        "/report",
        data={"item_type": "post", "item_id": str(post.id), "reason": "off_topic"},
        headers=HX,
    )
    assert ok.status_code == 200 and "Anmäld" in ok.get_data(as_text=True)
    report = db_session.exec(select(Report).where(Report.reporter_id == member.id)).one()
    twice = client.post(
        "/report", data={"item_type": "post", "item_id": str(post.id), "reason": "spam"}
    )
    assert twice.status_code == 409
    gone = client.post(f"/reports/{report.id}/withdraw")
    assert gone.status_code == 303
    db_session.expire_all()
    assert db_session.get(Report, report.id).status == ReportStatus.withdrawn


def test_suspended_user_reads_sees_why_and_cannot_report(client, world, db_session, app):
    member = world["member"]
    with app.test_request_context():
        users.suspend_user(
            session=db_session, actor=world["moderator"], user=member, reason="Upprepad spam"
        )
    db_session.commit()
    login_as(client, member)
    thread = world["thread"]
    page = client.get(f"/threads/{thread.id}-{thread.slug}")
    assert page.status_code == 200 and "Ditt konto är avstängt" in page.get_data(as_text=True)
    notices = client.get("/notices").get_data(as_text=True)
    assert "Upprepad spam" in notices
    response = client.post(
        "/report",
        data={"item_type": "post", "item_id": str(world["posts"][1].id), "reason": "spam"},
    )
    assert response.status_code == 403
    reply = client.post(f"/threads/{thread.id}/replies", data={"reply-body": "Ett svar"})
    assert reply.status_code == 403
    assert client.post(f"/posts/{world['posts'][1].id}/useful").status_code == 403
    assert f'id="report-post-{world["posts"][1].id}"' not in page.get_data(as_text=True)


def test_warning_shown_until_acknowledged(client, world, db_session, app):
    member = world["member"]
    with app.test_request_context():
        warning = users.warn_user(
            session=db_session, actor=world["moderator"], user=member, message="Var vänlig"
        )
    db_session.commit()
    login_as(client, member)
    assert "1 varning från moderatorerna" in client.get("/").get_data(as_text=True)
    assert "Var vänlig" in client.get("/notices").get_data(as_text=True)
    assert client.post(f"/notices/warnings/{warning.id}/acknowledge").status_code == 303
    assert "varning från moderatorerna" not in client.get("/").get_data(as_text=True)


def test_a_warning_from_the_queue_links_to_its_post(client, world, db_session, app):
    member, post, thread = world["member"], world["posts"][1], world["thread"]
    with app.test_request_context():
        users.warn_user(
            session=db_session,
            actor=world["moderator"],
            user=member,
            message="Håll tonen",
            item_type="post",
            item_id=post.id,
        )
    db_session.commit()
    link = f'<a href="/threads/{thread.id}-{thread.slug}#post-{post.id}">{thread.title}</a>'
    login_as(client, member)
    assert link in client.get("/notices").get_data(as_text=True)
    login_as(client, world["moderator"])
    assert link in client.get(f"/mod/users/{member.id}").get_data(as_text=True)


def test_log_filters(client, world, db_session):
    login_as(client, world["moderator"])
    client.post(f"/mod/threads/{world['thread'].id}/lock", data={"reason": "Klart"})
    client.post(f"/mod/users/{world['target_user'].id}/notes", data={"body": "Notis"})
    html = client.get("/mod/log?action=thread.lock").get_data(as_text=True)
    assert "Tråden låstes" in html and "Anteckning tillagd" not in html.split("<tbody>")[1]
    html = client.get(f"/mod/log?user={world['target_user'].id}").get_data(as_text=True)
    assert "Anteckning tillagd" in html.split("<tbody>")[1]
    assert client.get("/mod/log?since=notadate").status_code == 422


def test_moderator_cannot_suspend_admin_over_http(client, world):
    login_as(client, world["moderator"])
    response = client.post(
        f"/mod/users/{world['admin'].id}/suspend", data={"duration": "indefinite", "reason": "x"}
    )
    assert response.status_code == 403


def test_suspended_user_can_still_log_in_and_sees_the_suspension(client, world, db_session, app):
    from tests.factories import DEFAULT_PASSWORD

    member = world["member"]
    with app.test_request_context():
        users.suspend_user(
            session=db_session, actor=world["moderator"], user=member, reason="Spam i flera trådar"
        )
    db_session.commit()
    response = client.post("/login", data={"email": member.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303
    home = client.get("/").get_data(as_text=True)
    assert "Ditt konto är avstängt" in home and 'href="/notices"' in home


def test_form_routes_answer_htmx_with_fragments(client, world):
    login_as(client, world["admin"])
    t, p, u = world["thread"], world["posts"], world["target_user"]
    for url in [
        f"/mod/users/{u.id}",
        f"/mod/threads/{t.id}/move",
        f"/mod/threads/{t.id}/rename",
        f"/mod/threads/{t.id}/merge",
        f"/mod/threads/{t.id}/split",
        f"/mod/posts/{p[1].id}/hide",
        f"/mod/posts/{p[1].id}/edit",
        f"/mod/posts/{p[1].id}/delete",
    ]:
        plain, fragment = client.get(url), client.get(url, headers=HX)
        assert plain.status_code == fragment.status_code == 200, url
        assert "<html" in plain.get_data(as_text=True) and "<html" not in fragment.get_data(
            as_text=True
        ), url
        assert "HX-Request" in fragment.headers.get("Vary", ""), url
    invalid = client.post(f"/mod/threads/{t.id}/rename", data={"title": "x"}, headers=HX)
    assert invalid.status_code == 422 and invalid.headers["HX-Retarget"] == "#mod-action-form"
    assert 'value="x"' in invalid.get_data(as_text=True)  # what was typed comes back


def test_reports_are_rate_limited(app_settings, db_session, world):
    from forum import create_app

    app = create_app(
        {**app_settings, "RATELIMIT_ENABLED": True, "MODERATION_REPORT_LIMIT": "2 per hour"}
    )
    client = app.test_client()
    login_as(client, world["member"])
    statuses = [
        client.post(
            "/report",
            data={"item_type": "post", "item_id": str(world["posts"][1].id), "reason": "spam"},
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [303, 409, 429]
