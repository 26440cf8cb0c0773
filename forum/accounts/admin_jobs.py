"""Parked jobs and mail (``/admin/jobs``, admins only): jobs of the worker that failed after all
their retries (``forum/jobs.py``) and messages of the mail outbox that ran out of attempts
(``forum/mail``), to run or send again once the cause is fixed, or to dismiss."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from .. import permissions
from ..db import get_session
from ..jobs import get_jobs
from ..mail import outbox
from ..permissions import Rule
from ..web import finish, render, requires
from .views import bp

SEES_JOBS = Rule(permissions.can_manage_users, _l("Only administrators can see parked jobs."))


@bp.get("/admin/jobs")
@requires(SEES_JOBS)
def admin_jobs():
    return render(
        "accounts/admin_jobs.html",
        parked=get_jobs().parked(),
        parked_mail=outbox.parked_mail(get_session()),
    )


# What each button does to a parked job, and what the admin reads when it is done.
ACTIONS = {
    "retry": ("retry_parked", _l("The job is queued again.")),
    "dismiss": ("dismiss_parked", _l("The job was dismissed.")),
}


@bp.post("/admin/jobs/<job_id>/<any(retry, dismiss):action>")
@requires(SEES_JOBS)
def admin_job_action(job_id: str, action: str):
    method, done_message = ACTIONS[action]
    done = getattr(get_jobs(), method)(job_id)
    message = done_message if done else _l("That job is no longer parked.")
    return finish(url_for("accounts.admin_jobs"), message=str(message), commit=False)


MAIL_ACTIONS = {
    "retry": (outbox.send_again, _l("The message will be sent again.")),
    "dismiss": (outbox.dismiss, _l("The message was dismissed.")),
}


@bp.post("/admin/mail/<int:mail_id>/<any(retry, dismiss):action>")
@requires(SEES_JOBS)
def admin_mail_action(mail_id: int, action: str):
    change, done_message = MAIL_ACTIONS[action]
    done = change(session=get_session(), mail_id=mail_id)
    message = done_message if done else _l("That message is no longer parked.")
    return finish(url_for("accounts.admin_jobs"), message=str(message))
