"""Several app nodes on one database, each with its own index directory: every change made through
one node reaches the other's index, whatever order the changes commit in, and the outbox keeps a
row until every node has applied it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from forum import create_app
from forum.discussions.models import Post
from forum.search import get_search_service
from forum.search.models import SearchNode, SearchOutbox
from tests.conftest import POSTGRES_URL
from tests.factories import login_as, make_thread, make_user, themes

KEY = "abcdefghijklmnopqrstuvwxyz012345"


@pytest.fixture
def node_b(app, app_settings, tmp_path):
    """A second node: the same database, its own ``SEARCH_DIR``."""
    other = create_app({**app_settings, "SEARCH_DIR": str(tmp_path / "node-b-index")})
    yield other
    other.extensions["forum_engine"].dispose()


def _results(application, query: str, **params) -> str:
    """The HTML of the node's result list only (the query is echoed elsewhere on the page)."""
    response = application.test_client().get("/search", query_string={"q": query, **params})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    start = html.find('<ol class="search-list"')
    return html[start : html.index("</ol>", start)] if start >= 0 else ""


def _catch_up(application) -> None:
    """What the node's retry loop does every few seconds."""
    while get_search_service(application).apply_pending():
        pass


def test_a_reply_its_edit_its_move_and_its_hiding_reach_the_other_node(app, node_b, db_session):
    author, replier = make_user(db_session), make_user(db_session)
    moderator = make_user(db_session, role="moderator")
    old_theme, new_theme = themes(db_session)[0], themes(db_session)[1]
    thread, _ = make_thread(
        db_session, author, "Regnbäddar i Augustenborg", "Hur sköter ni dem?", theme=old_theme
    )
    client = app.test_client()  # every change goes through node A's requests
    login_as(client, replier)
    data = {"reply-body": "Vi planterade kaveldun i bäddarna.", "reply-submission_key": KEY}
    assert client.post(f"/threads/{thread.id}/replies", data=data).status_code == 303
    reply = db_session.exec(select(Post).order_by(Post.id.desc())).first()
    _catch_up(node_b)
    for node in (app, node_b):
        assert "Regnbäddar i Augustenborg" in _results(node, "kaveldun")

    edit = {
        f"edit-{reply.id}-body": "Vi planterade svärdslilja.",
        f"edit-{reply.id}-language": "sv",
    }
    assert client.post(f"/posts/{reply.id}/edit", data=edit).status_code == 303
    _catch_up(node_b)
    for node in (app, node_b):
        assert "Regnbäddar i Augustenborg" in _results(node, "svärdslilja")
        assert "Regnbäddar i Augustenborg" not in _results(node, "kaveldun")

    login_as(client, moderator)
    move = {"theme": str(new_theme.id)}
    assert client.post(f"/mod/threads/{thread.id}/move", data=move).status_code == 303
    _catch_up(node_b)
    for node in (app, node_b):
        assert "Regnbäddar" in _results(node, "svärdslilja", theme=new_theme.slug)
        assert "Regnbäddar" not in _results(node, "svärdslilja", theme=old_theme.slug)

    hide = {"reason": "Reklam"}
    assert client.post(f"/mod/posts/{reply.id}/hide", data=hide).status_code == 303
    _catch_up(node_b)
    for node in (app, node_b):
        assert "Regnbäddar i Augustenborg" not in _results(node, "svärdslilja")
        assert get_search_service(node).pending_count() == 0


@pytest.mark.skipif(
    not POSTGRES_URL, reason="SQLite serialises writers: ids commit in order; runs in make test-pg"
)
def test_a_change_that_commits_after_a_later_one_was_applied_still_arrives(app, node_b, db_session):
    """Two connections: the transaction holding the lower outbox ids commits only after node B
    has applied the higher ids of a transaction that started later. A cursor at the highest
    applied id would skip the lower ids on node B for good."""
    author = make_user(db_session)
    with Session(app.extensions["forum_engine"], expire_on_commit=False) as late:
        make_thread(late, author, "Sen tråd om våtmarker", "Våtmarker renar.", commit=False)
        low = late.exec(select(SearchOutbox.id)).all()  # this transaction's own rows
        make_thread(db_session, author, "Tidig tråd om solceller", "Solceller på taket.")
        high = db_session.exec(select(SearchOutbox.id)).all()
        assert max(low) < min(high)  # the later commit took the higher ids
        _catch_up(node_b)
        assert "Tidig tråd om solceller" in _results(node_b, "solceller")
        late.commit()  # the lower ids become visible now
    assert "Sen tråd om våtmarker" in _results(app, "våtmarker")  # node A applies after commit
    _catch_up(node_b)
    assert "Sen tråd om våtmarker" in _results(node_b, "våtmarker")
    assert get_search_service(node_b).pending_count() == 0


def test_a_row_is_pruned_only_once_every_node_applied_it(app, node_b, db_session):
    make_thread(db_session, title="Vindkraft i Öresund", body="Vindkraftverk.", direct=True)
    service_a, service_b = get_search_service(app), get_search_service(node_b)
    assert service_b.pending_count() == 2 and service_a.pending_count() == 0
    assert service_a.prune(older_than=timedelta(seconds=-60)) == 0  # node B still needs them
    _catch_up(node_b)
    assert "Vindkraft i Öresund" in _results(node_b, "vindkraft")
    assert service_a.prune(older_than=timedelta(seconds=-60)) == 2
    assert db_session.exec(select(SearchOutbox)).all() == []


def test_a_node_silent_for_long_is_forgotten_and_rebuilt_when_it_returns(
    app, app_settings, node_b, db_session
):
    service_b = get_search_service(node_b)
    gone = db_session.get(SearchNode, service_b.store.read_node_id())
    gone.seen_at -= timedelta(days=8)
    db_session.commit()
    make_thread(db_session, title="Vindkraft i Öresund", body="Vindkraftverk.", direct=True)
    assert get_search_service(app).prune(older_than=timedelta(seconds=-60)) == 2
    db_session.expire_all()
    assert db_session.get(SearchNode, service_b.store.read_node_id()) is None
    assert service_b.apply_pending() == 0  # nothing it could safely record
    returned = create_app(
        {
            **app_settings,
            "SEARCH_DIR": node_b.config["SEARCH_DIR"],
            "SEARCH_BACKGROUND_REBUILD": False,
        }
    )
    try:
        assert "Vindkraft i Öresund" in _results(returned, "vindkraft")
        db_session.expire_all()
        assert db_session.get(SearchNode, service_b.store.read_node_id()) is not None
    finally:
        returned.extensions["forum_engine"].dispose()


def test_changes_committed_during_a_rebuild_reach_the_new_index(app, db_session, monkeypatch):
    """The rebuild records the rows it read before the content; what commits while it builds
    (here: while the first document is written) is applied to the new index afterwards."""
    service = get_search_service(app)
    make_thread(db_session, title="Vindkraft i Öresund", body="Vindkraftverk.", direct=True)
    during = []

    def commit_once(**kwargs):
        if not during:
            during.append(True)
            with Session(app.extensions["forum_engine"]) as other:
                other.info["search_defer_apply"] = True
                make_thread(other, title="Solceller på taket", body="Solpaneler.", direct=True)
        return build_beside(**kwargs)

    build_beside = service.store.build_beside
    monkeypatch.setattr(service.store, "build_beside", commit_once)
    service.rebuild()
    assert during
    assert "Vindkraft i Öresund" in _results(app, "vindkraft")
    assert "Solceller på taket" in _results(app, "solceller")
    assert service.pending_count() == 0


def test_rows_applied_to_an_index_a_rebuild_replaced_meanwhile_stay_pending(
    app, db_session, monkeypatch
):
    """A worker wrote the rows to the live index, then a rebuild swapped in another one before
    the worker recorded them: they must be applied again, to the new index."""
    service = get_search_service(app)
    db_session.info["search_defer_apply"] = True
    make_thread(db_session, title="Vindkraft i Öresund", body="Vindkraftverk.", direct=True)
    original = service._apply_rows

    def apply_then_swap(*args, **kwargs):
        original(*args, **kwargs)
        with service.store.build_beside():  # an empty index, swapped in as a rebuild does
            pass

    monkeypatch.setattr(service, "_apply_rows", apply_then_swap)
    assert service.apply_pending() == 0
    assert service.pending_count() == 2
    assert {row.attempts for row in db_session.exec(select(SearchOutbox))} == {0}  # no failure
    monkeypatch.undo()
    assert service.apply_pending() == 2 and service.pending_count() == 0
    assert "Vindkraft i Öresund" in _results(app, "vindkraft")
