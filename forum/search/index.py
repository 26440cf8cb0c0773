"""The Whoosh index on disk: schema, opening, writers with a lock timeout, build-beside-and-swap.

Layout of ``SEARCH_DIR``::

    current -> index-20261122T080102-4f3a   (a symlink, replaced atomically on a rebuild)
    index-20261122T080102-4f3a/             (a Whoosh index)
    .rebuild.lock                           (flock: one process rebuilds at a time)
    index-.../.sizes.json                   (each committed segment file's size: filesizes.py)

Readers resolve ``current`` when they open a searcher; writers take Whoosh's own write lock
(``MAIN_WRITELOCK``) with a timeout, so several processes can write safely. A searcher opens
every file it will read when it opens (``segments.hold_files``): a merge in another process
deletes merged segments' files right after its commit, and an open file stays readable.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import shutil
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint
from whoosh.writing import LockError

from .analysis import WordAnalyzer, language_analyzer, ngram_analyzer, plain_analyzer
from .filesizes import damaged_file, record_sizes
from .segments import hold_files

LIVE_LINK = "current"
OPEN_ATTEMPTS = 5  # searchers opened in a row while writers keep merging, before giving up


class ForumCodec(W3Codec):
    """Whoosh's codec without the per-term minimum/maximum document lengths: writing them read
    every posting's document length back from disk (a sixth of the indexing time), and they only
    tighten the score bounds Whoosh's block skipping uses (0 keeps each bound a true upper
    bound; the forum's engine does not skip blocks). Posting blocks are not compressed: most hold
    one or two postings, which zlib makes no smaller, and compressing took a fifth of the time."""

    length_stats = False


CODEC = ForumCodec(compression=0)
# Segments stay separate files: opening a compound segment copies its term table into memory
# (13 ms for 50,000 documents), which every writer did for every segment to apply a deletion.
WRITER_OPTIONS = {"codec": CODEC, "compound": False}
LANGS = ("sv", "en")

# Analysis variants (see bench/search_eval.py): "decompound" is the production choice; "nolemma"
# is it without the Swedish lemma step, "stem" without compound splitting either.
VARIANTS = ("decompound", "nolemma", "stem", "ngram", "nostem")
DEFAULT_VARIANT = "decompound"


class IndexUnavailable(RuntimeError):
    """The index is missing, corrupt or being rebuilt."""


class IndexBusy(RuntimeError):
    """Another process held the write lock longer than the timeout."""


def marker_of(document: dict) -> str:
    """What a document's fields add up to: ``check-index`` compares it with the database's."""
    return hashlib.blake2b(repr(sorted(document.items())).encode(), digest_size=8).hexdigest()


class MarkingWriter:
    """A Whoosh writer that stores each document's ``marker``."""

    def __init__(self, writer):
        self._writer = writer

    def add_document(self, **fields) -> None:
        self._writer.add_document(marker=marker_of(fields), **fields)

    def __getattr__(self, name):
        return getattr(self._writer, name)


class WordText(TEXT):
    """A TEXT field that indexes through :meth:`WordAnalyzer.positions` (the same terms and
    positions as the token chain, several times faster)."""

    def index(self, value, **kwargs):
        analyzer, format_ = self.analyzer, self.format
        if (
            not isinstance(value, str)
            or not isinstance(analyzer, WordAnalyzer)
            or kwargs.get("mode", "index") != "index"
            or format_.field_boost != 1.0
        ):
            yield from super().index(value, **kwargs)
            return
        positioned = type(format_) is Positions
        if not positioned and type(format_) is not Frequency:
            yield from super().index(value, **kwargs)
            return
        for term, places in analyzer.positions(value).items():
            count = len(places)
            encoded = format_.encode(places) if positioned else pack_uint(count)
            yield term.encode("utf-8"), count, float(count), encoded


def build_schema(variant: str = DEFAULT_VARIANT) -> Schema:
    stem = variant != "nostem"
    decompound = variant in ("decompound", "nolemma")
    lemma = variant == "decompound"
    fields = {
        "key": ID(stored=True, unique=True),  # "post:12"
        "marker": STORED,
        "group": ID,  # "thread:3" for a thread and its replies, else the key
        "kind": ID,  # thread | post | lesson | project
        "lang": ID(stored=True),
        "theme": ID,  # theme slug
        "project": ID,  # project id
        "author": ID,  # author user id
        "sdg": KEYWORD(commas=True),  # "7,11"
        # microseconds since 1970 (UTC), for sorting by date; days since 1970, for date filters (a
        # day is fine enough, and a 16-bit number costs two terms per document, not eight)
        "created": COLUMN(NumericColumn("q")),
        # the thread of a thread's or reply's document (search lists a thread once)
        "thread": COLUMN(NumericColumn("q")),
        "day": NUMERIC(int, bits=16, signed=False, shift_step=8),
    }
    for lang in LANGS:
        # words for "did you mean", per language: titles and the start of opening posts, lessons
        # and projects (every reply as well would double the index for little gain)
        fields[f"spell_{lang}"] = WordText(analyzer=plain_analyzer(), phrase=False)
        analyzer = language_analyzer(lang, stem=stem, decompound=decompound, lemma=lemma)
        fields[f"title_{lang}"] = WordText(analyzer=analyzer)
        fields[f"body_{lang}"] = WordText(analyzer=analyzer)
    if variant == "ngram":
        fields["title_sv_ng"] = TEXT(analyzer=ngram_analyzer("sv"), phrase=False)
        fields["body_sv_ng"] = TEXT(analyzer=ngram_analyzer("sv"), phrase=False)
    return Schema(**fields)


class IndexStore:
    """Opens, writes and rebuilds the index in one directory."""

    def __init__(
        self, root: str | Path, *, lock_timeout: float = 10.0, variant: str = DEFAULT_VARIANT
    ):
        self.root = Path(root)
        self.lock_timeout = lock_timeout
        self.variant = variant
        self._cached = None  # (resolved path, Index)
        self._cache_lock = threading.Lock()
        self._local = threading.local()  # each thread's searcher

    # -- reading ----------------------------------------------------------------------------------
    @property
    def live_link(self) -> Path:
        return self.root / LIVE_LINK

    def live_path(self) -> Path | None:
        try:
            target = os.readlink(self.live_link)
        except OSError:
            return None
        path = self.root / target
        return path if path.is_dir() else None

    def exists(self) -> bool:
        """There is a live index (possibly corrupt: ``check()`` tells)."""
        path = self.live_path()
        return path is not None and any(path.glob("*.toc"))

    def open(self):
        """The live index (cached per process until the link is swapped); IndexUnavailable if
        not."""
        path = self.live_path()
        if path is None:
            raise IndexUnavailable("no live index")
        with self._cache_lock:
            if self._cached and self._cached[0] == path:
                return self._cached[1]
            try:
                ix = whoosh_index.open_dir(str(path))
            except Exception as exc:  # EmptyIndexError, unpickling errors, missing segment files
                raise IndexUnavailable(f"cannot open the index: {_describe(exc)}") from exc
            self._cached = (path, ix)
            return ix

    def searcher(self):
        """This thread's searcher of the live index, kept open between requests and reopened when
        the index changed; do not close it.
        IndexUnavailable if there is no index or it cannot be read; nothing of a failed attempt
        is kept, so the next call opens the index afresh."""
        local = self._local
        try:
            for attempt in range(OPEN_ATTEMPTS):
                ix = self.open()
                searcher = getattr(local, "searcher", None)
                if searcher is not None and local.index is ix and searcher.up_to_date():
                    break
                self._drop_searcher()
                searcher = ix.searcher()
                # closed when its thread ends (or at exit), not left open for the garbage collector
                local.close = weakref.finalize(threading.current_thread(), searcher.close)
                local.searcher, local.index = searcher, ix
                try:
                    hold_files(searcher)
                    break
                except OSError:  # merged away since the searcher read its table of contents
                    if attempt == OPEN_ATTEMPTS - 1:
                        raise
            self._verify(searcher)
        except Exception as exc:
            self.forget()
            if isinstance(exc, IndexUnavailable):
                raise
            raise IndexUnavailable(f"cannot read the index: {_describe(exc)}") from exc
        return searcher

    def _verify(self, searcher) -> None:
        problem = damaged_file(self.live_path(), searcher)
        if problem:
            raise IndexUnavailable(f"damaged index: {problem}")

    def forget(self) -> None:
        """Drop this thread's searcher and the opened index: after a failure, the next search
        opens the index again instead of reusing what failed."""
        self._drop_searcher()
        with self._cache_lock:
            self._cached = None

    def _drop_searcher(self) -> None:
        local = self._local
        if getattr(local, "searcher", None) is not None:
            local.close()
        local.searcher = local.index = None

    def is_current(self) -> bool:
        """The live index has the fields (names and kinds) this version of the forum writes, and
        its text was analysed the same way (``analysis.ANALYSIS_VERSION``); an index written by
        an older version is searched until a rebuild replaces it."""
        expected = build_schema(self.variant)
        schema = self.open().schema
        return sorted(schema.names()) == sorted(expected.names()) and all(
            type(schema[name]) is type(expected[name])
            and getattr(schema[name], "analyzer", None) == getattr(expected[name], "analyzer", None)
            for name in expected.names()
        )

    def check(self) -> int:
        """Open the index and read it once: its number of documents; IndexUnavailable if it is
        missing, corrupt or a file was cut short."""
        searcher = self.searcher()
        try:
            list(searcher.lexicon("kind"))
            return searcher.doc_count()
        except Exception as exc:
            self.forget()
            raise IndexUnavailable(f"corrupt index: {_describe(exc)}") from exc

    # -- which node this directory is ------------------------------------------------------------
    @property
    def node_id_path(self) -> Path:
        return self.root / "node-id"

    def read_node_id(self) -> str | None:
        """The id under which the database records what this directory's index has applied."""
        try:
            return self.node_id_path.read_text().strip() or None
        except OSError:
            return None

    def node_id(self) -> str:
        """This directory's node id, made up the first time (random: two machines may use the
        same path)."""
        existing = self.read_node_id()
        if existing is not None:
            return existing
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".node-id-{secrets.token_hex(4)}"
        tmp.write_text(secrets.token_hex(16))
        try:
            os.link(tmp, self.node_id_path)  # never replaces an id another process wrote first
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        return self.node_id_path.read_text().strip()

    # -- writing ----------------------------------------------------------------------------------
    @contextmanager
    def writer(
        self, *, timeout: float | None = None, bulk: bool = False, procs: int = 1
    ) -> Iterator:
        """A Whoosh writer holding the index lock; commits on success, cancels on error.
        ``bulk``: a large memory pool, for thousands of documents, analysed by ``procs`` processes
        (each writes a segment of its own)."""
        ix = self.open()
        options = {
            "timeout": self.lock_timeout if timeout is None else timeout,
            "delay": 0.05,
            "limitmb": 256 if bulk else 32,
            **WRITER_OPTIONS,
        }
        if bulk and procs > 1:
            options.update(procs=procs, multisegment=True, limitmb=256 // procs)
        try:
            writer = ix.writer(**options)
        except LockError as exc:
            raise IndexBusy("the search index is locked by another writer") from exc
        try:
            yield MarkingWriter(writer)
        except BaseException:
            writer.cancel()
            raise
        else:
            writer.commit()
            record_sizes(ix)

    def create_empty(self) -> Path:
        """Create and publish an empty index (first start on an empty database)."""
        path = self._new_directory()
        whoosh_index.create_in(str(path), build_schema(self.variant))
        self._publish(path)
        return path

    # -- rebuilding -------------------------------------------------------------------------------
    @contextmanager
    def rebuild_lock(self, *, blocking: bool = False) -> Iterator[bool]:
        """Across processes: True while this process holds the rebuild lock."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.root / ".rebuild.lock", "a+")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()

    @contextmanager
    def build_beside(self, *, procs: int = 1) -> Iterator:
        """A writer on a new index next to the live one; published (swapped in) on success.
        ``procs`` > 1: documents are analysed by that many processes, each writing a segment."""
        building = self._new_directory(prefix="building-")
        ix = whoosh_index.create_in(str(building), build_schema(self.variant))
        if procs > 1:
            writer = ix.writer(
                procs=procs, multisegment=True, limitmb=256 // procs, **WRITER_OPTIONS
            )
        else:
            writer = ix.writer(limitmb=256, **WRITER_OPTIONS)
        try:
            yield MarkingWriter(writer)
        except BaseException:
            writer.cancel()
            ix.close()
            shutil.rmtree(building, ignore_errors=True)
            raise
        writer.commit()
        record_sizes(ix)
        ix.close()
        path = building.with_name(building.name.replace("building-", "index-", 1))
        building.rename(path)
        self._publish(path)

    def _new_directory(self, prefix: str = "index-") -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.root / f"{prefix}{stamp}-{secrets.token_hex(3)}"
        path.mkdir()
        return path

    def _publish(self, path: Path) -> None:
        """Point ``current`` at ``path`` atomically, then remove older index directories.

        The previous index is kept one generation, so searchers other processes have open on it
        finish their request; the one before it is removed.
        """
        old = self.live_path()
        tmp_link = self.root / f".{LIVE_LINK}-{secrets.token_hex(4)}"
        os.symlink(path.name, tmp_link)
        os.replace(tmp_link, self.live_link)
        with self._cache_lock:
            self._cached = None
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("index-") and child not in (path, old):
                shutil.rmtree(child, ignore_errors=True)

    def discard_live(self) -> None:
        """Move a corrupt live index out of the way (kept as ``corrupt-*`` for inspection)."""
        path = self.live_path()
        try:
            self.live_link.unlink()
        except OSError:
            pass
        if path is not None:
            for older in self.root.glob("corrupt-*"):
                shutil.rmtree(older, ignore_errors=True)
            path.rename(self.root / f"corrupt-{path.name}")
        with self._cache_lock:
            self._cached = None


def _describe(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {exc}"
