"""What every answer of the API shares: every answer is public and the same for everyone (in
the reader's language), so it carries an ``ETag`` (and a 304 for a current copy, given before any
JSON is written) and ``Access-Control-Allow-Origin: *``; each address may ask only so often
(``RATELIMIT_API``, counted in the rate limiter's storage, shared by every worker, like every
limit)."""

from __future__ import annotations

import hashlib
import math
import time

from flask import Blueprint, current_app, request
from flask_cors import CORS
from flask_limiter.util import get_remote_address
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response

from ...extensions import limiter
from ...i18n import current_language


def payload_tag(payload) -> str:
    """The ``ETag`` of an answer whose JSON is ``payload``: the JSON is a pure function of it
    (plain dicts, lists, strings, numbers, booleans and None, each of whose ``repr`` names its
    whole value), so two answers that differ in any byte have different tags, whatever changed:
    a hidden post, an edit, a renamed author, a new row or the next page's cursor."""
    return hashlib.sha256(repr((current_language(), payload)).encode()).hexdigest()[:32]


def json_answer(payload) -> Response:
    """``payload`` as JSON, or a 304 without writing it when the reader's ``If-None-Match``
    names it. ``no-cache``: caches may keep an answer but must ask again, so a hidden post leaves
    the API at once."""
    etag = payload_tag(payload)
    if is_resource_modified(request.environ, etag=etag):
        response = current_app.json.response(payload)
    else:
        response = Response(status=304)
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.vary.add("Accept-Language")
    return response


def _retry_after(response: Response) -> Response:
    if response.status_code == 429 and limiter.current_limit is not None:
        wait = limiter.current_limit.reset_at - time.time()
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def apply_policies(bp: Blueprint) -> None:
    """Once, when the blueprint is made (a blueprint takes no setup once registered)."""
    # one budget for the whole API, not one per address of it
    limiter.shared_limit(
        lambda: current_app.config["RATELIMIT_API"],
        key_func=get_remote_address,
        scope="api",
        methods=["GET", "HEAD"],
    )(bp)
    bp.after_request(_retry_after)
    CORS(
        bp,
        origins="*",
        send_wildcard=True,
        methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=["ETag", "Link", "Retry-After"],
        max_age=86400,
    )
