"""The user administration: administrators find accounts and change their role."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from .. import events, permissions
from ..domain import NotAllowed
from .models import Role, User


def set_role(*, session: Session, actor: User, user: User, role: Role | str) -> User:
    """Give ``user`` another role; a real change is announced as ``user_role_changed``."""
    if not permissions.can_change_role(actor, user) or not user.is_active:
        raise NotAllowed()
    before = user.role
    user.role = Role(role)
    session.flush()
    if user.role != before:  # accountable like every moderation action: moderation listens
        events.user_role_changed.send(
            "accounts",
            session=session,
            actor=actor,
            user=user,
            before=Role(before).value,
            after=user.role.value,
        )
    return user


def search_users(
    *, session: Session, actor: User, query: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[User], int]:
    """Admins only: accounts (not deleted) whose name, e-mail or organisation contains ``query``."""
    if not permissions.can_manage_users(actor):
        raise NotAllowed()
    statement = select(User).where(User.deleted_at.is_(None))
    query = (query or "").strip().lower()
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(
            func.lower(User.display_name).like(pattern, escape="\\")
            | func.lower(User.email).like(pattern, escape="\\")
            | func.lower(func.coalesce(User.organisation, "")).like(pattern, escape="\\")
        )
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    users = session.exec(
        statement.order_by(User.display_name, User.id).offset(offset).limit(limit)
    ).all()
    return list(users), total
