"""The nightly dumps: gzipped JSON Lines per dataset, public content only (the feeds' visibility
matrix), written atomically, served with Last-Modified, ETag and 304s, made by ``flask forum
dump`` and by the periodic job in a real worker process."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from forum.accounts.models import User
from forum.clock import utcnow
from forum.discussions.models import Post
from forum.jobs import _DEFINITIONS, get_jobs
from forum.moderation.posts import hide_post
from forum.opendata import dump_records, dumps
from tests.factories import make_user
from tests.http.test_opendata_feeds import SECRETS, content  # noqa: F401  (a fixture)
from tests.processes import running_worker, wait_for


def dump_dir(app) -> Path:
    return dumps.dumps_dir(app)


def read_dump(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_the_cli_writes_one_gzipped_json_lines_file_per_dataset(app, runner, content):  # noqa: F811
    result = runner.invoke(args=["forum", "dump"])
    assert result.exit_code == 0, result.output
    assert "lessons: 1 records" in result.output
    directory = dump_dir(app)
    manifest = json.loads((directory / "manifest.json").read_text())
    assert set(manifest["datasets"]) == {"lessons", "projects", "threads", "events"}
    for name, figures in manifest["datasets"].items():
        path = directory / f"{name}.jsonl.gz"
        assert path.stat().st_size == figures["bytes"]
        assert len(read_dump(path)) == figures["records"] >= 1, name
    assert not list(directory.glob(".*.tmp"))


def test_dumps_hold_public_content_only(app, runner, content):  # noqa: F811
    assert runner.invoke(args=["forum", "dump"]).exit_code == 0
    directory = dump_dir(app)
    for path in directory.glob("*.jsonl.gz"):
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        for secret in SECRETS:
            assert secret not in text, (path.name, secret)
        assert "astrid@example.org" not in text
        assert "meet.example.org" not in text  # an online event's join link
    [lesson] = read_dump(directory / "lessons.jsonl.gz")
    assert lesson["title"] == "Andelsägd solpark" and lesson["project"]["slug"]
    projects = read_dump(directory / "projects.jsonl.gz")
    assert [p["name"] for p in projects] == ["Solparken i Lund"]
    threads = {t["title"]: t for t in read_dump(directory / "threads.jsonl.gz")}
    thread = threads["Solceller på skolans tak"]
    assert thread["url"] == (
        f"http://127.0.0.1:5000/threads/{content.thread.id}-{content.thread.slug}"
    )
    assert [p["author"] for p in thread["posts"]][0] == "Astrid Author"
    assert [p["body"] for p in thread["posts"]][1] == "Ett publikt svar om batterier"
    assert len(thread["posts"]) == 2  # the hidden and the deleted reply are left out
    assert threads["Om solparken"]["project"] == content.project.slug
    kinds = {t["kind"] for t in threads.values()}
    assert kinds == {"discussion", "lesson", "event"}  # the public lesson's and event's talk
    [event] = read_dump(directory / "events.jsonl.gz")
    assert event["title"] == "Solenergidag i Malmö" and event["goals"] == [7]
    assert event["starts_at"].endswith("Z") and "join_url" not in event


def test_a_deleted_author_is_named_alike_in_every_dump(app, runner, content, db_session):  # noqa: F811
    """The dumps are data, not pages: no reader's language, so "deleted user" is the same word
    in the threads' posts as in the lessons (and the API)."""
    author = db_session.get(User, content.thread.author_id)
    author.deleted_at = utcnow()
    db_session.add(author)
    db_session.commit()
    assert runner.invoke(args=["forum", "dump"]).exit_code == 0
    [lesson] = read_dump(dump_dir(app) / "lessons.jsonl.gz")
    threads = {t["id"]: t for t in read_dump(dump_dir(app) / "threads.jsonl.gz")}
    opening = threads[content.thread.id]["posts"][0]
    assert opening["author"] == lesson["author"] == "deleted user"


def test_a_failed_dump_leaves_the_previous_file_whole(app, runner, content, monkeypatch):  # noqa: F811
    assert runner.invoke(args=["forum", "dump"]).exit_code == 0
    directory = dump_dir(app)
    before = (directory / "threads.jsonl.gz").read_bytes()
    manifest = (directory / "manifest.json").read_text()

    def failing(session):
        yield {"id": 1}
        raise RuntimeError("the database went away")

    monkeypatch.setitem(dump_records.RECORDS, "threads", failing)
    result = runner.invoke(args=["forum", "dump"])
    assert result.exit_code != 0 and "went away" in str(result.exception)
    assert (directory / "threads.jsonl.gz").read_bytes() == before
    assert (directory / "manifest.json").read_text() == manifest
    assert sorted(p.name for p in directory.iterdir() if p.name.startswith(".")) == []


def test_a_dump_is_served_with_last_modified_etag_and_304(app, client, runner, content):  # noqa: F811
    missing = client.get("/data/dumps/lessons.jsonl.gz")
    assert missing.status_code == 404
    assert client.get("/data/dumps/members.jsonl.gz").status_code == 404
    assert runner.invoke(args=["forum", "dump"]).exit_code == 0
    with client.get("/data/dumps/lessons.jsonl.gz") as answer:
        assert answer.status_code == 200 and answer.mimetype == "application/gzip"
        assert (
            answer.headers["Link"]
            == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        )
        assert "lessons.jsonl.gz" in answer.headers["Content-Disposition"]
        assert "Content-Encoding" not in answer.headers  # the file is the gzip, not the transfer
        etag, modified = answer.headers["ETag"], answer.headers["Last-Modified"]
        assert read_dump_bytes(answer.data)[0]["title"] == "Andelsägd solpark"
    with client.get("/data/dumps/lessons.jsonl.gz", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304 and not again.data
    headers = {"If-Modified-Since": modified}
    with client.get("/data/dumps/lessons.jsonl.gz", headers=headers) as again:
        assert again.status_code == 304
    with client.get("/data/dumps/threads.jsonl.gz") as threads:
        assert threads.headers["Link"] == '</terms>; rel="license"'
    page = client.get("/data?lang=en").get_data(as_text=True)
    assert "1 records" in page and "Last written" in page


def read_dump_bytes(data: bytes) -> list[dict]:
    return [json.loads(line) for line in gzip.decompress(data).decode("utf-8").splitlines()]


@pytest.mark.parametrize(
    ("last_hours_ago", "stockholm_hour", "due"),
    [
        (None, 14, True),  # never written: at once
        (23, 2, True),  # the dump hour
        (1, 2, False),  # written this hour already
        (10, 14, False),  # another hour of the day
        (26, 14, True),  # missed a night (worker down): catch up
    ],
)
def test_when_the_dumps_are_due(last_hours_ago, stockholm_hour, due):
    now = datetime(2027, 1, 15, stockholm_hour - 1, 41, tzinfo=UTC)  # Stockholm is UTC+1
    manifest = None
    if last_hours_ago is not None:
        manifest = {"started_at": (now - timedelta(hours=last_hours_ago)).isoformat()}
    assert dumps.dumps_due(manifest, hour=2, now=now) is due
    if manifest is not None:  # something hidden since the last dump began: at once
        started = datetime.fromisoformat(manifest["started_at"])
        assert dumps.dumps_due(manifest, hour=2, now=now, withdrawn=started + timedelta(minutes=1))
        earlier = started - timedelta(minutes=1)
        assert dumps.dumps_due(manifest, hour=2, now=now, withdrawn=earlier) is due


def test_a_post_hidden_after_the_dump_leaves_it_at_the_next_hourly_run(
    app,
    db_session,
    runner,
    content,  # noqa: F811
):
    assert runner.invoke(args=["forum", "dump"]).exit_code == 0
    manifest = dump_dir(app) / "manifest.json"
    written = manifest.read_text()
    jobs = get_jobs(app)  # immediate mode: the job runs here, as the worker would run it
    with app.app_context():
        jobs.enqueue("opendata.write_dumps")
    assert manifest.read_text() == written  # nothing withdrawn, not the dump hour: no new dump
    reply = next(
        post
        for thread in read_dump(dump_dir(app) / "threads.jsonl.gz")
        for post in thread["posts"]
        if post["body"] == "Ett publikt svar om batterier"
    )
    mod = make_user(db_session, role="moderator")
    with app.test_request_context("/"):
        hide_post(session=db_session, actor=mod, post=db_session.get(Post, reply["id"]), reason="x")
        db_session.commit()
    with app.app_context():
        jobs.enqueue("opendata.write_dumps")
    assert manifest.read_text() != written
    text = gzip.decompress((dump_dir(app) / "threads.jsonl.gz").read_bytes()).decode("utf-8")
    assert "batterier" not in text


def test_the_job_is_periodic_and_the_worker_runs_it(worker_app, worker_settings, tmp_path):
    assert _DEFINITIONS["opendata.write_dumps"].periodic is not None
    manifest = dump_dir(worker_app) / "manifest.json"
    log_path = tmp_path / "worker.log"
    with running_worker(worker_settings, log_path):
        # what huey's scheduler does at minute 41: enqueue the periodic task
        get_jobs(worker_app).enqueue("opendata.write_dumps")
        wait_for(manifest.exists, log_path, "the dumps")
    assert "open data dumps written" in log_path.read_text()
    assert set(json.loads(manifest.read_text())["datasets"]) == set(dump_records.RECORDS)
