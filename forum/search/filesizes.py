"""The size of every file of a committed segment, kept in ``.sizes.json`` beside the index.

Whoosh reads past the end of a truncated file without an error (a search then quietly misses
documents), so each file is compared with the size it was committed with.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from pathlib import Path

SIZES = ".sizes.json"  # a leading dot: Whoosh's clean-up of old segment files leaves it alone


def record_sizes(ix) -> None:
    """Remember the sizes of the files of the segments the index's latest generation lists
    (complete: a segment's files never change once committed); segments merged away are
    forgotten. Several processes commit to one index, so updates take turns."""
    folder = Path(ix.storage.folder)
    with open(folder / ".sizes.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        known = _read_sizes(folder)
        sizes = {}
        for segment in ix._read_toc().segments:
            for name in segment.list_files(ix.storage):
                try:  # a merge by another process may have removed it since
                    sizes[name] = known.get(name) or (folder / name).stat().st_size
                except FileNotFoundError:
                    continue
        tmp = folder / f".sizes-{secrets.token_hex(4)}"
        tmp.write_text(json.dumps(sizes))
        os.replace(tmp, folder / SIZES)


def _read_sizes(folder: Path) -> dict[str, int]:
    try:
        return json.loads((folder / SIZES).read_text())
    except (OSError, ValueError):
        return {}


_last: tuple = (None, {})  # ((folder, inode, mtime) of the sizes last read, those sizes)


def _sizes_of(folder: str) -> dict[str, int]:
    """The recorded sizes, read again only when the file was replaced."""
    global _last
    try:
        info = os.stat(os.path.join(folder, SIZES))
    except OSError:
        return {}
    version = (folder, info.st_ino, info.st_mtime_ns)
    known = _last  # one read: another thread may replace it meanwhile
    if known[0] != version:
        known = _last = (version, _read_sizes(Path(folder)))
    return known[1]


def damaged_file(folder: Path | None, searcher) -> str | None:
    """What is wrong with a file of the searcher's segments (missing, or not the size it was
    committed with), or None. Files of an index written before sizes were kept are not checked.
    Every search asks, so it costs a ``stat`` per file and nothing more."""
    if folder is None:
        return "no live index"
    readers = [reader for reader, _ in searcher.reader().leaf_readers()]
    segments = {reader.segment().segment_id() for reader in readers if reader.segment()}
    base = str(folder)
    for name, size in _sizes_of(base).items():
        if name.partition(".")[0] not in segments:
            continue
        try:
            found = os.stat(os.path.join(base, name)).st_size
        except OSError:
            return f"{name} is missing"
        if found != size:
            return f"{name} has {found} bytes of {size}"
    return None
