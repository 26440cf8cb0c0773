"""Registering over HTTP: plain forms (303) and htmx (the fragment and the live region), the
refusals with the form refilled (409 full, past, cancelled; 404 draft; 403 unconfirmed), who sees
the join link, "my events", the event form's seats and questions, and statement counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum import create_app
from forum.agenda.models import REGISTERED, WAITLISTED, Event
from forum.agenda.service import cancel_event
from forum.clock import utcnow
from tests.factories import client_as, login_as, make_user
from tests.registration_helpers import states, upcoming_event
from tests.statements import recording

EN = {"Accept-Language": "en"}
SV = {"Accept-Language": "sv"}
HX = {"HX-Request": "true", "Accept-Language": "en"}


@pytest.fixture
def seminar(app, db_session, mod):
    """A webinar next week with one seat, asking for dietary needs."""
    with app.test_request_context("/"):
        return upcoming_event(
            db_session, mod, capacity=1, questions=["dietary_needs"], title="Skyfallswebbinarium"
        )


def test_anonymous_readers_are_sent_to_log_in_and_see_no_join_link(client, seminar):
    page = client.get(f"/events/{seminar.id}", headers=EN).get_data(as_text=True)
    assert "meet.example.org" not in page
    assert "Register to get the link" in page and "Log in to register" in page
    answer = client.post(f"/events/{seminar.id}/register", headers=EN)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_member_registers_with_a_plain_form_and_sees_the_join_link(
    app, client, db_session, seminar
):
    member = make_user(db_session, locale="en")
    login_as(client, member)
    page = client.get(f"/events/{seminar.id}", headers=EN).get_data(as_text=True)
    assert "1 seat left of 1." in page and "You are not registered." in page
    assert 'name="dietary_needs"' in page and 'name="organisation"' not in page
    answer = client.post(
        f"/events/{seminar.id}/register", data={"dietary_needs": "vegan"}, headers=EN
    )
    assert answer.status_code == 303 and answer.headers["Location"] == f"/events/{seminar.id}"
    page = client.get(f"/events/{seminar.id}", headers=EN).get_data(as_text=True)
    assert "You are registered." in page and 'href="https://meet.example.org/t2030"' in page
    assert "Full: 0 on the waitlist." in page and "Cancel my registration" in page
    assert states(db_session, seminar) == {member.id: REGISTERED}


def test_htmx_gets_the_fragment_and_the_live_region(client, db_session, seminar):
    login_as(client, make_user(db_session, locale="en"))
    answer = client.post(f"/events/{seminar.id}/register", headers=HX)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" not in html
    assert 'id="event-registration"' in html
    assert re.search(
        r'<div id="registration-live" data-hx-swap-oob="innerHTML">You are registered', html
    )
    assert "autofocus" in html
    assert 'id="event-join" data-hx-swap-oob="true"' in html and "meet.example.org/t2030" in html
    answer = client.post(f"/events/{seminar.id}/unregister", headers=HX)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Your registration was cancelled." in html


def test_a_full_event_answers_409_with_the_form_filled_and_offers_the_waitlist(
    client, db_session, seminar
):
    client_as(client.application, make_user(db_session)).post(f"/events/{seminar.id}/register")
    second = make_user(db_session, locale="en")
    login_as(client, second)
    # the page was read while the seat was free: the member pressed "Register"
    answer = client.post(
        f"/events/{seminar.id}/register", data={"dietary_needs": "no nuts"}, headers=EN
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "<html" in page
    assert "The last seat was just taken." in page
    assert 'value="no nuts"' in page and "Join the waitlist" in page
    assert 'name="waitlist" value="1"' in page
    fragment = client.post(
        f"/events/{seminar.id}/register", data={"dietary_needs": "no nuts"}, headers=HX
    )
    assert fragment.status_code == 409 and "<html" not in fragment.get_data(as_text=True)
    assert 'value="no nuts"' in fragment.get_data(as_text=True)
    joined = client.post(
        f"/events/{seminar.id}/register",
        data={"dietary_needs": "no nuts", "waitlist": "1"},
        headers=EN,
    )
    assert joined.status_code == 303
    page = client.get(f"/events/{seminar.id}", headers=EN).get_data(as_text=True)
    assert "You are on the waitlist, place 1." in page and "meet.example.org" not in page
    assert states(db_session, seminar)[second.id] == WAITLISTED


def test_the_refusal_is_in_swedish(client, db_session, seminar):
    client_as(client.application, make_user(db_session)).post(f"/events/{seminar.id}/register")
    login_as(client, make_user(db_session))
    answer = client.post(f"/events/{seminar.id}/register", headers=SV)
    assert answer.status_code == 409
    assert "Den sista platsen togs nyss." in answer.get_data(as_text=True)


def test_past_cancelled_and_draft_events_refuse_clearly(app, client, db_session, mod):
    with app.test_request_context("/"):
        past = upcoming_event(db_session, mod, days=-3)
        cancelled = upcoming_event(db_session, mod)
        cancel_event(session=db_session, actor=mod, event=cancelled)
        db_session.commit()
        draft = upcoming_event(db_session, mod, publish=False)
    login_as(client, make_user(db_session, locale="en"))
    answer = client.post(f"/events/{past.id}/register", headers=EN)
    assert answer.status_code == 409
    assert "This event has already started: registration is closed." in answer.get_data(
        as_text=True
    )
    answer = client.post(f"/events/{cancelled.id}/register", headers=HX)
    assert answer.status_code == 409 and "registration is closed" in answer.get_data(as_text=True)
    assert client.post(f"/events/{draft.id}/register", headers=EN).status_code == 404
    page = client.get(f"/events/{past.id}", headers=EN).get_data(as_text=True)
    assert 'id="event-registration"' not in page  # a past event without you: no box at all
    page = client.get(f"/events/{cancelled.id}", headers=EN).get_data(as_text=True)
    assert 'action="/events/' not in page.split('id="event-registration"')[1].split("</section>")[0]


def test_an_unconfirmed_member_is_told_to_confirm(client, db_session, seminar):
    login_as(client, make_user(db_session, confirmed=False, locale="en"))
    answer = client.post(f"/events/{seminar.id}/register", headers=EN)
    assert answer.status_code == 403
    assert "Confirm your e-mail address to register for events." in answer.get_data(as_text=True)
    assert states(db_session, seminar) == {}


def test_cancelling_promotes_the_first_on_the_waitlist(app, client, db_session, seminar):
    first, second = make_user(db_session), make_user(db_session)
    client_as(app, first).post(f"/events/{seminar.id}/register")
    client_as(app, second).post(f"/events/{seminar.id}/register", data={"waitlist": "1"})
    login_as(client, first)
    assert client.post(f"/events/{seminar.id}/unregister").status_code == 303
    assert states(db_session, seminar) == {first.id: "cancelled", second.id: REGISTERED}
    assert client.post(f"/events/{seminar.id}/unregister", headers=EN).status_code == 409


def test_a_double_registration_is_no_error(client, db_session, seminar):
    login_as(client, make_user(db_session))
    assert client.post(f"/events/{seminar.id}/register").status_code == 303
    assert client.post(f"/events/{seminar.id}/register").status_code == 303
    assert list(states(db_session, seminar).values()) == [REGISTERED]


@pytest.fixture
def csrf_app(app_settings):
    application = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    yield application
    application.extensions["forum_engine"].dispose()


@pytest.mark.parametrize(
    "path", ["/events/{id}/register", "/events/{id}/unregister", "/events/mine/calendar"]
)
def test_every_post_needs_the_csrf_token(csrf_app, db_session, seminar, path):
    client = client_as(csrf_app, make_user(db_session, locale="en"))
    answer = client.post(path.format(id=seminar.id), headers=EN)
    assert answer.status_code == 400
    assert "This form has expired" in answer.get_data(as_text=True)
    assert states(db_session, seminar) == {}


def test_my_events_lists_seats_and_waitlist_places_then_past_ones(app, client, db_session, mod):
    member = make_user(db_session, locale="en")
    with app.test_request_context("/"):
        soon = upcoming_event(db_session, mod, title="Snart", capacity=1)
        full = upcoming_event(db_session, mod, days=9, title="Fullt", capacity=1)
        past = upcoming_event(db_session, mod, days=2, title="Förbi")
    client_as(app, make_user(db_session)).post(f"/events/{full.id}/register")
    login_as(client, member)
    for event, data in ((soon, {}), (full, {"waitlist": "1"}), (past, {})):
        assert client.post(f"/events/{event.id}/register", data=data).status_code == 303
    moment = utcnow() - timedelta(days=5)
    db_session.get(Event, past.id).starts_at = moment
    db_session.get(Event, past.id).ends_at = moment + timedelta(hours=1)
    db_session.commit()
    assert client_as(app, make_user(db_session)).get("/events/mine").status_code == 200
    page = client.get("/events/mine", headers=EN).get_data(as_text=True)
    upcoming, rest = page.split('id="mine-past"')
    assert upcoming.index("Snart") < upcoming.index("Fullt")
    assert "Waitlist, place 1" in upcoming and "Förbi" in rest and "Förbi" not in upcoming
    assert 'href="/events/mine"' in client.get("/events", headers=EN).get_data(as_text=True)
    anonymous = app.test_client().get("/events/mine")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_event_form_takes_seats_and_questions(client, db_session, mod, seminar):
    login_as(client, mod)
    form = client.get(f"/events/{seminar.id}/edit", headers=EN).get_data(as_text=True)
    assert 'name="capacity"' in form and 'value="1"' in form
    assert re.search(r'value="dietary_needs"[^>]*checked|checked[^>]*value="dietary_needs"', form)
    assert "Access needs" in form
    from tests.http.test_events_pages import form_for

    local = seminar.starts_at + timedelta(hours=1)  # a week ahead, in winter or summer time
    base = form_for(
        action="save",
        start_date=local.strftime("%Y-%m-%d"),
        start_time="",
        end_time="",
    )
    for bad in ("0", "many"):
        answer = client.post(
            f"/events/{seminar.id}/edit",
            data={**base, "start_time": "10:00", "end_time": "11:00", "capacity": bad},
            headers=EN,
        )
        assert answer.status_code == 422 and f'value="{bad}"' in answer.get_data(as_text=True)
    answer = client.post(
        f"/events/{seminar.id}/edit",
        data={
            **base,
            "start_time": "10:00",
            "end_time": "11:00",
            "capacity": "12",
            "questions": ["organisation", "interpretation"],
        },
        headers=EN,
    )
    assert answer.status_code == 303
    db_session.expire_all()
    saved = db_session.get(Event, seminar.id)
    assert (saved.capacity, saved.questions) == (12, "organisation,interpretation")


def _count(app, client, path) -> int:
    with recording(app.extensions["forum_engine"]) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_event_page_and_my_events_read_with_a_constant_number_of_statements(
    app, client, db_session, mod
):
    member = make_user(db_session)
    login_as(client, member)
    with app.test_request_context("/"):
        events = [upcoming_event(db_session, mod, days=3 + n, capacity=2) for n in range(6)]
    others = [make_user(db_session) for _ in range(4)]
    client.post(f"/events/{events[0].id}/register")
    one = (_count(app, client, f"/events/{events[0].id}"), _count(app, client, "/events/mine"))
    for other in others:
        client_as(app, other).post(f"/events/{events[0].id}/register", data={"waitlist": "1"})
    for event in events[1:]:
        client.post(f"/events/{event.id}/register")
    many = (_count(app, client, f"/events/{events[0].id}"), _count(app, client, "/events/mine"))
    assert one == many


@pytest.mark.parametrize("role", [None, "member", "moderator", "admin"])
@pytest.mark.parametrize("headers", [EN, HX], ids=["plain", "htmx"])
def test_every_role_registers_cancels_and_reads_my_events(app, db_session, seminar, role, headers):
    client = app.test_client()
    user = make_user(db_session, role=role, locale="en") if role else None
    if user:
        login_as(client, user)
    answers = [
        client.post(f"/events/{seminar.id}/register", headers=headers),
        client.post(f"/events/{seminar.id}/unregister", headers=headers),
        client.get("/events/mine", headers=headers),
        client.post("/events/mine/calendar", headers=headers),
    ]
    statuses = [answer.status_code for answer in answers]
    if user is None:
        assert statuses == [302] * 4 and states(db_session, seminar) == {}
    elif headers is HX:
        assert statuses == [200, 200, 200, 204]
        assert answers[3].headers["HX-Redirect"] == "/events/mine#calendar"
        assert states(db_session, seminar) == {user.id: "cancelled"}
    else:
        assert statuses == [303, 303, 200, 303]
