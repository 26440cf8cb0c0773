"""The array evaluation of queries (forum/search/engine.py) against Whoosh's own evaluation, on a
small index of real corpus text with several segments and deleted documents; and the fast
indexing path of the analyzers against the token chain."""

from __future__ import annotations

import gzip
import json
import math
from datetime import datetime, timedelta

import pytest
from cachetools import LRUCache
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import scoring
from whoosh.fields import TEXT

from forum.config import PROJECT_ROOT
from forum.markup import text_of
from forum.search import engine, segments
from forum.search.documents import moment_fields, text_fields
from forum.search.index import CODEC, build_schema
from forum.search.parsing import parse_query
from forum.search.query import build_query, filter_query
from forum.search.snippets import snippet

CORPUS = PROJECT_ROOT / "tests" / "data" / "corpus"


def corpus_records(limit: int = 240) -> list[dict]:
    records = []
    for name in ("swefaq_sv.jsonl.gz", "se_sustainability_en.jsonl.gz"):
        with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
            records += [json.loads(line) for line, _ in zip(handle, range(limit // 2))]
    return records


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """Three segments (three writers without merging), with some documents deleted."""
    ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("engine")), build_schema())
    records = corpus_records()
    start = datetime(2020, 1, 1)
    for part in range(3):
        writer = ix.writer(codec=CODEC)
        for n, record in enumerate(records[part::3]):
            number = part + 3 * n
            writer.add_document(
                key=f"post:{number}",
                group=f"thread:{record['thread_id']}",
                kind="thread" if number % 4 else "post",
                theme="klimat" if number % 2 else "halsa",
                sdg="7,11" if number % 5 == 0 else "3",
                **moment_fields(start + timedelta(days=number)),
                **text_fields(
                    record.get("lang") or "sv", record.get("title") or "", record["body"]
                ),
            )
        writer.commit(merge=False)
    with ix.writer() as writer:
        for number in range(0, len(records), 7):
            writer.delete_by_term("key", f"post:{number}")
        writer.mergetype = lambda writer, segments: segments  # keep the segments apart
    return ix


def whoosh_matches(searcher, query) -> dict[int, float]:
    """Whoosh's matches and scores (without the coordination ``scale``: Whoosh's own coordination
    fails on exhausted sub-matchers of a multi-segment index, and the engine's differs)."""
    if isinstance(query, Q.Or) and query.scale:
        query = Q.Or(query.subqueries, boost=query.boost)
    matcher = query.matcher(searcher)
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.score()
        matcher.next()
    return found


QUESTIONS = [
    "kan man få ersättning",
    "vaccin barn",
    "solar panels energy",
    "förnybar energi",
    "vaccin*",
    "ener*",
    '"renewable energy"',
    "compost -meat",
    "vård sjukvård region",
]


def test_the_index_has_several_segments_and_deletions(index):
    with index.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 3
        assert searcher.doc_count() < searcher.doc_count_all()


@pytest.mark.parametrize("text", QUESTIONS)
def test_the_same_documents_match_as_in_whoosh(index, text):
    built = build_query(index.schema, parse_query(text))
    with index.searcher() as searcher:
        expected = set(whoosh_matches(searcher, built.scored))
        assert expected, "the question should match something"
        found = engine.view_of(searcher).evaluate(built.scored)
        assert set(found.ids.tolist()) == expected
        assert all(not searcher.reader().is_deleted(int(d)) for d in found.ids)


def test_term_scores_are_whooshs_bm25(index):
    with index.searcher() as searcher:
        for fieldname, text in (
            ("body_sv", "vaccin"),
            ("body_en", "energi"),
            ("body_en", "energy"),
        ):
            query = Q.Term(fieldname, text, boost=2.5)
            expected = whoosh_matches(searcher, query)
            found = engine.view_of(searcher).evaluate(query)
            assert len(found) == len(expected)
            for docnum, score in zip(found.ids.tolist(), found.scores.tolist()):
                assert math.isclose(score, expected[docnum], rel_tol=1e-5)


def test_title_scores_are_bm25_with_titles_own_length_normalisation(index):
    """Titles weigh their length less (``FIELD_BM25``): Whoosh's BM25F with the title's B."""
    b, k1 = engine.FIELD_BM25["title"]
    assert b < engine.B
    weighting = scoring.BM25F(B=engine.B, K1=k1, title_sv_B=b, title_en_B=b)
    with index.searcher(weighting=weighting) as searcher:
        for fieldname, text in (("title_sv", "vaccin"), ("title_en", "energi")):
            query = Q.Term(fieldname, text, boost=2.5)
            expected = whoosh_matches(searcher, query)
            found = engine.view_of(searcher).evaluate(query)
            assert len(found) == len(expected) > 0
            for docnum, score in zip(found.ids.tolist(), found.scores.tolist()):
                assert math.isclose(score, expected[docnum], rel_tol=1e-5)


def test_coordination_raises_documents_matching_more_of_the_words(index):
    words = [build_query(index.schema, parse_query(w)).scored for w in ("vaccin", "barn")]
    with index.searcher() as searcher:
        view = engine.view_of(searcher)
        plain = view.evaluate(Q.Or(words))
        scaled = view.evaluate(Q.Or(words, scale=2.0))
        both = set(view.evaluate(Q.And(words)).ids.tolist())
        assert both and len(both) < len(plain), "some documents should have both words, others one"
        assert scaled.ids.tolist() == plain.ids.tolist()
        # each word weighs by its rarity: log(1 + (N - n + 0.5) / (n + 0.5)), n of N documents
        matching = [set(view.evaluate(w).ids.tolist()) for w in words]
        n = view.alive_count
        weights = [math.log1p((n - len(m) + 0.5) / (len(m) + 0.5)) for m in matching]
        for docnum, before, after in zip(plain.ids.tolist(), plain.scores, scaled.scores):
            share = sum(w for w, m in zip(weights, matching) if docnum in m) / sum(weights)
            assert math.isclose(after, before * (1 + engine.COORDINATION * share))


@pytest.mark.parametrize(
    "filters",
    [
        {"kinds": ["post"]},
        {"themes": ["klimat"], "sdgs": [7]},
        {"langs": ["en"]},
        {"date_from": datetime(2020, 2, 1), "date_to": datetime(2020, 3, 15, 23, 59)},
        {"authors": []},
    ],
)
def test_filters_and_exclusions_agree_with_whoosh(index, filters):
    built = build_query(index.schema, parse_query("energi energy vaccin -barn"))
    restrict = filter_query(**filters)
    with index.searcher() as searcher:
        unscaled = Q.Or(built.scored.subqueries, boost=built.scored.boost)
        expected = [
            hit.docnum
            for hit in searcher.search(unscaled, limit=None, filter=restrict, mask=built.mask)
        ]
        found = engine.search(
            searcher, built.scored, limit=10_000, restrict=restrict, mask=built.mask
        )
        assert set(found.matched.tolist()) == set(expected)


def test_newest_first_and_facets(index):
    built = build_query(index.schema, parse_query("energy energi vaccin"))
    with index.searcher() as searcher:
        found = engine.search(searcher, built.scored, limit=5, newest=True)
        created = [searcher.stored_fields(d)["key"] for d in found.top]
        numbers = [int(key.split(":")[1]) for key in created]
        assert numbers == sorted(numbers, reverse=True)  # the day grows with the number
        counts = engine.view_of(searcher).facet_counts(found.matched)
        for name in ("kind", "theme", "lang"):
            assert sum(counts[name].values()) == len(found.matched)
        expected_seven = len(
            set(found.matched.tolist()) & set(searcher.docs_for_query(Q.Term("sdg", "7")))
        )
        assert counts["sdg"].get("7", 0) == expected_seven


def test_fast_indexing_path_gives_the_chain_terms_and_positions():
    schema = build_schema()
    for record in corpus_records(80):
        for name, value in text_fields(
            record.get("lang") or "sv", record.get("title") or "", record["body"]
        ).items():
            field = schema[name]
            if isinstance(field, TEXT):
                assert sorted(field.index(value)) == sorted(TEXT.index(field, value)), name


def test_snippet_marks_the_words_of_the_query_terms():
    schema = build_schema()
    text = (
        "Inledning. " * 30 + "Kompostera matrester i lägenheten <b>går</b> bra. " + "Annat. " * 40
    )
    terms = {t.text for t in schema["body_sv"].analyzer("kompostera lägenhet", mode="index")}
    html = snippet(schema, text, "sv", terms)
    assert "<mark>Kompostera</mark>" in html and "<mark>lägenheten</mark>" in html
    assert "&lt;b&gt;går&lt;/b&gt;" in html and html.startswith("… ") and html.endswith(" …")
    assert len(html) < 400
    assert snippet(schema, "Inget här", "sv", {"kompost"}) == "Inget här"


def test_a_snippet_shows_one_ellipsis_for_each_gap():
    """Two fragments far apart are joined by one "…" (each fragment's own end and start gave
    "… …"), and a text cut right after its own "…" gets no second one."""
    schema = build_schema()
    terms = {t.text for t in schema["body_sv"].analyzer("kompost", mode="index")}
    text = "Kompost i början. " + "Annat ord här. " * 60 + "Mer kompost på slutet. " + "Slut. " * 60
    html = snippet(schema, text, "sv", terms)
    assert html.count("<mark>") == 2 and html.count("…") == 2, html
    assert "… …" not in html and html.endswith(" …")
    for words_before in range(0, 60, 3):
        trailing = "Ord " * words_before + "kompost och sedan… " + "fyll " * 80
        html = snippet(schema, trailing, "sv", terms)
        assert "… …" not in html and "……" not in html, html
        opening = "Inledning " * 30 + "...och sedan kompost " + "fyll " * words_before
        html = snippet(schema, opening, "sv", terms)
        assert "… ..." not in html and "… …" not in html, html
    unmatched = "Utan träff " * 19 + "och sen… " + "mer " * 40
    assert snippet(schema, unmatched, "sv", set()).endswith("sen…")
    assert text_of("<p>" + "Ord " * 9 + "och sen… mer text här</p>", 45).endswith("sen…")


def test_kept_postings_stay_within_the_process_budget(index, monkeypatch):
    """Every term a worker was ever asked for is not kept for good: the postings of all segments
    share one budget of bytes, and a term's postings read again match the first reading."""
    budget = 40_000
    monkeypatch.setattr(
        segments, "_postings", LRUCache(maxsize=budget, getsizeof=segments._postings_bytes)
    )
    with index.searcher() as searcher:
        view = engine.view_of(searcher)
        terms = [t for t in searcher.reader().field_terms("body_sv")][:300]
        first = {t: view.postings("body_sv", t.encode()) for t in terms}
        assert 0 < segments._postings.currsize <= budget
        assert len(segments._postings) < len(terms) * len(view.leaves)  # some were dropped
        for term in terms[:20]:  # dropped ones are read again, and alike
            again = view.postings("body_sv", term.encode())
            assert again[0].tolist() == first[term][0].tolist()
            assert again[1].tolist() == first[term][1].tolist()


def test_a_term_over_the_budget_is_answered_but_not_kept(index, monkeypatch):
    monkeypatch.setattr(
        segments, "_postings", LRUCache(maxsize=300, getsizeof=segments._postings_bytes)
    )
    with index.searcher() as searcher:
        ids, _ = engine.view_of(searcher).postings("body_en", b"energi")
        assert len(ids) and segments._postings.currsize <= 300
