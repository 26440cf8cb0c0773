"""Text analysis for the search index: Swedish and English, å/ä/ö kept, compounds split.

Chains (Whoosh analyzers) are built by :func:`language_analyzer`:

``tokenize -> lower-case -> fold accents (but keep å ä ö) -> stop words -> [decompound] -> stem``

- Accent folding keeps the three Swedish letters distinct ("säl" is not "sal"), folds every other
  accent ("café" = "cafe", "Müller" = "muller") and maps the Danish/Norwegian spellings of the
  same letters onto them (æ -> ä, ø -> ö).
- Swedish compounds: :class:`DecompoundFilter` adds the parts of a compound at the same position
  as the whole word, marked as parts ("hållbarhetskongress" -> + "+hållbarhet", "+kongress");
  :mod:`forum.search.swedish` splits only into dictionary words and stems through lemmas.
  The alternative, n-gram subfields, is :func:`ngram_analyzer`; ``bench/search_eval.py`` measures
  both (see README, *Search*).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import (
    Analyzer,
    Filter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.lang import stopwords_for_language

from .swedish import Lexicon, split_compound, stem_word

LANGUAGES = ("sv", "en")
# Words are runs of letters and digits (with inner apostrophes or hyphen-less joins).
TOKEN_PATTERN = r"\w+(?:['’]\w+)*"  # noqa: S105  (a word, not a password)
KEEP_LETTERS = {"å", "ä", "ö"}
EXTRA_FOLDS = {"æ": "ä", "ø": "ö", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l"}

STOP_WORDS = {lang: frozenset(stopwords_for_language(lang)) for lang in LANGUAGES}

# The Swedish word list (forum/search/lexicon.py): words of at least MIN_PART letters, at least
# as common as MIN_ZIPF (wordfreq's Zipf scale); the rules of splitting are in swedish.py.
MIN_PART = 3
MIN_ZIPF = 2.5
# Compound parts are indexed as terms of their own, marked, so that a query weighs a word found
# as a part lower than the same word found whole ("hög" in "höghastighetsbanor").
PART_MARK = "+"
# Which analysis an index was written with: a change makes ``IndexStore.is_current`` false, so
# the index is rebuilt beside the live one at the next start.
ANALYSIS_VERSION = 4  # 3: names are not split; 4: last parts of three letters ("svars+dag")


def fold_accents(text: str) -> str:
    """Remove accents except on å, ä, ö (lower-case input)."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch in KEEP_LETTERS or ch.isascii():
            out.append(ch)
        elif ch in EXTRA_FOLDS:
            out.append(EXTRA_FOLDS[ch])
        else:
            decomposed = unicodedata.normalize("NFD", ch)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            # å/ä/ö written with combining marks (NFD input) compose back to the kept letter
            composed = unicodedata.normalize("NFC", decomposed)
            out.append(composed if composed in KEEP_LETTERS else base)
    return "".join(out)


class AccentFoldFilter(Filter):
    """Folds accents except å, ä, ö."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if not text.isascii():
                token.text = fold_accents(unicodedata.normalize("NFC", text))
            yield token


class SnowballStemFilter(Filter):
    """Snowball stemming through PyStemmer (C), with a per-process cache of stems.

    The stemmer is created lazily and left out when Whoosh pickles the schema into the index.
    """

    NAMES = {"sv": "swedish", "en": "english"}
    CACHE_LIMIT = 300_000

    def __init__(self, lang: str, lemma: bool = True):
        self.lang = lang
        self.lemma = lemma and lang == "sv"  # Swedish words go through their lemma (swedish.py)
        self._stemmer = None
        self._cache: dict[str, str] = {}

    def __getstate__(self):
        return {"lang": self.lang, "lemma": self.lemma}

    def __setstate__(self, state):
        self.__init__(state["lang"], state.get("lemma", True))

    def __eq__(self, other):
        return (
            isinstance(other, SnowballStemFilter)
            and other.lang == self.lang
            and other.lemma == self.lemma
        )

    def stem(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            if self._stemmer is None:
                import Stemmer

                self._stemmer = Stemmer.Stemmer(self.NAMES[self.lang])
            if word.startswith(PART_MARK):
                stem = PART_MARK + self.stem(word[len(PART_MARK) :])
            elif self.lemma:
                stem = stem_word(word, self._stemmer.stemWord)
            else:
                stem = self._stemmer.stemWord(word)
            if len(self._cache) < self.CACHE_LIMIT:
                self._cache[word] = stem
        return stem

    def __call__(self, tokens):
        for token in tokens:
            if not token.stopped:
                token.text = self.stem(token.text)
            yield token


class DecompoundFilter(Filter):
    """After each Swedish compound token, add its parts at the same position, marked as parts
    (``+kongress``). A query asks for parts itself (``query.compound_part_queries``)."""

    def __init__(self, keep_compound: bool = True):
        self.keep_compound = keep_compound

    def __eq__(self, other):
        return isinstance(other, DecompoundFilter) and other.keep_compound == self.keep_compound

    def __call__(self, tokens):
        for token in tokens:
            parts = () if getattr(token, "is_name", False) else split_compound(token.text)
            if not parts or (
                token.mode == "query" and not getattr(token, "decompound_query", False)
            ):
                yield token
                continue
            if self.keep_compound:
                yield token
            for part in parts:
                token.text = PART_MARK + part
                yield token


class NameMarkingTokenizer(RegexTokenizer):
    """Words, each marked ``is_name`` when the text has it as a name (``is_name_in_sentence``):
    the decompounding filter leaves names whole, as the fast path does."""

    def __call__(self, value, **kwargs):
        offset = kwargs.get("start_char", 0)
        for token in super().__call__(value, **{**kwargs, "chars": True}):
            token.is_name = is_name_in_sentence(value, token.startchar - offset, token.text)
            yield token


class WordAnalyzer(Analyzer):
    """A chain whose filters look at one word at a time, with a fast path for indexing.

    ``__call__`` runs the Whoosh chain (queries, highlighting). :meth:`positions` gives the same
    terms and positions for indexing without a token stream: what each distinct word becomes
    (its terms after folding, stop words, decompounding and stemming) is worked out once per
    process and remembered, so a document costs one dictionary lookup per word.
    ``kind`` is "language" (with ``lang``, ``stem``, ``decompound``) or "plain".
    """

    CACHE_LIMIT = 500_000
    # word -> terms, per set of options: shared by every instance (Whoosh unpickles a new schema,
    # and so new analyzers, whenever it reads an index's table of contents)
    _caches: dict[tuple, dict[str, tuple[str, ...]]] = {}

    def __init__(
        self,
        kind: str,
        lang: str = "sv",
        *,
        stem: bool = True,
        decompound: bool = True,
        lemma: bool = True,
        version: int = ANALYSIS_VERSION,
    ):
        self.options = {
            "kind": kind,
            "lang": lang,
            "stem": stem,
            "decompound": decompound,
            "lemma": lemma,
            "version": version,
        }
        splits = kind == "language" and decompound and lang == "sv"
        tokenizer = NameMarkingTokenizer if splits else RegexTokenizer
        chain = tokenizer(TOKEN_PATTERN) | LowercaseFilter() | AccentFoldFilter()
        if kind == "language":
            chain = chain | StopFilter(stoplist=STOP_WORDS[lang], minsize=1)
            if decompound and lang == "sv":
                chain = chain | DecompoundFilter()
            if stem:
                chain = chain | SnowballStemFilter(lang, lemma)
        self.chain = chain
        self._words = self._caches.setdefault(tuple(sorted(self.options.items())), {})

    def __getstate__(self):  # Whoosh pickles the schema into the index: the options suffice
        return self.options

    def __setstate__(self, options):
        # an index written before versions were recorded (and lemmas used)
        options = {"version": 1, "lemma": False, **options}
        self.__init__(options.pop("kind"), options.pop("lang"), **options)

    def __eq__(self, other):
        return isinstance(other, WordAnalyzer) and other.options == self.options

    def __repr__(self):
        return f"WordAnalyzer({self.options!r})"

    def __call__(self, value, **kwargs):
        return self.chain(value, **kwargs)

    def clean(self):
        self.chain.clean()

    def has_morph(self):
        return self.chain.has_morph()

    def terms_of_word(self, word: str) -> tuple[str, ...]:
        """The index terms one word becomes (empty for a stop word)."""
        terms = self._words.get(word)
        if terms is None:
            terms = tuple(token.text for token in self.chain(word, mode="index"))
            if len(self._words) < self.CACHE_LIMIT:
                self._words[word] = terms
        return terms

    def positions(self, text: str) -> dict[str, list[int]]:
        """term -> its positions, exactly as the chain numbers them in index mode (stop words
        removed and the following words renumbered; compound parts at the compound's position;
        a name left whole: ``is_name_in_sentence``)."""
        found: dict[str, list[int]] = {}
        terms_of_word = self.terms_of_word
        position = -1
        cursor = 0  # the text is searched for a word's place only when a capitalised compound
        for index, word in enumerate(_WORD.findall(text)):  # needs its context (findall is fast)
            terms = terms_of_word(word)
            if not terms:
                continue
            if len(terms) > 1 and word[0].isupper():
                start = _place(text, word, cursor)
                cursor = start + len(word)
                if is_name_in_sentence(text, start, word):
                    terms = tuple(term for term in terms if not term.startswith(PART_MARK))
            position = index if position < 0 else position + 1
            for term in terms:
                places = found.get(term)
                if places is None:
                    found[term] = [position]
                else:
                    places.append(position)
        return found


def language_analyzer(
    lang: str, *, stem: bool = True, decompound: bool = True, lemma: bool = True
) -> WordAnalyzer:
    """The analyzer of the ``*_sv`` / ``*_en`` text fields:
    ``tokenize -> lower-case -> fold accents -> stop words -> [decompound] -> [lemma] stem``."""
    return WordAnalyzer("language", lang, stem=stem, decompound=decompound, lemma=lemma)


def plain_analyzer() -> WordAnalyzer:
    """Lower-case and fold, no stop words, no stemming: author names, spelling suggestions."""
    return WordAnalyzer("plain")


def ngram_analyzer(lang: str):
    """The n-gram alternative to decompounding: 4- to 6-letter grams of every word."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | AccentFoldFilter()
        | StopFilter(stoplist=STOP_WORDS[lang], minsize=1)
        | NgramFilter(minsize=4, maxsize=6)
    )


_WORD = re.compile(TOKEN_PATTERN)


def _place(text: str, word: str, cursor: int) -> int:
    """Where ``word`` next stands as a token at or after ``cursor`` (every earlier token equal to
    it was placed already, so the first whole-token match is this one)."""
    at = text.find(word, cursor)
    while at >= 0 and not _token_at(text, at, word):
        at = text.find(word, at + 1)
    return at if at >= 0 else cursor


def _token_at(text: str, at: int, word: str) -> bool:
    if at > 0 and (
        _WORD_CHAR.match(text, at - 1)
        or text[at - 1] in "'’"
        and at > 1
        and _WORD_CHAR.match(text, at - 2)
    ):
        return False  # inside a word, or after a joining apostrophe ("l'Damberg")
    match = _WORD.match(text, at)
    return match is not None and match.group() == word


_WORD_CHAR = re.compile(r"\w")
_SENTENCE_ENDS = frozenset('.!?:;…"”»•*#|>([')


def is_name_in_sentence(text: str, start: int, word: str) -> bool:
    """The word at ``start`` is capitalised (not all capitals), follows a word of the same
    sentence and is not a word of the dictionary: a name ("Damberg", "Hyllie"), not a compound
    that starts a sentence or title ("Klimatkontrakt för Malmö")."""
    if not word[:1].isupper() or not word[1:].islower():
        return False
    head = text[max(0, start - 40) : start]
    before = head.rstrip()
    # (a new line starts a list item or a heading)
    if not before or before[-1] in _SENTENCE_ENDS or "\n" in head[len(before) :]:
        return False
    return _unknown_word(word)


@lru_cache(maxsize=100_000)
def _unknown_word(word: str) -> bool:
    return not Lexicon.data().known(normalise_word(word))


def normalise_word(word: str) -> str:
    """Lower-case and fold a word the way the index does (before stemming)."""
    return fold_accents(unicodedata.normalize("NFC", word.lower()))


def is_stop_word(word: str) -> bool:
    """A stop word of either language: it does not count towards ranking."""
    word = normalise_word(word)
    return any(word in STOP_WORDS[lang] for lang in LANGUAGES)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def words_in(text: str):
    """The words of ``text`` as regular-expression matches (with their positions)."""
    return _WORD.finditer(text)
