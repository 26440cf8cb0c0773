"""A result's snippet: up to two fragments of its text around the words the query matched, those
words in ``<mark>``, and the index terms of a query that a snippet marks (:func:`query_terms`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from markupsafe import Markup, escape
from whoosh import query as Q

from .analysis import normalise_word, words_of
from .query import LANGS

MAX_PREFIX_EXPANSION = 64
SNIPPET_SOURCE_CHARS = 20_000  # as much as is indexed (``documents.MAX_BODY``)
SNIPPET_CHARS = 220  # the length of one fragment
SNIPPET_CONTEXT = 70  # characters shown before the first matched word of a fragment
SNIPPET_FRAGMENTS = 2


def snippet(schema, text: str, lang: str, terms: set[str]) -> str:
    """Up to two fragments of ``text`` around the words whose index terms are in ``terms``
    (those in ``<mark>``, everything escaped), the fragments with most matched words first
    chosen, shown in text order; the start of the text when nothing matches."""
    text = text[:SNIPPET_SOURCE_CHARS]
    analyzer = schema[f"body_{lang if lang in LANGS else 'sv'}"].analyzer
    terms_of = getattr(analyzer, "terms_of_word", None) or (
        lambda word: [t.text for t in analyzer(word, mode="index")]
    )
    spans = []
    if terms:
        # Analysing every distinct word of a long text (first sight of a word: splitting and
        # stemming) cost most of a search; only words holding the start of a term can yield it
        # (stemmers and splitting cut words, they keep a term's first letters).
        probe = _probe(frozenset(terms))
        matched_words = {
            word
            for word in set(words_of(text))
            if _holds_probe(probe, word) and any(t in terms for t in terms_of(word))
        }
        if matched_words:
            spans = [
                m.span() for m in islice(_finder(frozenset(matched_words)).finditer(text), 400)
            ]
    if not spans:
        if len(text) <= SNIPPET_CHARS:
            return str(escape(text))
        return str(escape(_cut_off(text[:SNIPPET_CHARS].rsplit(" ", 1)[0])))
    fragments = []  # (start, end, matched spans)
    for span in spans:
        if fragments and span[1] - fragments[-1][0] <= SNIPPET_CHARS:
            fragments[-1][1] = span[1]
            fragments[-1][2].append(span)
        else:
            fragments.append([max(0, span[0] - SNIPPET_CONTEXT), span[1], [span]])
    chosen = sorted(
        sorted(fragments, key=lambda f: -len(f[2]))[:SNIPPET_FRAGMENTS], key=lambda f: f[0]
    )
    parts, pieces = [], []
    for start, end, matched in chosen:
        end = min(len(text), max(end, start + SNIPPET_CHARS))
        if start > 0:  # begin and end on whole words
            start = text.find(" ", start, matched[0][0]) + 1 or start
        if end < len(text):
            cut = text.rfind(" ", matched[-1][1], end)
            end = cut if cut > 0 else end
        out, at = [], start
        for left, right in matched:
            out += [
                escape(text[at:left]),
                Markup("<mark>"),
                escape(text[left:right]),
                Markup("</mark>"),
            ]
            at = right
        out.append(escape(text[at:end]))
        parts.append("".join(map(str, out)))
        pieces.append((start, end))
    # One "…" for each gap: before the first fragment, between two, after the last; none where
    # the text itself shows one at that edge ("och sedan…").
    html = parts[0] if pieces[0][0] == 0 or _opens_cut(text, pieces[0][0]) else "… " + parts[0]
    for (_start, end), (start, _end), part in zip(pieces[:-1], pieces[1:], parts[1:], strict=True):
        html += (" " if _ends_cut(text, end) or _opens_cut(text, start) else " … ") + part
    last_end = pieces[-1][1]
    return html if last_end >= len(text) or _ends_cut(text, last_end) else html + " …"


_ELLIPSES = ("…", "...")


def _ends_cut(text: str, end: int) -> bool:
    return text[:end].rstrip().endswith(_ELLIPSES)


def _opens_cut(text: str, start: int) -> bool:
    return text[start:].lstrip().startswith(_ELLIPSES)


def _cut_off(text: str) -> str:
    """``text``, cut from a longer one, with "…" unless it already ends with one."""
    return text if text.rstrip().endswith(_ELLIPSES) else text + " …"


_FOLDED_AWAY = re.compile(r"[^a-z0-9åäö_'’]")  # letters the index folds (é -> e...)


def _holds_probe(probe: re.Pattern, word: str) -> bool:
    low = word.lower()
    if probe.search(low):
        return True
    return _FOLDED_AWAY.search(low) is not None and probe.search(normalise_word(word)) is not None


@lru_cache(maxsize=256)
def _probe(terms: frozenset[str]) -> re.Pattern:
    """Finds, in a folded word, the first letters of any of ``terms`` (three of a longer term)."""
    starts = {term[:3] if len(term) > 3 else term[:2] for term in terms if term}
    return re.compile("|".join(map(re.escape, sorted(starts, key=len, reverse=True))) or "(?!)")


@lru_cache(maxsize=256)
def _finder(words: frozenset[str]) -> re.Pattern:
    """Finds ``words`` as whole words of a text (as ``words_in`` cuts it)."""
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?<!\w['’])(?:{alternatives})(?!\w|['’]\w)")


def query_terms(query: Q.Query | None, reader, lang: str) -> set[str]:
    """The index terms of the query in the body/title fields of one language (prefixes expanded)."""
    if query is None:
        return set()
    wanted = {f"body_{lang}", f"title_{lang}"}
    terms: set[str] = set()
    try:
        for leaf in query.leaves():
            if isinstance(leaf, Q.Prefix):
                if leaf.fieldname in wanted:
                    for n, text in enumerate(reader.expand_prefix(leaf.fieldname, leaf.text)):
                        if n >= MAX_PREFIX_EXPANSION:
                            break
                        terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
                continue
            for fieldname, text in leaf.iter_all_terms(phrases=True):
                if fieldname in wanted:
                    terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    except Exception:  # highlighting is a nicety; a query it cannot list terms for just has none
        return set()
    return terms
