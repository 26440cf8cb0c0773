"""`flask forum import` keeps what the source says: whole titles, the titles of replies, and dates
taken from the neighbours of a post without one (never the moment of the import)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

from sqlmodel import select

from forum.core.models import Theme
from forum.discussions.models import Post, Thread
from forum.search.jsonl import TITLE_MAX


def _import(runner, db_session, path):
    theme = db_session.exec(select(Theme.slug)).first()
    result = runner.invoke(args=["forum", "import", str(path), "--theme", theme])
    assert result.exit_code == 0, result.output


def _write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _record(thread, post, parent=None, **values):
    return {
        "thread_id": thread,
        "post_id": post,
        "parent_id": parent,
        "body": values.pop("body", f"Inlägg {post} om dagvatten."),
        "lang": "sv",
        "author": None,
        **values,
    }


def _posts(db_session, title):
    thread = db_session.exec(select(Thread).where(Thread.title == title)).one()
    posts = db_session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
    return thread, posts.all()


def test_long_titles_are_kept_whole_and_only_overlong_ones_end_in_an_ellipsis(
    runner, db_session, tmp_path
):
    long = "Hur " + "långt kan en rubrik om dagvatten och skyfall bli " * 6  # about 300 characters
    overlong = "Ord " * 200
    _import(
        runner,
        db_session,
        _write(
            tmp_path / "titles.jsonl",
            [
                _record("t1", "p1", title=long, created="2021-03-01T10:00:00"),
                _record("t2", "p2", title=overlong, created="2021-03-02T10:00:00"),
            ],
        ),
    )
    titles = sorted(db_session.exec(select(Thread.title)).all(), key=len)
    assert titles[0] == " ".join(long.split()) and len(titles[0]) > 200
    assert titles[1].endswith("…") and len(titles[1]) <= TITLE_MAX
    assert titles[1].startswith("Ord Ord")


def test_a_reply_with_a_title_of_its_own_starts_with_it_in_bold(runner, db_session, tmp_path):
    _import(
        runner,
        db_session,
        _write(
            tmp_path / "replies.jsonl",
            [
                _record("t1", "p1", title="Gröna tak", created="2021-03-01T10:00:00"),
                _record("t1", "p2", "p1", title="Re: Gröna tak", created="2021-03-02T10:00:00"),
                _record("t1", "p3", "p1", title="Gröna tak", created="2021-03-03T10:00:00"),
                _record("t1", "p4", "p1", title="Sedum *och* ängar", created="2021-03-04T10:00:00"),
            ],
        ),
    )
    _thread, (first, reply, same, own) = _posts(db_session, "Gröna tak")
    assert "<strong>Re: Gröna tak</strong>" in reply.body_html
    assert same.body == "Inlägg p3 om dagvatten."  # the thread's own title is not repeated
    assert own.body.startswith("**Sedum \\*och\\* ängar**\n\n")
    assert "<strong>Sedum *och* ängar</strong>" in own.body_html
    assert "<strong>" not in first.body_html


def test_posts_without_a_date_take_their_neighbours(runner, db_session, tmp_path):
    _import(
        runner,
        db_session,
        _write(
            tmp_path / "dates.jsonl",
            [
                _record("t1", "p1", title="Första tråden", created="2019-05-01T10:00:00"),
                _record("t1", "p2", "p1"),  # a reply without a date: its parent's
                _record("t1", "p3", "p1", created="2019-05-03T10:00:00"),
                _record("t2", "p4", title="Tråd utan datum"),  # the thread before it
                _record("t2", "p5", "p4", created="not a date"),
                _record("t3", "p6", title="Sista tråden", created="2019-06-01T08:00:00"),
            ],
        ),
    )
    thread, posts = _posts(db_session, "Första tråden")
    assert [p.created_at for p in posts] == [
        datetime(2019, 5, 1, 10),
        datetime(2019, 5, 1, 10),
        datetime(2019, 5, 3, 10),
    ]
    thread, posts = _posts(db_session, "Tråd utan datum")
    assert thread.created_at == datetime(2019, 5, 1, 10)
    assert {p.created_at for p in posts} == {datetime(2019, 5, 1, 10)}


def test_a_file_without_any_dates_is_dated_by_the_file(runner, db_session, tmp_path):
    path = _write(
        tmp_path / "undated.jsonl",
        [_record("t1", "p1", title="Odaterad tråd"), _record("t1", "p2", "p1")],
    )
    moment = datetime(2018, 2, 3, 4, 5, 6, tzinfo=UTC)
    os.utime(path, (moment.timestamp(), moment.timestamp()))
    _import(runner, db_session, path)
    thread, posts = _posts(db_session, "Odaterad tråd")
    assert thread.created_at == moment.replace(tzinfo=None)  # stored as naive UTC
    assert [p.created_at for p in posts] == [thread.created_at] * 2
