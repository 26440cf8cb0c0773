"""Flask extensions, created here and initialised in ``create_app``."""

from __future__ import annotations

from flask import current_app
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
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
