"""Backups and restores, drilled: a populated forum is backed up, restored into an empty instance
in a fresh directory layout, and shows the same row counts, pages, uploaded files and search hits
(on SQLite, and on PostgreSQL into a second database); a backup taken while another thread writes
holds what its manifest counts; a damaged backup, a non-empty target and a missing pg_dump are
refused with a message saying why."""

from __future__ import annotations

import io
import json
import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, func, select

from forum import create_app
from forum.accounts.models import User
from forum.backup import database
from forum.db import get_engine
from forum.demo import seed_demo
from forum.discussions.models import Post, Thread
from forum.moderation.posts import hide_post
from tests import conftest
from tests.conftest import POSTGRES_URL
from tests.events_helpers import make_past_event
from tests.factories import login_as, make_reply, make_thread, make_user

WEBM = (Path(__file__).parent.parent / "data" / "tiny.webm").read_bytes()
PDF = b"%PDF-1.4\n%slides of the drill\n"
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nOm skyfallsgården i Augustenborg.\n"
EN = {"Accept-Language": "en"}
SEARCHES = ("skyfall", "Augustenborg", "solceller", "textile")
# Each search node's own bookkeeping: the restored instance's reindex registers itself as a node.
NODE_TABLES = ("search_node", "search_outbox_applied")


@pytest.fixture
def populated(app, db_session, client):
    """The demo forum (members, threads and replies, projects, lessons, events), a hidden post
    in the moderation log and a past event with an uploaded recording, slides and captions."""
    with app.test_request_context("/"):
        seed_demo(db_session)
        db_session.commit()
        mod = make_user(db_session, role="moderator", locale="en", display_name="Moa Moderator")
        thread, _posts = make_thread(
            db_session, mod, title="Skyfall i Augustenborg", body="Gröna tak."
        )
        reply = make_reply(db_session, thread, mod, "Regnbäddar tar hand om skyfall.")
        hide_post(session=db_session, actor=mod, post=reply, reason="Drill")
        db_session.commit()
        event = make_past_event(db_session, mod, title="Skyfallswebbinarium")
    login_as(client, mod)
    response = client.post(
        f"/events/{event.id}/recording",
        data={
            "video_url": "",
            "slides_url": "",
            "video_file": (io.BytesIO(WEBM), "möte.webm"),
            "slides_file": (io.BytesIO(PDF), "bilder.pdf"),
            "captions": VTT,
            "captions_language": "sv",
        },
        headers=EN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    with client.session_transaction() as session:
        session.clear()
    return {"thread": thread, "event": event}


def restored_settings(root: Path, database_url: str) -> dict:
    """A fresh layout: nothing of the original instance's directories is reused."""
    return conftest.test_settings(
        DATABASE_URL=database_url,
        SEARCH_DIR=str(root / "search_index"),
        INSTANCE_DIR=str(root / "instance"),
        MAIL_DIR=str(root / "instance" / "mail"),
    )


@pytest.fixture
def second_database(tmp_path):
    """Where the restore goes: a new SQLite path, or a second, empty PostgreSQL database."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'restored' / 'instance' / 'forum.db'}"
        return
    url = make_url(POSTGRES_URL)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS forum_restore_drill"))
        connection.execute(text("CREATE DATABASE forum_restore_drill"))
    yield url.set(database="forum_restore_drill").render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS forum_restore_drill WITH (FORCE)"))
    admin.dispose()


def counts(app) -> dict[str, int]:
    with app.app_context(), get_engine().connect() as connection:
        return database.describe(connection)[0]


def page(client, path: str) -> str:
    response = client.get(path, headers=EN)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    html = re.sub(r'(name="csrf_token"[^>]*value=|"X-CSRFToken": ?)"[^"]*"', r'\1""', html)
    return re.sub(r"· \d+ ms<", "· (time) ms<", html)  # how long the search took


def pages_of(app, populated) -> dict[str, str]:
    client = app.test_client()
    thread, event = populated["thread"], populated["event"]
    paths = ["/", "/projects", "/lessons", "/events", f"/threads/{thread.id}-{thread.slug}"]
    paths += [f"/events/{event.id}", *(f"/search?q={word}" for word in SEARCHES)]
    shown = {path: page(client, path) for path in paths}
    files = ("recording/video", "slides", "captions.vtt")
    for path in (f"/events/{event.id}/{name}" for name in files):
        response = client.get(path)
        assert response.status_code == 200, path
        shown[path] = response.get_data()
        response.close()
    return shown


def test_restore_drill_same_counts_pages_files_and_search_hits(
    app, runner, populated, tmp_path, second_database
):
    before = counts(app)
    assert before["user_account"] > 4 and before["post"] > 10 and before["lesson"] > 1
    assert before["event_recording"] >= 1 and before["moderation_action"] >= 1
    shown = pages_of(app, populated)
    assert "Skyfall i Augustenborg" in shown["/search?q=skyfall"]

    result = runner.invoke(args=["forum", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["row_counts"] == before
    assert len([name for name in manifest["files"] if name.startswith("files/uploads/")]) == 2
    assert "secret key" in manifest["not_included"]

    restored = create_app(restored_settings(tmp_path / "restored", second_database))
    try:
        result = restored.test_cli_runner().invoke(
            args=["forum", "restore", str(tmp_path / "backup")]
        )
        assert result.exit_code == 0, result.output
        assert "as the manifest counts" in result.output and "Indexed" in result.output
        after = counts(restored)
        assert after["search_node"] == before["search_node"] + 1
        for table in NODE_TABLES:
            del after[table], before[table]
        assert after == before
        again = pages_of(restored, populated)
        assert again.keys() == shown.keys()
        for path, html in shown.items():
            assert again[path] == html, path
    finally:
        restored.extensions["forum_engine"].dispose()


def test_backup_refuses_a_directory_that_is_not_empty(app, runner, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "notes.txt").write_text("keep me")
    result = runner.invoke(args=["forum", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 1
    assert "is not an empty directory" in result.output
    assert [p.name for p in (tmp_path / "backup").iterdir()] == ["notes.txt"]


def test_a_damaged_backup_is_refused_and_nothing_is_restored(
    app, runner, populated, tmp_path, second_database
):
    assert runner.invoke(args=["forum", "backup", str(tmp_path / "backup")]).exit_code == 0
    upload = next((tmp_path / "backup" / "files" / "uploads").rglob("*.webm"))
    data = bytearray(upload.read_bytes())
    data[len(data) // 2] ^= 0xFF
    upload.write_bytes(bytes(data))

    restored = create_app(restored_settings(tmp_path / "restored", second_database))
    try:
        result = restored.test_cli_runner().invoke(
            args=["forum", "restore", str(tmp_path / "backup")]
        )
        assert result.exit_code == 1
        assert "The backup is damaged; nothing was restored" in result.output
        assert f"{upload.relative_to(tmp_path / 'backup').as_posix()}: checksum differs" in (
            result.output
        )
        assert not (tmp_path / "restored" / "instance" / "uploads").exists()
        if POSTGRES_URL:
            with restored.app_context():
                assert database.content_rows(get_engine()) == 0
        else:
            assert not database.sqlite_path(second_database).exists()
    finally:
        restored.extensions["forum_engine"].dispose()


def test_restore_refuses_a_forum_with_content_unless_forced(app, runner, db_session, tmp_path):
    with app.test_request_context("/"):
        author = make_user(db_session)
        make_thread(db_session, author, title="Före säkerhetskopian")
    assert runner.invoke(args=["forum", "backup", str(tmp_path / "backup")]).exit_code == 0
    with app.test_request_context("/"):
        make_thread(db_session, author, title="Efter säkerhetskopian")
    threads = counts(app)["thread"]
    db_session.close()  # the restore drops PostgreSQL's tables: no transaction may hold them

    result = runner.invoke(args=["forum", "restore", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "add --force" in result.output
    assert counts(app)["thread"] == threads

    result = runner.invoke(args=["forum", "restore", "--force", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert counts(app)["thread"] == threads - 1
    db_session.expire_all()
    titles = set(db_session.exec(select(Thread.title)))
    assert "Före säkerhetskopian" in titles and "Efter säkerhetskopian" not in titles


def test_a_backup_taken_while_another_thread_writes_holds_what_it_counts(
    app, runner, db_session, tmp_path, second_database
):
    with app.test_request_context("/"):
        author = make_user(db_session)
        thread, _posts = make_thread(db_session, author, title="Skrivs under säkerhetskopian")
    author_id, thread_id = author.id, thread.id
    posts_before = counts(app)["post"]
    stop = threading.Event()
    written = threading.Semaphore(0)

    def write() -> None:
        with app.test_request_context("/"), Session(get_engine()) as session:
            writer, target = session.get(User, author_id), session.get(Thread, thread_id)
            while not stop.is_set():
                make_reply(session, target, writer, "Ännu ett svar.")
                written.release()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for _ in range(5):  # the writer is under way before the backup starts
            assert written.acquire(timeout=60)
        result = runner.invoke(args=["forum", "backup", str(tmp_path / "backup")])
        for _ in range(5):  # and still writing after it ended
            assert written.acquire(timeout=60)
    finally:
        stop.set()
        writer.join(timeout=120)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    posts_then = manifest["row_counts"]["post"]
    assert posts_before + 5 <= posts_then < counts(app)["post"]

    restored = create_app(restored_settings(tmp_path / "restored", second_database))
    try:
        result = restored.test_cli_runner().invoke(
            args=["forum", "restore", str(tmp_path / "backup")]
        )
        assert result.exit_code == 0, result.output
        after = counts(restored)
        for table in NODE_TABLES:
            del after[table], manifest["row_counts"][table]
        assert after == manifest["row_counts"]
        with restored.app_context(), Session(get_engine()) as session:
            replies = select(func.count()).where(Post.thread_id == thread_id)
            assert session.exec(replies).one() == 1 + posts_then - posts_before
    finally:
        restored.extensions["forum_engine"].dispose()


def test_a_backup_from_an_unknown_migration_is_refused(app, runner, tmp_path):
    """A backup whose revision this version does not know is refused before anything changes."""
    assert runner.invoke(args=["forum", "backup", str(tmp_path / "backup")]).exit_code == 0
    path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["migration_revision"] = "9999_from_the_future"
    path.write_text(json.dumps(manifest))
    result = runner.invoke(args=["forum", "restore", "--force", str(tmp_path / "backup")])
    assert result.exit_code == 1
    assert "'9999_from_the_future', unknown to this forum version" in result.output


@pytest.mark.skipif(not POSTGRES_URL, reason="pg_dump backs up PostgreSQL only")
def test_without_pg_dump_the_backup_says_what_to_install(app_settings, tmp_path):
    settings = {**app_settings, "PG_BIN_DIR": str(tmp_path / "no-tools")}
    application = create_app(settings)
    try:
        result = application.test_cli_runner().invoke(
            args=["forum", "backup", str(tmp_path / "backup")]
        )
    finally:
        application.extensions["forum_engine"].dispose()
    assert result.exit_code == 1
    assert "pg_dump" in result.output and "or newer is needed in" in result.output
    assert "FORUM_PG_BIN_DIR" in result.output


@pytest.mark.skipif(not POSTGRES_URL, reason="only pg_restore drops the tables it replaces")
def test_a_restore_into_a_database_in_use_stops_and_changes_nothing(
    app, runner, db_session, tmp_path, monkeypatch
):
    with app.test_request_context("/"):
        make_thread(db_session, make_user(db_session), title="Före säkerhetskopian")
    assert runner.invoke(args=["forum", "backup", str(tmp_path / "backup")]).exit_code == 0
    monkeypatch.setattr(database, "LOCK_TIMEOUT", 1)
    db_session.close()
    web_process = create_engine(POSTGRES_URL)
    with web_process.connect() as busy, busy.begin():
        busy.execute(text("SELECT count(*) FROM thread"))  # mid-request
        result = runner.invoke(args=["forum", "restore", "--force", str(tmp_path / "backup")])
    web_process.dispose()
    assert result.exit_code == 1
    assert "The database is in use" in result.output and "Nothing was changed" in result.output
    assert counts(app)["thread"] == 1
