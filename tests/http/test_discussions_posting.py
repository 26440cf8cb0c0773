"""Starting threads, replying, editing, deleting, useful marks and solutions over HTTP."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from forum import create_app
from forum.accounts.models import Role
from forum.clock import utcnow
from forum.discussions.models import Post, PostRevision, Thread
from forum.extensions import limiter
from tests.factories import login_as, make_thread, make_user

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true"}
KEY = "abcdefghijklmnopqrstuvwxyz012345"


@pytest.fixture
def author(db_session):
    return make_user(db_session, display_name="Anna Andersson", locale="en")


@pytest.fixture
def other(db_session):
    return make_user(db_session, display_name="Bo Berg", locale="en")


def count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.exec(select(func.count()).select_from(model)).one()


# --- new thread ---------------------------------------------------------------------------------
def test_new_thread_form_preselects_theme(client, db_session, author):
    login_as(client, author)
    response = client.get("/t/resilienta-halsosamma-samhallen/new")
    assert (
        response.status_code == 302
        and response.headers["Location"] == "/threads/new?theme=resilienta-halsosamma-samhallen"
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<option selected value="resilienta-halsosamma-samhallen">' in html
    assert 'name="submission_key"' in html and 'data-hx-post="/threads/preview"' in html
    assert client.get("/t/no-such-theme/new").status_code == 404


def test_create_thread_redirects_to_it(client, db_session, author):
    login_as(client, author)
    response = client.post(
        "/threads/new",
        data={
            "theme": "klimatneutral-framtid",
            "title": "Hur fungerar Hyllies klimatkontrakt?",
            "body": "Vi vill veta hur **klimatkontraktet** följs upp.",
            "goals": ["11", "13"],
            "language": "",
            "submission_key": KEY,
        },
    )
    thread = db_session.exec(select(Thread)).one()
    assert response.status_code == 303
    assert (
        response.headers["Location"] == f"/threads/{thread.id}-hur-fungerar-hyllies-klimatkontrakt"
    )
    assert thread.language == "sv" and thread.author_id == author.id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>klimatkontraktet</strong>" in html and "SDG 13" in html


def test_double_submitted_thread_is_created_once(client, db_session, author):
    login_as(client, author)
    data = {
        "theme": "klimatneutral-framtid",
        "title": "Dubbelklick på publicera",
        "body": "En gång",
        "submission_key": KEY,
    }
    first = client.post("/threads/new", data=data)
    second = client.post("/threads/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db_session, Thread) == 1 and count(db_session, Post) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "text"}, "Give the thread a title."),
        ({"title": "Kort", "body": "text"}, "between 5 and 200 characters"),
        ({"title": "x" * 201, "body": "text"}, "between 5 and 200 characters"),
        ({"title": "En bra titel", "body": ""}, "Write some text."),
        ({"title": "En bra titel", "body": "x" * 50_001}, "between 1 and 50000 characters"),
        ({"title": "En bra titel", "body": "text", "theme": "no-such-theme"}, "Not a valid choice"),
        ({"title": "En bra titel", "body": "text", "goals": ["999"]}, "valid choice"),
    ],
)
def test_bad_thread_input_comes_back_filled(client, db_session, author, data, message):
    login_as(client, author)
    payload = {"theme": "klimatneutral-framtid", "submission_key": KEY, **data}
    response = client.post("/threads/new", data=payload)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    if data["title"]:
        assert f'value="{data["title"]}"' in html
    assert count(db_session, Thread) == 0


def test_bad_thread_input_is_translated(client, db_session):
    login_as(client, make_user(db_session, locale="sv"))
    response = client.post(
        "/threads/new", data={"theme": "klimatneutral-framtid", "title": "", "body": "Min text"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ge tråden en rubrik." in html and "Min text</textarea>" in html


def test_preview_without_js_writes_nothing(client, db_session, author):
    login_as(client, author)
    response = client.post(
        "/threads/new",
        data={
            "theme": "klimatneutral-framtid",
            "title": "Förhandsgranskning",
            "body": "Det här är *kursivt* i en svensk text om dagvatten.",
            "preview": "1",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<em>kursivt</em>" in html and "Swedish" in html
    assert count(db_session, Thread) == 0


def test_preview_with_htmx_is_a_fragment(client, db_session, author):
    login_as(client, author)
    response = client.post(
        "/threads/preview",
        data={"title": "A title", "body": "Some **bold** words about stormwater in the city."},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "<strong>bold</strong>" in html and "English" in html


# --- replies ------------------------------------------------------------------------------------
def test_reply_without_js_redirects_to_the_permalink(client, db_session, author, other):
    thread, _ = make_thread(db_session, author)
    login_as(client, other)
    response = client.post(
        f"/threads/{thread.id}/replies",
        data={"reply-body": "Ett svar", "reply-submission_key": KEY},
    )
    post = db_session.exec(select(Post).order_by(Post.id.desc())).first()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/threads/{thread.id}-{thread.slug}#post-{post.id}"
    assert post.body == "Ett svar" and post.author_id == other.id


def test_reply_with_htmx_returns_the_post_and_a_fresh_form(client, db_session, author, other):
    thread, _ = make_thread(db_session, author)
    login_as(client, other)
    response = client.post(
        f"/threads/{thread.id}/replies",
        data={"reply-body": "Ett **htmx**-svar", "reply-submission_key": KEY},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith("<article") and "<strong>htmx</strong>" in html
    assert 'id="reply-form"' in html and 'data-hx-swap-oob="true"' in html
    assert KEY not in html  # the fresh form carries a new submission key
    assert "Ett **htmx**-svar</textarea>" not in html


def test_double_submitted_reply_creates_one_post(client, db_session, author, other):
    thread, _ = make_thread(db_session, author)
    login_as(client, other)
    data = {"reply-body": "Dubbelklick", "reply-submission_key": KEY}
    first = client.post(f"/threads/{thread.id}/replies", data=data)
    second = client.post(f"/threads/{thread.id}/replies", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db_session, Post) == 2


def test_bad_reply_comes_back_as_422(client, db_session, author, other):
    thread, _ = make_thread(db_session, author)
    login_as(client, other)
    plain = client.post(f"/threads/{thread.id}/replies", data={"reply-body": "   "})
    assert plain.status_code == 422 and "Write some text." in plain.get_data(as_text=True)
    htmx = client.post(
        f"/threads/{thread.id}/replies", data={"reply-body": "x" * 50_001}, headers=HX
    )
    assert htmx.status_code == 422 and "<html" not in htmx.get_data(as_text=True)
    assert htmx.headers["HX-Retarget"] == "#reply-form"
    assert count(db_session, Post) == 1


def test_reply_to_missing_thread_is_404(client, db_session, other):
    login_as(client, other)
    assert client.post("/threads/999999/replies", data={"reply-body": "Hej"}).status_code == 404


def test_locked_thread_shows_notice_and_refuses_replies(client, db_session, author, other):
    thread, _ = make_thread(db_session, author)
    thread.locked = True
    db_session.add(thread)
    db_session.commit()
    login_as(client, other)
    html = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert "This thread is locked" in html and 'id="reply-form"' not in html
    response = client.post(f"/threads/{thread.id}/replies", data={"reply-body": "Hej"})
    assert response.status_code == 403 and "This thread is locked" in response.get_data(
        as_text=True
    )
    assert count(db_session, Post) == 1


def test_csrf_is_required_when_enabled(app_settings, db_session):
    user = make_user(db_session)
    thread, _ = make_thread(db_session, user)
    app = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    login_as(client, user)
    for url in (
        f"/threads/{thread.id}/replies",
        f"/posts/{thread.last_post_id}/delete",
        "/threads/new",
    ):
        assert (
            client.post(
                url, data={"reply-body": "Utan token", "title": "Utan token", "body": "x"}
            ).status_code
            == 400
        )
    assert count(db_session, Post) == 1
    app.extensions["forum_engine"].dispose()


def test_posting_rate_limit_is_stricter_for_new_accounts(app_settings, db_session):
    app = create_app(
        {
            **app_settings,
            "RATELIMIT_ENABLED": True,
            "DISCUSSIONS_NEW_ACCOUNT_POST_LIMIT": "2 per hour",
            "DISCUSSIONS_POST_LIMIT": "4 per hour",
        }
    )
    limiter.reset()
    client = app.test_client()
    newcomer = make_user(db_session)  # created just now
    veteran = make_user(db_session)
    veteran.created_at = veteran.created_at.replace(year=veteran.created_at.year - 1)
    db_session.add(veteran)
    db_session.commit()
    thread, _ = make_thread(db_session, veteran)
    url = f"/threads/{thread.id}/replies"
    login_as(client, newcomer)
    assert (
        client.post(url, data={"reply-body": ""}).status_code == 422
    )  # a failed attempt does not count
    statuses = [client.post(url, data={"reply-body": f"Svar {n}"}).status_code for n in range(3)]
    assert statuses == [303, 303, 429]
    login_as(client, veteran)
    statuses = [client.post(url, data={"reply-body": f"Svar {n}"}).status_code for n in range(5)]
    assert statuses == [303, 303, 303, 303, 429]
    limiter.reset()
    app.extensions["forum_engine"].dispose()


# --- edit, revisions, delete --------------------------------------------------------------------
def test_inline_edit_with_htmx(client, db_session, author):
    thread, _ = make_thread(db_session, author, body="Första versionen")
    post_id = thread.last_post_id
    login_as(client, author)
    form = client.get(f"/posts/{post_id}/edit", headers=HX)
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "<html" not in html
    assert (
        f'<article id="post-{post_id}" class="post post-editing">' in html
        and "Första versionen</textarea>" in html
    )
    assert f'data-hx-get="/posts/{post_id}"' in html  # cancel brings the post back
    saved = client.post(
        f"/posts/{post_id}/edit",
        data={
            f"edit-{post_id}-title": "Dagvatten i Västra Hamnen, uppdaterad",
            f"edit-{post_id}-body": "Andra versionen",
            f"edit-{post_id}-language": "sv",
        },
        headers=HX,
    )
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "<html" not in html
    assert "Andra versionen" in html and ">edited<" in html
    assert 'id="thread-title" data-hx-swap-oob="true"' in html and "uppdaterad" in html
    cancel = client.get(f"/posts/{post_id}", headers=HX).get_data(as_text=True)
    assert cancel.lstrip().startswith(f'<article id="post-{post_id}"')


def test_edit_without_js_and_revisions_with_diff(client, db_session, author):
    thread, _ = make_thread(db_session, author, body="rad ett\nrad två")
    post_id = thread.last_post_id
    login_as(client, author)
    page = client.get(f"/posts/{post_id}/edit").get_data(as_text=True)
    assert "<html" in page and "rad ett\nrad två</textarea>" in page
    response = client.post(
        f"/posts/{post_id}/edit",
        data={
            f"edit-{post_id}-title": thread.title,
            f"edit-{post_id}-body": "rad ett\nrad tre",
            f"edit-{post_id}-language": "sv",
        },
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#post-{post_id}")
    assert count(db_session, PostRevision) == 1
    html = client.get(f"/posts/{post_id}/revisions").get_data(as_text=True)
    assert '<span class="diff-removed">' in html and "rad två" in html
    assert '<span class="diff-added">' in html and "rad tre" in html
    assert "Version 2 (current)" in html and "Version 1" in html


def test_bad_edit_comes_back_filled(client, db_session, author):
    thread, _ = make_thread(db_session, author, body="Original")
    post_id = thread.last_post_id
    login_as(client, author)
    response = client.post(
        f"/posts/{post_id}/edit",
        data={
            f"edit-{post_id}-title": "",
            f"edit-{post_id}-body": "Ny text som ska finnas kvar",
            f"edit-{post_id}-language": "sv",
        },
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Give the thread a title." in html
    assert "Ny text som ska finnas kvar</textarea>" in html
    assert count(db_session, PostRevision) == 0


def test_editing_someone_elses_post_is_403(client, db_session, author, other):
    thread, _ = make_thread(db_session, author)
    login_as(client, other)
    for method in ("get", "post"):
        response = getattr(client, method)(
            f"/posts/{thread.last_post_id}/edit", data={f"edit-{thread.last_post_id}-body": "Kapat"}
        )
        assert response.status_code == 403
        assert "You can only edit your own posts." in response.get_data(as_text=True)
    assert client.get(f"/posts/{thread.last_post_id}/revisions").status_code == 403


def test_moderator_edits_any_post(client, db_session, author):
    thread, _ = make_thread(db_session, author)
    login_as(client, make_user(db_session, role=Role.moderator))
    post_id = thread.last_post_id
    response = client.post(
        f"/posts/{post_id}/edit",
        data={
            f"edit-{post_id}-title": thread.title,
            f"edit-{post_id}-body": "Modererad",
            f"edit-{post_id}-language": "sv",
        },
    )
    assert response.status_code == 303
    assert client.get(f"/posts/{post_id}/revisions").status_code == 200


def test_delete_own_post(client, db_session, author, other):
    thread, _ = make_thread(db_session, author, replies=[(other, "Det här tar jag bort")])
    login_as(client, other)
    response = client.post(f"/posts/{thread.last_post_id}/delete", headers=HX)
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and "deleted by the author" in html
        and "Det här tar jag bort" not in html
    )
    page = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert "deleted by the author" in page and "Det här tar jag bort" not in page
    login_as(client, author)
    assert client.post(f"/posts/{thread.last_post_id}/delete").status_code == 403


# --- useful and solution ------------------------------------------------------------------------
def test_useful_toggle_with_and_without_htmx(client, db_session, author, other):
    thread, _ = make_thread(db_session, author, replies=[(other, "Nyttigt")])
    reply_id = thread.last_post_id
    login_as(client, author)
    response = client.post(f"/posts/{reply_id}/useful", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'aria-pressed="true"' in html and '<span class="useful-count">1</span>' in html
    response = client.post(f"/posts/{reply_id}/useful")
    assert response.status_code == 303
    assert db_session.get(Post, reply_id).useful_count == 0
    login_as(client, other)
    assert client.post(f"/posts/{reply_id}/useful").status_code == 403  # not on one's own post


def test_mark_solution_shows_it_under_the_first_post(client, db_session, author, other):
    thread, _ = make_thread(
        db_session, author, replies=[(other, "Så här löste vi det"), (other, "Och en sak till")]
    )
    answer = db_session.exec(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
    ).all()[1]
    login_as(client, other)
    assert client.post(f"/posts/{answer.id}/solution").status_code == 403
    login_as(client, author)
    response = client.post(f"/posts/{answer.id}/solution")
    assert response.status_code == 303
    html = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    first_post = html.index(f'id="post-{thread.id and answer.id - 1}"')
    assert first_post < html.index('id="solution"') < html.index(f'id="post-{answer.id}"')
    assert "Solved" in client.get("/t/klimatneutral-framtid").get_data(as_text=True)
    assert client.post(f"/threads/{thread.id}/solution/remove").status_code == 303
    db_session.expire_all()
    assert db_session.get(Thread, thread.id).solution_post_id is None


def test_first_post_cannot_be_the_solution(client, db_session, author):
    thread, _ = make_thread(db_session, author)
    login_as(client, author)
    response = client.post(f"/posts/{thread.last_post_id}/solution")
    assert response.status_code == 422


def test_suspended_user_cannot_post(client, db_session, author):
    thread, _ = make_thread(db_session, author)
    suspended = make_user(db_session, suspended_until=utcnow().replace(year=utcnow().year + 1))
    login_as(client, suspended)
    response = client.post(f"/threads/{thread.id}/replies", data={"reply-body": "Hej"})
    assert response.status_code == 403 and "Ditt konto är avstängt" in response.get_data(
        as_text=True
    )
