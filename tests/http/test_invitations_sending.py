"""Admins write, preview and send invitations; the worker's side throttles and resumes, and every
mail reaches a real SMTP server with its unsubscribe headers. The permission matrix of every
route of the list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from forum import create_app
from forum.invitations import sending
from forum.invitations.models import DRAFT, SENDING, SENT, Invitation, InvitationDelivery
from tests.factories import login_as, make_user
from tests.invitations_helpers import add_subscribers, make_invitation, make_sent_invitation
from tests.mail_fixtures import body_html, body_text

EN = {"Accept-Language": "en"}
HX = {"HX-Request": "true"}
TEXTS = {
    "subject_sv": "Studiebesök i Augustenborg",
    "body_sv": "Vi ses **den 3 juni**.<script>alert(1)</script>",
    "subject_en": "",
    "body_en": "",
}


@pytest.fixture
def send_app(app_settings, smtp_server):
    settings = {
        **app_settings,
        **smtp_server.settings,
        "INVITATIONS_SEND_PER_MINUTE": 2,
        "UNSUBSCRIBE_MAILTO": "lista@example.org",
    }
    application = create_app(settings)
    yield application
    application.extensions["forum_engine"].dispose()


@pytest.fixture
def admin(db_session):
    return make_user(db_session, role="admin", locale="en")


def _admin_client(app, admin):
    client = app.test_client()
    login_as(client, admin)
    return client


def _last_queued(session):
    session.expire_all()
    return session.exec(select(func.max(InvitationDelivery.queued_at))).one()


def test_an_admin_writes_previews_and_saves_a_draft(send_app, db_session, admin):
    client = _admin_client(send_app, admin)
    assert client.get("/admin/invitations/new", headers=EN).status_code == 200
    plain = client.post("/admin/invitations/new", data={**TEXTS, "preview": "1"}, headers=EN)
    assert plain.status_code == 200
    html = plain.get_data(as_text=True)
    assert "<strong>den 3 juni</strong>" in html and "<script>alert" not in html
    htmx = client.post("/admin/invitations/preview", data=TEXTS, headers={**EN, **HX})
    assert htmx.status_code == 200 and "<html" not in htmx.get_data(as_text=True)
    assert "<strong>den 3 juni</strong>" in htmx.get_data(as_text=True)
    assert db_session.exec(select(Invitation)).all() == []  # a preview stores nothing
    one_language = {**TEXTS, "subject_en": "Study visit"}
    refused = client.post("/admin/invitations/new", data=one_language, headers=EN)
    assert refused.status_code == 422
    assert "Write both the English subject and text, or neither." in refused.get_data(as_text=True)
    saved = client.post("/admin/invitations/new", data=TEXTS)
    assert saved.status_code == 303 and saved.headers["Location"] == "/admin/invitations"
    [invitation] = db_session.exec(select(Invitation)).all()
    assert invitation.state == DRAFT and not invitation.has_english
    assert "<script" not in invitation.body_sv_html
    edited = client.post(
        f"/admin/invitations/{invitation.id}/edit",
        data={**TEXTS, "subject_en": "Study visit", "body_en": "See you **on 3 June**."},
    )
    assert edited.status_code == 303
    db_session.refresh(invitation)
    assert invitation.has_english and "<strong>on 3 June</strong>" in invitation.body_en_html
    assert client.get(f"/invitations/{invitation.id}").status_code == 404  # drafts are not public
    listing = client.get("/admin/invitations", headers=EN).get_data(as_text=True)
    assert "Draft" in listing and "Studiebesök i Augustenborg" in listing


def test_sending_is_throttled_per_minute_and_each_reads_their_language(
    send_app, db_session, smtp_server, admin
):
    add_subscribers(db_session, "a@example.org", "b@example.org", "c@example.org")
    add_subscribers(db_session, "d@example.org", "e@example.org", locale="en")
    invitation = make_invitation(db_session, admin)
    client = _admin_client(send_app, admin)
    confirm = client.get(f"/admin/invitations/{invitation.id}/send", headers=EN)
    assert "5 addresses" in confirm.get_data(as_text=True)
    answer = client.post(f"/admin/invitations/{invitation.id}/send", headers=EN)
    assert answer.status_code == 303
    assert len(smtp_server.messages) == 2  # the first batch at once, through the worker's job
    listing = client.get("/admin/invitations", headers=EN).get_data(as_text=True)
    assert "Sending: 2 of 5" in listing
    first = _last_queued(db_session)
    with send_app.app_context():
        assert sending.send_due(now=first + timedelta(seconds=30)) == 0  # within the minute
        assert sending.send_due(now=first + timedelta(seconds=60)) == 2
        assert sending.send_due(now=first + timedelta(seconds=90)) == 0
        assert sending.send_due(now=first + timedelta(seconds=120)) == 1
        assert sending.send_due(now=first + timedelta(seconds=180)) == 0
    db_session.refresh(invitation)
    assert invitation.state == SENT
    received = sorted(str(m["X-Envelope-To"]) for m in smtp_server.messages)
    assert received == [f"{x}@example.org" for x in "abcde"]  # each once
    subjects = {str(m["X-Envelope-To"]): m["Subject"] for m in smtp_server.messages}
    assert subjects["a@example.org"] == "Webbinarium om skyfall"
    assert subjects["d@example.org"] == "Webinar on cloudbursts"
    english = smtp_server.to("d@example.org")[0]
    assert english["Content-Language"] == "en"
    assert "<strong>webinar</strong>" in body_html(english)
    assert "Welcome to the **webinar**" in body_text(english)
    listing = client.get("/admin/invitations", headers=EN).get_data(as_text=True)
    assert "to 5 addresses" in listing
    assert client.post(f"/admin/invitations/{invitation.id}/send").status_code == 409


def test_every_invitation_mail_unsubscribes_in_one_click(send_app, db_session, smtp_server, admin):
    add_subscribers(db_session, "a@example.org", "b@example.org")
    make_sent_invitation(send_app, db_session, admin)
    mail = smtp_server.to("a@example.org")[0]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(mail["List-Unsubscribe"])
    match = re.fullmatch(
        r"<(https?://[^>]+/invitations/unsubscribe/[^>]+)>, <mailto:([^>]+)>", header
    )
    assert match and match.group(2) == "lista@example.org?subject=unsubscribe"
    assert match.group(1) in body_text(mail)
    path = re.sub(r"^https?://[^/]+", "", match.group(1))
    client = send_app.test_client(use_cookies=False)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with send_app.app_context():
        invitation = make_invitation(db_session, admin, subject_sv="Nästa webbinarium")
        smtp_server.clear()
        sending.start_sending(session=db_session, invitation=invitation)
        db_session.commit()
        sending.send_due(now=_last_queued(db_session) + timedelta(minutes=1))
    assert [str(m["X-Envelope-To"]) for m in smtp_server.messages] == ["b@example.org"]


def test_without_a_mailto_setting_the_header_has_only_the_link(
    app_settings, smtp_server, db_session, admin
):
    app = create_app({**app_settings, **smtp_server.settings})
    add_subscribers(db_session, "a@example.org")
    make_sent_invitation(app, db_session, admin)
    header = str(smtp_server.messages[0]["List-Unsubscribe"])
    assert header.startswith("<http") and "mailto" not in header and header.count("<") == 1
    app.extensions["forum_engine"].dispose()


def test_a_sending_interrupted_by_a_crash_resumes_without_duplicates(
    send_app, db_session, smtp_server, admin, monkeypatch
):
    send_app.config["INVITATIONS_SEND_PER_MINUTE"] = 100
    add_subscribers(db_session, *(f"p{n}@example.org" for n in range(5)))
    invitation = make_invitation(db_session, admin)
    compose = sending.invitation_mail
    calls = []

    def dies_at_the_third(invitation, subscriber):
        calls.append(subscriber.email)
        if len(calls) == 3:
            raise RuntimeError("the worker was killed")
        return compose(invitation, subscriber)

    monkeypatch.setattr(sending, "invitation_mail", dies_at_the_third)
    with send_app.app_context():
        sending.start_sending(session=db_session, invitation=invitation)
        db_session.commit()  # the job starts after the commit and dies on its third mail
    assert len(smtp_server.messages) == 2
    db_session.refresh(invitation)
    assert invitation.state == SENDING
    monkeypatch.setattr(sending, "invitation_mail", compose)
    with send_app.app_context():
        assert sending.send_due() == 3  # the minutely sweep goes on where it stopped
        assert sending.send_due() == 0
    received = sorted(str(m["X-Envelope-To"]) for m in smtp_server.messages)
    assert received == [f"p{n}@example.org" for n in range(5)]
    db_session.refresh(invitation)
    assert invitation.state == SENT


def test_a_delivery_is_recorded_once_and_claimed_once(send_app, db_session, admin):
    add_subscribers(db_session, "a@example.org")
    invitation = make_sent_invitation(send_app, db_session, admin)
    [delivery] = db_session.exec(select(InvitationDelivery)).all()
    with send_app.app_context():
        from sqlmodel import Session

        with Session(send_app.extensions["forum_engine"]) as other:
            assert sending._queue(other, delivery.id, delivery.queued_at) is False
    db_session.add(
        InvitationDelivery(invitation_id=invitation.id, subscriber_id=delivery.subscriber_id)
    )
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_someone_who_leaves_during_the_sending_gets_nothing(
    send_app, db_session, smtp_server, admin
):
    add_subscribers(db_session, *(f"p{n}@example.org" for n in range(4)))
    invitation = make_invitation(db_session, admin)
    with send_app.app_context():
        sending.start_sending(session=db_session, invitation=invitation)
        db_session.commit()  # two go out at once
        client = send_app.test_client()
        client.post("/invitations/leave")  # (anonymous: refused, nothing changes)
        pending = db_session.exec(
            select(InvitationDelivery).where(InvitationDelivery.queued_at.is_(None))
        ).first()
        from forum.invitations.models import Subscriber

        db_session.delete(db_session.get(Subscriber, pending.subscriber_id))
        db_session.commit()
        sending.send_due(now=_last_queued(db_session) + timedelta(minutes=1))
    db_session.refresh(invitation)
    assert invitation.state == SENT and len(smtp_server.messages) == 3
    with send_app.app_context():
        assert sending.progress(db_session, [invitation.id]) == {invitation.id: (3, 3)}


# --- the archive ---------------------------------------------------------------------------------
def test_the_archive_is_public_newest_first_in_the_reader_language(app, db_session, admin):
    older = make_sent_invitation(app, db_session, admin, subject_sv="Första mötet", english=False)
    newer = make_sent_invitation(app, db_session, admin, subject_sv="Andra mötet")
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/invitations"' in home  # the footer
    swedish = client.get("/invitations").get_data(as_text=True)
    assert swedish.index("Andra mötet") < swedish.index("Första mötet")
    assert 'id="invitation-signup"' in swedish
    english = client.get("/invitations", headers=EN).get_data(as_text=True)
    assert "Webinar on cloudbursts" in english  # the English version where there is one
    assert 'lang="sv">Första mötet' in english  # the Swedish one, marked as such
    page = client.get(f"/invitations/{newer.id}", headers=EN).get_data(as_text=True)
    assert "<strong>webinar</strong>" in page and 'id="invitation-signup"' in page
    assert client.get(f"/invitations/{older.id}").status_code == 200
    assert client.get("/invitations/99999").status_code == 404


# --- who may do what -----------------------------------------------------------------------------
def _routes(invitation_id: int) -> list[tuple[str, str, dict]]:
    return [
        ("GET", "/admin/invitations", {}),
        ("GET", "/admin/invitations/new", {}),
        ("POST", "/admin/invitations/new", TEXTS),
        ("GET", f"/admin/invitations/{invitation_id}/edit", {}),
        ("POST", f"/admin/invitations/{invitation_id}/edit", TEXTS),
        ("POST", "/admin/invitations/preview", TEXTS),
        ("GET", f"/admin/invitations/{invitation_id}/send", {}),
        ("POST", f"/admin/invitations/{invitation_id}/send", {}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator", "admin"])
def test_role_matrix(app, db_session, admin, who):
    """Admin routes: anonymous to the login, members and moderators 403, admins through; the
    public routes answer everyone; joining and leaving need an account."""
    add_subscribers(db_session, "a@example.org")
    invitation = make_invitation(db_session, admin)
    sent = make_sent_invitation(app, db_session, admin)
    client = app.test_client()
    if who != "anonymous":
        login_as(client, admin if who == "admin" else make_user(db_session, role=who))
    for method, url, form in _routes(invitation.id):
        headers = HX if url.endswith("/preview") else {}
        response = client.open(url, method=method, data=form, headers=headers)
        if who == "anonymous":
            assert response.status_code in (302, 401), (method, url, response.status_code)
        elif who in ("member", "moderator"):
            assert response.status_code == 403, (method, url, response.status_code)
        else:
            expected = 303 if method == "POST" and "preview" not in url else 200
            assert response.status_code == expected, (method, url, response.status_code)
    for url in ("/invitations", f"/invitations/{sent.id}", "/invitations/signup"):
        assert client.get(url).status_code == 200, url
    for url in ("/invitations/join", "/invitations/leave"):
        response = client.post(url)
        assert response.status_code == (302 if who == "anonymous" else 303), url
