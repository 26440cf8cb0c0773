"""Moderation services: each action changes what it should and writes exactly one audit entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from forum import events, permissions
from forum.clock import utcnow
from forum.discussions.models import Post, Thread, ThreadGoal, ThreadRedirect
from forum.discussions.queries import thread_merged_into
from forum.domain import InvalidInput, NotAllowed
from forum.moderation import posts as post_moderation
from forum.moderation import queries, threads, users
from forum.moderation import reports as report_moderation
from forum.moderation.errors import InvalidAction
from forum.moderation.models import (
    INDEFINITE,
    AuditLogIsAppendOnly,
    ModerationAction,
    Report,
    ReportStatus,
    UserWarning,
)
from tests.factories import make_report, make_thread, make_user, themes
from tests.moderation_helpers import audit_count


def one_new_entry(session, before: int, action: str) -> ModerationAction:
    assert audit_count(session) == before + 1
    entry = session.exec(select(ModerationAction).order_by(ModerationAction.id.desc())).first()
    assert entry.action == action
    return entry


def test_report_withdraw_and_one_open_report_per_user(db_session, mod):
    thread, posts = make_thread(db_session, replies=1)
    reporter = make_user(db_session)
    n = audit_count(db_session)
    report = report_moderation.file_report(
        session=db_session,
        actor=reporter,
        item_type="post",
        item_id=posts[1].id,
        reason="spam",
        comment="Reklam",
    )
    entry = one_new_entry(db_session, n, "report.file")
    assert entry.target_user_id == posts[1].author_id
    with pytest.raises(InvalidAction):
        report_moderation.file_report(
            session=db_session,
            actor=reporter,
            item_type="post",
            item_id=posts[1].id,
            reason="other",
        )
    report_moderation.withdraw_report(session=db_session, actor=reporter, report=report)
    one_new_entry(db_session, n + 1, "report.withdraw")
    assert report.status == ReportStatus.withdrawn
    # after withdrawing, a new report is allowed
    report_moderation.file_report(
        session=db_session, actor=reporter, item_type="post", item_id=posts[1].id, reason="other"
    )
    db_session.commit()


def test_report_rules(db_session, mod):
    thread, posts = make_thread(db_session, replies=1)
    author = db_session.get(Post, posts[1].id).author_id
    with pytest.raises(InvalidAction):  # own post
        report_moderation.file_report(
            session=db_session,
            actor=db_session.get(type(mod), author),
            item_type="post",
            item_id=posts[1].id,
            reason="spam",
        )
    with pytest.raises(InvalidInput):
        report_moderation.file_report(
            session=db_session, actor=mod, item_type="post", item_id=posts[1].id, reason="boring"
        )
    suspended = make_user(db_session, suspended_until=utcnow() + timedelta(days=2))
    with pytest.raises(NotAllowed):
        report_moderation.file_report(
            session=db_session,
            actor=suspended,
            item_type="post",
            item_id=posts[1].id,
            reason="spam",
        )
    other = make_user(db_session)
    report = report_moderation.file_report(
        session=db_session, actor=other, item_type="post", item_id=posts[1].id, reason="spam"
    )
    with pytest.raises(NotAllowed):  # only the reporter withdraws
        report_moderation.withdraw_report(session=db_session, actor=mod, report=report)


def test_dismiss_closes_every_open_report_with_one_entry(db_session, mod):
    thread, posts = make_thread(db_session, replies=1)
    for _ in range(3):
        make_report(db_session, "post", posts[1].id, reason="off_topic")
    n = audit_count(db_session)
    closed = report_moderation.dismiss_reports(
        session=db_session,
        actor=mod,
        item_type="post",
        item_id=posts[1].id,
        reason="Inget regelbrott",
    )
    entry = one_new_entry(db_session, n, "report.dismiss")
    assert entry.after["report_ids"] == closed and len(closed) == 3
    reports = db_session.exec(select(Report)).all()
    assert {r.status for r in reports} == {ReportStatus.dismissed}
    assert {r.resolved_by_id for r in reports} == {mod.id}
    assert {r.resolution_note for r in reports} == {"Inget regelbrott"}
    with pytest.raises(InvalidAction):
        report_moderation.dismiss_reports(
            session=db_session, actor=mod, item_type="post", item_id=posts[1].id, reason="igen"
        )
    with pytest.raises(InvalidInput):
        report_moderation.resolve_reports(
            session=db_session, actor=mod, item_type="post", item_id=posts[1].id, reason="  "
        )


def test_members_cannot_moderate(db_session, ctx):
    thread, posts = make_thread(db_session, replies=1)
    member = make_user(db_session)
    n = audit_count(db_session)
    with pytest.raises(NotAllowed):
        post_moderation.hide_post(session=db_session, actor=member, post=posts[1], reason="x")
    with pytest.raises(NotAllowed):
        threads.set_thread_flag(session=db_session, actor=member, thread=thread, action="pin")
    with pytest.raises(NotAllowed):
        users.add_user_note(session=db_session, actor=member, user=member, body="x")
    assert audit_count(db_session) == n


def test_hide_and_restore_keep_counters_and_resolve_reports(db_session, mod):
    thread, posts = make_thread(db_session, replies=2)
    assert thread.post_count == 3
    make_report(db_session, "post", posts[2].id, reason="harassment")
    n = audit_count(db_session)
    post_moderation.hide_post(session=db_session, actor=mod, post=posts[2], reason="Personangrepp")
    entry = one_new_entry(db_session, n, "post.hide")
    assert entry.reason == "Personangrepp" and len(entry.after["report_ids"]) == 1
    db_session.commit()
    thread = db_session.get(Thread, thread.id)
    assert thread.post_count == 2 and thread.last_post_id == posts[1].id
    assert posts[2].hidden_reason == "Personangrepp" and thread.hidden_at is None
    assert not permissions.can_view_hidden_post(make_user(db_session), posts[2])
    with pytest.raises(InvalidAction):
        post_moderation.hide_post(session=db_session, actor=mod, post=posts[2], reason="igen")
    post_moderation.restore_post(
        session=db_session, actor=mod, post=posts[2], reason="Missförstånd"
    )
    one_new_entry(db_session, n + 1, "post.restore")
    assert thread.post_count == 3 and thread.last_post_id == posts[2].id


def test_hiding_the_first_post_hides_the_thread(db_session, mod):
    thread, posts = make_thread(db_session, replies=1)
    post_moderation.hide_post(session=db_session, actor=mod, post=posts[0], reason="Spam")
    assert thread.hidden_at is not None
    post_moderation.restore_post(session=db_session, actor=mod, post=posts[0])
    assert thread.hidden_at is None


def test_moderator_edit_records_revision_with_moderator(db_session, mod):
    from forum.discussions.models import PostRevision

    thread, posts = make_thread(db_session, replies=1)
    n = audit_count(db_session)
    post_moderation.moderator_edit_post(
        session=db_session,
        actor=mod,
        post=posts[1],
        body="Redigerad text",
        reason="Tog bort telefonnummer",
    )
    entry = one_new_entry(db_session, n, "post.edit")
    assert entry.before["body"].startswith("Svar nummer 1")
    revision = db_session.exec(
        select(PostRevision).where(PostRevision.post_id == posts[1].id)
    ).one()
    assert revision.edited_by_id == mod.id and posts[1].edited_by_id == mod.id
    with pytest.raises(InvalidInput):
        post_moderation.moderator_edit_post(
            session=db_session, actor=mod, post=posts[1], body="   ", reason="x"
        )


def test_permanent_delete_is_admin_only_and_the_entry_stays(db_session, mod):
    admin = make_user(db_session, role="admin")
    thread, posts = make_thread(db_session, replies=2)
    with pytest.raises(NotAllowed):
        post_moderation.delete_post_permanently(
            session=db_session, actor=mod, post=posts[1], reason="x"
        )
    n = audit_count(db_session)
    post_moderation.delete_post_permanently(
        session=db_session, actor=admin, post=posts[1], reason="Personuppgifter"
    )
    db_session.commit()
    entry = one_new_entry(db_session, n, "post.delete")
    assert db_session.get(Post, posts[1].id) is None
    assert db_session.get(Thread, thread.id).post_count == 2
    # the first post takes the whole thread
    post_moderation.delete_post_permanently(
        session=db_session, actor=admin, post=posts[0], reason="Spamtråd"
    )
    db_session.commit()
    assert db_session.get(Thread, thread.id) is None
    assert db_session.get(ModerationAction, entry.id) is not None


def test_audit_entries_cannot_be_changed_or_deleted(db_session, mod):
    thread, _ = make_thread(db_session)
    threads.set_thread_flag(session=db_session, actor=mod, thread=thread, action="lock")
    db_session.commit()
    entry = db_session.exec(select(ModerationAction)).first()
    entry.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.commit()
    db_session.rollback()
    db_session.delete(db_session.get(ModerationAction, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.commit()
    db_session.rollback()


@pytest.mark.parametrize("action", ["pin", "feature", "lock"])
def test_flags_set_and_clear_with_one_entry_each(db_session, mod, action):
    thread, _ = make_thread(db_session)
    attribute = threads.FLAG_ACTIONS[action][0]
    n = audit_count(db_session)
    threads.set_thread_flag(session=db_session, actor=mod, thread=thread, action=action)
    one_new_entry(db_session, n, f"thread.{action}")
    assert getattr(thread, attribute) is True
    with pytest.raises(InvalidAction):
        threads.set_thread_flag(session=db_session, actor=mod, thread=thread, action=action)
    threads.set_thread_flag(session=db_session, actor=mod, thread=thread, action=f"un{action}")
    one_new_entry(db_session, n + 1, f"thread.un{action}")
    assert getattr(thread, attribute) is False


def test_move_records_old_and_new_theme(db_session, mod):
    first, second, _ = themes(db_session)
    thread, _ = make_thread(db_session, theme=first)
    n = audit_count(db_session)
    threads.move_thread(
        session=db_session, actor=mod, thread=thread, theme=second, reason="Fel tema"
    )
    entry = one_new_entry(db_session, n, "thread.move")
    assert entry.before["theme"] == first.slug and entry.after["theme"] == second.slug
    assert thread.theme_id == second.id
    with pytest.raises(InvalidAction):
        threads.move_thread(session=db_session, actor=mod, thread=thread, theme=second)


def test_rename_changes_title_and_slug(db_session, mod):
    thread, _ = make_thread(db_session)
    threads.rename_thread(
        session=db_session, actor=mod, thread=thread, title="Bygglov för solceller"
    )
    assert thread.slug == "bygglov-for-solceller"
    with pytest.raises(InvalidInput):
        threads.rename_thread(session=db_session, actor=mod, thread=thread, title="ab")


def test_merge_keeps_every_post_and_its_date_and_redirects(db_session, mod):
    source, source_posts = make_thread(db_session, replies=2, title="Solceller i Hyllie")
    target, target_posts = make_thread(db_session, replies=1, title="Solceller på tak")
    db_session.add(ThreadGoal(thread_id=source.id, goal_id=7))
    db_session.commit()
    dates = {p.id: p.created_at for p in source_posts + target_posts}
    source_id = source.id
    n = audit_count(db_session)
    threads.merge_thread(
        session=db_session, actor=mod, source=source, target=target, reason="Samma fråga"
    )
    db_session.commit()
    one_new_entry(db_session, n, "thread.merge")
    posts = db_session.exec(select(Post).where(Post.thread_id == target.id)).all()
    assert {p.id for p in posts} == set(dates)
    assert all(p.created_at == dates[p.id] for p in posts)
    assert db_session.get(Thread, source_id) is None
    assert thread_merged_into(db_session, source_id).id == target.id
    assert db_session.get(Thread, target.id).post_count == 5
    assert db_session.exec(
        select(ThreadGoal.goal_id).where(ThreadGoal.thread_id == target.id)
    ).all() == [7]
    # merging the target further moves the old redirect along
    final, _ = make_thread(db_session, title="Solenergi i Malmö")
    threads.merge_thread(
        session=db_session, actor=mod, source=target, target=final, reason="Samma ämne"
    )
    db_session.commit()
    assert thread_merged_into(db_session, source_id).id == final.id
    assert len(db_session.exec(select(ThreadRedirect)).all()) == 2
    with pytest.raises(InvalidInput):
        threads.merge_thread(session=db_session, actor=mod, source=final, target=final, reason="x")


def test_split_moves_selected_replies_keeping_dates(db_session, mod):
    thread, posts = make_thread(db_session, replies=3)
    moved = [posts[2].id, posts[3].id]
    n = audit_count(db_session)
    new = threads.split_thread(
        session=db_session,
        actor=mod,
        thread=thread,
        post_ids=moved,
        title="Underhåll av solceller",
        reason="Egen fråga",
    )
    db_session.commit()
    one_new_entry(db_session, n, "thread.split")
    assert new.created_at == posts[2].created_at and new.author_id == posts[2].author_id
    assert new.post_count == 2 and db_session.get(Thread, thread.id).post_count == 2
    total = db_session.exec(
        select(func.count()).select_from(Post).where(Post.thread_id.in_([thread.id, new.id]))
    ).one()
    assert total == 4
    with pytest.raises(InvalidInput):
        threads.split_thread(
            session=db_session,
            actor=mod,
            thread=thread,
            post_ids=[posts[0].id],
            title="Första inlägget",
        )
    with pytest.raises(InvalidInput):
        threads.split_thread(
            session=db_session, actor=mod, thread=thread, post_ids=[], title="Inga inlägg"
        )


def test_warn_and_acknowledge(db_session, mod):
    member = make_user(db_session)
    n = audit_count(db_session)
    warning = users.warn_user(session=db_session, actor=mod, user=member, message="Håll god ton")
    one_new_entry(db_session, n, "user.warn")
    assert queries.unacknowledged_warnings(session=db_session, user=member) == [warning]
    with pytest.raises(NotAllowed):
        users.acknowledge_warning(session=db_session, actor=mod, warning=warning)
    users.acknowledge_warning(session=db_session, actor=member, warning=warning)
    one_new_entry(db_session, n + 1, "user.acknowledge_warning")
    assert queries.unacknowledged_warnings(session=db_session, user=member) == []
    assert db_session.exec(select(UserWarning)).one().acknowledged_at is not None


def test_suspension_until_a_date_indefinitely_and_lifted(db_session, mod):
    member = make_user(db_session)
    n = audit_count(db_session)
    until = utcnow() + timedelta(days=7)
    users.suspend_user(
        session=db_session, actor=mod, user=member, reason="Upprepade personangrepp", until=until
    )
    one_new_entry(db_session, n, "user.suspend")
    assert member.suspended_until == until and not permissions.can_participate(member)
    assert (
        queries.active_suspension(session=db_session, user=member).reason
        == "Upprepade personangrepp"
    )
    users.suspend_user(session=db_session, actor=mod, user=member, reason="Spam", until=None)
    entry = one_new_entry(db_session, n + 1, "user.suspend")
    assert entry.after["indefinite"] is True and member.suspended_until == INDEFINITE
    assert queries.active_suspension(session=db_session, user=member).reason == "Spam"
    users.lift_suspension(session=db_session, actor=mod, user=member, reason="Överenskommelse")
    one_new_entry(db_session, n + 2, "user.lift_suspension")
    assert member.suspended_until is None and permissions.can_participate(member)
    assert queries.active_suspension(session=db_session, user=member) is None
    with pytest.raises(InvalidAction):
        users.lift_suspension(session=db_session, actor=mod, user=member)
    with pytest.raises(InvalidInput):
        users.suspend_user(
            session=db_session,
            actor=mod,
            user=member,
            reason="x",
            until=utcnow() - timedelta(days=1),
        )


def test_moderator_cannot_suspend_admin_or_moderator(db_session, mod):
    admin = make_user(db_session, role="admin")
    other_mod = make_user(db_session, role="moderator")
    for target in (admin, other_mod):
        with pytest.raises(NotAllowed):
            users.suspend_user(session=db_session, actor=mod, user=target, reason="x")
        with pytest.raises(NotAllowed):
            users.warn_user(session=db_session, actor=mod, user=target, message="x")
    users.suspend_user(session=db_session, actor=admin, user=other_mod, reason="Missbruk av rollen")
    assert permissions.is_suspended(other_mod) and not permissions.can_moderate(other_mod)


def test_notes_and_roles(db_session, mod):
    admin = make_user(db_session, role="admin")
    member = make_user(db_session)
    n = audit_count(db_session)
    users.add_user_note(session=db_session, actor=mod, user=member, body="Har fått muntlig varning")
    one_new_entry(db_session, n, "user.note")
    from forum.accounts import roles as accounts

    with pytest.raises(NotAllowed):
        accounts.set_role(session=db_session, actor=mod, user=member, role="moderator")
    accounts.set_role(session=db_session, actor=admin, user=member, role="moderator")
    entry = one_new_entry(db_session, n + 1, "user.role")
    assert entry.before == {"role": "member"} and entry.after == {"role": "moderator"}


def test_a_role_change_is_recorded_in_the_audit_trail(db_session, ctx):
    admin = make_user(db_session, role="admin")
    member = make_user(db_session)
    n = audit_count(db_session)
    events.user_role_changed.send(
        "accounts",
        session=db_session,
        actor=admin,
        user=member,
        before="member",
        after="moderator",
    )
    entry = one_new_entry(db_session, n, "user.role")
    assert entry.actor_id == admin.id and entry.target_type == "user"
    assert entry.target_id == entry.target_user_id == member.id
    assert entry.before == {"role": "member"} and entry.after == {"role": "moderator"}
    events.user_role_changed.send(
        "accounts", session=db_session, actor=admin, user=member, before="admin", after="admin"
    )
    assert audit_count(db_session) == n + 1
