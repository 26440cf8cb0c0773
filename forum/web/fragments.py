"""Rendered fragments kept in memory under keys that name everything they show.

A key holds every input of its fragment: ids, version stamps and digests of stored HTML, the
author's shown details, the reader's language. An edit, a hide, a rename or a role change makes a
different key, and the old entry simply ages out, so nothing has to be invalidated and no change
can reach a reader through a stale entry. That is also why each process may keep its own copy:
with any number of workers and nodes, a process can only miss, never serve another's stale copy.

What differs between readers is in the key too: a member's controls below a post are keyed by
what that member may do with it (edit, delete, mark, report, moderate) and their own marks, so
two members share an entry only when they would see the same controls. A CSRF token is never
stored: a cached fragment keeps a hole in its place, filled with the current reader's token
each time the fragment is used. A form's one-time submission key (which makes a double submit
post once) has a hole of its own, filled with a new key at every use and at every place: no two
readers, requests or forms ever share one.

The digest of the template sources, taken when the application starts, is part of every key, so
a deploy that changes a template never serves the old markup. In debug mode or with
``TEMPLATES_AUTO_RELOAD`` (development) the cache is off: templates change under a running
process there.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import sys
import threading
from contextvars import ContextVar
from pathlib import Path

from cachetools import LRUCache
from flask import Flask, current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .globals import register_template_globals
from .paths import path_for

_EXTENSION = "forum_fragments"
# Where a shared fragment has a CSRF token: replaced by the reader's token each time it is used.
TOKEN_HOLE = "csrf-token-hole-5b1e0c"
# Where a shared fragment has a one-time submission key: a new key at each place, at each use.
KEY_HOLE = "submission-key-hole-9d3a7f"
_HOLES = re.compile(f"{TOKEN_HOLE}|{KEY_HOLE}")
_leaving_holes: ContextVar[bool] = ContextVar("leaving_holes", default=False)


# What a kept fragment holds besides its text: its key, measured at 640 bytes on average over a
# full cache in the write soak of `make bench` (a post's key holds tuples of its version, author
# and dates), and the LRU's three entries for it, some 300 bytes.
_KEY_AND_NODE = 950


def _footprint(markup: str) -> int:
    """The bytes one kept fragment holds: its text (one byte a character, two for a text with a
    character beyond Latin-1, such as "…" or "’"), its key and the LRU's node."""
    return sys.getsizeof(markup) + _KEY_AND_NODE


class FragmentCache:
    """Rendered fragments by key, within ``size`` bytes, least recently used dropped first."""

    def __init__(self, *, size: int, version: str, enabled: bool = True):
        self.version = version
        self.enabled = enabled and size > 0
        self._entries: LRUCache = LRUCache(maxsize=max(size, 1), getsizeof=_footprint)
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_render(self, key: tuple, render) -> Markup:
        if not self.enabled:
            return Markup(render())
        key = (self.version, *key)
        with self._lock:
            found = self._entries.get(key)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        markup = Markup(render())
        with self._lock, contextlib.suppress(ValueError):  # one fragment over the whole budget
            self._entries[key] = markup
        return markup

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def digest(text: str | None) -> bytes:
    """A short, collision-resistant stand-in for stored HTML in a key."""
    return hashlib.blake2b((text or "").encode(), digest_size=16).digest()


def templates_digest(directory: Path) -> str:
    """One digest of every template source: part of each key (a changed template, a new key).
    Every file counts, not only ``.html``: templates include icons (``_icons/*.svg``) and text."""
    hasher = hashlib.blake2b(digest_size=8)
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        hasher.update(path.relative_to(directory).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def init_fragments(app: Flask) -> None:
    template_dir = Path(app.root_path, app.template_folder or "templates")
    app.extensions[_EXTENSION] = FragmentCache(
        size=int(app.config["FRAGMENT_CACHE_MB"] * 1024 * 1024),
        version=templates_digest(template_dir),
        enabled=not (app.debug or app.config.get("TEMPLATES_AUTO_RELOAD")),
    )
    register_template_globals(
        app,
        "web",
        {
            "cached_fragment": cached_fragment,
            "path_for": path_for,
        },
    )
    # Flask-WTF's ``csrf_token`` (a global and a context value), made to leave a hole while a
    # shared fragment renders; this context processor runs after Flask-WTF's and wins.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})


def fragments() -> FragmentCache:
    return current_app.extensions[_EXTENSION]


def csrf_token() -> str:
    """The reader's CSRF token, or the hole a cached fragment keeps in its place."""
    return TOKEN_HOLE if _leaving_holes.get() else generate_csrf()


def new_submission_key() -> str:
    """A form's one-time key (the service refuses a second post with the same key)."""
    return secrets.token_urlsafe(24)


def submission_key_or_hole() -> str:
    """A new submission key, or the hole a cached fragment keeps in its place."""
    return KEY_HOLE if _leaving_holes.get() else new_submission_key()


def _fill(match: re.Match) -> str:
    return generate_csrf() if match.group() == TOKEN_HOLE else new_submission_key()


def cached_fragment(*key, caller) -> Markup:
    """``{% call cached_fragment(...key) %}markup{% endcall %}``: the block runs on a miss only.

    A CSRF token in the block is rendered as a hole, which every use fills with the current
    reader's token: one reader's token never reaches another, even in a form cached for many.
    Submission keys (``submission_key_or_hole``) likewise, each hole with a new key."""

    def render() -> str:
        reset = _leaving_holes.set(True)
        try:
            return caller()
        finally:
            _leaving_holes.reset(reset)

    markup = fragments().get_or_render(key, render)
    if _leaving_holes.get():  # inside a shared fragment: its holes stay for the outer one's use
        return markup
    if TOKEN_HOLE in markup or KEY_HOLE in markup:
        return Markup(_HOLES.sub(_fill, markup))
    return markup
