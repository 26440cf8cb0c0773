"""Series of events, the organisers of events and series, and the edit history of both.

``EventSeries``
    What every occurrence shares (the fields of ``Event``: kind, language, text and translation,
    online link or place, project; themes, goals and organisers in link tables), the recurrence
    rule ``rule`` (an RFC 5545 RRULE such as ``FREQ=MONTHLY;BYDAY=2FR``, its end as UNTIL or
    COUNT inside it), ``first_date`` and the local wall-clock ``start_time``/``end_time`` in
    Europe/Stockholm. ``horizon`` is the last local date up to which occurrences exist as
    ``Event`` rows; a daily job moves it on.

``EventOrganiser`` / ``EventSeriesOrganiser``
    Who manages an event or a series besides moderators and admins: the author, and the
    co-organisers named on the form. An occurrence gets its series' organisers.

``EventRevision``
    One saved change of a published event (``event_id``) or of a series (``series_id``): who
    (``editor_id``), when, and ``changes``, JSON ``{field: [before, after]}`` with values as plain
    JSON (times as ISO strings in UTC, themes and goals as lists of ids).
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from ..clock import utcnow


class EventSeries(SQLModel, table=True):
    __tablename__ = "event_series"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    language: str = Field(default="sv", max_length=5)
    title: str = Field(max_length=200)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    title_translation: str | None = Field(default=None, max_length=200)
    summary_translation: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    online: bool = Field(default=False)
    join_url: str | None = Field(default=None, max_length=500)
    address: str | None = Field(default=None, max_length=300)
    meeting_point: str | None = Field(default=None, max_length=300)
    accessibility: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    project_id: int | None = Field(
        default=None, foreign_key="project.id", ondelete="SET NULL", index=True
    )
    rule: str = Field(max_length=500)
    first_date: date
    start_time: time
    end_time: time
    horizon: date | None = Field(default=None)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    is_demo: bool = Field(default=False)

    def text_in(self, language: str) -> tuple[str, str]:
        """(language, title) to show a reader of ``language``."""
        if language != self.language and self.title_translation:
            return language, self.title_translation
        return self.language, self.title


class EventSeriesTheme(SQLModel, table=True):
    __tablename__ = "event_series_theme"

    series_id: int = Field(foreign_key="event_series.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class EventSeriesGoal(SQLModel, table=True):
    __tablename__ = "event_series_goal"

    series_id: int = Field(foreign_key="event_series.id", primary_key=True, ondelete="CASCADE")
    goal_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")


class EventOrganiser(SQLModel, table=True):
    __tablename__ = "event_organiser"

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )


class EventSeriesOrganiser(SQLModel, table=True):
    __tablename__ = "event_series_organiser"

    series_id: int = Field(foreign_key="event_series.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )


class EventRevision(SQLModel, table=True):
    __tablename__ = "event_revision"
    __table_args__ = (
        Index("ix_event_revision_event", "event_id", "created_at"),
        Index("ix_event_revision_series", "series_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(default=None, foreign_key="event.id", ondelete="CASCADE")
    series_id: int | None = Field(default=None, foreign_key="event_series.id", ondelete="CASCADE")
    editor_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    changes: str = Field(sa_column=Column(Text, nullable=False))
