"""Checks shared by the moderation tests."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from forum.moderation.models import ModerationAction


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ModerationAction)).one()
