"""``/projects.json`` and ``/projects.csv``: the list's visible projects under CC BY 4.0, with
the list's filters, formulas defused in the CSV, a constant number of statements."""

from __future__ import annotations

import csv
import io

import pytest

from forum.moderation.items import hide_item
from forum.projects.service import PartnerInput
from tests.factories import goal, make_project, make_user
from tests.statements import recording

BOM = b"\xef\xbb\xbf"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture
def projects(app, db_session):
    author = make_user(db_session, display_name="Pia Projekt")
    mod = make_user(db_session, role="moderator")
    with app.test_request_context("/"):
        public = make_project(db_session, author, name="Västra Hamnen", status="completed")
        ongoing = make_project(
            db_session,
            author,
            name="+46 Projekt",
            municipality="Lund",
            status="ongoing",
            goal_ids=[goal(db_session, 13).id],
            partners=[PartnerInput('=HYPERLINK("http://evil.example")', "civil_society")],
            summary="-1 är minus ett",
        )
        hidden = make_project(db_session, author, name="DOLT PROJEKT")
        hide_item(session=db_session, actor=mod, item=hidden, reason="spam")
        db_session.commit()
    return public, ongoing


def test_the_json_export_lists_visible_projects_with_their_licence(client, projects):
    public, _ongoing = projects
    answer = client.get("/projects.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.headers["Link"] == f'<{CC_BY}>; rel="license"'
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    document = answer.get_json()
    assert document["licence"]["url"] == CC_BY and document["count"] == 2
    names = [p["name"] for p in document["projects"]]
    assert names == ["+46 Projekt", "Västra Hamnen"]  # the list's order, by name
    assert "DOLT PROJEKT" not in answer.get_data(as_text=True)
    [record] = [p for p in document["projects"] if p["id"] == public.id]
    assert record["url"] == f"http://localhost/projects/{public.slug}"
    assert record["status"] == "completed" and record["goals"] == [7, 11]
    assert record["partners"] == [
        {"organisation": "Malmö stad", "actor_type": "public"},
        {"organisation": "E.ON", "actor_type": "private"},
    ]
    assert record["themes"] == ["klimatneutral-framtid"]
    assert record["start_year"] == 1998 and record["updated_at"].endswith("Z")


def test_the_exports_take_the_list_filters(client, projects):
    _public, ongoing = projects
    for query in ("status=ongoing", "municipality=lund", "sdg=13"):
        document = client.get(f"/projects.json?{query}").get_json()
        assert [p["id"] for p in document["projects"]] == [ongoing.id], query
    bad = client.get("/projects.json?status=nonsense")
    assert bad.status_code == 400 and bad.get_json()["error"]["message"]
    assert client.get("/projects.csv?sdg=99").status_code == 400


@pytest.mark.parametrize(("query", "separator"), [("", ";"), ("?sep=comma", ",")])
def test_the_csv_defuses_formulas(client, projects, query, separator):
    answer = client.get(f"/projects.csv{query}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="projects.csv"'
    assert answer.headers["Link"] == f'<{CC_BY}>; rel="license"'
    body = answer.get_data()
    assert body.startswith(BOM)
    text = body[len(BOM) :].decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    row = dict(zip(header, rows[0]))
    assert row["name"] == "'+46 Projekt" and row["summary"] == "'-1 är minus ett"
    assert row["partners"] == '\'=HYPERLINK("http://evil.example") (civil_society)'
    assert row["goals"] == "13" and row["licence"] == f"CC BY 4.0 {CC_BY}"
    assert len(rows) == 2


def test_the_export_reads_with_a_constant_number_of_statements(app, client, db_session, projects):
    with app.test_request_context("/"):
        for n in range(6):
            make_project(db_session, name=f"Projekt {n}")
    engine = app.extensions["forum_engine"]
    with recording(engine) as few:
        client.get("/projects.json?status=ongoing")
    with recording(engine) as many:
        client.get("/projects.json")
    assert len(many) == len(few)
