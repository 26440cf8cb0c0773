"""Babel's CLDR data, read at start-up and kept to the parts the forum formats with.

At its first use Babel reads a locale's whole CLDR data, names of every language, territory,
currency and unit in that language included, and a global table with, among others, the likely
subtags of every language in the world. For Swedish and English that is about 6 MiB in every
process; the forum's dates, times, time zones, durations, numbers and lists need under half of
it. ``load_trimmed`` reads the forum's locales once, before any request (so the room the
dropped parts leave is filled by what the process allocates next, not kept empty), and drops
the parts no format the forum uses reads.

The data is Babel's: the tables are dropped from Babel's own caches (``localedata._cache`` and
``core._global_data``), which every ``Locale`` of the process reads. Should Babel keep them
elsewhere one day, nothing is dropped: that costs memory, never a wrong format. A test formats
every kind of value the forum shows in both languages with and without trimming and compares.
Code that needs a dropped table (a language's name in another language, say) must take it off
the lists below.
"""

from __future__ import annotations

from collections.abc import Iterable

# Per locale: display names and currency and unit wording the forum never shows.
UNUSED_LOCALE_TABLES = (
    "languages",
    "territories",
    "scripts",
    "variants",
    "currency_names",
    "currency_names_plural",
    "currency_symbols",
    "currency_unit_patterns",
    "compact_currency_formats",
    "compact_decimal_formats",
    "unit_display_names",
    "compound_unit_patterns",
    "measurement_systems",
    "character_order",
)
# Of the unit patterns, Babel's durations ("3 timmar") are kept for ``format_timedelta``;
# lengths, masses and the other units are not used.
KEPT_UNIT_PREFIX = "duration-"
# Global: guessing a locale from a bare language (the forum names its two locales in full),
# the languages and currencies of each territory, Windows time-zone names.
UNUSED_GLOBAL_TABLES = (
    "likely_subtags",
    "territory_languages",
    "territory_currencies",
    "all_currencies",
    "currency_fractions",
    "windows_zone_mapping",
)


def load_trimmed(locales: Iterable[str]) -> bool:
    """Read ``locales`` (and their parents) and trim what Babel keeps of them; False when
    Babel's caches are not where this expects them (the data is then left whole)."""
    from babel import Locale, core, localedata

    for name in locales:
        Locale.parse(name)._data  # noqa: B018  (reads the locale and its parents)
    core.get_global("parent_exceptions")
    cached, global_data = getattr(localedata, "_cache", None), getattr(core, "_global_data", None)
    if not isinstance(cached, dict) or not isinstance(global_data, dict):
        return False
    for data in cached.values():
        for table in UNUSED_LOCALE_TABLES:
            data.pop(table, None)
        units = data.get("unit_patterns")
        if isinstance(units, dict):
            data["unit_patterns"] = {
                k: v for k, v in units.items() if k.startswith(KEPT_UNIT_PREFIX)
            }
    for table in UNUSED_GLOBAL_TABLES:
        global_data.pop(table, None)
    return True
