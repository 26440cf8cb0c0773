"""Lessons: what a project learnt, written in sections, discussed, marked useful and exported."""
