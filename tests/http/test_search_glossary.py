"""/admin/glossary (admins only) and query expansion through the glossary."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from forum.search.glossary import SEED_GROUPS, seed_glossary
from forum.search.models import GlossaryGroup, GlossaryTerm
from tests.factories import login_as, make_thread, make_user


def titles(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a>', response.get_data(as_text=True))


@pytest.mark.parametrize(
    "role, status", [(None, 403), ("member", 403), ("moderator", 403), ("admin", 200)]
)
def test_glossary_page_is_for_admins(client, db_session, role, status):
    if role:
        login_as(client, make_user(db_session, role=role))
    assert client.get("/admin/glossary").status_code == status
    if status == 403:
        assert client.post("/admin/glossary", data={"terms": "a\nb"}).status_code == 403


def test_admin_creates_edits_and_deletes_a_group(client, db_session):
    login_as(client, make_user(db_session, role="admin"))
    response = client.post(
        "/admin/glossary", data={"note": "Gröna tak", "terms": "sv: gröna tak\nen: green roof"}
    )
    assert response.status_code == 303
    group = db_session.exec(select(GlossaryGroup).where(GlossaryGroup.note == "Gröna tak")).one()
    terms = db_session.exec(select(GlossaryTerm).where(GlossaryTerm.group_id == group.id)).all()
    assert {(t.language, t.term) for t in terms} == {("sv", "gröna tak"), ("en", "green roof")}
    page = client.get(f"/admin/glossary/{group.id}/edit").get_data(as_text=True)
    assert "en: green roof" in page
    client.post(
        f"/admin/glossary/{group.id}/edit",
        data={"note": "Tak", "terms": "sedumtak\ngreen roof\ngröna tak"},
    )
    db_session.expire_all()
    assert (
        len(db_session.exec(select(GlossaryTerm).where(GlossaryTerm.group_id == group.id)).all())
        == 3
    )
    assert client.post(f"/admin/glossary/{group.id}/delete").status_code == 303
    db_session.expunge_all()
    assert db_session.get(GlossaryGroup, group.id) is None


def test_a_group_needs_two_terms_and_the_form_comes_back_filled(client, db_session):
    login_as(client, make_user(db_session, role="admin"))
    response = client.post("/admin/glossary", data={"note": "Ensam", "terms": "bara en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "bara en" in html and "Ensam" in html
    fragment = client.post("/admin/glossary", data={"terms": "x"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and "<html" not in fragment.get_data(as_text=True)


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("sv: gröna tak\nde: Gründach", "“de:” is not a language the glossary knows"),
        ("gröna tak\n" + "sedum " * 50, "A term can have at most 80 characters."),
    ],
)
def test_unknown_prefixes_and_long_terms_are_refused(client, db_session, terms, message):
    login_as(client, make_user(db_session, role="admin", locale="en"))
    response = client.post("/admin/glossary", data={"note": "Tak", "terms": terms})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "gröna tak" in html
    assert db_session.exec(select(GlossaryGroup).where(GlossaryGroup.note == "Tak")).all() == []


def test_a_colon_inside_a_term_is_not_a_prefix(client, db_session):
    login_as(client, make_user(db_session, role="admin"))
    response = client.post(
        "/admin/glossary", data={"note": "Mål", "terms": "agenda 2030: mål 11\nsdg 11"}
    )
    assert response.status_code == 303


def test_seed_has_about_forty_groups_and_is_idempotent(db_session):
    assert len(SEED_GROUPS) >= 40
    assert seed_glossary(db_session) == len(SEED_GROUPS)
    assert seed_glossary(db_session) == 0


def test_query_expands_across_languages_with_original_terms_first(client, db_session):
    seed_glossary(db_session)
    db_session.commit()
    author = make_user(db_session)
    make_thread(
        db_session,
        author,
        "Stormwater ponds",
        "Stormwater ponds in parks store the rain.",
        language="en",
        direct=True,
    )
    make_thread(
        db_session, author, "Dagvatten i parker", "Dagvatten samlas i dammar i parken.", direct=True
    )
    assert titles(client.get("/search?q=dagvatten")) == ["Dagvatten i parker", "Stormwater ponds"]
    assert titles(client.get("/search?q=stormwater")) == ["Stormwater ponds", "Dagvatten i parker"]
    make_thread(
        db_session,
        author,
        "Net zero by 2030",
        "The city aims for net zero.",
        language="en",
        direct=True,
    )
    assert "Net zero by 2030" in titles(client.get("/search?q=klimatneutral"))
