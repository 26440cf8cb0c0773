"""Locale selection and small formatting helpers shared by views and templates."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_timedelta
from flask import current_app, request, session
from flask_babel import force_locale, get_locale, get_timezone
from flask_login import current_user

from .clock import utcnow

# The Babel locale for each interface language: dates, times and numbers in English follow
# British usage (day before month, 24-hour clock), as a forum run from Malmö should.
BABEL_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def babel_locale(language: str) -> str:
    """The Babel locale of a language code (``'en'`` -> ``'en_GB'``); translations are still
    found under the language (gettext falls back from ``en_GB`` to ``en``)."""
    return BABEL_LOCALES.get(language, language)


def supported_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """User setting, then the explicit choice in the session, then Accept-Language, then sv."""
    return babel_locale(_selected_language())


def _selected_language() -> str:
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
    """The interface language, ``'sv'`` or ``'en'`` (never the region of the Babel locale)."""
    locale = get_locale()
    return locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def _locale_code() -> str:
    locale = get_locale()
    return str(locale) if locale else babel_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def in_language(language: str):
    """flask-babel's ``force_locale`` for an interface language (its Babel locale)."""
    return force_locale(babel_locale(language))


def localized(obj, field: str) -> str:
    """``obj.<field>_<lang>`` for the current language, falling back to Swedish."""
    lang = current_language()
    return getattr(obj, f"{field}_{lang}", None) or getattr(obj, f"{field}_sv")


def time_ago(moment: datetime | None) -> str:
    """'för 3 timmar sedan' / '3 hours ago' through Babel, to the minute."""
    if moment is None:
        return ""
    seconds = (moment - utcnow()).total_seconds()
    return _minutes_ago(_locale_code(), round(seconds / 60), seconds > 0)


# Each answer kept costs some 270 bytes and a new one about 10 µs: a thousand cover the moments
# of the pages read within a few minutes, and a worker's memory stops growing once they are kept.
_ANSWERS_KEPT = 1024


@lru_cache(maxsize=_ANSWERS_KEPT)
def _minutes_ago(language: str, minutes: int, future: bool) -> str:
    # Babel's wording depends only on the language and the distance to the minute: pages ask for
    # the same few answers again and again within a minute.
    distance = timedelta(minutes=minutes) or timedelta(seconds=1 if future else -1)
    return format_timedelta(distance, add_direction=True, granularity="minute", locale=language)


def format_datetime(moment: datetime, format: str = "medium") -> str:
    """A naive UTC moment in the reader's language and the forum's time zone (as flask-babel's
    ``format_datetime``), remembered: a thread page shows the same moments on every load."""
    return _formatted(_locale_code(), get_timezone(), moment, format)


@lru_cache(maxsize=_ANSWERS_KEPT)  # a page shows a few dozen moments, every load
def _formatted(language: str, zone, moment: datetime, format: str) -> str:
    return babel_format_datetime(moment, format, tzinfo=zone, locale=language)
