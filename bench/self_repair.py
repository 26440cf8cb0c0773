"""Part of ``make bench``: how long the forum takes to repair a damaged search index by itself.

A generated forum (``BENCH_REPAIR_POSTS``, 20,000 posts by default, from the shared corpora as in
``search_bench``) is served as ``make run`` serves it: gunicorn with 2 workers and the job worker.
Each damage is done to the live index on disk, then one search is made (which shows the "being
rebuilt" notice and asks the worker to repair); the figures are the seconds until search finds
results again and until ``/healthz`` answers 200 (its verdict is reused for up to 5 s). Losing
documents behind the outbox's back breaks no search: only the worker's minutely sweep notices it,
so that case waits for the next minute. Everything runs in a temporary directory on 127.0.0.1
(kept, with the processes' logs, when ``BENCH_KEEP`` is set) and stops by itself. Measuring only.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench.search_bench import BIN, THEME, free_port, generate, run
from forum.config import PROJECT_ROOT

POSTS = int(os.environ.get("BENCH_REPAIR_POSTS", "20000"))
LIMIT = 600.0  # seconds a repair may take before the bench gives up on it
QUERY = "/search?q=klimat&lang=en"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def live(search_dir: Path) -> Path:
    return search_dir / os.readlink(search_dir / "current")


def delete_live_directory(search_dir: Path) -> None:
    shutil.rmtree(live(search_dir))


def delete_search_directory(search_dir: Path) -> None:
    shutil.rmtree(search_dir)


def truncate_postings(search_dir: Path) -> None:
    postings = max(live(search_dir).glob("*.pst"), key=lambda path: path.stat().st_size)
    with open(postings, "r+b") as handle:
        handle.truncate(postings.stat().st_size // 2)


def corrupt_table_of_contents(search_dir: Path) -> None:
    folder = live(search_dir)
    latest = max(int(toc.stem.rsplit("_", 1)[1]) for toc in folder.glob("_MAIN_*.toc"))
    (folder / f"_MAIN_{latest + 1}.toc").write_bytes(b"\x00garbage" * 8)


def lose_documents(search_dir: Path, env: dict) -> None:
    """Delete 100 thread documents from the index without an outbox row (as a bug would)."""
    code = (
        "from whoosh import query as Q\n"
        "from forum import create_app\n"
        "from forum.search import get_search_service\n"
        "store = get_search_service(create_app()).store\n"
        "with store.open().searcher() as s:\n"
        "    keys = [h['key'] for h in s.search(Q.Term('kind', 'thread'), limit=100)]\n"
        "with store.writer() as w:\n"
        "    for key in keys: w.delete_by_term('key', key)\n"
    )
    subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True, cwd=PROJECT_ROOT)


def wait(check: Callable[[], bool], started: float) -> float | None:
    while time.monotonic() - started < LIMIT:
        if check():
            return round(time.monotonic() - started, 2)
        time.sleep(0.2)
    return None


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="forum-repair-"))
    search_dir = tmp / "index"
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "FORUM_SEARCH_DIR": str(search_dir),
        "FORUM_INSTANCE_DIR": str(tmp / "instance"),
        "FORUM_JOBS_SQLITE_PATH": str(tmp / "instance" / "jobs.db"),
        "FORUM_SECRET_KEY": "bench-only-secret",
        "FLASK_APP": "forum:create_app",
        "FORUM_RATELIMIT_ENABLED": "false",
        "FORUM_JOBS_WORKER": "true",
    }
    processes: list[subprocess.Popen] = []
    figures: dict[str, object] = {}
    try:
        data = tmp / "bench.jsonl.gz"
        figures["posts"] = generate(data, POSTS)
        subprocess.run(
            [str(BIN / "alembic"), "upgrade", "head"], env=env, check=True, cwd=PROJECT_ROOT
        )
        run(env, "forum", "seed")
        run(env, "forum", "import", str(data), "--theme", THEME)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        for command in (
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}"]
            + ["forum:create_app()"],
            [str(BIN / "flask"), "forum", "worker"],
        ):
            log = open(tmp / f"{len(processes)}.log", "wb")  # kept with BENCH_KEEP=1
            processes.append(
                subprocess.Popen(
                    command, env=env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT
                )
            )

        def healthy() -> bool:
            try:
                return get(base + "/healthz")[0] == 200
            except OSError:
                return False

        def answers() -> bool:
            status, page = get(base + QUERY)
            return status == 200 and "/threads/" in page

        if wait(healthy, time.monotonic()) is None:
            raise SystemExit("the forum did not become healthy")
        damages = (
            delete_live_directory,
            delete_search_directory,
            truncate_postings,
            corrupt_table_of_contents,
        )
        for damage in damages:
            damage(search_dir)
            started = time.monotonic()
            get(base + QUERY)  # shows the notice and asks the worker to repair
            figures[damage.__name__] = {
                "search_answers_after_s": wait(answers, started),
                "healthz_200_after_s": wait(healthy, started),
            }
            print(damage.__name__, figures[damage.__name__], flush=True)
        lose_documents(search_dir, env)
        started = time.monotonic()
        time.sleep(6)  # the verdict /healthz reuses for 5 s
        noticed = not healthy()
        figures["lose_documents"] = {
            "healthz_503_seen": noticed,
            "healthz_200_after_s": wait(healthy, started) if noticed else None,
        }
        print("lose_documents", figures["lose_documents"], flush=True)
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT if process.args[1] == "forum" else signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if os.environ.get("BENCH_KEEP"):
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
