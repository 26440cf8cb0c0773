"""The Swedish word list for compound splitting and lemmas, kept as a small file in the instance.

wordfreq hands over its whole Swedish list (hundreds of thousands of words) to pick the 57,000 the
splitter uses; a web worker that did that itself would keep some 45 MB it never needs again
(Python's allocator holds on to freed memory). So the list is chosen once, in a short-lived child
process, and written to ``<instance>/cache/``; every process then reads just those words. The file
name carries a digest of everything the choice depends on, so an upgrade of wordfreq or a change of
the thresholds makes a new file instead of reusing a stale one.

Each line is ``word, frequency, known, lemma, name``: *known* says that the ``simplemma``
dictionary has the word (a compound part must be a real word); *lemma* is ``=`` for a word that is
its own lemma, the lemma when it looks like an inflection of the word, else empty; *name* says
the dictionary writes the lemma with a capital: a proper name ("Ringhals", "Landvetter"), which
is never split (simplemma's whole dictionary takes some 100 MB in memory; these columns about 6 MB
more than the word list alone).

``python -m forum.search.lexicon PATH`` writes the file (what the child process runs).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FORMAT = 3
OWN_LEMMA = "="  # the lemma column of a word that is its own lemma


@dataclass(frozen=True)
class Words:
    frequencies: dict[str, float]  # folded word -> frequency (wordfreq)
    known: frozenset[str]  # words of the dictionary
    lemmas: dict[str, str]  # word -> lemma, where the lemma stems differently
    names: frozenset[str] = frozenset()  # proper names (the dictionary writes them capitalised)


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
    return Words(frequencies, frozenset(known), lemmas, frozenset(names))


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
    return f"lexicon-sv-{hashlib.sha256(repr(settings).encode()).hexdigest()[:16]}.tsv"


def write(path: Path) -> None:
    words = wanted(wanted_words())
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(
        "".join(
            f"{w}\t{words.frequencies.get(w, 0.0)!r}\t{int(w in words.known)}\t"
            f"{words.lemmas.get(w, '')}\t{int(w in words.names)}\n"
            for w in words.frequencies.keys() | words.known
        ),
        encoding="utf-8",
    )
    os.replace(partial, path)  # readers see the whole file or none


def read(path: Path) -> Words:
    frequencies, known, lemmas, names = {}, set(), {}, set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, frequency, is_known, lemma, is_name = line.rstrip("\n").split("\t")
            if is_name == "1":
                names.add(word)
            if frequency != "0.0":
                frequencies[word] = float(frequency)
            if is_known == "1":
                known.add(word)
            if lemma:
                lemmas[word] = lemma
    return Words(frequencies, frozenset(known), lemmas, frozenset(names))


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
