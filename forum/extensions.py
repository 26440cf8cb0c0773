"""Flask extensions, created here and initialised in ``create_app``."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

babel = Babel()
htmx = HTMX()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _limits_switched_off() -> bool:
    """Rate limits are on or off per application (RATELIMIT_ENABLED), not per process."""
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def user_or_address() -> str:
    """Signed-in users are limited one by one, anonymous visitors by address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


class CreationLimit:
    """A per-user limit on POSTs that counts only the requests that really created something.

    A preview, an added form row or a form sent back with errors costs nothing: the view (or a
    receiver of the service's event) calls ``mark_created`` once the thing exists. ``shared``
    gives the decorated views one budget instead of one each.
    """

    def __init__(self, limit: Callable[[], str], *, scope: str, shared: bool = False) -> None:
        self.scope = scope
        make = limiter.shared_limit if shared else limiter.limit
        self._decorator = make(
            limit,
            scope=scope,
            key_func=user_or_address,
            methods=["POST"],
            deduct_when=lambda _response: scope in g.get("created_under_limits", ()),
        )

    def __call__(self, view):
        return self._decorator(view)

    def mark_created(self) -> None:
        g.setdefault("created_under_limits", set()).add(self.scope)
