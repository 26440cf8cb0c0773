"""Protected discussion routes for every role: anonymous, unconfirmed, member, moderator, admin."""

from __future__ import annotations

import pytest
from sqlmodel import select

from forum.accounts.models import Role
from forum.discussions.models import Post
from tests.factories import login_as, make_thread, make_user

ROLES = ["anonymous", "unconfirmed", "member", "moderator", "admin"]
LOGIN = "login"

# (method, route, expected status per role); the thread and posts belong to somebody else.
MATRIX = [
    ("get", "/threads/new", [LOGIN, 403, 200, 200, 200]),
    ("post", "/threads/{thread}/replies", [LOGIN, 403, 303, 303, 303]),
    ("get", "/posts/{reply}/edit", [LOGIN, 403, 403, 200, 200]),
    ("post", "/posts/{reply}/edit", [LOGIN, 403, 403, 303, 303]),
    ("get", "/posts/{reply}/revisions", [LOGIN, 403, 403, 200, 200]),
    ("post", "/posts/{reply}/delete", [LOGIN, 403, 403, 403, 403]),
    ("post", "/posts/{reply}/useful", [LOGIN, 403, 303, 303, 303]),
    ("post", "/posts/{reply}/solution", [LOGIN, 403, 403, 303, 303]),
    ("post", "/threads/{thread}/solution/remove", [LOGIN, 403, 403, 303, 303]),
    ("get", "/posts/{reply}/quote", [302, 302, 302, 302, 302]),
    ("get", "/threads/{thread}-{slug}", [200, 200, 200, 200, 200]),
]


def _case_id(case):
    return f"{case[0]} {case[1]}"


@pytest.mark.parametrize("case", MATRIX, ids=_case_id)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_role_matrix(client, db_session, case, role_index):
    method, route, expected = case
    owner = make_user(db_session)
    replier = make_user(db_session)
    thread, _ = make_thread(db_session, owner, replies=[(replier, "Ett svar")])
    reply = db_session.exec(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id.desc())
    ).first()
    role = ROLES[role_index]
    if role != "anonymous":
        user = make_user(
            db_session,
            role={"moderator": Role.moderator, "admin": Role.admin}.get(role, Role.member),
            confirmed=role != "unconfirmed",
        )
        login_as(client, user)
    url = route.format(thread=thread.id, slug=thread.slug, reply=reply.id)
    data = {
        "reply-body": "Ett nytt svar",
        f"edit-{reply.id}-body": "Ändrad text",
        f"edit-{reply.id}-language": "sv",
    }
    response = getattr(client, method)(url, data=data if method == "post" else None)
    want = expected[role_index]
    if want == LOGIN:
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == want, response.get_data(as_text=True)[-800:]
