"""Moderation: reports, the review queue, curation actions and the audit trail."""

# The audit trail listens to the role changes of accounts from the moment the area is imported.
from . import audit  # noqa: F401
