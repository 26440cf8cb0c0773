"""Atom (RFC 4287) and RSS 2.0 documents written with feedgen, answered with ``ETag``,
``Last-Modified`` and ``304 Not Modified``.

A feed is first gathered as plain data (``Feed`` and its ``FeedEntry`` rows); the document is a
pure function of that data, so its digest is the ``ETag``, a reader whose copy is current gets
its 304 before any XML is written, and a document already written for the same digest is served
again as it is (``DOCUMENTS``, in each process). Everything in a feed is public: the areas' own
queries for anonymous readers choose the rows, whoever asks.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from html import unescape

import nh3
from cachetools import LRUCache
from flask import Response, current_app, request
from flask_babel import gettext as _
from werkzeug.http import is_resource_modified

from ..i18n import current_language
from ..optional_imports import without_modules

# At most this many entries in a feed: readers poll, and older items are on the pages.
FEED_SIZE = 20
MIMETYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The date of an empty feed: any fixed moment keeps its ETag stable.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# href="/..." and src="/..." of the stored HTML, to be made absolute for readers elsewhere.
_LOCAL_LINK = re.compile(r'\b(href|src)="/(?!/)')


@dataclass(frozen=True)
class Category:
    term: str
    label: str
    scheme: str


@dataclass(frozen=True)
class FeedEntry:
    id: str  # a stable absolute URL without the slug (a new title keeps the entry)
    title: str
    url: str  # absolute
    author: str
    published: datetime  # naive UTC, as stored
    updated: datetime
    language: str
    summary: str  # plain text
    content_html: str = ""  # sanitized HTML with absolute links
    categories: tuple[Category, ...] = ()


@dataclass(frozen=True)
class Feed:
    title: str
    url: str  # the page the feed mirrors (absolute)
    self_url: str
    entries: list[FeedEntry] = field(default_factory=list)
    subtitle: str = ""

    @property
    def updated(self) -> datetime:
        latest = max((entry.updated for entry in self.entries), default=None)
        return _aware(latest) if latest is not None else EPOCH


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def absolute_links(html: str) -> str:
    """``html`` with its site-relative links made absolute (``SERVER_URL``): a feed is read away
    from the site, and not every reader resolves them against the feed's address."""
    base = current_app.config["SERVER_URL"].rstrip("/")
    return _LOCAL_LINK.sub(lambda match: f'{match.group(1)}="{base}/', html)


def html_text(html: str, limit: int) -> str:
    """The plain text of some sanitized HTML, cut at ``limit`` characters (for summaries)."""
    text = " ".join(unescape(nh3.clean(html or "", tags=set())).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def site_url(path: str) -> str:
    """``path`` (a path of this site) as an absolute URL on ``SERVER_URL``."""
    return current_app.config["SERVER_URL"].rstrip("/") + path


# feedgen (and lxml under it) is imported when a feed is first written, not when a worker starts:
# together they add 18 MiB to every process that holds them. lxml also imports rnc2rng (a RELAX
# NG compact parser, 1.5 MiB) whenever it is installed, as the tests install it; no feed needs it.
@cache
def _feedgen():
    with without_modules("rnc2rng"):
        import feedgen.ext.base
        import feedgen.feed
    return feedgen


@cache
def _entry_language():
    class EntryLanguage(_feedgen().ext.base.BaseEntryExtension):
        """``xml:lang`` on an Atom entry: feedgen writes it only on the feed itself."""

        def __init__(self):
            self.code = None

        def extend_atom(self, entry):
            if self.code:
                entry.set(XML_LANG, self.code)
            return entry

    return EntryLanguage


def _document(feed: Feed, kind: str, language: str) -> bytes:
    generator = _feedgen().feed.FeedGenerator()
    if kind == "rss":
        generator.load_extension("dc", atom=False, rss=True)
    generator.id(feed.self_url)
    generator.title(feed.title)
    generator.subtitle(feed.subtitle or feed.title)  # RSS needs a description
    generator.updated(feed.updated)
    generator.language(language)
    generator.author({"name": _("Tillsammans forum")})
    generator.link(href=feed.url, rel="alternate", type="text/html")
    generator.link(href=feed.self_url, rel="self", type=MIMETYPES[kind])
    for item in feed.entries:
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.author({"name": item.author})
        entry.published(_aware(item.published))
        entry.updated(_aware(item.updated))
        if item.summary:
            entry.summary(item.summary)
        if item.content_html:
            entry.content(item.content_html, type="html")
        for category in item.categories:
            entry.category(term=category.term, label=category.label, scheme=category.scheme)
        if kind == "rss":
            entry.dc.dc_language(item.language)
        else:
            entry.register_extension("language", _entry_language(), atom=True, rss=False)
            entry.language.code = item.language
    return generator.rss_str() if kind == "rss" else generator.atom_str()


def _digest(feed: Feed, kind: str, language: str) -> str:
    # the dataclasses' repr names every field of the feed and its entries, in a fixed order
    return hashlib.sha256(repr((kind, language, feed)).encode()).hexdigest()[:32]


class Documents:
    """The documents last written, by their digest: a feed whose data has not changed is not
    written again for the next reader who has no copy. The digest names every byte of the data
    the document is made from, so a kept document is never stale."""

    def __init__(self, size: int = 64):
        self._kept: LRUCache[str, bytes] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, digest: str, write) -> bytes:
        with self._lock:
            document = self._kept.get(digest)
        if document is None:
            document = write()
            with self._lock:
                self._kept[digest] = document
        return document


DOCUMENTS = Documents()


def feed_response(feed: Feed, kind: str = "atom") -> Response:
    """``feed`` as an Atom (``kind="atom"``) or RSS 2.0 document, or 304 when the reader's copy
    (``If-None-Match``) is still current. Shared caches may keep it but must ask again
    (``no-cache``): a hidden post leaves every feed at once.

    ``Last-Modified`` is only information: a hide, a deletion, a rename or a move changes a feed
    without making any entry newer, so ``If-Modified-Since`` alone would keep a stale copy."""
    language = current_language()
    response = Response(mimetype=MIMETYPES[kind])
    etag = _digest(feed, kind, language)
    response.set_etag(etag)
    response.last_modified = feed.updated
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.vary.update(("Accept-Language", "Cookie"))
    if not is_resource_modified(request.environ, etag=etag):
        response.status_code = 304
        return response
    response.set_data(DOCUMENTS.get(etag, lambda: _document(feed, kind, language)))
    return response
