"""Recurrence rules (RFC 5545 RRULE) read with python-dateutil, in Swedish wall-clock time.

A rule is expanded in *local* time (``12:00`` stays ``12:00`` across the changes to and from
summer time) and each occurrence is then converted to UTC. A local time the clocks skip (the
spring-forward hour) or pass twice (the autumn hour) is refused on a single event's form, but a
rule may land there on one date among many: such an occurrence follows RFC 5545 (3.3.5), as
calendar programs do, so the feed and the forum agree. A skipped time is read with the offset
before the gap (02:30 becomes 03:30 summer time); a repeated one is its first pass.

What a rule may be: one RRULE (``FREQ=...;...``, an ``RRULE:`` prefix is allowed) with FREQ
DAILY, WEEKLY, MONTHLY or YEARLY; at most ``MAX_OCCURRENCES`` occurrences in its first
``SPAN_YEARS`` years; UNTIL as a date (that whole day), a local date-time, or UTC (``...Z``).
Expansion is bounded by a date; see ``check_dates`` for the rule no date satisfies.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice

from babel.dates import get_day_names
from babel.lists import format_list
from dateutil.rrule import rrulestr
from flask_babel import format_date, get_locale, ngettext
from flask_babel import lazy_gettext as _l

from ..domain import InvalidInput
from ..web.inputs import whole_number
from .service import LOCAL_ZONE, to_utc

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST", "UNTIL", "COUNT"}
READ_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError)
CHECK_SECONDS = 2.0
MAX_OCCURRENCES = 500
SPAN_YEARS = 5
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {
    1: _l("first"),
    2: _l("second"),
    3: _l("third"),
    4: _l("fourth"),
    5: _l("fifth"),
    -1: _l("last"),
}


@dataclass(frozen=True)
class Rule:
    text: str  # as stored: upper case, without "RRULE:"
    parts: dict[str, str]
    until: datetime | None  # local wall-clock, inclusive
    count: int | None


def _refuse(message) -> InvalidInput:
    return InvalidInput(message, field="rule")


def _until(value: str) -> datetime:
    if len(value) == 8:  # a date: that whole day counts (RFC 5545: UNTIL is inclusive)
        return datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
    if value.endswith("Z"):
        moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)
    return datetime.strptime(value, "%Y%m%dT%H%M%S")


def parse_rule(text: str) -> Rule:
    """The rule ``text`` checked (not yet against its dates: see ``check_dates``)."""
    text = " ".join((text or "").split()).upper().removeprefix("RRULE:").strip().strip(";")
    if not text:
        raise _refuse(_l("Write a recurrence rule, e.g. FREQ=MONTHLY;BYDAY=2FR."))
    if len(text) > 300 or " " in text:
        raise _refuse(_l("Write one rule on one line, e.g. FREQ=MONTHLY;BYDAY=2FR."))
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        name, equals, value = piece.partition("=")
        if not equals or not name or not value or name in parts:
            raise _refuse(_l("This rule cannot be read: write NAME=VALUE pairs separated by ;."))
        parts[name] = value
    if "FREQ" not in parts:
        raise _refuse(_l("The rule needs a FREQ, e.g. FREQ=MONTHLY or FREQ=WEEKLY."))
    if parts["FREQ"] not in FREQUENCIES:
        raise _refuse(
            _l(
                "A series repeats daily, weekly, monthly or yearly (FREQ=%(freq)s is not allowed).",
                freq=parts["FREQ"][:20],
            )
        )
    if "UNTIL" in parts and "COUNT" in parts:
        raise _refuse(_l("Give either an end date (UNTIL) or a number of times (COUNT), not both."))
    if set(parts) - PARTS:
        raise _refuse(
            _l("A series rule may use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, WKST, "
               "UNTIL and COUNT.")
        )  # fmt: skip
    try:
        until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
        count = int(parts["COUNT"]) if "COUNT" in parts else None
        rrulestr(_core(parts), dtstart=datetime(2000, 1, 1))  # some mistakes show only later
    except READ_ERRORS:
        raise _unreadable() from None
    if count is not None and not 1 <= count <= MAX_OCCURRENCES:
        raise _refuse(_too_many())
    return Rule(text, parts, until, count)


def _unreadable() -> InvalidInput:
    return _refuse(_l("This rule cannot be read. Check its parts, e.g. FREQ=MONTHLY;BYDAY=2FR."))


def _too_many():
    return _l(
        "A series has at most %(max)d occurrences in its first %(years)d years; give the rule "
        "an end (UNTIL or COUNT) or make it less frequent.",
        max=MAX_OCCURRENCES,
        years=SPAN_YEARS,
    )


def _core(parts: dict[str, str]) -> str:
    """The rule without its end, which ``local_starts`` replaces with a bound of its own."""
    return ";".join(f"{k}={v}" for k, v in parts.items() if k not in ("UNTIL", "COUNT"))


def local_starts(rule: Rule, first: datetime, *, up_to: datetime) -> list[datetime]:
    """The local wall-clock starts of ``rule`` from ``first`` (itself only if the rule gives
    it) up to ``up_to``, in order, at most COUNT of them counted from ``first``."""
    bound = min(up_to, rule.until or up_to, first + timedelta(days=366 * SPAN_YEARS))
    if bound < first:
        return []
    expanded = rrulestr(
        f"{_core(rule.parts)};UNTIL={bound.strftime('%Y%m%dT%H%M%S')}", dtstart=first
    )
    limit = rule.count if rule.count is not None else MAX_OCCURRENCES + 1
    return list(islice(iter(expanded), limit))


def check_dates(rule: Rule, first: datetime) -> list[datetime]:
    """Refuse a rule that gives no date or too many; its local starts in the first years.

    dateutil compares UNTIL only with dates it found: for a rule no date satisfies (30 February)
    it walks on to the year 9999, for seconds. The walk runs in a thread the request stops
    waiting for after ``CHECK_SECONDS`` (it ends by itself at 9999); such a rule is refused as
    giving no date, which is what it does."""
    found: dict = {}

    def expand() -> None:
        try:
            found["starts"] = local_starts(
                rule, first, up_to=first + timedelta(days=366 * SPAN_YEARS)
            )
        except READ_ERRORS:
            found["unreadable"] = True

    walk = threading.Thread(target=expand, name="rrule-check", daemon=True)
    walk.start()
    walk.join(CHECK_SECONDS)
    if found.get("unreadable"):
        raise _unreadable()
    starts = found.get("starts")
    if not starts:
        raise _refuse(
            _l("This rule gives no date in the %(years)d years from the first date.",
               years=SPAN_YEARS)
        )  # fmt: skip
    if len(starts) > MAX_OCCURRENCES:
        raise _refuse(_too_many())
    return starts


def occurrence_utc(local: datetime) -> datetime:
    """The naive UTC moment of an occurrence's local start: ``to_utc``, except that a time the
    clocks skip or repeat is read as RFC 5545 says (offset before the gap; first pass)."""
    try:
        return to_utc(local, field_name="start_time")
    except InvalidInput:
        return local.replace(tzinfo=LOCAL_ZONE, fold=0).astimezone(UTC).replace(tzinfo=None)


# --- the rule in words --------------------------------------------------------------------------
def _day_names() -> dict[str, str]:
    names = get_day_names("wide", locale=get_locale())
    return {code: names[index] for index, code in enumerate(WEEKDAYS)}


def _by_day(value: str) -> list[tuple[int | None, str]] | None:
    days = []
    for item in value.split(","):
        code, number = item[-2:], item[:-2]
        if code not in WEEKDAYS or (number and whole_number(number.lstrip("+-")) is None):
            return None
        days.append((int(number) if number else None, code))
    return days


def rule_in_words(text: str, first_date: date) -> str:
    """The rule as a sentence in the current language; a rule this does not know is quoted."""
    try:
        rule = parse_rule(text)
    except InvalidInput:
        return text
    parts, names = dict(rule.parts), _day_names()
    freq, interval = parts.pop("FREQ"), int(parts.pop("INTERVAL", "1") or 1)
    parts.pop("UNTIL", None), parts.pop("COUNT", None)
    days = _by_day(parts.pop("BYDAY")) if "BYDAY" in parts else None
    month_day = parts.pop("BYMONTHDAY", None)
    words = None
    if parts or (days is None and "BYDAY" in rule.parts):
        words = None
    elif freq == "DAILY" and days is None and month_day is None:
        words = ngettext("Every day", "Every %(num)d days", interval)
    elif freq == "WEEKLY" and month_day is None and all(n is None for n, _c in days or []):
        codes = [code for _n, code in days] if days else [WEEKDAYS[first_date.weekday()]]
        listed = format_list([names[c] for c in codes], locale=get_locale())
        words = ngettext(
            "Every week on %(days)s", "Every %(num)d weeks on %(days)s", interval, days=listed
        )
    elif freq == "MONTHLY" and days and len(days) == 1 and days[0][0] in ORDINALS:
        number, code = days[0]
        words = ngettext(
            "Every month on the %(ordinal)s %(weekday)s",
            "Every %(num)d months on the %(ordinal)s %(weekday)s",
            interval,
            ordinal=str(ORDINALS[number]),
            weekday=names[code],
        )
    elif freq == "MONTHLY" and days is None:
        day = whole_number(month_day, low=1, high=31) or first_date.day
        words = ngettext(
            "Every month on day %(day)d", "Every %(num)d months on day %(day)d", interval, day=day
        )
    elif freq == "YEARLY" and days is None and month_day is None:
        words = ngettext("Every year", "Every %(num)d years", interval)
    if words is None:
        return str(_l("Custom rule: %(rule)s", rule=rule.text))
    if rule.count is not None:
        return ngettext("%(rule)s, once", "%(rule)s, %(num)d times", rule.count, rule=words)
    if rule.until is not None:
        return str(_l("%(rule)s, until %(date)s", rule=words, date=format_date(rule.until.date())))
    return words
