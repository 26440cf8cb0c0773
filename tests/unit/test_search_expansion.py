"""Query expansion as measured by bench/expansion_eval.py (not used by the search page: it did
not rank better on held-out questions): terms come from the documents handed in and go with the
question's words in the forum's threads, bounded in number, never for a precise question; a
question in other words than its thread's finds it."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from bench import expansion, expansion_eval
from forum.search.documents import text_fields
from forum.search.index import CODEC, build_schema
from forum.search.parsing import parse_query

THREADS = {
    "roi": ("Return on investment of rooftop panels", "Is the investment worth it for a house?"),
    "pump": ("Heat pump investment", "The payback was seven years on our investment."),
    "insulation": ("Insulation investment", "Loft insulation: payback in five years."),
    "photovoltaic": ("Photovoltaic installation", "Our payback time turned out eleven years."),
}
FILLER = [f"Thread number {n} about {word}" for n, word in enumerate("abcdefghijklmnopqrstuvwxyz")]
SETTING = {"method": "association", "threads": 5, "terms": 4, "weight": 2.0, "guard": True}


@pytest.fixture(scope="module")
def forum(tmp_path_factory):
    ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("expansion")), build_schema())
    texts = {}
    writer = ix.writer(codec=CODEC)
    rows = list(THREADS.items()) + [
        (f"filler{n}", (title, f"{title} and compost bins")) for n, title in enumerate(FILLER)
    ]
    for number, (name, (title, body)) in enumerate(rows, start=1):
        key = f"{name}|thread:{number}"
        texts[key] = (f"{title}\n{body}", "en")
        writer.add_document(key=key, kind="thread", thread=number, **text_fields("en", title, body))
    writer.commit()
    with ix.searcher() as searcher:
        yield searcher, texts


def known_terms(searcher, text: str) -> dict[str, set[str]]:
    built = expansion_eval.build_query(searcher.schema, parse_query(text))
    return {"en": expansion_eval.query_terms(built.scored, searcher.reader(), "en")}


def test_terms_come_from_the_documents_handed_in_and_go_with_the_question(forum):
    searcher, texts = forum
    documents = [texts["pump|thread:2"], texts["insulation|thread:3"]]
    terms = expansion.associated_terms(searcher, documents, known_terms(searcher, "investment"))
    assert [t.term for t in terms][:1] == ["payback"]
    assert "investment" not in {t.term for t in terms}  # the question's own word
    assert abs(sum(t.weight for t in terms) - 1) < 1e-9


def test_no_term_of_a_document_not_handed_in(forum):
    """Only what the caller passes (what a reader may see) gives terms: "payback" goes with
    "investment" in the forum, but the one thread handed in does not use it."""
    searcher, texts = forum
    known = known_terms(searcher, "investment")
    alone = expansion.associated_terms(searcher, [texts["roi|thread:1"]], known)
    assert "payback" not in {t.term for t in alone}
    more = expansion.associated_terms(
        searcher, [texts["roi|thread:1"], texts["pump|thread:2"]], known
    )
    assert "payback" in {t.term for t in more}


def test_the_number_of_terms_is_bounded(forum):
    searcher, texts = forum
    documents = list(texts.values())
    for limit in (1, 2):
        found = expansion.associated_terms(
            searcher, documents, known_terms(searcher, "investment payback"), limit=limit
        )
        assert len(found) <= limit


@pytest.mark.parametrize(
    "text, expands",
    [
        ("return on investment", True),
        ('"return on investment"', False),
        ("invest*", False),
        ("investment -payback", False),
        ("type:thread", False),
    ],
)
def test_only_plain_words_are_expanded(text, expands):
    assert expansion.applies(parse_query(text)) is expands


def test_a_clear_leader_is_a_precise_answer():
    assert expansion.precise([10.0, 2.0]) and expansion.precise([3.0])
    assert not expansion.precise([10.0, 9.0])


def test_a_question_in_other_words_finds_its_thread(forum):
    """The question "rooftop investment" shares no word with the photovoltaic thread; the
    forum's threads about investments speak of payback, which the photovoltaic thread does."""
    searcher, texts = forum
    question = "rooftop investment"
    assert "photovoltaic" not in expansion_eval.search(searcher, texts, question, None)
    assert "photovoltaic" in expansion_eval.search(searcher, texts, question, SETTING)
