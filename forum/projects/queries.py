"""Project reads: the filtered list, one project's details, revisions and linked threads, and the
choices of the forms that name a project."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import String, case, func, or_
from sqlmodel import Session, select

from .. import permissions
from ..accounts.models import User
from ..core.models import Goal, Theme
from ..core.queries import goals_linked
from ..discussions.models import Thread
from .models import (
    Project,
    ProjectGoal,
    ProjectPartner,
    ProjectRevision,
    ProjectSlugHistory,
    ProjectStatus,
    ProjectTheme,
)

PROJECTS_PER_PAGE = 30
PROJECT_SORTS = ("name", "activity")


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass
class ProjectFilters:
    theme: Theme | None = None
    goal: Goal | None = None
    status: str | None = None
    municipality: str | None = None
    sort: str = "name"


@dataclass
class ProjectDetails:
    themes: list[Theme]
    goals: list[Goal]
    partners: list[ProjectPartner]
    contact: User | None = None
    creator: User | None = None


def project_details(*, session: Session, project: Project) -> ProjectDetails:
    themes = session.exec(
        select(Theme)
        .join(ProjectTheme, ProjectTheme.theme_id == Theme.id)
        .where(ProjectTheme.project_id == project.id)
        .order_by(Theme.position)
    ).all()
    goals = goals_linked(session, ProjectGoal, ProjectGoal.project_id, project.id)
    partners = session.exec(
        select(ProjectPartner)
        .where(ProjectPartner.project_id == project.id)
        .order_by(ProjectPartner.position)
    ).all()
    contact = session.get(User, project.contact_user_id) if project.contact_user_id else None
    creator = session.get(User, project.creator_id) if project.creator_id else None
    if contact is not None and contact.deleted_at is not None:
        contact = None
    return ProjectDetails(list(themes), list(goals), list(partners), contact, creator)


def linked_threads(
    *, session: Session, project: Project, viewer=None, limit: int = 50
) -> list[Thread]:
    """Discussion threads that name this project (hidden ones only for moderators)."""
    query = select(Thread).where(Thread.project_id == project.id, Thread.kind == "discussion")
    if not permissions.can_moderate(viewer):
        query = query.where(Thread.hidden_at.is_(None))
    return list(session.exec(query.order_by(Thread.last_post_at.desc()).limit(limit)))


def project_revisions(*, session: Session, project: Project) -> list[ProjectRevision]:
    """Earlier states, newest first."""
    return list(
        session.exec(
            select(ProjectRevision)
            .where(ProjectRevision.project_id == project.id)
            .order_by(ProjectRevision.id.desc())
        )
    )


def activity_expression():
    """The later of the project's own activity and the last post in a thread linked to it."""
    latest_thread = (
        select(func.max(Thread.last_post_at))
        .where(Thread.project_id == Project.id, Thread.hidden_at.is_(None))
        .correlate(Project)
        .scalar_subquery()
    )
    return case(
        (latest_thread > Project.last_activity_at, latest_thread),
        else_=Project.last_activity_at,
    )


def list_projects(
    *, session: Session, filters: ProjectFilters, page: int = 1, per_page: int = PROJECTS_PER_PAGE
) -> Page:
    query = filtered_projects(filters)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    query = query.order_by(*project_order(filters.sort))
    page = max(1, page)
    items = list(session.exec(query.offset((page - 1) * per_page).limit(per_page)))
    return Page(items, total, page, per_page)


def project_order(sort: str) -> tuple:
    if sort == "activity":
        return (activity_expression().desc(), Project.id.desc())
    return (func.lower(Project.name, type_=String), Project.id)


def filtered_projects(filters: ProjectFilters):
    """The visible projects ``filters`` keep, unordered: the list page's rows, the API's, the
    exports' and the dumps'."""
    query = select(Project).where(Project.hidden_at.is_(None))
    if filters.theme is not None:
        query = query.where(
            Project.id.in_(
                select(ProjectTheme.project_id).where(ProjectTheme.theme_id == filters.theme.id)
            )
        )
    if filters.goal is not None:
        query = query.where(
            Project.id.in_(
                select(ProjectGoal.project_id).where(ProjectGoal.goal_id == filters.goal.id)
            )
        )
    if filters.status:
        query = query.where(Project.status == ProjectStatus(filters.status))
    if filters.municipality:
        wanted = filters.municipality
        query = query.where(
            or_(Project.municipality == wanted, func.lower(Project.municipality) == wanted.lower())
        )
    return query


def municipality_choices(*, session: Session) -> list[str]:
    return list(
        session.exec(
            select(Project.municipality)
            .where(Project.hidden_at.is_(None))
            .distinct()
            .order_by(Project.municipality)
        )
    )


def project_choices(session: Session) -> list[tuple[str, str]]:
    """``(id, "Name (Municipality)")`` pairs sorted by name, for a thread's or lesson's project
    field."""
    rows = session.exec(
        select(Project.id, Project.name, Project.municipality).order_by(func.lower(Project.name))
    ).all()
    return [(str(pid), f"{name} ({municipality})") for pid, name, municipality in rows]


def project_slug_choices(*, session: Session) -> list[tuple[str, str]]:
    """``(slug, name)`` pairs sorted by name, for the lesson list's project filter."""
    return list(
        session.exec(
            select(Project.slug, Project.name)
            .where(Project.hidden_at.is_(None))
            .order_by(func.lower(Project.name))
        ).all()
    )


def get_project_by_slug(*, session: Session, slug: str) -> Project | None:
    return session.exec(select(Project).where(Project.slug == slug)).first()


def project_by_old_slug(*, session: Session, slug: str) -> Project | None:
    """The project that had ``slug`` before it was renamed (for a 301), or None."""
    row = session.exec(select(ProjectSlugHistory).where(ProjectSlugHistory.slug == slug)).first()
    return session.get(Project, row.project_id) if row is not None else None


def project_by_id(*, session: Session, project_id: int | None) -> Project | None:
    return session.get(Project, project_id) if project_id else None


def revision_editors(*, session: Session, revisions: list[ProjectRevision]) -> dict[int, User]:
    """The users who made ``revisions``, by id."""
    ids = {revision.edited_by_id for revision in revisions}
    return {user.id: user for user in session.exec(select(User).where(User.id.in_(ids)))}
