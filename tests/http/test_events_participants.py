"""Who came: the participant list and its CSV for Swedish Excel (with the formula guard), for
each role; the personal calendar feed behind its secret address; the public .ics keeps the join
link out."""

from __future__ import annotations

import csv
import io
import re

import icalendar
import pytest

from tests.factories import client_as, login_as, make_user
from tests.registration_helpers import upcoming_event

EN = {"Accept-Language": "en"}


@pytest.fixture
def full_house(app, db_session, mod):
    """A study day with two seats: two registered (one with a name that looks like a formula),
    one waiting."""
    with app.test_request_context("/"):
        event = upcoming_event(
            db_session, mod, capacity=2, questions=["organisation", "dietary_needs"]
        )
    people = [
        make_user(db_session, display_name='=HYPERLINK("http://evil")'),
        make_user(db_session, display_name="Åsa Öberg"),
        make_user(db_session, display_name="Väntande Person"),
    ]
    answers = [
        {"organisation": "+46 Malmö", "dietary_needs": "vegan; inga nötter"},
        {"organisation": "Lunds kommun", "dietary_needs": "-"},
        {"organisation": "@Region", "waitlist": "1"},
    ]
    for person, data in zip(people, answers, strict=True):
        assert (
            client_as(app, person).post(f"/events/{event.id}/register", data=data).status_code
            == 303
        )
    return event


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("member", 403), ("moderator", 200), ("admin", 200)]
)
@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_only_organisers_see_the_participants(app, db_session, full_house, role, status, suffix):
    client = app.test_client()
    if role:
        login_as(client, make_user(db_session, role=role, locale="en"))
    answer = client.get(f"/events/{full_house.id}/participants{suffix}", headers=EN)
    assert answer.status_code == status
    if status == 403:
        assert "organisers can see who registered." in answer.get_data(as_text=True)


def test_the_participant_page_lists_both_lists_with_answers(client, full_house, mod):
    login_as(client, mod)
    page = client.get(f"/events/{full_house.id}/participants", headers=EN).get_data(as_text=True)
    assert "2 registered of 2 seats, 1 on the waitlist." in page
    registered, waiting = page.split('id="waitlist-heading"')
    assert "Åsa Öberg" in registered and "vegan; inga nötter" in registered
    assert "Väntande Person" in waiting and "@Region" in waiting
    event_page = client.get(f"/events/{full_house.id}", headers=EN).get_data(as_text=True)
    assert f'href="/events/{full_house.id}/participants"' in event_page


def test_the_csv_opens_in_swedish_excel_and_defuses_formulas(client, full_house, mod):
    login_as(client, mod)
    answer = client.get(f"/events/{full_house.id}/participants.csv", headers=EN)
    assert answer.mimetype == "text/csv" and "attachment" in answer.headers["Content-Disposition"]
    body = answer.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body[3:].decode("utf-8")
    assert text.count("\r\n") == 4 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == [
        "Name",
        "Organisation (profile)",
        "State",
        "Waitlist place",
        "Registered at",
        "Organisation",
        "Dietary needs",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    evil = by_name['\'=HYPERLINK("http://evil")']
    assert evil[2] == "Registered" and evil[5] == "'+46 Malmö"
    assert by_name["Åsa Öberg"][5:] == ["Lunds kommun", "'-"]
    assert by_name["Väntande Person"][2:4] == ["On the waitlist", "1"]
    assert by_name["Väntande Person"][5] == "'@Region"


def test_the_csv_has_commas_when_asked(client, full_house, mod):
    login_as(client, mod)
    body = client.get(f"/events/{full_house.id}/participants.csv?sep=comma", headers=EN).get_data()
    rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))
    assert rows[0][:2] == ["Name", "Organisation (profile)"]
    assert '\'=HYPERLINK("http://evil")' in {row[0] for row in rows[1:]}


def test_the_personal_feed_lists_seats_with_the_join_link_behind_a_secret(
    app, client, db_session, mod, full_house
):
    member = make_user(db_session, locale="en")
    with app.test_request_context("/"):
        waiting = upcoming_event(db_session, mod, days=3, title="Väntar", capacity=1)
    client_as(app, make_user(db_session)).post(f"/events/{waiting.id}/register")
    login_as(client, member)
    client.post(f"/events/{waiting.id}/register", data={"waitlist": "1"})
    with app.test_request_context("/"):
        seated = upcoming_event(db_session, mod, days=4, title="Har plats")
    client.post(f"/events/{seated.id}/register")
    page = client.get("/events/mine", headers=EN).get_data(as_text=True)
    assert "Get a secret calendar address" in page and ".ics" not in page
    assert client.post("/events/mine/calendar").status_code == 303
    page = client.get("/events/mine", headers=EN).get_data(as_text=True)
    first = re.search(r'value="http://[^"]+(/events/mine/[^"]+\.ics)"', page).group(1)
    feed = app.test_client().get(first)  # a calendar program has no session
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert feed.headers["Cache-Control"] == "private, no-store"
    calendar = icalendar.Calendar.from_ical(feed.get_data())
    entries = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(entries) == {"Har plats"}
    assert "https://meet.example.org/t2030" in str(entries["Har plats"]["description"])
    assert str(entries["Har plats"]["location"]).endswith(f"/events/{seated.id}")
    assert client.post("/events/mine/calendar").status_code == 303
    assert app.test_client().get(first, headers=EN).status_code == 404
    page = client.get("/events/mine", headers=EN).get_data(as_text=True)
    assert "New secret address" in page and first not in page
    assert app.test_client().get("/events/mine/wrong.ics").status_code == 404
    assert app.test_client().get(f"/events/mine/{'x' * 300}.ics").status_code == 404


def test_the_public_calendar_files_never_hold_the_join_link(app, client, db_session, full_house):
    registered = make_user(db_session)
    login_as(client, registered)
    for path in (f"/events/{full_house.id}.ics", "/events.ics"):
        body = client.get(path).get_data(as_text=True)
        assert "meet.example.org" not in body and f"/events/{full_house.id}" in body
