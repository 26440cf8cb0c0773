"""Event services: local times stored as UTC across daylight-saving changes, refusals, the
iCalendar SEQUENCE, cancelling."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_babel import force_locale

from forum.agenda.models import CANCELLED, PUBLISHED
from forum.agenda.service import cancel_event, create_event, to_local, to_utc, update_event
from forum.domain import Conflict, InvalidInput, NotAllowed
from tests.events_helpers import event_input, make_event
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # the Fridays around the spring change (2027-03-28) and the autumn change (2027-10-31)
        (datetime(2027, 3, 26, 12), datetime(2027, 3, 26, 11)),
        (datetime(2027, 4, 9, 12), datetime(2027, 4, 9, 10)),
        (datetime(2027, 10, 29, 12), datetime(2027, 10, 29, 10)),
        (datetime(2027, 11, 12, 12), datetime(2027, 11, 12, 11)),
    ],
)
def test_noon_in_stockholm_is_stored_in_utc_and_read_back_as_noon(db_session, mod, local, utc):
    event = make_event(db_session, mod, starts_local=local, ends_local=local.replace(hour=13))
    assert event.starts_at == utc
    assert to_local(event.starts_at) == local
    assert to_local(event.ends_at).hour == 13


def test_a_time_in_the_spring_forward_gap_is_refused_with_its_field():
    with pytest.raises(InvalidInput) as caught:
        to_utc(datetime(2027, 3, 28, 2, 30), field_name="start_time")
    assert caught.value.field == "start_time"
    with force_locale("en"):
        assert str(caught.value.message).startswith("2027-03-28 02:30 does not exist")
    with force_locale("sv"):
        assert str(caught.value.message).startswith("2027-03-28 02:30 finns inte")


def test_a_time_in_the_repeated_autumn_hour_is_refused():
    with pytest.raises(InvalidInput) as caught:
        to_utc(datetime(2027, 10, 31, 2, 30), field_name="end_time")
    with force_locale("en"):
        assert "happens twice" in str(caught.value.message)


def test_the_hours_around_the_changes_are_accepted():
    assert to_utc(datetime(2027, 3, 28, 3, 0), field_name="x") == datetime(2027, 3, 28, 1, 0)
    assert to_utc(datetime(2027, 10, 31, 3, 0), field_name="x") == datetime(2027, 10, 31, 2, 0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_local": datetime(2027, 1, 15, 11, 0)}, "end_time"),
        ({"ends_local": datetime(2027, 1, 15, 12, 0)}, "end_time"),
        ({"starts_local": datetime(2027, 3, 28, 2, 15)}, "start_time"),
        ({"online": True, "join_url": ""}, "join_url"),
        ({"online": False, "address": ""}, "address"),
        ({"kind": "party"}, "kind"),
        ({"kind": "study_visit", "online": False, "address": "Malmö"}, "project_id"),
        ({"project_id": 999_999}, "project_id"),
        ({"title_translation": "Only a title"}, "title_translation"),
        ({"theme_ids": [999_999]}, "theme_ids"),
        ({"goal_ids": [999_999]}, "goal_ids"),
    ],
)
def test_bad_input_is_refused_on_its_field(db_session, mod, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        create_event(session=db_session, actor=mod, data=event_input(**overrides))
    assert caught.value.field == field
    assert caught.value.status == 422


def test_members_cannot_write_events(db_session):
    member = make_user(db_session)
    with pytest.raises(NotAllowed):
        create_event(session=db_session, actor=member, data=event_input())


def test_sequence_rises_on_changes_of_time_place_and_state_only(db_session, mod):
    event = make_event(db_session, mod, publish=False)
    assert event.sequence == 0
    update_event(session=db_session, actor=mod, event=event, data=event_input(title="Nytt namn"))
    assert event.sequence == 0
    update_event(session=db_session, actor=mod, event=event, data=event_input(), publish=True)
    assert (event.state, event.sequence) == (PUBLISHED, 1)
    moved = event_input(
        starts_local=datetime(2027, 1, 15, 13), ends_local=datetime(2027, 1, 15, 14)
    )
    update_event(session=db_session, actor=mod, event=event, data=moved)
    assert event.sequence == 2
    elsewhere = event_input(online=False, address="Stadshuset, Malmö")
    update_event(session=db_session, actor=mod, event=event, data=elsewhere)
    assert event.sequence == 3
    assert event.join_url is None
    cancel_event(session=db_session, actor=mod, event=event)
    assert (event.state, event.sequence) == (CANCELLED, 4)
    assert event.cancelled_at is not None


def test_a_cancelled_event_is_neither_edited_nor_cancelled_again(db_session, mod):
    event = make_event(db_session, mod)
    cancel_event(session=db_session, actor=mod, event=event)
    with pytest.raises(Conflict):
        update_event(session=db_session, actor=mod, event=event, data=event_input())
    with pytest.raises(Conflict):
        cancel_event(session=db_session, actor=mod, event=event)


def test_the_translation_is_shown_to_readers_of_the_other_language(db_session, mod):
    event = make_event(
        db_session, mod, title_translation="Monthly webinar", summary_translation="*Hello*"
    )
    assert event.text_in("en")[:2] == ("en", "Monthly webinar")
    assert "<em>Hello</em>" in event.text_in("en")[2]
    assert event.text_in("sv")[:2] == ("sv", "Tillsammans 2030 webinar")
    plain = make_event(db_session, mod)
    assert event.text_in("en")[0] == "en" and plain.text_in("en")[0] == "sv"
