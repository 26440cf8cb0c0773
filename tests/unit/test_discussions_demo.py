"""The demo discussions: realistic, bilingual, marked as demo, created once."""

from __future__ import annotations

from sqlmodel import func, select

from forum.accounts.demo import seed_demo_accounts
from forum.discussions.demo import DEMO_THREADS, seed_demo_discussions
from forum.discussions.models import Post, Thread


def test_demo_discussions_are_created_once(app, db_session):
    seed_demo_accounts(db_session)
    lines = seed_demo_discussions(db_session)
    db_session.commit()
    assert lines == [f"Demo discussions: {len(DEMO_THREADS)} thread(s) created, 0 already there."]
    threads = db_session.exec(select(Thread)).all()
    assert {t.language for t in threads} == {"sv", "en"}
    assert len({t.theme_id for t in threads}) == 3
    assert any(t.is_solved for t in threads) and any(t.featured for t in threads)
    for thread in threads:
        first = db_session.exec(
            select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
        ).first()
        assert "demo" in first.body.lower()
        assert (
            thread.post_count
            == db_session.exec(
                select(func.count()).select_from(Post).where(Post.thread_id == thread.id)
            ).one()
        )
        assert thread.last_post_at >= thread.created_at
    assert seed_demo_discussions(db_session) == [
        f"Demo discussions: 0 thread(s) created, {len(DEMO_THREADS)} already there."
    ]


def test_demo_discussions_need_the_demo_accounts(app, db_session):
    assert seed_demo_discussions(db_session) == [
        "Demo discussions skipped: the demo accounts are missing."
    ]
