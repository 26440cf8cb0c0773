"""Parked jobs (``/admin/jobs``, admins only): jobs of the worker that failed after all their
retries (``forum/jobs.py``), to run again once the cause is fixed, or to dismiss."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import permissions
from ..jobs import get_jobs
from ..permissions import Rule
from ..web import finish, render, requires
from .views import bp

SEES_JOBS = Rule(permissions.can_manage_users, _l("Only administrators can see parked jobs."))


@bp.get("/admin/jobs")
@requires(SEES_JOBS)
def admin_jobs():
    return render("accounts/admin_jobs.html", parked=get_jobs().parked())


@bp.post("/admin/jobs/<job_id>/retry")
@requires(SEES_JOBS)
def admin_job_retry(job_id: str):
    done = get_jobs().retry_parked(job_id)
    message = _("The job is queued again.") if done else _("That job is no longer parked.")
    return finish(url_for("accounts.admin_jobs"), message=message, commit=False)


@bp.post("/admin/jobs/<job_id>/dismiss")
@requires(SEES_JOBS)
def admin_job_dismiss(job_id: str):
    done = get_jobs().dismiss_parked(job_id)
    message = _("The job was dismissed.") if done else _("That job is no longer parked.")
    return finish(url_for("accounts.admin_jobs"), message=message, commit=False)
