"""What a notification can be about, and how members choose to get each kind by mail.

Kinds are grouped for the mail settings: a member picks, per group, ``immediate`` (a mail soon
after it happens), ``daily`` or ``weekly`` (a digest), or ``never``. No choice: ``DEFAULTS``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_REPLY = "reply"  # a reply in a thread or lesson I watch
KIND_NEW_THREAD = "new_thread"  # in a theme, project, goal or saved search I watch
KIND_NEW_LESSON = "new_lesson"
KIND_MENTION = "mention"
KIND_SOLUTION = "solution"  # my reply was marked as the solution
KIND_FEATURED = "featured"  # my lesson was featured
KIND_REPORT = "report"  # moderators: a new report
KIND_APPROVAL = "approval"  # moderators: a post waits for approval
KINDS = (
    KIND_REPLY,
    KIND_NEW_THREAD,
    KIND_NEW_LESSON,
    KIND_MENTION,
    KIND_SOLUTION,
    KIND_FEATURED,
    KIND_REPORT,
    KIND_APPROVAL,
)

IMMEDIATE, DAILY, WEEKLY, NEVER = "immediate", "daily", "weekly", "never"
FREQUENCIES = (IMMEDIATE, DAILY, WEEKLY, NEVER)
FREQUENCY_LABELS = {
    IMMEDIATE: _l("At once"),
    DAILY: _l("Daily digest"),
    WEEKLY: _l("Weekly digest"),
    NEVER: _l("Never"),
}

# group: (its kinds, the default frequency, its label on /settings and the unsubscribe page)
GROUPS = {
    "replies": ((KIND_REPLY,), DAILY, _l("Replies in what I watch")),
    "new_items": (
        (KIND_NEW_THREAD, KIND_NEW_LESSON),
        DAILY,
        _l("New threads and lessons in themes, projects, goals and searches I watch"),
    ),
    "mentions": ((KIND_MENTION,), IMMEDIATE, _l("Mentions of me")),
    "my_content": (
        (KIND_SOLUTION, KIND_FEATURED),
        DAILY,
        _l("My reply marked as the solution, my lesson featured"),
    ),
    # moderators' work waits for them: at once, so that a report is seen within minutes
    "moderation": (
        (KIND_REPORT, KIND_APPROVAL),
        IMMEDIATE,
        _l("New reports and posts waiting for approval (moderators)"),
    ),
}
GROUP_OF_KIND = {kind: group for group, (kinds, _, _) in GROUPS.items() for kind in kinds}
DEFAULTS = {group: default for group, (_, default, _) in GROUPS.items()}
GROUP_LABELS = {group: label for group, (_, _, label) in GROUPS.items()}
