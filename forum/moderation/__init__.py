"""Moderation: reports, the review queue, curation actions and the audit trail (issue 7)."""
