"""Moderation: reports, the review queue, curation actions and the audit trail."""

# Connected from the moment the area is imported: the audit trail listens to role changes of
# accounts, the approval queue to new posts.
from . import approval, audit  # noqa: F401
