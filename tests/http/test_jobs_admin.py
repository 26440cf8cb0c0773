"""Parked jobs on /admin/jobs: admins see them and run them again or dismiss them."""

from __future__ import annotations

from email.message import EmailMessage

from forum.accounts.models import Role
from forum.clock import utcnow
from forum.jobs import PARKED, get_jobs
from tests.factories import login_as, make_user

EN = {"Accept-Language": "en"}


def park(app, job_id: str, name: str, *args, error: str = "could not send mail") -> None:
    record = {"id": job_id, "name": name, "args": args, "error": error, "failed_at": utcnow()}
    get_jobs(app).huey.put(PARKED + job_id, record)


def message_to(address: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "forum@example.org", address, "Hej"
    message.set_content("Hej!")
    return bytes(message)


def test_only_admins_see_parked_jobs(client, db_session):
    login_as(client, make_user(db_session, role=Role.moderator))
    assert client.get("/admin/jobs").status_code == 403
    assert client.post("/admin/jobs/abc/dismiss").status_code == 403
    login_as(client, make_user(db_session, role=Role.admin, locale="en"))
    html = client.get("/admin/jobs", headers=EN).get_data(as_text=True)
    assert "No parked jobs." in html
    assert 'href="/admin/jobs"' in client.get("/", headers=EN).get_data(as_text=True)


def test_a_parked_mail_is_sent_when_run_again(mail_app, db_session, smtp_server):
    client = mail_app.test_client()
    login_as(client, make_user(db_session, role=Role.admin, locale="en"))
    park(mail_app, "job-1", "mail.deliver", message_to("grace@example.org"))
    park(mail_app, "job-2", "mail.deliver", message_to("erik@example.org"), error="refused")
    html = client.get("/admin/jobs", headers=EN).get_data(as_text=True)
    assert "mail.deliver" in html and "could not send mail" in html and "refused" in html
    assert "grace@example.org" not in html  # the arguments stay out of the page

    response = client.post("/admin/jobs/job-1/retry", headers=EN, follow_redirects=True)
    assert "The job is queued again." in response.get_data(as_text=True)
    assert [m["To"] for m in smtp_server.messages] == ["grace@example.org"]
    response = client.post("/admin/jobs/job-2/dismiss", headers=EN, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The job was dismissed." in html and "No parked jobs." in html
    assert len(smtp_server.messages) == 1
    response = client.post("/admin/jobs/job-2/retry", headers=EN, follow_redirects=True)
    assert "That job is no longer parked." in response.get_data(as_text=True)
