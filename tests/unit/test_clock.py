"""The machine-readable time of ``<time datetime>``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from forum.clock import machine_time


def test_a_naive_moment_is_utc_to_the_second():
    assert machine_time(datetime(2026, 12, 1, 9, 30, 5, 422749)) == "2026-12-01T09:30:05Z"


def test_an_aware_moment_is_converted_to_utc():
    stockholm_winter = timezone(timedelta(hours=1))
    moment = datetime(2026, 12, 1, 10, 30, 0, 1, tzinfo=stockholm_winter)
    assert machine_time(moment) == "2026-12-01T09:30:00Z"
    assert machine_time(moment.astimezone(UTC)) == "2026-12-01T09:30:00Z"
