"""Demo lessons for ``flask forum seed --demo``: one or two for each demo project, published, some
featured and marked useful (idempotent: a project that has lessons already is skipped).

Everything is marked ``is_demo`` (the pages show a "Demo content" label). The texts stay modest:
they describe well-known public facts and general experience, not measured results nobody
published.
"""

from __future__ import annotations

from sqlmodel import Session, select

from ..accounts.demo import demo_user
from ..core.queries import goals_by_number, themes_by_slug
from ..projects.demo import CLIMATE, INCLUSIVE, RESILIENT
from ..projects.models import Project
from .models import Lesson
from .service import (
    LessonInput,
    OutcomeInput,
    create_lesson,
    set_lesson_featured,
    toggle_lesson_useful,
)

# The lessons of each demo project, by the project's slug.
LESSONS = {
    "vastra-hamnen-bo01": [
        dict(
            author="member",
            featured=True,
            title="100 % lokalt förnybar energi räknat på årsbasis",
            lesson_type="technical_solution",
            theme=CLIMATE,
            language="sv",
            goals=[7, 13],
            context="Bo01 skulle visa att en tät stadsdel kan försörjas med lokalt producerad förnybar energi, "
            "räknat över ett helt år.",
            what_was_done="Ett vindkraftverk, solfångare och solceller samt värmepumpar kopplade till ett "
            "akviferlager byggdes tillsammans med energibolaget. Byggherrarna fick riktvärden "
            "för husens energianvändning i ett kvalitetsprogram.",
            results="Energisystemet byggdes enligt planen, men uppföljningar visade att flera hus använde mer "
            "energi än kvalitetsprogrammet räknade med.",
            what_worked="Att energibolaget var med från början och att hela systemet planerades för stadsdelen, "
            "inte hus för hus.",
            what_did_not_work="Riktvärdena för husen följdes inte upp tillräckligt tidigt, och de boendes "
            "vanor påverkade förbrukningen mer än väntat.",
            advice="Bestäm tidigt hur energianvändningen ska mätas och följas upp, och knyt kraven till "
            "avtalen med byggherrarna.",
            outcomes=[("Mål: lokalt förnybar energi på årsbasis", "100", "%")],
        ),
        dict(
            author="admin",
            featured=False,
            title="Grönytefaktor: grönska som krav på kvartersmark",
            lesson_type="tool",
            theme=RESILIENT,
            language="sv",
            goals=[11, 15],
            context="I en tät stadsdel konkurrerar grönska med byggrätter, och dagvattnet måste tas om hand.",
            what_was_done="Varje kvarter skulle nå en lägsta grönytefaktor, där olika ytor räknas olika: "
            "gröna tak, planteringar, vattenytor. Byggherrarna valde också gröna punkter ur en lista.",
            what_worked="Ett enkelt mått som gick att kräva i avtal och samtidigt gav frihet i utformningen.",
            what_did_not_work="Utan skötselansvar över tid försvann en del av grönskan.",
            advice="Kombinera grönytefaktorn med krav på skötsel och en uppföljning några år efter inflyttning.",
            outcomes=[],
        ),
    ],
    "klimatkontrakt-hyllie": [
        dict(
            author="admin",
            featured=True,
            title="Ett klimatkontrakt som samarbetsform mellan stad och bolag",
            lesson_type="partnership_model",
            theme=CLIMATE,
            language="sv",
            goals=[13, 17],
            context="En ny stadsdel behövde ett energisystem som ingen av parterna kunde bygga ensam.",
            what_was_done="Staden och två bolag skrev ett klimatkontrakt med gemensamma mål och en styrgrupp "
            "som träffades regelbundet.",
            results="Kontraktet gav ett gemensamt språk och en plats att lösa konflikter, men det var en "
            "avsiktsförklaring och inget juridiskt bindande avtal.",
            what_worked="Tydliga gemensamma mål och att ledningarna stod bakom kontraktet.",
            what_did_not_work="Mätbara delmål och ansvar för uppföljning saknades i början.",
            advice="Skriv in indikatorer, ansvar för uppföljning och en tidplan redan i kontraktet.",
            outcomes=[("Mål: förnybar eller återvunnen energi", "100", "%")],
        ),
    ],
    "botildenborg": [
        dict(
            author="member2",
            featured=True,
            title="Urban farming as a way into work and belonging",
            lesson_type="method",
            theme=INCLUSIVE,
            language="en",
            goals=[2, 8, 10],
            context="Many newcomers in Rosengård have farming skills but few ways to use them in Sweden.",
            what_was_done="Participants grew vegetables together, learned Swedish through the work and "
            "sold produce locally, with mentors from the neighbourhood.",
            results="Participants gained contacts, language and references that helped them look for work.",
            what_worked="Starting from skills people already had, and meeting every week in the same place.",
            what_did_not_work="Seasonal work made it hard to keep groups together through the winter.",
            advice="Plan indoor activities for the winter and involve local employers from the start.",
            outcomes=[],
        ),
    ],
    "siptex": [
        dict(
            author="admin",
            featured=False,
            title="Automated textile sorting needs buyers for every fraction",
            lesson_type="innovation",
            theme=CLIMATE,
            language="en",
            goals=[9, 12],
            context="Most discarded textiles are burned, because mixed textiles are hard to recycle.",
            what_was_done="An automated line sorts textiles by fibre and colour with near-infrared sensors, "
            "so that recyclers receive even fractions.",
            what_worked="Sorting by fibre content gave fractions that recyclers could test.",
            what_did_not_work="Sorting alone does not create demand: some fractions still lacked buyers.",
            advice="Secure agreements with recyclers for each fraction before scaling up the sorting.",
            outcomes=[],
        ),
    ],
}


def seed_demo_lessons(session: Session) -> list[str]:
    """Create the lessons of the demo projects that have none yet; return what was done."""
    themes, goals = themes_by_slug(session), goals_by_number(session)
    moderator = demo_user(session, "moderator")
    readers = [demo_user(session, k) for k in ("member", "member2", "admin")]
    created = []
    for slug, items in LESSONS.items():
        project = session.exec(select(Project).where(Project.slug == slug)).first()
        if (
            project is None
            or session.exec(select(Lesson.id).where(Lesson.project_id == project.id)).first()
        ):
            continue
        for item in items:
            writer = demo_user(session, item["author"])
            if writer is None:
                return ["Demo lessons skipped: the demo accounts are missing."]
            lesson = create_lesson(
                session=session,
                actor=writer,
                is_demo=True,
                publish=True,
                data=LessonInput(
                    project_id=project.id,
                    title=item["title"],
                    lesson_type=item["lesson_type"],
                    theme_id=themes[item["theme"]].id,
                    language=item["language"],
                    goal_ids=[goals[n].id for n in item["goals"]],
                    context=item["context"],
                    what_was_done=item["what_was_done"],
                    results=item.get("results", ""),
                    what_worked=item["what_worked"],
                    what_did_not_work=item["what_did_not_work"],
                    advice=item["advice"],
                    outcomes=[
                        OutcomeInput(label, value, unit) for label, value, unit in item["outcomes"]
                    ],
                ),
            )
            # featured ones are the most useful
            for reader in readers[: 3 if item["featured"] else 1]:
                if reader is not None and reader.id != writer.id:
                    toggle_lesson_useful(session=session, actor=reader, lesson=lesson)
            if item["featured"] and moderator is not None:
                set_lesson_featured(session=session, actor=moderator, lesson=lesson, featured=True)
        session.flush()
        created.append(project.name)
    if not created:
        return ["Demo lessons: already there."]
    return [f"Demo lessons: {', '.join(created)}."]
