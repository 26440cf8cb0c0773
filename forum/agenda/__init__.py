"""Events: webinars, workshops, seminars, conferences, study visits and meetings, with a month
calendar and iCalendar files and feed.

API for other areas: none to import yet. Organisers, moderators and admins write events and
series; everybody reads the published and cancelled ones.
"""

# The daily job that adds a series' occurrences registers when imported.
from . import series  # noqa: F401
