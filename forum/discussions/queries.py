"""Read side of the discussions: lists and pages built with a constant number of statements.

Rows are loaded first, then authors, goals and themes in one batch each (no lazy loading, no N+1).
GET requests only ever call these functions: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import bindparam, case, func
from sqlmodel import Session, select

from ..accounts.models import User
from ..core import queries as core_queries
from ..core.models import Goal, Theme
from .models import Post, Reaction, Thread, ThreadGoal, ThreadRedirect
from .service import POSTS_PER_PAGE, USEFUL

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
    last_posters: dict[int, User] = field(default_factory=dict)  # by thread id, when replied to

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
    solution_number: int | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_posts // self.per_page))

    @property
    def first_number(self) -> int:
        """The number of this page's first post: its place in the thread (see ``post_number``)."""
        return (self.page - 1) * self.per_page + 1


# The statements every list and thread page runs, built once and run with parameters: building a
# statement (and its cache key) costs several times more than running one of these.
_USERS = select(User).where(User.id.in_(bindparam("ids", expanding=True)))
_GOALS_OF_THREADS = (
    select(ThreadGoal.thread_id, Goal)
    .join(Goal, Goal.id == ThreadGoal.goal_id)
    .where(ThreadGoal.thread_id.in_(bindparam("ids", expanding=True)))
    .order_by(Goal.number)
)
_PAGE_OF_POSTS = (
    select(Post)
    .where(Post.thread_id == bindparam("thread_id"))
    .order_by(Post.id)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
# the solution's number comes with the count: the posts up to it (it may be on another page)
_POST_COUNT_FIRST_AND_SOLUTION = select(
    func.count(Post.id),
    func.min(Post.id),
    func.count(case((Post.id <= bindparam("solution_id"), 1))),
).where(Post.thread_id == bindparam("thread_id"))
_AUTHORS_OF_POSTS = select(Post.id, Post.author_id).where(
    Post.id.in_(bindparam("ids", expanding=True))
)
_MARKED_USEFUL = select(Reaction.post_id).where(
    Reaction.user_id == bindparam("user_id"),
    Reaction.kind == USEFUL,
    Reaction.post_id.in_(bindparam("ids", expanding=True)),
)


def users_by_id(session: Session, ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in session.exec(_USERS, params={"ids": sorted(ids)})}


def goals_by_thread(session: Session, thread_ids) -> dict[int, list[Goal]]:
    thread_ids = list(thread_ids)
    result: dict[int, list[Goal]] = {tid: [] for tid in thread_ids}
    if not thread_ids:
        return result
    rows = session.exec(_GOALS_OF_THREADS, params={"ids": thread_ids})
    for thread_id, goal in rows:
        result[thread_id].append(goal)
    return result


def thread_merged_into(session: Session, thread_id: int) -> Thread | None:
    """The thread that took the posts of thread ``thread_id`` when moderation merged it away."""
    link = session.get(ThreadRedirect, thread_id)
    return session.get(Thread, link.new_thread_id) if link is not None else None


def public_threads(query):
    """``query`` (of threads or their columns) narrowed to the discussion threads the lists show
    everyone: what the feeds and the sitemap list too."""
    return query.where(Thread.kind == "discussion", Thread.hidden_at.is_(None))


def list_threads(
    *,
    session: Session,
    theme: Theme | None,
    filters: ThreadFilters,
    page: int = 1,
    per_page: int = THREADS_PER_PAGE,
    from_first: bool = False,
) -> ThreadListPage:
    """One page of a theme's threads: pinned first, then by the chosen sort; with
    ``from_first``, the pages before it too (what "Load more" had shown)."""
    sort = filters.sort if filters.sort in SORTS else "activity"
    count, rows = _thread_list_statements(*_shape(theme, filters), sort)
    params = _values(theme, filters)
    total = session.exec(count, params=params).one()
    first = 0 if from_first else (page - 1) * per_page
    window = {**params, "offset": first, "limit": page * per_page - first}
    threads = list(session.exec(rows, params=window))
    # A theme's list needs no other theme (and no statement to read them).
    themes = {theme.id: theme} if theme is not None else None
    return _list_page(session, threads, page=page, total=total, per_page=per_page, themes=themes)


def first_threads(
    *, session: Session, theme: Theme | None, filters: ThreadFilters, limit: int
) -> list[Thread]:
    """The first ``limit`` threads of that list, without what its page adds around them (the
    count, the last posters): a feed's rows, in one statement."""
    sort = filters.sort if filters.sort in SORTS else "activity"
    _count, rows = _thread_list_statements(*_shape(theme, filters), sort)
    window = {**_values(theme, filters), "offset": 0, "limit": limit}
    return list(session.exec(rows, params=window))


def thread_order(sort: str) -> tuple:
    """The order of a theme page: pinned first, then ``sort``."""
    return (Thread.pinned.desc(), *SORTS.get(sort, SORTS["activity"]))


def filtered_threads(*, theme: Theme | None, filters: ThreadFilters):
    """The public discussion threads of ``theme`` (every theme when None) that ``filters``
    keep, unordered, with the values bound: the theme page's rows, and the API's."""
    return _filtered(*_shape(theme, filters)).params(**_values(theme, filters))


def _shape(theme: Theme | None, filters: ThreadFilters) -> tuple:
    return theme is not None, bool(filters.goal), bool(filters.language), filters.solved


def _values(theme: Theme | None, filters: ThreadFilters) -> dict:
    theme_id = theme.id if theme is not None else None
    return {"theme_id": theme_id, "goal": filters.goal, "language": filters.language}


@cache
def _thread_list_statements(
    by_theme: bool, by_goal: bool, by_language: bool, solved: bool | None, sort: str
):
    """The count and the page of one shape of thread list (a few dozen shapes in all), built
    once and run with the values as parameters."""
    query = _filtered(by_theme, by_goal, by_language, solved)
    count = select(func.count()).select_from(query.subquery())
    order = thread_order(sort)
    return count, query.order_by(*order).offset(bindparam("offset")).limit(bindparam("limit"))


def _filtered(by_theme: bool, by_goal: bool, by_language: bool, solved: bool | None):
    """The listed threads with the conditions of one shape of filters, values as parameters."""
    query = public_threads(select(Thread))
    if by_theme:
        query = query.where(Thread.theme_id == bindparam("theme_id"))
    if by_goal:
        query = query.where(
            Thread.id.in_(
                select(ThreadGoal.thread_id)
                .join(Goal, Goal.id == ThreadGoal.goal_id)
                .where(Goal.number == bindparam("goal"))
            )
        )
    if by_language:
        query = query.where(Thread.language == bindparam("language"))
    if solved is True:
        query = query.where(Thread.solution_post_id.is_not(None))
    elif solved is False:
        query = query.where(Thread.solution_post_id.is_(None))
    return query


_LATEST_THREADS = (
    public_threads(select(Thread))
    .order_by(
        Thread.featured.desc(), Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc()
    )
    .limit(bindparam("limit"))
)


def latest_threads(
    *, session: Session, limit: int = 10, themes: dict[int, Theme] | None = None
) -> ThreadListPage:
    """Across all themes for the home page: featured, then pinned, then recent activity.
    ``themes``: every theme by id, when the caller has read them already."""
    threads = list(session.exec(_LATEST_THREADS, params={"limit": limit}))
    return _list_page(session, threads, page=1, total=len(threads), per_page=limit, themes=themes)


def _list_page(
    session: Session,
    threads: list[Thread],
    *,
    page: int,
    total: int,
    per_page: int,
    themes: dict[int, Theme] | None = None,
) -> ThreadListPage:
    if themes is None:
        themes = core_queries.themes_by_id(session) if threads else {}
    replied = {t.last_post_id: t.id for t in threads if t.reply_count and t.last_post_id}
    last_authors = (
        dict(session.exec(_AUTHORS_OF_POSTS, params={"ids": sorted(replied)}).all())
        if replied
        else {}
    )
    people = users_by_id(session, [t.author_id for t in threads] + list(last_authors.values()))
    return ThreadListPage(
        threads=threads,
        authors=people,
        last_posters={
            replied[post_id]: people[author_id]
            for post_id, author_id in last_authors.items()
            if author_id in people
        },
        goals=goals_by_thread(session, [t.id for t in threads]),
        themes=themes,
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


_THEME_STATS = public_threads(
    select(
        Thread.theme_id,
        func.count(Thread.id),
        func.coalesce(func.sum(Thread.post_count), 0),
        func.max(Thread.last_post_at),
    )
).group_by(Thread.theme_id)


def theme_overview(*, session: Session) -> list[ThemeStats]:
    """The themes with thread and post counts and latest activity, in one grouped statement."""
    rows = session.exec(_THEME_STATS).all()
    stats = {theme_id: (count, posts, last) for theme_id, count, posts, last in rows}
    return [
        ThemeStats(theme, *stats.get(theme.id, (0, 0, None)))
        for theme in core_queries.all_themes(session)
    ]


def thread_view(
    *, session: Session, thread: Thread, viewer, page: int = 1, per_page: int = POSTS_PER_PAGE
) -> ThreadView:
    """Everything the thread page shows, in a fixed number of statements."""
    window = {"thread_id": thread.id, "offset": (page - 1) * per_page, "limit": per_page}
    posts = list(session.exec(_PAGE_OF_POSTS, params=window))
    counts = {"thread_id": thread.id, "solution_id": thread.solution_post_id or 0}
    total, first_id, solution_number = session.exec(
        _POST_COUNT_FIRST_AND_SOLUTION, params=counts
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
        marked = set(session.exec(_MARKED_USEFUL, params={"user_id": viewer_id, "ids": post_ids}))
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
        solution_number=solution_number if solution else None,
    )


def post_context(*, session: Session, viewer, post: Post, thread: Thread) -> dict:
    """What ``_post.html`` needs to render one post on its own (three statements)."""
    marked = viewer.is_authenticated and bool(
        session.exec(_MARKED_USEFUL, params={"user_id": viewer.id, "ids": [post.id]}).first()
    )
    number = post_number(session=session, post=post)
    return {
        "post": post,
        "thread": thread,
        "author": users_by_id(session, [post.author_id]).get(post.author_id),
        "marked": marked,
        "is_first": number == 1,
        "number": number,
    }


MAX_POST_NUMBER = 2**31 - 1  # a number in an address beyond any thread (and any database integer)


def post_number(*, session: Session, post: Post) -> int:
    """The post's place in its thread, 1 for the first post: what readers call it ("#3").

    A thread shows its posts in the order they were written (by id, as ``page_of_post`` counts),
    and hidden and deleted posts keep their places, so a moderator and a reader see the same
    numbers, and a post's number only changes when moderators move or erase posts before it.
    """
    earlier = session.exec(
        select(func.count())
        .select_from(Post)
        .where(Post.thread_id == post.thread_id, Post.id < post.id)
    ).one()
    return earlier + 1


def post_at(*, session: Session, thread: Thread, number: int) -> Post | None:
    """The post numbered ``number`` in ``thread`` (``post_number``'s inverse)."""
    if not 1 <= number <= MAX_POST_NUMBER:
        return None
    return session.exec(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id).offset(number - 1)
    ).first()
