"""Discussions: threads per theme, posts, revisions, useful marks, solutions."""
