"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 (a free port), recording what it receives.

``smtp_server`` (one per test) and ``smtp_server_session`` (one per test session, used by the
browser tests' live app) are imported by ``tests/conftest.py`` so every area can use them.
Point an app at it with ``{**app_settings, **smtp_server.settings}``.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Recorder:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refusals = 0  # how many of the next messages to refuse
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.lock:
            if self.refusals:
                self.refusals -= 1
                return "451 4.3.0 Try again later"
            self.messages.append(message)
        return "250 Message accepted for delivery"


class SMTPServer:
    """aiosmtpd in a thread; ``messages`` are parsed ``EmailMessage`` objects."""

    def __init__(self):
        self.recorder = _Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    @property
    def settings(self) -> dict:
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
        }

    @property
    def messages(self) -> list[EmailMessage]:
        with self.recorder.lock:
            return list(self.recorder.messages)

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to ``address`` (case-insensitive), oldest first."""
        address = address.lower()
        return [m for m in self.messages if address in str(m["X-Envelope-To"]).lower()]

    def refuse(self, count: int) -> None:
        """Answer the next ``count`` messages with a temporary failure (451)."""
        with self.recorder.lock:
            self.recorder.refusals = count

    def clear(self) -> None:
        with self.recorder.lock:
            self.recorder.messages.clear()

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


def body_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def body_html(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def first_link(message: EmailMessage, path_part: str) -> str:
    """The first http(s) link in the plain-text body that contains ``path_part``."""
    for link in re.findall(r"https?://\S+", body_text(message)):
        if path_part in link:
            return link
    raise AssertionError(f"no link containing {path_part!r} in {body_text(message)!r}")


@pytest.fixture
def smtp_server():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_server_session():
    server = SMTPServer().start()
    yield server
    server.stop()
