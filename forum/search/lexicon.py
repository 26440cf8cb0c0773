"""The Swedish word list for compound splitting and lemmas, kept as a small file in the instance.

wordfreq hands over its whole Swedish list (hundreds of thousands of words) to pick the 57,000 the
splitter uses; a web worker that did that itself would keep some 45 MB it never needs again
(Python's allocator holds on to freed memory). So the list is chosen once, in a short-lived child
process, and written to ``<instance>/cache/``; every process then reads just those words. The file
name carries a digest of everything the choice depends on, so an upgrade of wordfreq or a change of
the thresholds makes a new file instead of reusing a stale one.

For each word the file holds its frequency, whether the ``simplemma`` dictionary knows it (a
compound part must be a real word), its lemma (when that looks like an inflection of the word),
and whether the dictionary writes the lemma with a capital: a proper name ("Ringhals",
"Landvetter"), which is never split. simplemma's whole dictionary takes some 100 MB in memory.

The words are kept in a MARISA trie (``marisa-trie``), their columns in arrays indexed by the
trie's key ids: about 1 MB in every process, where Python dicts and sets of the same words took
12 MB. The file is the trie's bytes and the arrays', read without making a Python object per word.

``python -m forum.search.lexicon PATH`` writes the file (what the child process runs).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import struct
import subprocess
import sys
from array import array
from pathlib import Path

import marisa_trie

FORMAT = 4
OWN_LEMMA = "="  # what ``Words.lemma`` gives for a word that is its own lemma
_NO_LEMMA, _OWN = -1, -2  # in the lemma column, which otherwise holds the lemma's key id
_KNOWN, _NAME = 1, 2  # bits of the flag column
_MAGIC = b"LEX4"
_HEADER = struct.Struct("<4sII")  # magic, number of words, length of the trie's bytes


class Words:
    """The word list: frequency, dictionary flag, lemma and name flag of each word."""

    def __init__(self, trie: marisa_trie.Trie, frequencies: array, flags: array, lemmas: array):
        self._ids = trie
        self._frequencies = frequencies  # wordfreq's frequency ("d"), 0.0 for a lemma only
        self._flags = flags  # _KNOWN | _NAME ("B")
        self._lemmas = lemmas  # key id of the lemma, _OWN or _NO_LEMMA ("i")

    @classmethod
    def build(
        cls, frequencies: dict[str, float], known: set[str], lemmas: dict[str, str], names: set
    ) -> Words:
        trie = marisa_trie.Trie(frequencies.keys() | known)
        size = len(trie)
        frequency_of = array("d", [0.0]) * size
        flags = array("B", [0]) * size
        lemma_of = array("i", [_NO_LEMMA]) * size
        for word, frequency in frequencies.items():
            frequency_of[trie[word]] = frequency
        for word in known:
            flags[trie[word]] |= _KNOWN
        for word in names:
            flags[trie[word]] |= _NAME
        for word, lemma in lemmas.items():
            lemma_of[trie[word]] = _OWN if lemma == OWN_LEMMA else trie[lemma]
        return cls(trie, frequency_of, flags, lemma_of)

    def frequency(self, word: str) -> float:
        """wordfreq's frequency of the word, 0.0 for a word it does not list."""
        key = self._ids.get(word)
        return 0.0 if key is None else self._frequencies[key]

    def known(self, word: str) -> bool:
        """The dictionary has the word."""
        key = self._ids.get(word)
        return key is not None and bool(self._flags[key] & _KNOWN)

    def name(self, word: str) -> bool:
        """The dictionary writes the word's lemma with a capital: a proper name."""
        key = self._ids.get(word)
        return key is not None and bool(self._flags[key] & _NAME)

    def lemma(self, word: str) -> str | None:
        """The word's lemma where it looks like an inflection of the word, ``OWN_LEMMA`` for a
        word that is its own lemma, None otherwise."""
        key = self._ids.get(word)
        lemma = _NO_LEMMA if key is None else self._lemmas[key]
        if lemma == _NO_LEMMA:
            return None
        return OWN_LEMMA if lemma == _OWN else self._ids.restore_key(lemma)

    def to_bytes(self) -> bytes:
        trie = self._ids.tobytes()
        return b"".join(
            [
                _HEADER.pack(_MAGIC, len(self._ids), len(trie)),
                trie,
                self._frequencies.tobytes(),
                self._flags.tobytes(),
                self._lemmas.tobytes(),
            ]
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Words:
        """The words of ``to_bytes``; ValueError for anything else."""
        if len(data) < _HEADER.size:
            raise ValueError("not a word list")
        magic, size, trie_length = _HEADER.unpack_from(data)
        start = _HEADER.size + trie_length
        if magic != _MAGIC or len(data) != start + 13 * size:
            raise ValueError("not a word list")
        try:
            trie = marisa_trie.Trie().frombytes(data[_HEADER.size : start])
        except RuntimeError as error:  # MARISA's own check of its bytes
            raise ValueError("not a word list") from error
        columns = array("d"), array("B"), array("i")
        for column, width in zip(columns, (8, 1, 4), strict=True):
            column.frombytes(data[start : start + width * size])
            start += width * size
        if len(trie) != size:
            raise ValueError("not a word list")
        return cls(trie, *columns)

    def __eq__(self, other):
        return isinstance(other, Words) and self.to_bytes() == other.to_bytes()


def wanted_words() -> dict[str, float]:
    """Folded word -> frequency, for words at least as common as ``MIN_ZIPF`` (the full load)."""
    from wordfreq import get_frequency_dict

    from .analysis import MIN_PART, MIN_ZIPF, STOP_WORDS, fold_accents

    threshold = 10 ** (MIN_ZIPF - 9)  # zipf = log10(frequency per billion words)
    return {
        fold_accents(w): freq
        for w, freq in get_frequency_dict("sv", wordlist="best").items()
        if freq >= threshold and len(w) >= MIN_PART and w.isalpha() and w not in STOP_WORDS["sv"]
    }


def plausible_lemma(word: str, lemma: str) -> bool:
    """A lemma that is the word's inflection ("resan" -> "resa", "säkerheten" -> "säkerhet"), not
    a guess far from it ("havande" -> "ha")."""
    return len(lemma) >= 4 and lemma.isalpha() and word[: len(lemma) - 1] == lemma[:-1]


def wanted(frequencies: dict[str, float]) -> Words:
    """The dictionary flags and lemmas of the chosen words (loads simplemma: a child's job).
    A lemma of a known word is known too: "solcell" is a part, though only "solceller" is
    common."""
    import simplemma

    from .analysis import fold_accents

    known, lemmas, names = set(), {}, set()
    for word in frequencies:
        if not simplemma.is_known(word, lang="sv"):
            continue
        known.add(word)
        written = simplemma.lemmatize(word, lang="sv")
        if written[:1].isupper():
            names.add(word)
        lemma = fold_accents(written.lower())
        if lemma == word:
            lemmas[word] = OWN_LEMMA
        elif plausible_lemma(word, lemma):
            lemmas[word] = lemma
            known.add(lemma)
    return Words.build(frequencies, known, lemmas, names)


def file_name() -> str:
    from importlib.metadata import version

    from .analysis import MIN_PART, MIN_ZIPF, STOP_WORDS

    settings = (
        FORMAT,
        version("wordfreq"),
        version("simplemma"),
        MIN_ZIPF,
        MIN_PART,
        sorted(STOP_WORDS["sv"]),
    )
    return f"lexicon-sv-{hashlib.sha256(repr(settings).encode()).hexdigest()[:16]}.bin"


def write(path: Path) -> None:
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(wanted(wanted_words()).to_bytes())
    os.replace(partial, path)  # readers see the whole file or none


def read(path: Path) -> Words:
    return Words.from_bytes(path.read_bytes())


def load(directory: Path | None) -> Words:
    """The word list from ``directory``, made there by a child process if missing; without a
    usable directory, chosen in this process (costly in memory, but search still works)."""
    if directory is None:
        return wanted(wanted_words())
    path = directory / file_name()
    try:
        if not path.exists():
            directory.mkdir(parents=True, exist_ok=True)
            with (directory / "lexicon.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # workers booting together build it once
                if not path.exists():
                    subprocess.run(  # noqa: S603  (this interpreter and module, no input)
                        [sys.executable, "-m", "forum.search.lexicon", str(path)],
                        check=True,
                        timeout=300,
                        capture_output=True,
                    )
        return read(path)
    except (OSError, ValueError, subprocess.SubprocessError):
        return wanted(wanted_words())


if __name__ == "__main__":
    write(Path(sys.argv[1]))
