"""Lesson reads: one lesson's goals and outcomes, the filtered lists shared by the pages and the
open-data exports, featured lessons, and what project pages show about lessons."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from .. import permissions
from ..accounts.models import User
from ..core.models import Goal, Theme
from ..core.queries import goals_linked
from ..discussions.models import Thread
from ..projects.models import Project
from ..projects.queries import Page
from .models import Lesson, LessonGoal, LessonOutcome, LessonReaction, LessonStatus, LessonType

LESSONS_PER_PAGE = 20
LESSON_SORTS = ("useful", "newest", "discussed")


def lesson_goals(*, session: Session, lesson: Lesson) -> list[Goal]:
    return goals_linked(session, LessonGoal, LessonGoal.lesson_id, lesson.id)


def lesson_outcomes(*, session: Session, lesson: Lesson) -> list[LessonOutcome]:
    return list(
        session.exec(
            select(LessonOutcome)
            .where(LessonOutcome.lesson_id == lesson.id)
            .order_by(LessonOutcome.position)
        )
    )


def has_marked_useful(*, session: Session, user, lesson: Lesson) -> bool:
    if not permissions.is_member(user):
        return False
    return (
        session.exec(
            select(LessonReaction.id).where(
                LessonReaction.lesson_id == lesson.id, LessonReaction.user_id == user.id
            )
        ).first()
        is not None
    )


def format_value(value: float) -> str:
    """12.0 -> "12", 12.5 -> "12.5": the stored number for forms and exports (no needless ".0")."""
    return f"{float(value):.12g}"


@dataclass
class LessonFilters:
    project: Project | None = None
    theme: Theme | None = None
    goal: Goal | None = None
    lesson_type: str | None = None
    language: str | None = None
    sort: str = "useful"


def published_lessons_query(filters: LessonFilters):
    """Published lessons (never drafts nor hidden ones) matching ``filters`` in the requested
    order."""
    query = select(Lesson).where(
        Lesson.status == LessonStatus.published, Lesson.hidden_at.is_(None)
    )
    if filters.project is not None:
        query = query.where(Lesson.project_id == filters.project.id)
    if filters.theme is not None:
        query = query.where(Lesson.theme_id == filters.theme.id)
    if filters.goal is not None:
        query = query.where(
            Lesson.id.in_(select(LessonGoal.lesson_id).where(LessonGoal.goal_id == filters.goal.id))
        )
    if filters.lesson_type:
        query = query.where(Lesson.lesson_type == LessonType(filters.lesson_type))
    if filters.language:
        query = query.where(Lesson.language == filters.language)
    if filters.sort == "discussed":
        query = query.outerjoin(Thread, Thread.id == Lesson.thread_id)
    return query.order_by(*lesson_order(filters.sort))


def lesson_order(sort: str) -> tuple:
    """The order of ``sort`` (``discussed`` reads the lesson's thread, joined by the query)."""
    newest = (Lesson.published_at.desc(), Lesson.id.desc())
    if sort == "newest":
        return newest
    if sort == "discussed":
        return (func.coalesce(Thread.post_count, 0).desc(), *newest)
    return (Lesson.useful_count.desc(), *newest)


def list_lessons(
    *, session: Session, filters: LessonFilters, page: int = 1, per_page: int = LESSONS_PER_PAGE
) -> Page:
    query = published_lessons_query(filters)
    total = session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()
    page = max(1, page)
    return Page(
        list(session.exec(query.offset((page - 1) * per_page).limit(per_page))),
        total,
        page,
        per_page,
    )


def drafts_of(*, session: Session, user) -> list[Lesson]:
    if not permissions.is_member(user):
        return []
    return list(
        session.exec(
            select(Lesson)
            .where(Lesson.author_id == user.id, Lesson.status == LessonStatus.draft)
            .order_by(Lesson.updated_at.desc())
        )
    )


def _featured(*conditions):
    return (
        select(Lesson)
        .where(
            Lesson.status == LessonStatus.published,
            Lesson.featured.is_(True),
            Lesson.hidden_at.is_(None),
            *conditions,
        )
        .order_by(Lesson.useful_count.desc(), Lesson.published_at.desc())
        .limit(bindparam("limit"))
    )


# Built once (the home and theme pages run them on every load) and run with parameters.
_FEATURED = _featured()
_FEATURED_IN_THEME = _featured(Lesson.theme_id == bindparam("theme_id"))


def featured_lessons(
    *, session: Session, theme_id: int | None = None, limit: int = 3
) -> list[Lesson]:
    """Published lessons moderators featured, most useful first (optionally of one theme)."""
    statement = _FEATURED if theme_id is None else _FEATURED_IN_THEME
    return list(session.exec(statement, params={"theme_id": theme_id, "limit": limit}))


def reply_counts(*, session: Session, lessons: list[Lesson]) -> dict[int, int]:
    """Replies in each lesson's discussion (the opening post not counted), by lesson id."""
    thread_ids = {lesson.thread_id: lesson.id for lesson in lessons if lesson.thread_id}
    if not thread_ids:
        return {}
    rows = session.exec(
        select(Thread.id, Thread.post_count).where(Thread.id.in_(list(thread_ids)))
    ).all()
    return {thread_ids[tid]: max(count - 1, 0) for tid, count in rows}


def project_lessons(*, session: Session, project: Project, viewer=None) -> list[Lesson]:
    """Published lessons of the project, plus the viewer's own drafts, newest first. Hidden
    lessons only for moderators (shown greyed)."""
    visible = Lesson.status == LessonStatus.published
    if not permissions.can_moderate(viewer):
        visible = visible & Lesson.hidden_at.is_(None)
    if permissions.is_member(viewer):
        visible = visible | (
            (Lesson.author_id == viewer.id) & (Lesson.status == LessonStatus.draft)
        )
    query = select(Lesson).where(Lesson.project_id == project.id, visible)
    return list(session.exec(query.order_by(Lesson.published_at.desc(), Lesson.id.desc())))


def lesson_counts(*, session: Session, project_ids: list[int]) -> dict[int, int]:
    """Published lessons per project (for list cards)."""
    if not project_ids:
        return {}
    rows = session.exec(
        select(Lesson.project_id, func.count(Lesson.id))
        .where(
            Lesson.project_id.in_(project_ids),
            Lesson.status == LessonStatus.published,
            Lesson.hidden_at.is_(None),
        )
        .group_by(Lesson.project_id)
    ).all()
    return dict(rows)


def lesson_of_thread(*, session: Session, thread: Thread) -> Lesson | None:
    """The lesson whose discussion ``thread`` is, or None."""
    return session.exec(select(Lesson).where(Lesson.thread_id == thread.id)).first()


def projects_of(*, session: Session, lessons: list[Lesson]) -> dict[int, Project]:
    """The projects of ``lessons``, by id (for the cards of a list)."""
    ids = {lesson.project_id for lesson in lessons}
    return {p.id: p for p in session.exec(select(Project).where(Project.id.in_(ids)))}


def lesson_page(*, session: Session, lesson: Lesson, viewer) -> dict:
    """What the lesson page shows about ``lesson`` besides its discussion."""
    author = session.get(User, lesson.author_id) if lesson.author_id else None
    return {
        "lesson": lesson,
        "project": session.get(Project, lesson.project_id),
        "theme": session.get(Theme, lesson.theme_id),
        "goals": lesson_goals(session=session, lesson=lesson),
        "outcomes": lesson_outcomes(session=session, lesson=lesson),
        "author": author if author is not None and author.deleted_at is None else None,
        "marked_useful": has_marked_useful(session=session, user=viewer, lesson=lesson),
    }
