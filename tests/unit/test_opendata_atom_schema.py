"""The Atom schema the feed tests validate with (RFC 4287, Appendix B) accepts a minimal valid
feed and refuses broken ones, so a feed that passes it is valid Atom."""

from __future__ import annotations

import pytest

from tests.atom_schema import atom_problems

VALID = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">
  <id>http://example.org/threads.atom</id><title>T</title>
  <updated>2026-01-01T00:00:00+00:00</updated><author><name>Forum</name></author>
  <entry xml:lang="en"><id>http://example.org/threads/1</id><title>A</title>
    <updated>2026-01-01T00:00:00+00:00</updated>
    <link rel="alternate" href="http://example.org/threads/1"/>
    <category term="sdg-7" label="7. Energy" scheme="http://example.org/goals/"/>
    <content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry>
</feed>"""


def test_a_valid_feed_passes():
    assert atom_problems(VALID) == []


@pytest.mark.parametrize(
    "broken",
    [
        VALID.replace(b"<id>http://example.org/threads.atom</id>", b""),  # a feed needs an id
        VALID.replace(
            b"2026-01-01T00:00:00+00:00</updated><author>", b"yesterday</updated><author>"
        ),
        VALID.replace(b'xml:lang="en"', b'xml:lang="not a language"'),
        VALID.replace(b'term="sdg-7" ', b""),  # a category needs its term
        VALID.replace(b"<title>A</title>", b"<title>A</title><title>B</title>"),
    ],
)
def test_the_grammar_refuses_a_broken_feed(broken):
    assert atom_problems(broken)


def test_the_schematron_rules_are_checked_too():
    no_author = VALID.replace(b"<author><name>Forum</name></author>", b"")
    assert atom_problems(no_author) == ["a feed without an author has an entry without an author"]
    bare = VALID.replace(b'<link rel="alternate" href="http://example.org/threads/1"/>', b"")
    bare = bare.replace(b'<content type="html">&lt;p&gt;x&lt;/p&gt;</content>', b"")
    assert "an entry has neither an alternate link nor content" in atom_problems(bare)
