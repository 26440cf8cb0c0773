"""Babel's data trimmed to what the forum formats with (forum/locale_data.py): every kind of value
the forum shows reads the same in both languages with the data whole and trimmed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from forum.config import PROJECT_ROOT

# Run in fresh interpreters: this test process has long read (and trimmed) Babel's data.
PROBE = textwrap.dedent(
    """
    import json, sys
    from datetime import datetime, timedelta
    from babel import Locale, core, dates, lists, localedata, numbers
    from forum.i18n import BABEL_LOCALES
    from forum.locale_data import load_trimmed

    trimmed = sys.argv[1] == "trimmed" and load_trimmed(BABEL_LOCALES.values())
    zone = dates.get_timezone("Europe/Stockholm")
    moment = datetime(2026, 3, 29, 0, 30)  # the night the clocks go forward
    patterns = [
        "short", "medium", "long", "full", "EEE d MMM y, HH:mm", "zzzz", "yMd", "HH:mm",
        "d MMMM y, HH:mm", "yyyy-MM-dd HH:mm", "d MMM y, HH:mm",
    ]
    shown = []
    for language, name in BABEL_LOCALES.items():
        for pattern in patterns:
            for hours in (0, 3, 24 * 200):
                at = moment + timedelta(hours=hours)
                shown.append(dates.format_datetime(at, pattern, tzinfo=zone, locale=name))
        for pattern in ("short", "medium", "long", "full"):
            shown.append(dates.format_date(moment, pattern, locale=name))
            shown.append(dates.format_time(moment, pattern, tzinfo=zone, locale=name))
        for minutes in (-1, -2, -59, -60, -61, -1440, -2880, -43200, -600000, 1, 90, 2880):
            for locale in (name, language):
                shown.append(dates.format_timedelta(
                    timedelta(minutes=minutes), add_direction=True, granularity="minute",
                    locale=locale,
                ))
        for value in (0, 1, 1234.5678, 1234567, 0.25):
            shown.append(numbers.format_decimal(value, locale=name))
            shown.append(numbers.format_decimal(value, format="#,##0.###", locale=name))
        days = dates.get_day_names("wide", locale=name)
        for count in (1, 2, 3, 7):
            shown.append(lists.format_list([days[n] for n in range(count)], locale=name))
        shown.append(str(Locale.parse(name)))
    print(json.dumps({
        "trimmed": bool(trimmed),
        "shown": shown,
        "languages": "languages" in localedata.load("sv_SE"),
        "likely": "likely_subtags" in core._global_data,
    }))
    """
)


def _shown(mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_trimmed_data_formats_every_value_as_the_whole_data():
    whole, trimmed = _shown("whole"), _shown("trimmed")
    assert not whole["trimmed"] and whole["languages"] and whole["likely"]
    assert trimmed["trimmed"] and not trimmed["languages"] and not trimmed["likely"]
    assert len(whole["shown"]) == 160
    assert trimmed["shown"] == whole["shown"]
