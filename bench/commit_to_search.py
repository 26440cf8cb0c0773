"""``make bench``, second part: seconds from a reply's acknowledged commit until search finds it,
with 16 members writing.

The forum runs as ``make run`` starts it: the ``Procfile``'s gunicorn (2 workers) and job worker
(``tests/processes.py``), on a fresh database in a temporary directory: SQLite, or PostgreSQL at
``BENCH_DATABASE_URL`` (or the throw-away server of ``.ci/with-postgres``, which sets
``FORUM_TEST_DATABASE_URL``; the database's schema is dropped first). Rate limits are off.

16 members (``tests/load.py``), each with its own session, post replies for ``BENCH_SECONDS``
(60), pausing up to ``BENCH_PAUSE`` seconds (1) after each; every reply holds a made-up word. A
prober asks ``/search`` for the words not found yet (up to 15 in one question) every 0.1 s, and
a reply's latency runs from the moment its 303 arrived to the moment the answer that lists it
arrived, so it includes that search's own time under the load; ``sent_search_found_it`` runs
to the moment that search was sent instead (the index's part, give or take the 0.1 s between
searches). Prints medians and p99s (targets 1 s and 3 s; reported, never asserted).

    make bench                                        # SQLite (after the search bench)
    .ci/with-postgres .venv/bin/python -m bench.commit_to_search
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests
from sqlalchemy import text
from sqlmodel import Session

from forum import create_app
from forum.db import make_engine
from tests.conftest import migrate_and_seed, test_settings
from tests.load import Ledger, crowd, start_members, stop_members
from tests.processes import Forum

SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
PAUSE = float(os.environ.get("BENCH_PAUSE", "1"))
MEMBERS = 16
BATCH = 15  # words in one search (the query keeps 24)
PROBE_EVERY = 0.1
DRAIN = 60.0  # seconds the prober keeps looking after the writers stopped


class Prober:
    """Searches for the replies not found yet and notes how long each took to appear."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.waiting: dict[str, tuple[int, float]] = {}  # word -> (post id, acknowledged at)
        self.latencies: list[float] = []
        self.requests: list[float] = []  # how long each search took to answer, under the load
        self.lags: list[float] = []  # to the search that found it being sent: the index's part
        self.lock = threading.Lock()

    def note(self, post_id: int, word: str, acknowledged: float) -> None:
        with self.lock:
            self.waiting[word] = (post_id, acknowledged)

    def run(self, writers_done: threading.Event) -> None:
        http = requests.Session()
        deadline = None
        while True:
            if writers_done.is_set():
                deadline = deadline or time.monotonic() + DRAIN
                if not self.waiting or time.monotonic() > deadline:
                    return
            with self.lock:
                batch = list(self.waiting.items())[:BATCH]
            if batch:
                q = " ".join(word for word, _ in batch)
                asked = time.monotonic()
                html = http.get(f"{self.base}/search", params={"q": q}, timeout=60).text
                answered = time.monotonic()
                self.requests.append(answered - asked)
                with self.lock:
                    for word, (post_id, acknowledged) in batch:
                        if f"#post-{post_id}" in html:
                            self.latencies.append(answered - acknowledged)
                            self.lags.append(max(0.0, asked - acknowledged))
                            del self.waiting[word]
            time.sleep(PROBE_EVERY)


def fresh_database(tmp: Path) -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("FORUM_TEST_DATABASE_URL")
    if url:
        with make_engine(url).begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        url = f"sqlite:///{tmp / 'bench.db'}"
    migrate_and_seed(url)
    return url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="forum-commit-bench-"))
    try:
        url = fresh_database(tmp)
        settings = test_settings(
            DATABASE_URL=url,
            SEARCH_DIR=str(tmp / "index"),
            INSTANCE_DIR=str(tmp / "instance"),
            MAIL_DIR=str(tmp / "instance" / "mail"),
            JOBS_SQLITE_PATH=str(tmp / "instance" / "jobs.db"),
        )
        app = create_app(settings)  # creates the empty index
        ledger = Ledger()
        forum = Forum(settings, tmp, FORUM_RATELIMIT_ENABLED="false")
        with Session(app.extensions["forum_engine"]) as session:
            members = crowd(session, forum.url, ledger, MEMBERS)
        prober = Prober(forum.url)
        for member in members:
            member.on_reply = prober.note
        with forum:
            stop, writers_done = threading.Event(), threading.Event()
            probing = threading.Thread(target=prober.run, args=(writers_done,), daemon=True)
            probing.start()
            writers = start_members(members, stop, pause=PAUSE, mix={"reply": 1})
            time.sleep(SECONDS)
            stop_members(writers, stop)
            writers_done.set()
            probing.join()
        app.extensions["forum_engine"].dispose()
        found = prober.latencies
        figures = {
            "database": url.partition(":")[0],
            "members": MEMBERS,
            "seconds": SECONDS,
            "replies_acknowledged": ledger.acknowledged,
            "replies_per_second": round(ledger.acknowledged / SECONDS, 1),
            "replies_found": len(found),
            "replies_not_found": len(prober.waiting),
            "errors": len(ledger.failures),
            "commit_to_searchable_median_s": round(statistics.median(found), 3) if found else None,
            "commit_to_searchable_p99_s": round(percentile(found, 0.99), 3) if found else None,
            "sent_search_found_it_median_s": round(statistics.median(prober.lags), 3),
            "sent_search_found_it_p99_s": round(percentile(prober.lags, 0.99), 3),
            "search_request_median_s": round(statistics.median(prober.requests), 3),
            "search_request_p99_s": round(percentile(prober.requests, 0.99), 3),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
