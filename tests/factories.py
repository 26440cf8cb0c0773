"""Test data builders shared by every area's tests."""

from __future__ import annotations

import itertools
import secrets

from argon2 import PasswordHasher
from sqlmodel import Session

from forum.accounts.models import Role, User
from forum.i18n import utcnow

_counter = itertools.count(1)
# Cheap parameters: tests hash many passwords; production uses argon2's defaults.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
DEFAULT_PASSWORD = "correct horse battery staple"


def make_user(
    session: Session,
    *,
    role: Role | str = Role.member,
    confirmed: bool = True,
    password: str = DEFAULT_PASSWORD,
    **fields,
) -> User:
    n = next(_counter)
    values = {
        "display_name": f"Testare {n}",
        "email": f"user{n}@example.org",
        "organisation": "Malmö stad",
        "locale": "sv",
    }
    values.update(fields)
    user = User(
        role=Role(role),
        password_hash=_fast_hasher.hash(password),
        confirmed_at=utcnow() if confirmed else None,
        session_token=secrets.token_hex(16),
        **values,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def login_as(client, user: User) -> None:
    """Log ``user`` in on Flask's test client, as flask-login would after a real login."""
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
