"""The query language, including hostile input (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Every

from forum.search.index import build_schema
from forum.search.parsing import MAX_QUERY_CHARS, parse_query
from forum.search.query import build_query

SCHEMA = build_schema()


def _ram_index():
    ix = RamStorage().create_index(SCHEMA)
    with ix.writer() as writer:
        writer.add_document(
            key="thread:1",
            kind="thread",
            lang="sv",
            title_sv="Kompost i lägenhet",
            body_sv="Kan man kompostera matrester? Ja, med bokashi.",
            spell_sv="kompost lägenhet",
        )
        writer.add_document(
            key="post:2",
            kind="post",
            lang="en",
            body_en="Put meat in the compost? No.",
            spell_en="meat compost",
        )
    return ix


INDEX = _ram_index()


def _run(raw: str) -> int:
    built = build_query(SCHEMA, parse_query(raw))
    with INDEX.searcher() as searcher:
        return len(searcher.search(built.scored or Every(), mask=built.mask, limit=5))


def test_words_phrases_exclusions_prefixes_and_filters():
    parsed = parse_query(
        'kompost "gröna tak" -plast kompost* author:"Anna S" theme:klimat sdg:11 tema:x'
    )
    assert parsed.words == ["kompost"]
    assert parsed.phrases == [["gröna", "tak"]]
    assert parsed.excluded_words == ["plast"]
    assert parsed.prefixes == ["kompost"]
    assert parsed.filters == {"author": ["Anna S"], "theme": ["klimat", "x"], "sdg": ["11"]}


def test_natural_language_keeps_content_words_and_sets_stop_words_aside():
    parsed = parse_query("kan man kompostera matrester i lägenhet?")
    assert parsed.words == ["kompostera", "matrester", "lägenhet"]
    assert set(parsed.stop_words) == {"kan", "man", "i"}


def test_only_stop_words_are_searched_after_all():
    assert parse_query("the and of").words == ["the", "and", "of"]


def test_unbalanced_quote_runs_to_the_end():
    assert parse_query('"gröna tak').phrases == [["gröna", "tak"]]


def test_unknown_field_names_are_text():
    parsed = parse_query("http://example.org klimat:neutral")
    assert "klimat" in parsed.words and "neutral" in parsed.words


def test_lone_operators_give_an_empty_query():
    for raw in ["-", "*", '"', "- - -", 'author:""', '""', '-""']:
        assert parse_query(raw).is_empty, raw


def test_long_and_control_character_input_is_cut_and_cleaned():
    parsed = parse_query("klimat\x00\x07 " + "x" * 5000)
    assert parsed.truncated
    assert len(parsed.raw) <= MAX_QUERY_CHARS
    assert "\x00" not in parsed.raw and "klimat" in parsed.words


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_any_text_parses_and_searches(raw):
    assert 0 <= _run(raw) <= 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "-",
                "*",
                ":",
                "author:",
                "sdg:",
                "(",
                ")",
                "AND",
                "OR",
                "NOT",
                "\\",
                "klimat",
                "ö",
                "\x00",
                " ",
                "\u200b",
                "🌍",
                "%",
                "_",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_operator_soup_never_raises(raw):
    assert 0 <= _run(raw) <= 2


def test_ranking_prefers_documents_matching_more_words():
    built = build_query(SCHEMA, parse_query("kompostera matrester lägenhet"))
    with INDEX.searcher() as searcher:
        assert [hit["key"] for hit in searcher.search(built.scored)] == ["thread:1"]
    assert _run("compost") == 1  # English stemming: compost = composting
    assert _run("-kompost kompostera") == 0
