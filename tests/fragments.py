"""Helpers for the fragment cache's tests."""

from __future__ import annotations

from collections.abc import Callable

from forum.web.fragments import fragments


def served_from_cache(app, load: Callable[[], str]) -> str:
    """Load a page twice; the second load must come from the fragment cache. Its HTML."""
    load()
    with app.app_context():
        hits = fragments().hits
    html = load()
    with app.app_context():
        assert fragments().hits > hits
    return html
