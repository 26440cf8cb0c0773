"""The thread lists run statements built once per filter shape and fed with parameters: every
combination of filters, theme and page must still give exactly the threads it names, in order."""

from __future__ import annotations

import itertools

from forum.discussions import queries
from forum.discussions.queries import ThreadFilters, list_threads, thread_view
from forum.discussions.service import mark_solution
from tests.factories import make_thread, make_user, themes


def test_every_filter_shape_lists_exactly_its_threads(app, db_session):
    first, second = themes(db_session)[:2]
    author = make_user(db_session)
    made = []
    for n, (theme, language, goal, solved) in enumerate(
        itertools.product((first, second), ("sv", "en"), (7, 11), (True, False))
    ):
        thread, posts = make_thread(
            db_session,
            author,
            title=f"Tråd {n:02d} om energi",
            theme=theme,
            language=language,
            goal_ids=[goal],
            replies=[(make_user(db_session), "Ett svar")] if solved else [],
        )
        if solved:
            mark_solution(session=db_session, actor=author, post=posts[-1])
        made.append((thread.id, theme.id, language, goal, solved))
    db_session.commit()
    for theme, goal, language, solved in itertools.product(
        (None, first, second), (None, 7), (None, "en"), (None, True, False)
    ):
        expected = {
            thread_id
            for thread_id, theme_id, lang, thread_goal, is_solved in made
            if (theme is None or theme_id == theme.id)
            and (goal is None or thread_goal == goal)
            and (language is None or lang == language)
            and (solved is None or is_solved == solved)
        }
        filters = ThreadFilters(goal=goal, language=language, solved=solved)
        listing = list_threads(session=db_session, theme=theme, filters=filters, per_page=3)
        assert listing.total == len(expected)
        seen = [t.id for t in listing.threads]
        for page in range(2, listing.pages + 1):
            more = list_threads(
                session=db_session, theme=theme, filters=filters, page=page, per_page=3
            )
            seen += [t.id for t in more.threads]
        assert sorted(seen) == sorted(expected) and len(seen) == len(expected)
        assert all(listing.themes[t.theme_id].id == t.theme_id for t in listing.threads)
    shapes = 2 * 2 * 2 * 3 * len(queries.SORTS)  # theme, goal, language, solved, sort
    assert queries._thread_list_statements.cache_info().currsize <= shapes


def test_a_thread_page_window_follows_page_and_size(app, db_session):
    thread, posts = make_thread(db_session, replies=6)
    second = thread_view(session=db_session, thread=thread, viewer=None, page=2, per_page=3)
    assert [p.id for p in second.posts] == [p.id for p in posts[3:6]]
    assert second.total_posts == 7 and second.pages == 3 and second.first_post is None
    first = thread_view(session=db_session, thread=thread, viewer=None, page=1, per_page=3)
    assert first.first_post is not None and first.first_post.id == posts[0].id
