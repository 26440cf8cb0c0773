"""Themes and the 17 UN Sustainable Development Goals."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


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
