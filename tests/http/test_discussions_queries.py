"""The list and thread pages are built with a constant number of SQL statements (no N+1)."""

from __future__ import annotations

from tests.factories import login_as, make_thread, make_user
from tests.statements import recording


def _threads(db_session, how_many: int, replies_each: int = 0):
    return [
        make_thread(
            db_session,
            make_user(db_session, organisation=f"Organisation {n}"),
            title=f"Tråd om dagvatten {n}",
            body="Fråga",
            language="sv",
            goal_ids=[6, 11, 13],
            replies=[(make_user(db_session), f"Svar {m}") for m in range(replies_each)],
        )[0]
        for n in range(how_many)
    ]


_last: list[str] = []


def _statements_for(app, client, path) -> int:
    with recording(app.extensions["forum_engine"]) as statements:
        response = client.get(path)
    assert response.status_code == 200
    _last[:] = statements
    return len(statements)


def test_thread_page_with_30_posts_uses_as_many_statements_as_with_2(app, client, db_session):
    viewer = make_user(db_session)
    small, big = (
        _threads(db_session, 1, replies_each=1)[0],
        _threads(db_session, 1, replies_each=40)[0],
    )
    login_as(client, viewer)
    few = _statements_for(app, client, f"/threads/{small.id}-{small.slug}")
    many = _statements_for(app, client, f"/threads/{big.id}-{big.slug}")
    assert many == few, "\n".join(s[:120] for s in _last)
    assert many <= 14  # a ceiling; the equality above is the point


def test_theme_list_and_home_use_a_constant_number_of_statements(app, client, db_session):
    _threads(db_session, 2)
    few_theme = _statements_for(app, client, "/t/klimatneutral-framtid")
    few_home = _statements_for(app, client, "/")
    _threads(db_session, 30)
    assert _statements_for(app, client, "/t/klimatneutral-framtid") == few_theme
    assert _statements_for(app, client, "/t/klimatneutral-framtid?page=2") == few_theme
    assert _statements_for(app, client, "/") == few_home
    assert few_theme <= 12 and few_home <= 12  # a ceiling; the equalities above are the point
