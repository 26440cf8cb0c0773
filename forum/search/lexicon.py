"""The Swedish word list for compound splitting, kept as a small file beside the instance.

wordfreq hands over its whole Swedish list (hundreds of thousands of words) to pick the 57,000 the
splitter uses; a web worker that did that itself would keep some 45 MB it never needs again
(Python's allocator holds on to freed memory). So the list is chosen once, in a short-lived child
process, and written to ``<instance>/cache/``; every process then reads just those words. The file
name carries a digest of everything the choice depends on, so an upgrade of wordfreq or a change of
the thresholds makes a new file instead of reusing a stale one.

``python -m forum.search.lexicon PATH`` writes the file (what the child process runs).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

FORMAT = 1


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


def file_name() -> str:
    from importlib.metadata import version

    from .analysis import MIN_PART, MIN_ZIPF, STOP_WORDS

    settings = (FORMAT, version("wordfreq"), MIN_ZIPF, MIN_PART, sorted(STOP_WORDS["sv"]))
    return f"lexicon-sv-{hashlib.sha256(repr(settings).encode()).hexdigest()[:16]}.tsv"


def write(path: Path) -> None:
    words = wanted_words()
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text("".join(f"{w}\t{f!r}\n" for w, f in words.items()), encoding="utf-8")
    os.replace(partial, path)  # readers see the whole file or none


def read(path: Path) -> dict[str, float]:
    words = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, frequency = line.rstrip("\n").split("\t")
            words[word] = float(frequency)
    return words


def load(directory: Path | None) -> dict[str, float]:
    """The word list from ``directory``, made there by a child process if missing; without a
    usable directory, chosen in this process (costly in memory, but search still works)."""
    if directory is None:
        return wanted_words()
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
        return wanted_words()


if __name__ == "__main__":
    write(Path(sys.argv[1]))
