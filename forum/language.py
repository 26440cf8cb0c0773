"""Content language detection (Swedish or English) with lingua.

The detector is built once, lazily, for just the two languages the forum supports, in lingua's
low-accuracy mode (trigram models only): the full models cost every process about 86 MiB, and on
the shared corpora's texts of 40 characters and more both modes decide alike. Below that the
low-accuracy mode errs more often (0.5% of short titles and queries against 0.1%), so it must be
surer. Under ``MIN_CONFIDENCE`` detection gives no answer: a reply then takes its thread's
language (``choose_language``'s fallback), anything else Swedish.

Reading the models, lingua frees buffers (up to 4 MiB measured) that glibc's allocator would keep
for the process; the models are read as the detector is first built, and that memory is handed
back at once.
"""

from __future__ import annotations

import ctypes
import threading

SUPPORTED = ("sv", "en")
DEFAULT = "sv"
MIN_CONFIDENCE = 0.8
MIN_LETTERS = 12

_detector = None
_lock = threading.Lock()


def _get_detector():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import Language, LanguageDetectorBuilder

                _detector = (
                    LanguageDetectorBuilder.from_languages(Language.SWEDISH, Language.ENGLISH)
                    .with_low_accuracy_mode()
                    .build()
                )
                _detector.compute_language_confidence_values("models read now")
                _release_freed_memory()
    return _detector


def _release_freed_memory() -> None:
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to hand back this way
        pass


def normalise_language(value: str | None) -> str | None:
    """``'sv'``/``'en'`` (also from ``'sv-SE'``), or None for anything else."""
    if not value:
        return None
    code = str(value).strip().lower().replace("_", "-").split("-")[0]
    return code if code in SUPPORTED else None


def detect_language(text: str | None) -> str | None:
    """The language of ``text`` when lingua is confident enough, else None."""
    if not text or sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    values = _get_detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return values[0].language.iso_code_639_1.name.lower()


def choose_language(
    text: str | None, chosen: str | None = None, fallback: str | None = None
) -> str:
    """An explicit choice wins; otherwise detect; otherwise the fallback; otherwise Swedish."""
    return (
        normalise_language(chosen)
        or detect_language(text)
        or normalise_language(fallback)
        or DEFAULT
    )
