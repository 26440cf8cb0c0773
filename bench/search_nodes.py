"""Two app nodes on one PostgreSQL database: does every change reach both indexes?

    .ci/with-postgres python -m bench.search_nodes [SECONDS]

Three writer threads per node create threads and edit recent posts for SECONDS (30), pausing up
to 20 ms between the flush and the commit, so transactions holding lower outbox ids often commit
after higher ones. Then each node applies what it has pending (as its retry loop would) and
``check-index``'s comparison counts the documents each index lacks or holds stale. The database
is the throw-away one ``.ci/with-postgres`` starts (its schema is dropped first).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import threading
import time

from sqlalchemy import text
from sqlmodel import Session, select

from forum import create_app
from forum.db import make_engine
from forum.discussions.models import Post
from forum.markup import render_markdown
from forum.search import get_search_service
from forum.search.consistency import compare_index
from tests.conftest import migrate_and_seed, test_settings
from tests.factories import make_thread, make_user


def _fresh_database(url: str):
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate_and_seed(url)
    return engine


def _write(app, author, seed: int, stop: float, counts: dict) -> None:
    rnd = random.Random(seed)
    with Session(app.extensions["forum_engine"], expire_on_commit=False) as session:
        while time.monotonic() < stop:
            recent = session.exec(select(Post).order_by(Post.id.desc()).limit(50)).all()
            if recent and rnd.random() < 0.3:
                post = rnd.choice(recent)
                post.body = f"Redigerad {rnd.random()}"
                post.body_html = render_markdown(post.body)
                session.add(post)
                session.flush()
                kind = "edits"
            else:
                title = f"Tråd {seed} {rnd.random()}"
                make_thread(session, author, title, "Om kompost.", direct=True, commit=False)
                kind = "threads"
            time.sleep(rnd.random() * 0.02)  # between the flush (ids taken) and the commit
            session.commit()
            counts[kind] += 1


def main(seconds: float) -> None:
    url = os.environ.get("FORUM_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit("run under .ci/with-postgres (it sets FORUM_TEST_DATABASE_URL)")
    engine = _fresh_database(url)
    tmp = tempfile.mkdtemp(prefix="forum-nodes-")
    nodes = [
        create_app(
            test_settings(
                DATABASE_URL=url,
                SEARCH_DIR=f"{tmp}/index-{name}",
                INSTANCE_DIR=f"{tmp}/instance",
                MAIL_DIR=f"{tmp}/instance/mail",
                SEARCH_RETRY_INTERVAL=0,
            )
        )
        for name in "ab"
    ]
    with Session(engine, expire_on_commit=False) as session:
        author = make_user(session)
    counts = {"threads": 0, "edits": 0}
    stop = time.monotonic() + seconds
    writers = [
        threading.Thread(target=_write, args=(node, author, n * 10 + k, stop, counts))
        for n, node in enumerate(nodes)
        for k in range(3)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    print(f"{counts['threads']} threads and {counts['edits']} edits in {seconds:.0f} s")
    for name, node in zip("ab", nodes, strict=True):
        service = get_search_service(node)
        while service.apply_pending():
            pass
        with Session(engine) as session:
            report = compare_index(session, service.store)
        print(
            f"node {name}: {len(report.missing)} missing, {len(report.stale)} stale, "
            f"{len(report.extra)} extra, {service.pending_count()} pending"
        )


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)
