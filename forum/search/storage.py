"""Whoosh's file storage, except that a commit's clean-up leaves unneeded files for a while.

A searcher opens some of its segment's files only when a search first needs them (stored fields,
the sort columns). Whoosh removes the files of merged segments and old tables of contents as soon
as a writer commits, so a search running in another process at that moment failed half way.
Here a file the clean-up asks to remove is noted in ``.doomed.json`` and removed by the first
clean-up that comes ``GRACE_SECONDS`` later: longer than any request a searcher serves, since a
searcher is reopened as soon as its index changed (``IndexStore.searcher``).
"""

from __future__ import annotations

import json
import os
import secrets
import time

from whoosh.filedb.filestore import FileStorage

GRACE_SECONDS = 300.0
DOOMED = ".doomed.json"  # a leading dot: Whoosh's clean-up never lists it


class GracefulStorage(FileStorage):
    """A ``FileStorage`` whose ``delete_file`` removes a file only once it has been unneeded for
    ``grace`` seconds. Whoosh calls it while the writer holds the index's write lock, so the
    ledger has one writer at a time."""

    def __init__(self, path: str, *, grace: float = GRACE_SECONDS, **kwargs):
        super().__init__(path, **kwargs)
        self.grace = grace

    def delete_file(self, name: str) -> None:
        ledger = self._read_ledger()
        now = time.time()
        doomed_at = ledger.setdefault(name, now)
        if now - doomed_at >= self.grace:
            try:
                super().delete_file(name)
            except FileNotFoundError:
                pass
            del ledger[name]
        # files removed by other means (a rebuild's clean-up, an operator) leave the ledger too
        ledger = {key: when for key, when in ledger.items() if os.path.exists(self._fpath(key))}
        self._write_ledger(ledger)

    def _read_ledger(self) -> dict[str, float]:
        try:
            with open(self._fpath(DOOMED)) as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return {}

    def _write_ledger(self, ledger: dict[str, float]) -> None:
        tmp = self._fpath(f".doomed-{secrets.token_hex(4)}")
        with open(tmp, "w") as handle:
            json.dump(ledger, handle)
        os.replace(tmp, self._fpath(DOOMED))
