"""Open data: published lessons as JSON and CSV under CC BY 4.0.

Both formats carry the licence: JSON in a top-level ``licence`` object, CSV in a ``licence``
column on every row (CSV has no place for a header note that every parser keeps), and both
responses send ``Link: <licence URL>; rel="license"``. Sections are the authors' Markdown.
"""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from sqlmodel import Session, select

from ..accounts.models import User
from ..core.licences import CC_BY_4_0
from ..core.queries import goals_of, themes_by_id
from ..projects.models import Project
from .models import LESSON_SECTIONS, LessonGoal, LessonOutcome
from .queries import LessonFilters, format_value, published_lessons_query, reply_counts

LICENCE_NAME = CC_BY_4_0.name
LICENCE_URL = CC_BY_4_0.url
LICENCE_NOTICE = (
    "Lessons from Tillsammans forum, licensed under Creative Commons Attribution 4.0 International "
    "(CC BY 4.0). Credit the author, the project and Tillsammans forum, and link to the lesson."
)
EXPORT_LIMIT = 5000
CSV_COLUMNS = (
    "id",
    "url",
    "title",
    "project",
    "project_slug",
    "municipality",
    "lesson_type",
    "theme",
    "goals",
    "language",
    *LESSON_SECTIONS,
    "outcomes",
    "links",
    "author",
    "published_at",
    "updated_at",
    "useful_count",
    "reply_count",
    "licence",
)


def lesson_records(*, session: Session, filters: LessonFilters) -> list[dict]:
    """Published lessons matching ``filters`` as plain dicts (the JSON export's ``lessons``)."""
    lessons = list(session.exec(published_lessons_query(filters).limit(EXPORT_LIMIT)))
    return records_of(session=session, lessons=lessons)


def records_of(*, session: Session, lessons: list) -> list[dict]:
    """``lessons`` (published ones: the caller chose them) as export records, in their order;
    a constant number of statements whatever their number."""
    ids = [lesson.id for lesson in lessons]
    projects = {
        p.id: p
        for p in session.exec(
            select(Project).where(Project.id.in_({lesson.project_id for lesson in lessons}))
        )
    }
    themes = themes_by_id(session)
    authors = {
        u.id: u
        for u in session.exec(
            select(User).where(
                User.id.in_({lesson.author_id for lesson in lessons if lesson.author_id})
            )
        )
    }
    goals = goals_of(session, LessonGoal, LessonGoal.lesson_id, ids)
    outcomes = defaultdict(list)
    for outcome in session.exec(
        select(LessonOutcome)
        .where(LessonOutcome.lesson_id.in_(ids))
        .order_by(LessonOutcome.position)
    ):
        outcomes[outcome.lesson_id].append(
            {"label": outcome.label, "value": outcome.value, "unit": outcome.unit}
        )
    replies = reply_counts(session=session, lessons=lessons)
    records = []
    for lesson in lessons:
        project, theme, author = (
            projects[lesson.project_id],
            themes[lesson.theme_id],
            authors.get(lesson.author_id),
        )
        records.append(
            {
                "id": lesson.id,
                "url": url_for(
                    "lessons.lesson_detail", lesson_id=lesson.id, slug=lesson.slug, _external=True
                ),
                "title": lesson.title,
                "project": {
                    "slug": project.slug,
                    "name": project.name,
                    "district": project.district,
                    "municipality": project.municipality,
                    "url": url_for("projects.project_detail", slug=project.slug, _external=True),
                },
                "lesson_type": lesson.lesson_type.value,
                "theme": theme.slug,
                "goals": [goal.number for goal in goals[lesson.id]],
                "language": lesson.language,
                "sections": {name: getattr(lesson, name) for name in LESSON_SECTIONS},
                "outcomes": outcomes[lesson.id],
                "links": lesson.link_list,
                "author": author_name(author),
                "published_at": lesson.published_at.isoformat() + "Z"
                if lesson.published_at
                else None,
                "updated_at": lesson.updated_at.isoformat() + "Z",
                "useful_count": lesson.useful_count,
                "reply_count": replies.get(lesson.id, 0),
            }
        )
    return records


def author_name(user: User | None) -> str:
    if user is None or user.deleted_at is not None:
        return "deleted user"
    return user.display_name


def as_json_document(records: list[dict]) -> dict:
    return {
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL, "notice": LICENCE_NOTICE},
        "count": len(records),
        "lessons": records,
    }


def _format_outcome(outcome: dict) -> str:
    return f"{outcome['label']}: {format_value(outcome['value'])} {outcome['unit']}".strip()


def csv_rows(records: list[dict]) -> list[list]:
    """One row per lesson in the order of ``CSV_COLUMNS``; goals, outcomes and links are joined
    with "; " (outcomes as "label: value unit")."""
    licence = f"{LICENCE_NAME} {LICENCE_URL}"
    rows = []
    for record in records:
        cells = {
            "id": record["id"],
            "url": record["url"],
            "title": record["title"],
            "project": record["project"]["name"],
            "project_slug": record["project"]["slug"],
            "municipality": record["project"]["municipality"],
            "lesson_type": record["lesson_type"],
            "theme": record["theme"],
            "goals": "; ".join(str(n) for n in record["goals"]),
            "language": record["language"],
            **record["sections"],
            "outcomes": "; ".join(_format_outcome(o) for o in record["outcomes"]),
            "links": "; ".join(record["links"]),
            "author": record["author"],
            "published_at": record["published_at"],
            "updated_at": record["updated_at"],
            "useful_count": record["useful_count"],
            "reply_count": record["reply_count"],
            "licence": licence,
        }
        rows.append([cells[column] for column in CSV_COLUMNS])
    return rows
