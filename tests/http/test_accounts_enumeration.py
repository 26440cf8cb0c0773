"""The reset and registration forms do not tell who has an account: the same answer and the same
database work for a known and an unknown address (timing: ``python -m bench.account_timing``);
only the mail, composed in the worker, differs, and an unknown address gets none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlmodel import select

from forum import create_app
from forum.accounts import passwords
from forum.clock import utcnow
from forum.mail import MailOutbox
from forum.mail.outbox import deliver_due
from tests.accounts_fixtures import REGISTRATION
from tests.factories import make_user
from tests.statements import recording


@pytest.fixture
def queued_app(app_settings, smtp_server, tmp_path):
    """Requests only enqueue their jobs (into a queue file no worker reads), as in production."""
    settings = {
        **app_settings,
        **smtp_server.settings,
        "JOBS_WORKER": True,
        "JOBS_SQLITE_PATH": str(tmp_path / "instance" / "jobs.db"),
    }
    application = create_app(settings)
    yield application
    application.extensions["forum_engine"].dispose()


@contextmanager
def statements_of(app) -> Iterator[list[str]]:
    """The SQL statements the app runs inside the block."""
    with recording(app.extensions["forum_engine"]) as statements:
        yield statements


def post_each(app, path: str, forms: dict[str, dict]) -> tuple[dict, dict]:
    """Post each form with a fresh client: the answer (status, location) and the statements."""
    answers, work = {}, {}
    for name, form in forms.items():
        with statements_of(app) as statements:
            response = app.test_client().post(path, data=form)
        answers[name], work[name] = (
            (response.status_code, response.headers.get("Location")),
            statements,
        )
    return answers, work


def recipients(session) -> list[str]:
    return [row.recipient for row in session.exec(select(MailOutbox).order_by(MailOutbox.id))]


def test_a_reset_request_does_the_same_work_for_any_address(queued_app, db_session, smtp_server):
    make_user(db_session, email="known@example.org", locale="en")
    make_user(db_session, email="gone@example.org", deleted_at=utcnow())
    forms = {name: {"email": f"{name}@example.org"} for name in ("known", "nobody", "gone")}
    answers, work = post_each(queued_app, "/reset", forms)
    assert answers["known"] == answers["nobody"] == answers["gone"] == (303, "/login")
    assert work["known"] == work["nobody"] == work["gone"]
    assert any("INSERT INTO mail_outbox" in s for s in work["known"])
    assert not any("user_account" in s for s in work["known"])  # no lookup in the request
    assert recipients(db_session) == [f"{name}@example.org" for name in forms]
    with queued_app.app_context():
        assert deliver_due() == 1  # the worker's side: only the active account gets mail
    [message] = smtp_server.messages
    assert str(message["To"]).endswith("<known@example.org>")
    assert message["Subject"] == "Reset your password"
    assert recipients(db_session) == []


def test_a_registration_does_the_same_work_for_any_address(
    queued_app, db_session, smtp_server, monkeypatch
):
    make_user(db_session, email="known@example.org", locale="en")
    hashed = []
    hash_password = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password", lambda p: hashed.append(p) or hash_password(p))
    forms = {name: {**REGISTRATION, "email": f"{name}@example.org"} for name in ("known", "new")}
    answers, work = post_each(queued_app, "/register", forms)
    # a new member is signed in at once; that tells the registrant the address was free (as
    # most sites do), at the cost of a real account its owner is mailed about
    assert answers["known"] == (303, "/login") and answers["new"] == (303, "/")
    assert len(hashed) == 2  # the password is hashed for a taken address too
    # a new address adds its account and signs it in; every other statement is the same
    created = [s for s in work["new"] if s.startswith("INSERT INTO user_account")]
    signed_in = [s for s in work["new"] if "login_session" in s or s.startswith("UPDATE user_acc")]
    assert len(created) == 1 and signed_in
    assert work["known"] == [s for s in work["new"] if s not in created + signed_in]
    assert recipients(db_session) == ["known@example.org", "new@example.org"]
    with queued_app.app_context():
        assert deliver_due() == 2
    subjects = {str(m["To"]).split("<")[-1].rstrip(">"): m["Subject"] for m in smtp_server.messages}
    assert subjects == {
        "known@example.org": "You already have an account",
        "new@example.org": "Bekräfta din e-postadress",
    }
