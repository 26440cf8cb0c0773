"""Event pages over HTTP: the list and month calendar in Swedish and English, the event page,
the editor's refusals (422 with the form filled), who may do what, drafts and cancellations."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlmodel import select

from forum.agenda.models import Event
from tests.events_helpers import make_event
from tests.factories import login_as, make_user, theme

EN = {"Accept-Language": "en"}
SV = {"Accept-Language": "sv"}


@pytest.fixture
def events(app, db_session, mod):
    """A published webinar in January 2027, a draft, and a cancelled workshop."""
    with app.test_request_context("/"):
        published = make_event(
            db_session,
            mod,
            title="Tillsammans 2030 webinar",
            title_translation="Monthly webinar",
            summary_translation="In English.",
            theme_ids=[theme(db_session, 1).id],
        )
        draft = make_event(db_session, mod, publish=False, title="Hemligt utkast")
        cancelled = make_event(
            db_session,
            mod,
            kind="workshop",
            title="Inställd workshop",
            online=False,
            address="Stadshuset",
            starts_local=datetime(2027, 1, 20, 9),
            ends_local=datetime(2027, 1, 20, 11),
        )
        from forum.agenda.service import cancel_event

        cancel_event(session=db_session, actor=mod, event=cancelled)
        db_session.commit()
    return {"published": published, "draft": draft, "cancelled": cancelled}


def form_for(**overrides) -> dict:
    data = {
        "kind": "webinar",
        "language": "sv",
        "title": "Webbinarium om skyfall",
        "summary": "Om **skyfall**.",
        "start_date": "2027-02-12",
        "start_time": "12:00",
        "end_time": "13:00",
        "online": "y",
        "join_url": "https://meet.example.org/skyfall",
        "project_id": "",
        "action": "publish",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_list_shows_the_month_calendar_in_both_languages(client, events):
    page = client.get("/events?month=2027-01", headers=SV).get_data(as_text=True)
    assert "<caption>januari 2027</caption>" in page
    assert '<th scope="col">måndag</th>' in page
    assert "Tillsammans 2030 webinar" in page and "Hemligt utkast" not in page
    assert f'href="/events/{events["published"].id}"' in page
    assert "?month=2026-12" in page and "?month=2027-02" in page
    assert '<link rel="alternate" type="text/calendar"' in page and 'href="/events.ics"' in page
    english = client.get("/events?month=2027-01", headers=EN).get_data(as_text=True)
    assert "<caption>January 2027</caption>" in english
    assert "Monthly webinar" in english and "(cancelled)" in english


def test_filters_narrow_the_list_and_bad_ones_are_a_400(client, db_session, events):
    workshops = client.get("/events?kind=workshop&month=2027-01", headers=EN).get_data(True)
    assert "Inställd workshop" in workshops and "Monthly webinar" not in workshops
    by_theme = client.get(
        f"/events?theme={theme(db_session, 1).slug}&month=2027-01", headers=EN
    ).get_data(True)
    assert "Monthly webinar" in by_theme and "Inställd workshop" not in by_theme
    assert client.get("/events?kind=party", headers=EN).status_code == 400
    assert client.get("/events?month=2027-13", headers=EN).status_code == 400
    assert client.get("/events?sdg=99", headers=EN).status_code == 400


def test_the_event_page_in_the_readers_language_with_the_join_link_for_participants(
    client, db_session, events
):
    event = events["published"]
    anonymous = client.get(f"/events/{event.id}", headers=SV).get_data(as_text=True)
    assert "<h1>Tillsammans 2030 webinar</h1>" in anonymous
    assert "fredag 15 januari 2027, 12:00</time>–<time" in anonymous
    assert '13:00</time> <span class="muted">(centraleuropeisk normaltid)' in anonymous
    assert "meet.example.org" not in anonymous
    login_as(client, make_user(db_session, locale="en"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "<h1>Monthly webinar</h1>" in page and "Friday 15 January 2027, 12:00" in page
    assert "meet.example.org" not in page and "Register to get the link" in page
    client.post(f"/events/{event.id}/register")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'href="https://meet.example.org/t2030"' in page


def test_a_cancelled_event_keeps_its_page_with_a_notice(client, events):
    page = client.get(f"/events/{events['cancelled'].id}", headers=EN).get_data(as_text=True)
    assert "This event has been cancelled." in page


@pytest.mark.parametrize("role", [None, "member"])
def test_drafts_are_not_found_for_members_and_visitors(client, db_session, events, role):
    if role:
        login_as(client, make_user(db_session, role=role))
    draft = events["draft"]
    for path in (f"/events/{draft.id}", f"/events/{draft.id}.ics", "/events/999999"):
        assert client.get(path, headers=EN).status_code == 404
    assert "Hemligt utkast" not in client.get("/events?month=2027-01").get_data(True)


def test_moderators_see_drafts(client, mod, events):
    login_as(client, mod)
    assert client.get(f"/events/{events['draft'].id}").status_code == 200
    assert "Hemligt utkast" in client.get("/events?month=2027-01").get_data(True)


WRITE_ROUTES = [
    ("GET", "/events/new"),
    ("POST", "/events/new"),
    ("GET", "/events/{published}/edit"),
    ("POST", "/events/{published}/edit"),
    ("GET", "/events/{published}/cancel"),
    ("POST", "/events/{published}/cancel"),
]


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("member", 403), ("moderator", None), ("admin", None)]
)
def test_permissions_of_the_write_routes(client, db_session, events, method, path, role, status):
    if role:
        login_as(client, make_user(db_session, role=role, locale="en"))
    url = path.format(published=events["published"].id)
    data = form_for() if "cancel" not in url else {}
    answer = client.open(url, method=method, data=data, headers=EN)
    if status is None:
        assert answer.status_code in (200, 303)
    else:
        assert answer.status_code == status
        assert (
            db_session.exec(select(Event).where(Event.title == "Webbinarium om skyfall")).first()
            is None
        )


def test_creating_publishing_and_cancelling_an_event(client, db_session, mod):
    login_as(client, mod)
    answer = client.post("/events/new", data=form_for(), headers=EN)
    assert answer.status_code == 303
    event = db_session.exec(select(Event).where(Event.title == "Webbinarium om skyfall")).one()
    assert answer.headers["Location"] == f"/events/{event.id}"
    assert (event.state, event.starts_at) == ("published", datetime(2027, 2, 12, 11, 0))
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2027-02-12"' in edit and 'value="12:00"' in edit
    assert client.post(f"/events/{event.id}/cancel", data={}).status_code == 303
    db_session.refresh(event)
    assert event.state == "cancelled" and event.sequence == 1
    assert client.get(f"/events/{event.id}/edit").status_code == 409


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "11:00"}, "The event must end after it starts."),
        (
            {"start_date": "2027-03-28", "start_time": "02:30", "end_time": "04:00"},
            "2027-03-28 02:30 does not exist in Swedish time",
        ),
        (
            {"start_date": "2027-10-31", "start_time": "02:30", "end_time": "04:00"},
            "2027-10-31 02:30 happens twice in Swedish time",
        ),
        ({"start_time": "noon"}, "Give the time as HH:MM."),
    ],
)
def test_bad_times_come_back_as_422_with_the_form_filled(
    client, db_session, mod, overrides, message
):
    login_as(client, mod)
    answer = client.post("/events/new", data=form_for(**overrides), headers=EN)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert message in page
    assert 'value="Webbinarium om skyfall"' in page
    assert db_session.exec(select(Event)).first() is None


def test_the_refusal_is_translated(client, db_session):
    login_as(client, make_user(db_session, role="moderator", locale="sv"))
    answer = client.post("/events/new", data=form_for(end_time="11:00"), headers=SV)
    assert answer.status_code == 422
    assert "Evenemanget måste sluta efter att det börjar." in answer.get_data(as_text=True)


def test_the_main_navigation_links_to_the_events(client):
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert re.search(r'<a href="/events">Events</a>', page)
    events = client.get("/events", headers=EN).get_data(as_text=True)
    assert '<a href="/events" aria-current="true">Events</a>' in events


def test_upcoming_soonest_first_then_past_latest_first(app, client, db_session, mod):
    with app.test_request_context("/"):
        for title, day in (("B-later", 20), ("A-sooner", 10)):
            make_event(
                db_session,
                mod,
                title=title,
                starts_local=datetime(2027, 5, day, 12),
                ends_local=datetime(2027, 5, day, 13),
            )
        for title, year in (("Y-older", 2024), ("Z-newer", 2025)):
            make_event(
                db_session,
                mod,
                title=title,
                starts_local=datetime(year, 5, 9, 12),
                ends_local=datetime(year, 5, 9, 13),
            )
    page = client.get("/events", headers=EN).get_data(as_text=True)
    upcoming, past = page.split('id="past-heading"')
    upcoming = upcoming.split('id="calendar-heading"')[0]
    assert upcoming.index("A-sooner") < upcoming.index("B-later")
    assert past.index("Z-newer") < past.index("Y-older")


def test_the_calendar_places_events_on_their_swedish_day(app, client, db_session, mod):
    """00:30 on 1 February in Stockholm is still 31 January in UTC."""
    with app.test_request_context("/"):
        event = make_event(
            db_session,
            mod,
            title="Nattwebbinarium",
            starts_local=datetime(2027, 2, 1, 0, 30),
            ends_local=datetime(2027, 2, 1, 1, 30),
        )
    assert event.starts_at == datetime(2027, 1, 31, 23, 30)
    january = client.get("/events?month=2027-01", headers=EN).get_data(as_text=True)
    february = client.get("/events?month=2027-02", headers=EN).get_data(as_text=True)
    calendar_of = lambda page: page.split('<table class="calendar">')[1].split("</table>")[0]  # noqa: E731
    assert "Nattwebbinarium" not in calendar_of(january)
    day = calendar_of(february).split(">1 February 2027<")[1].split("</td>")[0]
    assert "00:30 Nattwebbinarium" in day
