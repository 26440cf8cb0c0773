"""Demo projects for ``flask forum seed --demo`` (idempotent: existing slugs are skipped).

The four projects named in the forum's origin (their lessons are in ``forum.lessons.demo``), and a
discussion thread that names one of them. Everything is marked
``is_demo`` (the pages show a "Demo content" label). The texts stay modest: they describe
well-known public facts and general experience, not measured results nobody published.
"""

from __future__ import annotations

from sqlmodel import Session, select

from ..accounts.demo import demo_user
from ..core.queries import goals_by_number, themes_by_slug
from ..discussions import service as discussions
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
    },
]


def seed_demo_projects(session: Session) -> list[str]:
    """Create the demo projects that do not exist yet; return what was done."""
    themes, goals = themes_by_slug(session), goals_by_number(session)
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
    return [f"Demo projects: {', '.join(created)}."]
