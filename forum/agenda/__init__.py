"""Events: webinars, workshops, seminars, conferences, study visits and meetings, with a month
calendar and iCalendar files and feed.

API for other areas: none to import yet. Organisers, moderators and admins write events and
series; everybody reads the published and cancelled ones.
"""

# Registered when imported: the mail receivers, the mail composer and the reminder job; the
# daily job that adds a series' occurrences.
from . import mail_receivers, mailing, reminders, series  # noqa: F401
