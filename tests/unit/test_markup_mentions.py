"""Mentions in Markdown: which ``@handle`` counts, and how a resolver turns them into links."""

from __future__ import annotations

import pytest

from forum.markup import mentioned_handles, render_markdown

KNOWN = {"anna", "bo_ek", "li-ma"}


class Resolver:
    """Knows the handles of ``KNOWN``; remembers what it was asked."""

    def __init__(self):
        self.asked: list[list[str]] = []

    def __call__(self, handles):
        handles = list(handles)
        self.asked.append(handles)
        return {h: f"/u/{len(h)}-{h}" for h in handles if h in KNOWN}


def link(handle: str, text: str | None = None) -> str:
    return (
        f'<a href="/u/{len(handle)}-{handle}" class="mention" rel="nofollow ugc noopener">'
        f"{text or '@' + handle}</a>"
    )


@pytest.mark.parametrize(
    ("source", "handles"),
    [
        ("Tack @anna och @Bo_Ek!", ["anna", "bo_ek"]),
        ("@anna, @anna och @ANNA", ["anna"]),
        ("(@li-ma) och @anna.", ["li-ma", "anna"]),
        ("Skriv till anna@example.org eller @anna", ["anna"]),
        ("`@kod` och\n\n```\n@block\n```\n\n    @indenterad\n\n@anna", ["anna"]),
        ("[fråga @anna](https://example.org) <https://example.org/@bo> https://x.se/@li", []),
        ("@annaé @anna@host @ab", ["ab"]),
        ("@" + "a" * 31 + " @" + "b" * 30, ["b" * 30]),
        ("**@anna** > @bo_ek\n\n> citat @li-ma", ["anna", "bo_ek", "li-ma"]),
        ("@anna_ i slutet och @ett-", ["anna", "ett"]),
        ("", []),
    ],
)
def test_mentioned_handles(source, handles):
    assert mentioned_handles(source) == handles


def test_known_handles_become_links_and_unknown_stay_text():
    resolve = Resolver()
    html = render_markdown("Hej @Anna och @okänd, fråga @bo_ek.", mentions=resolve)
    assert html == (f"<p>Hej {link('anna', '@Anna')} och @okänd, fråga {link('bo_ek')}.</p>\n")
    assert resolve.asked == [["anna", "bo_ek"]]  # asked once, for every mention


def test_no_links_in_code_links_or_addresses():
    resolve = Resolver()
    html = render_markdown(
        "`@anna` [@anna](https://example.org) anna@example.org\n\n```\n@anna\n```",
        mentions=resolve,
    )
    assert 'class="mention"' not in html
    assert "<code>@anna</code>" in html
    assert resolve.asked == []  # nothing to ask about


def test_without_a_resolver_mentions_stay_text():
    assert render_markdown("@anna") == "<p>@anna</p>\n"


def test_a_resolver_cannot_smuggle_markup():
    html = render_markdown("@anna", mentions=lambda handles: {"anna": 'javascript:alert("x")'})
    assert "javascript" not in html
    html = render_markdown("@anna", mentions=lambda handles: {"anna": '/u/1"><script>'})
    assert "<script>" not in html


def test_a_mention_class_is_the_only_class_a_link_keeps():
    assert "class" not in render_markdown("[x](https://example.org)")
    assert 'class="mention"' in render_markdown("@anna", mentions=Resolver())


def test_mentions_in_several_paragraphs_and_lists():
    resolve = Resolver()
    html = render_markdown("- @anna\n- @li-ma och @bo_ek\n\nSist @anna", mentions=resolve)
    assert html.count('class="mention"') == 4
    assert resolve.asked == [["anna", "li-ma", "bo_ek", "anna"]]
