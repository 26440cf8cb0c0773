"""The database's part of a backup: SQLite through its online backup API, PostgreSQL through
``pg_dump`` and ``pg_restore``; and what the manifest records of it, read from the very snapshot
that was saved (row counts, migration revision, the upload files it names).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import Connection, Engine, make_url

from ..agenda.models import EventRecording
from ..models import metadata
from .manifest import BackupError

FILE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# A forum holding any of these is not empty: a restore replaces it only when forced.
CONTENT_TABLES = ("user_account", "thread", "project", "event")
PG_LIB = Path("/usr/lib/postgresql")
LOCK_TIMEOUT = 30  # seconds a restore waits for a lock on a table it replaces


@dataclass
class Snapshot:
    row_counts: dict[str, int]
    revision: str | None
    upload_names: set[str]
    tool_versions: dict[str, str]


def dialect_of(url: str) -> str:
    dialect = make_url(url).get_backend_name()
    if dialect not in FILE_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {dialect}.")
    return dialect


def describe(connection: Connection) -> tuple[dict[str, int], str | None, set[str]]:
    """Row counts per table, the migration revision and the upload names, in one snapshot."""
    present = set(inspect(connection).get_table_names())
    counts = {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in metadata.sorted_tables
        if table.name in present
    }
    revision = None
    if "alembic_version" in present:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    names: set[str] = set()
    if EventRecording.__tablename__ in present:
        columns = (EventRecording.video_file, EventRecording.slides_file)
        for row in connection.execute(select(*columns)):
            names.update(name for name in row if name)
    return counts, revision, names


def content_rows(engine: Engine) -> int:
    """How many members, threads, projects and events the database already holds."""
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        return sum(
            connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()  # noqa: S608  (our own table names)
            for name in CONTENT_TABLES
            if name in present
        )


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _copy_sqlite(source: Path, target: Path, *, journal_mode: str) -> None:
    """The online backup API in one step: one read transaction, so writers that commit meanwhile
    (WAL) neither wait nor end up half in the copy."""
    source_connection = sqlite3.connect(source, timeout=30)
    target_connection = sqlite3.connect(target, timeout=30)
    try:
        source_connection.backup(target_connection)
        target_connection.execute(f"PRAGMA journal_mode={journal_mode}")
    finally:
        target_connection.close()
        source_connection.close()


def _describe_file(path: Path) -> tuple[dict[str, int], str | None, set[str]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return describe(connection)
    finally:
        engine.dispose()


def dump_sqlite(url: str, target: Path) -> Snapshot:
    source = sqlite_path(url)
    if not source.is_file():
        raise BackupError(f"The database {source} does not exist.")
    # DELETE journal: the copy is one self-contained file, nothing beside it to forget.
    _copy_sqlite(source, target, journal_mode="DELETE")
    counts, revision, names = _describe_file(target)
    return Snapshot(counts, revision, names, {"sqlite": sqlite3.sqlite_version})


def restore_sqlite(backup_file: Path, url: str) -> None:
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(backup_file, target, journal_mode="WAL")


def _major(version: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)*", version)
    return int(match.group(1)) if match else 0


def _tool_version(path: Path) -> str:
    output = subprocess.run(  # noqa: S603  (a PostgreSQL tool found on disk, no user input)
        [str(path), "--version"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    match = re.search(r"(\d+(?:\.\d+)+)", output)
    return match.group(1) if match else output.strip()


def find_pg_tool(name: str, at_least: int, bin_dir: str | None) -> tuple[Path, str]:
    """``pg_dump`` or ``pg_restore`` of major version ``at_least`` or newer: from ``bin_dir`` when
    configured, else Debian's /usr/lib/postgresql/<major>/bin (the same major first, as
    .ci/with-postgres finds the server), else the PATH."""
    if bin_dir:
        candidates = [Path(bin_dir) / name]
    else:
        installed = sorted(PG_LIB.glob(f"*/bin/{name}"), key=lambda p: _major(p.parts[-3]))
        same = [p for p in installed if _major(p.parts[-3]) == at_least]
        newer = [p for p in installed if _major(p.parts[-3]) > at_least]
        on_path = shutil.which(name)
        candidates = same + newer + ([Path(on_path)] if on_path else [])
    found = []
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            version = _tool_version(path)
            if _major(version) >= at_least:
                return path, version
            found.append(f"{path} {version}")
    where = f"in {bin_dir}" if bin_dir else f"under {PG_LIB} or on the PATH"
    seen = f" (found: {', '.join(found)})" if found else ""
    raise BackupError(
        f"{name} {at_least} or newer is needed {where}{seen}: install postgresql-client-"
        f"{at_least} or set FORUM_PG_BIN_DIR to the directory that holds it."
    )


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The libpq address of a SQLAlchemy URL; the password goes in the environment, not in the
    command line every user of the machine can read."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    address = parsed.set(drivername="postgresql", password=None)
    return address.render_as_string(hide_password=False), env


def _server_major(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    # a PostgreSQL tool found on disk, with the configured database's address
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603  (see above)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def dump_postgres(engine: Engine, url: str, target: Path, bin_dir: str | None) -> Snapshot:
    """pg_dump (custom format) of the snapshot this transaction exports, counted in the same
    snapshot: rows committed while it runs are in neither the dump nor the counts."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot_id = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            major = _server_major(connection)
            tool, version = find_pg_tool("pg_dump", major, bin_dir)
            counts, revision, names = describe(connection)
            address, env = _libpq(url)
            command = [str(tool), "--format=custom", f"--snapshot={snapshot_id}"]
            _run([*command, f"--file={target}", f"--dbname={address}"], env, "pg_dump")
    return Snapshot(counts, revision, names, {"pg_dump": version, "server_major": str(major)})


def _cancel_if_blocked(engine: Engine, application_name: str) -> bool:
    """Cancel the restore's statement once it has waited LOCK_TIMEOUT seconds for a lock."""
    query = text(
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = :name "
        "AND wait_event_type = 'Lock' AND clock_timestamp() - query_start > :wait"
    )
    wait = timedelta(seconds=LOCK_TIMEOUT)
    with engine.connect() as connection:
        return bool(connection.execute(query, {"name": application_name, "wait": wait}).all())


def restore_postgres(backup_file: Path, url: str, dumped_by: str, bin_dir: str | None) -> None:
    """pg_restore in one transaction, replacing the forum's tables: on an error nothing changes.
    It must drop the tables, so a transaction still open on them (a running forum) would keep it
    waiting for ever; the archive sets lock_timeout to 0 itself, so this watches and cancels."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            major = _server_major(connection)
        tool, _version = find_pg_tool("pg_restore", max(major, _major(dumped_by)), bin_dir)
        address, env = _libpq(url)
        env["PGAPPNAME"] = application_name = f"forum-restore-{secrets.token_hex(4)}"
        options = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
        options += ["--single-transaction", "--exit-on-error", f"--dbname={address}"]
        process = subprocess.Popen(  # noqa: S603  (pg_restore found on disk, our own options)
            [str(tool), *options, str(backup_file)], env=env, stderr=subprocess.PIPE, text=True
        )
        cancelled = False
        while process.poll() is None:
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                cancelled = cancelled or _cancel_if_blocked(engine, application_name)
        errors = process.stderr.read().strip()
        process.stderr.close()
    finally:
        engine.dispose()
    if cancelled:
        raise BackupError(
            f"The database is in use (a transaction held its tables for {LOCK_TIMEOUT} s): "
            "stop the forum's web and worker processes, then restore. Nothing was changed."
        )
    if process.returncode != 0:
        raise BackupError(f"pg_restore failed: {errors or process.returncode}")
