"""Parked jobs on /admin/jobs: admins see them and run them again or dismiss them (parked mail:
test_mail_admin.py)."""

from __future__ import annotations

from forum.accounts.models import Role
from forum.clock import utcnow
from forum.jobs import PARKED, get_jobs, job
from tests.factories import login_as, make_user

EN = {"Accept-Language": "en"}


def park(app, job_id: str, name: str, *args, error: str = "could not send mail") -> None:
    record = {"id": job_id, "name": name, "args": args, "error": error, "failed_at": utcnow()}
    get_jobs(app).huey.put(PARKED + job_id, record)


def test_only_admins_see_parked_jobs(client, db_session):
    login_as(client, make_user(db_session, role=Role.moderator))
    assert client.get("/admin/jobs").status_code == 403
    assert client.post("/admin/jobs/abc/dismiss").status_code == 403
    login_as(client, make_user(db_session, role=Role.admin, locale="en"))
    html = client.get("/admin/jobs", headers=EN).get_data(as_text=True)
    assert "No parked jobs." in html
    assert 'href="/admin/jobs"' in client.get("/", headers=EN).get_data(as_text=True)


RAN: list[str] = []


@job("tests.remember", retries=0)
def remember(value: str) -> None:
    RAN.append(value)


def test_a_parked_job_runs_when_run_again(app, client, db_session):
    login_as(client, make_user(db_session, role=Role.admin, locale="en"))
    park(app, "job-1", "tests.remember", "grace@example.org")
    park(app, "job-2", "tests.remember", "erik@example.org", error="refused")
    park(app, "job-3", "no.longer.declared")
    html = client.get("/admin/jobs", headers=EN).get_data(as_text=True)
    assert "tests.remember" in html and "could not send mail" in html and "refused" in html
    assert "grace@example.org" not in html  # the arguments stay out of the page

    RAN.clear()
    response = client.post("/admin/jobs/job-1/retry", headers=EN, follow_redirects=True)
    assert "The job is queued again." in response.get_data(as_text=True)
    assert RAN == ["grace@example.org"]
    response = client.post("/admin/jobs/job-2/dismiss", headers=EN, follow_redirects=True)
    assert "The job was dismissed." in response.get_data(as_text=True)
    response = client.post("/admin/jobs/job-3/retry", headers=EN, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "That job is no longer parked." in html and "No parked jobs." in html
    assert RAN == ["grace@example.org"]
    response = client.post("/admin/jobs/job-2/retry", headers=EN, follow_redirects=True)
    assert "That job is no longer parked." in response.get_data(as_text=True)
