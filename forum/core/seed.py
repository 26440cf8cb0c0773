"""Reference data every forum needs: the three themes and the 17 SDGs (idempotent)."""

from __future__ import annotations

from sqlmodel import Session

from .models import Goal, Theme
from .queries import goals_by_number, themes_by_slug

THEMES = [
    {
        "slug": "klimatneutral-framtid",
        "name_sv": "Klimatneutral framtid",
        "name_en": "Climate-neutral future",
        "description_sv": "Energi, mobilitet, byggande och konsumtion "
        "på vägen mot nettonollutsläpp: "
        "klimatkontrakt, förnybar energi och cirkulära flöden.",
        "description_en": "Energy, mobility, construction and consumption on the way to net-zero "
        "emissions: climate contracts, renewable energy and circular flows.",
        "position": 1,
    },
    {
        "slug": "resilienta-halsosamma-samhallen",
        "name_sv": "Resilienta och hälsosamma samhällen",
        "name_en": "Resilient and healthy communities",
        "description_sv": "Klimatanpassning, dagvatten, grönska, luftkvalitet och folkhälsa: "
        "städer som klarar skyfall och hetta och där människor mår bra.",
        "description_en": "Climate adaptation, stormwater, greenery, air quality "
        "and public health: "
        "cities that cope with cloudbursts and heat and where people thrive.",
        "position": 2,
    },
    {
        "slug": "rattvisa-inkluderande-samhallen",
        "name_sv": "Rättvisa och inkluderande samhällen",
        "name_en": "Just and inclusive communities",
        "description_sv": "Delaktighet, bostäder, arbete och trygghet: en hållbar omställning "
        "som inkluderar alla stadsdelar och invånare.",
        "description_en": "Participation, housing, work and safety: a sustainable transition "
        "that includes every neighbourhood and resident.",
        "position": 3,
    },
]

# Short names and official colours of the UN SDGs.
GOALS = [
    (1, "Ingen fattigdom", "No poverty", "#E5243B"),
    (2, "Ingen hunger", "Zero hunger", "#DDA63A"),
    (3, "Hälsa och välbefinnande", "Good health and well-being", "#4C9F38"),
    (4, "God utbildning för alla", "Quality education", "#C5192D"),
    (5, "Jämställdhet", "Gender equality", "#FF3A21"),
    (6, "Rent vatten och sanitet för alla", "Clean water and sanitation", "#26BDE2"),
    (7, "Hållbar energi för alla", "Affordable and clean energy", "#FCC30B"),
    (
        8,
        "Anständiga arbetsvillkor och ekonomisk tillväxt",
        "Decent work and economic growth",
        "#A21942",
    ),
    (
        9,
        "Hållbar industri, innovationer och infrastruktur",
        "Industry, innovation and infrastructure",
        "#FD6925",
    ),
    (10, "Minskad ojämlikhet", "Reduced inequalities", "#DD1367"),
    (11, "Hållbara städer och samhällen", "Sustainable cities and communities", "#FD9D24"),
    (12, "Hållbar konsumtion och produktion", "Responsible consumption and production", "#BF8B2E"),
    (13, "Bekämpa klimatförändringarna", "Climate action", "#3F7E44"),
    (14, "Hav och marina resurser", "Life below water", "#0A97D9"),
    (15, "Ekosystem och biologisk mångfald", "Life on land", "#56C02B"),
    (
        16,
        "Fredliga och inkluderande samhällen",
        "Peace, justice and strong institutions",
        "#00689D",
    ),
    (17, "Genomförande och globalt partnerskap", "Partnerships for the goals", "#19486A"),
]


def seed_reference_data(session: Session) -> int:
    """Insert or update themes and goals. Returns how many rows changed (0 on a re-run)."""
    themes = themes_by_slug(session)
    goals = goals_by_number(session)
    changed = sum(_upsert(session, Theme, themes.get(data["slug"]), data) for data in THEMES)
    changed += sum(
        _upsert(
            session,
            Goal,
            goals.get(number),
            {"number": number, "name_sv": name_sv, "name_en": name_en, "colour": colour},
        )
        for number, name_sv, name_en, colour in GOALS
    )
    session.flush()
    return changed


def _upsert(session: Session, model, row, values: dict) -> int:
    """Add a ``model`` with ``values`` when there is no ``row`` yet, else bring ``row`` up to date;
    how many changes that made."""
    if row is None:
        session.add(model(**values))
        return 1
    changed = 0
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed += 1
    return changed
