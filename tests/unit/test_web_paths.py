"""``path_for`` gives exactly the path ``url_for`` gives, for every id."""

from __future__ import annotations

import pytest
from flask import url_for

from forum.web.paths import path_for

CASES = [
    ("discussions.post_permalink", {"post_id": 7}),
    ("discussions.quote_into_reply", {"post_id": 2_147_483_647}),
    ("discussions.thread_page", {"thread_id": 12, "slug": "fjarrvarme-i-hyllie"}),
    ("discussions.thread_page", {"thread_id": 12, "slug": "annan", "page": 3}),
    ("moderation.post_simple_action", {"post_id": 1, "action": "restore"}),
    ("site.home", {}),
]


@pytest.mark.parametrize(("endpoint", "values"), CASES)
def test_same_path_as_url_for(app, endpoint, values):
    with app.test_request_context("/"):
        assert path_for(endpoint, **values) == url_for(endpoint, **values)
        again = {k: v + 1 if type(v) is int else v for k, v in values.items()}
        assert path_for(endpoint, **again) == url_for(endpoint, **again)


def test_under_a_script_root(app):
    with app.test_request_context("/", base_url="http://localhost/forum"):
        assert path_for("discussions.post_permalink", post_id=5) == "/forum/posts/5"
    with app.test_request_context("/"):
        assert path_for("discussions.post_permalink", post_id=5) == "/posts/5"
