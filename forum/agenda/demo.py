"""Demo events for ``flask forum seed --demo`` (skipped when any event exists), marked
``is_demo``: the monthly "Tillsammans 2030 webinar" as a series (second Friday of the month,
12:00-13:00, online) begun six months before seeding, so that past occurrences exist, a
workshop, and a study visit to Botildenborg. Dates are relative to the day of seeding so the demo
always has something upcoming and something past."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from ..accounts.demo import demo_user
from ..clock import utcnow
from ..core.queries import goals_by_number, themes_by_slug
from ..projects.demo import CLIMATE, INCLUSIVE, RESILIENT
from ..projects.models import Project
from .models import Event
from .series import SeriesInput, create_series
from .service import EventInput, create_event, to_local

WEBINAR_SV = """Månadens webbinarium i partnerskapet **Tillsammans 2030**: en timme med ett projekt
som berättar vad det har lärt sig, och frågor från deltagarna.

- 12.00 Välkommen
- 12.05 Dagens projekt berättar
- 12.35 Frågor och samtal"""
WEBINAR_EN = """This month's webinar of the **Tillsammans 2030** partnership: one hour with a project
that tells what it has learnt, and questions from the participants."""


def _second_friday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 7)


def _month_shift(day: date, by: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + by
    return index // 12, index % 12 + 1


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def seed_demo_events(session: Session) -> list[str]:
    admin = demo_user(session, "admin")
    if admin is None or session.exec(select(Event.id)).first() is not None:
        return []
    themes, goals = themes_by_slug(session), goals_by_number(session)
    today = to_local(utcnow()).date()
    visited = session.exec(select(Project).where(Project.slug == "botildenborg")).first()

    def ids(slugs, numbers):
        return {
            "theme_ids": [themes[s].id for s in slugs if s in themes],
            "goal_ids": [goals[n].id for n in numbers if n in goals],
        }

    webinar = dict(
        kind="webinar",
        language="sv",
        title="Tillsammans 2030 webinar",
        summary=WEBINAR_SV,
        title_translation="Tillsammans 2030 webinar",
        summary_translation=WEBINAR_EN,
        online=True,
        join_url="https://meet.example.org/tillsammans-2030",
        **ids([CLIMATE, RESILIENT, INCLUSIVE], [11, 17]),
    )
    first = _second_friday(*_month_shift(today, -6))
    create_series(
        session=session,
        actor=admin,
        data=SeriesInput(
            event=EventInput(**webinar, starts_local=_at(first, 12), ends_local=_at(first, 13)),
            rule="FREQ=MONTHLY;BYDAY=2FR",
        ),
        is_demo=True,
    )
    specs = []
    workshop_day = today + timedelta(days=21)
    specs.append(
        dict(
            kind="workshop",
            language="sv",
            title="Workshop: skyfallsplan för din bostadsgård",
            summary="Vi ritar tillsammans hur regnvattnet kan tas om hand på gården, med "
            "erfarenheter från Augustenborg. Ta med en karta över er gård om ni har en.",
            starts_local=_at(workshop_day, 13),
            ends_local=_at(workshop_day, 16),
            address="Stadsbiblioteket, Kung Oscars väg 11, Malmö",
            meeting_point="Rum Kuben, plan 1",
            accessibility="Entré utan trappsteg, hörslinga i rummet, tillgänglig toalett.",
            **ids([RESILIENT], [6, 11, 13]),
        )
    )
    if visited is not None:
        visit_day = today + timedelta(days=35)
        specs.append(
            dict(
                kind="study_visit",
                language="sv",
                title="Studiebesök på Botildenborg",
                summary="En förmiddag på Botildenborg: stadsodling, grön integration och hur "
                "gården arbetar med nyanlända som vill starta företag.",
                title_translation="Study visit to Botildenborg",
                summary_translation="A morning at Botildenborg: urban farming, green "
                "integration and how the farm works with newcomers starting businesses.",
                starts_local=_at(visit_day, 9, 30),
                ends_local=_at(visit_day, 12),
                address="Botildenborgsvägen 1, Malmö",
                meeting_point="Vid växthuset",
                accessibility="Grusgångar; fråga oss om rullstolsvänlig väg.",
                project_id=visited.id,
                **ids([INCLUSIVE], [2, 8, 11]),
            )
        )
    for spec in specs:
        create_event(
            session=session, actor=admin, data=EventInput(**spec), publish=True, is_demo=True
        )
    return [f"Demo events: the monthly webinar series and {len(specs)} more on /events"]
