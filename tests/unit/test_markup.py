"""Markdown rendering is useful and inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forum.markup import plain_text, render_markdown


def test_commonmark_tables_strikethrough_and_autolinks():
    html = render_markdown(
        "**fet** ~~borta~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSe https://malmo.se"
    )
    assert "<strong>fet</strong>" in html
    assert "<s>borta</s>" in html or "<del>borta</del>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert '<a href="https://malmo.se" rel="nofollow ugc noopener">https://malmo.se</a>' in html


class _ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def dangerous_parts(html: str) -> list[str]:
    """Elements or attributes in rendered HTML that a browser would execute."""
    collector = _ElementCollector()
    collector.feed(html)
    found = []
    for tag, attrs in collector.elements:
        if tag in {"script", "iframe", "svg", "object", "embed", "style", "div", "form"}:
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on") or name == "style" and "url(" in (value or ""):
                found.append(f"{tag}[{name}]")
            if name in {"href", "src"} and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                found.append(f"{tag}[{name}={value}]")
    return found


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        "<javascript:alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "![x](javascript:alert(1))",
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "[a](<javascript:alert(1)>)",
    ],
)
def test_attacks_are_inert(attack):
    assert dangerous_parts(render_markdown(attack)) == []


def test_the_inertness_check_can_fail():
    assert dangerous_parts('<a href="javascript:x" onclick="y">') == [
        "a[href=javascript:x]",
        "a[onclick]",
    ]


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;" in render_markdown("<b>hej</b>")


def test_images_only_over_https():
    assert '<img src="https://example.org/a.png" alt="a">' in render_markdown(
        "![a](https://example.org/a.png)"
    )
    assert "http://example.org" not in render_markdown("![a](http://example.org/a.png)")


def test_code_blocks_are_escaped():
    html = render_markdown("```html\n<script>x</script>\n```")
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_plain_text_strips_markup_and_shortens():
    assert plain_text("# Rubrik\n\n**fet** text", limit=8) == "Rubrik…"
    assert plain_text("*a* b") == "a b"
