"""Swedish analysis: compounds split only into dictionary words, parts weigh less than whole
words, a query's compound reaches titles by its parts, lemmas join word forms, and the index
is rebuilt when the analysis changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from forum.search import engine
from forum.search.analysis import PART_MARK, WordAnalyzer, language_analyzer, normalise_word
from forum.search.documents import text_fields
from forum.search.index import CODEC, IndexStore, build_schema
from forum.search.parsing import parse_query
from forum.search.query import build_query
from forum.search.swedish import split_compound

# Splits the splitter once made (seen in the corpora of ../shared/corpus): the word, and a part
# it must never yield. Inflection and derivation endings that are words ("ring", "ande",
# "erna"), rare or made-up short words ("tran", "besk", "pri"), verb particles ("fram", "före"),
# the linking -s- given to the wrong part ("flyg+katt", "marknad+svärdet"), and last parts of
# three letters that are no noun ("form+lär", "krav+all") or the end of another word ("-erad",
# "-aren", "-sson", "-tur", "-ton").
FALSE_SPLITS = [
    line.split()
    for line in """
    vaccinering ring
    havande hav
    stimulera stim
    angeläget ange
    terawattimmar wat
    planeringen ringen
    transporterna tran
    förtida fört
    försvåras förs
    dieselbilar dies
    lokalisering ring
    fastighetsskatten katten
    elintensiva elin
    uppmärksammats mats
    messing sing
    remissvar remi
    megawatt meg
    kilowattimme kil
    eftersatta eft
    leveranser anser
    kostsamma amma
    lättnader nader
    instanser anser
    arealer are
    prisskillnader pri
    undanta und
    äventyra även
    stoppats pats
    halvering ring
    kompletterande letter
    beskrivna besk
    investeringen ringen
    placeringen ringen
    aviserat avi
    rikstrafiken rik
    flygskatt katt
    flygskolan kolan
    marknadsvärdet svärdet
    befolkningsökningen sökningen
    kostnadsökningar sökningar
    anläggningslagen slagen
    inkomsten sten
    tillkomsten sten
    rapportens ortens
    åtgärderna erna
    statsrådets ets
    hyresgästernas nas
    miljöbalkens ens
    flygets gets
    kommission kom
    förenklas fören
    fördyrar förd
    belastar bela
    lärdomar omar
    miljösmarta marta
    centralisering ring
    etableringar ringar
    minskningar nin
    transportsektorns torns
    skrivelse else
    betänkande ande
    genomförande ande
    redovisade redo
    föreslagna före
    föreskrifter före
    framkommit fram
    genomförts genom
    sammanslagning samman
    överväganden anden
    tillkännagivanden anden
    formulär lär
    kravall all
    handske ske
    reformerad rad
    förorenaren ren
    svantesson son
    apparatur tur
    plankton ton
    """.strip().splitlines()
]


# Proper names of the corpora that look like compounds: the word and the part it must not yield.
# Names the dictionary knows (it writes their lemma with a capital) are never split, whatever the
# case; names it does not know are left whole where the text writes them capitalised inside a
# sentence.
DICTIONARY_NAMES = [
    line.split()
    for line in """
    Ringhals hals
    Landvetter land
    Rosengren gren
    Skaraborg borg
    Österåker åker
    Sveaskog skog
    Tyskland land
    Karlskrona krona
    Drottningholm holm
    """.strip().splitlines()
]
NAMES_IN_TEXT = [
    line.split()
    for line in """
    Damberg berg
    Carlgren gren
    Kapellskär skär
    Strandhäll häll
    Billström ström
    Ringholm ring
    Nordstan stan
    Tomelilla lilla
    Tullinge tull
    Olofström ström
    Flemingsberg berg
    Hallandsåsen såsen
    Lillgrund grund
    """.strip().splitlines()
]


def terms(text: str, mode: str = "index") -> list[str]:
    return [t.text for t in language_analyzer("sv")(text, mode=mode)]


def stem(word: str) -> str:
    (term,) = terms(word, mode="query")
    return term


@pytest.mark.parametrize("word, wrong", FALSE_SPLITS)
def test_false_splits_never_happen(word, wrong):
    assert wrong not in split_compound(word)
    assert PART_MARK + stem(wrong) not in terms(word)


@pytest.mark.parametrize("name, wrong", DICTIONARY_NAMES)
def test_names_the_dictionary_knows_are_never_split(name, wrong):
    assert split_compound(normalise_word(name)) == ()
    assert PART_MARK + stem(wrong) not in terms(name.lower())
    assert PART_MARK + stem(wrong) not in language_analyzer("sv").positions(f"Om {name} i år")


@pytest.mark.parametrize("name, wrong", NAMES_IN_TEXT)
def test_names_capitalised_inside_a_sentence_are_not_split(name, wrong):
    analyzer = language_analyzer("sv")
    indexed = analyzer.positions(f"Frågan gäller {name} och inget annat.")
    assert stem(name.lower()) in indexed and PART_MARK + stem(wrong) not in indexed


@pytest.mark.parametrize(
    "text, part",
    [
        ("Klimatkontrakt för städer", "kontrakt"),  # a title's first word
        ("Det gäller alla. Fjärrvärmepriser stiger.", "priser"),  # a sentence's
        ("Listan:\nSolcellsskatten tas bort", "skatten"),  # a list item's
        ("vi höjer fjärrvärmepriser i år", "priser"),  # lower case
    ],
)
def test_compounds_that_start_a_sentence_still_split(text, part):
    assert PART_MARK + stem(part) in language_analyzer("sv").positions(text)


def test_the_false_split_list_is_long_enough():
    assert len(FALSE_SPLITS) >= 32 and len({w for w, _ in FALSE_SPLITS}) == len(FALSE_SPLITS)


@pytest.mark.parametrize(
    "word, parts",
    [
        ("solcellsskatten", ("solcell", "skatten")),
        ("fjärrvärmepriser", ("fjärrvärme", "priser")),
        ("flygskatt", ("flyg", "skatt")),
        ("fastighetsskatten", ("fastighet", "skatten")),
        ("kostnadsökningar", ("kostnad", "ökningar")),
        ("höghastighetsbanor", ("hög", "hastighet", "banor")),
        # a last part of three letters: a common noun
        ("svarsdag", ("svar", "dag")),
        ("familjehem", ("familj", "hem")),
        ("klimatmål", ("klimat", "mål")),
        ("cykelväg", ("cykel", "väg")),
        ("kulturhus", ("kultur", "hus")),
    ],
)
def test_real_compounds_still_split(word, parts):
    assert split_compound(word) == parts


def test_parts_are_indexed_as_parts_not_as_words():
    indexed = terms("höghastighetsbanor")
    assert stem("hög") not in indexed and PART_MARK + stem("hög") in indexed


@pytest.mark.parametrize(
    "forms",
    [
        ("vaccination", "vaccinering", "vaccinera", "vaccinerar", "vaccinerade"),
        ("säkerhet", "säkerheten", "säker"),
        ("resan", "resa", "resor", "res"),
        ("hållbarhet", "hållbar", "hållbara"),
    ],
)
def test_lemmas_join_word_forms_snowball_keeps_apart(forms):
    assert len({stem(form) for form in forms}) == 1


@pytest.mark.parametrize("word, other", [("havande", "hav"), ("boende", "bo")])
def test_lemmas_do_not_join_words_that_only_look_alike(word, other):
    assert stem(word) != stem(other)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("swedish")), build_schema())
    threads = {
        "fjarrvarme": ("Höjd skatt på fjärrvärme", "Regeringen vill höja energiskatten."),
        "hog": ("Höga hyror i nyproduktion", "Hyrorna är för höga för unga."),
        "banor": ("Svenska höghastighetsbanor", "Nya stambanor för snabba tåg."),
        "solceller": ("Solceller på taket", "Hur mycket el ger en solcell på vintern?"),
        "vaccin": ("Vaccinering av barn", "Regionerna erbjuder vaccinering i skolan."),
        "ringa": ("Ringa in problemet", "Vi behöver ringa in vad som är fel."),
        "svar": ("Ansökan om stöd", "Ni får svar från handläggaren inom en vecka."),
        "svarsdag": ("Ansökan om bidrag", "Sista svarsdag är den första mars."),
    }
    writer = ix.writer(codec=CODEC)
    for key, (title, body) in threads.items():
        writer.add_document(key=key, kind="thread", **text_fields("sv", title, body))
    writer.commit()
    with ix.searcher() as searcher:
        yield searcher


def ranking(searcher, text: str) -> list[str]:
    built = build_query(searcher.schema, parse_query(text))
    if built.scored is None:
        return []
    found = engine.search(searcher, built.scored, limit=10, mask=built.mask)
    return [searcher.stored_fields(docnum)["key"] for docnum in found.top]


def test_a_query_compound_reaches_a_title_by_its_parts(searcher):
    assert ranking(searcher, "fjärrvärmepriser")[:1] == ["fjarrvarme"]
    assert "solceller" in ranking(searcher, "solcellsskatten")


def test_a_query_compound_reaches_a_body_by_one_part_below_the_compound(searcher):
    assert ranking(searcher, "svarsdag")[:2] == ["svarsdag", "svar"]


def test_a_whole_word_in_a_title_outranks_the_same_word_as_a_part(searcher):
    found = ranking(searcher, "höga")
    assert found.index("hog") < found.index("banor")


def test_a_false_split_no_longer_matches(searcher):
    assert "vaccin" not in ranking(searcher, "ringa")
    assert ranking(searcher, "vaccination")[:1] == ["vaccin"]  # through the lemma step


HOSTILE = [
    "",
    '"',
    '"""',
    "-",
    "--",
    "*",
    "+",
    "+ring",
    "ring+",
    "höghastighets*",
    "-höghastighetsbanor",
    '"höghastighetsbanor hög"',
    "å" * 300,
    "vaccinering" * 50,
    "\x00\x01",
    "författare: typ: språk:",
    "🙂 solcellsskatten 🙂",
    "שלום مرحبا fjärrvärmepriser",
    "a-b-c-d-e",
    "(((()))",
    "AND OR NOT",
    "sa\u030al",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_error(searcher, text):
    assert isinstance(ranking(searcher, text), list)


def test_an_index_written_with_another_analysis_is_rebuilt(tmp_path):
    """The analyzer's version is part of the schema Whoosh stores, so an index written by the
    previous analysis is not current and gets rebuilt beside the live one at start."""
    store = IndexStore(tmp_path)
    old = store._new_directory()
    schema = build_schema()
    for name in schema.names():
        analyzer = getattr(schema[name], "analyzer", None)
        if isinstance(analyzer, WordAnalyzer):
            options = {**analyzer.options, "version": 1}
            schema[name].analyzer = WordAnalyzer(
                options.pop("kind"), options.pop("lang"), **options
            )
    whoosh_index.create_in(str(old), schema)
    store._publish(old)
    assert not store.is_current()
    fresh = store._new_directory()
    whoosh_index.create_in(str(fresh), build_schema())
    store._publish(fresh)
    assert store.is_current()
    assert Path(store.live_path()) == fresh
