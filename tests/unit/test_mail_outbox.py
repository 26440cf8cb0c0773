"""The mail outbox (forum/mail/outbox.py) against a real SMTP server: a message commits or rolls
back with its change, a lost enqueue is caught up by the sweep, refusals are retried with backoff
and then parked, and two deliverers never send one message twice."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from email.message import EmailMessage

from sqlmodel import Session, select

from forum.accounts.models import User
from forum.clock import utcnow
from forum.jobs import AFTER_COMMIT, get_jobs
from forum.mail import MailOutbox, mail_backlog, send_after_commit
from forum.mail.outbox import MAX_ATTEMPTS, deliver_due
from tests.factories import make_user


def message_to(address: str, subject: str = "Hej") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "forum@example.org", address, subject
    message.set_content("Hej!")
    return message


def rows(session: Session) -> list[MailOutbox]:
    session.expire_all()
    return list(session.exec(select(MailOutbox).order_by(MailOutbox.id)).all())


def commit_without_enqueue(session: Session) -> None:
    """Commit as a process would that dies right after its commit, before the enqueue."""
    session.info.pop(AFTER_COMMIT)
    session.commit()


def test_a_message_commits_with_its_change_and_is_dropped_with_a_rollback(
    mail_app, db_session, smtp_server
):
    user = make_user(db_session, display_name="Anna")
    with mail_app.app_context():
        user.display_name = "Rolled back"
        send_after_commit(db_session, message_to("anna@example.org"))
        db_session.flush()
        assert len(rows(db_session)) == 1
        db_session.rollback()
        assert rows(db_session) == [] and db_session.get(User, user.id).display_name == "Anna"

        user.display_name = "Committed"
        send_after_commit(db_session, message_to("anna@example.org"))
        db_session.commit()  # the job after the commit sends it (immediate mode) and deletes it
    assert [m["Subject"] for m in smtp_server.to("anna@example.org")] == ["Hej"]
    assert rows(db_session) == []


def test_a_crash_between_commit_and_enqueue_is_caught_up_by_the_sweep(
    mail_app, db_session, smtp_server
):
    user = make_user(db_session, display_name="Anna")
    with mail_app.app_context():
        user.display_name = "Changed"
        send_after_commit(db_session, message_to("anna@example.org"))
        commit_without_enqueue(db_session)
        with Session(mail_app.extensions["forum_engine"]) as other:  # what another process sees
            assert other.get(User, user.id).display_name == "Changed"
            assert len(other.exec(select(MailOutbox)).all()) == 1
        assert smtp_server.messages == []
        get_jobs(mail_app).enqueue("mail.sweep_outbox")
    assert len(smtp_server.to("anna@example.org")) == 1 and rows(db_session) == []


def test_a_refused_message_is_retried_with_doubling_delays(mail_app, db_session, smtp_server):
    smtp_server.refuse(3)
    with mail_app.app_context():
        send_after_commit(db_session, message_to("bo@example.org"))
        commit_without_enqueue(db_session)
        moment, delays = utcnow(), []
        for _ in range(3):
            assert deliver_due(now=moment) == 0
            [row] = rows(db_session)
            assert "451" in row.last_error and row.parked_at is None
            delays.append(row.next_attempt_at - moment)
            assert deliver_due(now=row.next_attempt_at - timedelta(seconds=1)) == 0  # not yet due
            moment = row.next_attempt_at
        assert smtp_server.messages == []
        assert deliver_due(now=moment) == 1
    assert delays == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2)]
    assert len(smtp_server.to("bo@example.org")) == 1 and rows(db_session) == []


def test_a_message_refused_at_every_attempt_is_parked(mail_app, db_session, smtp_server, caplog):
    smtp_server.refuse(MAX_ATTEMPTS + 5)
    with mail_app.app_context():
        send_after_commit(db_session, message_to("cy@example.org", "Bekräfta"))
        commit_without_enqueue(db_session)
        moment = utcnow()
        for _ in range(MAX_ATTEMPTS):
            deliver_due(now=moment)
            [row] = rows(db_session)
            moment = max(moment, row.next_attempt_at)
        assert row.parked_at is not None and row.attempts == MAX_ATTEMPTS
        assert deliver_due(now=moment + timedelta(days=1)) == 0  # a parked message waits
        backlog = mail_backlog(db_session, now=moment + timedelta(days=1))
    assert (backlog.pending, backlog.parked, backlog.oldest_due_seconds) == (0, 1, None)
    assert f"parked after {MAX_ATTEMPTS} attempts" in caplog.text
    assert smtp_server.messages == [] and row.subject == "Bekräfta"


def test_the_backlog_counts_pending_mail_and_the_wait_of_the_oldest_due(mail_app, db_session):
    now = utcnow()
    db_session.add(
        MailOutbox(recipient="a@example.org", next_attempt_at=now - timedelta(seconds=90))
    )
    db_session.add(
        MailOutbox(recipient="b@example.org", next_attempt_at=now - timedelta(seconds=5))
    )
    db_session.add(
        MailOutbox(recipient="c@example.org", next_attempt_at=now + timedelta(minutes=4))
    )
    db_session.add(MailOutbox(recipient="d@example.org", parked_at=now))
    db_session.commit()
    backlog = mail_backlog(db_session, now=now)
    assert (backlog.pending, backlog.parked, backlog.oldest_due_seconds) == (3, 1, 90.0)
    assert mail_backlog(db_session, now=now - timedelta(hours=1)).oldest_due_seconds is None


def test_concurrent_deliverers_send_each_message_once(mail_app, db_session, smtp_server, caplog):
    caplog.set_level(logging.INFO, logger="forum.mail")
    addresses = [f"person{i}@example.org" for i in range(20)]
    with mail_app.app_context():
        for address in addresses:
            send_after_commit(db_session, message_to(address))
        commit_without_enqueue(db_session)
    start = threading.Barrier(3)
    sent: list[int] = []

    def deliverer() -> None:
        with mail_app.app_context():
            start.wait(timeout=30)
            sent.append(deliver_due())

    threads = [threading.Thread(target=deliverer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(sent) == 20 and len(sent) == 3
    received = sorted(str(m["To"]) for m in smtp_server.messages)
    assert received == sorted(addresses) and rows(db_session) == []
