"""No GET route writes to the database, for any role, on the demo content."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from forum.accounts.demo import demo_user
from forum.demo import seed_demo
from tests.factories import login_as
from tests.routes import get_paths

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.mark.parametrize("role", [None, "member", "moderator", "admin"])
def test_no_get_route_writes(app, client, db_session, role):
    seed_demo(db_session)
    db_session.commit()
    if role:
        login_as(client, demo_user(db_session, role))
    paths = get_paths(app, db_session)
    assert len(paths) > 30
    writes = []

    def spy(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(WRITES):
            writes.append((current, statement.split("\n")[0]))

    engine = app.extensions["forum_engine"]
    event.listen(engine, "before_cursor_execute", spy)
    try:
        for current in paths:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(current, headers=headers)
                assert response.status_code < 500, current
            client.get(current, query_string={"page": "2", "sort": "unknown", "lang": "en"})
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert writes == []
