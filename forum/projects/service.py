"""Project rules: create, edit with revisions, list with filters, and what a project page shows.

Keyword-only functions ``(*, session, actor, ...)``; they raise ``forum.projects.errors`` and only
``flush``: the view commits once. Lessons live in ``forum.projects.lessons``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import case, func, or_
from sqlmodel import Session, select

from .. import permissions
from ..accounts.models import ActorType, User
from ..core.models import Goal, Theme
from ..discussions.models import Thread
from ..i18n import utcnow
from ..markup import render_markdown
from .errors import DuplicateSlug, InvalidInput, NotAllowed, UnknownProject
from .models import (
    Lesson,
    LessonStatus,
    Project,
    ProjectGoal,
    ProjectPartner,
    ProjectRevision,
    ProjectSlugHistory,
    ProjectStatus,
    ProjectTheme,
)

NAME_MAX, PLACE_MAX, SLUG_MAX = 160, 120, 120
SUMMARY_MAX = 20_000
WEBSITE_MAX = 500
PARTNERS_MAX = 30
YEAR_MIN, YEAR_MAX = 1900, 2100
PROJECTS_PER_PAGE = 30
PROJECT_SORTS = ("name", "activity")


@dataclass
class PartnerInput:
    organisation: str
    actor_type: str


@dataclass
class ProjectInput:
    """What a project form carries; the service checks it again."""

    name: str
    municipality: str
    district: str = ""
    slug: str = ""
    status: str = ProjectStatus.ongoing.value
    start_year: int | None = None
    end_year: int | None = None
    summary: str = ""
    website: str = ""
    contact_name: str = ""
    theme_ids: list[int] = field(default_factory=list)
    goal_ids: list[int] = field(default_factory=list)
    partners: list[PartnerInput] = field(default_factory=list)


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


def project_slug(text: str) -> str:
    return slugify(text or "", max_length=80, word_boundary=True)


def is_http_url(value: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


# --- validation -----------------------------------------------------------------------------------
def _clean(data: ProjectInput, session: Session) -> dict:
    name = " ".join((data.name or "").split())
    if not 2 <= len(name) <= NAME_MAX:
        raise InvalidInput(
            _l("The name must be between %(min)d and %(max)d characters.", min=2, max=NAME_MAX),
            field="name",
        )
    municipality = " ".join((data.municipality or "").split())
    if not 1 <= len(municipality) <= PLACE_MAX:
        raise InvalidInput(
            _l("Name the municipality (at most %(max)d characters).", max=PLACE_MAX),
            field="municipality",
        )
    district = " ".join((data.district or "").split())
    if len(district) > PLACE_MAX:
        raise InvalidInput(_l("At most %(max)d characters.", max=PLACE_MAX), field="district")
    slug = project_slug(data.slug or name)
    if not slug or len(slug) > SLUG_MAX:
        raise InvalidInput(_l("Use letters or digits in the address."), field="slug")
    try:
        status = ProjectStatus(data.status)
    except ValueError:
        raise InvalidInput(_l("Choose a status from the list."), field="status") from None
    for key, year in (("start_year", data.start_year), ("end_year", data.end_year)):
        if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
            raise InvalidInput(
                _l("Enter a year between %(min)d and %(max)d.", min=YEAR_MIN, max=YEAR_MAX),
                field=key,
            )
    if data.start_year and data.end_year and data.end_year < data.start_year:
        raise InvalidInput(_l("The end year cannot be before the start year."), field="end_year")
    summary = (data.summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise InvalidInput(_l("At most %(max)d characters.", max=SUMMARY_MAX), field="summary")
    website = (data.website or "").strip()
    if website and (len(website) > WEBSITE_MAX or not is_http_url(website)):
        raise InvalidInput(
            _l("Enter a web address starting with http:// or https://."), field="website"
        )
    theme_ids = sorted({int(t) for t in data.theme_ids or ()})
    if theme_ids and len(
        session.exec(select(Theme.id).where(Theme.id.in_(theme_ids))).all()
    ) != len(theme_ids):
        raise InvalidInput(_l("Choose themes from the list."), field="theme_ids")
    goal_ids = sorted({int(g) for g in data.goal_ids or ()})
    if goal_ids and len(session.exec(select(Goal.id).where(Goal.id.in_(goal_ids))).all()) != len(
        goal_ids
    ):
        raise InvalidInput(_l("Choose goals from the list."), field="goal_ids")
    partners = []
    for partner in data.partners or ():
        organisation = " ".join((partner.organisation or "").split())
        if not organisation:
            continue
        if len(organisation) > NAME_MAX:
            raise InvalidInput(
                _l("A partner's name can have at most %(max)d characters.", max=NAME_MAX),
                field="partners",
            )
        try:
            partners.append((organisation, ActorType(partner.actor_type)))
        except ValueError:
            raise InvalidInput(
                _l("Choose an actor type from the list."), field="partners"
            ) from None
    if len(partners) > PARTNERS_MAX:
        raise InvalidInput(_l("At most %(max)d partners.", max=PARTNERS_MAX), field="partners")
    return {
        "name": name,
        "municipality": municipality,
        "district": district,
        "slug": slug,
        "status": status,
        "start_year": data.start_year,
        "end_year": data.end_year,
        "summary": summary,
        "website": website or None,
        "contact_user_id": _contact_id(session, data.contact_name),
        "theme_ids": theme_ids,
        "goal_ids": goal_ids,
        "partners": partners,
    }


def _contact_id(session: Session, name: str | None) -> int | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    active = (User.deleted_at.is_(None), User.is_placeholder.is_(False))
    # exact first: SQLite's lower() leaves Å, Ä and Ö alone, so "åsa" would never find "Åsa"
    users = session.exec(select(User).where(User.display_name == name, *active).limit(2)).all()
    if not users:
        users = session.exec(
            select(User).where(func.lower(User.display_name) == name.lower(), *active).limit(2)
        ).all()
    if not users:
        raise InvalidInput(_l("No forum member has that name."), field="contact_name")
    if len(users) > 1:
        raise InvalidInput(
            _l("Several members have that name; ask the person to make their name unique."),
            field="contact_name",
        )
    return users[0].id


def _check_slug_free(session: Session, slug: str, project_id: int | None) -> None:
    query = select(Project.id).where(Project.slug == slug)
    if project_id is not None:
        query = query.where(Project.id != project_id)
    if session.exec(query).first() is not None:
        raise DuplicateSlug(field="slug")


def _record_slug(session: Session, project: Project, old_slug: str | None) -> None:
    """Keep ``old_slug`` as a redirect to ``project`` and free the slug the project now has."""
    for row in session.exec(
        select(ProjectSlugHistory).where(ProjectSlugHistory.slug == project.slug)
    ):
        session.delete(row)
    session.flush()
    if old_slug and old_slug != project.slug:
        session.add(ProjectSlugHistory(slug=old_slug, project_id=project.id))
        session.flush()


def _apply(session: Session, project: Project, values: dict) -> None:
    old_slug = project.slug if project.id is not None else None
    for key in (
        "name",
        "municipality",
        "district",
        "slug",
        "status",
        "start_year",
        "end_year",
        "summary",
        "website",
        "contact_user_id",
    ):
        setattr(project, key, values[key])
    project.summary_html = render_markdown(values["summary"])
    session.add(project)
    session.flush()
    _record_slug(session, project, old_slug)
    for model, key, ids in (
        (ProjectTheme, "theme_id", values["theme_ids"]),
        (ProjectGoal, "goal_id", values["goal_ids"]),
    ):
        for row in session.exec(select(model).where(model.project_id == project.id)):
            session.delete(row)
        session.flush()
        for item_id in ids:
            session.add(model(project_id=project.id, **{key: item_id}))
    for row in session.exec(select(ProjectPartner).where(ProjectPartner.project_id == project.id)):
        session.delete(row)
    session.flush()
    for position, (organisation, actor_type) in enumerate(values["partners"]):
        session.add(
            ProjectPartner(
                project_id=project.id,
                organisation=organisation,
                actor_type=actor_type,
                position=position,
            )
        )
    session.flush()


# --- writes ---------------------------------------------------------------------------------------
def create_project(
    *, session: Session, actor, data: ProjectInput, is_demo: bool = False
) -> Project:
    if not permissions.can_create_project(actor):
        raise NotAllowed()
    values = _clean(data, session)
    _check_slug_free(session, values["slug"], None)
    now = utcnow()
    project = Project(
        name=values["name"],
        slug=values["slug"],
        municipality=values["municipality"],
        creator_id=actor.id,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        is_demo=is_demo,
    )
    _apply(session, project, values)
    return project


def snapshot(session: Session, project: Project) -> dict:
    """Every editable field of ``project`` as plain JSON data (stored in revisions)."""
    details = project_details(session=session, project=project)
    return {
        "name": project.name,
        "slug": project.slug,
        "district": project.district,
        "municipality": project.municipality,
        "status": project.status.value,
        "start_year": project.start_year,
        "end_year": project.end_year,
        "summary": project.summary,
        "website": project.website,
        "contact_user_id": project.contact_user_id,
        "theme_ids": [t.id for t in details.themes],
        "goal_numbers": [g.number for g in details.goals],
        "partners": [[p.organisation, p.actor_type.value] for p in details.partners],
    }


def update_project(*, session: Session, actor, project: Project, data: ProjectInput) -> Project:
    """Change a project; the previous state is kept as a ``ProjectRevision``."""
    if not permissions.can_edit_project(actor, project):
        raise NotAllowed()
    values = _clean(data, session)
    _check_slug_free(session, values["slug"], project.id)
    before = snapshot(session, project)
    _apply(session, project, values)
    after = snapshot(session, project)
    if after == before:
        return project
    session.add(
        ProjectRevision(
            project_id=project.id,
            name=before["name"],
            summary=before["summary"],
            snapshot=json.dumps(before, ensure_ascii=False),
            edited_by_id=actor.id,
            created_at=utcnow(),
        )
    )
    project.updated_at = project.last_activity_at = utcnow()
    session.flush()
    return project


def touch_project(*, session: Session, project_id: int, moment: datetime | None = None) -> None:
    """Record activity (a lesson published or edited) for the "recent activity" sort."""
    project = session.get(Project, project_id)
    if project is not None:
        project.last_activity_at = moment or utcnow()
        session.flush()


def set_thread_project(
    *, session: Session, actor, thread: Thread, project_id: int | None
) -> Thread:
    """Name the project a discussion thread is about (or none). Its author or a moderator."""
    if not permissions.can_link_thread_project(actor, thread):
        raise NotAllowed()
    if project_id is not None and session.get(Project, project_id) is None:
        raise UnknownProject(field="project")
    thread.project_id = project_id
    session.flush()
    return thread


# --- reads ----------------------------------------------------------------------------------------
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
    goals = session.exec(
        select(Goal)
        .join(ProjectGoal, ProjectGoal.goal_id == Goal.id)
        .where(ProjectGoal.project_id == project.id)
        .order_by(Goal.number)
    ).all()
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


def project_lessons(*, session: Session, project: Project, viewer=None) -> list[Lesson]:
    """Published lessons of the project, plus the viewer's own drafts, newest first. Hidden
    lessons only for moderators (shown greyed)."""
    visible = Lesson.status == LessonStatus.published
    if not permissions.is_moderator(viewer):
        visible = visible & Lesson.hidden_at.is_(None)
    if permissions.is_member(viewer):
        visible = visible | (
            (Lesson.author_id == viewer.id) & (Lesson.status == LessonStatus.draft)
        )
    query = select(Lesson).where(Lesson.project_id == project.id, visible)
    return list(session.exec(query.order_by(Lesson.published_at.desc(), Lesson.id.desc())))


def linked_threads(
    *, session: Session, project: Project, viewer=None, limit: int = 50
) -> list[Thread]:
    """Discussion threads that name this project (hidden ones only for moderators)."""
    query = select(Thread).where(Thread.project_id == project.id, Thread.kind == "discussion")
    if not permissions.is_moderator(viewer):
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
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    if filters.sort == "activity":
        query = query.order_by(activity_expression().desc(), Project.id.desc())
    else:
        query = query.order_by(func.lower(Project.name), Project.id)
    page = max(1, page)
    items = list(session.exec(query.offset((page - 1) * per_page).limit(per_page)))
    return Page(items, total, page, per_page)


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
