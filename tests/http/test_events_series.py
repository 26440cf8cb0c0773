"""Series, organisers and history over HTTP: the series page in Swedish and English, the form's
friendly and raw rules and its 422s, who may do what (anonymous, member, organiser, moderator,
admin), co-organisers by @handle, the history of an event, the series filter and paging."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from forum.accounts.models import Role
from forum.agenda.models import Event
from forum.agenda.series_models import EventOrganiser, EventSeries
from forum.agenda.service import to_local, update_event
from forum.clock import utcnow
from tests.events_helpers import event_input, make_event, make_series
from tests.factories import login_as, make_user

EN = {"Accept-Language": "en"}
SV = {"Accept-Language": "sv"}
HX = {"HX-Request": "true", "Accept-Language": "en"}
YEAR = to_local(utcnow()).year + 1
FIRST = date(YEAR, 1, 1)


@pytest.fixture
def organiser(db_session):
    return make_user(db_session, role="organiser", locale="en", display_name="Olga Organiser")


@pytest.fixture
def series(app, db_session, organiser):
    with app.test_request_context("/"):
        return make_series(db_session, organiser, first=FIRST, today=FIRST)


def series_form(**overrides) -> dict:
    data = {
        "kind": "webinar",
        "language": "sv",
        "title": "Lunchwebbinarium",
        "summary": "Varje månad.",
        "first_date": FIRST.isoformat(),
        "start_time": "12:00",
        "end_time": "13:00",
        "pattern": "monthly",
        "ordinal": "2",
        "weekday": "FR",
        "rule": "",
        "ends": "never",
        "online": "y",
        "join_url": "https://meet.example.org/lunch",
        "project_id": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def occurrences(db_session, series_id) -> list[Event]:
    rows = db_session.exec(
        select(Event).where(Event.series_id == series_id).order_by(Event.recurrence_date)
    )
    return list(rows.all())


@pytest.mark.parametrize("headers", [EN, HX])
def test_the_series_page_in_english_with_its_dates_and_organisers(client, series, headers):
    answer = client.get(f"/events/series/{series.id}", headers=headers)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Every month on the second Friday, 12:00–13:00" in page
    assert "Coming dates" in page and "Olga Organiser" in page and 'href="/u/' in page
    assert f'href="/events/series/{series.id}.ics"' in page
    assert "Edit the series" not in page


def test_the_series_page_in_swedish_and_unknown_series(client, series):
    page = client.get(f"/events/series/{series.id}", headers=SV).get_data(as_text=True)
    assert "Den andra fredagen varje månad, 12:00–13:00" in page and "Kommande datum" in page
    assert client.get("/events/series/999999", headers=EN).status_code == 404
    assert client.get("/events/series/999999.ics", headers=EN).status_code == 404


def test_an_occurrence_page_names_its_series(client, db_session, series):
    first = occurrences(db_session, series.id)[0]
    page = client.get(f"/events/{first.id}", headers=EN).get_data(as_text=True)
    assert "One date of the series" in page and f'href="/events/series/{series.id}"' in page
    assert "Olga Organiser" in page


def test_an_organiser_creates_a_series_from_the_friendly_choice(client, db_session, organiser):
    login_as(client, organiser)
    assert client.get("/events/series/new", headers=EN).status_code == 200
    answer = client.post("/events/series/new", data=series_form(), headers=EN)
    assert answer.status_code == 303
    created = db_session.exec(select(EventSeries)).one()
    assert answer.headers["Location"] == f"/events/series/{created.id}"
    assert created.rule == "FREQ=MONTHLY;BYDAY=2FR"
    dates = occurrences(db_session, created.id)
    assert len(dates) >= 11 and all(d.recurrence_date.weekday() == 4 for d in dates)
    organisers = db_session.exec(
        select(EventOrganiser.user_id).where(EventOrganiser.event_id == dates[0].id)
    ).all()
    assert organisers == [organiser.id]


def test_a_raw_rule_with_an_end_and_the_edit_form_shows_it_back(client, db_session, organiser):
    login_as(client, organiser)
    data = series_form(pattern="advanced", rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4")
    assert client.post("/events/series/new", data=data, headers=EN).status_code == 303
    created = db_session.exec(select(EventSeries)).one()
    assert len(occurrences(db_session, created.id)) == 4
    form = client.get(f"/events/series/{created.id}/edit", headers=EN).get_data(as_text=True)
    assert 'value="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4"' in form


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pattern": "advanced", "rule": "FREQ=HOURLY"}, "FREQ=HOURLY is not allowed"),
        ({"pattern": "advanced", "rule": "BYDAY=2FR"}, "The rule needs a FREQ"),
        ({"pattern": "advanced", "rule": "FREQ=MONTHLY;BYDAY=2XX"}, "cannot be read"),
        ({"pattern": "advanced", "rule": "FREQ=DAILY"}, "at most 500 occurrences"),
        ({"pattern": "advanced", "rule": ""}, "Write a recurrence rule"),
        ({"ends": "count", "count": "501"}, "From 1 to 500."),
        ({"end_time": "11:00"}, "The event must end after it starts."),
        ({"first_date": "soon"}, "Give the date as YYYY-MM-DD."),
    ],
)
def test_bad_series_come_back_as_422_with_the_form_filled(
    client, db_session, organiser, overrides, message
):
    login_as(client, organiser)
    for headers in (EN, HX):
        answer = client.post("/events/series/new", data=series_form(**overrides), headers=headers)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422
        assert message in page and 'value="Lunchwebbinarium"' in page
        if overrides.get("rule"):
            assert f'value="{overrides["rule"]}"' in page
    assert db_session.exec(select(EventSeries)).first() is None
    assert db_session.exec(select(Event)).first() is None


def test_a_bad_rule_is_refused_in_swedish(client, db_session):
    login_as(client, make_user(db_session, role="organiser", locale="sv"))
    data = series_form(pattern="advanced", rule="FREQ=MINUTELY")
    answer = client.post("/events/series/new", data=data, headers=SV)
    assert answer.status_code == 422
    assert "FREQ=MINUTELY är inte tillåtet" in answer.get_data(as_text=True)


SERIES_ROUTES = [
    ("GET", "/events/series/new"),
    ("POST", "/events/series/new"),
    ("GET", "/events/series/{series}/edit"),
    ("POST", "/events/series/{series}/edit"),
    ("GET", "/events/{occurrence}/edit"),
    ("POST", "/events/{occurrence}/edit"),
    ("GET", "/events/{occurrence}/cancel"),
]


@pytest.mark.parametrize(("method", "path"), SERIES_ROUTES)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (None, False),
        ("member", False),
        ("organiser", "new only"),
        ("author", True),
        ("moderator", True),
        ("admin", True),
    ],
)
def test_who_may_write_series_and_occurrences(
    client, db_session, series, organiser, method, path, role, allowed
):
    if role == "author":
        login_as(client, organiser)
    elif role:
        login_as(client, make_user(db_session, role=role, locale="en"))
    first = occurrences(db_session, series.id)[0]
    url = path.format(series=series.id, occurrence=first.id)
    if "/events/series" in url:
        data = series_form(title="Ändrad")
    else:
        data = {**series_form(title="Ändrad"), "start_date": first.recurrence_date.isoformat()}
    answer = client.open(url, method=method, data=data, headers=EN)
    if allowed is True or (allowed == "new only" and url.endswith("/new")):
        assert answer.status_code in (200, 303), answer.get_data(as_text=True)[:300]
    else:
        assert answer.status_code == (302 if role is None else 403)
        assert db_session.exec(select(Event).where(Event.title == "Ändrad")).first() is None


def test_editing_the_series_moves_coming_dates_but_not_one_moved_on_its_own(
    client, db_session, series, organiser
):
    login_as(client, organiser)
    march = occurrences(db_session, series.id)[2]
    moved = {
        **series_form(start_time="15:00", end_time="16:00"),
        "start_date": march.recurrence_date.isoformat(),
    }
    assert client.post(f"/events/{march.id}/edit", data=moved, headers=EN).status_code == 303
    answer = client.post(
        f"/events/series/{series.id}/edit",
        data=series_form(start_time="10:00", end_time="11:00"),
        headers=EN,
    )
    assert answer.status_code == 303
    db_session.expire_all()
    times = {
        e.recurrence_date.month: to_local(e.starts_at).hour
        for e in occurrences(db_session, series.id)
    }
    assert times[3] == 15 and times[4] == 10 and times[11] == 10
    page = client.get(answer.headers["Location"], headers=EN).get_data(as_text=True)
    assert "The series was saved: 11 dates changed, 0 added, 0 removed, 0 cancelled" in page


def test_co_organisers_by_handle_may_edit_and_bad_handles_are_422(client, db_session, mod):
    helper = make_user(db_session, role="organiser", handle="hjalpare")
    make_user(db_session, handle="bara_medlem")
    login_as(client, mod)
    form = {
        "kind": "webinar",
        "language": "sv",
        "title": "Gemensamt",
        "summary": "Tillsammans.",
        "start_date": f"{YEAR}-02-12",
        "start_time": "12:00",
        "end_time": "13:00",
        "online": "y",
        "join_url": "https://meet.example.org/x",
        "project_id": "",
        "action": "publish",
    }
    for handles, message in (
        ("@nobody_here", "No member has the handle @nobody_here."),
        ("@bara_medlem", "@bara_medlem is not an event organiser"),
    ):
        answer = client.post("/events/new", data={**form, "organisers": handles}, headers=EN)
        assert answer.status_code == 422 and message in answer.get_data(as_text=True)
        assert 'value="Gemensamt"' in answer.get_data(as_text=True)
    answer = client.post("/events/new", data={**form, "organisers": "@Hjalpare"}, headers=EN)
    assert answer.status_code == 303
    event = db_session.exec(select(Event).where(Event.title == "Gemensamt")).one()
    login_as(client, helper)
    assert client.get(f"/events/{event.id}/edit", headers=EN).status_code == 200
    page = client.get(f"/events/{event.id}", headers=EN).get_data(as_text=True)
    assert helper.display_name in page


def test_the_history_of_a_published_event_is_public_and_readable(app, client, db_session, mod):
    with app.test_request_context("/"):
        event = make_event(db_session, mod, title="Före")
        update_event(
            session=db_session,
            actor=mod,
            event=event,
            data=event_input(
                title="Efter",
                starts_local=datetime(2027, 1, 15, 14),
                ends_local=datetime(2027, 1, 15, 15),
                join_url="https://meet.example.org/hemlig",
            ),
        )
        db_session.commit()
        draft = make_event(db_session, mod, publish=False)
    page = client.get(f"/events/{event.id}", headers=EN).get_data(as_text=True)
    assert f'href="/events/{event.id}/history"' in page
    for headers, words in (
        (
            EN,
            [
                "Friday 15 January 2027, 12:00",
                "Friday 15 January 2027, 14:00",
                "Title",
                "Före",
                "Efter",
                "Changed (not shown here)",
            ],
        ),
        (SV, ["fredag 15 januari 2027, 14:00", "Rubrik", "Ändrad av"]),
    ):
        history = client.get(f"/events/{event.id}/history", headers=headers)
        assert history.status_code == 200
        text = history.get_data(as_text=True)
        assert all(word in text for word in words), words
        assert "hemlig" not in text
    assert client.get(f"/events/{draft.id}/history", headers=EN).status_code == 404


def test_the_series_filter_and_paging(app, client, db_session, mod, series):
    with app.test_request_context("/"):
        for days in range(25):
            start = datetime(2020, 1, 1, 12) + timedelta(days=days)
            make_event(
                db_session,
                mod,
                title=f"Gammalt {days:02d}",
                starts_local=start,
                ends_local=start + timedelta(hours=1),
            )
    page = client.get("/events", headers=EN).get_data(as_text=True)
    assert "Gammalt 24" in page and "Gammalt 04" not in page
    assert 'href="/events?past_page=2"' in page and "Older events" in page
    older = client.get("/events?past_page=2", headers=EN).get_data(as_text=True)
    assert "Gammalt 04" in older and "Gammalt 24" not in older and "Newer events" in older
    only = client.get(f"/events?series={series.id}&month={YEAR}-03", headers=EN).get_data(True)
    assert "Gammalt" not in only and f'<option value="{series.id}" selected>' in only
    assert client.get("/events?series=abc", headers=EN).status_code == 400
    assert client.get("/events?series=999999", headers=EN).status_code == 400
    assert client.get("/events?past_page=0", headers=EN).status_code == 400


def test_an_admin_makes_a_member_an_organiser(client, db_session):
    member = make_user(db_session, display_name="Nora Ny")
    login_as(client, make_user(db_session, role="admin", locale="en"))
    page = client.get(f"/admin/users/{member.id}/role?role=organiser", headers=EN)
    assert "from Member to Event organiser?" in page.get_data(as_text=True)
    answer = client.post(f"/admin/users/{member.id}/role", data={"role": "organiser"})
    assert answer.status_code == 303
    db_session.refresh(member)
    assert member.role == Role.organiser and not member.is_moderator
    login_as(client, member)
    assert client.get("/events/new", headers=EN).status_code == 200
    assert client.get("/mod/queue", headers=EN).status_code == 403


def test_posts_without_csrf_token_are_refused(app_settings, db_session, organiser):
    from forum import create_app

    application = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    try:
        client = application.test_client()
        login_as(client, organiser)
        answer = client.post("/events/series/new", data=series_form(), headers=EN)
        assert answer.status_code == 400
        assert db_session.exec(select(EventSeries)).first() is None
    finally:
        application.extensions["forum_engine"].dispose()


def test_series_pages_read_a_constant_number_of_statements(app, client, db_session, organiser):
    from tests.statements import recording

    counts = []
    with app.test_request_context("/"):
        monthly = make_series(db_session, organiser, first=FIRST, today=FIRST)
        weekly = make_series(
            db_session, organiser, "FREQ=WEEKLY;BYDAY=TU", first=FIRST, today=FIRST
        )
    for item in (monthly, weekly):
        with recording(app.extensions["forum_engine"]) as statements:
            assert client.get(f"/events/series/{item.id}", headers=EN).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] <= 12


def test_the_daily_job_adds_dates_that_came_within_reach(app, db_session, organiser):
    from forum.agenda.series import extend_series_job
    from forum.jobs import _DEFINITIONS

    assert _DEFINITIONS["agenda.extend_series"].periodic is not None
    with app.test_request_context("/"):
        item = make_series(db_session, organiser, first=FIRST, today=FIRST - timedelta(days=300))
    before = len(occurrences(db_session, item.id))
    item.horizon = None  # as if the series had been made before the horizon moved on
    db_session.commit()
    with app.app_context():
        extend_series_job()
    db_session.expire_all()
    assert before == 2 and len(occurrences(db_session, item.id)) > before


def test_an_organiser_sees_their_own_drafts_and_not_anothers(app, client, db_session, organiser):
    other = make_user(db_session, role="organiser", locale="en")
    with app.test_request_context("/"):
        mine = make_event(db_session, organiser, publish=False, title="Mitt utkast")
        theirs = make_event(db_session, other, publish=False, title="Deras utkast")
    login_as(client, organiser)
    listing = client.get("/events?month=2027-01", headers=EN).get_data(as_text=True)
    assert "Mitt utkast" in listing and "Deras utkast" not in listing
    assert client.get(f"/events/{mine.id}", headers=EN).status_code == 200
    assert client.get(f"/events/{theirs.id}", headers=EN).status_code == 404
    assert client.get(f"/events/{theirs.id}/edit", headers=EN).status_code == 404
