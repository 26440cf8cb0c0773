"""The manifest of a backup: what it holds, from which forum, and a SHA-256 checksum of each file.

A restore reads nothing it has not first checked against these checksums. They find damage (a
disk, a copy cut short, a file edited by hand), not an attacker who rewrites the manifest too:
keep backups where only the forum's administrators can write.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

MANIFEST = "manifest.json"
FORMAT = 1
# What a backup leaves out on purpose, written into every manifest so the operator knows.
NOT_INCLUDED = {
    "secret key": "keep it apart (a password manager or the deployment's secrets): with it, "
    "sessions and links in sent mail stay valid after a restore; without it, members log in again",
    "search index": "derived data: the restore rebuilds it from the database",
    "job queue": "waiting jobs are repeated from the database's outbox rows after a restore",
    "mail drop and caches": "written by the forum again as needed",
}


class BackupError(Exception):
    """A backup that cannot be taken or a restore that must not go on; the message says why."""


def forum_version() -> str:
    try:
        return metadata.version("tillsammans-forum")
    except metadata.PackageNotFoundError:  # pragma: no cover - an uninstalled checkout
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Manifest:
    created_at: str
    dialect: str  # "sqlite" or "postgresql"
    database_file: str  # relative to the backup directory
    migration_revision: str | None
    row_counts: dict[str, int]
    files: dict[str, dict] = field(default_factory=dict)  # relative path: sha256 and size
    tool_versions: dict[str, str] = field(default_factory=dict)
    forum_version: str = field(default_factory=forum_version)
    format: int = FORMAT
    not_included: dict[str, str] = field(default_factory=lambda: dict(NOT_INCLUDED))

    def add_checksums(self, root: Path, relative_paths) -> None:
        for relative in sorted(relative_paths):
            path = root / relative
            self.files[relative] = {"sha256": sha256_of(path), "size": path.stat().st_size}

    def write(self, root: Path) -> None:
        """Written last and renamed into place: a directory without it is no finished backup."""
        partial = root / (MANIFEST + ".partial")
        partial.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n", "utf-8")
        os.replace(partial, root / MANIFEST)


def read_and_verify(root: Path) -> Manifest:
    """The manifest of the backup in ``root`` once every file it lists has its checksum."""
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{root} holds no {MANIFEST}: it is not a backup, or one that did not finish."
        )
    try:
        raw = json.loads(path.read_text("utf-8"))
        if raw.get("format") != FORMAT:
            raise BackupError(f"{path}: backup format {raw.get('format')!r} is not {FORMAT}.")
        manifest = Manifest(**raw)
    except (ValueError, TypeError) as exc:
        raise BackupError(f"{path} is damaged: {exc}") from exc
    if manifest.database_file not in manifest.files:
        raise BackupError(f"{path} lists no checksum for the database file.")
    problems = []
    resolved_root = root.resolve()
    for relative, expected in sorted(manifest.files.items()):
        file = (root / relative).resolve()
        if resolved_root not in file.parents:
            raise BackupError(f"{path} names a file outside the backup: {relative!r}.")
        if not file.is_file():
            problems.append(f"{relative}: missing")
        elif file.stat().st_size != expected["size"]:
            problems.append(f"{relative}: {file.stat().st_size} bytes, expected {expected['size']}")
        elif sha256_of(file) != expected["sha256"]:
            problems.append(f"{relative}: checksum differs")
    if problems:
        raise BackupError(
            "The backup is damaged; nothing was restored. " + "; ".join(problems) + "."
        )
    return manifest
