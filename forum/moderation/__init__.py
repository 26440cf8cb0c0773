"""Moderation: reports, the review queue, curation actions and the audit trail."""
