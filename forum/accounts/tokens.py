"""Signed, expiring tokens for e-mail links (itsdangerous).

* Confirmation tokens carry the user id, the address to confirm and the address the account had
  when the link was made: once the account's address changes (or a change is confirmed) the old
  links stop working. Registration links confirm ``user.email`` itself; e-mail-change links carry
  the new address, which is only written to the account when the link is opened.
* Reset tokens carry a fingerprint of the current password hash and session token, so a link
  works once: setting the new password changes both and every earlier link becomes invalid.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM = "accounts.confirm-email"
RESET = "accounts.reset-password"


class TokenError(Exception):
    """A token that cannot be used: tampered, for something else, or no longer valid."""


class TokenExpired(TokenError):
    """A correctly signed token that is older than its lifetime."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, *, max_age: int) -> dict:
    """The payload of a valid token; raises ``TokenExpired`` or ``TokenError``."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenExpired(str(exc)) from exc
    except BadSignature as exc:
        raise TokenError(str(exc)) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise TokenError("malformed payload")
    return payload


def account_fingerprint(password_hash: str | None, session_token: str) -> str:
    """A short keyed digest of the credentials state; changes whenever either changes."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"{password_hash or ''}|{session_token}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def make_confirm_token(user, email: str | None = None) -> str:
    """A link confirming ``email`` (default: the account's own address) for ``user``."""
    return make_token(CONFIRM, {"u": user.id, "e": email or user.email, "c": user.email})


def make_reset_token(user) -> str:
    return make_token(
        RESET, {"u": user.id, "f": account_fingerprint(user.password_hash, user.session_token)}
    )


def read_confirm_token(token: str) -> dict:
    payload = read_token(CONFIRM, token, max_age=int(current_app.config["CONFIRM_TOKEN_MAX_AGE"]))
    if not isinstance(payload.get("e"), str) or not isinstance(payload.get("c"), str):
        raise TokenError("malformed payload")
    return payload


def read_reset_token(token: str) -> dict:
    payload = read_token(RESET, token, max_age=int(current_app.config["RESET_TOKEN_MAX_AGE"]))
    if not isinstance(payload.get("f"), str):
        raise TokenError("malformed payload")
    return payload


def reset_token_matches(payload: dict, user) -> bool:
    expected = account_fingerprint(user.password_hash, user.session_token)
    return hmac.compare_digest(payload["f"], expected)
