"""English pages and mail write dates the British way (day before month, 24-hour clock), as a
forum run from Malmö should; Swedish ones as before; the interface language stays ``en``."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date

from forum.i18n import current_language, format_datetime, in_language
from tests.factories import LESSON_SV, make_lesson


def test_english_dates_are_british(app):
    moment = datetime(2026, 3, 4, 17, 5)  # 18:05 in Stockholm
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert current_language() == "en"
        assert format_datetime(moment, "short") == "04/03/2026, 18:05"
        assert format_date(moment, "long") == "4 March 2026"
    with app.test_request_context("/?lang=sv"):
        app.preprocess_request()
        assert current_language() == "sv"
        assert format_datetime(moment, "short") == "2026-03-04 18:05"


def test_mail_in_english_uses_the_same_dates(app):
    with app.app_context(), in_language("en"):
        assert format_date(datetime(2026, 3, 4), "long") == "4 March 2026"
        assert current_language() == "en"


def test_an_english_lesson_page_shows_a_british_date(app, client, db_session, member, project):
    with app.test_request_context("/"):
        lesson = make_lesson(db_session, project, member, **LESSON_SV)
    lesson.published_at = lesson.updated_at = datetime(2026, 3, 4, 12)
    db_session.commit()
    page = client.get(f"/lessons/{lesson.id}-{lesson.slug}?lang=en").text
    assert "published 4 March 2026" in page
    assert '<html lang="en">' in page
