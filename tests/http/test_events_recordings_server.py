"""An upload over the limit to the real server (gunicorn, ``tests/processes.py``): the uploader
reads the forum's 413 page with the limit, not a connection reset, because the forum reads and
drops the refused body before answering (a sync worker closing a socket with unread data resets
it, and a browser then shows a network error instead of the page)."""

from __future__ import annotations

import http.client
import io
import re
from urllib.parse import urlsplit

import requests
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.events_helpers import make_past_event
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.processes import WAIT, Forum

BODY_MB = 24  # far more than the socket buffers of the loopback take in


def test_an_oversize_upload_gets_the_413_page(app, db_session, live_settings, tmp_path):
    mod = make_user(db_session, role="moderator", locale="en", email="mod@example.org")
    with app.test_request_context("/"):
        event = make_past_event(
            db_session,
            mod,
        )
    uploads = str(tmp_path / "uploads")
    with Forum(live_settings, tmp_path, FORUM_UPLOAD_MAX_MB="1", FORUM_UPLOAD_DIR=uploads) as forum:
        session = requests.Session()
        form = session.get(f"{forum.url}/login", timeout=WAIT).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        login = session.post(
            f"{forum.url}/login",
            data={"email": "mod@example.org", "password": DEFAULT_PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=WAIT,
        )
        assert login.status_code == 303
        video = io.BytesIO(b"\x1a\x45\xdf\xa3" + b"\0" * (BODY_MB * 1024 * 1024))
        boundary, body = encode_multipart(
            {"video_url": "", "video_file": FileStorage(video, "stor.webm")}
        )
        where = urlsplit(forum.url)
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=WAIT)
        try:
            # http.client sends the whole body before reading: a reset would raise here
            connection.request(
                "POST",
                f"/events/{event.id}/recording",
                body=body,
                headers={
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Accept-Language": "en",
                    "Cookie": "; ".join(f"{k}={v}" for k, v in session.cookies.items()),
                },
            )
            response = connection.getresponse()
            page = response.read().decode()
        finally:
            connection.close()
    assert response.status == 413
    assert "a video may be at most 1 MB" in page
    assert re.search(r'<form class="form-card wide-form"[^>]*enctype="multipart/form-data"', page)
