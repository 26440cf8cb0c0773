"""Swedish words: compound splitting into dictionary words, and a lemma step before stemming.

Both read the word list :mod:`forum.search.lexicon` keeps in the instance's cache (chosen once by
a child process): wordfreq's common Swedish words, which of them the ``simplemma`` dictionary
knows, and their lemmas.

**Splitting** (:func:`split_compound`) accepts only parts that are real words (common in wordfreq
*and* known to the dictionary) and long enough (4 letters; 3 only for a very common head such as
"bil" or "väg"). A part never is an inflection or derivation ending that happens to be a word
("vaccin+e+ring", "hav+ande", "åtgärd+erna"), a compound never starts with a verb particle
("fram+kommer", "före+skrifter"), and "-era" verbs, their nouns, the forms of simple words and
proper names are not compounds ("stimulera", "planeringen", "transporterna", "Ringhals": the
dictionary writes a name's lemma with a capital; names it does not know are left whole where the
text writes them with a capital inside a sentence, ``analysis.WordAnalyzer.positions``). Among
the splits left, the fewest parts win, then those without a short part, then the commoner last
part ("flyg+skatt", not "flyg+s+katt").

**Stems** (:func:`stem_word`): Snowball keeps apart word forms a dictionary joins, so a word is
first replaced by its lemma ("resan" -> "resa"), and derivations whose base is a word are stemmed
as the base: "-het" ("säkerhet" -> "säker"), "-ering"/"-ation" of an "-era" verb ("vaccinering",
"vaccination" -> "vaccinera").

**The query side**: :func:`word_family` gives the words of a query word's root that people use
for the same thing ("invandrare", "invandring"; "kostar", "kostnad"), which a query also looks
for at a lower weight, and :func:`general_weight` weighs a question's words by how common they
are in Swedish at large ("får", "kommer", "många" count for less).
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache

from .lexicon import OWN_LEMMA

MIN_PART = 4  # letters of a compound part
# A part this short must be very common (ZIPF_SHORT_HEAD) and known, and a last part this short
# a noun ("svars+dag", "familje+hem", "hyres+hus"; not "bra" or "nog")
MIN_SHORT_HEAD = 3
ZIPF_SHORT_HEAD = 4.5
ZIPF_SHORT_PART = 3.5  # how common a part of exactly MIN_PART letters must be
MIN_WORD = 7
LINKING = ("s", "e", "a", "o", "u")
COMMON_WORD = 10 ** (3.5 - 9)  # a word this common is left whole ("regeringen", "lägenhet")
MAX_PARTS = 3
VERB_ENDINGS = ("era", "erar", "erade", "erat")

# Endings of inflection and derivation that are also words, or look like one once a linking
# letter is taken off: a compound never ends in one ("vaccinering" is not vaccin+e+ring).
SUFFIX_TAILS = frozenset(
    """ring ringen ringar ringarna ringens ning ningen ningar ningarna anden andet andes ende
    enden are aren arna arnas erna ernas orna ornas ande heter heten else elsen iga igt ligt lig
    liga isk iska iskt arisk ariska ella elle ell erat erade erar eras era ade ades ats ets ens
    ers nas ast aste anser nader amma mats pats sing lise iden ida iva ster tion tioner lera
    ingen inget inga
    """.split()
)
# Nouns of three letters that are mostly the end of another word: "-erad" participles
# ("reformerad" is not reform+rad), "-aren" agents ("förorenaren"), "-sson" surnames, loans in
# "-tur" and "-ton" ("apparatur", "plankton").
SHORT_TAIL_ENDINGS = frozenset(("rad", "ren", "son", "tur", "ton"))
# Endings of words that always take the linking -s- in a compound ("hållbarhets-", "kostnads-").
S_LINKED = ("het", "ning", "tion", "nad", "dom", "skap", "else", "ande", "ende", "itet", "ism")
# Particles and prefixes a verb or derivation starts with: not the head of a compound
# ("fram+kommer", "före+skrifter", "redo+visade", "samman+lagning", "över+väganden").
PREFIX_HEADS = frozenset(
    """fram före genom samman redo undan inne även ange ifråga till över under efter mot bort
    miss sam för förs fört till tillkänna utom innan ovan också emot uppe förbi""".split()
)


class Lexicon:
    """The word list, lemmas and dictionary of one process, loaded on first use from the file
    :mod:`forum.search.lexicon` keeps in ``directory`` (set by the application)."""

    _data = None
    _lock = threading.Lock()
    directory = None

    @classmethod
    def data(cls):
        if cls._data is None:
            with cls._lock:
                if cls._data is None:
                    from . import lexicon

                    cls._data = lexicon.load(cls.directory)
        return cls._data


def _zipf(frequency: float) -> float:
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


def _is_part(word: str, data, *, head: bool) -> bool:
    if not data.known(word):
        return False
    if head and word in PREFIX_HEADS:
        return False
    if not head and word in SUFFIX_TAILS:
        return False
    if len(word) > MIN_PART:
        return True
    if len(word) == MIN_PART:  # a rare short word is more likely an accident ("besk", "tran")
        return _zipf(data.frequency(word)) >= ZIPF_SHORT_PART
    return (
        len(word) >= MIN_SHORT_HEAD
        and _zipf(data.frequency(word)) >= ZIPF_SHORT_HEAD
        and data.lemma(word) == OWN_LEMMA
        and (head or word not in SHORT_TAIL_ENDINGS and _noun(word, data))
    )


def _noun(word: str, data) -> bool:
    """The dictionary knows a definite form of the word ("dagen", "huset", "hemmet")."""
    return any(data.known(stem + end) for stem in (word, word + word[-1]) for end in ("en", "et"))


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a Swedish compound, or ``()`` when it is not one we can split.

    >>> split_compound("hållbarhetskongress")
    ('hållbarhet', 'kongress')
    """
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    return _compound(word, Lexicon.data(), follow_lemma=True)


def _compound(word: str, data, *, follow_lemma: bool) -> tuple[str, ...]:
    if data.frequency(word) >= COMMON_WORD or data.name(word):
        return ()
    if word.endswith(VERB_ENDINGS) and data.known(word) or _verb_noun(word, data):
        return ()  # a verb of the dictionary, or its noun ("stimulera", "planeringen")
    lemma = data.lemma(word) or OWN_LEMMA
    if follow_lemma and lemma != OWN_LEMMA and data.known(lemma):
        if not _compound(lemma, data, follow_lemma=False):
            return ()  # a form of a simple word ("transporterna", "inkomsten", "flygets")
    best = _best_split(word, data, 0)
    return best if best and len(best) > 1 else ()


def _verb_noun(word: str, data) -> str | None:
    """The "-era" verb whose noun the word is ("planeringen" -> "planera"), if any."""
    lemma = data.lemma(word) or OWN_LEMMA
    lemma = word if lemma == OWN_LEMMA else lemma
    for ending in ("ering", "ation"):
        base = lemma[: -len(ending)]
        if lemma.endswith(ending) and len(base) >= 4 and data.known(base + "era"):
            return base + "era"
    return None


def _best_split(word: str, data, depth: int) -> tuple[str, ...] | None:
    if depth > 0 and _is_part(word, data, head=False):
        return (word,)
    if depth >= MAX_PARTS - 1:
        return None
    candidates: list[tuple[str, ...]] = []
    for cut in range(MIN_SHORT_HEAD, len(word) - MIN_SHORT_HEAD + 1):
        head, rest = word[:cut], word[cut:]
        if rest[0] == "s" and head.endswith(S_LINKED):
            continue  # kostnad+s+ökningar, not kostnad+sökningar
        known_head = None
        if head[-1] in LINKING and len(head) > MIN_SHORT_HEAD:
            # hållbarhet+s+kongress, bostad+s+område, kvinn+o+jour; not vaccin+e+ring, where
            # the linking letter and the tail form an ending
            stripped = head[:-1]
            if _is_part(stripped, data, head=True) and (head[-1] + rest) not in SUFFIX_TAILS:
                known_head = stripped
        if known_head is None and _is_part(head, data, head=True):
            known_head = head
        if known_head is None:
            continue
        tail = _best_split(rest, data, depth + 1)
        if tail:
            candidates.append((known_head, *tail))
    if not candidates:
        return None
    # fewest parts, then the longest shortest part, then the commoner last part ("flyg+skatt",
    # not "flyg+s+katt"; "marknad+s+värdet", not "marknad+svärdet")
    return min(
        candidates,
        key=lambda parts: (
            len(parts),
            -min(MIN_PART + 1, *map(len, parts)),
            -data.frequency(parts[-1]),
        ),
    )


# -- lemma and derivation step ---------------------------------------------------------------------


def stem_word(word: str, snowball) -> str:
    """The stem of a Swedish word: its lemma's Snowball stem, derivations stemmed as their base.
    ``snowball`` stems one word."""
    data = Lexicon.data()
    lemma = data.lemma(word)
    if lemma is None and word.endswith(("ande", "ende")) and data.known(word):
        return word  # not a verb's participle, though it looks like one ("havande" is not "hav")
    if lemma is None or lemma == OWN_LEMMA:
        lemma = word
    if len(lemma) > 6 and lemma.endswith("het") and data.known(lemma[:-3]):
        base = data.lemma(lemma[:-3]) or OWN_LEMMA
        return snowball(lemma[:-3] if base == OWN_LEMMA else base)  # säkerhet -> säker
    verb = _verb_noun(lemma, data)
    return snowball(verb or lemma)  # vaccinering, vaccination -> vaccinera


# -- the query side: word families and words common in Swedish at large ------------------------
# Endings of inflection and derivation taken off a query word (or its lemma) to find its root, and
# put on the root to find the family's other words: the agent noun, the action noun, the verb
# ("invandrare" -> "invandring", "kostar" -> "kostnad", "tiggeri" -> "tiggare", "vaccineras" ->
# "vaccin"). Only words of the dictionary count, never names.
FAMILY_STRIP = (
    "ningen ningar ning ingen ingar ing aren arna are andet ande naden nader nad eriet eri "
    "ationen ation erade erad erar eras era ade ar as a er e"
).split()
FAMILY_GROW = ("ing", "ning", "are", "ande", "nad", "eri", "ation", "era", "a", "")
MIN_ROOT = 4
# A word more common than this in wordfreq's Swedish list (Zipf scale: 6 is "får", "kommer";
# 5 "brott"; 4 "kostnad") weighs less in a question, linearly down to nothing at Zipf 9.
GENERAL_ZIPF = 3.75


@lru_cache(maxsize=20_000)
def word_family(word: str) -> tuple[str, ...]:
    """Dictionary words of the same root as ``word`` (folded), itself and its lemma excluded.

    >>> word_family("invandrare")
    ('invandra', 'invandring')
    """
    data = Lexicon.data()
    lemma = data.lemma(word)
    bases = {word} | ({lemma} if lemma and lemma != OWN_LEMMA else set())
    roots = set()
    for base in bases:
        ending = next(
            (e for e in FAMILY_STRIP if base.endswith(e) and len(base) - len(e) >= MIN_ROOT), ""
        )
        if ending:
            roots.add(base[: -len(ending)])
    family = {root + ending for root in roots for ending in FAMILY_GROW} - bases
    return tuple(sorted(w for w in family if data.known(w) and not data.name(w)))


def general_weight(word: str) -> float:
    """The weight of a (folded) query word by how common it is in Swedish at large: 1 up to
    ``GENERAL_ZIPF``, then falling linearly to 0 at Zipf 9 ("får": 0.49, "brott": 0.76). A forum's
    own statistics cannot tell: in a few hundred answers "går" can be as rare as "tiggare"."""
    zipf = _zipf(Lexicon.data().frequency(word))
    if zipf <= GENERAL_ZIPF:
        return 1.0
    return max(0.0, (9 - zipf) / (9 - GENERAL_ZIPF))
