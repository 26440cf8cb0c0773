"""A commit that merges segments deletes the merged segments' files at once, while a searcher
another process opened before the merge may still have to read stored fields, field lengths and
sort columns, which Whoosh opens only when a search first needs them: the forum's searchers open
them as they open (``segments.hold_files``), so the search reads to its end."""

from __future__ import annotations

from whoosh import query as Q
from whoosh.sorting import FieldFacet

from forum.search import get_search_service, index
from forum.search.index import WRITER_OPTIONS
from forum.search.segments import hold_files
from tests.factories import make_thread, make_user


def test_a_searcher_opened_before_a_merge_reads_to_the_end(app, db_session):
    author = make_user(db_session)
    threads = [  # a commit, and so a segment, each
        make_thread(db_session, author, f"Kompost {n}", "Om kompost i Malmö.", direct=True)[0]
        for n in range(4)
    ]
    store = get_search_service(app).store
    held = store.searcher()  # as another worker's search, opened just before the merge
    stored_files = set(store.live_path().glob("*._stored.col"))
    assert len(held.leaf_searchers()) == len(stored_files) > 1
    writer = store.open().writer(**WRITER_OPTIONS)
    writer.commit(optimize=True)  # one segment; Whoosh deletes the others' files
    assert not any(path.exists() for path in stored_files)

    hits = held.search(Q.Term("kind", "thread"), limit=None, sortedby=FieldFacet("created"))
    assert [hit["key"] for hit in hits] == [f"thread:{thread.id}" for thread in threads]
    fresh = store.searcher()
    assert fresh is not held and fresh.up_to_date()


def test_a_merge_between_opening_and_holding_opens_the_next_generation(
    app, db_session, monkeypatch
):
    """The merge comes after the searcher read its table of contents but before it held the
    files: the files are gone, so the store opens the generation the merge wrote instead."""
    author = make_user(db_session)
    for n in range(3):
        make_thread(db_session, author, f"Kompost {n}", "Om kompost i Malmö.", direct=True)
    store = get_search_service(app).store
    merges = []

    def merge_first(searcher):
        if not merges:
            merges.append(True)
            store.open().writer(**WRITER_OPTIONS).commit(optimize=True)
        hold_files(searcher)

    monkeypatch.setattr(index, "hold_files", merge_first)
    searcher = store.searcher()
    assert merges and searcher.up_to_date() and len(searcher.leaf_searchers()) == 1
    assert len([hit["key"] for hit in searcher.search(Q.Term("kind", "thread"))]) == 3
