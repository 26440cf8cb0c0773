"""The invitation list: anyone signs up with an e-mail address (double opt-in) to receive the
partnership's invitations; admins write them in Markdown and send them to the list through the
job worker, throttled; sent invitations form a public archive; every mail can be unsubscribed
from in one click (RFC 8058).

API for other areas: none to import. The area answers ``events.account_deleted`` (``service``)
and the data export (``export``, registered with the blueprint).
"""

from . import service  # noqa: F401  (connects the account_deleted receiver)
