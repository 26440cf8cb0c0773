"""Search, lists and counts follow moderation at once: hidden content disappears, restored content
comes back, moved threads are found under their new theme."""

from __future__ import annotations

from sqlmodel import select

from forum.discussions.models import Thread
from forum.search import get_search_service
from tests.factories import login_as, make_thread, make_user, themes


def _search(client, query: str, **params) -> str:
    """The HTML of the result list only (the query itself is echoed in the title and the form)."""
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    start = html.find('<ol class="search-list"')
    return html[start : html.index("</ol>", start)] if start >= 0 else ""


def test_hidden_reply_leaves_search_and_comes_back(app, client, db_session):
    moderator = make_user(db_session, role="moderator")
    thread, posts = make_thread(db_session, replies=1)
    posts[1].body = "Vi använde kompostgaller av återvunnen plast"
    from forum.markup import render_markdown

    posts[1].body_html = render_markdown(posts[1].body)
    db_session.add(posts[1])
    db_session.commit()
    get_search_service(app).apply_pending()
    reader = app.test_client()
    login_as(reader, make_user(db_session))
    assert "kompostgaller" in _search(reader, "kompostgaller").lower()

    login_as(client, moderator)
    assert (
        client.post(f"/mod/posts/{posts[1].id}/hide", data={"reason": "Reklam"}).status_code == 303
    )
    get_search_service(app).apply_pending()
    assert "kompostgaller" not in _search(reader, "kompostgaller").lower()

    assert client.post(f"/mod/posts/{posts[1].id}/restore", data={}).status_code == 303
    get_search_service(app).apply_pending()
    assert "kompostgaller" in _search(reader, "kompostgaller").lower()


def test_hidden_thread_leaves_search_theme_list_and_counts(app, client, db_session):
    moderator = make_user(db_session, role="moderator")
    first_theme = themes(db_session)[0]
    thread, posts = make_thread(db_session, title="Regnbäddar i Augustenborg", theme=first_theme)
    get_search_service(app).apply_pending()
    reader = app.test_client()
    login_as(reader, make_user(db_session))
    assert "Regnbäddar i Augustenborg" in _search(reader, "regnbäddar")
    assert "Regnbäddar i Augustenborg" in reader.get(f"/t/{first_theme.slug}").get_data(
        as_text=True
    )

    login_as(client, moderator)
    client.post(f"/mod/posts/{posts[0].id}/hide", data={"reason": "Spam"})
    get_search_service(app).apply_pending()
    assert "Regnbäddar i Augustenborg" not in _search(reader, "regnbäddar")
    assert "Regnbäddar i Augustenborg" not in reader.get(f"/t/{first_theme.slug}").get_data(
        as_text=True
    )
    assert reader.get(f"/threads/{thread.id}-{thread.slug}").status_code == 404


def test_moved_thread_is_found_under_its_new_theme(app, client, db_session):
    moderator = make_user(db_session, role="moderator")
    old, new = themes(db_session)[0], themes(db_session)[1]
    thread, _ = make_thread(db_session, title="Gröna tak på Västra Hamnen", theme=old)
    get_search_service(app).apply_pending()
    login_as(client, moderator)
    assert (
        client.post(f"/mod/threads/{thread.id}/move", data={"theme": str(new.id)}).status_code
        == 303
    )
    get_search_service(app).apply_pending()
    assert "Gröna tak på Västra Hamnen" in _search(client, "gröna tak", theme=new.slug)
    assert "Gröna tak på Västra Hamnen" not in _search(client, "gröna tak", theme=old.slug)
    assert "Gröna tak på Västra Hamnen" in client.get(f"/t/{new.slug}").get_data(as_text=True)
    assert db_session.exec(select(Thread).where(Thread.id == thread.id)).one()
