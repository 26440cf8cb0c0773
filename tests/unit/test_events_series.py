"""Series: rules expanded in Swedish wall-clock time across both daylight-saving changes, the
spring-forward gap, refused rules, occurrences moved or cancelled on their own surviving an edit of
the series, registrations never silently deleted, the daily extension and the rule in words."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from flask_babel import force_locale
from sqlmodel import select

from forum.agenda import series as series_service
from forum.agenda.models import CANCELLED, REGISTERED, Event, EventRegistration
from forum.agenda.recurrence import (
    check_dates,
    local_starts,
    occurrence_utc,
    parse_rule,
    rule_in_words,
)
from forum.agenda.service import cancel_event, to_local, update_event
from forum.clock import utcnow
from forum.domain import InvalidInput, NotAllowed
from forum.events import event_cancelled, event_rescheduled
from tests.events_helpers import event_input, make_series, series_input
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("ctx")
YEAR = to_local(utcnow()).year + 1  # a whole year ahead: every occurrence is in the future
FIRST = date(YEAR, 1, 1)


def occurrences(session, series) -> list[Event]:
    return list(
        session.exec(
            select(Event).where(Event.series_id == series.id).order_by(Event.recurrence_date)
        ).all()
    )


def second_fridays(year: int) -> list[date]:
    days = []
    for month in range(1, 13):
        first = date(year, month, 1)
        days.append(first + timedelta(days=(4 - first.weekday()) % 7 + 7))
    return days


def test_a_monthly_series_stays_at_noon_local_across_both_changes(db_session, mod):
    series = make_series(db_session, mod, first=FIRST, today=FIRST)
    found = occurrences(db_session, series)
    assert [e.recurrence_date for e in found] == second_fridays(YEAR)
    for event in found:
        local_start, local_end = to_local(event.starts_at), to_local(event.ends_at)
        assert (local_start.time(), local_end.time()) == (time(12), time(13))
        assert local_start.date() == event.recurrence_date
    by_month = {e.recurrence_date.month: e for e in found}
    assert by_month[3].starts_at.hour == 11  # winter time, UTC+1
    assert by_month[4].starts_at.hour == 10  # summer time, UTC+2
    assert by_month[10].starts_at.hour == 10
    assert by_month[11].starts_at.hour == 11
    assert all(e.state == "published" and not e.occurrence_changed for e in found)


def test_an_occurrence_in_the_spring_gap_follows_rfc_5545_and_the_autumn_one_its_first_pass():
    gap = datetime(2027, 3, 28, 2, 30)  # the clocks go from 02:00 to 03:00
    assert occurrence_utc(gap) == datetime(2027, 3, 28, 1, 30)  # = 03:30 summer time
    assert to_local(occurrence_utc(gap)) == datetime(2027, 3, 28, 3, 30)
    twice = datetime(2027, 10, 31, 2, 30)  # 03:00 goes back to 02:00
    assert occurrence_utc(twice) == datetime(2027, 10, 31, 0, 30)  # the summer-time pass
    rule = parse_rule("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
    starts = local_starts(rule, datetime(2027, 1, 1, 2, 30), up_to=datetime(2029, 1, 1))
    assert [s.date() for s in starts] == [date(2027, 3, 28), date(2028, 3, 26)]


def test_a_weekly_rule_with_until_and_count(db_session, mod):
    rule = parse_rule("RRULE:freq=weekly;byday=TU;until=20270131")
    starts = local_starts(rule, datetime(2027, 1, 1, 9), up_to=datetime(2028, 1, 1))
    assert [s.day for s in starts] == [5, 12, 19, 26]
    counted = parse_rule("FREQ=WEEKLY;BYDAY=TU;COUNT=3")
    assert len(local_starts(counted, datetime(2027, 1, 1, 9), up_to=datetime(2030, 1, 1))) == 3
    utc_end = parse_rule("FREQ=DAILY;UNTIL=20270103T110000Z")  # 12:00 local
    assert len(local_starts(utc_end, datetime(2027, 1, 1, 12), up_to=datetime(2028, 1, 1))) == 3


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Write a recurrence rule"),
        ("BYDAY=2FR", "needs a FREQ"),
        ("FREQ=HOURLY", "FREQ=HOURLY is not allowed"),
        ("FREQ=MINUTELY", "is not allowed"),
        ("FREQ=SECONDLY;COUNT=2", "is not allowed"),
        ("FREQ=MONTHLY;BYDAY=FRIDAY", "cannot be read"),
        ("FREQ=MONTHLY;WHEN=SOON", "may use FREQ, INTERVAL"),
        ("FREQ=DAILY;BYHOUR=9", "may use FREQ, INTERVAL"),
        ("FREQ=MONTHLY;COUNT=x", "cannot be read"),
        ("FREQ=MONTHLY;COUNT=501", "at most 500"),
        ("FREQ=MONTHLY;COUNT=3;UNTIL=20271231", "not both"),
        ("FREQ", "NAME=VALUE"),
        ("FREQ=DAILY FREQ=WEEKLY", "one line"),
    ],
)
def test_malformed_rules_are_refused_with_a_message(text, words):
    with pytest.raises(InvalidInput) as caught:
        parse_rule(text)
    assert caught.value.field == "rule"
    with force_locale("en"):
        assert words in str(caught.value.message)


def test_too_many_or_no_dates_are_refused_and_the_message_is_translated():
    with pytest.raises(InvalidInput) as caught:
        check_dates(parse_rule("FREQ=DAILY"), datetime(2027, 1, 1, 12))
    with force_locale("sv"):
        assert "högst 500" in str(caught.value.message)
    with pytest.raises(InvalidInput) as caught:
        check_dates(parse_rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), datetime(2027, 1, 1, 12))
    with force_locale("en"):
        assert "gives no date in the 5 years" in str(caught.value.message)
    with pytest.raises(InvalidInput) as caught:
        check_dates(parse_rule("FREQ=MONTHLY;BYDAY=9FR"), datetime(2027, 1, 1, 12))
    with force_locale("en"):
        assert "cannot be read" in str(caught.value.message)
    assert len(check_dates(parse_rule("FREQ=WEEKLY"), datetime(2027, 1, 1, 12))) == 262


def test_a_moved_and_a_cancelled_occurrence_survive_an_edit_of_the_series(db_session, mod):
    series = make_series(db_session, mod, first=FIRST, today=FIRST)
    march, april, may = occurrences(db_session, series)[2:5]
    moved_to = datetime.combine(march.recurrence_date, time(15))
    update_event(
        session=db_session,
        actor=mod,
        event=march,
        data=event_input(starts_local=moved_to, ends_local=moved_to + timedelta(hours=1)),
    )
    cancel_event(session=db_session, actor=mod, event=april)
    db_session.commit()
    assert march.occurrence_changed and to_local(march.starts_at).time() == time(15)
    assert march.recurrence_date == second_fridays(YEAR)[2]
    data = series_input(
        first=FIRST,
        title="Nytt namn",
        starts_local=datetime.combine(FIRST, time(10)),
        ends_local=datetime.combine(FIRST, time(11, 30)),
    )
    done = series_service.update_series(session=db_session, actor=mod, series=series, data=data)
    db_session.commit()
    assert done.updated == 10 and done.created == 0 and done.deleted == 0
    db_session.refresh(march), db_session.refresh(april), db_session.refresh(may)
    assert to_local(march.starts_at).time() == time(15) and march.title != "Nytt namn"
    assert april.state == CANCELLED and to_local(april.starts_at).time() == time(12)
    assert to_local(may.starts_at).time() == time(10) and may.title == "Nytt namn"
    assert to_local(may.ends_at).time() == time(11, 30) and may.sequence == 1


def test_a_changed_rule_deletes_free_dates_and_cancels_those_with_registrations(db_session, mod):
    series = make_series(db_session, mod, first=FIRST, today=FIRST)
    found = occurrences(db_session, series)
    member = make_user(db_session)
    db_session.add(EventRegistration(event_id=found[5].id, user_id=member.id, state=REGISTERED))
    db_session.commit()
    cancelled, rescheduled = [], []
    on_cancel = lambda _s, **kw: cancelled.append(kw["event"].id)  # noqa: E731
    on_move = lambda _s, **kw: rescheduled.append(kw["event"].id)  # noqa: E731
    event_cancelled.connect(on_cancel)
    event_rescheduled.connect(on_move)
    try:
        done = series_service.update_series(
            session=db_session,
            actor=mod,
            series=series,
            data=series_input("FREQ=MONTHLY;BYDAY=3FR", first=FIRST),
        )
        db_session.commit()
    finally:
        event_cancelled.disconnect(on_cancel)
        event_rescheduled.disconnect(on_move)
    assert (done.cancelled, done.deleted, done.created) == (1, 11, 12)
    assert cancelled == [found[5].id] and rescheduled == []
    left = occurrences(db_session, series)
    assert [e.id for e in left if e.state == CANCELLED] == [found[5].id]
    third = [e.recurrence_date for e in left if e.state != CANCELLED]
    assert all(15 <= day.day <= 21 and day.weekday() == 4 for day in third)


def test_the_daily_job_extends_the_horizon_without_duplicates(db_session, mod):
    series = make_series(db_session, mod, first=FIRST, today=FIRST - timedelta(days=200))
    assert len(occurrences(db_session, series)) == 6  # up to the horizon: June
    assert series_service.extend_all(db_session, today=FIRST) == 6
    assert series_service.extend_all(db_session, today=FIRST) == 0
    db_session.commit()
    assert [e.recurrence_date for e in occurrences(db_session, series)] == second_fridays(YEAR)


def test_a_series_begun_in_the_past_has_past_occurrences(db_session, mod):
    start = to_local(utcnow()).date() - timedelta(days=180)
    series = make_series(db_session, mod, first=start)
    found = occurrences(db_session, series)
    now = utcnow()
    assert len([e for e in found if e.ends_at < now]) >= 5
    assert len([e for e in found if e.starts_at > now]) >= 11


def test_who_may_write_and_change_a_series(db_session, mod):
    organiser = make_user(db_session, role="organiser")
    other = make_user(db_session, role="organiser")
    member = make_user(db_session)
    with pytest.raises(NotAllowed):
        make_series(db_session, member, first=FIRST)
    series = make_series(db_session, organiser, first=FIRST, today=FIRST)
    with pytest.raises(NotAllowed):
        series_service.update_series(
            session=db_session, actor=other, series=series, data=series_input(first=FIRST)
        )
    db_session.rollback()
    [first] = occurrences(db_session, series)[:1]
    with pytest.raises(NotAllowed):
        cancel_event(session=db_session, actor=other, event=first)
    cancel_event(session=db_session, actor=organiser, event=first)
    series_service.update_series(
        session=db_session, actor=mod, series=series, data=series_input(first=FIRST, title="X")
    )


@pytest.mark.parametrize(
    ("rule", "sv", "en"),
    [
        ("FREQ=MONTHLY;BYDAY=2FR", "Den andra fredagen varje månad",
         "Every month on the second Friday"),
        ("FREQ=MONTHLY;BYDAY=-1MO;COUNT=6", "Den sista måndagen varje månad, 6 gånger",
         "Every month on the last Monday, 6 times"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "Var 2:e vecka på tisdag och torsdag",
         "Every 2 weeks on Tuesday and Thursday"),
        ("FREQ=WEEKLY", "Varje vecka på fredag", "Every week on Friday"),
        ("FREQ=MONTHLY;BYDAY=2FR;UNTIL=20271231", "Den andra fredagen varje månad, till och med "
         "31 dec. 2027", "Every month on the second Friday, until Dec 31, 2027"),
        ("FREQ=YEARLY;BYMONTH=3", "Egen regel: FREQ=YEARLY;BYMONTH=3",
         "Custom rule: FREQ=YEARLY;BYMONTH=3"),
    ],
)  # fmt: skip
def test_the_rule_in_words_in_both_languages(rule, sv, en):
    with force_locale("sv"):
        assert rule_in_words(rule, date(2027, 1, 8)) == sv
    with force_locale("en"):
        assert rule_in_words(rule, date(2027, 1, 8)) == en


def test_the_demo_webinar_is_a_series_with_past_dates(db_session):
    from forum.demo import seed_demo

    seed_demo(db_session)
    db_session.commit()
    [webinars] = db_session.exec(select(series_service.EventSeries)).all()
    assert webinars.is_demo and webinars.rule == "FREQ=MONTHLY;BYDAY=2FR" and webinars.online
    found = occurrences(db_session, webinars)
    now = utcnow()
    assert len([e for e in found if e.ends_at < now]) >= 5
    assert all(e.is_demo and to_local(e.starts_at).time() == time(12) for e in found)
    assert all(e.recurrence_date.weekday() == 4 and 8 <= e.recurrence_date.day <= 14 for e in found)
