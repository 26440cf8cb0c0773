"""Language analysis: Swedish/English stemming, stop words, å/ä/ö, accent folding, compounds."""

from __future__ import annotations

import pytest

from forum.search.analysis import (
    PART_MARK,
    fold_accents,
    is_stop_word,
    language_analyzer,
    split_compound,
)
from forum.search.documents import public_text
from forum.search.parsing import parse_query


def tokens(text: str, lang: str = "sv", mode: str = "index") -> list[str]:
    return [t.text for t in language_analyzer(lang)(text, mode=mode)]


def test_swedish_stemming_joins_inflections():
    assert tokens("lägenheten")[0] == tokens("lägenheter")[0] == tokens("lägenhet")[0]
    assert tokens("kompostera", mode="query") == tokens("komposterar", mode="query")


def test_english_stemming_and_stop_words():
    assert tokens("Can I put meat in the compost", "en") == ["put", "meat", "compost"]
    assert tokens("composting", "en") == tokens("compost", "en")


def test_swedish_stop_words_are_dropped():
    assert tokens("kan man kompostera i en lägenhet", mode="query") == tokens(
        "kompostera lägenhet", mode="query"
    )


@pytest.mark.parametrize(
    "kept, other", [("säl", "sal"), ("får", "far"), ("öl", "ol"), ("mål", "mal")]
)
def test_a_ring_a_umlaut_o_umlaut_stay_distinct(kept, other):
    assert tokens(kept, mode="query") != tokens(other, mode="query")


def test_other_accents_fold():
    assert fold_accents("café crème müller") == "cafe creme muller"
    assert fold_accents("åäö") == "åäö"
    assert fold_accents("ærø") == "ärö"
    # å typed as a + combining ring (NFD) is normalised to å before analysis
    assert parse_query("sa\u030al").words == ["sål"]
    assert public_text("<p>sa\u030al</p>") == "sål"


@pytest.mark.parametrize(
    "word, parts",
    [
        ("hållbarhetskongress", ("hållbarhet", "kongress")),
        ("klimatkontrakt", ("klimat", "kontrakt")),
        ("textilsortering", ("textil", "sortering")),
        ("avfallshantering", ("avfall", "hantering")),
    ],
)
def test_compounds_split_into_known_words(word, parts):
    assert split_compound(word) == parts


@pytest.mark.parametrize("word", ["regeringen", "lägenhet", "kompost", "sal"])
def test_everyday_words_are_not_split(word):
    assert split_compound(word) == ()


def test_compound_parts_are_indexed_at_the_same_position():
    stream = [
        (t.text, t.pos) for t in language_analyzer("sv")("en hållbarhetskongress", positions=True)
    ]
    positions = {pos for _, pos in stream}
    assert len(positions) == 1
    texts = [text for text, _ in stream]
    assert PART_MARK + tokens("hållbarhet", mode="query")[0] in texts
    assert PART_MARK + tokens("kongress", mode="query")[0] in texts


def test_queries_are_not_decompounded_by_the_analyzer():
    assert len(tokens("klimatkontrakt", mode="query")) == 1


def test_stop_words_of_either_language():
    assert is_stop_word("och") and is_stop_word("the") and is_stop_word("Och")
    assert not is_stop_word("kompost")
