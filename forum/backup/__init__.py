"""Backups of a whole forum and their restore: the database, the uploaded files, a manifest.

A backup directory holds ``manifest.json`` (``manifest.py``), the database (``database.py``) and
``files/uploads/``, the event recordings and slides the saved database names. Uploaded files are
written once under random names and deleted only after the change that replaced them commits
(``forum/agenda/uploads.py``), so copying the upload directory *before* the database snapshot
and then adding what the snapshot names that the copy lacks gives exactly the files of that
snapshot, while the forum keeps running.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask

from ..agenda import uploads
from ..db import get_engine
from ..migrate import alembic_config, upgrade
from . import database
from .manifest import BackupError, Manifest, read_and_verify

UPLOADS = "files/uploads"

__all__ = ["BackupError", "Restored", "create_backup", "restore_backup"]


def _prepare_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not an empty directory; a backup goes into a new one.")
    target.mkdir(parents=True, exist_ok=True)


def _relative_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _collect_uploads(target: Path, names: set[str]) -> set[str]:
    """Keep in ``target/files/uploads`` exactly the ``names`` the snapshot refers to."""
    root = target / UPLOADS
    for stale in _relative_files(root) - names:  # replaced meanwhile, or left by a crash
        (root / stale).unlink()
    for name in sorted(names - _relative_files(root)):  # uploaded since the first copy
        source = uploads.path_of(name)
        if not source.is_file():
            raise BackupError(
                f"The upload {name} named by the database is missing from "
                f"{uploads.upload_dir()}; if it was replaced during the backup, run it again."
            )
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, root / name)
    return {f"{UPLOADS}/{name}" for name in names}


def create_backup(app: Flask, target: Path) -> Manifest:
    """Write a backup of ``app``'s forum into the new or empty directory ``target``."""
    url = app.config["DATABASE_URL"]
    dialect = database.dialect_of(url)
    _prepare_target(target)
    upload_root = uploads.upload_dir()
    if upload_root.is_dir():
        shutil.copytree(upload_root, target / UPLOADS)
    else:
        (target / UPLOADS).mkdir(parents=True)
    database_file = database.FILE_NAMES[dialect]
    if dialect == "sqlite":
        snapshot = database.dump_sqlite(url, target / database_file)
    else:
        bin_dir = app.config.get("PG_BIN_DIR")
        snapshot = database.dump_postgres(get_engine(), url, target / database_file, bin_dir)
    files = _collect_uploads(target, snapshot.upload_names)
    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        dialect=dialect,
        database_file=database_file,
        migration_revision=snapshot.revision,
        row_counts=snapshot.row_counts,
        tool_versions=snapshot.tool_versions,
    )
    manifest.add_checksums(target, {database_file, *files})
    manifest.write(target)
    return manifest


@dataclass
class Restored:
    manifest: Manifest
    upgraded_to: str | None  # the head revision when the backup's was older
    files: int


def _check_revision(url: str, revision: str | None) -> str:
    """This code's head revision, once the backup's is known to it (a backup of a newer forum
    version must be restored by that version)."""
    from alembic.script import ScriptDirectory  # only here: see forum/migrate.py

    scripts = ScriptDirectory.from_config(alembic_config(url))
    known = {script.revision for script in scripts.walk_revisions()}
    if revision not in known:
        raise BackupError(
            f"The backup's database is at migration {revision!r}, unknown to this forum version "
            "(a newer one made it?): restore it with the version that wrote it."
        )
    return scripts.get_current_head()


def _check_counts(expected: dict[str, int]) -> None:
    with get_engine().connect() as connection:
        found, _revision, _names = database.describe(connection)
    wrong = [
        f"{table}: {found.get(table)} rows, expected {count}"
        for table, count in sorted(expected.items())
        if found.get(table) != count
    ]
    if wrong:
        raise BackupError("The restored database differs from the manifest: " + "; ".join(wrong))


def restore_backup(app: Flask, source: Path, *, force: bool = False) -> Restored:
    """Check ``source`` completely, then replace ``app``'s database and uploads with it, verify the
    row counts and bring the schema to this version's head. The search index is the caller's."""
    manifest = read_and_verify(source)
    url = app.config["DATABASE_URL"]
    dialect = database.dialect_of(url)
    if manifest.dialect != dialect:
        raise BackupError(
            f"The backup holds a {manifest.dialect} database; this forum uses {dialect}."
        )
    head = _check_revision(url, manifest.migration_revision)
    engine = get_engine()
    if dialect == "postgresql" or database.sqlite_path(url).exists():
        existing = database.content_rows(engine)
        if existing and not force:
            raise BackupError(
                f"The database already holds {existing} members, threads, projects or events; "
                "the restore would replace them all: add --force to do so."
            )
    engine.dispose()  # no pooled connection may outlive the file or tables it had open
    backup_file = source / manifest.database_file
    if dialect == "sqlite":
        database.restore_sqlite(backup_file, url)
    else:
        dumped_by = manifest.tool_versions.get("pg_dump", "0")
        database.restore_postgres(backup_file, url, dumped_by, app.config.get("PG_BIN_DIR"))
    engine.dispose()
    _check_counts(manifest.row_counts)
    upgraded_to = None
    if manifest.migration_revision != head:
        upgrade(url)
        upgraded_to = head
    names = [name for name in manifest.files if name.startswith(UPLOADS + "/")]
    for name in names:
        target = uploads.path_of(name.removeprefix(UPLOADS + "/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, target)
    return Restored(manifest, upgraded_to, len(names))
