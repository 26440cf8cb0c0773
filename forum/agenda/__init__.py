"""Events: webinars, workshops, seminars, conferences, study visits and meetings, with a month
calendar and iCalendar files and feed.

API for other areas: none to import yet. Moderators and admins write events; everybody reads the
published and cancelled ones.
"""

# Mail to participants: the receivers connect, the composer and the reminder job register.
from . import mail_receivers, mailing, reminders  # noqa: F401
