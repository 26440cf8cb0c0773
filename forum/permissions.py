"""Permission rules: pure predicates on (user, object), shared by views, services and templates.

Every predicate accepts flask-login's anonymous user as well as a ``User``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from .clock import utcnow


def is_member(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_moderator(user) -> bool:
    """Holds the moderator or admin role, suspended or not. What moderators may see and do
    (hidden content, drafts, curation) asks ``can_moderate``: may moderate now."""
    return is_member(user) and bool(getattr(user, "is_moderator", False))


def is_admin(user) -> bool:
    return is_member(user) and bool(getattr(user, "is_admin", False))


def is_suspended(user, now: datetime | None = None) -> bool:
    until = getattr(user, "suspended_until", None)
    return is_member(user) and until is not None and until > (now or utcnow())


def can_participate(user) -> bool:
    """Post, mark useful, report: logged in, e-mail confirmed, not suspended."""
    return is_member(user) and bool(getattr(user, "is_confirmed", False)) and not is_suspended(user)


# --- discussions -----------------------------------------------------------------------------
def _is_author(user, obj) -> bool:
    return (
        is_member(user)
        and obj is not None
        and obj.author_id is not None
        and obj.author_id == user.id
    )


def can_view_thread(user, thread) -> bool:
    """Hidden threads are visible to moderators, and to their author (who sees why, or that the
    thread waits for approval)."""
    return thread is not None and (
        thread.hidden_at is None or can_moderate(user) or _is_author(user, thread)
    )


def can_start_thread(user) -> bool:
    return can_participate(user)


def can_reply(user, thread) -> bool:
    """Locked threads take no replies from anybody (moderators unlock first)."""
    return can_participate(user) and can_view_thread(user, thread) and not thread.locked


def can_edit_post(user, post, thread=None) -> bool:
    """Authors edit their own visible posts (not in a locked thread); moderators edit any post."""
    if not can_participate(user) or post is None:
        return False
    if can_moderate(user):
        return True
    if not _is_author(user, post) or post.deleted_at is not None or post.hidden_at is not None:
        return False
    return thread is None or not thread.locked


def can_delete_post(user, post, thread=None) -> bool:
    """Only the author deletes (softly); moderators hide instead."""
    if not can_participate(user) or not _is_author(user, post) or post.deleted_at is not None:
        return False
    return thread is None or not thread.locked


def can_mark_useful(user, post) -> bool:
    """Any participant, on a visible post of somebody else."""
    return (
        can_participate(user)
        and post is not None
        and post.deleted_at is None
        and post.hidden_at is None
        and not _is_author(user, post)
    )


def can_mark_solution(user, thread) -> bool:
    """The thread's author or a moderator chooses the reply that solved it."""
    return (
        can_participate(user)
        and thread is not None
        and (_is_author(user, thread) or can_moderate(user))
    )


def can_view_revisions(user, post) -> bool:
    return post is not None and (can_moderate(user) or _is_author(user, post))


def can_view_hidden_post(user, post) -> bool:
    return post is not None and (post.hidden_at is None or can_moderate(user))


# --- moderation -------------------------------------------------------------------------


def can_moderate(user) -> bool:
    """Reach the review queue, the audit log and every curation action: moderators and admins
    whose account is active and not suspended."""
    return is_moderator(user) and bool(getattr(user, "is_active", True)) and not is_suspended(user)


def can_delete_permanently(user) -> bool:
    """Erase a post for good (the audit entry stays): admins only."""
    return can_moderate(user) and is_admin(user)


def can_suspend(actor, target) -> bool:
    """Warn or suspend ``target``: a moderator only members; an admin also moderators; nobody
    an admin or themselves."""
    if (
        not can_moderate(actor)
        or target is None
        or getattr(target, "id", None) == getattr(actor, "id", None)
    ):
        return False
    if is_admin(target):
        return False
    if is_moderator(target):
        return is_admin(actor)
    return True


def can_change_role(actor, target) -> bool:
    """Only admins change roles, never their own."""
    return (
        can_delete_permanently(actor)
        and target is not None
        and getattr(target, "id", None) != getattr(actor, "id", None)
    )


def can_report(user) -> bool:
    """Report a post, lesson or project: the same people who may post."""
    return can_participate(user)


# --- projects and lessons ---------------------------------------------------------------------
def is_hidden_for(user, item) -> bool:
    """A lesson or project a moderator hid: everyone but moderators sees only the notice."""
    return (
        item is not None and getattr(item, "hidden_at", None) is not None and not can_moderate(user)
    )


def can_create_project(user) -> bool:
    """Any confirmed, unsuspended member."""
    return can_participate(user)


def can_edit_project(user, project) -> bool:
    """The project's creator and moderators."""
    if project is None or not can_participate(user) or is_hidden_for(user, project):
        return False
    return can_moderate(user) or (project.creator_id is not None and project.creator_id == user.id)


def can_write_lesson(user) -> bool:
    """Any participant may add a lesson to any project."""
    return can_participate(user)


def can_view_lesson(user, lesson) -> bool:
    """Published lessons are public; a draft is visible to its author only."""
    if lesson is None:
        return False
    if lesson.status == "published":
        return True
    return is_member(user) and lesson.author_id is not None and lesson.author_id == user.id


def can_edit_lesson(user, lesson) -> bool:
    """Its author; moderators may edit published lessons (never somebody's draft)."""
    if (
        lesson is None
        or not can_participate(user)
        or not can_view_lesson(user, lesson)
        or is_hidden_for(user, lesson)
    ):
        return False
    return (lesson.author_id is not None and lesson.author_id == user.id) or can_moderate(user)


def can_feature_lesson(user, lesson) -> bool:
    return (
        lesson is not None
        and lesson.status == "published"
        and can_participate(user)
        and can_moderate(user)
    )


def can_mark_lesson_useful(user, lesson) -> bool:
    """Any participant, on a published lesson of somebody else."""
    return (
        lesson is not None
        and lesson.status == "published"
        and getattr(lesson, "hidden_at", None) is None
        and can_participate(user)
        and lesson.author_id != user.id
    )


# --- accounts ---------------------------------------------------------------------------------
def can_manage_users(user) -> bool:
    """The user administration (/admin/users): admins (roles change through can_change_role)."""
    return is_admin(user) and bool(getattr(user, "is_active", True))


def can_manage_glossary(user) -> bool:
    """The search glossary (/admin/glossary): administrators only."""
    return is_admin(user) and bool(getattr(user, "is_active", True))


def can_link_thread_project(user, thread) -> bool:
    """Naming the project a thread is about: its author or a moderator (discussion threads only)."""
    if (
        thread is None
        or getattr(thread, "kind", "discussion") != "discussion"
        or not can_participate(user)
    ):
        return False
    return can_moderate(user) or (thread.author_id is not None and thread.author_id == user.id)


# --- events ------------------------------------------------------------------------------------
def is_organiser(user) -> bool:
    """The account has the organiser role (given by an admin): not a moderator."""
    return is_member(user) and bool(getattr(user, "is_organiser", False))


def can_manage_events(user) -> bool:
    """Create events and series: active, unsuspended organisers, moderators and admins."""
    return (
        is_member(user)
        and bool(getattr(user, "is_active", True))
        and not is_suspended(user)
        and (can_moderate(user) or is_organiser(user))
    )


def can_manage_event(user, event, organiser_ids) -> bool:
    """Edit, publish, cancel one event or series (``event``): moderators and admins all of them,
    organisers those they organise (``organiser_ids``: the user ids in its organiser table)."""
    if event is None or not can_manage_events(user):
        return False
    return can_moderate(user) or user.id in set(organiser_ids or ())


def can_view_event(user, event, organiser_ids=()) -> bool:
    """Published and cancelled events are public; a draft is seen by moderators and admins and
    by its organisers."""
    if event is None:
        return False
    return event.state != "draft" or can_manage_event(user, event, organiser_ids)


def can_see_join_link(user, registration=None) -> bool:
    """An online event's join link: for its registered participants (``registration``, the
    user's own registration or None) and for those who manage events."""
    if can_manage_events(user):
        return True
    return (
        is_member(user)
        and registration is not None
        and registration.state == "registered"
        and registration.user_id == user.id
    )


def can_register_for_events(user) -> bool:
    """Take a seat or a waitlist place: confirmed members who are not suspended."""
    return can_participate(user)


def can_see_participants(user, event, organiser_ids=()) -> bool:
    """The participant list and its answers: those who manage this event."""
    return can_manage_event(user, event, organiser_ids)


# Exposed to Jinja templates as globals by create_app.
TEMPLATE_PREDICATES = {
    "is_admin": is_admin,
    "can_participate": can_participate,
    "can_manage_users": can_manage_users,
    "can_moderate": can_moderate,
    "can_delete_permanently": can_delete_permanently,
    "can_suspend": can_suspend,
    "can_change_role": can_change_role,
    "can_report": can_report,
    "can_view_thread": can_view_thread,
    "can_start_thread": can_start_thread,
    "can_reply": can_reply,
    "can_edit_post": can_edit_post,
    "can_delete_post": can_delete_post,
    "can_mark_useful": can_mark_useful,
    "can_mark_solution": can_mark_solution,
    "can_view_revisions": can_view_revisions,
    "can_view_hidden_post": can_view_hidden_post,
    "is_hidden_for": is_hidden_for,
    "can_create_project": can_create_project,
    "can_edit_project": can_edit_project,
    "can_write_lesson": can_write_lesson,
    "can_view_lesson": can_view_lesson,
    "can_edit_lesson": can_edit_lesson,
    "can_feature_lesson": can_feature_lesson,
    "can_mark_lesson_useful": can_mark_lesson_useful,
    "can_link_thread_project": can_link_thread_project,
    "can_manage_glossary": can_manage_glossary,
    "can_manage_events": can_manage_events,
    "can_manage_event": can_manage_event,
    "is_organiser": is_organiser,
    "can_see_join_link": can_see_join_link,
    "can_register_for_events": can_register_for_events,
    "can_see_participants": can_see_participants,
}


# --- rules for views: a predicate and what a refused user reads ---------------------------------
@dataclass(frozen=True)
class Rule:
    """``test(user, *objects named in on)`` must hold, else ``status`` with ``message``.

    Views state their rules with ``forum.web.requires``; ``on`` names objects its loader returned
    (``Rule(can_edit_post, _l("..."), on=("post", "thread"))``). ``sign_in``: an anonymous
    visitor is sent to the login flow before the rule is tested.
    """

    test: Callable[..., bool]
    message: object
    on: tuple[str, ...] = ()
    status: int = 403
    sign_in: bool = True


def _not_suspended(user) -> bool:
    return not is_suspended(user)


def _confirmed(user) -> bool:
    return bool(getattr(user, "is_confirmed", False))


SIGNED_IN = Rule(is_member, _l("You do not have permission to do that."))
# Taking part: the suspension is named first, since confirming the address would not help then.
PARTICIPANT = (
    Rule(_not_suspended, _l("Your account is suspended: you cannot post right now.")),
    Rule(_confirmed, _l("Confirm your e-mail address before you take part in discussions.")),
)
MODERATOR = Rule(can_moderate, _l("Only moderators can do that."))
ADMIN = (MODERATOR, Rule(can_delete_permanently, _l("Only administrators can do that.")))
