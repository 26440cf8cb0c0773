"""How long does a daily digest for many members take, from the run to the mail server?

    python -m bench.digest_bench [MEMBERS]

A migrated SQLite database gets MEMBERS members (5,000 by default), 500 threads with 4 replies
each, 50 watched threads per member and 10 unsent reply notifications per member from the last
day (50,000 in all, about a third of them in one thread's group). The digest job then builds every
member's digest (``send_digest``: visibility, grouping, both bodies, the outbox rows), and the
outbox's deliverer hands them to an aiosmtpd server on 127.0.0.1 (``tests/mail_fixtures.py``).
Printed: the seconds of each step and of both together, and the messages the server received.
"""

from __future__ import annotations

import logging
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, select

from forum import create_app
from forum.accounts.models import User
from forum.clock import utcnow
from forum.core.models import Theme
from forum.core.seed import seed_reference_data
from forum.db import make_engine
from forum.discussions.models import Post, Thread
from forum.mail.outbox import deliver_due
from forum.migrate import upgrade
from forum.notifications.digests import Period, send_digest
from forum.notifications.models import Notification, Watch
from tests.conftest import test_settings
from tests.mail_fixtures import SMTPServer

THREADS, REPLIES, WATCHED, NOTIFIED = 500, 4, 50, 10


def populate(url: str, members: int) -> None:
    upgrade(url)
    engine = make_engine(url)
    rng = random.Random(13)
    now = utcnow()
    with Session(engine) as session:
        seed_reference_data(session)
        session.commit()
        themes = [t.id for t in session.exec(select(Theme))]
        session.execute(insert(User), [
            {"display_name": f"Medlem {n}", "email": f"m{n}@example.org", "handle": f"m{n}",
             "locale": "en" if n % 3 == 0 else "sv", "role": "member", "actor_type": "individual",
             "session_token": f"t{n}", "confirmed_at": now, "created_at": now, "bio": "",
             "bio_html": "", "is_placeholder": False}
            for n in range(members)
        ])  # fmt: skip
        user_ids = list(session.exec(select(User.id).order_by(User.id)))
        session.execute(insert(Thread), [
            {"kind": "discussion", "theme_id": themes[n % len(themes)], "title": f"Tråd {n}",
             "slug": f"trad-{n}", "author_id": user_ids[0], "language": "sv", "created_at": now,
             "last_post_at": now, "post_count": REPLIES + 1}
            for n in range(THREADS)
        ])  # fmt: skip
        thread_ids = list(session.exec(select(Thread.id).order_by(Thread.id)))
        session.execute(insert(Post), [
            {"thread_id": t, "author_id": user_ids[0], "body": "Svar", "body_html": "<p>Svar</p>",
             "language": "sv", "created_at": now}
            for t in thread_ids for _ in range(REPLIES + 1)
        ])  # fmt: skip
        posts: dict[int, list[int]] = {}
        for post_id, thread_id in session.exec(select(Post.id, Post.thread_id)):
            posts.setdefault(thread_id, []).append(post_id)
        watches, notes = [], []
        for user_id in user_ids:
            mine = rng.sample(thread_ids, WATCHED)
            watches += [
                {"user_id": user_id, "target_type": "thread", "target_key": str(t),
                 "level": "watching", "created_at": now, "updated_at": now} for t in mine
            ]  # fmt: skip
            for n in range(NOTIFIED):
                thread_id = mine[0] if n % 3 == 0 else rng.choice(mine)
                notes.append({
                    "user_id": user_id, "kind": "reply", "actor_id": user_ids[0],
                    "thread_id": thread_id, "post_id": rng.choice(posts[thread_id][1:]),
                    "reason": f"thread:{thread_id}", "group_key": f"reply:{thread_id}",
                    "created_at": now - timedelta(hours=rng.randint(1, 20)),
                })  # fmt: skip
        session.execute(insert(Watch), watches)
        session.execute(insert(Notification), notes)
        session.commit()
    engine.dispose()


def main(members: int) -> None:
    for name in ("mail.log", "forum.mail"):  # a line per message would be measured too
        logging.getLogger(name).setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        url = f"sqlite:///{directory / 'forum.db'}"
        started = time.perf_counter()
        populate(url, members)
        print(f"generated {members} members, {members * NOTIFIED} notifications, "
              f"{members * WATCHED} watches in {time.perf_counter() - started:.1f} s")  # fmt: skip
        server = SMTPServer().start()
        app = create_app(
            test_settings(
                DATABASE_URL=url,
                SEARCH_DIR=str(directory / "search_index"),
                INSTANCE_DIR=str(directory / "instance"),
                MAIL_DIR=str(directory / "instance" / "mail"),
                JOBS_WORKER=True,  # the run only enqueues its nudge: no worker runs it
                JOBS_SQLITE_PATH=str(directory / "instance" / "jobs.db"),
                **server.settings,
            )
        )
        try:
            with app.app_context():
                period = Period("daily", "daily-bench", utcnow() - timedelta(days=1), utcnow())
                started = time.perf_counter()
                queued = send_digest(period)
                built = time.perf_counter() - started
                started = time.perf_counter()
                sent = deliver_due()
                delivered = time.perf_counter() - started
        finally:
            server.stop()
            app.extensions["forum_engine"].dispose()
        print(f"digests built and queued: {queued} in {built:.1f} s")
        print(f"handed to the mail server: {sent} in {delivered:.1f} s "
              f"(received {len(server.messages)})")  # fmt: skip
        print(f"total: {built + delivered:.1f} s for {members} members (goal: within 120 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
