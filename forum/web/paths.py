"""``path_for``: ``url_for`` for the many links of a page that differ only by an id.

A thread page links each of its 30 posts to quote, edit, mark useful, report...: some 200 URLs,
each built by the router from scratch. Here the router builds one URL per endpoint with a marker
in place of each id, and the others are filled in by replacing the marker: the same string
``url_for`` would return, for a fraction of the cost.
"""

from __future__ import annotations

from flask import request, url_for

# Ids no row reaches (the forum's ints stop at 2**31 - 1), one per position of an id argument.
_MARKERS = tuple(str(1_999_999_001 + n) for n in range(4))
_patterns: dict[tuple, tuple[str, tuple[str, ...]]] = {}
_MAX_PATTERNS = 2000


def path_for(endpoint: str, **values) -> str:
    """The path ``url_for(endpoint, **values)`` gives; int values are filled into a pattern."""
    ids = [(name, value) for name, value in values.items() if type(value) is int]
    if not ids or len(ids) > len(_MARKERS):
        return url_for(endpoint, **values)
    others = tuple(sorted((k, v) for k, v in values.items() if type(v) is not int))
    key = (endpoint, request.script_root, tuple(name for name, _ in ids), others)
    found = _patterns.get(key)
    if found is None:
        marked = {name: int(marker) for (name, _), marker in zip(ids, _MARKERS, strict=False)}
        pattern = url_for(endpoint, **{**values, **marked})
        found = (pattern, _MARKERS[: len(ids)])
        if len(_patterns) < _MAX_PATTERNS:  # a bound, should a caller pass varying strings
            _patterns[key] = found
    pattern, markers = found
    for marker, (_, value) in zip(markers, ids, strict=True):
        pattern = pattern.replace(marker, str(value))
    return pattern
