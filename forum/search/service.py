"""``run_search``: one search page, from the query string to result rows reloaded from the DB."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select
from whoosh import query as Q

from ..accounts.models import User
from ..core.models import Theme
from ..core.queries import themes_by_id
from ..discussions.models import Thread
from ..language import detect_language
from ..web.inputs import whole_number
from . import engine
from .documents import REGISTRY, split_key
from .glossary import expansions_for
from .index import IndexUnavailable
from .parsing import ParsedQuery, parse_query
from .query import KIND_ALIASES, KINDS, build_query, filter_query
from .rows import LOADERS, thread_url
from .snippets import query_terms, snippet

log = logging.getLogger("forum.search")
PER_PAGE = 20
FEW_RESULTS = 3


@dataclass
class SearchParams:
    q: str = ""
    kinds: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    project: str = ""
    author: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"  # relevance | newest
    page: int = 1
    every_post: bool = False  # every matching post as a result of its own, not one per thread
    thread: int | None = None  # only the matches in this thread (each post listed)

    @property
    def grouped(self) -> bool:
        return not self.every_post and self.thread is None


@dataclass
class ResultItem:
    kind: str
    title: str
    url: str
    snippet_html: str
    lang: str
    created: datetime | None
    author: str | None = None
    author_url: str | None = None  # the author's profile
    theme: Theme | None = None
    project: object | None = None
    time_code: str | None = None  # a moment of a recording (a transcript hit)
    key: str = ""  # the index document's
    thread_id: int | None = None  # the thread of a thread's or reply's entry
    more: int = 0  # (one entry per thread) the thread's other matches


@dataclass
class SearchPage:
    params: SearchParams
    parsed: ParsedQuery
    items: list[ResultItem] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    unavailable: bool = False
    searched: bool = False  # False: nothing to search for (empty box, no filters)
    no_terms: bool = False  # words given, but only ones the index ignores
    thread: ResultItem | None = None  # the thread the search is restricted to
    elapsed_ms: float = 0.0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def run_search(*, session: Session, service, params: SearchParams) -> SearchPage:
    """``unavailable`` when the index is missing or fails while it is read (logged)."""
    try:
        return _search(session, service.store, params)
    except SQLAlchemyError:
        raise
    except IndexUnavailable as exc:
        log.warning("search: %s", exc)
        service.request_repair()
    except Exception:  # a damaged file fails in Whoosh in any number of ways
        log.exception("search: the index failed")
        service.store.forget()
        service.request_repair()
    return SearchPage(params=params, parsed=parse_query(params.q), unavailable=True)


def _search(session: Session, store, params: SearchParams) -> SearchPage:
    started = time.perf_counter()
    parsed = parse_query(params.q)
    page = SearchPage(params=params, parsed=parsed)
    searcher = store.searcher()
    schema = searcher.schema  # (an index's ``schema`` property reads its table of contents again)
    filters = _resolve_filters(session, parsed, params)
    if parsed.is_empty and not any(v is not None for v in filters.values()):
        page.elapsed_ms = (time.perf_counter() - started) * 1000
        return page
    page.searched = True
    built = build_query(schema, parsed, expansions_for(session, parsed.words))
    if built.scored is None and parsed.has_text:
        page.no_terms = True
    scored = built.scored if built.scored is not None else Q.Every()
    restrict = filter_query(**filters)
    newest = params.sort == "newest" or built.scored is None
    number = max(1, params.page)
    found = engine.search(
        searcher,
        scored,
        limit=number * PER_PAGE,
        restrict=restrict,
        mask=built.mask,
        newest=newest,
        grouped=params.grouped,
    )
    page.total = found.entries
    page.facets = engine.view_of(searcher).facet_counts(found.matched, found.groups)
    if (number - 1) * PER_PAGE >= page.total:  # a page number past the end: the first page
        number = 1
    shown = found.top[(number - 1) * PER_PAGE : number * PER_PAGE]
    stored = [searcher.stored_fields(docnum) for docnum in shown]
    hits = [(fields["key"], fields.get("lang", "sv")) for fields in stored]
    terms = {lang: query_terms(built.scored, searcher.reader(), lang) for lang in ("sv", "en")}
    page.items, dropped = _reload(session, schema, hits, terms)
    page.total = max(0, page.total - dropped)
    if params.grouped:
        more = dict(zip((key for key, _ in hits), (found.more.get(d, 0) for d in shown)))
        # A reply that stands for its thread keeps its own badge: its author and text are shown.
        for item in page.items:
            item.more = more.get(item.key, 0)
    if params.thread is not None:
        page.thread = _restricting_thread(session, params.thread)
    if page.total < FEW_RESULTS and parsed.words:
        page.suggestion = _did_you_mean(searcher, schema, parsed, page.total, restrict)
    page.elapsed_ms = (time.perf_counter() - started) * 1000
    return page


def _resolve_filters(session: Session, parsed: ParsedQuery, params: SearchParams) -> dict:
    """Filters from the form and from the query (``theme:``...), as index values."""
    f = parsed.filters
    kinds = [KIND_ALIASES.get(k.lower(), "") for k in [*params.kinds, *f.get("type", [])]]
    langs = [lang.lower()[:2] for lang in [*params.langs, *f.get("lang", [])]]
    themes = [t.lower() for t in [*params.themes, *f.get("theme", [])]]
    sdgs = [s for s in [*params.sdgs, *(_int(v) for v in f.get("sdg", []))] if s is not None]
    out = {
        "kinds": [k for k in kinds if k] if kinds else None,
        "langs": [lang for lang in langs if lang in ("sv", "en")] if langs else None,
        "themes": themes or None,
        "sdgs": [s for s in sdgs if 1 <= s <= 17] if sdgs or f.get("sdg") else None,
        "projects": None,
        "authors": None,
        "date_from": datetime.combine(params.date_from, dtime.min) if params.date_from else None,
        "date_to": datetime.combine(params.date_to, dtime.max) if params.date_to else None,
        "threads": [params.thread] if params.thread is not None else None,
    }
    projects = [p for p in [params.project, *f.get("project", [])] if p]
    if projects:
        out["projects"] = _project_ids(session, projects)
    authors = [a for a in [params.author, *f.get("author", [])] if a]
    if authors:
        ids: list[int] = []
        for name in authors:
            pattern = "%" + name.replace("\\", "").replace("%", "").replace("_", "") + "%"
            ids += session.exec(
                select(User.id).where(User.display_name.ilike(pattern)).limit(50)
            ).all()
        out["authors"] = ids
    return out


def _project_ids(session: Session, values: list[str]) -> list[int]:
    from ..projects.models import Project

    ids = [n for n in map(whole_number, values) if n is not None]
    slugs = [v.lower() for v in values if whole_number(v) is None]
    if slugs:
        ids += session.exec(select(Project.id).where(Project.slug.in_(slugs))).all()
        for slug in slugs:  # "project:hyllie" also finds "hyllie-klimatkontrakt"
            ids += session.exec(
                select(Project.id).where(Project.slug.ilike(f"{slug.replace('%', '')}%")).limit(20)
            ).all()
    return ids


def _int(value: str) -> int | None:
    return whole_number("".join(ch for ch in value if ch.isdigit()), high=999)


def _reload(
    session: Session, schema, hits: list[tuple[str, str]], terms: dict
) -> tuple[list[ResultItem], int]:
    """Reload hits from the database through each type's visibility filter, keeping rank order."""
    wanted: dict[str, list[int]] = {}
    for key, _lang in hits:
        kind, entity_id = split_key(key)
        if kind in REGISTRY and entity_id is not None:
            wanted.setdefault(kind, []).append(entity_id)
    visible = {kind: REGISTRY[kind].visible(session, ids) for kind, ids in wanted.items()}
    loaded: dict[str, dict] = {}
    for kind, ids in visible.items():
        load = REGISTRY[kind].load or LOADERS[kind]
        loaded.update(load(session, sorted(ids)) if ids else {})
    items, dropped = [], 0
    theme_by_id = themes_by_id(session)
    for key, lang in hits:
        row = loaded.get(key)
        if row is None:
            dropped += 1
            continue
        values = {k: v for k, v in row.items() if k not in ("text", "theme_id", "text_lang")}
        # a translated text (an event's) may have matched in the other language than the hit's
        lang = row.get("text_lang", lang)
        items.append(
            ResultItem(
                snippet_html=snippet(schema, row["text"], lang, terms.get(lang, set())),
                theme=theme_by_id.get(row.get("theme_id")),
                key=key,
                **values,
            )
        )
    return items, dropped


def _restricting_thread(session: Session, thread_id: int) -> ResultItem | None:
    """The thread a search is restricted to, if a reader may see it."""
    if not REGISTRY["thread"].visible(session, [thread_id]):
        return None
    thread = session.get(Thread, thread_id)
    return ResultItem(
        kind="thread",
        title=thread.title,
        url=thread_url(thread),
        snippet_html="",
        lang=thread.language,
        created=thread.created_at,
        thread_id=thread.id,
    )


def _did_you_mean(searcher, schema, parsed: ParsedQuery, total: int, restrict) -> str | None:
    """A respelling of the unknown words that finds at least as much, or None. Words are
    respelled from one language's vocabulary at a time: first the language most of the known words
    are in (on a tie, the one lingua detects, then Swedish), so "compost heat" is not respelled
    into Swedish."""
    reader = searcher.reader()
    fields = {lang: f"spell_{lang}" for lang in ("sv", "en") if f"spell_{lang}" in schema}
    known = {
        lang: sum(1 for w in parsed.words if reader.frequency(name, w))
        for lang, name in fields.items()
    }
    order = sorted(fields, key=lambda lang: -known[lang])
    if len(set(known.values())) == 1:
        detected = detect_language(parsed.raw)
        order.sort(key=lambda lang: lang != detected)
    unknown = [
        len(w) >= 3
        and not w.isdigit()
        and not any(reader.frequency(name, w) for name in fields.values())
        for w in parsed.words
    ]
    if not any(unknown):
        return None
    for lang in order:
        corrector = searcher.corrector(fields[lang])
        words = []
        for word, respell in zip(parsed.words, unknown):
            # the first letter is kept: it bounds the terms compared (Whoosh has no spelling graph
            # here)
            found = (
                corrector.suggest(word, limit=1, maxdist=1 if len(word) <= 4 else 2, prefix=1)
                if respell
                else []
            )
            words.append(found[0] if found else word)
        if words == parsed.words:
            continue
        built = build_query(schema, ParsedQuery(raw=" ".join(words), words=words))
        if built.scored is not None and engine.count(
            searcher, built.scored, restrict=restrict
        ) >= max(total, 1):
            return " ".join(words)
    return None


__all__ = ["SearchParams", "SearchPage", "ResultItem", "run_search", "PER_PAGE", "KINDS"]
