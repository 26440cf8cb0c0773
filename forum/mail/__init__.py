"""Outgoing mail: composed in the recipient's language (``message.py``) and sent by the job worker
from an outbox in the database (``outbox.py``), so that a message leaves only if the change it
announces commits, and is not lost when a process dies. A request never waits for an SMTP server,
and delivery errors are recorded on the message, never raised into the request.
"""

from .message import MailError, MailSettings, add_unsubscribe_headers, compose, deliver
from .models import MailOutbox
from .outbox import (
    MailBacklog,
    compose_after_commit,
    composer,
    mail_backlog,
    pending_mail,
    send_after_commit,
)

__all__ = [
    "MailBacklog",
    "MailError",
    "MailOutbox",
    "MailSettings",
    "add_unsubscribe_headers",
    "compose",
    "compose_after_commit",
    "composer",
    "deliver",
    "mail_backlog",
    "pending_mail",
    "send_after_commit",
]
