"""Home, theme and thread pages over HTTP: plain and htmx, filters, paging, redirects, bad input."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from sqlalchemy import event
from sqlmodel import select

from forum.accounts.models import Role
from forum.clock import utcnow
from forum.discussions import service
from forum.discussions.models import Post, Thread
from tests.factories import login_as, make_thread, make_user, theme, themes

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true"}


@pytest.fixture
def author(db_session):
    return make_user(
        db_session, display_name="Anna Andersson", organisation="Malmö stad", actor_type="public"
    )


@pytest.fixture
def other(db_session):
    return make_user(
        db_session, display_name="Bo Berg", organisation="Lunds universitet", actor_type="academia"
    )


def test_home_shows_theme_counts_and_latest_threads(client, db_session, author, other):
    make_thread(db_session, author, title="Hyllie klimatkontrakt", replies=[(other, "Bra fråga")])
    make_thread(db_session, author, title="Skyfallsplan för Malmö", theme=theme(db_session, 2))
    html = client.get("/", headers=EN).get_data(as_text=True)
    assert "2 posts" in html and "1 thread" in html and "0 threads" in html
    assert 'href="/t/klimatneutral-framtid"' in html
    assert html.index("Skyfallsplan för Malmö") < html.index(
        "Hyllie klimatkontrakt"
    )  # latest activity first


def test_home_puts_featured_and_pinned_threads_first(client, db_session, author):
    old, _ = make_thread(db_session, author, title="Gammal men utvald tråd")
    make_thread(db_session, author, title="Ny tråd om Siptex")
    old.featured = True
    db_session.add(old)
    db_session.commit()
    html = client.get("/").get_data(as_text=True)
    assert html.index("Gammal men utvald tråd") < html.index("Ny tråd om Siptex")


def test_theme_page_lists_threads_with_details(client, db_session, author, other):
    thread, _ = make_thread(
        db_session,
        author,
        title="Dagvatten i Västra Hamnen",
        goal_ids=[6, 11],
        replies=[(other, "We built open channels in the harbour to carry the rain away.")],
    )
    response = client.get("/t/klimatneutral-framtid", headers=EN)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert f'href="/threads/{thread.id}-dagvatten-i-vastra-hamnen"' in html
    assert "Anna Andersson" in html and "Malmö stad" in html
    assert "SDG 6" in html and "SDG 11" in html
    assert re.search(r"<dt>Replies</dt><dd>1</dd>", html)
    assert "minute" in html  # relative, localized time


def test_theme_page_relative_time_is_swedish_by_default(client, db_session, author):
    make_thread(db_session, author)
    assert "sedan" in client.get("/t/klimatneutral-framtid").get_data(as_text=True)


def test_theme_page_filters_and_sorts(client, db_session, author, other):
    solved, _ = make_thread(
        db_session,
        author,
        title="Löst fråga om biogas",
        goal_ids=[7],
        replies=[(other, "Svaret finns här")],
    )
    service.mark_solution(
        session=db_session, actor=author, post=db_session.get(Post, solved.last_post_id)
    )
    make_thread(
        db_session,
        author,
        title="English thread about district heating",
        body="How does district heating work in Malmö?",
        language="en",
    )
    db_session.commit()
    url = "/t/klimatneutral-framtid"
    assert "English thread" not in client.get(url + "?solved=yes").get_data(as_text=True)
    assert "Löst fråga" not in client.get(url + "?solved=no").get_data(as_text=True)
    assert "Löst fråga" not in client.get(url + "?language=en").get_data(as_text=True)
    assert "English thread" not in client.get(url + "?sdg=7").get_data(as_text=True)
    by_replies = client.get(url + "?sort=replies").get_data(as_text=True)
    assert by_replies.index("Löst fråga") < by_replies.index("English thread")
    newest = client.get(url + "?sort=newest").get_data(as_text=True)
    assert newest.index("English thread") < newest.index("Löst fråga")


@pytest.mark.parametrize(
    "query",
    [
        "sdg=18",
        "sdg=x",
        "language=de",
        "solved=maybe",
        "sort=random",
        "page=0",
        "page=abc",
        "page=-1",
    ],
)
def test_theme_page_bad_parameters_are_400_with_a_message(client, query):
    response = client.get(f"/t/klimatneutral-framtid?{query}", headers=EN)
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)


def test_theme_page_beyond_last_page_is_404(client):
    response = client.get("/t/klimatneutral-framtid?page=3", headers=EN)
    assert response.status_code == 404
    assert "the list has 1 page" in response.get_data(as_text=True)


def test_unknown_theme_is_404_translated(client):
    response = client.get("/t/no-such-theme")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)


def test_theme_page_load_more_with_htmx(client, db_session, author):
    theme = themes(db_session)[0]
    for n in range(27):
        make_thread(db_session, author, f"Tråd nummer {n:02d}", "text", language="sv", theme=theme)
    page1 = client.get("/t/klimatneutral-framtid").get_data(as_text=True)
    assert page1.count('class="thread-row') == 25
    assert 'href="/t/klimatneutral-framtid?page=2"' in page1  # plain page links and "load more"
    response = client.get("/t/klimatneutral-framtid?page=2", headers=HX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.count('class="thread-row') == 2
    assert 'id="load-more"' in fragment and 'data-hx-swap-oob="true"' in fragment
    assert "HX-Request" in response.headers["Vary"]


def test_thread_page_shows_posts_author_cards_and_goals(client, db_session, author, other):
    thread, _ = make_thread(
        db_session,
        author,
        goal_ids=[6],
        replies=[(other, "We used green roofs in Augustenborg to slow the water down.")],
    )
    login_as(client, make_user(db_session, locale="en"))
    html = client.get(f"/threads/{thread.id}-{thread.slug}", headers=EN).get_data(as_text=True)
    assert "Anna Andersson" in html and "Public sector" in html
    assert "Bo Berg" in html and "Lunds universitet" in html and "Academia" in html
    assert "SDG 6" in html
    assert (
        'class="post-body markdown" lang="en"' not in html
    )  # reply in English, page in English: no lang
    assert (
        'class="post-body markdown" lang="sv"' in html
    )  # the Swedish first post on an English page
    assert 'id="reply-form"' in html


def test_thread_page_marks_edits_and_deleted_users(client, db_session, author, other):
    thread, _ = make_thread(db_session, author, replies=[(other, "Ett svar som ändras")])
    reply = db_session.get(Post, thread.last_post_id)
    service.edit_post(session=db_session, actor=other, post=reply, body="Ett ändrat svar")
    other.deleted_at, other.email, other.display_name = utcnow(), None, "Borttagen"
    db_session.add(other)
    db_session.commit()
    html = client.get(f"/threads/{thread.id}-{thread.slug}", headers=EN).get_data(as_text=True)
    assert ">edited<" in html
    assert "Deleted user" in html and "Lunds universitet" not in html and "Borttagen" not in html


def test_wrong_or_missing_slug_redirects_permanently(client, db_session, author):
    thread, _ = make_thread(db_session, author)
    response = client.get(f"/threads/{thread.id}-old-title?page=1")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/threads/{thread.id}-{thread.slug}?page=1"
    assert client.get(f"/threads/{thread.id}").status_code == 301


@pytest.mark.parametrize(
    "path",
    ["/threads/999999-nope", "/posts/999999", "/posts/999999/edit", "/posts/999999/revisions"],
)
def test_missing_threads_and_posts_are_404(client, path):
    response = client.get(path, headers=EN)
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)


def test_thread_page_bad_page_numbers(client, db_session, author):
    thread, _ = make_thread(db_session, author)
    url = f"/threads/{thread.id}-{thread.slug}"
    assert client.get(url + "?page=zero", headers=EN).status_code == 400
    response = client.get(url + "?page=2", headers=EN)
    assert response.status_code == 404 and "the thread has 1 page" in response.get_data(
        as_text=True
    )


def test_hidden_thread_is_only_for_moderators(client, db_session, author):
    thread, _ = make_thread(db_session, author)
    thread.hidden_at = utcnow()
    db_session.add(thread)
    db_session.commit()
    url = f"/threads/{thread.id}-{thread.slug}"
    assert client.get(url).status_code == 404
    assert "Dagvatten" not in client.get("/t/klimatneutral-framtid").get_data(as_text=True)
    login_as(client, make_user(db_session, role=Role.moderator))
    assert client.get(url).status_code == 200


def test_thread_pages_and_permalinks(client, db_session, author, other):
    thread, _ = make_thread(
        db_session, author, replies=[(other, f"Svar nummer {n}") for n in range(35)]
    )
    posts = db_session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
    url = f"/threads/{thread.id}-{thread.slug}"
    login_as(client, other)
    page1 = client.get(url).get_data(as_text=True)
    assert page1.count('<article id="post-') == 30
    assert 'id="reply-form"' not in page1 and f"{url}?page=2#reply" in page1
    page2 = client.get(url + "?page=2").get_data(as_text=True)
    assert page2.count('<article id="post-') == 6 and 'id="reply-form"' in page2
    # the page links above and below the posts are two landmarks, each with its own name
    labels = re.findall(r'<nav class="pagination" aria-label="([^"]+)"', page2)
    assert len(labels) == 2 and len(set(labels)) == 2
    response = client.get(f"/posts/{posts[31].id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url}?page=2#post-{posts[31].id}"
    assert client.get(f"/posts/{posts[3].id}").headers["Location"] == f"{url}#post-{posts[3].id}"


def test_thread_page_fragment_for_htmx(client, db_session, author):
    thread, _ = make_thread(db_session, author)
    response = client.get(f"/threads/{thread.id}-{thread.slug}", headers=HX)
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and "<html" not in html
        and f'id="post-{thread.last_post_id}"' in html
    )
    single = client.get(f"/posts/{thread.last_post_id}", headers=HX).get_data(as_text=True)
    assert "<html" not in single and single.strip().startswith("<article")


def test_xss_in_title_and_body_is_inert(client, db_session, author):
    thread, _ = make_thread(
        db_session,
        author,
        title='<script>alert("t")</script> title',
        body='<script>alert("b")</script> <img src=x onerror=alert(1)> '
        "[klick](javascript:alert(2)) "
        '<a href="javascript:alert(3)">a</a>\n\n```\n<script>alert("code")</script>\n```',
    )
    for path in (f"/threads/{thread.id}-{thread.slug}", "/t/klimatneutral-framtid", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html
        assert not re.search(r"""<(a|img)\b[^>]*(href|src)=["']?javascript:""", html)
        # no real element has an event handler (the text " onerror=" may be in an attribute's
        # value, such as the page's description, where it is only text)
        assert etree.HTML(html).xpath("//@*[starts-with(name(), 'on')]") == []
    html = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert (
        "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; title" in html
        or "&lt;script&gt;alert(&quot;t&quot;)" in html
    )


def test_quote_link_prefills_the_reply_box_without_js(client, db_session, author, other):
    thread, _ = make_thread(db_session, author, body="Första raden\nAndra raden")
    login_as(client, other)
    response = client.get(f"/posts/{thread.last_post_id}/quote")
    assert response.status_code == 302
    assert (
        response.headers["Location"]
        == f"/threads/{thread.id}-{thread.slug}?quote={thread.last_post_id}#reply"
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "&gt; **Anna Andersson**" in html and "&gt; Första raden\n&gt; Andra raden" in html


def test_quote_with_htmx_keeps_what_was_typed(client, db_session, author, other):
    thread, _ = make_thread(db_session, author, body="Citera mig")
    login_as(client, other)
    response = client.get(f"/posts/{thread.last_post_id}/quote?reply-body=Mitt+utkast", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.index("Mitt utkast") < html.index("&gt; Citera mig")


def test_get_requests_never_write(client, db_session, author, other, app):
    thread, _ = make_thread(db_session, author, replies=[(other, "svar")])
    writes = []

    def spy(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    login_as(client, other)  # the login is written before the GETs that must not write
    engine = app.extensions["forum_engine"]
    event.listen(engine, "before_cursor_execute", spy)
    try:
        for path in (
            "/",
            "/t/klimatneutral-framtid",
            f"/threads/{thread.id}-{thread.slug}",
            f"/posts/{thread.last_post_id}",
            f"/posts/{thread.last_post_id}/edit",
            f"/posts/{thread.last_post_id}/revisions",
            "/threads/new",
        ):
            client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert writes == []
    assert db_session.get(Thread, thread.id).post_count == 2
