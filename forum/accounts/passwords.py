"""Password hashing (argon2id through argon2-cffi) and the password policy.

The policy: at least ``MIN_LENGTH`` characters, at most ``MAX_LENGTH``, not one of the common
passwords shipped in ``forum/data/common_passwords.txt``, and not the account's e-mail address
(nor its local part). Hashing costs come from the app config (``ARGON2_*``); a hash made with
other costs still verifies and is upgraded at the next login (``needs_rehash``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from ..config import Config

MIN_LENGTH = 10
MAX_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"

TOO_SHORT = _l("The password must be at least %(min)d characters long.", min=MIN_LENGTH)
TOO_LONG = _l("The password can be at most %(max)d characters long.", max=MAX_LENGTH)
TOO_COMMON = _l("This password is too common. Choose one that is harder to guess.")
SAME_AS_EMAIL = _l("The password must not be your e-mail address.")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased; lines starting with ``#`` are comments."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, *, email: str | None = None) -> list[str]:
    """The policy's objections to ``password`` (translated strings); empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(str(TOO_SHORT))
    elif len(password) > MAX_LENGTH:
        problems.append(str(TOO_LONG))
    lowered = password.strip().lower()
    if lowered in common_passwords():
        problems.append(str(TOO_COMMON))
    if email:
        email = email.strip().lower()
        if lowered in {email, email.partition("@")[0]}:
            problems.append(str(SAME_AS_EMAIL))
    return problems


@lru_cache(maxsize=8)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hasher() -> PasswordHasher:
    """The hasher configured for the current app (the default settings' outside an app)."""
    config = current_app.config if has_app_context() else {}
    return _hasher_for(
        int(config.get("ARGON2_TIME_COST", Config.ARGON2_TIME_COST)),
        int(config.get("ARGON2_MEMORY_COST", Config.ARGON2_MEMORY_COST)),
        int(config.get("ARGON2_PARALLELISM", Config.ARGON2_PARALLELISM)),
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing or malformed hash never matches."""
    if not password_hash:
        return False
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher_for(time_cost, memory_cost, parallelism).hash(
        "dummy password for unknown accounts"
    )


def verify_dummy(password: str) -> bool:
    """Spend the time of a real verification when the account does not exist (always False)."""
    h = hasher()
    verify_password(_dummy_hash(h.time_cost, h.memory_cost, h.parallelism), password)
    return False
