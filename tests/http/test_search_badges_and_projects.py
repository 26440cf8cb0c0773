"""A result's badge names its kind in the singular; the project filter is a list of projects."""

from __future__ import annotations

import re

import pytest

from forum.clock import utcnow
from tests.factories import make_project, make_reply, make_thread, make_user

EN = {"Accept-Language": "en"}


def badges(html: str) -> list[str]:
    return re.findall(r'<p class="search-meta">\s*<span class="chip">([^<]+)</span>', html)


@pytest.mark.parametrize(
    ("headers", "thread", "reply", "project"),
    [(EN, "Thread", "Reply in a thread", "Project"), ({}, "Tråd", "Svar i en tråd", "Projekt")],
)
def test_each_result_has_a_singular_badge(client, db_session, headers, thread, reply, project):
    author = make_user(db_session)
    made, _ = make_thread(
        db_session, author, "Kompost i lägenhet", "Bokashi fungerar.", direct=True
    )
    make_reply(db_session, made, author, "Kompost i källaren också.", direct=True)
    make_project(
        db_session,
        author,
        direct=True,
        name="Kompost Malmö",
        slug="kompost",
        summary="Kompost i stan.",
    )
    html = client.get(
        "/search", query_string={"q": "kompost", "posts": "all"}, headers=headers
    ).get_data(as_text=True)
    assert sorted(badges(html)) == sorted([thread, reply, project])
    # the filter still counts in the plural
    assert re.search(r"Threads|Trådar", html)


def test_a_reply_standing_for_its_thread_is_badged_as_the_reply(client, db_session):
    """One result per thread: when a reply matches best, the result shows the reply (its text and
    its author, who need not have started the thread), so its badge says so too."""
    made, _ = make_thread(
        db_session, make_user(db_session), "Kompost i lägenhet", "Bokashi.", direct=True
    )
    replier = make_user(db_session, display_name="Oskar Nyström")
    make_reply(db_session, made, replier, "Maskar i källaren fungerar.", direct=True)
    html = client.get("/search", query_string={"q": "källaren"}, headers=EN).get_data(as_text=True)
    assert badges(html) == ["Reply in a thread"]
    assert "Oskar Nyström" in html and "Kompost i lägenhet" in html


def test_the_project_filter_lists_the_visible_projects_by_name(client, db_session):
    author = make_user(db_session)
    make_thread(db_session, author, "Kompost i lägenhet", "Bokashi.", direct=True)
    make_project(db_session, author, direct=True, name="Västra Hamnen", slug="vastra-hamnen")
    make_project(db_session, author, direct=True, name="Botildenborg", slug="botildenborg")
    make_project(db_session, author, direct=True, name="Gömt", slug="gomt", hidden_at=utcnow())
    html = client.get(
        "/search", query_string={"q": "kompost", "project": "botildenborg"}, headers=EN
    ).get_data(as_text=True)
    select = html[
        html.index('<select id="filter-project"') : html.index(
            "</select>", html.index('<select id="filter-project"')
        )
    ]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]+)</option>', select)
    assert options == [
        ("", "", "All projects"),
        ("botildenborg", " selected", "Botildenborg"),
        ("vastra-hamnen", "", "Västra Hamnen"),
    ]
    assert '<label for="filter-project">Project</label>' in html and "slug" not in select


def test_a_project_typed_into_the_address_stays_chosen(client, db_session):
    author = make_user(db_session)
    make_thread(db_session, author, "Kompost i lägenhet", "Bokashi.", direct=True)
    make_project(db_session, author, direct=True, name="Västra Hamnen", slug="vastra-hamnen")
    html = client.get("/search", query_string={"q": "kompost", "project": "vastra"}).get_data(
        as_text=True
    )
    assert '<option value="vastra" selected>vastra</option>' in html


@pytest.mark.parametrize(
    ("headers", "summary"),
    [
        (EN, "(3 on: Threads, Svenska, Newest first)"),
        ({}, "(3 valda: Trådar, Svenska, Nyast först)"),
    ],
)
def test_the_filters_are_folded_with_what_is_on_in_the_summary(
    client, db_session, headers, summary
):
    make_thread(db_session, make_user(db_session), "Kompost i lägenhet", "Bokashi.", direct=True)
    query = {"q": "kompost", "type": "thread", "language": "sv", "sort": "newest"}
    for extra in ({}, {"HX-Request": "true", "HX-Target": "search-results"}):
        html = client.get("/search", query_string=query, headers={**headers, **extra}).get_data(
            as_text=True
        )
        fold = re.search(r"<details id=\"search-filters-details\"[^>]*>", html).group(0)
        assert " open" not in fold  # closed in the HTML: a phone sees the results first
        assert summary in html
    plain = client.get("/search", query_string={"q": "kompost"}, headers=headers)
    assert "filters-active" not in plain.get_data(as_text=True)
