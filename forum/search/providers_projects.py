"""Search providers for projects and lessons (the models of ``forum.projects`` and
``forum.lessons``).

A project is public unless a moderator hid it; a lesson only once published and not hidden
(drafts are never indexed), and the replies in a lesson's discussion thread follow the lesson.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import Select

from ..core.queries import goals_of, themes_by_id
from ..language import detect_language
from ..lessons.models import LESSON_SECTIONS, Lesson, LessonGoal, LessonStatus
from ..projects.models import Project, ProjectGoal, ProjectPartner, ProjectTheme
from .documents import (
    LINKS,
    Provider,
    ThreadOwner,
    document,
    moment_fields,
    public_text,
    register,
    register_thread_owner,
    text_fields,
)


def _themes(session: Session) -> dict[int, str]:
    return {theme_id: theme.slug for theme_id, theme in themes_by_id(session).items()}


# (session, ids) -> {id: the row's document, or None when it is not public}
Documents = Callable[[Session, list[int]], dict[int, dict | None]]


def _applier(entity: str, documents: Documents):
    """A provider's ``apply``: the document of each changed row replaced (dropped if not public)."""

    def apply(session: Session, writer, ids: list[int], done: set[str]) -> None:
        ids = [i for i in ids if f"{entity}:{i}" not in done]
        done.update(f"{entity}:{i}" for i in ids)
        for row_id, doc in documents(session, ids).items():
            writer.delete_by_term("group", f"{entity}:{row_id}")
            if doc:
                writer.add_document(**doc)

    return apply


def _all_documents(documents: Documents, public: Select):
    """A provider's ``iter_documents``: the documents of every public row, 200 rows at a time."""

    def iter_documents(session: Session) -> Iterator[dict]:
        ids = list(session.exec(public).all())
        for start in range(0, len(ids), 200):
            yield from (d for d in documents(session, ids[start : start + 200]).values() if d)

    return iter_documents


# -- lessons ------------------------------------------------------------------------------------
_PUBLIC_LESSON = (Lesson.status == LessonStatus.published, Lesson.hidden_at.is_(None))


def lesson_documents(session: Session, ids: list[int]) -> dict[int, dict | None]:
    lessons = session.exec(select(Lesson).where(Lesson.id.in_(ids), *_PUBLIC_LESSON)).all()
    goals = goals_of(session, LessonGoal, LessonGoal.lesson_id, [lesson.id for lesson in lessons])
    themes = _themes(session)
    out: dict[int, dict | None] = dict.fromkeys(ids)
    for lesson in lessons:
        body = "\n\n".join(
            public_text(getattr(lesson, f"{section}_html")) for section in LESSON_SECTIONS
        )
        out[lesson.id] = document(
            key=f"lesson:{lesson.id}",
            group=f"lesson:{lesson.id}",
            kind="lesson",
            author=str(lesson.author_id or ""),
            **moment_fields(lesson.published_at or lesson.created_at),
            theme=themes.get(lesson.theme_id),
            project=str(lesson.project_id),
            sdg=",".join(str(goal.number) for goal in goals[lesson.id]),
            **text_fields(lesson.language, lesson.title, body),
        )
    return out


def _public_lesson_threads() -> Select:
    return select(Lesson.thread_id).where(*_PUBLIC_LESSON, Lesson.thread_id.is_not(None))


def _count(model, *conditions):
    return lambda session: session.exec(
        select(func.count()).select_from(model).where(*conditions)
    ).one()


def _visible_lessons(session: Session, ids: list[int]) -> set[int]:
    return set(session.exec(select(Lesson.id).where(Lesson.id.in_(ids), *_PUBLIC_LESSON)).all())


def _lesson_cascades(lesson: Lesson) -> list[tuple[str, int]]:
    return [("thread", lesson.thread_id)] if lesson.thread_id else []


# -- projects -----------------------------------------------------------------------------------
def project_documents(session: Session, ids: list[int]) -> dict[int, dict | None]:
    projects = session.exec(
        select(Project).where(Project.id.in_(ids), Project.hidden_at.is_(None))
    ).all()
    found = [p.id for p in projects]
    goals = goals_of(session, ProjectGoal, ProjectGoal.project_id, found)
    themes = _themes(session)
    first_theme: dict[int, int] = {}
    for project_id, theme_id in session.exec(
        select(ProjectTheme.project_id, ProjectTheme.theme_id)
        .where(ProjectTheme.project_id.in_(found))
        .order_by(ProjectTheme.theme_id)
    ).all():
        first_theme.setdefault(project_id, theme_id)
    partners: dict[int, list[str]] = {}
    for partner in session.exec(
        select(ProjectPartner).where(ProjectPartner.project_id.in_(found))
    ).all():
        partners.setdefault(partner.project_id, []).append(partner.organisation)
    out: dict[int, dict | None] = dict.fromkeys(ids)
    for project in projects:
        summary = public_text(project.summary_html)
        body = " ".join(
            [project.district, project.municipality, summary, *partners.get(project.id, [])]
        )
        lang = detect_language(summary) or "sv"
        out[project.id] = document(
            key=f"project:{project.id}",
            group=f"project:{project.id}",
            kind="project",
            **moment_fields(project.created_at),
            theme=themes.get(first_theme.get(project.id)),
            project=str(project.id),
            sdg=",".join(str(goal.number) for goal in goals[project.id]),
            **text_fields(lang, project.name, body),
        )
    return out


register(
    Provider(
        entity="lesson",
        model=Lesson,
        apply=_applier("lesson", lesson_documents),
        iter_documents=_all_documents(lesson_documents, select(Lesson.id).where(*_PUBLIC_LESSON)),
        visible=_visible_lessons,
        cascades=_lesson_cascades,
        count=_count(Lesson, *_PUBLIC_LESSON),
        watched=frozenset(
            {
                "title",
                "theme_id",
                "language",
                "status",
                "author_id",
                "project_id",
                "published_at",
                "hidden_at",
                *LESSON_SECTIONS,
            }
        ),
    )
)
register(
    Provider(
        entity="project",
        model=Project,
        apply=_applier("project", project_documents),
        iter_documents=_all_documents(
            project_documents, select(Project.id).where(Project.hidden_at.is_(None))
        ),
        visible=lambda session, ids: set(
            session.exec(
                select(Project.id).where(Project.id.in_(ids), Project.hidden_at.is_(None))
            ).all()
        ),
        watched=frozenset(
            {"name", "district", "municipality", "summary", "created_at", "hidden_at"}
        ),
        count=_count(Project, Project.hidden_at.is_(None)),
    )
)
register_thread_owner(ThreadOwner(kind="lesson", public_thread_ids=_public_lesson_threads))
LINKS[LessonGoal] = ("lesson", "lesson_id")
LINKS[ProjectGoal] = ("project", "project_id")
LINKS[ProjectTheme] = ("project", "project_id")
LINKS[ProjectPartner] = ("project", "project_id")
