"""Markdown to safe HTML: markdown-it-py (CommonMark + tables, strikethrough, autolinks), then nh3.

Decisions: raw HTML in the source is never passed through (it is shown as text); links may use
http, https or mailto and get ``rel="nofollow ugc noopener"``; images are allowed only over https
(anything else is dropped); code blocks are escaped by the renderer.

Mentions: ``@handle`` in text (not in code, not inside a link, not in ``name@example.org``)
becomes a link when the caller passes ``mentions``, a resolver that answers the profile path of
each handle it knows (accounts provides it; this layer knows nothing of accounts). Unknown
handles stay text. ``mentioned_handles`` lists them without rendering (for notifications).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape as html_escape

import nh3
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .domain import InvalidInput

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"class"},
    "td": {"class"},
    "code": {"class"},
}
LINK_REL = "nofollow ugc noopener"

#: A handle (the rules are in ``forum.accounts.handles``): letters or digits, single ``_``/``-``
#: between them. Length is checked apart.
HANDLE_PATTERN = r"[a-z0-9](?:[a-z0-9]|[_-](?=[a-z0-9]))*"
HANDLE_MAX = 30
# Not after a word character, "@", ".", "/", "+" or "-" (so not in e-mail addresses or paths),
# and not followed by a letter, digit or "@" (so "@annaé" or "@anna@host" mention nobody).
MENTION_RE = re.compile(rf"(?<![\w@./+-])@({HANDLE_PATTERN})(?![^\W_]|@)", re.IGNORECASE)

MentionResolver = Callable[[Iterable[str]], Mapping[str, str]]

# What one text may cost to render. Rendering is linear in the work below, so these bound its
# time: tables are measured before parsing (a cell costs a block and an inline parse), inline work
# is counted while parsing (each step is one attempt of the inline rules at one position), and
# nesting stops at markdown-it's ``maxNesting`` (20), deeper markup is shown as text.
SOURCE_MAX = 60_000
TABLE_COLUMNS_MAX = 30
TABLE_CELLS_MAX = 2_000
INLINE_STEPS_MAX = 6_000
AUTOLINKS_MAX = 1_000
# A table's delimiter row ("|---|:-:|"): only pipes, dashes, colons and spaces, with a pipe.
_DELIMITER_ROW = re.compile(r"[ \t]*\|?[ \t:|-]*-[ \t:|-]*")
# What linkify may turn into a link (an address, "www.", a scheme, "name.tld"): each costs it a
# regular-expression match, so they are counted in the text it will scan, before it runs.
_AUTOLINK_CANDIDATE = re.compile(r"://|www\.|@|\w\.[^\W\d_]{2}")


class MarkupTooComplex(InvalidInput):
    """Text whose rendering would cost more than the budget allows; nothing was rendered."""

    default_message = _l("This text has too much markup to show. Simplify it and try again.")


_REFUSALS = {
    "table_cells": _l("The tables may have at most %(max)d cells in all.", max=TABLE_CELLS_MAX),
    "inline_steps": MarkupTooComplex.default_message,
    "autolinks": _l("The text may contain at most %(max)d links and addresses.", max=AUTOLINKS_MAX),
}


@dataclass
class RenderBudget:
    """What is left to spend on rendering; one budget may be shared by the texts of one form
    (a lesson's six sections), so that together they cost no more than one text may."""

    table_cells: int = TABLE_CELLS_MAX
    inline_steps: int = INLINE_STEPS_MAX
    autolinks: int = AUTOLINKS_MAX

    def spend(self, what: str, amount: int, field: str) -> None:
        """Spend ``amount`` of ``what`` (``table_cells``, ``inline_steps`` or ``autolinks``);
        ``MarkupTooComplex`` naming ``field`` when it runs out."""
        left = getattr(self, what) - amount
        setattr(self, what, left)
        if left < 0:
            raise MarkupTooComplex(_REFUSALS[what], field=field)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    parser.enable(["table", "strikethrough", "linkify"])
    parser.core.ruler.push("mentions", _mentions)
    parser.core.ruler.push("align_classes", _align_classes)
    parser.inline.ruler.before("text", "budget", _spend_inline_step)
    parser.core.ruler.before("linkify", "autolink_budget", _count_autolinks)
    return parser


ALIGN_CLASSES = {
    "text-align:left": "align-left",
    "text-align:right": "align-right",
    "text-align:center": "align-center",
}


def _align_classes(state: StateCore) -> None:
    """Core rule: a table column's alignment as a class, not a style attribute, which the
    Content-Security-Policy (forum/web/security.py) would refuse."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            token.attrs["class"] = ALIGN_CLASSES.get(str(token.attrs.pop("style")), "")


def check_markup_cost(source: str, budget: RenderBudget, *, field: str = "body") -> None:
    """Refuse, before any parsing, a text longer than ``SOURCE_MAX`` or with tables wider than
    ``TABLE_COLUMNS_MAX`` columns or larger than the budget's cells."""
    if len(source) > SOURCE_MAX:
        raise MarkupTooComplex(
            _l("The text is too long to show: at most %(max)d characters.", max=SOURCE_MAX),
            field=field,
        )
    lines, number = source.splitlines(), 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if "|" not in line or not _DELIMITER_ROW.fullmatch(line):
            continue
        columns = len(line.strip().strip("|").split("|"))
        if columns > TABLE_COLUMNS_MAX:
            raise MarkupTooComplex(
                _l("A table may have at most %(max)d columns.", max=TABLE_COLUMNS_MAX),
                field=field,
            )
        rows = 2  # the header and the delimiter; the body runs to the next blank line
        while number < len(lines) and lines[number].strip():
            rows, number = rows + 1, number + 1
        budget.spend("table_cells", columns * rows, field)


def _count_autolinks(state: StateCore) -> None:
    """Core rule before linkify: spend the budget's autolinks on the candidates in the text."""
    candidates = sum(
        len(_AUTOLINK_CANDIDATE.findall(token.content))
        for block in state.tokens
        if block.type == "inline" and block.children
        for token in block.children
        if token.type == "text"
    )
    state.env["budget"].spend("autolinks", candidates, state.env["field"])


def _spend_inline_step(state: StateInline, silent: bool) -> bool:
    """Inline rule tried first at every position: spends one step and never matches."""
    state.env["budget"].spend("inline_steps", 1, state.env["field"])
    return False


def _mention_spots(state: StateCore) -> list[tuple[list[Token], int, list[re.Match]]]:
    """Every text token outside links with the mentions in it: (siblings, index, matches)."""
    spots = []
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        depth = 0
        for index, token in enumerate(block.children):
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            elif token.type == "text" and depth == 0 and "@" in token.content:
                found = [
                    m for m in MENTION_RE.finditer(token.content) if len(m.group(1)) <= HANDLE_MAX
                ]
                if found:
                    spots.append((block.children, index, found))
    return spots


def _mentions(state: StateCore) -> None:
    """Core rule: record the mentioned handles in ``env["mentions"]`` and, given a resolver in
    ``env["resolve_mentions"]``, turn the known ones into links (asking it once)."""
    spots = _mention_spots(state)
    handles = [m.group(1).lower() for _, _, found in spots for m in found]
    state.env.setdefault("mentions", []).extend(handles)
    resolve = state.env.get("resolve_mentions")
    links = resolve(handles) if resolve and handles else {}
    if not links:
        return
    for children, index, found in reversed(spots):  # later spots first: indexes stay valid
        children[index : index + 1] = _linked(children[index], found, links)


def _linked(token: Token, found: list[re.Match], links: Mapping[str, str]) -> list[Token]:
    pieces, start, text = [], 0, token.content
    for match in found:
        href = links.get(match.group(1).lower())
        if href is None:
            continue
        pieces.append(Token("text", "", 0, content=text[start : match.start()]))
        pieces.append(Token("link_open", "a", 1, attrs={"href": href, "class": "mention"}))
        pieces.append(Token("text", "", 0, content=match.group(0)))
        pieces.append(Token("link_close", "a", -1))
        start = match.end()
    pieces.append(Token("text", "", 0, content=text[start:]))
    return [piece for piece in pieces if piece.type != "text" or piece.content]


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.lower().startswith("https://") else None
    if tag in ("th", "td"):  # tables align columns, and that only
        return value if value in ALIGN_CLASSES.values() else None
    if tag == "a" and attribute == "class":
        return value if value == "mention" else None
    if tag == "code" and attribute == "class":
        return (
            value
            if value.startswith("language-") and value[9:].replace("-", "").isalnum()
            else None
        )
    return value


def render_markdown(
    source: str,
    *,
    mentions: MentionResolver | None = None,
    field: str = "body",
    budget: RenderBudget | None = None,
) -> str:
    """Render user Markdown to sanitized HTML (a plain ``str`` for storing). ``mentions`` maps
    the mentioned handles (lower-case) to the profile paths of those that may be linked.
    ``MarkupTooComplex`` (naming ``field``) when the text is over ``budget`` (by default, a
    budget of its own)."""
    html = _render(source or "", mentions=mentions, field=field, budget=budget or RenderBudget())
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _render(source: str, *, mentions, field: str, budget: RenderBudget, env=None) -> str:
    check_markup_cost(source, budget, field=field)
    env = {} if env is None else env
    env.update(resolve_mentions=mentions, field=field, budget=budget)
    return _parser().render(source, env)


def text_of(html: str, limit: int | None = None) -> str:
    """The text of some rendered HTML on one line, cut to ``limit`` characters with "…"."""
    text = " ".join(nh3.clean(html, tags=set()).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip()
        # a text cut right after its own "…" or "..." shows no second one
        text = text if text.endswith(("…", "...")) else text + "…"
    return text


def mentioned_handles(source: str) -> list[str]:
    """The handles ``source`` mentions (lower-case, in order, each once), outside code and links."""
    env: dict = {}
    try:
        _render(source or "", mentions=None, field="body", budget=RenderBudget(), env=env)
    except MarkupTooComplex:  # never rendered, so it mentions nobody
        return []
    return list(dict.fromkeys(env.get("mentions", ())))


@lru_cache(maxsize=2048)
def plain_text(source: str, limit: int | None = None) -> str:
    """The text of some Markdown without markup (for snippets, e-mail, titles); remembered, as
    pages show the same snippets (featured lessons, event summaries) on every load. A text over
    the budget (stored before it existed) gives its source instead."""
    try:
        html = _render(source or "", mentions=None, field="body", budget=RenderBudget())
    except MarkupTooComplex:
        return text_of(html_escape(source[:SOURCE_MAX]), limit)
    return text_of(html, limit)
