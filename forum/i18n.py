"""Locale selection and small formatting helpers shared by views and templates."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_timedelta
from flask import current_app, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from .clock import utcnow


def supported_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """User setting, then the explicit choice in the session, then Accept-Language, then sv."""
    languages = supported_languages()
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages and getattr(current_user, "is_authenticated", False):
        return user_locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def remember_language_choice() -> None:
    """``?lang=xx`` on any URL stores the choice; an unsupported value is ignored quietly."""
    wanted = request.args.get("lang")
    if wanted and wanted in supported_languages():
        session["lang"] = wanted


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def localized(obj, field: str) -> str:
    """``obj.<field>_<lang>`` for the current language, falling back to Swedish."""
    lang = current_language()
    return getattr(obj, f"{field}_{lang}", None) or getattr(obj, f"{field}_sv")


def time_ago(moment: datetime | None) -> str:
    """'för 3 timmar sedan' / '3 hours ago' through Babel, to the minute."""
    if moment is None:
        return ""
    seconds = (moment - utcnow()).total_seconds()
    return _minutes_ago(current_language(), round(seconds / 60), seconds > 0)


@lru_cache(maxsize=8192)
def _minutes_ago(language: str, minutes: int, future: bool) -> str:
    # Babel's wording depends only on the language and the distance to the minute: pages ask for
    # the same few answers again and again, and Babel's plural rules are slow to evaluate.
    distance = timedelta(minutes=minutes) or timedelta(seconds=1 if future else -1)
    return format_timedelta(distance, add_direction=True, granularity="minute", locale=language)


def format_datetime(moment: datetime, format: str = "medium") -> str:
    """A naive UTC moment in the reader's language and the forum's time zone (as flask-babel's
    ``format_datetime``), remembered: a thread page shows the same moments on every load."""
    return _formatted(current_language(), get_timezone(), moment, format)


@lru_cache(maxsize=16384)
def _formatted(language: str, zone, moment: datetime, format: str) -> str:
    return babel_format_datetime(moment, format, tzinfo=zone, locale=language)
