"""Turning a parsed query into Whoosh queries, running it, and shaping the results.

Ranking: each query word becomes one sub-query over the Swedish and English title and body fields
(titles weigh more) plus its glossary equivalents (weighted lower than the word itself); in the
Swedish fields also its compound parts and its family's words ("invandring" for "invandrare"), all
weighed down when the word is common in Swedish at large; the sub-queries are OR-ed with a
coordination bonus, so documents that match more of the words rank higher while none is required.
Stop words are not counted. Phrases, prefixes, exclusions and filters come from
:mod:`forum.search.parsing`; a result's highlighted fragments from :mod:`forum.search.snippets`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from whoosh import query as Q

from .analysis import PART_MARK, normalise_word, split_compound
from .documents import moment_fields
from .parsing import ParsedQuery
from .swedish import general_weight, word_family

LANGS = ("sv", "en")
TITLE_BOOST = 2.5
COORDINATION = 2.0  # scale of the bonus for matching more of the query's words
SYNONYM_WEIGHT = 0.45  # glossary equivalents count less than the words typed
# Swedish compounds (compound_part_queries). A word found as a part of a compound weighs this
# share of the same word found whole, less in titles, where a whole word says most (a coarse grid
# on the labelled sets, bench/search_eval.py: 0.3 to 0.8 in titles, 0.3 to 1 in bodies):
FOUND_AS_PART = {"title": 0.4, "body": 0.5}
COMPOUND_PART_WEIGHT = 0.5  # "klimatkontrakt" typed: its parts together in a body
TITLE_PART_WEIGHT = 0.6  # "fjärrvärmepriser" typed: each part alone in a title (0.2 to 1 tried)
BODY_PART_WEIGHT = 0.2  # "svarsdag" typed: each part alone in a body (0.1 to 0.45 tried)
# The other words of a Swedish query word's family ("invandring" for "invandrare", "kostnad" for
# "kostar"; swedish.word_family) weigh this share of the word (0.3 to 0.7 tried)
FAMILY_WEIGHT = 0.7
# The kinds of documents (the type filter, in this order); higher areas add theirs (add_kind).
KINDS = ["thread", "post", "lesson", "project"]
KIND_LABELS = {
    "thread": _l("Threads"),
    "post": _l("Replies"),
    "lesson": _l("Lessons"),
    "project": _l("Projects"),
}
# the badge on one result: the singular of the label above
KIND_BADGES = {
    "thread": _l("Thread"),
    "post": _l("Reply in a thread"),  # "Reply" alone is the verb of the reply form
    "lesson": _l("Lesson"),
    "project": _l("Project"),
}
# a type as written in a query (``type:``, ``typ:``) or the form, in both languages
KIND_ALIASES = {
    "thread": "thread",
    "tråd": "thread",
    "trådar": "thread",
    "threads": "thread",
    "post": "post",
    "reply": "post",
    "svar": "post",
    "inlägg": "post",
    "posts": "post",
    "lesson": "lesson",
    "lärdom": "lesson",
    "lessons": "lesson",
    "project": "project",
    "projekt": "project",
    "projects": "project",
}


def add_kind(kind: str, label, badge, aliases: tuple[str, ...] = ()) -> None:
    """A kind of document a higher area indexes: its label on the search page (plural, for the
    filter), its badge on one result (singular) and the words that name it in ``type:`` (both
    languages)."""
    if kind not in KINDS:
        KINDS.append(kind)
    KIND_LABELS[kind] = label
    KIND_BADGES[kind] = badge
    KIND_ALIASES.update({kind: kind, **dict.fromkeys(aliases, kind)})


def _analyzed(schema, fieldname: str, text: str, mode: str = "query") -> list[str]:
    if fieldname not in schema:
        return []
    return [t for t in schema[fieldname].process_text(text, mode=mode) if t]


def word_query(schema, word: str, boost: float = 1.0) -> Q.Query | None:
    """One word over every language field (and its n-gram subfield when the schema has one)."""
    subs: list[Q.Query] = []
    swedish: list[Q.Query] = []
    for lang in LANGS:
        for name, weight in ((f"title_{lang}", TITLE_BOOST), (f"body_{lang}", 1.0)):
            for term in dict.fromkeys(_analyzed(schema, name, word)):
                (swedish if lang == "sv" else subs).append(Q.Term(name, term, boost=weight))
    if "body_sv_ng" in schema and len(word) >= 5:
        grams = _analyzed(schema, "body_sv_ng", word)
        if grams:
            subs.append(Q.And([Q.Term("body_sv_ng", g) for g in dict.fromkeys(grams)], boost=0.3))
    swedish.extend(compound_part_queries(schema, word))
    swedish.extend(family_queries(schema, word, {q.text for q in swedish if isinstance(q, Q.Term)}))
    # how common the word is in Swedish at large, which a small forum's statistics do not show
    general = general_weight(normalise_word(word))
    if swedish and general < 1.0:
        swedish = [Q.Or(swedish, boost=general)]
    subs = swedish + subs
    if not subs:
        return None
    return Q.Or(subs, boost=boost)


def _splits_swedish(schema) -> bool:
    """The schema has Swedish fields analysed by splitting (not the n-gram variant)."""
    return "title_sv" in schema and "body_sv_ng" not in schema


def family_queries(schema, word: str, own: set[str]) -> list[Q.Query]:
    """The other words of a Swedish query word's family, at ``FAMILY_WEIGHT`` of the word."""
    if not FAMILY_WEIGHT or not _splits_swedish(schema):
        return []
    family = word_family(normalise_word(word))
    return [
        Q.Term(name, term, boost=weight * FAMILY_WEIGHT)
        for name, weight in (("title_sv", TITLE_BOOST), ("body_sv", 1.0))
        for term in sorted({t for other in family for t in _analyzed(schema, name, other)} - own)
    ]


def compound_part_queries(schema, word: str) -> list[Q.Query]:
    """The Swedish compound alternatives of one query word, each weighted below the word itself:

    - the word as a part of a document's compound ("kongress" in "hållbarhetskongressen");
    - when the word is a compound, its parts: all of them in a body ("klimat" and "kontrakt"
      for "klimatkontrakt"), or any one in a title ("fjärrvärmepriser" reaches a title about
      "fjärrvärme"), whole or as parts themselves; any one alone in a body weighs least ("svar"
      for "svarsdag": an answer names the thing, not the compound the question used).
    """
    if not _splits_swedish(schema):
        return []
    subs: list[Q.Query] = []
    for name, place, weight in (("title_sv", "title", TITLE_BOOST), ("body_sv", "body", 1.0)):
        for term in dict.fromkeys(_analyzed(schema, name, word)):
            subs.append(Q.Term(name, PART_MARK + term, boost=weight * FOUND_AS_PART[place]))
    parts = split_compound(normalise_word(word))
    part_terms = [_analyzed(schema, "body_sv", part)[:1] for part in parts]
    if not parts or not all(part_terms):
        return subs

    def whole_or_part(name: str, term: str, boost: float = 1.0) -> Q.Query:
        found_as_part = FOUND_AS_PART["title" if name.startswith("title") else "body"]
        return Q.Or(
            [Q.Term(name, term), Q.Term(name, PART_MARK + term, boost=found_as_part)], boost=boost
        )

    subs.append(
        Q.And([whole_or_part("body_sv", t) for (t,) in part_terms], boost=COMPOUND_PART_WEIGHT)
    )
    subs.extend(
        whole_or_part("title_sv", t, TITLE_BOOST * TITLE_PART_WEIGHT) for (t,) in part_terms
    )
    if BODY_PART_WEIGHT:
        subs.extend(whole_or_part("body_sv", t, BODY_PART_WEIGHT) for (t,) in part_terms)
    return subs


def phrase_query(schema, words: list[str]) -> Q.Query | None:
    subs = []
    for lang in LANGS:
        for name, weight in ((f"title_{lang}", TITLE_BOOST), (f"body_{lang}", 1.0)):
            terms = _analyzed(schema, name, " ".join(words))
            if len(terms) > 1:
                subs.append(Q.Phrase(name, terms, boost=weight))
            elif len(terms) == 1:
                subs.append(Q.Term(name, terms[0], boost=weight))
    return Q.Or(subs) if subs else None


def prefix_query(schema, prefix: str) -> Q.Query:
    return Q.Or(
        [
            Q.Prefix(f"{part}_{lang}", prefix, boost=TITLE_BOOST if part == "title" else 1.0)
            for lang in LANGS
            for part in ("title", "body")
        ]
    )


def expansion_query(schema, term: str) -> Q.Query | None:
    """A glossary term (one word or several, matched as a phrase)."""
    words = term.split()
    if len(words) == 1:
        return word_query(schema, words[0], boost=SYNONYM_WEIGHT)
    inner = phrase_query(schema, words)
    return Q.Or([inner], boost=SYNONYM_WEIGHT) if inner else None


@dataclass
class BuiltQuery:
    scored: Q.Query | None  # None: no text, list by filters only
    mask: Q.Query | None
    highlight_terms: set[str] = field(default_factory=set)


def build_query(
    schema, parsed: ParsedQuery, expansions: dict[int, list[str]] | None = None
) -> BuiltQuery:
    """``expansions`` maps the index of a word in ``parsed.words`` to its glossary equivalents."""
    expansions = expansions or {}
    subs: list[Q.Query] = []
    for position, word in enumerate(parsed.words):
        alternatives = [q for q in [word_query(schema, word)] if q is not None]
        for term in expansions.get(position, []):
            extra = expansion_query(schema, term)
            if extra is not None:
                alternatives.append(extra)
        if alternatives:
            subs.append(alternatives[0] if len(alternatives) == 1 else Q.Or(alternatives))
    for words in parsed.phrases:
        phrase = phrase_query(schema, words)
        if phrase is not None:
            subs.append(Q.Or([phrase], boost=2.0))
    for prefix in parsed.prefixes:
        subs.append(prefix_query(schema, prefix))
    negatives = [
        q
        for q in (
            [word_query(schema, w) for w in parsed.excluded_words]
            + [phrase_query(schema, p) for p in parsed.excluded_phrases]
        )
        if q is not None
    ]
    scored = None
    if subs:
        scored = subs[0] if len(subs) == 1 else Q.Or(subs, scale=COORDINATION)
    return BuiltQuery(scored=scored, mask=Q.Or(negatives) if negatives else None)


def filter_query(
    *,
    kinds=(),
    themes=(),
    projects=(),
    sdgs=(),
    langs=(),
    authors=(),
    threads=(),
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> Q.Query | None:
    """Restricting filters (they never change scores). Each argument is a list of allowed values;
    an empty list allows nothing (``author:nobody``), ``None`` or ``()`` means no filter."""
    parts: list[Q.Query] = []
    for fieldname, values in (
        ("kind", kinds),
        ("theme", themes),
        ("project", projects),
        ("sdg", sdgs),
        ("lang", langs),
        ("author", authors),
        ("group", threads),
    ):
        if values is None or values == ():
            continue
        values = [f"thread:{v}" if fieldname == "group" else str(v) for v in values]
        parts.append(
            Q.Or([Q.Term(fieldname, v) for v in dict.fromkeys(values)])
            if values
            else Q.Term(fieldname, "\u0000nothing")
        )
    if date_from or date_to:
        days = [moment_fields(d).get("day") for d in (date_from, date_to)]
        parts.append(Q.NumericRange("day", *days))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)
