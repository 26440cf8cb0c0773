"""``make bench``: search performance on a generated forum (default 100,000 posts).

Steps (everything in a temporary directory, removed at the end; nothing is committed):

1. generate ``BENCH_POSTS`` posts as JSON Lines from the text of the shared corpora (titles and
   paragraphs recombined into threads of 2-20 posts, dated over ten years);
2. ``flask forum import`` it (posts per second, including indexing);
3. ``flask forum reindex`` (full rebuild beside the live index, then swap);
4. serve it with gunicorn (2 workers) on 127.0.0.1 and request ``/search`` pages with
   natural-language queries (snippets and facets on): median and p95 of the server-side time
   (``Server-Timing``), wall-clock and CPU time (the CPU time does not grow on a busy machine);
5. a reply with its index update, in-process: median commit time with and without the index update.

``BENCH_SEARCH_DIR=dir`` keeps the generated forum there: a later run with the same directory only
reindexes (with the code of that run) and measures. The script stops by itself (a time limit per
step; gunicorn is stopped at the end). Measuring only.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from forum.config import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent
POSTS = int(os.environ.get("BENCH_POSTS", "100000"))
STEP_TIMEOUT = int(os.environ.get("BENCH_STEP_TIMEOUT", "3600"))
SEARCHES = int(os.environ.get("BENCH_SEARCHES", "200"))
THEME = "klimatneutral-framtid"
# BENCH_CORPUS=riksdagen_interpellations_urban_sv: that shared corpus as it is, not generated posts
CORPUS = os.environ.get("BENCH_CORPUS", "")


def corpus_text() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(lang, title) and (lang, paragraph) pools from every corpus file."""
    titles, paragraphs = [], []
    for path in sorted(CORPUS_DIR.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                lang = record.get("lang") or "sv"
                if record.get("title"):
                    titles.append((lang, record["title"]))
                for part in re.split(r"\n\s*\n", record.get("body") or ""):
                    if len(part) > 40:
                        paragraphs.append((lang, part[:1500]))
    return titles, paragraphs


def generate(path: Path, posts: int, seed: int = 5) -> int:
    rng = random.Random(seed)
    titles, paragraphs = corpus_text()
    by_lang = {lang: [p for p_lang, p in paragraphs if p_lang == lang] for lang in ("sv", "en")}
    written, thread_no = 0, 0
    start = time.mktime((2015, 1, 1, 0, 0, 0, 0, 0, -1))
    with gzip.open(path, "wt", encoding="utf-8") as out:
        while written < posts:
            thread_no += 1
            lang, title = rng.choice(titles)
            pool = by_lang[lang] or by_lang["sv"]
            moment = start + rng.random() * 10 * 365 * 86400
            for n in range(min(rng.randint(2, 20), posts - written)):
                body = "\n\n".join(rng.sample(pool, k=rng.randint(1, 3)))
                out.write(
                    json.dumps(
                        {
                            "thread_id": f"b{thread_no}",
                            "post_id": f"b{thread_no}-{n}",
                            "parent_id": None if n == 0 else f"b{thread_no}-0",
                            "title": title if n == 0 else None,
                            "body": body,
                            "lang": lang,
                            "author": f"bench_{rng.randint(1, 2000)}",
                            "created": time.strftime(
                                "%Y-%m-%dT%H:%M:%S", time.gmtime(moment + n * 3600)
                            ),
                            "tags": [],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                written += 1
    return written


def run(env: dict, *args: str) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(
        [str(BIN / "flask"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        cwd=PROJECT_ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.monotonic() - started, done.stdout.strip().splitlines()[
        -1
    ] if done.stdout.strip() else ""


def migrate(env: dict) -> None:
    """``alembic upgrade head`` on ``env``'s database."""
    subprocess.run(
        [str(BIN / "alembic"), "upgrade", "head"],
        env=env,
        check=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
        timeout=STEP_TIMEOUT,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def queries(rng: random.Random) -> list[str]:
    labelled = []
    for path in (PROJECT_ROOT / "tests" / "search").glob("labels_*.json"):
        labelled += [q["q"] for q in json.loads(path.read_text(encoding="utf-8"))["queries"]]
    extra = [
        "kompost",
        "klimatneutral",
        "hållbarhet",
        "solceller",
        "dagvatten",
        "recycling",
        "energy",
        "bostad",
        "kollektivtrafik",
        "heat pump",
        '"förnybar energi"',
        "kompost*",
        "vatten -avlopp",
    ]
    items = labelled + extra
    return [rng.choice(items) for _ in range(SEARCHES)]


def measure_search(base: str) -> dict:
    rng = random.Random(7)
    server, cpu, client = [], [], []
    for n, q in enumerate(queries(rng)):
        url = f"{base}/search?" + urllib.parse.urlencode({"q": q})
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            timing = response.headers.get("Server-Timing", "")
        elapsed = (time.perf_counter() - started) * 1000
        match = re.search(r"page;dur=([\d.]+)", timing)
        if n >= 10:  # the first requests warm the workers' caches
            client.append(elapsed)
            server.append(float(match.group(1)) if match else elapsed)
            cpu.append(float(re.search(r"cpu;dur=([\d.]+)", timing).group(1)))
    return {
        "server_median_ms": statistics.median(server),
        "server_p95_ms": _p95(server),
        "server_cpu_median_ms": statistics.median(cpu),
        "server_cpu_p95_ms": _p95(cpu),
        "load_average": os.getloadavg()[0],
        "client_median_ms": statistics.median(client),
        "client_p95_ms": _p95(client),
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure_replies(env: dict, count: int = 40) -> dict:
    code = f"""
import statistics, time, json
from sqlmodel import Session, select
from forum import create_app
from forum.discussions.models import Post, Thread
from forum.markup import render_markdown
app = create_app()
engine = app.extensions["forum_engine"]
threads = Session(engine).exec(select(Thread.id).limit({count * 2})).all()
def reply(thread_id, defer):
    with Session(engine) as session:
        session.info["search_defer_apply"] = defer
        body = "Ett svar om kompost och solceller i bostadsrättsföreningen, tack för tipsen."
        session.add(
            Post(thread_id=thread_id, body=body, body_html=render_markdown(body), language="sv")
        )
        started = time.perf_counter()
        session.commit()
        return (time.perf_counter() - started) * 1000
with_index = [reply(t, False) for t in threads[:{count}]]
without = [reply(t, True) for t in threads[{count}:]]
app.extensions["search"].apply_pending()
print(json.dumps({{"reply_commit_with_index_median_ms": statistics.median(with_index),
                  "reply_commit_without_index_median_ms": statistics.median(without)}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        cwd=PROJECT_ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"reply measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_env(tmp: Path) -> dict:
    """A forum of its own in ``tmp``: database, index, instance; no rate limits, no worker."""
    return {
        **os.environ,
        "FORUM_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "FORUM_SEARCH_DIR": str(tmp / "index"),
        "FORUM_INSTANCE_DIR": str(tmp / "instance"),
        "FORUM_SECRET_KEY": "bench-only-secret",
        "FLASK_APP": "forum:create_app",
        "FORUM_RATELIMIT_ENABLED": "false",
        # the reply timing measures the index update in the committing process, without a worker
        "FORUM_JOBS_WORKER": "false",
    }


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within 120 s")


def serve(app: str, port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", app],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> None:
    keep = os.environ.get("BENCH_SEARCH_DIR")
    tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="forum-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    env = bench_env(tmp)
    gunicorn = None
    figures: dict[str, float | int | str] = {}
    try:
        data = tmp / "bench.jsonl.gz"
        if (tmp / "imported").exists():  # kept from an earlier run: reindex and measure again
            figures["posts"] = sum(1 for _ in gzip.open(data, "rt", encoding="utf-8"))
        elif CORPUS:
            shutil.copy(CORPUS_DIR / f"{CORPUS.removesuffix('.jsonl.gz')}.jsonl.gz", data)
            figures["posts"] = sum(1 for _ in gzip.open(data, "rt", encoding="utf-8"))
        else:
            figures["posts"] = generate(data, POSTS)
        if not (tmp / "imported").exists():
            migrate(env)
            run(env, "forum", "seed")
            run(env, "forum", "seed-glossary")
            elapsed, line = run(env, "forum", "import", str(data), "--theme", THEME)
            figures["import_seconds"] = round(elapsed, 1)
            figures["import_posts_per_second"] = round(figures["posts"] / elapsed, 1)
            print("import:", line, flush=True)
            (tmp / "imported").touch()
        elapsed, line = run(env, "forum", "reindex")
        figures["reindex_seconds"] = round(elapsed, 1)
        print("reindex:", line, flush=True)
        port = free_port()
        gunicorn = serve("forum:create_app()", port, env)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz")
        figures.update({k: round(v, 1) for k, v in measure_search(base).items()})
        stop(gunicorn)
        gunicorn = None
        figures.update({k: round(v, 1) for k, v in measure_replies(env).items()})
    finally:
        stop(gunicorn)
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
