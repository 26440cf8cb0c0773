"""Handles: the unique name members type to mention someone (``@anna_andersson``).

Rules, close to Discourse's usernames: 3 to 30 characters, lower-case ASCII letters, digits, ``_``
and ``-``; it starts and ends with a letter or digit and has no two ``_``/``-`` in a row (so
``@anna.`` or ``@anna_`` at the end of a sentence mentions ``anna``). Reserved words are refused.
Handles are stored lower-cased, so ``@Anna`` and ``@anna`` are the same member.

A new account's handle is derived from the display name: folded to ASCII (å, ä → a, ö → o,
é → e, ß → ss, other scripts transliterated), words joined by ``_``, cut to 30 characters; a
reserved, too short or taken one gets a number: ``anna_andersson``, ``anna_andersson2``, ...
A member may change it once in the settings; it is NULL on a deleted account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import func, or_
from sqlmodel import Session, select

from ..clock import utcnow
from ..markup import HANDLE_PATTERN, MarkupTooComplex, mentioned_handles, render_markdown
from .errors import AccountError
from .models import User, not_suspended
from .urls import profile_path

MIN_LENGTH, MAX_LENGTH = 3, 30
HANDLE_RE = re.compile(rf"(?:{HANDLE_PATTERN})\Z")
RESERVED = frozenset(
    """
    admin administrator administrators moderator moderators mod mods staff team system root
    all here everyone everybody channel notifications notification settings search members
    member users user u me you anonymous deleted deleted_user nobody null none undefined
    support help info contact abuse security postmaster webmaster hostmaster noreply no-reply
    forum tillsammans api static login logout register admins alla
    """.split()
)


class HandleError(AccountError):
    default_field = "handle"


class HandleTaken(HandleError):
    default_message = _l("Another member already has this handle.")


class HandleAlreadyChanged(HandleError):
    status = 409
    default_message = _l("You have already changed your handle once; it cannot be changed again.")


def normalize(text: str | None) -> str:
    """What a member typed as a handle, as stored: without an ``@`` and lower-cased."""
    return (text or "").strip().removeprefix("@").strip().lower()


def is_valid(handle: str) -> bool:
    """True if ``handle`` (normalized) follows the rules and is not reserved."""
    return (
        MIN_LENGTH <= len(handle) <= MAX_LENGTH
        and HANDLE_RE.match(handle) is not None
        and handle not in RESERVED
    )


def problem(handle: str) -> str | None:
    """Why ``handle`` (normalized) cannot be a handle, or None."""
    if not MIN_LENGTH <= len(handle) <= MAX_LENGTH:
        return _l(
            "A handle has between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH
        )
    if not HANDLE_RE.match(handle):
        return _l(
            "Use lower-case letters a-z, digits, _ and -, starting and ending with a letter or "
            "a digit."
        )
    if handle in RESERVED:
        return _l("This word is reserved; choose another handle.")
    return None


def derive(display_name: str) -> str:
    """The handle a name suggests before collisions: folded, joined by ``_``, at most 30 long."""
    base = slugify(display_name or "", separator="_", max_length=MAX_LENGTH, word_boundary=False)
    return base.strip("_") or "member"


def _numbered(base: str, first: int = 1) -> Iterator[tuple[int, str]]:
    """(1, ``base``), then (2, ``base2``), (3, ``base3``)... from ``first`` on, shortened so the
    number fits, leaving out what breaks the rules."""
    if first <= 1 and is_valid(base):
        yield 1, base
    number = max(first, 2)
    while True:
        suffix = str(number)
        handle = base[: MAX_LENGTH - len(suffix)].rstrip("_-") + suffix
        if is_valid(handle):
            yield number, handle
        number += 1


def pick(base: str, taken: set[str]) -> str:
    """The first free handle for ``base``; ``taken`` holds the handles in use (lower-case)."""
    return next(handle for _, handle in _numbered(base) if handle not in taken)


def available_handle(session: Session, display_name: str) -> str:
    """A free handle for a new account named ``display_name`` (one query)."""
    base = derive(display_name)
    # every candidate starts with this stem (a number of up to 4 digits, one trimmed separator)
    stem = base[: MAX_LENGTH - 5]
    taken = set(
        session.exec(select(User.handle).where(User.handle.startswith(stem, autoescape=True)))
    )
    return pick(base, taken)


def allocate(session: Session, display_names: Sequence[str]) -> list[str]:
    """Free, distinct handles for many new accounts at once (the importer): one query."""
    taken = set(session.exec(select(User.handle).where(User.handle.is_not(None))))
    handles, tried = [], {}  # tried: the number each base is known to be taken up to
    for name in display_names:
        base = derive(name)
        number, handle = next(
            (n, h) for n, h in _numbered(base, tried.get(base, 1)) if h not in taken
        )
        tried[base] = number + 1
        taken.add(handle)
        handles.append(handle)
    return handles


def find_by_handle(session: Session, handle: str) -> User | None:
    """The account with this handle (``@`` and case ignored); None if there is none."""
    handle = normalize(handle)
    if not handle:
        return None
    return session.exec(select(User).where(User.handle == handle)).first()


def change_handle(*, session: Session, actor: User, handle: str) -> User:
    """The member's one change of their handle."""
    if actor.handle_changed_at is not None:
        raise HandleAlreadyChanged()
    handle = normalize(handle)
    if handle == actor.handle:
        raise HandleError(_l("This is already your handle."))
    reason = problem(handle)
    if reason:
        raise HandleError(reason)
    if find_by_handle(session, handle) is not None:
        raise HandleTaken()
    actor.handle = handle
    actor.handle_changed_at = utcnow()
    session.flush()
    return actor


def mentionable() -> tuple:
    """Conditions of accounts that can be mentioned and found: not deleted, not imported."""
    return (User.deleted_at.is_(None), User.is_placeholder.is_(False), User.handle.is_not(None))


def mentioned_members(session: Session, source: str) -> list[int]:
    """The ids of the members ``source`` mentions who can be told: not deleted, not imported,
    not suspended (one query)."""
    wanted = mentioned_handles(source)
    if not wanted:
        return []
    return list(
        session.exec(
            select(User.id).where(User.handle.in_(wanted), not_suspended(), *mentionable())
        )
    )


def mention_links(session: Session):
    """The resolver ``forum.markup.render_markdown`` takes: the profile path of each mentioned
    handle that belongs to a member who can be mentioned (one query per rendering)."""

    def resolve(handles: Iterable[str]) -> Mapping[str, str]:
        wanted = sorted({h.lower() for h in handles})
        if not wanted:
            return {}
        users = session.exec(select(User).where(User.handle.in_(wanted), *mentionable()))
        return {user.handle: profile_path(user) for user in users}

    return resolve


def unlink_mentions(session: Session, model, columns: Mapping[str, str], handle: str) -> None:
    """Render again the Markdown of the ``model`` rows that mention ``handle`` (``columns``:
    source column -> HTML column), once that handle no longer belongs to anyone who can be
    mentioned: the stored links become text."""
    links = mention_links(session)
    needle = "@" + handle.lower()
    wanted = [
        func.lower(getattr(model, source)).contains(needle, autoescape=True) for source in columns
    ]
    for row in session.exec(select(model).where(or_(*wanted))):
        for source, html in columns.items():
            try:
                setattr(row, html, render_markdown(getattr(row, source) or "", mentions=links))
            except MarkupTooComplex:  # stored before the budget; its links stay as they were
                continue
    session.flush()


def search_members(session: Session, text: str, *, limit: int = 8) -> list[User]:
    """Members whose handle or a word of whose display name starts with ``text``: the handle
    matches first. Deleted, suspended and imported accounts are left out."""
    text = " ".join((text or "").split()).removeprefix("@")[:MAX_LENGTH]
    if not text:
        return []
    folded = derive(text) if text.strip("_-") else ""
    handle_prefix = User.handle.startswith(normalize(text), autoescape=True)
    matches = [
        handle_prefix,
        func.lower(User.display_name).startswith(text.lower(), autoescape=True),
        func.lower(User.display_name).contains(" " + text.lower(), autoescape=True),
    ]
    if folded != "member":
        matches.append(User.handle.startswith(folded, autoescape=True))
    query = (
        select(User)
        .where(
            *mentionable(),
            not_suspended(),
            or_(*matches),
        )
        .order_by(handle_prefix.desc(), func.length(User.handle), User.handle)
        .limit(limit)
    )
    return list(session.exec(query))
