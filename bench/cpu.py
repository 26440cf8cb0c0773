"""``make bench-cpu``: CPU time per request of the forum's pages and of the bare reference app.

Requests per second measured with wrk say little on a machine that other work keeps busy; the CPU
time one request takes in its process does not depend on that. So, in this one process:

1. build the same forum as ``bench/pages_bench.py`` (``BENCH_CPU_POSTS`` generated posts, default
   20,000, the 30-post thread, the demo content, a member), or reuse the one kept in
   ``BENCH_CPU_DIR`` from an earlier run (built there when missing);
2. create the forum's WSGI application and ``bench/reference_app.py`` over the same database, and
   log the member in through the login form;
3. call each application exactly as gunicorn does (``app(environ, start_response)``, the answer
   read to its end and closed) with an environ prepared once per page, first to warm up, then in
   ``BENCH_CPU_BATCHES`` batches (10) of ``BENCH_CPU_REQUESTS`` requests (20) per page, the pages
   taking turns request by request; print each page's ``time.process_time`` per request (best
   and median batch) and its share of the reference (the median over batches of the reference's
   CPU ms over the page's in the same batch: the share of the reference's requests per second a
   CPU-bound server would reach); then each feed, export and API list as a share of the page
   it mirrors (``MIRRORS``: the page's CPU ms over its own, median over batches), one API list
   asked with its own ETag (its 304) among them.

``--profile PAGE`` runs cProfile over that page's requests instead and prints the functions with
the most time of their own and with the most time below them. Background threads are switched off
(index retries and rebuilds), so the process's CPU time is the requests' alone.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from .pages_bench import CONDITIONAL, MIRRORS, build_forum, pages
from .search_bench import bench_env

POSTS = int(os.environ.get("BENCH_CPU_POSTS", "20000"))
BATCHES = int(os.environ.get("BENCH_CPU_BATCHES", "10"))
REQUESTS = int(os.environ.get("BENCH_CPU_REQUESTS", "20"))
WARM_UP = 20
REFERENCE = "reference, thread, 30 posts"
LOGGED_IN = "thread, 30 posts, logged in"


def prepare(keep: Path | None) -> tuple[Path, dict, str]:
    """The forum's directory, its environment and the bench member's password."""
    tmp = keep or Path(tempfile.mkdtemp(prefix="forum-cpu-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    env = {
        **bench_env(tmp),
        "BENCH_DATABASE": str(tmp / "bench.db"),
        "FORUM_SEARCH_RETRY_INTERVAL": "0",
        "FORUM_SEARCH_BACKGROUND_REBUILD": "false",
    }
    saved = tmp / "bench-password"
    if not saved.exists():
        (tmp / "bench.db").unlink(missing_ok=True)
        _, password = build_forum(tmp, env, POSTS)
        saved.write_text(password)
    return tmp, env, saved.read_text()


class Caller:
    """One page of one WSGI application, called as gunicorn calls it."""

    def __init__(self, app, path: str, headers: dict | None = None, expected: str = "200"):
        from werkzeug.test import EnvironBuilder

        headers = {"Accept-Language": "sv", "User-Agent": "bench", **(headers or {})}
        builder = EnvironBuilder(path=path, base_url="http://127.0.0.1:8000", headers=headers)
        self.environ = builder.get_environ()
        self.environ["REMOTE_ADDR"] = "127.0.0.1"
        self.app = app
        self.path = path
        self.expected = expected
        self.status = ""
        self.etag = ""

    def _start_response(self, status, headers, exc_info=None):
        self.status = status
        self.etag = dict(headers).get("ETag", "")

    def __call__(self) -> bytes:
        answer = self.app(dict(self.environ), self._start_response)
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        if not self.status.startswith(self.expected):
            raise SystemExit(f"{self.environ['PATH_INFO']} answered {self.status}")
        return body


def log_in(app, password: str) -> str:
    """The cookie header of the bench member, logged in through the login form."""
    from .pages_bench import LOGIN

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "email": LOGIN[0], "password": password})
    answer = client.get("/notifications")
    if answer.status_code != 200:
        raise SystemExit(f"the bench member could not log in ({answer.status_code})")
    return answer.request.environ["HTTP_COOKIE"]


def callers(env: dict, password: str) -> dict[str, Caller]:
    os.environ.update(env)
    from forum import create_app

    from . import reference_app

    forum = create_app()
    paths = pages(Path(env["BENCH_DATABASE"]))
    paths.pop("search, common word")  # search has its own bench
    thread_id = re.search(r"/threads/(\d+)", paths["thread, 30 posts"]).group(1)
    found = {REFERENCE: Caller(reference_app.app, f"/threads/{thread_id}")}
    client = forum.test_client()
    for name, path in paths.items():  # the final address, after a redirect to the canonical one
        asked = client.get(path, follow_redirects=True).request
        query = asked.query_string.decode()
        final = asked.path + (f"?{query}" if query else "")
        found[name] = Caller(forum, final)
        if name in CONDITIONAL:  # asked with the ETag of its own answer: its 304
            found[name]()
            found[name] = Caller(forum, final, {"If-None-Match": found[name].etag}, "304")
    cookie = {"Cookie": log_in(forum, password)}
    found[LOGGED_IN] = Caller(forum, found["thread, 30 posts"].path, cookie)
    if b'id="reply-form"' not in found[LOGGED_IN]():
        raise SystemExit("the logged-in thread page has no reply form: not logged in?")
    return found


def measure(pages: dict[str, Caller]) -> dict[str, list[float]]:
    """CPU ms per request of each page in each batch. Within a batch the pages take turns
    request by request, so a busy moment of the machine falls on all of them alike."""
    for call in pages.values():
        for _ in range(WARM_UP):
            call()
    batches: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(BATCHES):
        spent = dict.fromkeys(pages, 0.0)
        for _ in range(REQUESTS):
            for name, call in pages.items():
                started = time.process_time()
                call()
                spent[name] += time.process_time() - started
        for name, seconds in spent.items():
            batches[name].append(seconds * 1000 / REQUESTS)
    return batches


def report(batches: dict[str, list[float]]) -> None:
    """Best and median batch of each page, and its share of the reference: the median over
    batches of the reference's time over the page's in the same batch."""
    reference = batches[REFERENCE]
    print(f"CPU ms per request, {BATCHES} batches of {REQUESTS}, load {os.getloadavg()[0]:.1f}")
    print(f"{'page':32} {'best':>7} {'median':>7} {'share':>6}")
    for name, samples in batches.items():
        share = statistics.median(r / s for r, s in zip(reference, samples, strict=True))
        print(f"{name:32} {min(samples):7.2f} {statistics.median(samples):7.2f} {share:6.0%}")
    print(f"\n{'data address':32} {'mirrors':14} {'share of that page':>20}")
    for name, page in MIRRORS.items():
        if name in batches and page in batches:
            share = statistics.median(p / d for p, d in zip(batches[page], batches[name]))
            print(f"{name:32} {page:14} {share:19.0%}")


def profile(call: Caller, sort: str, lines: int = 35) -> None:
    for _ in range(WARM_UP):
        call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(BATCHES * REQUESTS):
        call()
    profiler.disable()
    for key in ("tottime", "cumulative") if sort == "both" else (sort,):
        pstats.Stats(profiler).strip_dirs().sort_stats(key).print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", metavar="PAGE", help="cProfile this page instead")
    parser.add_argument("--sort", default="both", choices=["tottime", "cumulative", "both"])
    arguments = parser.parse_args()
    keep = os.environ.get("BENCH_CPU_DIR")
    tmp, env, password = prepare(Path(keep) if keep else None)
    try:
        found = callers(env, password)
        if arguments.profile:
            profile(found[arguments.profile], arguments.sort)
        else:
            report(measure(found))
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
