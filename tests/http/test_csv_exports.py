"""Every CSV export is safe to open in a spreadsheet and opens right in Swedish Excel: UTF-8
with a byte order mark, ``;`` by default (``?sep=comma`` for ``,``), CRLF, and a cell that
would start a formula begins with an apostrophe."""

from __future__ import annotations

import csv
import io

import pytest

from forum.web.spreadsheets import FORMULA_STARTS, csv_bytes, safe_cell
from tests.factories import make_lesson, make_project, make_user

BOM = b"\xef\xbb\xbf"


def _rows(body: bytes, separator: str) -> list[list[str]]:
    assert body.startswith(BOM)
    text = body[len(BOM) :].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # CRLF line ends (a cell's own breaks aside)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_that_would_start_a_formula_is_text(start):
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize("value", ["Malmö", "1+1", "a=b", "", None, 42, "'quoted"])
def test_other_cells_are_unchanged(value):
    assert safe_cell(value) == ("" if value is None else str(value))


def test_the_file_has_a_bom_semicolons_and_safe_cells():
    body = csv_bytes(["Namn", "=Svar"], [["Åsa; Öberg", '=HYPERLINK("http://evil")']])
    assert _rows(body, ";") == [["Namn", "'=Svar"], ["Åsa; Öberg", '\'=HYPERLINK("http://evil")']]


@pytest.fixture
def evil_lesson(app, db_session):
    author = make_user(db_session, display_name="@Evil Author")
    with app.test_request_context("/"):
        project = make_project(db_session, author, name="+46 Projekt")
        return make_lesson(
            db_session,
            project,
            author,
            title='=HYPERLINK("http://evil.example","Klicka")',
            context="-2+3 är ett tal",
            advice="@SUM(A1:A9)",
            language="sv",
        )


@pytest.mark.parametrize(("query", "separator"), [("", ";"), ("?sep=comma", ","), ("?sep=x", ";")])
def test_the_lessons_csv_defuses_formulas_for_swedish_excel(client, evil_lesson, query, separator):
    answer = client.get(f"/lessons.csv{query}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="lessons.csv"'
    header, *rows = _rows(answer.get_data(), separator)
    row = dict(zip(header, rows[0]))
    assert row["title"] == '\'=HYPERLINK("http://evil.example","Klicka")'
    assert row["project"] == "'+46 Projekt" and row["author"] == "'@Evil Author"
    assert row["context"] == "'-2+3 är ett tal" and row["advice"] == "'@SUM(A1:A9)"
    assert row["id"] == str(evil_lesson.id) and row["licence"].startswith("CC BY 4.0")
