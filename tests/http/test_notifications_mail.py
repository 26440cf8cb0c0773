"""Notification mail through a real SMTP server (aiosmtpd on 127.0.0.1): the "at once" mail, the
digests, their headers and language, what is never mailed, idempotent digest runs, and the
one-click unsubscribe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from forum import create_app
from forum.clock import utcnow
from forum.discussions.models import Post
from forum.lessons.models import LessonReaction
from forum.mail.outbox import deliver_due
from forum.notifications import digests
from forum.notifications.digests import Period, period_at, send_digest
from forum.notifications.models import DigestSent, MailPreference, Notification, Watch
from forum.notifications.preferences import set_frequencies
from forum.notifications.service import WATCHING
from tests.factories import login_as, make_project_with_lesson, make_reply, make_thread, make_user
from tests.mail_fixtures import body_html, body_text

LATER = timedelta(minutes=2)  # past the "at once" delay


@pytest.fixture
def mail_app(app_settings, smtp_server):
    application = create_app({**app_settings, **smtp_server.settings})
    yield application
    application.extensions["forum_engine"].dispose()


@pytest.fixture
def db(mail_app):
    from forum.db import session_scope

    with mail_app.app_context(), session_scope() as session:
        yield session


@pytest.fixture
def world(mail_app, db):
    with mail_app.test_request_context():
        author = make_user(db, display_name="Arne Author", handle="arne")
        reader = make_user(db, display_name="Rita Reader", handle="rita", locale="en")
        swede = make_user(db, display_name="Sven Svensson", handle="sven", locale="sv")
        thread, _ = make_thread(db, author, title="Gröna tak & regnvatten")
        for member in (reader, swede):
            db.add(
                Watch(user_id=member.id, target_type="thread", target_key=str(thread.id),
                      level=WATCHING)
            )  # fmt: skip
        db.commit()
    return {"author": author, "reader": reader, "swede": swede, "thread": thread}


def send(app, *, later=LATER) -> int:
    with app.app_context():
        return deliver_due(now=utcnow() + later)


def digest_now(app, key="daily-test") -> int:
    with app.test_request_context():
        period = Period("daily", key, utcnow() - timedelta(days=1), utcnow() + timedelta(seconds=1))
        return send_digest(period)


def reply(app, db, thread, author, body):
    with app.test_request_context():
        return make_reply(db, thread, author, body)


def domain_of(message) -> str:
    return str(message["Message-ID"]).rsplit("@", 1)[1].rstrip(">")


# --- at once --------------------------------------------------------------------------------------
def test_a_mention_is_mailed_at_once_with_thread_headers(mail_app, db, world, smtp_server):
    post = reply(mail_app, db, world["thread"], world["author"], "Vad tycker @rita om sedum?")
    assert smtp_server.to("user") == [] and send(mail_app, later=timedelta(0)) == 0  # not yet due
    assert send(mail_app) == 1
    [message] = smtp_server.to(world["reader"].email)
    thread_id = world["thread"].id
    domain = domain_of(message)
    assert message["Subject"] == "Arne Author mentioned you in “Gröna tak & regnvatten”"
    assert message["Content-Language"] == "en"
    notification = db.exec(
        select(Notification).where(
            Notification.post_id == post.id, Notification.user_id == world["reader"].id
        )
    ).one()
    assert message["Message-ID"] == f"<notification-{notification.id}@{domain}>"
    assert message["In-Reply-To"] == message["References"] == f"<thread-{thread_id}@{domain}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://127\.0\.0\.1:5000/unsubscribe/[\w.-]+>", message["List-Unsubscribe"]
    )
    unsubscribe = message["List-Unsubscribe"][1:-1]
    text = body_text(message)
    assert "Arne Author mentioned you in “Gröna tak & regnvatten”" in text  # no &amp; in text
    assert f"/posts/{post.id}" in text and unsubscribe in text and unsubscribe in body_html(message)
    db.expire_all()
    assert db.get(Notification, notification.id).emailed_at is not None
    # the watchers' replies are daily by default: nobody else was mailed
    assert [str(m["X-Envelope-To"]) for m in smtp_server.messages] == [world["reader"].email]


def test_replies_within_the_minute_are_one_mail_in_each_language(mail_app, db, world, smtp_server):
    for member in (world["reader"], world["swede"]):
        set_frequencies(session=db, user_id=member.id, choices={"replies": "immediate"})
    db.commit()
    for n in range(3):
        reply(mail_app, db, world["thread"], world["author"], f"Svar nummer {n}")
    assert send(mail_app) == 2
    [english] = smtp_server.to(world["reader"].email)
    [swedish] = smtp_server.to(world["swede"].email)
    assert english["Subject"] == "3 new replies in “Gröna tak & regnvatten”"
    assert swedish["Subject"] == "3 nya svar i ”Gröna tak & regnvatten”"
    assert swedish["Content-Language"] == "sv" and "Hej Sven Svensson" in body_text(swedish)
    assert send(mail_app) == 0  # the other rows found nothing left to send


def test_a_post_hidden_before_the_mail_is_not_mailed(mail_app, db, world, smtp_server):
    post = reply(mail_app, db, world["thread"], world["author"], "Hemligt @rita: sedum")
    db.get(Post, post.id).hidden_at = utcnow()
    db.commit()
    assert send(mail_app) == 0 and smtp_server.messages == []
    assert digest_now(mail_app) == 0 and send(mail_app) == 0
    assert smtp_server.messages == []
    mention = select(Notification).where(
        Notification.post_id == post.id, Notification.kind == "mention"
    )
    assert db.exec(mention).one().emailed_at is None


def test_never_means_no_mail(mail_app, db, world, smtp_server):
    set_frequencies(session=db, user_id=world["reader"].id, choices={"mentions": "never"})
    db.commit()
    reply(mail_app, db, world["thread"], world["author"], "Hej @rita")
    assert send(mail_app) == 0 and digest_now(mail_app) == 1  # the Swede's digest of the reply
    send(mail_app)
    assert smtp_server.to(world["reader"].email) == [] and smtp_server.to(world["swede"].email)


# --- digests --------------------------------------------------------------------------------------
def test_daily_digest_grouped_by_theme_sent_once(mail_app, db, world, smtp_server):
    reply(mail_app, db, world["thread"], world["author"], "Ett svar")
    reply(mail_app, db, world["thread"], world["author"], "Ett till")
    assert digest_now(mail_app) == 2
    assert digest_now(mail_app) == 0  # the same period again: nothing
    send(mail_app)
    [english] = smtp_server.to(world["reader"].email)
    [swedish] = smtp_server.to(world["swede"].email)
    domain = domain_of(english)
    assert english["Message-ID"] == f"<digest-{world['reader'].id}-daily-test@{domain}>"
    assert english["Subject"] == "Your day at Tillsammans forum: 2 new notifications"
    assert swedish["Content-Language"] == "sv" and "Din dag" in swedish["Subject"]
    text = body_text(english)
    assert "Climate-neutral future" in text and "2 new replies in “Gröna tak & regnvatten”" in text
    assert "Klimatneutral framtid" in body_text(swedish)
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert db.exec(select(DigestSent)).all() and len(db.exec(select(DigestSent)).all()) == 2
    assert digest_now(mail_app, key="daily-next") == 0  # every notification is mailed now


def test_a_digest_run_killed_half_way_sends_no_duplicate_and_misses_nobody(
    mail_app, db, world, smtp_server, monkeypatch
):
    with mail_app.test_request_context():
        members = [make_user(db, locale="en") for _ in range(5)]
        for member in members:
            db.add(Watch(user_id=member.id, target_type="thread",
                         target_key=str(world["thread"].id), level=WATCHING))  # fmt: skip
        db.commit()
    reply(mail_app, db, world["thread"], world["author"], "Till alla")
    real, calls = digests.digest_message, []

    def dies_after_three(*args, **kwargs):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("the worker was killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(digests, "digest_message", dies_after_three)
    with pytest.raises(RuntimeError):
        digest_now(mail_app)
    monkeypatch.setattr(digests, "digest_message", real)
    assert digest_now(mail_app) == 4  # 7 watchers in all, 3 done before the crash
    send(mail_app)
    for member in [*members, world["reader"], world["swede"]]:
        assert len(smtp_server.to(member.email)) == 1, member.email


def test_weekly_digest_lists_the_weeks_most_useful_lessons(mail_app, db, world, smtp_server):
    with mail_app.test_request_context():
        _, lesson = make_project_with_lesson(db, world["author"])
    db.add(LessonReaction(lesson_id=lesson.id, user_id=world["swede"].id))
    set_frequencies(session=db, user_id=world["reader"].id, choices={"replies": "weekly"})
    db.commit()
    reply(mail_app, db, world["thread"], world["author"], "Veckans svar")
    with mail_app.test_request_context():
        period = Period("weekly", "weekly-test", utcnow() - timedelta(days=7), utcnow() + LATER)
        assert send_digest(period) == 1
    send(mail_app)
    [weekly] = smtp_server.to(world["reader"].email)
    assert weekly["Subject"] == "Your week at Tillsammans forum: 1 new notification"
    text = body_text(weekly)
    assert "The week's most useful lessons" in text and lesson.title in text
    assert "1 useful mark" in text


def test_periods_end_at_the_hour_in_stockholm():
    from datetime import datetime

    winter = datetime(2026, 11, 30, 6, 30)  # 07:30 in Stockholm (UTC+1), a Monday
    daily = period_at("daily", winter, hour=7, zone="Europe/Stockholm")
    assert daily.key == "daily-2026-11-30" and daily.end == datetime(2026, 11, 30, 6, 0)
    assert daily.start == datetime(2026, 11, 29, 6, 0)
    before = period_at("daily", datetime(2026, 11, 30, 5, 59), hour=7, zone="Europe/Stockholm")
    assert before.key == "daily-2026-11-29"
    weekly = period_at("weekly", datetime(2026, 12, 2, 12), hour=7, zone="Europe/Stockholm")
    assert weekly.key == "weekly-2026-11-30" and weekly.start == datetime(2026, 11, 23, 6, 0)
    summer = period_at("daily", datetime(2026, 6, 15, 5, 30), hour=7, zone="Europe/Stockholm")
    assert summer.key == "daily-2026-06-15" and summer.end == datetime(2026, 6, 15, 5, 0)


# --- unsubscribing --------------------------------------------------------------------------------
@pytest.fixture
def csrf_app(app_settings, smtp_server):
    application = create_app({**app_settings, **smtp_server.settings, "WTF_CSRF_ENABLED": True})
    yield application
    application.extensions["forum_engine"].dispose()


def test_one_click_without_cookies_ends_the_digest(mail_app, csrf_app, db, world, smtp_server):
    reply(mail_app, db, world["thread"], world["author"], "Första")
    digest_now(mail_app, key="daily-1")
    send(mail_app)
    [digest] = smtp_server.to(world["reader"].email)
    url = digest["List-Unsubscribe"].split(",")[0].strip("<> ")
    path = url.removeprefix("http://127.0.0.1:5000")
    client = csrf_app.test_client(use_cookies=False)
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.expire_all()
    row = db.get(MailPreference, (world["reader"].id, "replies"))
    assert row is not None and row.frequency == "never"
    smtp_server.clear()
    reply(mail_app, db, world["thread"], world["author"], "Andra")
    assert digest_now(mail_app, key="daily-2") == 1  # the Swede still gets his
    send(mail_app)
    assert smtp_server.to(world["reader"].email) == [] and smtp_server.to(world["swede"].email)
    # the page's own form is protected as usual, and so are the settings
    assert client.post(path + "/choices", data={"replies": "daily"}).status_code == 400
    assert client.post("/notifications/mail", data={"replies": "daily"}).status_code == 400


def test_the_footer_page_works_for_anonymous_visitors(mail_app, db, world, smtp_server):
    reply(mail_app, db, world["thread"], world["author"], "Hej @rita")
    send(mail_app)
    [message] = smtp_server.to(world["reader"].email)
    path = message["List-Unsubscribe"][1:-1].removeprefix("http://127.0.0.1:5000")
    client = mail_app.test_client()
    page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Mentions of me" in page and "Never send me these by mail" in page
    assert 'name="moderation"' not in page  # moderators' work only for moderators
    response = client.post(path + "/choices", data={
        "replies": "weekly", "new_items": "never", "mentions": "daily", "my_content": "never"
    })  # fmt: skip
    assert response.status_code == 303
    db.expire_all()
    assert db.get(MailPreference, (world["reader"].id, "mentions")).frequency == "daily"
    assert client.get(path[:-3] + "xyz").status_code == 404
    assert client.post("/unsubscribe/not-a-token").status_code == 404


def test_settings_section_saves_the_choices(mail_app, db, world):
    client = mail_app.test_client()
    login_as(client, world["reader"])
    page = client.get("/settings", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="settings-mail"' in page and "Replies in what I watch" in page
    form = {"replies": "weekly", "new_items": "daily", "mentions": "immediate",
            "my_content": "never"}  # fmt: skip
    response = client.post("/notifications/mail", data=form, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="settings-mail"' in response.get_data(as_text=True)
    assert client.post("/notifications/mail", data={**form, "replies": "hourly"}).status_code == 400
    db.expire_all()
    assert db.get(MailPreference, (world["reader"].id, "replies")).frequency == "weekly"
    export = client.get("/settings/export").get_json()
    assert export["mail_preferences"]["my_content"] == "never" and export["digests_sent"] == []


def test_digest_records_and_choices_are_exported_and_go_with_the_account(mail_app, db, world):
    from forum.accounts import privacy
    from tests.factories import DEFAULT_PASSWORD

    reply(mail_app, db, world["thread"], world["author"], "Ett svar")
    digest_now(mail_app, key="daily-export")
    reader = world["reader"]
    set_frequencies(session=db, user_id=reader.id, choices={"mentions": "weekly"})
    db.commit()
    with mail_app.test_request_context():
        exported = privacy.export_data(session=db, actor=reader)
        assert exported["mail_preferences"]["mentions"] == "weekly"
        assert exported["digests_sent"][0]["period"] == "daily-export"
        privacy.delete_account(session=db, actor=reader, password=DEFAULT_PASSWORD)
        db.commit()
    for model in (MailPreference, DigestSent):
        assert db.exec(select(model).where(model.user_id == reader.id)).all() == []


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_unsubscribe_routes_by_role(mail_app, db, world, who):
    """The token is the permission: the page and the one click work for anyone holding it, signed
    in as somebody else or not at all; a forged token is a 404 for everyone."""
    from forum.notifications.preferences import unsubscribe_token

    client = mail_app.test_client()
    if who != "anonymous":
        login_as(client, make_user(db, role=who))
    with mail_app.app_context():
        token = unsubscribe_token(world["reader"].id, ["replies"])
    assert client.get(f"/unsubscribe/{token}").status_code == 200
    assert (
        client.post(f"/unsubscribe/{token}/choices", data={"replies": "weekly"}).status_code == 303
    )
    assert client.post(f"/unsubscribe/{token}").status_code == 200
    for forged in (token[:-2] + "xx", "not-a-token"):
        assert client.get(f"/unsubscribe/{forged}").status_code == 404
        assert client.post(f"/unsubscribe/{forged}").status_code == 404
        assert client.post(f"/unsubscribe/{forged}/choices").status_code == 404
    db.expire_all()
    assert db.get(MailPreference, (world["reader"].id, "replies")).frequency == "never"
