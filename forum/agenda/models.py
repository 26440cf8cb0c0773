"""Events on the partnership's calendar.

``Event``
    ``kind`` (``KINDS``), ``language`` (sv | en) of ``title`` and ``summary`` (Markdown, with a
    sanitised ``summary_html``), an optional translation into the other language
    (``title_translation``, ``summary_translation``), ``starts_at``/``ends_at`` in naive UTC
    (``forum.clock``; entered and shown in local time), ``join_url`` for an online event or
    ``address``, ``meeting_point`` and ``accessibility`` for one at a place, ``project_id``
    (required for a study visit), ``state`` draft -> published -> cancelled, and ``sequence``,
    the iCalendar SEQUENCE, raised on every change of time, place or state so calendar programs
    replace their copy. ``is_demo`` marks demo content. Themes and SDGs are ``EventTheme`` and
    ``EventGoal`` rows. ``capacity`` (None: no limit) caps the seats; ``questions`` lists the
    keys of ``QUESTIONS`` the organisers ask at registration (comma-separated, may be empty).
    ``thread_id``: the event's discussion, a ``Thread`` of kind ``event`` (``discussion.py``).

``EventRegistration``
    One row per member and event: ``state`` registered | waitlisted | cancelled. The waitlist is
    ordered by ``queued_at`` (set when the member joins the queue, again when they come back
    after cancelling), ``answers`` holds the replies to the event's questions as JSON and is
    emptied some days after the event, ``reminded_at`` marks the 24-hour reminder as sent.

``EventRecording``
    What remains after the event: the recording (``video_url`` on a video host, or
    ``video_file``, a file the forum serves from its upload directory), the slides (link or
    file), and the captions as WebVTT text (``captions``, in ``captions_language``), which the
    event page shows as a transcript and search indexes with time codes.

``EventCalendarToken``
    A member's secret for their personal feed of the events they registered for.

An occurrence of a series (``series_models.EventSeries``) is an ordinary ``Event`` with
``series_id`` and ``recurrence_date``, the local date the rule gave it (its RECURRENCE-ID, kept
when the occurrence moves); ``occurrence_changed`` marks one edited on its own, which the series
never overwrites again.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..clock import utcnow

KINDS = ("webinar", "workshop", "seminar", "conference", "study_visit", "meeting")
STUDY_VISIT = "study_visit"
DRAFT, PUBLISHED, CANCELLED = "draft", "published", "cancelled"
REGISTERED, WAITLISTED, WITHDRAWN = "registered", "waitlisted", "cancelled"
# What an organiser may ask at registration, and nothing more (data minimisation).
QUESTIONS = ("organisation", "dietary_needs", "access_needs", "interpretation")


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_state_starts", "state", "starts_at"),
        UniqueConstraint("series_id", "recurrence_date", name="uq_event_series_occurrence"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    language: str = Field(default="sv", max_length=5)
    title: str = Field(max_length=200)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    summary_html: str = Field(sa_column=Column(Text, nullable=False))
    title_translation: str | None = Field(default=None, max_length=200)
    summary_translation: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    summary_translation_html: str | None = Field(
        default=None, sa_column=Column(Text, nullable=True)
    )
    starts_at: datetime
    ends_at: datetime
    online: bool = Field(default=False)
    join_url: str | None = Field(default=None, max_length=500)
    address: str | None = Field(default=None, max_length=300)
    meeting_point: str | None = Field(default=None, max_length=300)
    accessibility: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    project_id: int | None = Field(
        default=None, foreign_key="project.id", ondelete="SET NULL", index=True
    )
    state: str = Field(default=DRAFT, max_length=10)
    sequence: int = Field(default=0)
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    cancelled_at: datetime | None = Field(default=None)
    is_demo: bool = Field(default=False)
    capacity: int | None = Field(default=None)
    questions: str = Field(default="", max_length=200)
    # --- an occurrence of a series
    series_id: int | None = Field(
        default=None, foreign_key="event_series.id", ondelete="SET NULL", index=True
    )
    recurrence_date: date | None = Field(default=None)
    occurrence_changed: bool = Field(default=False)
    # the event's discussion (a Thread of kind "event"), opened when the event is published
    thread_id: int | None = Field(default=None, foreign_key="thread.id", ondelete="SET NULL")

    @property
    def is_draft(self) -> bool:
        return self.state == DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.state == CANCELLED

    def text_in(self, language: str) -> tuple[str, str, str]:
        """(language, title, summary_html) to show a reader of ``language``: the translation
        when the event has one in that language, the original otherwise."""
        if language != self.language and self.title_translation and self.summary_translation_html:
            return language, self.title_translation, self.summary_translation_html
        return self.language, self.title, self.summary_html


class EventTheme(SQLModel, table=True):
    __tablename__ = "event_theme"

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class EventGoal(SQLModel, table=True):
    __tablename__ = "event_goal"

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    goal_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")


class EventRegistration(SQLModel, table=True):
    __tablename__ = "event_registration"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_event_registration_event_user"),
        Index("ix_event_registration_queue", "event_id", "state", "queued_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    state: str = Field(default=REGISTERED, max_length=12)
    answers: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    queued_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    reminded_at: datetime | None = Field(default=None)


class EventRecording(SQLModel, table=True):
    __tablename__ = "event_recording"

    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    video_url: str | None = Field(default=None, max_length=500)
    video_file: str | None = Field(default=None, max_length=200)
    video_type: str | None = Field(default=None, max_length=50)
    slides_url: str | None = Field(default=None, max_length=500)
    slides_file: str | None = Field(default=None, max_length=200)
    captions: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    captions_language: str | None = Field(default=None, max_length=5)
    updated_at: datetime = Field(default_factory=utcnow)


class EventCalendarToken(SQLModel, table=True):
    """The secret in a member's personal calendar address (``/events/mine/<token>.ics``):
    made when the member first asks for the address, replaced when they ask for a new one."""

    __tablename__ = "event_calendar_token"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    token: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
