"""Browser tests: the real app on a free 127.0.0.1 port, driven by Debian's Chromium."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from forum import create_app
from forum.config import PROJECT_ROOT
from tests.conftest import test_settings

CHROMIUM = "/usr/bin/chromium"
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Never download a browser: Debian's Chromium with flags that keep it off the network."""
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
        ],
    }


class LiveServer:
    def __init__(self, app, host: str = "127.0.0.1"):
        self.app = app
        self.server = make_server(host, 0, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_app_settings(tmp_path_factory, migrated_db_template, smtp_server_session) -> dict:
    base = tmp_path_factory.mktemp("live")
    db_path = base / "forum.db"
    shutil.copy(migrated_db_template, db_path)
    return test_settings(
        DATABASE_URL=f"sqlite:///{db_path}",
        SEARCH_DIR=str(base / "search_index"),
        INSTANCE_DIR=str(base / "instance"),
        MAIL_DIR=str(base / "instance" / "mail"),
        WTF_CSRF_ENABLED=True,  # the browser goes through the real forms
        # mail goes to a real SMTP server (aiosmtpd on 127.0.0.1): read it with smtp_server_session
        **smtp_server_session.settings,
    )


@pytest.fixture(scope="session")
def live_app(live_app_settings):
    return create_app(live_app_settings)


@pytest.fixture(scope="session")
def live_server(live_app):
    server = LiveServer(live_app).start()
    live_app.config["SERVER_URL"] = server.url  # links in e-mails point at this server
    yield server
    server.stop()


@pytest.fixture
def axe():
    """Run axe-core in the page; return the serious and critical violations."""
    source = Path(AXE_JS).read_text(encoding="utf-8")

    def run(page) -> list[dict]:
        # evaluated through the DevTools protocol: an inline <script> would be refused by the
        # forum's Content-Security-Policy (script-src 'self')
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source + ";undefined")
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Swedish browser by default (Accept-Language: sv-SE); tests switch to English in the UI."""
    return {**browser_context_args, "locale": "sv-SE"}
