"""GET /search lists one entry per thread: its title, the best-matching post as snippet and link,
"N more matches in this thread" (a search within it), and a switch to list every post."""

from __future__ import annotations

import re

import pytest

from forum.clock import utcnow
from tests.factories import make_reply, make_thread, make_user
from tests.statements import recording


def search(client, q: str, **args) -> str:
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def hits(html: str) -> list[tuple[str, str]]:
    """(link, title) of each result."""
    return re.findall(r'<h3><a href="([^"]+)"[^>]*>([^<]+)</a>', html)


def more_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<p class="search-more"><a href="([^"]+)">([^<]+)</a>', html)


def total(html: str) -> int:
    return int(re.search(r'class="search-summary">\s*(\d+)', html).group(1))


def facet(html: str, name: str, value: str) -> int | None:
    found = re.search(
        rf'name="{name}" value="{value}"[^>]*>.*?<span class="facet-count">(\d+)</span>',
        html,
        re.S,
    )
    return int(found.group(1)) if found else None


@pytest.fixture
def author(db_session):
    return make_user(db_session, display_name="Tråd Trådsson")


@pytest.fixture
def discussion(db_session, author):
    """A thread about heat pumps whose three replies mention them too, and another thread."""
    thread, _ = make_thread(
        db_session,
        author,
        "Värmepump i radhuset",
        "Vi funderar på en värmepump till radhuset.",
        direct=True,
    )
    replies = [
        make_reply(db_session, thread, author, text, direct=True)
        for text in (
            "Vår värmepump drar lite ström.",
            "Bergvärme är en sorts värmepump med borrhål och kollektorslang.",
            "En värmepump behöver service vartannat år.",
        )
    ]
    other, _ = make_thread(
        db_session, author, "Solceller på taket", "Solceller och värmepump ihop?", direct=True
    )
    return thread, replies, other


def test_a_thread_is_listed_once_with_its_other_matches(client, discussion):
    thread, replies, other = discussion
    html = search(client, "värmepump")
    assert [title for _, title in hits(html)] == ["Värmepump i radhuset", "Solceller på taket"]
    assert total(html) == 2
    ((link, text),) = more_links(html)
    assert "3 " in text and f"thread={thread.id}" in link and "q=v" in link
    # the search within the thread lists each matching post, and says which thread it is in
    within = search(client, "värmepump", thread=str(thread.id))
    assert len(hits(within)) == 4 and total(within) == 4
    assert "Solceller på taket" not in within.split('class="search-hits"')[1].split("<ol")[1]
    assert f'name="thread" value="{thread.id}"' in within
    assert "Värmepump i radhuset</a>" in within


def test_the_best_matching_post_is_the_snippet_and_the_link(client, discussion):
    thread, replies, _other = discussion
    html = search(client, "kollektorslang")
    ((link, title),) = hits(html)
    assert title == "Värmepump i radhuset"
    assert link.endswith(f"#post-{replies[1].id}")
    assert "<mark>kollektorslang</mark>" in html
    assert more_links(html) == []


def test_the_switch_lists_every_post(client, discussion):
    html = search(client, "värmepump")
    assert re.search(r'<input type="checkbox" name="posts" value="all">', html)
    every = search(client, "värmepump", posts="all")
    assert len(hits(every)) == 5 and total(every) == 5 and more_links(every) == []
    assert re.search(r'name="posts" value="all" checked', every)


def test_the_switch_is_translated(client, discussion, db_session):
    swedish = search(client, "värmepump")
    english = client.get(
        "/search", query_string={"q": "värmepump"}, headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "Show every matching post" in english
    assert "Show every matching post" not in swedish and "Visa varje" in swedish
    assert "3 more matches in this thread" in english and "3 träffar till i tråden" in swedish


def test_facet_counts_count_the_entries(client, db_session, author, discussion):
    thread, _replies, _other = discussion
    make_reply(db_session, thread, author, "Our heat pump, värmepump, works.", language="en")
    html = search(client, "värmepump")
    assert facet(html, "type", "thread") == 2 and facet(html, "type", "post") is None
    assert facet(html, "language", "sv") == 2 and facet(html, "language", "en") == 1
    every = search(client, "värmepump", posts="all")
    assert facet(every, "type", "thread") == 2 and facet(every, "type", "post") == 4


def test_paging_continues_and_never_repeats_a_thread(client, db_session, author):
    for n in range(25):
        thread, _ = make_thread(
            db_session,
            author,
            f"Cykelparkering nummer {n}",
            "Cykelparkering vid stationen.",
            direct=True,
        )
        make_reply(db_session, thread, author, f"Cykelparkering {n} är full.", direct=True)
    first, second = search(client, "cykelparkering"), search(client, "cykelparkering", page="2")
    titles = [t for _, t in hits(first)] + [t for _, t in hits(second)]
    assert len(hits(first)) == 20 and len(hits(second)) == 5
    assert len(set(titles)) == 25 and total(first) == total(second) == 25
    newest = [t for _, t in hits(search(client, "cykelparkering", sort="newest", page="2"))]
    assert len(newest) == 5 and not set(newest) & {
        t for _, t in hits(search(client, "cykelparkering", sort="newest"))
    }


def test_hidden_and_deleted_posts_are_never_counted_nor_shown(client, db_session, discussion):
    thread, replies, _other = discussion
    replies[0].hidden_at = utcnow()
    replies[2].deleted_at = utcnow()
    db_session.commit()
    html = search(client, "värmepump")
    ((_link, text),) = more_links(html)
    assert text.startswith("1 ")
    assert "drar lite ström" not in search(client, "värmepump ström")
    within = search(client, "värmepump", thread=str(thread.id))
    assert total(within) == 2 and "service vartannat" not in within
    thread.hidden_at = utcnow()
    db_session.commit()
    hidden = search(client, "värmepump", thread=str(thread.id))
    assert hits(hidden) == [] and "Värmepump i radhuset" not in hidden
    assert "Solceller" in search(client, "värmepump")
    assert "Värmepump i radhuset" not in search(client, "värmepump")


@pytest.mark.parametrize("bad", ["x", "-1", "99999999999999999999", "1; drop"])
def test_a_bad_thread_argument_is_ignored_or_empty_never_an_error(client, discussion, bad):
    assert client.get("/search", query_string={"q": "värmepump", "thread": bad}).status_code == 200


def test_statements_do_not_grow_with_the_number_of_threads(app, client, db_session, author):
    def statements_for(q: str) -> int:
        with recording(app.extensions["forum_engine"]) as statements:
            search(client, q)
        return len(statements)

    thread, _ = make_thread(db_session, author, "Regnbädd", "En regnbädd på gården.", direct=True)
    make_reply(db_session, thread, author, "Regnbädd med sedum.", direct=True)
    few = statements_for("regnbädd")
    for n in range(12):
        other, _ = make_thread(db_session, author, f"Regnbädd {n}", "Om regnbädd.", direct=True)
        make_reply(db_session, other, author, f"Regnbädd svar {n}.", direct=True)
        make_reply(db_session, other, author, f"Ännu en regnbädd {n}.", direct=True)
    search(client, "regnbädd")  # the first search after changes may apply them
    assert statements_for("regnbädd") == few
