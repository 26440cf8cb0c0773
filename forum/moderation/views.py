"""The moderation blueprint: its template globals, the review queue and the audit log.

The other pages register their routes on ``bp`` in their own modules: reports
(``report_views``), members (``user_views``), threads, posts, lessons and projects
(``thread_views``, ``post_views``, ``item_views``).
"""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import permissions
from ..db import get_session
from ..permissions import MODERATOR
from ..web import register_template_globals, render, requires
from ..web.inputs import whole_number
from . import logbook, queries
from .approval import AWAITING_APPROVAL, is_awaiting_approval, pending_posts
from .audit import ACTION_LABELS, ACTIONS, ITEM_TYPE_LABELS
from .forms import LogFilterForm
from .reportable import load_items

bp = Blueprint("moderation", __name__)


@bp.record_once
def _template_globals(state):
    register_template_globals(
        state.app,
        "moderation",
        {
            "moderation_queue_count": _queue_count,
            "moderation_notices": _my_notices,
            "moderation_open_report": _my_open_report,
            "moderation_action_labels": ACTION_LABELS,
            "moderation_item_labels": ITEM_TYPE_LABELS,
            "is_awaiting_approval": is_awaiting_approval,
            "AWAITING_APPROVAL": AWAITING_APPROVAL,
        },
    )


def _queue_count() -> int:
    return queries.open_item_count(get_session()) if permissions.can_moderate(current_user) else 0


def _my_notices() -> dict:
    if not current_user.is_authenticated:
        return {"warnings": [], "suspension": None, "suspended": False}
    session = get_session()
    return {
        "warnings": queries.unacknowledged_warnings(session=session, user=current_user),
        "suspension": queries.active_suspension(session=session, user=current_user),
        "suspended": permissions.is_suspended(current_user),
    }


def _my_open_report(item_type: str, item_id: int):
    # A thread page asks once per post: the viewer's open reports are loaded once per request.
    if "moderation_my_open_reports" not in g:
        g.moderation_my_open_reports = queries.open_reports_by(
            session=get_session(), user=current_user
        )
    return g.moderation_my_open_reports.get((item_type, item_id))


@bp.get("/mod/queue")
@requires(MODERATOR)
def queue_page():
    session = get_session()
    entries = queries.queue(session)
    pending = pending_posts(session=session)
    pending_items = load_items(session, [("post", post.id) for post in pending])
    authors = queries.users_by_id(session, [p.author_id for p in pending])
    reporters = queries.users_by_id(session, [r.reporter_id for e in entries for r in e.reports])
    return render(
        "moderation/queue.html",
        None,
        entries=entries,
        pending=pending,
        authors=authors,
        reporters=reporters,
        thread_of=lambda post: pending_items["post", post.id],
    )


@bp.get("/mod/log")
@requires(MODERATOR)
def log_page():
    session = get_session()
    mods = queries.moderators(session)
    form = LogFilterForm(request.args)
    form.moderator.choices = [SelectChoice(0, _("Anyone"))] + [
        SelectChoice(m.id, m.display_name) for m in mods
    ]
    form.moderator.coerce = lambda v: whole_number(str(v)) or 0
    form.action.choices = [SelectChoice("", _("Any action"))] + [
        SelectChoice(a, str(ACTION_LABELS[a])) for a in ACTIONS
    ]
    if request.args and not form.validate():
        entries, more = [], False
        status = 422
    else:
        before = request.args.get("before", "")
        entries, more = queries.log_entries(
            session,
            moderator_id=form.moderator.data or None,
            action=form.action.data or None,
            user_id=form.user.data,
            since=form.since.data,
            until=form.until.data,
            before_id=whole_number(before),
        )
        status = 200
    people = queries.users_by_id(
        session, [e.actor_id for e in entries] + [e.target_user_id for e in entries]
    )
    return render(
        "moderation/log.html",
        None,
        status=status,
        form=form,
        entries=entries,
        more=more,
        people=people,
        lines=logbook.describe(session, entries, people),
    )


# Imported last: each of these modules registers its routes on ``bp``.
from . import item_views, post_views, report_views, thread_views, user_views  # noqa: E402, F401
