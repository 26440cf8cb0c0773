"""Open data: visible projects as JSON and CSV under CC BY 4.0, like the lessons' exports.

Both formats carry the licence (JSON in a top-level ``licence`` object, CSV in a ``licence``
column); the views send ``Link: <licence URL>; rel="license"``. The summary is the authors'
Markdown. The project's contact person is left out: a name a member gave for questions on the
page, not data to copy into other systems.
"""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from sqlmodel import Session, select

from ..core.licences import CC_BY_4_0
from ..core.models import Theme
from ..core.queries import goals_of
from .models import Project, ProjectGoal, ProjectPartner, ProjectTheme
from .queries import ProjectFilters, filtered_projects, project_order

LICENCE_NOTICE = (
    "Projects from Tillsammans forum, licensed under Creative Commons Attribution 4.0 "
    "International (CC BY 4.0). Credit Tillsammans forum and link to the project."
)
EXPORT_LIMIT = 5000
CSV_COLUMNS = (
    "id",
    "url",
    "slug",
    "name",
    "district",
    "municipality",
    "status",
    "start_year",
    "end_year",
    "themes",
    "goals",
    "partners",
    "summary",
    "website",
    "created_at",
    "updated_at",
    "licence",
)


def project_records(*, session: Session, filters: ProjectFilters) -> list[dict]:
    """Visible projects matching ``filters``, in the list's order, as plain dicts."""
    query = filtered_projects(filters).order_by(*project_order(filters.sort))
    return records_of(session=session, projects=list(session.exec(query.limit(EXPORT_LIMIT))))


def _stamp(moment) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def records_of(*, session: Session, projects: list[Project]) -> list[dict]:
    """``projects`` (visible ones: the caller chose them) as export records, in their order;
    a constant number of statements whatever their number."""
    ids = [project.id for project in projects]
    goals = goals_of(session, ProjectGoal, ProjectGoal.project_id, ids)
    themes, partners = defaultdict(list), defaultdict(list)
    for project_id, slug in session.exec(
        select(ProjectTheme.project_id, Theme.slug)
        .join(Theme, Theme.id == ProjectTheme.theme_id)
        .where(ProjectTheme.project_id.in_(ids))
        .order_by(Theme.position)
    ):
        themes[project_id].append(slug)
    for partner in session.exec(
        select(ProjectPartner)
        .where(ProjectPartner.project_id.in_(ids))
        .order_by(ProjectPartner.position, ProjectPartner.id)
    ):
        partners[partner.project_id].append(
            {"organisation": partner.organisation, "actor_type": partner.actor_type.value}
        )
    return [
        {
            "id": project.id,
            "url": url_for("projects.project_detail", slug=project.slug, _external=True),
            "slug": project.slug,
            "name": project.name,
            "district": project.district,
            "municipality": project.municipality,
            "status": project.status.value,
            "start_year": project.start_year,
            "end_year": project.end_year,
            "themes": themes[project.id],
            "goals": [goal.number for goal in goals[project.id]],
            "partners": partners[project.id],
            "summary": project.summary,
            "website": project.website or None,
            "created_at": _stamp(project.created_at),
            "updated_at": _stamp(project.updated_at),
        }
        for project in projects
    ]


def as_json_document(records: list[dict]) -> dict:
    return {
        "licence": {"name": CC_BY_4_0.name, "url": CC_BY_4_0.url, "notice": LICENCE_NOTICE},
        "count": len(records),
        "projects": records,
    }


def csv_rows(records: list[dict]) -> list[list]:
    """One row per project in the order of ``CSV_COLUMNS``; themes, goals and partners are
    joined with "; " (a partner as "organisation (actor type)")."""
    licence = f"{CC_BY_4_0.name} {CC_BY_4_0.url}"
    rows = []
    for record in records:
        cells = {
            **{key: record[key] for key in CSV_COLUMNS if key in record},
            "themes": "; ".join(record["themes"]),
            "goals": "; ".join(str(n) for n in record["goals"]),
            "partners": "; ".join(
                f"{p['organisation']} ({p['actor_type']})" for p in record["partners"]
            ),
            "licence": licence,
        }
        rows.append([cells[column] for column in CSV_COLUMNS])
    return rows
