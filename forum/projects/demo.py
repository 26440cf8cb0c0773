"""Demo projects and lessons for ``flask forum seed --demo`` (idempotent: existing slugs are skipped).

The four projects named in the forum's origin, each with one or two lessons. Everything is marked
``is_demo`` (the pages show a "Demo content" label). The texts stay modest: they describe
well-known public facts and general experience, not measured results nobody published.
"""

from __future__ import annotations

from sqlmodel import Session, select

from ..accounts.demo import demo_user
from ..core.models import Goal, Theme
from ..discussions import service as discussions
from .lessons import (
    LessonInput,
    OutcomeInput,
    create_lesson,
    set_lesson_featured,
    toggle_lesson_useful,
)
from .models import Project
from .service import PartnerInput, ProjectInput, create_project

CLIMATE, RESILIENT, INCLUSIVE = (
    "klimatneutral-framtid",
    "resilienta-halsosamma-samhallen",
    "rattvisa-inkluderande-samhallen",
)

PROJECTS = [
    {
        "author": "member",
        "project": dict(
            name="Västra Hamnen och Bo01",
            slug="vastra-hamnen-bo01",
            municipality="Malmö",
            district="Västra hamnen",
            status="ongoing",
            start_year=2001,
            summary=(
                "Det tidigare varvsområdet i Västra hamnen började byggas om till stadsdel med bomässan **Bo01** "
                "2001. Målet var att stadsdelen skulle försörjas med 100 % lokalt producerad förnybar energi, "
                "med vindkraft, solenergi och värmepumpar med akviferlager. Bo01 prövade också grönytefaktor "
                "och gröna punkter för grönska och dagvatten på kvartersmark."
            ),
            website="https://malmo.se",
            themes=[CLIMATE, RESILIENT],
            goals=[7, 11, 13],
            partners=[("Malmö stad", "public"), ("E.ON (tidigare Sydkraft)", "private")],
        ),
        "lessons": [
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
    },
    {
        "author": "admin",
        "project": dict(
            name="Klimatkontrakt Hyllie",
            slug="klimatkontrakt-hyllie",
            municipality="Malmö",
            district="Hyllie",
            status="ongoing",
            start_year=2011,
            summary=(
                "2011 skrev Malmö stad, E.ON och VA Syd ett klimatkontrakt för den nya stadsdelen Hyllie: en "
                "gemensam avsiktsförklaring om att stadsdelen ska försörjas med förnybar eller återvunnen energi "
                "och bli ett föregångsområde för smarta energisystem."
            ),
            website="https://malmo.se",
            themes=[CLIMATE],
            goals=[7, 11, 13, 17],
            partners=[("Malmö stad", "public"), ("E.ON", "private"), ("VA Syd", "public")],
        ),
        "lessons": [
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
        "thread": dict(
            author="member",
            title="Hur följer ni upp ett klimatkontrakt efter tio år?",
            body="Vi funderar på en liknande modell. Vilka indikatorer har fungerat för er i Hyllie?",
        ),
    },
    {
        "author": "member2",
        "project": dict(
            name="Botildenborg",
            slug="botildenborg",
            municipality="Malmö",
            district="Rosengård",
            status="ongoing",
            start_year=None,
            summary=(
                "Botildenborg i Rosengård kombinerar stadsodling med integration: odling, matlagning och "
                "utbildning blir en väg till arbete, språk och gemenskap för boende i området."
            ),
            website=None,
            themes=[INCLUSIVE, RESILIENT],
            goals=[2, 8, 10, 11],
            partners=[("Botildenborg", "nonprofit"), ("Malmö stad", "public")],
        ),
        "lessons": [
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
    },
    {
        "author": "admin",
        "project": dict(
            name="Siptex textilsortering",
            slug="siptex",
            municipality="Malmö",
            district="",
            status="ongoing",
            start_year=2020,
            summary=(
                "Siptex är en anläggning för automatisk sortering av textilier i Malmö, byggd i ett "
                "innovationsprojekt lett av IVL Svenska Miljöinstitutet tillsammans med partner. Sensorer "
                "sorterar kasserade textilier efter fiber och färg så att de kan återvinnas."
            ),
            website=None,
            themes=[CLIMATE],
            goals=[9, 12],
            partners=[("IVL Svenska Miljöinstitutet", "academia"), ("Sysav", "public")],
        ),
        "lessons": [
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
    },
]


def seed_demo_projects(session: Session) -> list[str]:
    """Create the demo projects and lessons that do not exist yet; return what was done."""
    themes = {t.slug: t for t in session.exec(select(Theme))}
    goals = {g.number: g for g in session.exec(select(Goal))}
    moderator, readers = (
        demo_user(session, "moderator"),
        [demo_user(session, k) for k in ("member", "member2", "admin")],
    )
    created = []
    for spec in PROJECTS:
        data = dict(spec["project"])
        if session.exec(select(Project).where(Project.slug == data["slug"])).first() is not None:
            continue
        author = demo_user(session, spec["author"])
        if author is None:
            return ["Demo projects skipped: the demo accounts are missing."]
        theme_slugs, goal_numbers, partners = (
            data.pop("themes"),
            data.pop("goals"),
            data.pop("partners"),
        )
        project = create_project(
            session=session,
            actor=author,
            is_demo=True,
            data=ProjectInput(
                **data,
                theme_ids=[themes[s].id for s in theme_slugs],
                goal_ids=[goals[n].id for n in goal_numbers],
                partners=[PartnerInput(org, kind) for org, kind in partners],
            ),
        )
        for item in spec["lessons"]:
            writer = demo_user(session, item["author"])
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
            for reader in readers[
                : 3 if item["featured"] else 1
            ]:  # featured ones are the most useful
                if reader is not None and reader.id != writer.id:
                    toggle_lesson_useful(session=session, actor=reader, lesson=lesson)
            if item["featured"] and moderator is not None:
                set_lesson_featured(session=session, actor=moderator, lesson=lesson, featured=True)
        if "thread" in spec:
            thread_spec = spec["thread"]
            thread = discussions.create_thread(
                session=session,
                actor=demo_user(session, thread_spec["author"]),
                theme=themes[theme_slugs[0]],
                title=thread_spec["title"],
                body=thread_spec["body"],
                language="sv",
            )
            thread.project_id = project.id
        session.flush()
        created.append(project.name)
    if not created:
        return ["Demo projects: already there."]
    return [f"Demo projects and lessons: {', '.join(created)}."]
