"""Saved searches: the search page's arguments as one normalised query string, and which saved
searches a new thread or lesson matches.

A saved search is stored as ``normalised_query(args)``: the page's own arguments (never the page
number), sorted, without empty values, so the same search saved twice is the same string.

``matching_queries`` answers for one new document without touching the live index (which may not
have applied the change yet): it writes the document's index entry into a one-document index in
memory and runs each saved search there with the search page's own query building, so a saved
search matches exactly what the search page would find. Each query costs microseconds on one
document; the caller bounds how many there are.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode

from flask_babel import gettext as _
from sqlmodel import Session
from werkzeug.datastructures import MultiDict
from whoosh import query as Q
from whoosh.filedb.filestore import RamStorage

from ..web.inputs import PAGE_MAX, whole_number
from . import engine
from .documents import thread_documents
from .glossary import expansions_for
from .index import WRITER_OPTIONS, build_schema
from .parsing import parse_query
from .providers_projects import lesson_documents
from .query import KINDS, build_query, filter_query
from .service import SearchParams, _resolve_filters

SORTS = ("relevance", "newest")
MAX_PAGE = 500
# The arguments a saved search keeps (``page`` and ``sort`` change the order, not what matches).
SAVED_ARGS = ("q", "type", "theme", "language", "sdg", "project", "author", "from", "to")
MAX_SAVED_LENGTH = 1000


def _date_arg(args, name: str, problems: list[str]) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        problems.append(
            _("The date “%(value)s” is not a date like 2024-05-31; it was ignored.", value=raw[:20])
        )
        return None


def _int_args(args, name: str, low: int, high: int) -> list[int]:
    out = []
    for raw in args.getlist(name):
        number = whole_number(raw.strip(), low=low, high=high)
        if number is not None:
            out.append(number)
    return out


def params_from_args(args, problems: list[str] | None = None) -> SearchParams:
    """The search page's arguments (``request.args`` or a ``MultiDict``) as ``SearchParams``;
    what cannot be understood is dropped, with a message in ``problems`` where the user typed it."""
    problems = [] if problems is None else problems
    page = whole_number(args.get("page", "1"), low=1, high=PAGE_MAX) or 1
    return SearchParams(
        q=args.get("q", "")[:5000],
        kinds=[k for k in args.getlist("type") if k in KINDS],
        themes=[t[:80] for t in args.getlist("theme") if t][:10],
        langs=[lang for lang in args.getlist("language") if lang in ("sv", "en")],
        sdgs=_int_args(args, "sdg", 1, 17),
        project=args.get("project", "")[:120].strip(),
        author=args.get("author", "")[:80].strip(),
        date_from=_date_arg(args, "from", problems),
        date_to=_date_arg(args, "to", problems),
        sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
        page=min(max(page, 1), MAX_PAGE),
        every_post=args.get("posts") == "all",
        thread=_thread_arg(args),
    )


def _thread_arg(args) -> int | None:
    return whole_number(args.get("thread", "").strip())


def normalised_query(args) -> str:
    """The search in ``args`` as a canonical query string ("" when there is nothing to save)."""
    pairs = sorted(
        (name, " ".join(value.split()))
        for name in SAVED_ARGS
        for value in args.getlist(name)
        if value and value.strip()
    )
    return urlencode(pairs)[:MAX_SAVED_LENGTH]


def args_of(saved: str) -> MultiDict:
    return MultiDict(
        [(name, value) for name, values in parse_qs(saved).items() for value in values]
    )


def _documents(session: Session, entity: str, entity_id: int) -> list[dict]:
    """The index entry of a thread (title and opening post) or a lesson; none when it is not
    public."""
    if entity == "thread":
        key = f"thread:{entity_id}"
        return [d for d in thread_documents(session, [entity_id])[entity_id] if d["key"] == key]
    if entity == "lesson":
        found = lesson_documents(session, [entity_id])[entity_id]
        return [found] if found else []
    raise ValueError(f"no saved-search matching for {entity!r}")


def matching_queries(
    session: Session, *, entity: str, entity_id: int, queries: list[str]
) -> list[str]:
    """The saved searches (normalised query strings) whose results include the thread or lesson
    ``entity_id``."""
    documents = _documents(session, entity, entity_id)
    if not documents or not queries:
        return []
    schema = build_schema()
    index = RamStorage().create_index(schema)
    writer = index.writer(**WRITER_OPTIONS)
    for doc in documents:
        writer.add_document(**doc)
    writer.commit()
    matched = []
    with index.searcher() as searcher:
        for saved in queries:
            params = params_from_args(args_of(saved))
            parsed = parse_query(params.q)
            filters = _resolve_filters(session, parsed, params)
            if parsed.is_empty and not any(v is not None for v in filters.values()):
                continue
            built = build_query(schema, parsed, expansions_for(session, parsed.words))
            if built.scored is None and parsed.has_text:
                continue  # only words the index ignores: the page finds nothing either
            scored = built.scored if built.scored is not None else Q.Every()
            found = engine.search(
                searcher, scored, limit=1, restrict=filter_query(**filters), mask=built.mask
            )
            if len(found.matched):
                matched.append(saved)
    return matched
