"""Password hashing, the password policy and the signed e-mail tokens."""

from __future__ import annotations

import time

import pytest
from argon2 import PasswordHasher
from itsdangerous import URLSafeTimedSerializer

from forum.accounts import passwords, tokens
from forum.config import Config
from tests.factories import make_user

# --- hashing -----------------------------------------------------------------------------------


def test_hash_is_argon2id_and_verifies(app):
    with app.app_context():
        hashed = passwords.hash_password("a long enough secret")
        assert hashed.startswith("$argon2id$")
        assert passwords.verify_password(hashed, "a long enough secret")
        assert not passwords.verify_password(hashed, "a long enough secreT")


def test_same_password_gives_different_hashes(app):
    with app.app_context():
        assert passwords.hash_password("same password here") != passwords.hash_password(
            "same password here"
        )


@pytest.mark.parametrize("stored", [None, "", "not-a-hash", "$argon2id$v=19$broken"])
def test_missing_or_malformed_hash_never_matches(app, stored):
    with app.app_context():
        assert passwords.verify_password(stored, "anything at all") is False


def test_hashing_costs_come_from_the_config(app):
    with app.app_context():
        assert "m=1024,t=1,p=1" in passwords.hash_password("test costs are cheap")
        app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=2048, ARGON2_PARALLELISM=1)
        stronger = passwords.hash_password("test costs are cheap")
        assert "m=2048,t=2,p=1" in stronger
        app.config.update(ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=1024)
        assert passwords.needs_rehash(stronger)
        assert passwords.verify_password(stronger, "test costs are cheap")


@pytest.mark.parametrize(
    "former", [(3, 65536, 4), (2, 19456, 1)], ids=["argon2-cffi default", "OWASP 19 MiB"]
)
def test_a_hash_with_former_costs_is_upgraded_to_the_forums_costs(app, former):
    time_cost, memory_cost, parallelism = former
    old = PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
    ).hash("an older secret!")
    costs = ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")
    app.config.update({key: getattr(Config, key) for key in costs})
    with app.app_context():
        assert passwords.verify_password(old, "an older secret!")
        assert passwords.needs_rehash(old)
        upgraded = passwords.hash_password("an older secret!")
        assert "m=7168,t=5,p=1" in upgraded
        assert not passwords.needs_rehash(upgraded)


def test_dummy_verification_is_always_false(app):
    with app.app_context():
        assert passwords.verify_dummy("dummy password for unknown accounts") is False


# --- policy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "email", "expected"),
    [
        ("short", None, ["at least 10"]),
        ("123456789", None, ["at least 10"]),
        ("x" * 201, None, ["at most 200"]),
        ("Password123", None, ["too common"]),
        ("QWERTYUIOP", None, ["too common"]),
        ("  lösenord123  ", None, ["too common"]),
        ("Anna.Lind@example.org", "anna.lind@example.org", ["e-mail address"]),
        ("annalindqvist", "annalindqvist@example.org", ["e-mail address"]),
        ("a perfectly fine passphrase", "anna@example.org", []),
        ("ten chars!", None, []),
    ],
)
def test_password_policy(app, password, email, expected):
    with app.test_request_context("/?lang=en"):
        from flask_babel import force_locale

        with force_locale("en"):
            problems = passwords.password_problems(password, email=email)
    assert len(problems) == len(expected)
    for problem, fragment in zip(problems, expected):
        assert fragment in problem


def test_common_password_list_is_shipped_and_lower_case():
    common = passwords.common_passwords()
    assert 100 <= len(common) < 1000
    assert "password123" in common and "lösenord123" in common
    assert all(p == p.lower() and not p.startswith("#") for p in common)


# --- tokens ------------------------------------------------------------------------------------


def test_confirm_token_round_trip(app, db_session):
    user = make_user(db_session, confirmed=False)
    with app.app_context():
        payload = tokens.read_confirm_token(tokens.make_confirm_token(user))
    assert payload == {"u": user.id, "e": user.email, "c": user.email}


def test_email_change_token_carries_the_new_address(app, db_session):
    user = make_user(db_session)
    with app.app_context():
        payload = tokens.read_confirm_token(tokens.make_confirm_token(user, "new@example.org"))
    assert payload["e"] == "new@example.org" and payload["c"] == user.email


def test_tampered_token_is_refused(app, db_session):
    user = make_user(db_session)
    with app.app_context():
        token = tokens.make_confirm_token(user)
        head, _, sig = token.rpartition(".")
        tampered = head + "." + ("A" if sig[0] != "A" else "B") + sig[1:]
        with pytest.raises(tokens.TokenError):
            tokens.read_confirm_token(tampered)
        with pytest.raises(tokens.TokenError):
            tokens.read_confirm_token("not-a-token")


def test_token_of_one_purpose_is_refused_for_another(app, db_session):
    user = make_user(db_session)
    with app.app_context():
        with pytest.raises(tokens.TokenError):
            tokens.read_reset_token(tokens.make_confirm_token(user))
        with pytest.raises(tokens.TokenError):
            tokens.read_confirm_token(tokens.make_reset_token(user))


def test_token_signed_with_another_secret_is_refused(app, db_session):
    user = make_user(db_session)
    forged = URLSafeTimedSerializer("another secret", salt=tokens.RESET).dumps(
        {"u": user.id, "f": "x" * 32}
    )
    with app.app_context(), pytest.raises(tokens.TokenError):
        tokens.read_reset_token(forged)


def test_expired_token_is_reported_as_expired(app, db_session, monkeypatch):
    user = make_user(db_session)
    with app.app_context():
        token = tokens.make_reset_token(user)
        issued = time.time()
        monkeypatch.setattr("itsdangerous.timed.time.time", lambda: issued + 3601)
        with pytest.raises(tokens.TokenExpired):
            tokens.read_reset_token(token)
        monkeypatch.setattr("itsdangerous.timed.time.time", lambda: issued + 3500)
        assert tokens.read_reset_token(token)["u"] == user.id


def test_reset_token_is_bound_to_the_password_hash_and_session(app, db_session):
    user = make_user(db_session)
    with app.app_context():
        payload = tokens.read_reset_token(tokens.make_reset_token(user))
        assert tokens.reset_token_matches(payload, user)
        user.password_hash = passwords.hash_password("a brand new password")
        assert not tokens.reset_token_matches(payload, user)
        fresh = tokens.read_reset_token(tokens.make_reset_token(user))
        user.session_token = "rotated"
        assert not tokens.reset_token_matches(fresh, user)
