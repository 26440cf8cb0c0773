"""Markdown to safe HTML: markdown-it-py (CommonMark + tables, strikethrough, autolinks), then nh3.

Decisions: raw HTML in the source is never passed through (it is shown as text); links may use
http, https or mailto and get ``rel="nofollow ugc noopener"``; images are allowed only over https
(anything else is dropped); code blocks are escaped by the renderer.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

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
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "code": {"class"},
}
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False}).enable(
        ["table", "strikethrough", "linkify"]
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.lower().startswith("https://") else None
    if attribute == "style":  # tables align columns with text-align only
        return (
            value
            if value.replace(" ", "")
            in {"text-align:left", "text-align:right", "text-align:center"}
            else None
        )
    if tag == "code" and attribute == "class":
        return (
            value
            if value.startswith("language-") and value[9:].replace("-", "").isalnum()
            else None
        )
    return value


def render_markdown(source: str) -> str:
    """Render user Markdown to sanitized HTML (a plain ``str`` for storing)."""
    html = _parser().render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    )


def plain_text(source: str, limit: int | None = None) -> str:
    """The text of some Markdown without markup (for snippets, e-mail, titles)."""
    text = nh3.clean(_parser().render(source or ""), tags=set()).strip()
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
