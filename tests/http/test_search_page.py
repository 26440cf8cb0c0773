"""GET /search: results, filters, facets, snippets, visibility and consistency with the database."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from forum.clock import utcnow
from forum.search import get_search_service
from forum.search.models import SearchOutbox
from tests.factories import make_reply, make_thread, make_user


def titles(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a>', response.get_data(as_text=True))


def search(client, q: str, **args):
    return client.get("/search", query_string={"q": q, **args})


@pytest.fixture
def author(db_session):
    return make_user(db_session, display_name="Anna Andersson", email="anna.secret@example.org")


def test_empty_search_page_renders_with_the_form(client):
    response = client.get("/search")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="q"' in html and "<html" in html


def test_fragment_for_the_page_active_search(client, db_session, author):
    make_thread(db_session, author, "Kompost i lägenhet", "Bokashi fungerar bra.", direct=True)
    response = client.get(
        "/search",
        query_string={"q": "kompost"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="search-results"' in html and "Kompost i lägenhet" in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_header_box_request_gets_the_whole_page(client, db_session, author):
    make_thread(db_session, author, "Kompost i lägenhet", "Bokashi fungerar bra.", direct=True)
    response = client.get(
        "/search",
        query_string={"q": "kompost"},
        headers={"HX-Request": "true", "HX-Target": "main"},
    )
    html = response.get_data(as_text=True)
    assert '<main id="main"' in html and "Kompost i lägenhet" in html


def test_new_post_is_found_as_soon_as_it_is_committed(client, db_session, author):
    thread, _ = make_thread(
        db_session, author, "Solceller på taket", "Vi har satt upp solceller.", direct=True
    )
    assert titles(search(client, "solceller")) == ["Solceller på taket"]
    make_reply(
        db_session,
        thread,
        author,
        "We put a heat pump in the basement.",
        language="en",
        direct=True,
    )
    assert titles(search(client, "heat pump")) == ["Solceller på taket"]


def test_swedish_compound_found_by_its_parts_and_stems(client, db_session, author):
    make_thread(
        db_session,
        author,
        "Rapport från hållbarhetskongressen",
        "Malmö tecknade ett klimatkontrakt.",
        direct=True,
    )
    assert titles(search(client, "hållbarhet")) == ["Rapport från hållbarhetskongressen"]
    assert titles(search(client, "klimat kontrakt")) == ["Rapport från hållbarhetskongressen"]


def test_snippet_marks_matched_words_and_escapes_html(client, db_session, author):
    make_thread(
        db_session,
        author,
        "Gröna tak",
        "Sedumtak <script>alert(1)</script> minskar dagvatten från taken.",
        direct=True,
    )
    html = search(client, "dagvatten").get_data(as_text=True)
    assert "<mark" in html and ">dagvatten</mark>" in html
    assert "<script>alert" not in html


def test_a_hit_names_its_language_in_the_language_of_the_page(client, db_session, author):
    make_thread(
        db_session, author, "Rainwater", "Collect rainwater in barrels.", language="en", direct=True
    )
    meta = re.compile(r'<p class="search-meta">.*?</p>', re.S)
    swedish_page = meta.search(search(client, "rainwater").get_data(as_text=True)).group(0)
    english_page = meta.search(search(client, "rainwater", lang="en").get_data(as_text=True))
    assert "· Engelska" in swedish_page
    assert "· English" in english_page.group(0)


def test_hidden_and_deleted_content_is_never_found_nor_counted(client, db_session, author):
    thread, (first,) = make_thread(
        db_session, author, "Cykelvägar i Malmö", "Cykelvägar behöver snöröjning.", direct=True
    )
    reply = make_reply(
        db_session, thread, author, "Snöröjning av cykelvägar först, sedan bilvägar.", direct=True
    )
    assert len(titles(search(client, "snöröjning", posts="all"))) == 2
    reply.hidden_at = utcnow()
    db_session.commit()
    html = search(client, "snöröjning", posts="all").get_data(as_text=True)
    assert titles(search(client, "snöröjning", posts="all")) == ["Cykelvägar i Malmö"]
    assert "bilvägar" not in html
    thread.hidden_at = utcnow()
    db_session.commit()
    response = search(client, "snöröjning")
    assert titles(response) == []
    html = response.get_data(as_text=True)
    assert "Cykelvägar" not in html and "snöröjning</mark>" not in html
    first.deleted_at = utcnow()
    thread.hidden_at = None
    db_session.commit()
    assert titles(search(client, "snöröjning")) == []  # the deleted first post's words are gone
    assert titles(search(client, "cykelvägar")) == [
        "Cykelvägar i Malmö"
    ]  # the title is still public
    assert "behöver" not in search(client, "cykelvägar").get_data(as_text=True)


def test_hidden_content_absent_from_facet_counts(client, db_session, author):
    thread, _ = make_thread(
        db_session, author, "Regnvatten", "Samla regnvatten i tunnor.", direct=True
    )
    make_thread(
        db_session,
        author,
        "Rainwater",
        "Collect rainwater in barrels.",
        language="en",
        hidden_at=utcnow(),
        direct=True,
    )
    html = search(client, "regnvatten").get_data(as_text=True)
    assert re.search(r'value="en"[^>]*>\s*<span lang="en">English</span>', html) is None
    assert "1 " in html


def test_email_addresses_are_not_indexed(client, db_session, author):
    make_thread(
        db_session,
        author,
        "Kontakt",
        "Mejla mig på kalle.kula@example.org om kompost.",
        direct=True,
    )
    assert titles(search(client, "kalle.kula@example.org")) == []
    assert titles(search(client, "example")) == []
    assert titles(search(client, "anna.secret")) == []


def test_filters_and_syntax(client, db_session, author):
    other = make_user(db_session, display_name="Bertil Berg")
    make_thread(db_session, author, "Kompost på gården", "Kompost med maskar.", direct=True)
    make_thread(
        db_session, other, "Compost in the yard", "Compost with worms.", language="en", direct=True
    )
    assert titles(search(client, "kompost author:anna")) == ["Kompost på gården"]
    assert titles(search(client, "compost", language="en")) == ["Compost in the yard"]
    assert titles(search(client, "kompost lang:sv")) == ["Kompost på gården"]
    assert titles(search(client, '"med maskar"')) == ["Kompost på gården"]
    assert titles(search(client, "kompost -maskar")) == []
    assert titles(search(client, "komp*")) == ["Kompost på gården"]
    assert titles(search(client, "kompost theme:does-not-exist")) == []


def test_newest_sort_and_paging(client, db_session, author):
    for n in range(23):
        make_thread(db_session, author, f"Träd nummer {n}", "Plantera träd i staden.", direct=True)
    first = titles(search(client, "träd", sort="newest"))
    assert len(first) == 20 and first[0] == "Träd nummer 22"
    second = titles(search(client, "träd", sort="newest", page="2"))
    assert second == ["Träd nummer 2", "Träd nummer 1", "Träd nummer 0"]


def test_did_you_mean(client, db_session, author):
    make_thread(db_session, author, "Fjärrvärme i Malmö", "Fjärrvärme från avfall.", direct=True)
    html = search(client, "fjärrvärne").get_data(as_text=True)
    assert "search-suggestion" in html and "fjärrvärme" in html


def test_did_you_mean_respells_in_the_language_of_the_other_words(client, db_session, author):
    make_thread(
        db_session, author, "Helt ny kompost på gården", "Komposten är helt ny.", direct=True
    )
    make_thread(
        db_session,
        author,
        "Compost heat in winter",
        "The compost keeps its heat.",
        language="en",
        direct=True,
    )

    def suggestion(q):
        found = re.search(
            r'class="search-suggestion"[^>]*>.*?<a [^>]*>([^<]+)</a>',
            search(client, q).get_data(as_text=True),
            re.S,
        )
        return found.group(1) if found else None

    assert suggestion("compost heet") == "compost heat"
    assert suggestion("kompost hellt") == "kompost helt"


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        "-",
        "*",
        "a" * 5000,
        "\x00\x01\x1b[31m",
        "author:",
        "sdg:abc",
        "((((",
        "NOT AND OR",
        "ü" * 600,
        "kompost\u202e",
    ],
)
def test_hostile_queries_never_error(client, q):
    assert search(client, q).status_code == 200


@pytest.mark.parametrize(
    "args",
    [
        {"page": "-3"},
        {"page": "x"},
        {"page": "99999"},
        {"from": "not-a-date"},
        {"sdg": "99"},
        {"type": "bogus"},
        {"sort": "evil"},
    ],
)
def test_bad_parameters_never_error(client, db_session, author, args):
    make_thread(db_session, author, "Kompost", "Kompost.", direct=True)
    assert client.get("/search", query_string={"q": "kompost", **args}).status_code == 200


def test_outbox_is_retried_after_an_index_failure(app, client, db_session, author, monkeypatch):
    service = get_search_service(app)
    original = service.store.writer

    def broken(**kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(service.store, "writer", broken)
    make_thread(db_session, author, "Biogas från matavfall", "Bussarna kör på biogas.", direct=True)
    pending = db_session.exec(select(SearchOutbox).where(service._pending())).all()
    assert pending and all(row.attempts == 1 for row in pending)
    assert "simulated" in pending[0].last_error
    assert titles(search(client, "biogas")) == []
    monkeypatch.setattr(service.store, "writer", original)
    assert service.apply_pending() == len(pending)
    assert titles(search(client, "biogas")) == ["Biogas från matavfall"]
    assert service.pending_count() == 0


def test_rolled_back_changes_leave_no_outbox_rows(db_session, author):
    before = len(db_session.exec(select(SearchOutbox)).all())
    make_thread(db_session, author, "Ångrad tråd", "Text.", commit=False, direct=True)
    db_session.rollback()
    assert len(db_session.exec(select(SearchOutbox)).all()) == before


def test_date_range_filter_keeps_the_days_asked_for(client, db_session, author):
    from datetime import datetime

    for title, moment in (
        ("Vindkraft 2019", datetime(2019, 6, 1, 23, 30)),
        ("Vindkraft 2021", datetime(2021, 3, 2, 0, 15)),
        ("Vindkraft 2024", datetime(2024, 1, 1, 12, 0)),
    ):
        make_thread(db_session, author, title, "Om vindkraft.", created_at=moment, direct=True)
    assert sorted(
        titles(search(client, "vindkraft", **{"from": "2019-06-01", "to": "2021-03-02"}))
    ) == ["Vindkraft 2019", "Vindkraft 2021"]
    assert titles(search(client, "vindkraft", **{"from": "2021-03-03"})) == ["Vindkraft 2024"]
    assert titles(search(client, "vindkraft", to="2019-05-31")) == []
