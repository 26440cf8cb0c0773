"""``make bench``: page speed against a bare reference app, measured in the same run.

Steps (everything in a temporary directory, removed at the end; nothing is committed):

1. generate ``BENCH_PAGE_POSTS`` posts (default 20,000) from the shared corpora, plus one thread
   of exactly 30 posts, and import them with the demo content (themes, projects, lessons);
2. serve the forum and ``bench/reference_app.py`` (bare Flask + Jinja + sqlite3 rendering the
   same 30 posts from the same database) with gunicorn, 2 sync workers each, exactly alike; the
   forum's job worker runs beside it, as ``make run`` runs it (``BENCH_JOBS_WORKER=false``: the
   web workers run the jobs, the search index updates among them, themselves);
3. for ``BENCH_ROUNDS`` rounds, measure with ``wrk -t2 -c8`` the reference's thread page, then
   each forum page (anonymous, and the thread page logged in), interleaved, so that a busy moment
   of the machine hits both; print the median over rounds of requests per second, p50 and p99,
   each as a share of the reference measured in the same round, with the load average; the
   feeds, ``/lessons.json`` and the API's lists also as a share of the page they mirror
   (``MIRRORS``), and one API list asked again with its own ETag (its 304, ``CONDITIONAL``);
4. a write soak (``BENCH_SOAK_SECONDS``, default 60): members post replies over HTTP while
   readers load pages; then each forum worker's peak and current resident memory.

The script stops by itself (time limits everywhere; both servers are stopped at the end).
"""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from forum.config import PROJECT_ROOT

from .search_bench import (
    THEME,
    bench_env,
    free_port,
    generate,
    migrate,
    run,
    serve,
    stop,
    wait_until_up,
)

BIN = Path(sys.executable).parent
POSTS = int(os.environ.get("BENCH_PAGE_POSTS", "20000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "60"))
CONNECTIONS = 8
LOGIN = ("bench-reader@example.org", "Bench reader")


def add_long_thread(path: Path, posts: int = 30) -> None:
    """Append one thread of exactly ``posts`` posts (the thread page measured)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        sample = [json.loads(line) for _, line in zip(range(posts), handle, strict=False)]
    with gzip.open(path, "at", encoding="utf-8") as out:
        for n, record in enumerate(sample):
            record.update(
                thread_id="bench-long",
                post_id=f"bench-long-{n}",
                parent_id=None if n == 0 else "bench-long-0",
                title="Trettio inlägg om fjärrvärme och solceller" if n == 0 else None,
                author=f"bench_{n % 7 + 1}",
            )
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def build_forum(tmp: Path, env: dict, posts: int) -> tuple[int, str]:
    """Generate ``posts`` posts and the 30-post thread into ``env``'s forum, with the demo content
    and the bench member; the number of generated posts and the member's password."""
    data = tmp / "posts.jsonl.gz"
    count = generate(data, posts)
    add_long_thread(data)
    migrate(env)
    run(env, "forum", "seed", "--demo")
    run(env, "forum", "import", str(data), "--theme", THEME)
    created = subprocess.run(
        [str(BIN / "flask"), "forum", "create-user", "--email", LOGIN[0], "--name", LOGIN[1]]
        + ["--generate-password"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return count, re.search(r"Password: (\S+)", created).group(1)


def pages(database: Path) -> dict[str, str]:
    """The forum paths measured, found in the generated database."""
    with sqlite3.connect(database) as connection:
        thread_id, slug = connection.execute(
            "SELECT id, slug FROM thread WHERE title LIKE 'Trettio inlägg%'"
        ).fetchone()
        lesson = connection.execute(
            "SELECT id FROM lesson WHERE status = 'published' ORDER BY id LIMIT 1"
        ).fetchone()
        project = connection.execute("SELECT slug FROM project ORDER BY id LIMIT 1").fetchone()
    found = {
        "thread, 30 posts": f"/threads/{thread_id}-{slug}",
        "home": "/",
        "theme page": f"/t/{THEME}",
        "search, common word": "/search?q=energi",
    }
    if lesson:
        found["lesson page"] = f"/lessons/{lesson[0]}"
    if project:
        found["project page"] = f"/projects/{project[0]}"
    found.update(
        {
            "lessons list": "/lessons",
            "threads feed (Atom)": "/threads.atom",
            "lessons feed (Atom)": "/lessons.atom",
            "lessons JSON": "/lessons.json",
            "projects list": "/projects",
            "events list": "/events",
            "threads API": "/api/v1/threads",
            "threads API, theme": f"/api/v1/threads?theme={THEME}",
            "threads API, theme, 304": f"/api/v1/threads?theme={THEME}",
            "lessons API": "/api/v1/lessons",
            "projects API": "/api/v1/projects",
            "events API": "/api/v1/events?when=upcoming",
        }
    )
    return found


# a feed, an export or an API list beside the page whose rows it serves: its speed as a share of
# that page's
MIRRORS = {
    "threads feed (Atom)": "home",
    "lessons feed (Atom)": "lessons list",
    "lessons JSON": "lessons list",
    "threads API": "home",
    "threads API, theme": "theme page",
    "threads API, theme, 304": "theme page",
    "lessons API": "lessons list",
    "projects API": "projects list",
    "events API": "events list",
}
# a row asked with the ETag of its own first answer in If-None-Match: its 304
CONDITIONAL = ("threads API, theme, 304",)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, headers: dict[str, str] | None = None) -> dict:
    """Requests per second, p50 and p99 (ms) and non-2xx answers of one wrk run."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "30s", "--latency"]
    command.append(url)
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=SECONDS + 60, check=True
    ).stdout
    if not re.search(r"^\s+99%\s+[\d.]+(us|ms|s|m)\s*$", output, re.M):
        raise SystemExit(f"wrk gave no latency figures for {url}:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)\s*$", output, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)\s*$", output, re.M).group(1)),
        "errors": int(bad.group(1)) if bad else 0,
    }


def log_in(base: str, password: str) -> str:
    """The session cookie of the bench member, logged in through the login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    data = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": LOGIN[0], "password": password}
    ).encode()
    opener.open(base + "/login", data=data, timeout=30).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def worker_memory(master: subprocess.Popen) -> list[tuple[int, int, int]]:
    """(peak, current, private) resident MiB of each gunicorn worker of ``master``: private is
    what the worker alone holds (not the shared libraries' pages), what one more worker costs."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    figures = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024
        now = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        private = sum(int(n) for n in re.findall(r"Private_\w+:\s+(\d+)", rollup)) // 1024
        figures.append((peak, now, private))
    return figures


def soak(base: str, cookie: str, thread_path: str, seconds: int, master) -> int:
    """Replies posted by the bench member while wrk reads; the number of replies written. Each
    minute the workers' resident memory is printed, so that growth over a long soak shows."""
    thread_id = re.search(r"/threads/(\d+)", thread_path).group(1)
    stop_at = time.monotonic() + seconds
    written = [0]

    def write() -> None:
        opener = urllib.request.build_opener()
        opener.addheaders = [("Cookie", cookie)]
        n = 0
        while time.monotonic() < stop_at:
            page = opener.open(base + thread_path, timeout=30).read().decode()
            if 'id="reply-form"' not in page:  # the thread has grown a page: reply on its last
                last = re.search(r'href="([^"]+)#reply"', page).group(1).replace("&amp;", "&")
                page = opener.open(base + last, timeout=30).read().decode()
            form = page[page.index('id="reply-form"') :]
            fields = dict(re.findall(r'name="(reply-[\w]+)" type="hidden" value="([^"]*)"', form))
            n += 1
            fields["reply-body"] = f"Svar {n} i bänkprovet: fjärrvärme, solceller och kompost."
            data = urllib.parse.urlencode(fields).encode()
            try:
                opener.open(f"{base}/threads/{thread_id}/replies", data=data, timeout=30)
            except urllib.error.HTTPError:
                continue
            written[0] += 1

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    reading = subprocess.Popen(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", base + "/"],
        stdout=subprocess.DEVNULL,
    )
    started = time.monotonic()
    while writer.is_alive() and time.monotonic() < started + seconds + 60:
        writer.join(60)
        minute = round((time.monotonic() - started) / 60)
        print(f"  after {minute} min, {written[0]} replies: {worker_memory(master)}", flush=True)
    reading.wait(timeout=60)
    return written[0]


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench installs it)")
    tmp = Path(tempfile.mkdtemp(prefix="forum-pages-bench-"))
    database = tmp / "bench.db"
    env = {**bench_env(tmp), "BENCH_DATABASE": str(database)}
    forum = reference = jobs = None
    try:
        count, password = build_forum(tmp, env, POSTS)  # its jobs run as it goes
        paths = pages(database)
        env["FORUM_JOBS_WORKER"] = os.environ.get("BENCH_JOBS_WORKER", "true")
        forum_port, reference_port = free_port(), free_port()
        forum = serve("forum:create_app()", forum_port, env)
        if env["FORUM_JOBS_WORKER"] == "true":
            jobs = subprocess.Popen(
                [str(BIN / "flask"), "forum", "worker"],
                env=env,
                cwd=PROJECT_ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        reference = serve("bench.reference_app:app", reference_port, env)
        base = f"http://127.0.0.1:{forum_port}"
        reference_base = f"http://127.0.0.1:{reference_port}"
        thread_id = re.search(r"/threads/(\d+)", paths["thread, 30 posts"]).group(1)
        reference_url = f"{reference_base}/threads/{thread_id}"
        wait_until_up(base + "/healthz")
        wait_until_up(reference_url)
        fresh = worker_memory(forum)
        print(f"worker memory (peak/current/private MiB) of fresh workers: {fresh}")
        cookie = log_in(base, password)
        measured = {**paths, "thread, 30 posts, logged in": paths["thread, 30 posts"]}
        headers: dict[str, dict] = {"thread, 30 posts, logged in": {"Cookie": cookie}}
        for name, path in measured.items():  # warm up, and measure the final address
            with urllib.request.urlopen(base + path, timeout=60) as answer:
                answer.read()
                measured[name] = answer.geturl().removeprefix(base)
                if name in CONDITIONAL:
                    headers[name] = {"If-None-Match": answer.headers["ETag"]}
        rows: dict[str, list[dict]] = {name: [] for name in ["reference", *measured]}
        loads = []
        for _ in range(ROUNDS):
            loads.append(os.getloadavg()[0])
            reference_figures = wrk(reference_url)
            rows["reference"].append({**reference_figures, "share": 1.0})
            for name, path in measured.items():
                figures = wrk(base + path, headers.get(name))
                figures["share"] = figures["rps"] / reference_figures["rps"]
                rows[name].append(figures)
        print(f"\nPages, {count + 30:,} posts, wrk -t2 -c{CONNECTIONS}, {SECONDS} s x {ROUNDS}")
        print(f"load average at each round: {', '.join(f'{x:.1f}' for x in loads)}")
        print(f"{'page':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'share':>7} {'errors':>7}")
        summary = {}
        for name, samples in rows.items():
            median = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
            summary[name] = median
            print(
                f"{name:32} {median['rps']:8.1f} {median['p50']:8.1f} {median['p99']:8.1f}"
                f" {median['share']:6.0%} {int(median['errors']):7d}"
            )
        print(f"\n{'data address':32} {'mirrors':14} {'share of that page':>20}")
        for name, page in MIRRORS.items():
            share = summary[name]["rps"] / summary[page]["rps"]
            summary[name]["share_of_page"] = share
            print(f"{name:32} {page:14} {share:19.0%}")
        if SOAK_SECONDS:
            before = worker_memory(forum)
            written = soak(base, cookie, paths["thread, 30 posts"], SOAK_SECONDS, forum)
            after = worker_memory(forum)
            print(
                f"\nworker memory (peak/current/private MiB) before a {SOAK_SECONDS} s write soak: "
                f"{before}; after {written} replies: {after}"
            )
            summary["memory"] = {"before": before, "after": after, "replies": written}
        print(json.dumps(summary, indent=1))
    finally:
        stop(forum)
        stop(reference)
        stop(jobs)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
