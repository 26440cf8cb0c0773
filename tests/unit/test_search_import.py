"""`flask forum import` on slices of the shared corpora (committed in tests/data/corpus)."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from pathlib import Path

from sqlmodel import func, select

from forum.accounts.models import User
from forum.config import PROJECT_ROOT
from forum.core.models import Theme
from forum.discussions.models import Post, Thread

CORPUS = PROJECT_ROOT / "tests" / "data" / "corpus"


def _slice(name: str, lines: int, target: Path) -> Path:
    with (
        gzip.open(CORPUS / name, "rt", encoding="utf-8") as source,
        gzip.open(target, "wt", encoding="utf-8") as out,
    ):
        for line in itertools.islice(source, lines):
            out.write(line)
    return target


def _theme(db_session) -> str:
    return db_session.exec(select(Theme.slug)).first()


def test_import_english_stack_exchange_slice(runner, db_session, client, tmp_path):
    path = _slice("se_sustainability_en.jsonl.gz", 120, tmp_path / "se.jsonl.gz")
    records = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
    result = runner.invoke(args=["forum", "import", str(path), "--theme", _theme(db_session)])
    assert result.exit_code == 0, result.output
    threads = {r["thread_id"] for r in records}
    assert db_session.exec(select(func.count()).select_from(Thread)).one() == len(threads)
    assert db_session.exec(select(func.count()).select_from(Post)).one() == len(records)
    authors = {r["author"] for r in records if r["author"]}
    placeholders = db_session.exec(select(User).where(User.is_placeholder == True)).all()  # noqa: E712
    assert {u.display_name for u in placeholders} == authors
    assert all(u.email is None and not u.is_active for u in placeholders)

    question = next(r for r in records if r["parent_id"] is None and r["title"])
    thread = db_session.exec(select(Thread).where(Thread.title == question["title"])).one()
    posts = db_session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
    assert posts[0].created_at.isoformat().startswith(question["created"][:16])
    assert [p.created_at for p in posts] == sorted(p.created_at for p in posts)
    assert thread.post_count == len(posts) and thread.language == "en"

    again = runner.invoke(args=["forum", "import", str(path), "--theme", _theme(db_session)])
    assert again.exit_code == 0 and "Imported 0 threads and 0 posts" in again.output
    assert db_session.exec(select(func.count()).select_from(Post)).one() == len(records)

    html = client.get("/search", query_string={"q": question["title"]}).get_data(as_text=True)
    assert re.search(
        r"<h3><a [^>]*>" + re.escape(question["title"].replace("'", "&#39;").replace('"', "&#34;")),
        html,
    )


def test_import_swedish_faq_slice_and_search_it(runner, db_session, client, tmp_path):
    path = _slice("swefaq_sv.jsonl.gz", 40, tmp_path / "faq.jsonl.gz")
    result = runner.invoke(args=["forum", "import", str(path), "--theme", _theme(db_session)])
    assert result.exit_code == 0, result.output
    assert "Imported 20 threads and 40 posts" in result.output
    assert (
        db_session.exec(
            select(func.count()).select_from(Thread).where(Thread.language == "sv")
        ).one()
        == 20
    )
    assert "Ukraina" in client.get("/search?q=flyktingar vaccin").get_data(as_text=True)


def test_import_rejects_unknown_theme_and_missing_file(runner, tmp_path):
    path = _slice("swefaq_sv.jsonl.gz", 2, tmp_path / "faq.jsonl.gz")
    result = runner.invoke(args=["forum", "import", str(path), "--theme", "no-such-theme"])
    assert result.exit_code != 0 and "Unknown theme" in result.output
    result = runner.invoke(args=["forum", "import", str(tmp_path / "nope.jsonl"), "--theme", "x"])
    assert result.exit_code != 0


def test_invalid_lines_are_counted_not_fatal(runner, db_session, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        'not json\n{"thread_id": "t1", "post_id": "p1", "parent_id": null, "title": "Hej", '
        '"body": "Första inlägget", "lang": "sv", "author": null, "created": null}\n[1,2]\n',
        "utf-8",
    )
    result = runner.invoke(args=["forum", "import", str(path), "--theme", _theme(db_session)])
    assert result.exit_code == 0, result.output
    assert "1 posts" in result.output and "2 invalid lines" in result.output


def test_reimport_appends_new_replies_and_keeps_the_accepted_answer(
    runner, db_session, client, tmp_path
):
    def write(records):
        path = tmp_path / "qa.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        return path

    question = {
        "thread_id": "q1",
        "post_id": "q1",
        "parent_id": None,
        "kind": "question",
        "title": "Regnbäddar i kvarteret",
        "body": "Hur dimensionerar man regnbäddar?",
        "lang": "sv",
        "author": "ulla",
        "created": "2020-05-01T10:00:00",
    }
    answer = {
        "thread_id": "q1",
        "post_id": "a1",
        "parent_id": "q1",
        "kind": "answer",
        "accepted": True,
        "body": "Räkna med tio procent av takytan.",
        "lang": "sv",
        "author": "bo",
        "created": "2020-05-02T10:00:00",
    }
    later = {
        "thread_id": "q1",
        "post_id": "a2",
        "parent_id": "q1",
        "kind": "answer",
        "body": "Skelettjord fungerar också för dagvattnet.",
        "lang": "sv",
        "author": "ulla",
        "created": "2020-05-03T10:00:00",
    }
    theme = _theme(db_session)
    assert (
        runner.invoke(
            args=["forum", "import", str(write([question, answer])), "--theme", theme]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        args=[
            "forum",
            "import",
            str(write([question, answer, later])),
            "--theme",
            theme,
            "--procs",
            "1",
        ]
    )
    assert result.exit_code == 0 and "Imported 0 threads and 1 posts" in result.output, (
        result.output
    )
    db_session.expire_all()
    thread = db_session.exec(select(Thread).where(Thread.title == "Regnbäddar i kvarteret")).one()
    posts = db_session.exec(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).all()
    assert [p.body for p in posts] == [question["body"], answer["body"], later["body"]]
    assert (
        thread.post_count == 3
        and thread.last_post_id == posts[2].id
        and thread.solution_post_id == posts[1].id
    )
    placeholders = select(func.count()).select_from(User).where(User.is_placeholder.is_(True))
    assert db_session.exec(placeholders).one() == 2
    assert "Regnbäddar i kvarteret" in client.get("/search?q=skelettjord").get_data(as_text=True)
