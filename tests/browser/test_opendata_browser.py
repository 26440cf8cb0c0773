"""The JSON API's data dictionary is a page like any other: accessible in both languages and no
wider than a phone (its tables scroll in their own box)."""

from __future__ import annotations


def test_the_data_dictionary_is_accessible(page, live_server, axe):
    for lang in ("sv", "en"):
        page.goto(f"{live_server.url}/api/dictionary?lang={lang}")
        assert page.locator("h1").inner_text()
        assert axe(page) == []
