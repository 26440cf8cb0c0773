"""A Swedish question's words: each also finds the other words of its family ("invandring" for
"invandrare") below the word itself, and words common in Swedish at large ("går", "får") weigh
less than rare ones, in the Swedish fields only."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from forum.search import engine
from forum.search.documents import text_fields
from forum.search.index import CODEC, build_schema
from forum.search.parsing import parse_query
from forum.search.query import build_query
from forum.search.swedish import Lexicon, general_weight, word_family


@pytest.mark.parametrize(
    "word, relative",
    [
        ("invandrare", "invandring"),  # the people and the phenomenon
        ("invandring", "invandrare"),
        ("kostar", "kostnad"),  # the verb and its noun
        ("tiggeri", "tiggare"),
        ("utvisas", "utvisning"),
        ("vaccineras", "vaccin"),
        ("överrepresenterade", "överrepresentation"),
    ],
)
def test_a_word_family_joins_the_forms_people_use_for_one_thing(word, relative):
    assert relative in word_family(word)


def test_a_family_holds_only_other_dictionary_words():
    data = Lexicon.data()
    for word in ("invandrare", "kostar", "tiggeri", "rasister", "kommunerna"):
        family = word_family(word)
        assert word not in family
        assert all(data.known(other) and not data.name(other) for other in family)
    assert word_family("barn") == ()  # no ending to take off


def _index(path, documents: dict[str, tuple[str, str]]):
    ix = whoosh_index.create_in(str(path), build_schema())
    with ix.writer(codec=CODEC) as writer:
        for key, (lang, body) in documents.items():
            writer.add_document(key=key, kind="thread", **text_fields(lang, "", body))
    return ix


def _scores(ix, text: str) -> dict[str, float]:
    with ix.searcher() as searcher:
        built = build_query(searcher.schema, parse_query(text))
        found = engine.view_of(searcher).evaluate(built.scored)
        return {
            searcher.stored_fields(int(docnum))["key"]: float(score)
            for docnum, score in zip(found.ids, found.scores)
        }


def test_a_question_finds_the_family_word_below_the_word_itself(tmp_path):
    ix = _index(
        tmp_path,
        {
            "phenomenon": ("sv", "Invandringen ökar i Europa."),
            "people": ("sv", "Invandrare söker arbete i Europa."),
            "other": ("sv", "Vädret blir kallt i natt."),
        },
    )
    scores = _scores(ix, "invandrare")
    assert set(scores) == {"phenomenon", "people"}
    assert scores["people"] > scores["phenomenon"]


def test_a_word_common_in_swedish_counts_less_than_a_rare_one(tmp_path):
    assert general_weight("får") < general_weight("brott") < 1.0
    assert general_weight("kvotflyktingar") == 1.0
    # one document each, as long as each other: the forum's own statistics cannot tell them apart
    ix = _index(
        tmp_path,
        {"common": ("sv", "går vädret"), "rare": ("sv", "tiggare vädret")},
    )
    scores = _scores(ix, "går tiggare")
    assert scores["rare"] > scores["common"]


def test_english_words_are_not_weighed_by_the_swedish_word_list(tmp_path):
    assert general_weight("life") < 1.0  # "life" is common enough in Swedish text
    ix = _index(
        tmp_path,
        {"life": ("en", "life garden"), "rare": ("en", "xylophone garden")},
    )
    scores = _scores(ix, "life xylophone")
    assert scores["life"] == pytest.approx(scores["rare"])
