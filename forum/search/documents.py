"""The registry of searchable entity types: how to load one, whether it is visible, its documents.

An entity provider answers, for one entity id, "which index documents should exist now?"
(an empty list when it is hidden, deleted, a draft or gone) and the ``group`` term under which
its documents live, so applying a change is always: delete the group, add the current documents.
That makes applying idempotent and independent of the order of changes.

Providers for threads and posts live here; projects and lessons in ``providers_projects.py``.
Higher areas (events) register their own providers, thread owners and kinds when they are
imported (``create_app`` imports them before the index opens).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func
from sqlmodel import Session, select
from sqlmodel.sql.expression import Select

from ..core.queries import goals_of, themes_by_id
from ..discussions.models import Post, Thread, ThreadGoal
from ..web.inputs import whole_number

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MAX_BODY = 20_000  # characters of a body that are indexed
SPELL_CHARS = 600  # characters of a body that feed spelling suggestions


_TAG = re.compile(r"<[^>]*>")


def public_text(stored_html: str | None) -> str:
    """Plain text of sanitized, stored HTML (``body_html``...) without e-mail addresses:
    what the index may hold (and what snippets are cut from)."""
    text = unicodedata.normalize("NFC", html.unescape(_TAG.sub(" ", stored_html or "")))
    return " ".join(EMAIL.sub(" ", text).split())[:MAX_BODY]


@dataclass
class Provider:
    """How one entity type becomes index documents.

    ``apply(session, writer, ids, done)`` removes the entity's documents from the index and adds the
    ones that should exist now (none when it is hidden, deleted, a draft or gone): idempotent,
    so the order in which changes are applied does not matter. ``iter_documents(session)`` yields
    every document of the type for a full rebuild; ``visible(session, ids)`` is the subset of ids
    a reader may see now (search results are reloaded through it).
    """

    entity: str
    model: type
    apply: Callable[[Session, object, list[int], set], None]  # (session, writer, ids, done)
    iter_documents: Callable[[Session], Iterable[dict]]
    visible: Callable[[Session, list[int]], set[int]]
    # attribute names whose change requires re-indexing (None: any change)
    watched: frozenset[str] | None = None
    # (obj) -> [(entity, id)] other entities affected by a change of this object
    cascades: Callable[[object], list[tuple[str, int]]] = field(default=lambda obj: [])
    # (session) -> how many documents a rebuild writes for the type, counted in the database
    # (``health.indexable_count``); None when another provider counts them (replies: threads)
    count: Callable[[Session], int] | None = None
    # (session, ids) -> {document key: result row} for the search page (``service._reload``);
    # None for the types the search area loads itself
    load: Callable[[Session, list[int]], dict[str, dict]] | None = None


@dataclass(frozen=True)
class ThreadOwner:
    """A kind of thread that belongs to other content (a lesson, an event): the thread is public
    only while its owner is, and the owner's own document stands for it in the index (its
    opening post is only a pointer), so only its replies are indexed.
    ``public_thread_ids()`` selects the ids of the threads whose owner is public now;
    ``opening_post_indexed``: the opening post is indexed as a reply (a lesson's quotes the
    lesson's context; an event's only names the event, which its own document already finds)."""

    kind: str
    public_thread_ids: Callable[[], Select]
    opening_post_indexed: bool = True


REGISTRY: dict[str, Provider] = {}
THREAD_OWNERS: dict[str, ThreadOwner] = {}
# Rows of link tables whose insertion/deletion changes an entity: model -> (entity, id attribute)
LINKS: dict[type, tuple[str, str]] = {}


def register(provider: Provider) -> Provider:
    REGISTRY[provider.entity] = provider
    return provider


def register_thread_owner(owner: ThreadOwner) -> ThreadOwner:
    THREAD_OWNERS[owner.kind] = owner
    return owner


def split_key(key: str) -> tuple[str, int | None]:
    """The entity and its id of a document key: ``post:12``, or ``event:3:120`` for a part of an
    entity (a transcript window starting at second 120 of event 3's recording)."""
    entity, _, rest = key.partition(":")
    raw_id = rest.partition(":")[0]
    return entity, whole_number(raw_id)


def document(**values) -> dict:
    """Drop empty values (Whoosh rejects None)."""
    return {k: v for k, v in values.items() if v not in (None, "")}


def text_fields(lang: str, title: str, body: str, *, spell: bool = True) -> dict:
    """The text in the fields of its language; ``spell``: also feeds spelling suggestions."""
    lang = lang if lang in ("sv", "en") else "sv"
    fields = {f"title_{lang}": title, f"body_{lang}": body, "lang": lang}
    if spell:
        fields[f"spell_{lang}"] = f"{title} {body[:SPELL_CHARS]}"
    return fields


EPOCH = datetime(1970, 1, 1)


def moment_fields(moment: datetime | None) -> dict:
    """``created`` (microseconds) and ``day`` (days) since 1970 of a naive UTC datetime."""
    if moment is None:
        return {}
    since = moment - EPOCH
    return {"created": since // timedelta(microseconds=1), "day": max(0, since.days)}


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# -- threads and posts --------------------------------------------------------------------------
def thread_is_public(session: Session, thread: Thread) -> bool:
    """A thread is public unless hidden; an owned thread (a lesson's, an event's) follows its
    owner (a draft lesson, a cancelled event: never)."""
    if thread.hidden_at is not None:
        return False
    owner = THREAD_OWNERS.get(thread.kind)
    if owner is None:
        return True
    public = Thread.id.in_(owner.public_thread_ids())
    return session.exec(select(Thread.id).where(Thread.id == thread.id, public)).first() is not None


def _theme_slugs(session: Session) -> dict[int, str]:
    return {theme_id: theme.slug for theme_id, theme in themes_by_id(session).items()}


def thread_documents(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    """Each thread's documents: the thread (title + first post) and each visible reply."""
    out: dict[int, list[dict]] = {i: [] for i in ids}
    themes = _theme_slugs(session)
    for chunk in _chunks(ids):
        threads = [
            t
            for t in session.exec(select(Thread).where(Thread.id.in_(chunk))).all()
            if thread_is_public(session, t)
        ]
        if not threads:
            continue
        goals = goals_of(session, ThreadGoal, ThreadGoal.thread_id, [t.id for t in threads])
        posts = session.exec(
            select(Post)
            .where(Post.thread_id.in_([t.id for t in threads]))
            .order_by(Post.thread_id, Post.id)
        ).all()
        by_thread: dict[int, list[Post]] = {}
        for post in posts:
            by_thread.setdefault(post.thread_id, []).append(post)
        for thread in threads:
            out[thread.id] = _documents_of_thread(
                thread, by_thread.get(thread.id, []), themes, goals
            )
    return out


def group_applier(entity: str, documents: Callable[[Session, list[int]], dict[int, list[dict]]]):
    """A provider's ``apply`` for an entity whose documents share the group ``entity:id``: the
    group deleted, its current documents added. Whoosh cannot delete what the same writer added,
    so ``done`` records the groups already re-derived by this writer: each is applied once."""

    def apply(session: Session, writer, ids: list[int], done: set[str]) -> None:
        ids = [i for i in ids if f"{entity}:{i}" not in done]
        done.update(f"{entity}:{i}" for i in ids)
        for entity_id, docs in documents(session, ids).items():
            writer.delete_by_term("group", f"{entity}:{entity_id}")
            for doc in docs:
                writer.add_document(**doc)

    return apply


apply_threads = group_applier("thread", thread_documents)


def iter_thread_documents(session: Session) -> Iterator[dict]:
    ids = list(session.exec(select(Thread.id).order_by(Thread.id)).all())
    for chunk in _chunks(ids, 200):
        for docs in thread_documents(session, chunk).values():
            yield from docs
        session.expunge_all()


def apply_posts(session: Session, writer, ids: list[int], done: set[str]) -> None:
    """A first post lives in its thread's document: re-derive the thread; replies one by one.
    Replies of a thread already re-derived by this writer are skipped (it wrote them)."""
    posts = session.exec(select(Post).where(Post.id.in_(ids))).all()
    thread_ids = {p.thread_id for p in posts}
    first_ids = (
        dict(
            session.exec(
                select(Post.thread_id, func.min(Post.id))
                .where(Post.thread_id.in_(thread_ids))
                .group_by(Post.thread_id)
            ).all()
        )
        if thread_ids
        else {}
    )
    threads_to_redo = sorted({p.thread_id for p in posts if first_ids.get(p.thread_id) == p.id})
    known = {p.id for p in posts}
    for post_id in ids:
        if post_id not in known and f"post:{post_id}" not in done:  # gone from the database
            writer.delete_by_term("key", f"post:{post_id}")
            done.add(f"post:{post_id}")
    if threads_to_redo:
        apply_threads(session, writer, threads_to_redo, done)
    replies = [
        p for p in posts if f"thread:{p.thread_id}" not in done and f"post:{p.id}" not in done
    ]
    done.update(f"post:{p.id}" for p in replies)
    if not replies:
        return
    themes = _theme_slugs(session)
    threads = {
        t.id: t
        for t in session.exec(
            select(Thread).where(Thread.id.in_({p.thread_id for p in replies}))
        ).all()
    }
    goals = goals_of(session, ThreadGoal, ThreadGoal.thread_id, threads)
    for post in replies:
        writer.delete_by_term("key", f"post:{post.id}")
        thread = threads.get(post.thread_id)
        if thread is None or not post.is_visible or not thread_is_public(session, thread):
            continue
        writer.add_document(**_post_document(thread, post, themes, goals))


def _documents_of_thread(
    thread: Thread, posts: list[Post], themes: dict, goals: dict
) -> list[dict]:
    shared = _shared_fields(thread, themes, goals)
    docs = []
    first, replies = (posts[0], posts[1:]) if posts else (None, [])
    owner = THREAD_OWNERS.get(thread.kind)
    if owner is None:  # a discussion (an owned thread: its owner's document stands for it)
        body = public_text(first.body_html) if first is not None and first.is_visible else ""
        docs.append(
            document(
                key=f"thread:{thread.id}",
                kind="thread",
                author=str(thread.author_id or ""),
                **moment_fields(thread.created_at),
                **shared,
                **text_fields(thread.language, thread.title, body),
            )
        )
    elif owner.opening_post_indexed:
        replies = posts
    docs.extend(_post_document(thread, post, themes, goals) for post in replies if post.is_visible)
    return docs


def _shared_fields(thread: Thread, themes: dict, goals: dict) -> dict:
    return dict(
        group=f"thread:{thread.id}",
        thread=thread.id,
        theme=themes.get(thread.theme_id),
        project=str(thread.project_id) if getattr(thread, "project_id", None) else None,
        sdg=",".join(str(goal.number) for goal in goals.get(thread.id, [])),
    )


def _post_document(thread: Thread, post: Post, themes: dict, goals: dict) -> dict:
    return document(
        key=f"post:{post.id}",
        kind="post",
        author=str(post.author_id or ""),
        **moment_fields(post.created_at),
        **_shared_fields(thread, themes, goals),
        **text_fields(post.language, "", public_text(post.body_html), spell=False),
    )


def _visible_threads(session: Session, ids: list[int]) -> set[int]:
    threads = session.exec(select(Thread).where(Thread.id.in_(ids))).all()
    return {t.id for t in threads if thread_is_public(session, t)}


def _visible_posts(session: Session, ids: list[int]) -> set[int]:
    rows = session.exec(
        select(Post, Thread)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.id.in_(ids), Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    ).all()
    return {post.id for post, thread in rows if thread_is_public(session, thread)}


def count_thread_documents(session: Session) -> int:
    """The documents of every thread, counted as ``thread_documents`` derives them: each public
    discussion thread (title and opening post) and its visible replies, and every visible post
    of an owned thread whose owner is public."""
    visible_post = and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    discussion = and_(Thread.hidden_at.is_(None), Thread.kind.not_in(list(THREAD_OWNERS)))
    openings = select(func.min(Post.id)).group_by(Post.thread_id)
    posts = select(func.count()).select_from(Post).join(Thread, Thread.id == Post.thread_id)
    counts = [
        select(func.count()).select_from(Thread).where(discussion),
        posts.where(discussion, visible_post, Post.id.not_in(openings)),
    ]
    counts += [
        posts.where(
            Thread.hidden_at.is_(None),
            Thread.kind == owner.kind,
            Thread.id.in_(owner.public_thread_ids()),
            visible_post,
            *(() if owner.opening_post_indexed else (Post.id.not_in(openings),)),
        )
        for owner in THREAD_OWNERS.values()
    ]
    return sum(session.exec(query).one() for query in counts)


register(
    Provider(
        entity="thread",
        model=Thread,
        apply=apply_threads,
        iter_documents=iter_thread_documents,
        visible=_visible_threads,
        count=count_thread_documents,
        watched=frozenset(
            {
                "title",
                "theme_id",
                "hidden_at",
                "kind",
                "language",
                "author_id",
                "project_id",
                "created_at",
            }
        ),
    )
)
register(
    Provider(
        entity="post",
        model=Post,
        apply=apply_posts,
        iter_documents=lambda session: iter(()),
        visible=_visible_posts,
        watched=frozenset(
            {"body", "deleted_at", "hidden_at", "language", "thread_id", "author_id"}
        ),
    )
)
LINKS[ThreadGoal] = ("thread", "thread_id")


# Projects and lessons register themselves (imported last: they build on the helpers above).
from . import providers_projects  # noqa: E402,F401
