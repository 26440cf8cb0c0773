"""Ids in URLs larger than the database can hold are a translated 404, never a 500."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_user

TOO_LARGE = "99999999999999999999"  # > 2**63 - 1: SQLite and PostgreSQL BIGINT cannot hold it
EN = {"Accept-Language": "en"}


@pytest.mark.parametrize(
    "path",
    [
        f"/u/{TOO_LARGE}",
        f"/u/{TOO_LARGE}-somebody",
        f"/threads/{TOO_LARGE}",
        f"/threads/{TOO_LARGE}-slug",
        f"/posts/{TOO_LARGE}",
        f"/posts/{TOO_LARGE}/edit",
        f"/posts/{TOO_LARGE}/revisions",
        f"/posts/{TOO_LARGE}/quote",
        f"/lessons/{TOO_LARGE}",
        f"/lessons/{TOO_LARGE}/edit",
        f"/mod/users/{TOO_LARGE}",
        f"/admin/users/{TOO_LARGE}/role",
        f"/invitations/{TOO_LARGE}",
        f"/admin/invitations/{TOO_LARGE}/edit",
        f"/admin/invitations/{TOO_LARGE}/send",
        f"/events/{TOO_LARGE}",
        f"/events/{TOO_LARGE}.ics",
        f"/events/{TOO_LARGE}/edit",
        f"/events/{TOO_LARGE}/cancel",
    ],
)
@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_get_with_a_too_large_id_is_a_translated_404(client, db_session, path, headers):
    login_as(client, make_user(db_session, role="admin", locale="en"))
    response = client.get(path, headers={**EN, **headers})
    assert response.status_code == 404
    # htmx gets the one sentence that goes next to the control, a browser the page
    expected = "does not exist or has been moved" if headers else "Page not found"
    assert expected in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/threads/{TOO_LARGE}/replies",
        f"/posts/{TOO_LARGE}/delete",
        f"/posts/{TOO_LARGE}/useful",
        f"/posts/{TOO_LARGE}/solution",
        f"/lessons/{TOO_LARGE}/publish",
        f"/mod/users/{TOO_LARGE}/warn",
        f"/reports/{TOO_LARGE}/withdraw",
        f"/mod/threads/{TOO_LARGE}/lock",
        f"/notifications/{TOO_LARGE}/read",
        f"/notifications/{TOO_LARGE}/open",
        f"/admin/invitations/{TOO_LARGE}/send",
        f"/events/{TOO_LARGE}/edit",
        f"/events/{TOO_LARGE}/cancel",
    ],
)
def test_post_with_a_too_large_id_is_a_404(client, db_session, path):
    login_as(client, make_user(db_session, role="admin", locale="en"))
    assert client.post(path, data={}, headers=EN).status_code == 404


def test_the_largest_storable_id_is_still_routed(client):
    assert client.get(f"/threads/{2**31 - 1}", headers=EN).status_code == 404
    assert client.get(f"/threads/{2**31}", headers=EN).status_code == 404
    assert client.get(f"/threads/{2**63}", headers=EN).status_code == 404
