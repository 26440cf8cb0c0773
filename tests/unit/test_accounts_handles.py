"""Handles: derived from the name (folded to ASCII), unique whatever the case, reserved words
refused, a number on collisions; changed once."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from forum.accounts import handles, service
from forum.accounts.handles import (
    HandleAlreadyChanged,
    HandleError,
    HandleTaken,
    allocate,
    available_handle,
    change_handle,
    derive,
    is_valid,
    pick,
)
from forum.accounts.models import User
from tests.factories import make_user


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Anna Andersson", "anna_andersson"),
        ("Åsa Öberg-Ek", "asa_oberg_ek"),
        ("Ängel Ärlig", "angel_arlig"),
        ("José Müller", "jose_muller"),
        ("Straße", "strasse"),
        ("O'Brien  &  Co", "o_brien_co"),
        ("李小龙", "li_xiao_long"),
        ("  ", "member"),
        ("🌱🌱", "member"),
        ("Maximilian Alexander von Württemberg-Hohenzollern", "maximilian_alexander_von_wurtt"),
    ],
)
def test_derived_from_the_name(name, handle):
    assert derive(name) == handle


@pytest.mark.parametrize(
    ("base", "taken", "handle"),
    [
        ("anna", set(), "anna"),
        ("anna", {"anna"}, "anna2"),
        ("anna", {"anna", "anna2", "anna3"}, "anna4"),
        ("li", set(), "li2"),  # too short alone
        ("x", set(), "x10"),
        ("admin", set(), "admin2"),  # reserved
        ("a" * 30, {"a" * 30}, "a" * 29 + "2"),
        ("abc_" + "d" * 25 + "e", {"abc_" + "d" * 25 + "e"}, "abc_" + "d" * 25 + "2"),
        ("a" * 28 + "_b", {"a" * 28 + "_b"}, "a" * 28 + "2"),  # no "_" before the number
    ],
)
def test_collisions_get_a_number(base, taken, handle):
    assert pick(base, taken) == handle
    assert is_valid(handle)


@pytest.mark.parametrize(
    "handle",
    ["ab", "a" * 31, "-anna", "anna-", "an__na", "an-_na", "anna.b", "anna b", "Anna", "åsa", ""],
)
def test_invalid_handles(handle):
    assert not is_valid(handle)


@pytest.mark.parametrize("word", ["admin", "moderator", "notifications", "all", "here"])
def test_reserved_words(word):
    assert word in handles.RESERVED
    assert not is_valid(word)


def test_registration_derives_a_free_handle(db_session):
    first = service.create_user(
        session=db_session,
        display_name="Anna Andersson",
        email="anna1@example.org",
        password="ett långt lösenord för anna",
    )
    second = service.create_user(
        session=db_session,
        display_name="Anna  Andersson",
        email="anna2@example.org",
        password="ett långt lösenord för anna",
    )
    assert (first.handle, second.handle) == ("anna_andersson", "anna_andersson2")
    assert available_handle(db_session, "ANNA ANDERSSON") == "anna_andersson3"


def test_underscores_in_the_stem_are_not_wildcards(db_session):
    make_user(db_session, display_name="X", handle="annaxandersson")
    assert available_handle(db_session, "Anna Andersson") == "anna_andersson"


def test_allocate_gives_distinct_handles_in_one_go(db_session):
    make_user(db_session, display_name="Bo", handle="bo2")
    assert allocate(db_session, ["Bo", "Bo", "bo", "Åsa"]) == ["bo3", "bo4", "bo5", "asa"]


def test_the_database_refuses_a_handle_twice_or_in_capitals(db_session):
    make_user(db_session, handle="samma")
    db_session.add(User(display_name="X", handle="samma", session_token="t"))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()
    db_session.add(User(display_name="X", handle="Versaler", session_token="t"))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_a_handle_is_changed_once(db_session, ctx):
    user = make_user(db_session, display_name="Grace Okafor")
    assert user.handle == "grace_okafor"
    change_handle(session=db_session, actor=user, handle=" @Grace ")
    assert user.handle == "grace" and user.handle_changed_at is not None
    with pytest.raises(HandleAlreadyChanged):
        change_handle(session=db_session, actor=user, handle="grace_o")
    assert user.handle == "grace"


@pytest.mark.parametrize("wanted", ["admin", "a", "bad handle", "-x-"])
def test_a_change_follows_the_rules(db_session, ctx, wanted):
    user = make_user(db_session)
    with pytest.raises(HandleError) as refused:
        change_handle(session=db_session, actor=user, handle=wanted)
    assert refused.value.field == "handle"
    assert user.handle_changed_at is None


def test_a_change_to_a_taken_handle_is_refused_whatever_the_case(db_session, ctx):
    make_user(db_session, handle="upptagen")
    user = make_user(db_session)
    with pytest.raises(HandleTaken):
        change_handle(session=db_session, actor=user, handle="UppTagen")


def test_a_deleted_account_loses_its_handle(db_session, ctx):
    from forum.accounts import privacy
    from tests.factories import DEFAULT_PASSWORD

    user = make_user(db_session, display_name="Lämnar Snart")
    privacy.delete_account(session=db_session, actor=user, password=DEFAULT_PASSWORD)
    assert user.handle is None
    assert available_handle(db_session, "Lämnar Snart") == "lamnar_snart"
