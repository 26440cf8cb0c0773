"""/admin/users: list, search and change roles with a confirmation step (admins only)."""

from __future__ import annotations

import pytest

from forum.accounts.models import Role
from forum.clock import utcnow
from tests.accounts_fixtures import text
from tests.factories import login_as, make_user

ROLES = [None, "member", "moderator", "admin"]


def _as(client, db_session, role):
    if role is not None:
        user = make_user(db_session, role=role, display_name=f"Acting {role}")
        login_as(client, user)
        return user
    return None


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("member", 403), ("moderator", 403), ("admin", 200)]
)
def test_user_list_role_matrix(client, db_session, role, status):
    _as(client, db_session, role)
    response = client.get("/admin/users")
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"] == "/login?next=%2Fadmin%2Fusers"


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("member", 403), ("moderator", 403), ("admin", 303)]
)
def test_role_change_role_matrix(client, db_session, role, status):
    target = make_user(db_session, display_name="Target Person")
    _as(client, db_session, role)
    confirm = client.get(f"/admin/users/{target.id}/role?role=moderator")
    assert confirm.status_code == (200 if status == 303 else status)
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "moderator"})
    assert response.status_code == status
    db_session.refresh(target)
    assert target.role == (Role.moderator if role == "admin" else Role.member)


def test_admin_menu_link_only_for_admins(client, db_session):
    admin = make_user(db_session, role="admin")
    login_as(client, admin)
    assert 'href="/admin/users"' in text(client.get("/"))
    login_as(client, make_user(db_session, role="moderator"))
    assert 'href="/admin/users"' not in text(client.get("/"))


def test_list_and_search(client, db_session):
    login_as(client, make_user(db_session, role="admin", display_name="Boss", locale="en"))
    make_user(
        db_session,
        display_name="Grace Okafor",
        email="grace@example.org",
        organisation="Odla i Rosengård",
    )
    make_user(
        db_session, display_name="Erik Johansson", email="erik@example.org", organisation="VA SYD"
    )
    make_user(db_session, display_name="Old Account", email=None, deleted_at=utcnow())
    html = text(client.get("/admin/users"))
    assert "Grace Okafor" in html and "Erik Johansson" in html and "Old Account" not in html
    assert "Accounts found: 3" in html
    for query in ("okafor", "GRACE@", "rosengård"):
        found = text(client.get("/admin/users", query_string={"q": query}))
        assert "Grace Okafor" in found and "Erik Johansson" not in found
    fragment = client.get("/admin/users?q=erik", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    assert "Erik Johansson" in text(fragment) and "Grace" not in text(fragment)
    assert "No accounts match." in text(client.get("/admin/users?q=%25_%25"))


def test_pagination(client, db_session):
    login_as(client, make_user(db_session, role="admin", locale="en"))
    for n in range(51):
        make_user(db_session, display_name=f"Person {n:02d}")
    first = text(client.get("/admin/users"))
    assert "Page 1 of 2" in first and "page=2" in first
    second = text(client.get("/admin/users?page=2"))
    assert "Page 2 of 2" in second and "Person 50" in second
    assert (
        client.get("/admin/users?page=-3").status_code == 400
    )  # like every other list: a clear 400


def test_confirmation_step_does_not_write(client, db_session):
    login_as(client, make_user(db_session, role="admin", locale="en"))
    target = make_user(db_session, display_name="Target Person")
    page = client.get(f"/admin/users/{target.id}/role?role=admin")
    assert "Change the role of Target Person from Member to Administrator?" in text(page)
    db_session.refresh(target)
    assert target.role == Role.member
    fragment = client.get(
        f"/admin/users/{target.id}/role?role=admin", headers={"HX-Request": "true"}
    )
    assert "<html" not in text(fragment) and 'id="role-confirm"' in text(fragment)


def test_admin_changes_a_role_and_sees_the_result(client, db_session):
    login_as(client, make_user(db_session, role="admin"))
    target = make_user(db_session, display_name="Target Person", role="moderator")
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "member"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/users"
    assert "Target Person är nu: Medlem." in text(client.get("/admin/users"))
    db_session.refresh(target)
    assert target.role == Role.member


def test_admin_cannot_change_own_role(client, db_session):
    admin = make_user(db_session, role="admin")
    login_as(client, admin)
    assert client.get(f"/admin/users/{admin.id}/role?role=member").status_code == 403
    assert client.post(f"/admin/users/{admin.id}/role", data={"role": "member"}).status_code == 403
    db_session.refresh(admin)
    assert admin.role == Role.admin


@pytest.mark.parametrize("query", ["?role=emperor", "", "?role="])
def test_unknown_role_is_400(client, db_session, query):
    login_as(client, make_user(db_session, role="admin"))
    target = make_user(db_session)
    assert client.get(f"/admin/users/{target.id}/role{query}").status_code == 400
    assert (
        client.post(
            f"/admin/users/{target.id}/role", data={"role": query.partition("=")[2]}
        ).status_code
        == 400
    )


def test_unknown_or_deleted_user_is_404(client, db_session):
    login_as(client, make_user(db_session, role="admin"))
    gone = make_user(db_session, email=None, deleted_at=utcnow())
    for user_id in (9999, gone.id):
        assert client.get(f"/admin/users/{user_id}/role?role=admin").status_code == 404
        assert (
            client.post(f"/admin/users/{user_id}/role", data={"role": "admin"}).status_code == 404
        )


def test_double_submit_of_a_role_change_is_harmless(client, db_session):
    login_as(client, make_user(db_session, role="admin"))
    target = make_user(db_session)
    for _ in range(2):
        assert (
            client.post(f"/admin/users/{target.id}/role", data={"role": "moderator"}).status_code
            == 303
        )
    db_session.refresh(target)
    assert target.role == Role.moderator
