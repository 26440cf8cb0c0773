"""The security headers of every answer (flask-talisman) and ``Cache-Control`` on private ones.

The policy allows only the forum's own scripts, styles, fonts and media: no inline script or
style, no ``eval`` (htmx is configured in base.html to need neither), no framing by any site.
Pictures in posts may come from any HTTPS address (forum/markup.py allows only those).

The policy carries no per-request nonce on purpose: the page of an anonymous reader is the same
bytes on every load, so conditional GET (``conditional.py``) can answer 304.
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context, request, session
from flask.wrappers import Response as FlaskResponse
from flask_login import current_user
from flask_talisman import Talisman
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' https: data:",
    "media-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFERRER_POLICY = "strict-origin-when-cross-origin"
PRIVATE = "private, no-store"
# Per-member areas: never stored by a browser or a proxy, whoever asks (even the redirect to the
# login page says nothing worth keeping).
PRIVATE_PREFIXES = ("/settings", "/notices", "/mod/", "/admin/")


class ForumResponse(FlaskResponse):
    """Over HTTPS every cookie is ``Secure``, whoever sets it (the session, flask-login's
    remember-me cookie and its deletion, any extension's): one place instead of one setting
    each."""

    def set_cookie(self, key: str, value: str = "", *args, **kwargs) -> None:
        if has_app_context() and current_app.config.get("HTTPS"):
            kwargs["secure"] = True
        super().set_cookie(key, value, *args, **kwargs)


def _files_policy(response: Response) -> Response:
    """A PDF opened in the tab is shown by Chromium's viewer, an embedded plugin that
    ``object-src 'none'`` would refuse: files of that type get the policy with that one change.
    (Registered before Talisman, so it runs after it.)"""
    if response.mimetype == "application/pdf" and "Content-Security-Policy" in response.headers:
        policy = {**CONTENT_SECURITY_POLICY, "object-src": "'self'"}
        response.headers["Content-Security-Policy"] = "; ".join(
            f"{name} {value}" for name, value in policy.items()
        )
    return response


PUBLIC_FILE = "forum_public_file"  # a view attribute: its answers are the same for everyone


def public_file(view):
    """A view that answers a file, the same for every reader (a member's picture): its own
    ``Cache-Control`` stands, as a static file's does, whoever asks."""
    setattr(view, PUBLIC_FILE, True)
    return view


def _private_cache_control(response: Response) -> Response:
    """A page made for one member (their name, CSRF token, notices), or any answer in a private
    area, is kept by nobody: not by a shared cache, not in the browser's history on a shared
    computer. Static files stay cacheable."""
    if request.endpoint == "static" or getattr(
        current_app.view_functions.get(request.endpoint), PUBLIC_FILE, False
    ):
        return response
    if (
        getattr(current_user, "is_authenticated", False)
        or session.modified
        or request.path.startswith(PRIVATE_PREFIXES)
    ):
        response.headers["Cache-Control"] = PRIVATE
    return response


def init_security_headers(app: Flask) -> None:
    """One Talisman per application: it keeps its options, and the app, on itself."""
    https = bool(app.config.get("HTTPS"))
    app.response_class = ForumResponse
    app.after_request(_files_policy)
    app.extensions["talisman"] = Talisman(
        app,
        # the proxy in front ends TLS and redirects plain HTTP; a redirect here would also send
        # a local health check (http://127.0.0.1/healthz) away
        force_https=False,
        frame_options="DENY",
        strict_transport_security=https,
        strict_transport_security_max_age=int(app.config["HSTS_MAX_AGE"]),
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy=REFERRER_POLICY,
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE")),
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        session_cookie_http_only=True,
    )
    app.after_request(_private_cache_control)
