"""The useful mark's icon and the author's line of a post: no emoji a desktop may lack a font for,
nothing inline for the Content-Security-Policy to refuse, and one separator between organisation
and kind."""

from __future__ import annotations

import re

from tests.factories import login_as, make_lesson, make_thread, make_user

ICON = (
    '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"'
    ' focusable="false">'
)


def _useful_button(html: str) -> str:
    found = re.search(r'<button type="submit" class="useful-button.*?</button>', html, re.S)
    assert found, "no useful button"
    return found.group(0)


def test_the_useful_mark_is_an_svg_icon_beside_its_name(client, db_session):
    thread, _ = make_thread(db_session, make_user(db_session))
    login_as(client, make_user(db_session, locale="en"))
    html = client.get(f"/threads/{thread.id}-{thread.slug}").get_data(as_text=True)
    button = _useful_button(html)
    assert ICON in button and "👍" not in html
    # the icon is decorative: the button's name is its words and count
    assert re.sub(r"<[^>]+>", "", button).split() == ["Useful", "0"]
    assert " style=" not in html


def test_a_lessons_useful_mark_has_the_same_icon(app, client, db_session, project):
    with app.test_request_context():
        lesson = make_lesson(db_session, project)
    login_as(client, make_user(db_session, locale="en"))
    html = client.get(f"/lessons/{lesson.id}", follow_redirects=True).get_data(as_text=True)
    assert ICON in _useful_button(html) and "👍" not in html and " style=" not in html


def test_organisation_and_kind_share_one_item_with_one_separator(client, db_session):
    author = make_user(db_session, organisation="Malmö stad", actor_type="public")
    without_organisation = make_user(db_session, organisation="", actor_type="academia")
    thread, _ = make_thread(
        db_session, author, replies=[(without_organisation, "Ett svar om skyfall")]
    )
    html = client.get(f"/threads/{thread.id}-{thread.slug}?lang=en").get_data(as_text=True)
    assert (
        '<span class="author-affiliation"><span class="author-org">Malmö stad</span> · '
        '<span class="author-kind">Public sector</span></span>'
    ) in html
    assert (
        '<span class="author-affiliation"><span class="author-kind">Academia</span></span>' in html
    )
