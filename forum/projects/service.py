"""Project rules: create, edit with revisions, record activity, name the project of a thread.

Keyword-only functions ``(*, session, actor, ...)``; they raise the domain errors (``forum.domain``,
``forum.projects.errors``) and only ``flush``: the view commits once. The reads are in ``queries``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import func
from sqlmodel import Session, select

from .. import events, permissions
from ..accounts import handles
from ..accounts.handles import mention_links, unlink_mentions
from ..accounts.models import ActorType, User
from ..clock import utcnow
from ..core.models import Theme
from ..core.queries import unknown_goal_ids
from ..discussions.models import Thread
from ..domain import InvalidInput, NotAllowed
from ..markup import render_markdown
from .errors import DuplicateSlug, UnknownProject
from .models import (
    Project,
    ProjectGoal,
    ProjectPartner,
    ProjectRevision,
    ProjectSlugHistory,
    ProjectStatus,
    ProjectTheme,
)
from .queries import project_details

NAME_MAX, PLACE_MAX, SLUG_MAX = 160, 120, 120
SUMMARY_MAX = 20_000
WEBSITE_MAX = 500
PARTNERS_MAX = 30
YEAR_MIN, YEAR_MAX = 1900, 2100


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
    if unknown_goal_ids(session, goal_ids):
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
    """The member named by the contact field: a handle (``@anna`` or ``anna``) or, as before
    handles existed, a display name no one else has."""
    name = " ".join((name or "").split())
    if not name:
        return None
    active = handles.mentionable()
    by_handle = handles.find_by_handle(session, name)
    if by_handle is not None and by_handle.deleted_at is None and not by_handle.is_placeholder:
        return by_handle.id
    # exact first: SQLite's lower() leaves Å, Ä and Ö alone, so "åsa" would never find "Åsa"
    users = session.exec(select(User).where(User.display_name == name, *active).limit(2)).all()
    if not users:
        users = session.exec(
            select(User).where(func.lower(User.display_name) == name.lower(), *active).limit(2)
        ).all()
    if not users:
        raise InvalidInput(_l("No forum member has that handle or name."), field="contact_name")
    if len(users) > 1:
        raise InvalidInput(
            _l("Several members have that name: give the person's handle, like @anna_andersson."),
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
    project.summary_html = render_markdown(
        values["summary"], mentions=mention_links(session), field="summary"
    )
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


def project_fields(project: Project) -> dict:
    """The project's own editable columns as plain data (the edit form and the revisions)."""
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
    }


def snapshot(session: Session, project: Project) -> dict:
    """Every editable field of ``project`` as plain JSON data (stored in revisions)."""
    details = project_details(session=session, project=project)
    return {
        **project_fields(project),
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


@events.account_deleted.connect
def _unlink_mentions(sender, *, session: Session, user, handle: str | None) -> None:
    if not handle:
        return
    unlink_mentions(session, Project, {"summary": "summary_html"}, handle)
