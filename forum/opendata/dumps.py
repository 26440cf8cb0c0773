"""The nightly full dumps: one gzipped JSON Lines file per dataset (``lessons``, ``projects``,
``threads``, ``events``) in ``DUMPS_DIR``, written by the job worker and by ``flask forum dump``.

One file per dataset rather than one file with a ``type`` field: each dataset has its own
licence (lessons and projects CC BY 4.0, posts and events the forum's terms), its own entry in the
DCAT catalogue, and most readers want one of them; a file of lessons can be reused without first
filtering out posts it may not republish.

Each file is written to a temporary name in the same directory and renamed over the old one, so
a reader (or the web process serving it) sees the whole old file or the whole new one, never a
half-written one; ``manifest.json`` (records, bytes and SHA-256 of each file) is renamed last.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import session_scope
from ..jobs import crontab, job
from .dump_records import RECORDS, last_withdrawal

log = logging.getLogger("forum.opendata.dumps")
MANIFEST = "manifest.json"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
CATCH_UP_HOURS = 25  # a worker that was down at the dump hour writes the dumps at its next run


def dumps_dir(app=None) -> Path:
    config = (app or current_app).config
    return Path(config.get("DUMPS_DIR") or Path(config["INSTANCE_DIR"]) / "dumps")


def dump_filename(name: str) -> str:
    return f"{name}.jsonl.gz"


def read_manifest(directory: Path | None = None) -> dict | None:
    """What the last complete run wrote, or None before the first one."""
    try:
        return json.loads(((directory or dumps_dir()) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _replace_atomically(directory: Path, final_name: str, write) -> None:
    """``write(binary file)`` into a temporary file beside ``final_name``, flushed to disk, then
    renamed over it (atomic on POSIX); the temporary file is removed if writing fails."""
    handle = tempfile.NamedTemporaryFile(
        dir=directory, prefix=f".{final_name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)  # NamedTemporaryFile's 0600 would hide it from a web server
        os.replace(handle.name, directory / final_name)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _write_dataset(directory: Path, name: str, records) -> dict:
    count = 0

    def write(raw) -> None:
        nonlocal count
        with gzip.GzipFile(filename=f"{name}.jsonl", mode="wb", fileobj=raw) as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
                count += 1

    filename = dump_filename(name)
    _replace_atomically(directory, filename, write)
    digest = hashlib.sha256()
    with open(directory / filename, "rb") as written:
        for block in iter(lambda: written.read(1 << 20), b""):
            digest.update(block)
    size = (directory / filename).stat().st_size
    return {"file": filename, "records": count, "bytes": size, "sha256": digest.hexdigest()}


def write_dumps(app=None, directory: Path | None = None) -> dict:
    """Write every dataset's dump and the manifest; answers the manifest."""
    app = app or current_app._get_current_object()
    directory = Path(directory or dumps_dir(app))
    directory.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    datasets = {}
    base_url = app.config["SERVER_URL"].rstrip("/") + "/"
    # the records' absolute URLs come from url_for, which builds them on SERVER_URL here
    with app.test_request_context("/", base_url=base_url), session_scope() as session:
        if session.get_bind().dialect.name == "postgresql":  # one snapshot for every dataset
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        for name, records in RECORDS.items():
            datasets[name] = _write_dataset(directory, name, records(session))
    manifest = {
        "started_at": started.isoformat(),  # to the microsecond, as withdrawals are
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "datasets": datasets,
    }
    body = json.dumps(manifest, indent=2).encode("utf-8")
    _replace_atomically(directory, MANIFEST, lambda raw: raw.write(body))
    return manifest


def dumps_due(
    manifest: dict | None, *, hour: int, now: datetime, withdrawn: datetime | None = None
) -> bool:
    """At the dump hour (Stockholm time) unless done within the last two hours; at any hour when
    there is no dump yet, the last one is older than ``CATCH_UP_HOURS``, or something in it was
    withdrawn (hidden, deleted) after it began (``withdrawn``, aware UTC): a post a moderator hid
    for the personal data in it leaves the dumps within the hour, not the next night."""
    if manifest is None:
        return True
    started = datetime.fromisoformat(manifest["started_at"])
    age = (now - started).total_seconds() / 3600
    if age >= CATCH_UP_HOURS or (withdrawn is not None and withdrawn >= started):
        return True
    return now.astimezone(STOCKHOLM).hour == hour and age >= 2


@job("opendata.write_dumps", retries=2, retry_delay=60.0, periodic=crontab(minute="41"))
def write_dumps_job() -> None:
    """Hourly check; the dumps are written once a night (``DUMPS_HOUR``), to catch up, or to
    drop what was withdrawn since the last ones."""
    hour = int(current_app.config["DUMPS_HOUR"])
    with session_scope() as session:
        withdrawn = last_withdrawal(session)
    withdrawn = withdrawn.replace(tzinfo=UTC) if withdrawn else None
    if not dumps_due(read_manifest(), hour=hour, now=datetime.now(UTC), withdrawn=withdrawn):
        return
    started = time.monotonic()
    manifest = write_dumps()
    counts = ", ".join(f"{n} {d['records']}" for n, d in manifest["datasets"].items())
    log.info("open data dumps written in %.1f s: %s", time.monotonic() - started, counts)


@click.command("dump")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write (default: FORUM_DUMPS_DIR, else instance/dumps).",
)
@with_appcontext
def dump_command(directory: Path | None) -> None:
    """Write the open data dumps now (gzipped JSON Lines, one file per dataset)."""
    target = Path(directory or dumps_dir())
    manifest = write_dumps(directory=target)
    for name, dataset in manifest["datasets"].items():
        click.echo(f"{name}: {dataset['records']} records, {dataset['bytes']} bytes")
    click.echo(f"Written to {target}")
