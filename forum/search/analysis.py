"""Text analysis for the search index: Swedish and English, å/ä/ö kept, compounds split.

Chains (Whoosh analyzers) are built by :func:`language_analyzer`:

``tokenize -> lower-case -> fold accents (but keep å ä ö) -> stop words -> [decompound] -> stem``

- Accent folding keeps the three Swedish letters distinct ("säl" is not "sal"), folds every other
  accent ("café" = "cafe", "Müller" = "muller") and maps the Danish/Norwegian spellings of the
  same letters onto them (æ -> ä, ø -> ö).
- Swedish compounds: :class:`DecompoundFilter` adds the parts of a compound at the same position
  as the whole word ("hållbarhetskongress" -> + "hållbarhet", "kongress"), using the Swedish word
  list of the ``wordfreq`` package and the linking letters of Swedish compounds (-s-, -e-, -a-...).
  The alternative, n-gram subfields, is :func:`ngram_analyzer`; ``bench/search_eval.py`` measures
  both (see README, *Search*).
"""

from __future__ import annotations

import re
import threading
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

LANGUAGES = ("sv", "en")
# Words are runs of letters and digits (with inner apostrophes or hyphen-less joins).
TOKEN_PATTERN = r"\w+(?:['’]\w+)*"  # noqa: S105  (a word, not a password)
KEEP_LETTERS = {"å", "ä", "ö"}
EXTRA_FOLDS = {"æ": "ä", "ø": "ö", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l"}

STOP_WORDS = {lang: frozenset(stopwords_for_language(lang)) for lang in LANGUAGES}

# Decompounding parameters: parts of at least MIN_PART letters, words of at least MIN_WORD.
MIN_PART = 3
MIN_WORD = 7
MIN_ZIPF = 2.5  # how common (wordfreq's Zipf scale) a part must be to count as a word
LINKING = ("s", "e", "a", "o", "u")
COMMON_WORD = 10 ** (3.5 - 9)  # a word this common is left whole


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

    def __init__(self, lang: str):
        self.lang = lang
        self._stemmer = None
        self._cache: dict[str, str] = {}

    def __getstate__(self):
        return {"lang": self.lang}

    def __setstate__(self, state):
        self.__init__(state["lang"])

    def __eq__(self, other):
        return isinstance(other, SnowballStemFilter) and other.lang == self.lang

    def stem(self, word: str) -> str:
        stem = self._cache.get(word)
        if stem is None:
            if self._stemmer is None:
                import Stemmer

                self._stemmer = Stemmer.Stemmer(self.NAMES[self.lang])
            stem = self._stemmer.stemWord(word)
            if len(self._cache) < self.CACHE_LIMIT:
                self._cache[word] = stem
        return stem

    def __call__(self, tokens):
        for token in tokens:
            if not token.stopped:
                token.text = self.stem(token.text)
            yield token


class _Lexicon:
    """The Swedish word list (wordfreq), loaded once per process on first use, from the file
    ``forum.search.lexicon`` keeps in ``directory`` (set by the application)."""

    _words: dict[str, float] | None = None
    _lock = threading.Lock()
    directory = None

    @classmethod
    def words(cls) -> dict[str, float]:
        """Folded word -> frequency, for words at least as common as ``MIN_ZIPF``."""
        if cls._words is None:
            with cls._lock:
                if cls._words is None:
                    from . import lexicon

                    cls._words = lexicon.load(cls.directory)
        return cls._words


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a Swedish compound, or ``()`` when it is not one we can split.

    >>> split_compound("hållbarhetskongress")
    ('hållbarhet', 'kongress')
    """
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    words = _Lexicon.words()
    frequency = words.get(word, 0.0)
    if frequency >= COMMON_WORD:
        return ()  # an everyday word ("regeringen", "lägenhet") is not split
    # A word of the dictionary splits only into parts of 4+ letters ("kompost" is not kom+post);
    # an unknown one ("hållbarhetskongress", "klimatkontrakt") into parts of 3+.
    best = _best_split(word, words, min_part=MIN_PART + 1 if frequency else MIN_PART)
    return best if best and len(best) > 1 else ()


def _best_split(
    word: str, lexicon: dict[str, float], depth: int = 0, min_part: int = MIN_PART
) -> tuple[str, ...] | None:
    """Split into known words, preferring the fewest and longest parts (at most 3 parts)."""
    if word in lexicon and depth > 0:
        return (word,)
    if depth >= 2:
        return None
    candidates: list[tuple[str, ...]] = []
    for cut in range(min_part, len(word) - min_part + 1):
        head, rest = word[:cut], word[cut:]
        heads = [head]
        if head[-1] in LINKING and len(head) > min_part:
            heads.insert(0, head[:-1])  # hållbarhet+s+kongress, bostad+s+område, kvinn+o ...
        known_head = next((h for h in heads if h in lexicon), None)
        if known_head is None:
            continue
        tail = _best_split(rest, lexicon, depth + 1, min_part)
        if tail:
            candidates.append((known_head, *tail))
    if not candidates:
        return None
    return min(candidates, key=lambda parts: (len(parts), -max(len(p) for p in parts)))


class DecompoundFilter(Filter):
    """After each Swedish compound token, add its parts at the same position."""

    def __init__(self, keep_compound: bool = True):
        self.keep_compound = keep_compound

    def __eq__(self, other):
        return isinstance(other, DecompoundFilter) and other.keep_compound == self.keep_compound

    def __call__(self, tokens):
        for token in tokens:
            parts = split_compound(token.text)
            if not parts or (
                token.mode == "query" and not getattr(token, "decompound_query", False)
            ):
                yield token
                continue
            if self.keep_compound:
                yield token
            for part in parts:
                token.text = part
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

    def __init__(self, kind: str, lang: str = "sv", *, stem: bool = True, decompound: bool = True):
        self.options = {"kind": kind, "lang": lang, "stem": stem, "decompound": decompound}
        chain = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | AccentFoldFilter()
        if kind == "language":
            chain = chain | StopFilter(stoplist=STOP_WORDS[lang], minsize=1)
            if decompound and lang == "sv":
                chain = chain | DecompoundFilter()
            if stem:
                chain = chain | SnowballStemFilter(lang)
        self.chain = chain
        self._words = self._caches.setdefault(tuple(sorted(self.options.items())), {})

    def __getstate__(self):  # Whoosh pickles the schema into the index: the options suffice
        return self.options

    def __setstate__(self, options):
        options = dict(options)
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
        removed and the following words renumbered; compound parts at the compound's position)."""
        found: dict[str, list[int]] = {}
        terms_of_word = self.terms_of_word
        position = -1
        for index, word in enumerate(_WORD.findall(text)):
            terms = terms_of_word(word)
            if not terms:
                continue
            position = index if position < 0 else position + 1
            for term in terms:
                places = found.get(term)
                if places is None:
                    found[term] = [position]
                else:
                    places.append(position)
        return found


def language_analyzer(lang: str, *, stem: bool = True, decompound: bool = True) -> WordAnalyzer:
    """The analyzer of the ``*_sv`` / ``*_en`` text fields:
    ``tokenize -> lower-case -> fold accents -> stop words -> [decompound] -> stem``."""
    return WordAnalyzer("language", lang, stem=stem, decompound=decompound)


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
