"""A POST without a valid CSRF token is a 400 that says what happened, in the user's
language."""

from __future__ import annotations

import pytest

from forum import create_app


@pytest.fixture
def csrf_client(app_settings):
    application = create_app({**app_settings, "WTF_CSRF_ENABLED": True})
    yield application.test_client()
    application.extensions["forum_engine"].dispose()


@pytest.mark.parametrize(
    "path", ["/login", "/register", "/report", "/threads/1/replies", "/logout"]
)
def test_post_without_csrf_token_explains_itself(csrf_client, path):
    response = csrf_client.post(path, data={"body": "hej"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<html" in html and "This form has expired or did not come from this site." in html


def test_htmx_post_without_csrf_token_gets_the_swedish_fragment(csrf_client):
    response = csrf_client.post(
        "/login",
        data={"csrf_token": "forged"},
        headers={"HX-Request": "true", "Accept-Language": "sv"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Formuläret har gått ut" in html
