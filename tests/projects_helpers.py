"""Builders shared by the project and lesson tests: service inputs, form data, a published
lesson."""

from __future__ import annotations

from sqlmodel import select

from forum.core.models import Goal, Theme
from forum.lessons import service as lesson_service
from forum.lessons.models import Lesson
from forum.lessons.service import LessonInput, OutcomeInput
from forum.projects.service import PartnerInput, ProjectInput

HX = {"HX-Request": "true"}


def theme(session, position=1) -> Theme:
    return session.exec(select(Theme).where(Theme.position == position)).one()


def goal(session, number) -> Goal:
    return session.exec(select(Goal).where(Goal.number == number)).one()


def project_input(session, **overrides) -> ProjectInput:
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


def lesson_input(session, project, **overrides) -> LessonInput:
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


def theme_id(session, position=1) -> int:
    return session.exec(select(Theme).where(Theme.position == position)).one().id


def goal_id(session, number) -> int:
    return session.exec(select(Goal).where(Goal.number == number)).one().id


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
        "theme_ids": [str(theme_id(session))],
        "goal_ids": [str(goal_id(session, 7)), str(goal_id(session, 13))],
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
        "theme_id": str(theme_id(session)),
        "language": "sv",
        "goal_ids": [str(goal_id(session, 13))],
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


def publish_lesson(app, db_session, author, project, **overrides) -> Lesson:
    values = dict(
        project_id=project.id,
        title="Lokal förnybar energi i en hel stadsdel",
        lesson_type="technical_solution",
        theme_id=theme_id(db_session),
        language="sv",
        context="Gammal industrimark.",
        what_was_done="Vind och sol.",
        advice="Planera energin tidigt.",
        goal_ids=[goal_id(db_session, 7)],
        outcomes=[lesson_service.OutcomeInput("Förnybar andel", "100", "%")],
    )
    values.update(overrides)
    with app.test_request_context("/"):
        lesson = lesson_service.create_lesson(
            session=db_session,
            actor=author,
            data=lesson_service.LessonInput(**values),
            publish=True,
        )
        db_session.commit()
    return lesson
