"""Facet counts (type, theme, language, SDG) over every matching document, without scoring them.

Whoosh's own faceting (``groupedby``) categorises each matching document in Python, and its
results page matched the query a second time to count them. Here one collector pass keeps the top
hits and the set of every matching document number, and each facet value's documents are a set
worked out once per searcher (cached on it; a searcher lives until the index changes), so a count
is one set intersection.
"""
from __future__ import annotations

from whoosh import collectors, query as Q

FACET_FIELDS = ("kind", "theme", "lang", "sdg")


def value_sets(searcher) -> dict[str, dict[str, frozenset[int]]]:
    """field -> value -> the documents with that value (cached on the searcher)."""
    cached = getattr(searcher, "_forum_facet_sets", None)
    if cached is None:
        reader = searcher.reader()
        cached = {}
        for name in FACET_FIELDS:
            cached[name] = {
                value: frozenset(searcher.docs_for_query(Q.Term(name, value)))
                for value in reader.field_terms(name)
            }
        searcher._forum_facet_sets = cached
    return cached


class _TopAndAllCollector(collectors.TopCollector):
    """The best ``limit`` documents by score, remembering every matching one (for the total and
    the facets) as it goes. No block skipping and no matcher replacement (``replace=0``): both
    prune sub-queries by their maximum score, which ignores the coordination bonus, so they would
    drop matches from the count and change the ranking."""

    def _use_block_quality(self):
        return False

    def _collect(self, global_docnum, score):
        self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)


def search(searcher, scored, *, limit: int, restrict=None, mask=None, newest: bool = False):
    """One pass over the matching documents: (the first ``limit`` results, every matching docnum).

    By relevance, or by date (newest first) when ``newest``. ``restrict`` and ``mask`` are
    Whoosh's ``filter`` and ``mask``."""
    if newest:
        top = collectors.SortingCollector("created", limit=limit, reverse=True)
    else:
        top = _TopAndAllCollector(limit=limit, usequality=False, replace=0)
    collector = collectors.FilterCollector(top, restrict, mask) if restrict is not None or mask is not None else top
    searcher.search_with_collector(scored, collector)
    return collector.results(), top.docset


def facet_counts(searcher, docs: set[int]) -> dict[str, dict[str, int]]:
    """field -> value -> how many of ``docs`` have it (values with none left out)."""
    counts: dict[str, dict[str, int]] = {}
    for name, values in value_sets(searcher).items():
        counts[name] = {value: n for value, members in values.items() if (n := len(members & docs) if docs else 0)}
    return counts
