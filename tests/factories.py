"""Test data builders shared by every area's tests: users, themes and goals, threads and replies,
projects and lessons. Keyword arguments name what a test needs to differ from the defaults."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterable

from argon2 import PasswordHasher
from slugify import slugify
from sqlmodel import Session, select

from forum.accounts import handles
from forum.accounts.logins import open_login
from forum.accounts.models import Role, User
from forum.clock import utcnow
from forum.core.models import Goal, Theme
from forum.discussions import service as discussions
from forum.discussions.models import Post, Thread
from forum.lessons import service as lessons
from forum.lessons.models import Lesson, LessonStatus
from forum.lessons.service import LessonInput, OutcomeInput
from forum.markup import render_markdown
from forum.moderation import reports
from forum.moderation.models import Report
from forum.projects import service as projects
from forum.projects.models import Project
from forum.projects.service import PartnerInput, ProjectInput

_counter = itertools.count(1)
# Cheap parameters: tests hash many passwords; production uses argon2's defaults.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
DEFAULT_PASSWORD = "correct horse battery staple"


# --- people -------------------------------------------------------------------------------------
def make_user(
    session: Session,
    *,
    role: Role | str = Role.member,
    confirmed: bool = True,
    password: str = DEFAULT_PASSWORD,
    **fields,
) -> User:
    n = next(_counter)
    values = {
        "display_name": f"Testare {n}",
        "email": f"user{n}@example.org",
        "organisation": "Malmö stad",
        "locale": "sv",
    }
    values.update(fields)
    if "handle" not in values and not values.get("deleted_at"):
        values["handle"] = handles.available_handle(session, values["display_name"])
    user = User(
        role=Role(role),
        password_hash=_fast_hasher.hash(password),
        confirmed_at=utcnow() if confirmed else None,
        session_token=secrets.token_hex(16),
        **values,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def login_as(client, user: User) -> None:
    """Log ``user`` in on Flask's test client, as a real login would: a login recorded in the
    database (forum/accounts/logins.py), its key in the session."""
    with Session(client.application.extensions["forum_engine"]) as session:
        key = open_login(session=session, user=user)
        session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = key
        sess["_fresh"] = True


def client_as(app, user: User):
    """A test client of its own for ``app``, logged in as ``user``."""
    client = app.test_client()
    login_as(client, user)
    return client


# --- reference data (seeded by the migrations) -------------------------------------------------
def themes(session: Session) -> list[Theme]:
    return list(session.exec(select(Theme).order_by(Theme.position)))


def theme(session: Session, position: int = 1) -> Theme:
    return session.exec(select(Theme).where(Theme.position == position)).one()


def goal(session: Session, number: int) -> Goal:
    return session.exec(select(Goal).where(Goal.number == number)).one()


# --- threads and replies ------------------------------------------------------------------------
def make_thread(
    session: Session,
    author: User | None = None,
    title: str = "Dagvatten i Västra Hamnen",
    body: str = "Hur hanterar ni skyfall och dagvatten?",
    *,
    theme: Theme | None = None,
    language: str | None = None,
    goal_ids=(),
    replies: int | Iterable[tuple[User, str]] = 0,
    direct: bool = False,
    commit: bool = True,
    **fields,
) -> tuple[Thread, list[Post]]:
    """A thread by ``author`` (a new member if None) and its posts, oldest first.

    ``replies`` is a number of replies by new members, or (replier, body) pairs. The discussions
    service writes it, with its rules and approval; ``direct=True`` writes the rows straight
    through the models instead, which the search tests use to show that the index follows any
    flush. ``fields`` are thread columns set on the new thread (``created_at``, ``hidden_at``...).
    """
    author = author or make_user(session)
    theme = theme or themes(session)[0]
    if direct:
        thread = _direct_thread(session, author, title, body, theme, language or "sv", fields)
    else:
        thread = discussions.create_thread(
            session=session,
            actor=author,
            theme=theme,
            title=title,
            body=body,
            language=language,
            goal_ids=goal_ids,
        )
        for name, value in fields.items():
            setattr(thread, name, value)
    if isinstance(replies, int):
        replies = [
            (make_user(session), f"Svar nummer {n + 1} om solceller") for n in range(replies)
        ]
    for replier, text in replies:
        make_reply(session, thread, replier, text, direct=direct, commit=False)
    session.flush()
    if commit:
        session.commit()
    return thread, _posts_of(session, thread)


def _direct_thread(session, author, title, body, theme, language, fields) -> Thread:
    values = {"slug": slugify(title)[:200] or "trad", **fields}
    thread = Thread(
        theme_id=theme.id, title=title, author_id=author.id, language=language, **values
    )
    session.add(thread)
    session.flush()
    post = Post(
        thread_id=thread.id,
        author_id=author.id,
        body=body,
        body_html=render_markdown(body),
        language=language,
    )
    session.add(post)
    session.flush()
    thread.post_count, thread.last_post_id = 1, post.id
    return thread


def make_reply(
    session: Session,
    thread: Thread,
    author: User,
    body: str,
    *,
    language: str | None = None,
    direct: bool = False,
    commit: bool = True,
) -> Post:
    """A reply, through the discussions service or (``direct=True``) straight through the
    models, as in :func:`make_thread`."""
    if direct:
        post = Post(
            thread_id=thread.id,
            author_id=author.id,
            body=body,
            body_html=render_markdown(body),
            language=language or "sv",
        )
        session.add(post)
        thread.post_count += 1
    else:
        post = discussions.reply(
            session=session, actor=author, thread=thread, body=body, language=language
        )
    if commit:
        session.commit()
    return post


def _posts_of(session: Session, thread: Thread) -> list[Post]:
    return list(session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)))


# --- projects and lessons (their services need an app context: they translate) ----------------
def project_input(session: Session, **overrides) -> ProjectInput:
    values = dict(
        name="Västra Hamnen",
        municipality="Malmö",
        district="Västra hamnen",
        status="completed",
        start_year=1998,
        end_year=2001,
        summary="Bo01 *housing expo*.",
        website="https://malmo.se/vastrahamnen",
        theme_ids=[theme(session).id],
        goal_ids=[goal(session, 7).id, goal(session, 11).id],
        partners=[
            PartnerInput("Malmö stad", "public"),
            PartnerInput("", "private"),
            PartnerInput("E.ON", "private"),
        ],
    )
    values.update(overrides)
    return ProjectInput(**values)


def lesson_input(session: Session, project: Project, **overrides) -> LessonInput:
    values = dict(
        project_id=project.id,
        title="Local renewable energy at district scale",
        lesson_type="technical_solution",
        theme_id=theme(session).id,
        language="en",
        context="A new district on old industrial land.",
        what_was_done="Wind, solar and aquifer storage were combined.",
        advice="Plan the energy system early.",
        results="The district ran on local renewable energy.",
        goal_ids=[goal(session, 7).id],
        outcomes=[
            OutcomeInput("Renewable share", "100", "%"),
            OutcomeInput(),
            OutcomeInput("CO₂ per resident", "−30", "%"),
        ],
        links="https://example.org/report\n\nhttps://example.org/video",
    )
    values.update(overrides)
    return LessonInput(**values)


# A published lesson as the lesson and project page tests read it: in Swedish, with one measured
# outcome (overrides of :func:`lesson_input` for :func:`make_lesson`).
LESSON_SV = dict(
    title="Lokal förnybar energi i en hel stadsdel",
    language="sv",
    context="Gammal industrimark.",
    what_was_done="Vind och sol.",
    advice="Planera energin tidigt.",
    results="",
    links="",
    outcomes=[OutcomeInput("Förnybar andel", "100", "%")],
)


def make_project(
    session: Session, author: User | None = None, *, direct: bool = False, **overrides
) -> Project:
    """A project, committed: through the projects service with ``overrides`` of the fields of
    :func:`project_input`, or (``direct=True``) straight through the model with ``overrides`` as
    its columns, as in :func:`make_thread`."""
    author = author or make_user(session)
    if direct:
        values = {"name": "Västra Hamnen", "municipality": "Malmö", "summary": "", **overrides}
        values.setdefault("slug", slugify(values["name"]))
        project = Project(
            creator_id=author.id, summary_html=render_markdown(values["summary"]), **values
        )
        session.add(project)
    else:
        project = projects.create_project(
            session=session, actor=author, data=project_input(session, **overrides)
        )
    session.commit()
    return project


def make_lesson(
    session: Session,
    project: Project,
    author: User | None = None,
    *,
    publish: bool = True,
    direct: bool = False,
    **overrides,
) -> Lesson:
    """A lesson of ``project`` (a draft when ``publish=False``), committed.

    Through the lessons service, which also opens the lesson's discussion thread, with
    ``overrides`` of the fields of :func:`lesson_input`; or (``direct=True``) straight through
    the model, without a thread, with ``overrides`` of its title, slug, language and sections.
    """
    author = author or make_user(session)
    slug = overrides.pop("slug", None) if direct else None
    data = lesson_input(session, project, **overrides)
    if direct:
        sections = {name: getattr(data, name) for name in ("context", "what_was_done", "advice")}
        lesson = Lesson(
            project_id=project.id,
            title=data.title,
            slug=slug or lessons.lesson_slug(data.title),
            theme_id=data.theme_id,
            language=data.language,
            author_id=author.id,
            status=LessonStatus.published if publish else LessonStatus.draft,
            published_at=utcnow() if publish else None,
            **sections,
            **{f"{name}_html": render_markdown(text) for name, text in sections.items()},
        )
        session.add(lesson)
    else:
        lesson = lessons.create_lesson(session=session, actor=author, data=data, publish=publish)
    session.commit()
    return lesson


def make_project_with_lesson(
    session: Session, author: User | None = None, *, name: str = "Solparken i Lund"
) -> tuple[Project, Lesson]:
    """A project and one published Swedish lesson of it, both by ``author`` (a new member if
    None), as the moderation tests hide, report and restore them."""
    author = author or make_user(session)
    project = make_project(
        session,
        author,
        name=name,
        municipality="Lund",
        district="Brunnshög",
        status="ongoing",
        start_year=None,
        end_year=None,
        website="",
        summary="En solpark på kommunens mark.",
        goal_ids=[goal(session, 7).id],
        partners=[],
    )
    lesson = make_lesson(
        session,
        project,
        author,
        title="Solpark med andelsägande",
        lesson_type="financing_model",
        language="sv",
        context="Invånarna ville äga energin.",
        what_was_done="Andelar såldes till invånarna.",
        advice="Börja med en liten första etapp.",
        results="",
        links="",
        outcomes=[],
    )
    return project, lesson


# --- reports -----------------------------------------------------------------------------------
def make_report(
    session: Session, item_type: str, item_id: int, *, reason: str = "spam", comment: str = ""
) -> Report:
    """A report of a post, lesson or project by a new member, through the moderation service
    (not committed). Its rules translate their messages: call it inside a request context."""
    return reports.file_report(
        session=session,
        actor=make_user(session),
        item_type=item_type,
        item_id=item_id,
        reason=reason,
        comment=comment,
    )


# --- the fields of the project and lesson forms, as a browser posts them ------------------------
def project_form(session, **overrides) -> dict:
    data = {
        "name": "Hyllie klimatkontrakt",
        "slug": "",
        "municipality": "Malmö",
        "district": "Hyllie",
        "status": "ongoing",
        "start_year": "2011",
        "end_year": "",
        "summary": "Ett **klimatkontrakt**.",
        "website": "https://malmo.se/hyllie",
        "contact_name": "",
        "theme_ids": [str(theme(session).id)],
        "goal_ids": [str(goal(session, 7).id), str(goal(session, 13).id)],
        "partners-0-organisation": "Malmö stad",
        "partners-0-actor_type": "public",
        "partners-1-organisation": "E.ON",
        "partners-1-actor_type": "private",
        "partners-2-organisation": "",
        "partners-2-actor_type": "public",
        "action": "save",
    }
    data.update(overrides)
    return data


def lesson_form(session, project, **overrides) -> dict:
    data = {
        "project_id": str(project.id),
        "title": "Ett klimatkontrakt mellan stad och företag",
        "lesson_type": "partnership_model",
        "theme_id": str(theme(session).id),
        "language": "sv",
        "goal_ids": [str(goal(session, 13).id)],
        "context": "Hyllie skulle bli ett klimatsmart område.",
        "what_was_done": "Staden och bolagen skrev ett kontrakt.",
        "results": "Gemensamma mål.",
        "what_worked": "Tydliga roller.",
        "what_did_not_work": "Uppföljningen.",
        "advice": "Bestäm uppföljningen från början.",
        "links": "https://malmo.se/hyllie",
        "outcomes-0-label": "Förnybar energi",
        "outcomes-0-value": "100",
        "outcomes-0-unit": "%",
        "outcomes-1-label": "",
        "outcomes-1-value": "",
        "outcomes-1-unit": "",
        "action": "save",
    }
    data.update(overrides)
    return data
