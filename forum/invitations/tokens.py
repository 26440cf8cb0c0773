"""The signed links of the invitation list (itsdangerous).

* A sign-up link carries the address and the language chosen, and expires
  (``INVITATIONS_CONFIRM_TOKEN_MAX_AGE``): until it is opened nothing is stored.
* An unsubscribe link names the subscriber row and a keyed digest of its address, and never
  expires (RFC 8058: it must work from any old mail). The digest keeps a link from removing a
  later subscriber who happens to get the same row id; the address itself is not in the link.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

SIGNUP = "invitations.signup"
UNSUBSCRIBE = "invitations.unsubscribe"


class TokenError(Exception):
    """A link that cannot be used: tampered with or made for something else."""


class TokenExpired(TokenError):
    """A correctly signed sign-up link older than its lifetime."""


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def make_signup_token(email: str, locale: str) -> str:
    return URLSafeTimedSerializer(_secret(), salt=SIGNUP).dumps({"e": email, "l": locale})


def read_signup_token(token: str) -> tuple[str, str]:
    """The address and language of a valid sign-up link."""
    max_age = int(current_app.config["INVITATIONS_CONFIRM_TOKEN_MAX_AGE"])
    try:
        payload = URLSafeTimedSerializer(_secret(), salt=SIGNUP).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenExpired(str(exc)) from exc
    except BadSignature as exc:
        raise TokenError(str(exc)) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        raise TokenError("malformed payload")
    locale = payload.get("l") if payload.get("l") in current_app.config["LANGUAGES"] else "sv"
    return payload["e"], locale


def address_digest(email: str) -> str:
    return hmac.new(_secret().encode(), email.encode(), hashlib.sha256).hexdigest()[:16]


def make_unsubscribe_token(subscriber) -> str:
    payload = {"s": subscriber.id, "d": address_digest(subscriber.email)}
    return URLSafeSerializer(_secret(), salt=UNSUBSCRIBE).dumps(payload)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The subscriber id and address digest a link names."""
    try:
        payload = URLSafeSerializer(_secret(), salt=UNSUBSCRIBE).loads(token)
    except BadSignature as exc:
        raise TokenError(str(exc)) from exc
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("s"), int)
        or not isinstance(payload.get("d"), str)
    ):
        raise TokenError("malformed payload")
    return payload["s"], payload["d"]
