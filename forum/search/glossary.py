"""The cross-language glossary: groups of equivalent terms used to expand queries.

A query word (or two or three consecutive words) that matches a term of a group also searches the
group's other terms, weighted lower than what was typed. Matching compares Swedish-stemmed,
accent-folded forms, so "dagvattnet" finds the group of "dagvatten".
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, delete, select
from whoosh.lang import stemmer_for_language

from ..clock import utcnow
from ..domain import DomainError
from .analysis import normalise_word, words_of
from .models import GlossaryGroup, GlossaryTerm

MAX_TERMS_PER_GROUP = 12
MAX_TERM_LENGTH = 80
_stem = stemmer_for_language("sv")

# (note, [(language, term), ...]) — seeded once by `flask forum seed-glossary` / `flask forum seed`.
SEED_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Climate neutrality",
        [
            ("sv", "klimatneutral"),
            ("en", "climate neutral"),
            ("en", "net zero"),
            ("en", "carbon neutral"),
        ],
    ),
    (
        "Stormwater",
        [("sv", "dagvatten"), ("en", "stormwater"), ("en", "storm water"), ("en", "runoff")],
    ),
    ("Climate contract", [("sv", "klimatkontrakt"), ("en", "climate contract")]),
    ("Sustainability", [("sv", "hållbarhet"), ("en", "sustainability")]),
    ("Sustainable", [("sv", "hållbar"), ("en", "sustainable")]),
    (
        "Compost",
        [("sv", "kompost"), ("sv", "kompostering"), ("en", "compost"), ("en", "composting")],
    ),
    ("Food waste", [("sv", "matavfall"), ("sv", "matsvinn"), ("en", "food waste")]),
    ("Recycling", [("sv", "återvinning"), ("en", "recycling")]),
    ("Reuse", [("sv", "återbruk"), ("sv", "återanvändning"), ("en", "reuse")]),
    ("Circular economy", [("sv", "cirkulär ekonomi"), ("en", "circular economy")]),
    ("Renewable energy", [("sv", "förnybar energi"), ("en", "renewable energy")]),
    (
        "Solar panels",
        [
            ("sv", "solceller"),
            ("sv", "solpaneler"),
            ("en", "solar panels"),
            ("en", "photovoltaics"),
        ],
    ),
    ("District heating", [("sv", "fjärrvärme"), ("en", "district heating")]),
    ("Heat pump", [("sv", "värmepump"), ("en", "heat pump")]),
    ("Energy efficiency", [("sv", "energieffektivisering"), ("en", "energy efficiency")]),
    (
        "Public transport",
        [("sv", "kollektivtrafik"), ("en", "public transport"), ("en", "public transit")],
    ),
    (
        "Cycling",
        [("sv", "cykling"), ("sv", "cykel"), ("en", "cycling"), ("en", "bicycle"), ("en", "bike")],
    ),
    (
        "Cycle path",
        [("sv", "cykelväg"), ("sv", "cykelbana"), ("en", "cycle path"), ("en", "bike lane")],
    ),
    ("Car sharing", [("sv", "bilpool"), ("en", "car sharing"), ("en", "carpool")]),
    ("Electric car", [("sv", "elbil"), ("en", "electric car"), ("en", "electric vehicle")]),
    ("Emissions", [("sv", "utsläpp"), ("en", "emissions")]),
    ("Greenhouse gases", [("sv", "växthusgaser"), ("en", "greenhouse gases")]),
    ("Carbon dioxide", [("sv", "koldioxid"), ("en", "carbon dioxide"), ("en", "co2")]),
    ("Climate adaptation", [("sv", "klimatanpassning"), ("en", "climate adaptation")]),
    ("Flooding", [("sv", "översvämning"), ("en", "flooding"), ("en", "flood")]),
    ("Green roof", [("sv", "gröna tak"), ("sv", "sedumtak"), ("en", "green roof")]),
    ("Biodiversity", [("sv", "biologisk mångfald"), ("en", "biodiversity")]),
    ("Urban farming", [("sv", "stadsodling"), ("en", "urban farming"), ("en", "urban gardening")]),
    ("Allotment", [("sv", "koloniträdgård"), ("sv", "odlingslott"), ("en", "allotment")]),
    ("Rainwater", [("sv", "regnvatten"), ("en", "rainwater"), ("en", "rain water")]),
    (
        "Wastewater",
        [("sv", "avloppsvatten"), ("sv", "avlopp"), ("en", "wastewater"), ("en", "sewage")],
    ),
    ("Drinking water", [("sv", "dricksvatten"), ("en", "drinking water")]),
    ("Waste management", [("sv", "avfallshantering"), ("en", "waste management")]),
    (
        "Textile sorting",
        [
            ("sv", "textilsortering"),
            ("sv", "textilåtervinning"),
            ("en", "textile sorting"),
            ("en", "textile recycling"),
        ],
    ),
    ("Housing", [("sv", "bostad"), ("sv", "boende"), ("en", "housing")]),
    (
        "Segregation",
        [("sv", "segregation"), ("sv", "boendesegregation"), ("en", "residential segregation")],
    ),
    ("Inclusion", [("sv", "inkludering"), ("en", "inclusion")]),
    ("Public health", [("sv", "folkhälsa"), ("en", "public health")]),
    ("Municipality", [("sv", "kommun"), ("en", "municipality")]),
    ("Civil society", [("sv", "civilsamhälle"), ("en", "civil society")]),
    ("Insulation", [("sv", "isolering"), ("sv", "tilläggsisolering"), ("en", "insulation")]),
    ("Local food", [("sv", "närproducerad mat"), ("en", "local food")]),
]


def term_key(term: str) -> tuple[str, ...]:
    """The comparison form of a term: folded, Swedish-stemmed words."""
    return tuple(_stem(normalise_word(w)) for w in words_of(term))


@lru_cache(maxsize=8)
def _index_for(signature: tuple) -> dict[tuple[str, ...], list[str]]:
    """key of a term -> every other term of its groups (built from ``signature``: all terms)."""
    groups: dict[int, list[str]] = {}
    for group_id, term in signature:
        groups.setdefault(group_id, []).append(term)
    out: dict[tuple[str, ...], list[str]] = {}
    for terms in groups.values():
        for term in terms:
            others = out.setdefault(term_key(term), [])
            others.extend(t for t in terms if t != term and t not in others)
    return out


def expansions_for(session: Session, words: list[str]) -> dict[int, list[str]]:
    """For the query words (stop words removed): word position -> equivalent terms to add."""
    if not words:
        return {}
    rows = session.exec(
        select(GlossaryTerm.group_id, GlossaryTerm.term).order_by(GlossaryTerm.id)
    ).all()
    if not rows:
        return {}
    index = _index_for(tuple(rows))
    keys = [term_key(w) for w in words]
    out: dict[int, list[str]] = {}
    for start in range(len(words)):
        for size in (3, 2, 1):
            window = keys[start : start + size]
            if len(window) < size:
                continue
            found = index.get(tuple(k for part in window for k in part))
            if found:
                out.setdefault(start, []).extend(t for t in found if t not in out.get(start, []))
    return out


# -- administration (services: keyword-only, flush never commit) ---------------------------------
class GlossaryError(DomainError):
    """A glossary group that cannot be saved; the message belongs next to the terms."""

    status = 422


def parse_terms(text: str) -> list[tuple[str, str]]:
    """One term a line, optionally prefixed ``sv:`` or ``en:``: [(language, term)]. Another
    prefix, or a term longer than a glossary term may be, is refused rather than guessed at."""
    terms: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        lang, sep, rest = line.partition(":")
        prefix = lang.strip().lower()
        if sep and prefix in ("sv", "en"):
            language, term = prefix, rest
        elif sep and len(prefix) <= 3 and prefix.isascii() and prefix.isalpha():
            raise GlossaryError(
                _l(
                    "“%(prefix)s:” is not a language the glossary knows: write sv: or en:, or "
                    "nothing for Swedish.",
                    prefix=lang.strip()[:3],
                ),
                field="terms",
            )
        else:
            language, term = "sv", line
        term = " ".join(words_of(term.lower()))
        if len(term) > MAX_TERM_LENGTH:
            raise GlossaryError(
                _l("A term can have at most %(max)d characters.", max=MAX_TERM_LENGTH),
                field="terms",
            )
        if term and term not in [t for _, t in terms]:
            terms.append((language, term))
    return terms


def save_group(
    *, session: Session, actor, terms_text: str, note: str = "", group: GlossaryGroup | None = None
) -> GlossaryGroup:
    terms = parse_terms(terms_text)
    if len(terms) < 2:
        raise GlossaryError(_l("A group needs at least two different terms."), field="terms")
    if len(terms) > MAX_TERMS_PER_GROUP:
        raise GlossaryError(_l("A group can hold at most 12 terms."), field="terms")
    if group is None:
        group = GlossaryGroup(note=note.strip()[:200])
        session.add(group)
        session.flush()
    else:
        group.note = note.strip()[:200]
        group.updated_at = utcnow()
        session.execute(delete(GlossaryTerm).where(GlossaryTerm.group_id == group.id))
    for language, term in terms:
        session.add(GlossaryTerm(group_id=group.id, term=term, language=language))
    session.flush()
    return group


def delete_group(*, session: Session, actor, group: GlossaryGroup) -> None:
    session.execute(delete(GlossaryTerm).where(GlossaryTerm.group_id == group.id))
    session.delete(group)
    session.flush()


def seed_glossary(session: Session) -> int:
    """Insert the seed groups whose first term is not in the glossary yet; returns groups added."""
    existing = set(session.exec(select(GlossaryTerm.term)).all())
    added = 0
    for note, terms in SEED_GROUPS:
        if terms[0][1] in existing:
            continue
        group = GlossaryGroup(note=note)
        session.add(group)
        session.flush()
        seen: set[str] = set()
        for language, term in terms:
            if term not in seen:
                seen.add(term)
                session.add(GlossaryTerm(group_id=group.id, term=term, language=language))
        added += 1
    session.flush()
    return added


def list_groups(session: Session) -> list[tuple[GlossaryGroup, list[GlossaryTerm]]]:
    groups = session.exec(
        select(GlossaryGroup).order_by(GlossaryGroup.note, GlossaryGroup.id)
    ).all()
    terms: dict[int, list[GlossaryTerm]] = {}
    for term in session.exec(select(GlossaryTerm).order_by(GlossaryTerm.id)).all():
        terms.setdefault(term.group_id, []).append(term)
    return [(g, terms.get(g.id, [])) for g in groups]
