"""Files organisers upload for an event (videos, slides), kept under the upload directory.

A stored file is named by the forum: ``events/<event id>/<32 random hex digits>.<ext>``, never by
the uploader's file name, so no name a member chose ever becomes a path. Files are written before
the transaction commits and removed only once it has: a rollback deletes the files the failed
change wrote, a commit deletes the files it replaced. So the database never names a missing file
(short of a crash between the two steps, which leaves an unreferenced file, never a broken page).
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

WRITTEN = "forum_uploads_written"  # in session.info: files to delete if the session rolls back
REPLACED = "forum_uploads_replaced"  # in session.info: files to delete once it commits


def upload_dir() -> Path:
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured or Path(current_app.config["INSTANCE_DIR"]) / "uploads")


def path_of(name: str) -> Path:
    """The file of a stored name; a name that would leave the upload directory is refused."""
    root = upload_dir().resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"not an upload name: {name!r}")
    return path


def store(session: OrmSession, event_id: int, source: BinaryIO, suffix: str) -> str:
    """Copy ``source`` to a new file for event ``event_id``; its stored name."""
    name = f"events/{event_id}/{secrets.token_hex(16)}{suffix}"
    path = path_of(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    source.seek(0)
    with path.open("xb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    session.info.setdefault(WRITTEN, []).append(path)
    return name


def remove_after_commit(session: OrmSession, name: str | None) -> None:
    if name:
        session.info.setdefault(REPLACED, []).append(path_of(name))


def _delete(paths) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


@event.listens_for(OrmSession, "after_commit")
def _delete_replaced(session: OrmSession) -> None:
    session.info.pop(WRITTEN, None)
    _delete(session.info.pop(REPLACED, []))


@event.listens_for(OrmSession, "after_rollback")
def _delete_written(session: OrmSession) -> None:
    session.info.pop(REPLACED, None)
    _delete(session.info.pop(WRITTEN, []))
