"""Reading what people type into the search box. Never raises, whatever the input.

Syntax: plain words (natural language: every word preferred, none required), ``"exact phrase"``,
``-word`` / ``-"phrase"`` (exclude), ``prefix*``, and the filters ``author:``, ``theme:``,
``project:``, ``sdg:``, ``type:`` and ``lang:`` (a value may be quoted: ``author:"Anna S"``).
Swedish filter names work too: ``författare:``, ``tema:``, ``projekt:``, ``mål:``, ``typ:``,
``språk:``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .analysis import is_stop_word, normalise_word, words_of

MAX_QUERY_CHARS = 500
MAX_WORDS = 24
MIN_PREFIX = 2

FILTER_NAMES = {
    "author": "author",
    "författare": "author",
    "theme": "theme",
    "tema": "theme",
    "project": "project",
    "projekt": "project",
    "sdg": "sdg",
    "mål": "sdg",
    "goal": "sdg",
    "type": "type",
    "typ": "type",
    "lang": "lang",
    "språk": "lang",
    "language": "lang",
}

_TOKEN = re.compile(
    r"""(?P<neg>-)?                              # exclusion
        (?:(?P<field>[^\W\d_][\w]*):)?           # filter name
        (?:"(?P<quoted>[^"]*)(?:"|$)             # "phrase" (an unclosed quote runs to the end)
          |(?P<bare>[^\s"]+))""",
    re.VERBOSE,
)


@dataclass
class ParsedQuery:
    raw: str
    words: list[str] = field(default_factory=list)  # normalised, stop words removed
    stop_words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded_words: list[str] = field(default_factory=list)
    excluded_phrases: list[list[str]] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    truncated: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases or self.prefixes)

    @property
    def is_empty(self) -> bool:
        return not (self.has_text or self.filters or self.excluded_words or self.excluded_phrases)


def clean(raw: str | None) -> tuple[str, bool]:
    """Drop control characters, normalise Unicode, cap the length."""
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = (
        text.replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u201e", '"')
        .replace("\u00ab", '"')
        .replace("\u00bb", '"')
    )
    truncated = len(text) > MAX_QUERY_CHARS
    return " ".join(text[:MAX_QUERY_CHARS].split()), truncated


def parse_query(raw: str | None) -> ParsedQuery:
    text, truncated = clean(raw)
    parsed = ParsedQuery(raw=text, truncated=truncated)
    budget = MAX_WORDS
    for match in _TOKEN.finditer(text):
        if budget <= 0:
            parsed.truncated = True
            break
        negative = bool(match.group("neg"))
        name = (match.group("field") or "").lower()
        quoted = match.group("quoted")
        value = quoted if quoted is not None else (match.group("bare") or "")
        if name in FILTER_NAMES and not negative:
            value = value.strip()
            if value:
                parsed.filters.setdefault(FILTER_NAMES[name], []).append(value[:80])
            continue
        if name:  # "http://x" or "foo:bar": an unknown name is just text
            value = f"{name} {value}"
        words = [normalise_word(w) for w in words_of(value)][:budget]
        if not words:
            continue  # a lone "-", "*" or punctuation
        budget -= len(words)
        if quoted is not None and len(words) > 1:
            (parsed.excluded_phrases if negative else parsed.phrases).append(words)
        elif negative:
            parsed.excluded_words.extend(words)
        elif (
            quoted is None
            and value.endswith("*")
            and len(words) == 1
            and len(words[0]) >= MIN_PREFIX
        ):
            parsed.prefixes.append(words[0])
        else:
            for word in words:
                (parsed.stop_words if is_stop_word(word) else parsed.words).append(word)
    parsed.words = list(dict.fromkeys(parsed.words))
    if not parsed.has_text and parsed.stop_words:  # "to be or not to be": search them after all
        parsed.words, parsed.stop_words = list(dict.fromkeys(parsed.stop_words)), []
    return parsed
