"""A commit that merges segments leaves the files it no longer needs for a while: a searcher
another process opened before the merge reads stored fields and sort columns, which Whoosh opens
only when a search first needs them, to the end of its request."""

from __future__ import annotations

import json

from whoosh import query as Q
from whoosh.sorting import FieldFacet

from forum.search import get_search_service, storage
from forum.search.index import WRITER_OPTIONS
from tests.factories import make_thread, make_user


def merge_everything(ix) -> None:
    writer = ix.writer(**WRITER_OPTIONS)
    writer.commit(optimize=True)


def threads(db_session, count: int) -> None:
    author = make_user(db_session)
    for n in range(count):  # a commit, and so a segment, each
        make_thread(db_session, author, f"Kompost {n}", "Om kompost i Malmö.", direct=True)


def test_a_searcher_opened_before_a_merge_reads_to_the_end(app, db_session):
    threads(db_session, 4)
    ix = get_search_service(app).store.open()
    assert len(ix._segments()) > 1
    held = ix.searcher()  # as another worker's search, opened just before the merge
    try:
        merge_everything(get_search_service(app).store.open())
        assert len(ix.refresh()._segments()) == 1
        hits = held.search(Q.Term("kind", "thread"), limit=None, sortedby=FieldFacet("created"))
        assert sorted(hit["key"] for hit in hits) == sorted(
            hit["key"] for hit in held.search(Q.Term("kind", "thread"), limit=None)
        )
        assert len(hits) == 4
    finally:
        held.close()


def test_unneeded_files_go_at_a_later_commit_once_the_grace_has_passed(
    app, db_session, monkeypatch
):
    threads(db_session, 3)
    store = get_search_service(app).store
    before = {path.name for path in store.live_path().iterdir()}
    merge_everything(store.open())
    ledger = json.loads((store.live_path() / storage.DOOMED).read_text())
    assert ledger and set(ledger) <= before  # noted, still there
    assert all((store.live_path() / name).exists() for name in ledger)

    later = max(ledger.values()) + storage.GRACE_SECONDS
    monkeypatch.setattr(storage.time, "time", lambda: later)
    make_thread(db_session, title="Ny tråd", body="Om regnvatten.", direct=True)
    assert not any((store.live_path() / name).exists() for name in ledger)
    left = json.loads((store.live_path() / storage.DOOMED).read_text())
    assert not set(left) & set(ledger)
