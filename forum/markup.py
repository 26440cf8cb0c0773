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
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

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


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    parser.enable(["table", "strikethrough", "linkify"])
    parser.core.ruler.push("mentions", _mentions)
    parser.core.ruler.push("align_classes", _align_classes)
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


def render_markdown(source: str, *, mentions: MentionResolver | None = None) -> str:
    """Render user Markdown to sanitized HTML (a plain ``str`` for storing). ``mentions`` maps
    the mentioned handles (lower-case) to the profile paths of those that may be linked."""
    html = _parser().render(source or "", {"resolve_mentions": mentions})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    )


def mentioned_handles(source: str) -> list[str]:
    """The handles ``source`` mentions (lower-case, in order, each once), outside code and links."""
    env: dict = {}
    _parser().parse(source or "", env)
    return list(dict.fromkeys(env.get("mentions", ())))


@lru_cache(maxsize=2048)
def plain_text(source: str, limit: int | None = None) -> str:
    """The text of some Markdown without markup (for snippets, e-mail, titles); remembered, as
    pages show the same snippets (featured lessons, event summaries) on every load."""
    text = nh3.clean(_parser().render(source or ""), tags=set()).strip()
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
