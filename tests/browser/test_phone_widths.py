"""Every kind of page fits a phone's width: nothing scrolls sideways at 390 or 320 px, for a
reader who is not logged in and for an administrator (whose header holds the most)."""

from __future__ import annotations

import pytest

from tests.browser.support import live_user, log_in

PUBLIC = ["/", "/t/klimatneutral-framtid", "/lessons", "/projects", "/search?q=tak", "/events"]
PUBLIC += ["/about", "/privacy", "/accessibility"]  # the footer's pages
PUBLIC += ["/data", "/api/dictionary"]
MEMBERS = ["/settings", "/notices", "/threads/new", "/lessons/new"]
STAFF = ["/admin/users", "/admin/glossary", "/mod/queue", "/mod/log"]

# What sticks out past the right edge, named, so a failure says where to look.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolled = '.table-scroll, .table-wrap, .calendar-wrap';
  const right = e => Math.round(e.getBoundingClientRect().right);
  return [...document.querySelectorAll('body *')]
    .filter(e => right(e) > width + 1 && e.closest(scrolled) === null)
    .slice(0, 3)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} ${right(e)}px`);
}"""


def _sideways(page, base: str, paths: list[str]) -> dict:
    found = {}
    for path in paths:
        page.goto(base + path)
        if page.evaluate("document.documentElement.scrollWidth") > page.viewport_size["width"]:
            found[path] = page.evaluate(OVERFLOWING)
    return found


@pytest.mark.parametrize("width", [390, 320])
def test_no_page_scrolls_sideways_on_a_phone(page, live_server, live_app, width):
    page.set_viewport_size({"width": width, "height": 800})
    assert _sideways(page, live_server.url, PUBLIC) == {}
    admin = live_user(
        live_app, role="admin", display_name="Administratören Kristina Johansson-Lindqvist"
    )
    log_in(page, live_server.url, admin)
    assert _sideways(page, live_server.url, PUBLIC + MEMBERS + STAFF) == {}
