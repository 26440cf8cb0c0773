"""Posts are numbered by their place in the thread (#1, #2, ...), the same for every reader, and
the accepted answer is summed up under the first post instead of being printed twice."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from forum.discussions import service
from forum.discussions.models import Post
from forum.moderation.posts import hide_post
from tests.factories import login_as, make_thread, make_user

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true"}


@pytest.fixture
def author(db_session):
    return make_user(db_session, display_name="Anna Andersson", locale="en")


@pytest.fixture
def long_thread(db_session, author):
    """A thread of 36 posts (two pages) whose third post is hidden by a moderator."""
    other = make_user(db_session, display_name="Bo Berg")
    make_thread(db_session, other, "En annan tråd först", replies=4)  # so ids and numbers differ
    thread, _ = make_thread(
        db_session, author, replies=[(other, f"Svar nummer {n}") for n in range(35)]
    )
    posts = db_session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
    moderator = make_user(db_session, role="moderator", locale="en")
    hide_post(session=db_session, actor=moderator, post=posts[2], reason="Reklam")
    db_session.commit()
    return thread, posts, moderator


def shown_numbers(html: str) -> dict[int, int]:
    """Post id -> the number its permalink shows."""
    return {
        int(post_id): int(number)
        for post_id, number in re.findall(
            r'href="/posts/(\d+)" class="permalink"[^>]*>#(\d+)</a>', html
        )
    }


def test_posts_show_their_place_in_the_thread_the_same_for_readers_and_moderators(
    app, db_session, long_thread
):
    thread, posts, moderator = long_thread
    url = f"/threads/{thread.id}-{thread.slug}"
    expected = {post.id: n for n, post in enumerate(posts, start=1)}
    reader = app.test_client()
    staff = app.test_client()
    login_as(staff, moderator)
    for page in ("", "?page=2"):
        for client in (reader, staff):
            numbers = shown_numbers(client.get(url + page).get_data(as_text=True))
            assert numbers and all(expected[i] == n for i, n in numbers.items())
    # the hidden third post is a placeholder for the reader, yet the fourth is still #4
    assert shown_numbers(reader.get(url).get_data(as_text=True))[posts[3].id] == 4
    assert posts[2].id not in shown_numbers(reader.get(url).get_data(as_text=True))
    assert shown_numbers(staff.get(url).get_data(as_text=True))[posts[2].id] == 3
    page2 = reader.get(url + "?page=2").get_data(as_text=True)
    assert shown_numbers(page2)[posts[31].id] == 32
    assert f">#{posts[31].id}<" not in page2  # no database id as a number


def test_the_number_in_both_languages_and_in_a_fragment(client, db_session, long_thread):
    thread, posts, _ = long_thread
    html = client.get(f"/threads/{thread.id}-{thread.slug}", headers=EN).get_data(as_text=True)
    assert 'aria-label="Link to post 5">#5</a>' in html
    html = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert 'aria-label="Länk till inlägg 5">#5</a>' in html
    single = client.get(f"/posts/{posts[33].id}", headers=HX).get_data(as_text=True)
    assert shown_numbers(single) == {posts[33].id: 34}


def test_a_post_is_found_by_its_number(client, db_session, long_thread):
    thread, posts, _ = long_thread
    url = f"/threads/{thread.id}-{thread.slug}"
    response = client.get(f"{url}/32")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url}?page=2#post-{posts[31].id}"
    assert client.get(f"/threads/{thread.id}/1").headers["Location"] == f"{url}#post-{posts[0].id}"
    # the hidden post keeps its number too (its page shows the placeholder)
    assert client.get(f"{url}/3").headers["Location"] == f"{url}#post-{posts[2].id}"
    # the permalink by id still works and never changes
    assert (
        client.get(f"/posts/{posts[31].id}").headers["Location"].endswith(f"#post-{posts[31].id}")
    )
    for number, message in (
        (37, "This thread has no post number 37."),
        (0, "This thread has no post number 0."),
        (2**63, None),
    ):
        response = client.get(f"{url}/{number}", headers=EN)
        assert response.status_code == 404
        if message:
            assert message in response.get_data(as_text=True)
    assert client.get("/threads/999999/2").status_code == 404


def test_a_quote_names_the_number_of_the_quoted_post(client, db_session, long_thread, author):
    thread, posts, _ = long_thread
    login_as(client, author)
    html = client.get(
        f"/posts/{posts[4].id}/quote", headers=HX, query_string={"reply-body": ""}
    ).get_data(as_text=True)
    assert f"([#5](/posts/{posts[4].id}))" in html


def _solved(db_session, author, replies):
    thread, posts = make_thread(
        db_session,
        author,
        replies=[(make_user(db_session), text) for text in replies],
    )
    service.mark_solution(session=db_session, actor=author, post=posts[1])
    db_session.commit()
    return thread, posts


@pytest.mark.parametrize(
    ("headers", "jump", "by"),
    [(EN, "Jump to the answer", "post #2"), ({}, "Gå till svaret", "inlägg #2")],
)
def test_the_accepted_answer_is_shown_once_with_a_summary_above(
    client, db_session, author, headers, jump, by
):
    answer = "Vi använde **gröna tak** och fördröjningsdammar. " + "Mer detaljer följer. " * 30
    thread, posts = _solved(db_session, author, [answer, "Tack!"])
    html = client.get(f"/threads/{thread.id}-{thread.slug}", headers=headers).get_data(as_text=True)
    assert html.count("<strong>gröna tak</strong>") == 1  # the answer's body, in its place only
    summary = html[
        html.index('id="solution"') : html.index("</section>", html.index('id="solution"'))
    ]
    assert "Vi använde gröna tak och fördröjningsdammar." in summary and "…" in summary
    assert jump in summary and by in summary
    assert f'href="#post-{posts[1].id}"' in summary  # on the same page: the anchor


def test_the_summary_links_to_an_answer_on_another_page(client, db_session, author):
    thread, posts = make_thread(db_session, author, replies=32)
    service.mark_solution(session=db_session, actor=author, post=posts[31])
    db_session.commit()
    html = client.get(f"/threads/{thread.id}-{thread.slug}", headers=EN).get_data(as_text=True)
    summary = html[html.index('id="solution"') :]
    assert f'href="/posts/{posts[31].id}"' in summary and "post #32" in summary
