"""Moderation: reports, the review queue, curation actions and the audit trail."""

# Connects the approval's receiver of new posts whenever moderation is part of the application.
from . import approval  # noqa: F401
