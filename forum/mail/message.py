"""A message: plain text + HTML in the recipient's language, sent over SMTP or into ``.eml`` files.

* ``compose(...)`` renders ``templates/mail/<name>.txt`` and ``.html`` with the recipient's locale.
* ``deliver(message)`` sends it through ``FORUM_MAIL_SERVER`` (smtplib; STARTTLS or SSL and login
  when configured). Without a server it writes ``<MAIL_DIR>/<time>-<id>.eml`` and logs the path,
  so a newcomer running ``make run`` can open the confirmation link.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, render_template

from ..i18n import in_language

log = logging.getLogger("forum.mail")


class MailError(RuntimeError):
    """The message could not be delivered."""


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    use_ssl: bool
    sender: str
    directory: str
    timeout: float

    @classmethod
    def from_config(cls, config) -> MailSettings:
        return cls(
            server=config.get("MAIL_SERVER") or None,
            port=int(config.get("MAIL_PORT") or 25),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            sender=config["MAIL_SENDER"],
            directory=config["MAIL_DIR"],
            timeout=float(config.get("MAIL_TIMEOUT") or 10.0),
        )


def compose(
    *, to: str, to_name: str | None = None, subject, template: str, locale: str, **context
) -> EmailMessage:
    """Build a message from ``mail/<template>.txt`` and ``.html`` in ``locale``.

    ``subject`` may be a lazy string; it is translated in the recipient's language.
    """
    settings = MailSettings.from_config(current_app.config)
    with in_language(locale):
        subject_text = str(subject)
        context = {**context, "subject": subject_text, "locale": locale}
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    message = EmailMessage()
    message["Subject"] = subject_text
    message["From"] = settings.sender
    if to_name:  # a header never carries line breaks or other control characters
        to_name = " ".join("".join(ch if ch.isprintable() else " " for ch in to_name).split())
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Date"] = format_datetime(datetime.now(UTC))
    sender_domain = parseaddr(settings.sender)[1].partition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=sender_domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale  # after set_content, which clears Content-* headers
    return message


def add_unsubscribe_headers(message: EmailMessage, *, url: str, mailto: str | None = None) -> None:
    """``List-Unsubscribe`` (the https ``url``, and ``mailto`` when a mailbox reads it) and
    ``List-Unsubscribe-Post`` (RFC 8058): a mail program may unsubscribe with one POST to ``url``,
    which must work without a session or CSRF token."""
    targets = [f"<{url}>"] + ([f"<mailto:{mailto}?subject=unsubscribe>"] if mailto else [])
    message["List-Unsubscribe"] = ", ".join(targets)
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def deliver(message: EmailMessage, settings: MailSettings | None = None) -> str:
    """Send ``message`` now. Returns where it went (``smtp://host:port`` or the file path)."""
    settings = settings or MailSettings.from_config(current_app.config)
    if not settings.server:
        return str(_write_eml(message, Path(settings.directory)))
    try:
        if settings.use_ssl:
            smtp = smtplib.SMTP_SSL(
                settings.server,
                settings.port,
                timeout=settings.timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
        with smtp:
            if settings.use_tls and not settings.use_ssl:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(
            f"could not send mail via {settings.server}:{settings.port}: {exc}"
        ) from exc
    log.info("Mail to %s sent via %s:%s", message["To"], settings.server, settings.port)
    return f"smtp://{settings.server}:{settings.port}"


def _write_eml(message: EmailMessage, directory: Path) -> Path:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(message))
    except OSError as exc:
        raise MailError(f"could not write mail to {directory}: {exc}") from exc
    log.info(
        "Mail to %s (%s) written to %s: no SMTP server configured (FORUM_MAIL_SERVER)",
        message["To"],
        message["Subject"],
        path,
    )
    return path
