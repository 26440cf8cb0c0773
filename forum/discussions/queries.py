"""Read side of the discussions: lists and pages built with a constant number of statements.

Rows are loaded first, then authors, goals and themes in one batch each (no lazy loading, no N+1).
GET requests only ever call these functions: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from ..accounts.models import User
from ..core import queries as core_queries
from ..core.models import Goal, Theme
from .models import Post, Reaction, Thread, ThreadGoal, ThreadRedirect
from .service import POSTS_PER_PAGE, USEFUL, is_first_post

THREADS_PER_PAGE = 25
SORTS = {
    "activity": (Thread.last_post_at.desc(), Thread.id.desc()),
    "newest": (Thread.created_at.desc(), Thread.id.desc()),
    "replies": (Thread.post_count.desc(), Thread.last_post_at.desc(), Thread.id.desc()),
}


@dataclass
class ThreadFilters:
    goal: int | None = None  # SDG number 1-17
    language: str | None = None  # sv | en
    solved: bool | None = None
    sort: str = "activity"

    def as_args(self) -> dict:
        args = {}
        if self.goal:
            args["sdg"] = self.goal
        if self.language:
            args["language"] = self.language
        if self.solved is not None:
            args["solved"] = "yes" if self.solved else "no"
        if self.sort != "activity":
            args["sort"] = self.sort
        return args


@dataclass
class ThreadListPage:
    threads: list[Thread]
    authors: dict[int, User]
    goals: dict[int, list[Goal]]
    themes: dict[int, Theme]
    page: int
    total: int
    per_page: int = THREADS_PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class ThreadView:
    thread: Thread
    theme: Theme
    goals: list[Goal]
    posts: list[Post]
    authors: dict[int, User]
    marked_useful: set[int]
    first_post: Post | None
    solution: Post | None
    page: int
    total_posts: int
    per_page: int = POSTS_PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_posts // self.per_page))


def users_by_id(session: Session, ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(ids)))}


def goals_by_thread(session: Session, thread_ids) -> dict[int, list[Goal]]:
    thread_ids = list(thread_ids)
    result: dict[int, list[Goal]] = {tid: [] for tid in thread_ids}
    if not thread_ids:
        return result
    rows = session.exec(
        select(ThreadGoal.thread_id, Goal)
        .join(Goal, Goal.id == ThreadGoal.goal_id)
        .where(ThreadGoal.thread_id.in_(thread_ids))
        .order_by(Goal.number)
    )
    for thread_id, goal in rows:
        result[thread_id].append(goal)
    return result


def thread_merged_into(session: Session, thread_id: int) -> Thread | None:
    """The thread that took the posts of thread ``thread_id`` when moderation merged it away."""
    link = session.get(ThreadRedirect, thread_id)
    return session.get(Thread, link.new_thread_id) if link is not None else None


def _listed(query):
    return query.where(Thread.kind == "discussion", Thread.hidden_at.is_(None))


def public_threads(query):
    """``query`` (of threads or their columns) narrowed to the discussion threads the lists show
    everyone: what the feeds and the sitemap list too."""
    return _listed(query)


def list_threads(
    *,
    session: Session,
    theme: Theme | None,
    filters: ThreadFilters,
    page: int = 1,
    per_page: int = THREADS_PER_PAGE,
) -> ThreadListPage:
    """One page of a theme's threads: pinned first, then by the chosen sort."""
    query = filtered_threads(theme=theme, filters=filters)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    threads = list(
        session.exec(
            query.order_by(*thread_order(filters.sort))
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return _list_page(session, threads, page=page, total=total, per_page=per_page)


def thread_order(sort: str) -> tuple:
    """The order of a theme page: pinned first, then ``sort``."""
    return (Thread.pinned.desc(), *SORTS.get(sort, SORTS["activity"]))


def filtered_threads(*, theme: Theme | None, filters: ThreadFilters):
    """The public discussion threads of ``theme`` (every theme when None) that ``filters``
    keep, unordered: the theme page's rows, and the API's."""
    query = _listed(select(Thread))
    if theme is not None:
        query = query.where(Thread.theme_id == theme.id)
    if filters.goal:
        query = query.where(
            Thread.id.in_(
                select(ThreadGoal.thread_id)
                .join(Goal, Goal.id == ThreadGoal.goal_id)
                .where(Goal.number == filters.goal)
            )
        )
    if filters.language:
        query = query.where(Thread.language == filters.language)
    if filters.solved is True:
        query = query.where(Thread.solution_post_id.is_not(None))
    elif filters.solved is False:
        query = query.where(Thread.solution_post_id.is_(None))
    return query


def latest_threads(*, session: Session, limit: int = 10) -> ThreadListPage:
    """Across all themes for the home page: featured, then pinned, then recent activity."""
    query = _listed(select(Thread)).order_by(
        Thread.featured.desc(), Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc()
    )
    threads = list(session.exec(query.limit(limit)))
    return _list_page(session, threads, page=1, total=len(threads), per_page=limit)


def _list_page(
    session: Session, threads: list[Thread], *, page: int, total: int, per_page: int
) -> ThreadListPage:
    return ThreadListPage(
        threads=threads,
        authors=users_by_id(session, [t.author_id for t in threads]),
        goals=goals_by_thread(session, [t.id for t in threads]),
        themes=core_queries.themes_by_id(session) if threads else {},
        page=page,
        total=total,
        per_page=per_page,
    )


@dataclass
class ThemeStats:
    theme: Theme
    thread_count: int
    post_count: int
    last_post_at: object


def theme_overview(*, session: Session) -> list[ThemeStats]:
    """The themes with thread and post counts and latest activity, in one grouped statement."""
    rows = session.exec(
        _listed(
            select(
                Thread.theme_id,
                func.count(Thread.id),
                func.coalesce(func.sum(Thread.post_count), 0),
                func.max(Thread.last_post_at),
            )
        ).group_by(Thread.theme_id)
    ).all()
    stats = {theme_id: (count, posts, last) for theme_id, count, posts, last in rows}
    return [
        ThemeStats(theme, *stats.get(theme.id, (0, 0, None)))
        for theme in core_queries.all_themes(session)
    ]


def thread_view(
    *, session: Session, thread: Thread, viewer, page: int = 1, per_page: int = POSTS_PER_PAGE
) -> ThreadView:
    """Everything the thread page shows, in a fixed number of statements."""
    posts = list(
        session.exec(
            select(Post)
            .where(Post.thread_id == thread.id)
            .order_by(Post.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    total, first_id = session.exec(
        select(func.count(Post.id), func.min(Post.id)).where(Post.thread_id == thread.id)
    ).one()
    first_post = posts[0] if posts and posts[0].id == first_id else None
    solution = None
    if thread.solution_post_id is not None:
        solution = next((p for p in posts if p.id == thread.solution_post_id), None) or session.get(
            Post, thread.solution_post_id
        )
        if solution is not None and (solution.thread_id != thread.id or not solution.is_visible):
            solution = None
    author_ids = (
        [p.author_id for p in posts]
        + [thread.author_id]
        + ([solution.author_id] if solution else [])
    )
    marked: set[int] = set()
    viewer_id = getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None
    post_ids = [p.id for p in posts] + ([solution.id] if solution else [])
    if viewer_id is not None and post_ids:
        marked = set(
            session.exec(
                select(Reaction.post_id).where(
                    Reaction.user_id == viewer_id,
                    Reaction.kind == USEFUL,
                    Reaction.post_id.in_(post_ids),
                )
            )
        )
    return ThreadView(
        thread=thread,
        theme=session.get(Theme, thread.theme_id),
        goals=core_queries.goals_linked(session, ThreadGoal, ThreadGoal.thread_id, thread.id),
        posts=posts,
        authors=users_by_id(session, author_ids),
        marked_useful=marked,
        first_post=first_post,
        solution=solution,
        page=page,
        total_posts=total,
        per_page=per_page,
    )


def post_context(*, session: Session, viewer, post: Post, thread: Thread) -> dict:
    """What ``_post.html`` needs to render one post on its own (two statements)."""
    marked = False
    if viewer.is_authenticated:
        marked = (
            session.exec(
                select(Reaction.id).where(
                    Reaction.post_id == post.id,
                    Reaction.user_id == viewer.id,
                    Reaction.kind == USEFUL,
                )
            ).first()
            is not None
        )
    return {
        "post": post,
        "thread": thread,
        "author": users_by_id(session, [post.author_id]).get(post.author_id),
        "marked": marked,
        "is_first": is_first_post(session=session, post=post),
    }
