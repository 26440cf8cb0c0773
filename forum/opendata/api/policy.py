"""What every answer of the API shares: every answer is public and the same for everyone (in
the reader's language), so it carries an ``ETag`` (and a 304 for a current copy) and
``Access-Control-Allow-Origin: *``; each address may ask only so often (``RATELIMIT_API``,
counted in the rate limiter's storage, shared by every worker, like every limit)."""

from __future__ import annotations

import math
import time

from flask import Blueprint, current_app, request
from flask_cors import CORS
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from ...extensions import limiter


def _conditional(response: Response) -> Response:
    """``no-cache``: caches may keep an answer but must ask again, so a hidden post leaves the
    API at once. The ETag is a digest of the answer itself, so it cannot call a stale answer
    current."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.cache_control.public = True
        response.cache_control.no_cache = True
        response.vary.add("Accept-Language")
        response.add_etag()
        return response.make_conditional(request)
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
    bp.after_request(_conditional)
    CORS(
        bp,
        origins="*",
        send_wildcard=True,
        methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=["ETag", "Link", "Retry-After"],
        max_age=86400,
    )
