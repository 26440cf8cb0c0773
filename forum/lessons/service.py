"""Lesson rules: write (draft or published), publish with its discussion thread, useful marks,
featuring. Keyword-only functions ``(*, session, actor, ...)`` that only ``flush``; the reads are
in ``queries``.

The discussion of a lesson is an ordinary ``Thread`` of kind ``lesson`` created through
``forum.discussions.service.create_thread`` when the lesson is published: replies, edits, useful
marks on replies and moderation are the discussions area's. Its first post is a short opening
that points back to the lesson; the lesson page shows the replies after it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import func
from sqlmodel import Session, select

from .. import events, permissions
from ..accounts.handles import mention_links, unlink_mentions
from ..clock import utcnow
from ..core.models import Theme
from ..core.queries import unknown_goal_ids
from ..discussions import service as discussions
from ..discussions.models import Thread
from ..domain import DomainError, InvalidInput, NotAllowed
from ..i18n import in_language
from ..markup import RenderBudget, plain_text, render_markdown
from ..projects.errors import UnknownProject
from ..projects.models import Project
from ..projects.service import is_http_url, touch_project
from .models import (
    LESSON_SECTIONS,
    Lesson,
    LessonGoal,
    LessonOutcome,
    LessonReaction,
    LessonRevision,
    LessonStatus,
    LessonType,
)
from .queries import lesson_goals, lesson_outcomes

# A lesson's title is also the title of its discussion thread.
TITLE_MIN, TITLE_MAX = discussions.TITLE_MIN, discussions.TITLE_MAX
SECTION_MAX = 20_000
REQUIRED_SECTIONS = ("context", "what_was_done", "advice")
LINKS_MAX, LINK_MAX = 20, 500
OUTCOMES_MAX, LABEL_MAX, UNIT_MAX = 20, 160, 40
LANGUAGES = ("sv", "en")


@dataclass
class OutcomeInput:
    label: str = ""
    value: str = ""
    unit: str = ""

    @property
    def is_blank(self) -> bool:
        return (
            not (self.label or "").strip()
            and not str(self.value or "").strip()
            and not (self.unit or "").strip()
        )


@dataclass
class LessonInput:
    project_id: int | None
    title: str
    lesson_type: str
    theme_id: int | None
    language: str = "sv"
    context: str = ""
    what_was_done: str = ""
    results: str = ""
    what_worked: str = ""
    what_did_not_work: str = ""
    advice: str = ""
    links: str = ""
    goal_ids: list[int] = field(default_factory=list)
    outcomes: list[OutcomeInput] = field(default_factory=list)


def lesson_slug(title: str) -> str:
    return slugify(title or "", max_length=80, word_boundary=True) or "lesson"


def parse_number(raw) -> float | None:
    """``-30``, ``−30``, ``1 200,5`` or ``1200.5`` -> float; None when it is not a finite number."""
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = str(raw or "").strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


# --- validation -----------------------------------------------------------------------------------
def _clean(data: LessonInput, session: Session) -> dict:
    values, problems = _check(data, session)
    if problems:
        raise problems[0]
    return values


def lesson_problems(*, session: Session, data: LessonInput) -> list[InvalidInput]:
    """Every problem with ``data`` at once, so that the form can show them all in one round."""
    return _check(data, session)[1]


def _check(data: LessonInput, session: Session) -> tuple[dict, list[InvalidInput]]:
    problems: list[InvalidInput] = []

    def attempt(clean, *args, **kwargs):
        try:
            return clean(*args, **kwargs)
        except InvalidInput as problem:
            problems.append(problem)
            return None

    project = session.get(Project, data.project_id) if data.project_id else None
    if project is None:
        problems.append(UnknownProject(field="project_id"))
    title = attempt(discussions.clean_title, data.title, error=InvalidInput)
    lesson_type = attempt(_lesson_type, data.lesson_type)
    theme = session.get(Theme, data.theme_id) if data.theme_id else None
    if theme is None:
        problems.append(InvalidInput(_l("Choose a theme."), field="theme_id"))
    if data.language not in LANGUAGES:
        problems.append(
            InvalidInput(_l("Choose the language the lesson is written in."), field="language")
        )
    sections = {}
    for name in LESSON_SECTIONS:
        text = (getattr(data, name) or "").strip()
        if name in REQUIRED_SECTIONS and not text:
            problems.append(InvalidInput(_l("This section is required."), field=name))
        elif len(text) > SECTION_MAX:
            problems.append(
                InvalidInput(_l("At most %(max)d characters.", max=SECTION_MAX), field=name)
            )
        sections[name] = text
    goal_ids = sorted({int(g) for g in data.goal_ids or ()})
    if unknown_goal_ids(session, goal_ids):
        problems.append(InvalidInput(_l("Choose goals from the list."), field="goal_ids"))
    links = attempt(_links, data.links)
    outcomes = attempt(clean_outcomes, data.outcomes)
    values = {
        "project": project,
        "title": title,
        "lesson_type": lesson_type,
        "theme_id": theme.id if theme else None,
        "language": data.language,
        "sections": sections,
        "goal_ids": goal_ids,
        "links": links,
        "outcomes": outcomes,
    }
    return values, problems


def _lesson_type(value: str) -> LessonType:
    try:
        return LessonType(value)
    except ValueError:
        raise InvalidInput(_l("Choose a lesson type from the list."), field="lesson_type") from None


def _links(text: str | None) -> str:
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > LINKS_MAX:
        raise InvalidInput(_l("At most %(max)d links.", max=LINKS_MAX), field="links")
    for link in links:
        if len(link) > LINK_MAX or not is_http_url(link):
            raise InvalidInput(
                _l("Each line must be one web address starting with http:// or https://."),
                field="links",
            )
    return "\n".join(links)


def clean_outcomes(rows) -> list[tuple[str, float, str]]:
    """Blank rows are skipped; a row with anything in it needs a label and a number."""
    cleaned = []
    for row in rows or ():
        if row.is_blank:
            continue
        label = " ".join((row.label or "").split())
        unit = " ".join((row.unit or "").split())
        value = parse_number(row.value)
        if not label:
            raise InvalidInput(_l("Each measured outcome needs a label."), field="outcomes")
        if value is None:
            raise InvalidInput(
                _l(
                    "“%(value)s” is not a number. Write the value as a number, e.g. -30 or 12.5.",
                    value=str(row.value or "")[:40],
                ),
                field="outcomes",
            )
        if len(label) > LABEL_MAX or len(unit) > UNIT_MAX:
            raise InvalidInput(
                _l(
                    "A label can have at most %(label)d characters and a unit %(unit)d.",
                    label=LABEL_MAX,
                    unit=UNIT_MAX,
                ),
                field="outcomes",
            )
        cleaned.append((label, value, unit))
    if len(cleaned) > OUTCOMES_MAX:
        raise InvalidInput(
            _l("At most %(max)d measured outcomes.", max=OUTCOMES_MAX), field="outcomes"
        )
    return cleaned


def _apply(session: Session, lesson: Lesson, values: dict) -> None:
    lesson.project_id = values["project"].id
    lesson.title, lesson.slug = values["title"], lesson_slug(values["title"])
    lesson.lesson_type, lesson.theme_id, lesson.language = (
        values["lesson_type"],
        values["theme_id"],
        values["language"],
    )
    links, budget = mention_links(session), RenderBudget()  # one budget for the whole lesson
    for name, text in values["sections"].items():
        setattr(lesson, name, text)
        html = render_markdown(text, mentions=links, field=name, budget=budget)
        setattr(lesson, f"{name}_html", html)
    lesson.links = values["links"]
    session.add(lesson)
    session.flush()
    for row in session.exec(select(LessonGoal).where(LessonGoal.lesson_id == lesson.id)):
        session.delete(row)
    for row in session.exec(select(LessonOutcome).where(LessonOutcome.lesson_id == lesson.id)):
        session.delete(row)
    session.flush()
    for goal_id in values["goal_ids"]:
        session.add(LessonGoal(lesson_id=lesson.id, goal_id=goal_id))
    for position, (label, value, unit) in enumerate(values["outcomes"]):
        session.add(
            LessonOutcome(
                lesson_id=lesson.id, position=position, label=label, value=value, unit=unit
            )
        )
    session.flush()


# --- writes ---------------------------------------------------------------------------------------
def create_lesson(
    *, session: Session, actor, data: LessonInput, publish: bool = False, is_demo: bool = False
) -> Lesson:
    """A new lesson, saved as a draft (visible to its author only) or published at once."""
    if not permissions.can_write_lesson(actor):
        raise NotAllowed()
    values = _clean(data, session)
    now = utcnow()
    lesson = Lesson(
        author_id=actor.id,
        created_at=now,
        updated_at=now,
        is_demo=is_demo,
        status=LessonStatus.draft,
        title=values["title"],
        slug="",
        theme_id=values["theme_id"],
        project_id=values["project"].id,
    )
    _apply(session, lesson, values)
    if publish:
        publish_lesson(session=session, actor=actor, lesson=lesson)
    return lesson


def lesson_fields(lesson: Lesson) -> dict:
    """The lesson's own editable columns as plain data (the edit form and the revisions)."""
    return {
        **{name: getattr(lesson, name) for name in LESSON_SECTIONS},
        "project_id": lesson.project_id,
        "title": lesson.title,
        "lesson_type": lesson.lesson_type.value,
        "theme_id": lesson.theme_id,
        "language": lesson.language,
        "links": lesson.links,
    }


def lesson_snapshot(session: Session, lesson: Lesson) -> dict:
    return {
        **lesson_fields(lesson),
        "goal_numbers": [g.number for g in lesson_goals(session=session, lesson=lesson)],
        "outcomes": [
            [o.label, o.value, o.unit] for o in lesson_outcomes(session=session, lesson=lesson)
        ],
    }


def update_lesson(
    *, session: Session, actor, lesson: Lesson, data: LessonInput, publish: bool = False
) -> Lesson:
    """Change a lesson (keeping the previous state as a revision); publish it too if asked."""
    if not permissions.can_edit_lesson(actor, lesson):
        raise NotAllowed()
    values = _clean(data, session)
    before = lesson_snapshot(session, lesson)
    old_project_id = lesson.project_id
    _apply(session, lesson, values)
    if lesson_snapshot(session, lesson) != before:
        session.add(
            LessonRevision(
                lesson_id=lesson.id,
                title=before["title"],
                edited_by_id=actor.id,
                snapshot=json.dumps(before, ensure_ascii=False),
                created_at=utcnow(),
            )
        )
        lesson.updated_at = utcnow()
        if lesson.is_published:
            _sync_thread(session, lesson, values["goal_ids"])
            touch_project(session=session, project_id=lesson.project_id)
            if old_project_id != lesson.project_id:
                touch_project(session=session, project_id=old_project_id)
    session.flush()
    if publish and not lesson.is_published:
        publish_lesson(session=session, actor=actor, lesson=lesson)
    return lesson


def _opening_post(lesson: Lesson) -> str:
    """The first post of the lesson's thread, in the lesson's language: a pointer back to it."""
    with in_language(lesson.language):
        more = gettext("Read the whole lesson")
        intro = gettext("Discussion of the lesson “%(title)s”.", title=lesson.title)
    return f"{intro}\n\n{plain_text(lesson.context, 400)}\n\n[{more}](/lessons/{lesson.id})"


def _sync_thread(session: Session, lesson: Lesson, goal_ids) -> None:
    thread = session.get(Thread, lesson.thread_id) if lesson.thread_id else None
    if thread is None:
        return
    thread.title, thread.slug = lesson.title, discussions.thread_slug(lesson.title)
    thread.theme_id, thread.project_id, thread.language = (
        lesson.theme_id,
        lesson.project_id,
        lesson.language,
    )
    discussions.set_thread_goals(session=session, thread=thread, goal_ids=goal_ids)


def publish_lesson(*, session: Session, actor, lesson: Lesson) -> Lesson:
    """Publish a draft (its author only) and open its discussion thread."""
    if not permissions.can_write_lesson(actor) or lesson.author_id != actor.id:
        raise NotAllowed()
    if lesson.is_published:
        return lesson
    now = utcnow()
    lesson.status, lesson.published_at, lesson.updated_at = LessonStatus.published, now, now
    session.flush()
    if lesson.thread_id is None:
        goal_ids = [g.id for g in lesson_goals(session=session, lesson=lesson)]
        try:
            thread = discussions.create_thread(
                session=session,
                actor=actor,
                theme=session.get(Theme, lesson.theme_id),
                title=lesson.title,
                body=_opening_post(lesson),
                language=lesson.language,
                goal_ids=goal_ids,
                kind="lesson",
            )
        except DomainError as exc:
            raise InvalidInput(exc.message) from exc
        thread.project_id = lesson.project_id
        lesson.thread_id = thread.id
    touch_project(session=session, project_id=lesson.project_id, moment=now)
    session.flush()
    events.lesson_published.send("lessons", session=session, actor=actor, lesson=lesson)
    return lesson


def toggle_lesson_useful(*, session: Session, actor, lesson: Lesson) -> bool:
    """Mark or unmark ``lesson`` as useful for ``actor``; returns whether it is marked now."""
    if not permissions.can_mark_lesson_useful(actor, lesson):
        raise NotAllowed()
    mark = session.exec(
        select(LessonReaction).where(
            LessonReaction.lesson_id == lesson.id, LessonReaction.user_id == actor.id
        )
    ).first()
    if mark is None:
        session.add(LessonReaction(lesson_id=lesson.id, user_id=actor.id))
    else:
        session.delete(mark)
    session.flush()
    lesson.useful_count = session.exec(
        select(func.count())
        .select_from(LessonReaction)
        .where(LessonReaction.lesson_id == lesson.id)
    ).one()
    session.flush()
    return mark is None


def set_lesson_featured(*, session: Session, actor, lesson: Lesson, featured: bool) -> Lesson:
    if not permissions.can_feature_lesson(actor, lesson):
        raise NotAllowed()
    newly = bool(featured) and not lesson.featured
    lesson.featured = bool(featured)
    session.flush()
    if newly:
        events.lesson_featured.send("lessons", session=session, actor=actor, lesson=lesson)
    return lesson


@events.account_deleted.connect
def _unlink_mentions(sender, *, session: Session, user, handle: str | None) -> None:
    if not handle:
        return
    unlink_mentions(session, Lesson, {name: f"{name}_html" for name in LESSON_SECTIONS}, handle)
