"""Themes and the 17 UN Sustainable Development Goals, and the columns of content a moderator can
hide."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Hideable(SQLModel):
    """Hidden by a moderator: gone from lists, exports and search; members see the reason."""

    hidden_at: datetime | None = Field(default=None, index=True)
    hidden_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    hidden_reason: str | None = Field(default=None, max_length=1000)


class Theme(SQLModel, table=True):
    __tablename__ = "theme"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name_sv: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    description_sv: str = Field(max_length=1000)
    description_en: str = Field(max_length=1000)
    position: int = Field(default=0)


class Goal(SQLModel, table=True):
    """A UN Sustainable Development Goal, numbered 1-17."""

    __tablename__ = "goal"

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True, index=True)
    name_sv: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    colour: str = Field(max_length=7)
