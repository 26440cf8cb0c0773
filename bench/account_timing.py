"""Do POST /reset and POST /register answer as fast for a known address as for an unknown one?

    python -m bench.account_timing [REPETITIONS]

The app runs as in production where it matters for the timing: a job queue in a SQLite file
(``JOBS_WORKER`` on, no worker running, so a request only enqueues), production argon2 costs, a
migrated SQLite database. Rate limits and CSRF are off so every request reaches the service.
Known and unknown requests are interleaved (REPETITIONS each, 200 by default), in a shuffled
order each round, so that drift in the machine's load and the wake of the previous request (an
argon2 hash evicts caches) affect both alike; the median and the 90th percentile are printed in
milliseconds.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from forum import create_app
from forum.config import Config
from forum.core.seed import seed_reference_data
from forum.db import make_engine
from forum.migrate import upgrade
from tests.accounts_fixtures import REGISTRATION
from tests.conftest import test_settings
from tests.factories import make_user

KNOWN = "known@example.org"


def _app(directory: Path):
    url = f"sqlite:///{directory / 'forum.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        seed_reference_data(session)
        make_user(session, email=KNOWN)
        session.commit()
    engine.dispose()
    return create_app(
        test_settings(
            DATABASE_URL=url,
            SEARCH_DIR=str(directory / "search_index"),
            INSTANCE_DIR=str(directory / "instance"),
            MAIL_DIR=str(directory / "instance" / "mail"),
            JOBS_WORKER=True,
            JOBS_SQLITE_PATH=str(directory / "instance" / "jobs.db"),
            ARGON2_TIME_COST=Config.ARGON2_TIME_COST,
            ARGON2_MEMORY_COST=Config.ARGON2_MEMORY_COST,
            ARGON2_PARALLELISM=Config.ARGON2_PARALLELISM,
        )
    )


def _timed(client, path: str, data: dict, expect: tuple[int, ...]) -> float:
    started = time.perf_counter()
    response = client.post(path, data=data)
    elapsed = time.perf_counter() - started
    assert response.status_code in expect, (path, data.get("email"), response.status_code)
    return elapsed * 1000


def _summary(samples: list[float]) -> str:
    deciles = statistics.quantiles(samples, n=10)
    return f"median {statistics.median(samples):7.2f} ms   p90 {deciles[-1]:7.2f} ms"


def main(repetitions: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        client = app.test_client()
        times: dict[str, list[float]] = {}
        shuffle = random.Random(7).shuffle
        for i in range(repetitions + 5):  # the first rounds warm caches up and are dropped
            rounds = [
                ("reset known", "/reset", {"email": KNOWN}, (303,)),
                ("reset unknown", "/reset", {"email": f"nobody{i}@example.org"}, (303,)),
                # a taken address was refused (422) before registration answered it as a new one
                ("register known", "/register", {**REGISTRATION, "email": KNOWN}, (303, 422)),
                ("register unknown", "/register", {**REGISTRATION, "email": f"n{i}@x.se"}, (303,)),
            ]
            shuffle(rounds)
            for name, path, data, expect in rounds:
                elapsed = _timed(client, path, data, expect)
                if i >= 5:
                    times.setdefault(name, []).append(elapsed)
        app.extensions["forum_engine"].dispose()
    for name, samples in sorted(times.items()):
        print(f"{name:18} {_summary(samples)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
