"""`flask forum create-user`, the demo accounts and `flask forum seed --demo/--demo-if-empty`."""

from __future__ import annotations

from sqlmodel import func, select

from forum.accounts import passwords
from forum.accounts.demo import DEMO_ACCOUNTS, demo_password, demo_user
from forum.accounts.models import Role, User
from forum.demo import SEEDERS, seed_demo


def _users(db_session):
    db_session.expire_all()
    return db_session.exec(select(User).order_by(User.id)).all()


def test_create_user_with_generated_password(runner, app, db_session):
    result = runner.invoke(
        args=[
            "forum",
            "create-user",
            "--email",
            "Boss@Example.org",
            "--name",
            "Boss Person",
            "--role",
            "admin",
            "--generate-password",
        ]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("Password: ")[1].strip()
    [user] = _users(db_session)
    assert (
        user.email == "boss@example.org"
        and user.role == Role.admin
        and user.confirmed_at is not None
    )
    with app.app_context():
        assert passwords.verify_password(user.password_hash, password)


def test_create_user_with_prompted_password(runner, db_session):
    result = runner.invoke(
        args=[
            "forum",
            "create-user",
            "--email",
            "m@example.org",
            "--name",
            "Mod Person",
            "--role",
            "moderator",
        ],
        input="ett bra lösenord\nett bra lösenord\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password: " not in result.output.replace("Password: \n", "").split("Created")[1]
    assert _users(db_session)[0].role == Role.moderator


def test_create_user_refuses_weak_passwords_and_duplicates(runner, db_session):
    weak = runner.invoke(
        args=["forum", "create-user", "--email", "m@example.org", "--name", "Mod Person"],
        input="password123\npassword123\n",
    )
    assert weak.exit_code == 1 and "too common" in weak.output
    assert _users(db_session) == []
    runner.invoke(
        args=[
            "forum",
            "create-user",
            "--email",
            "m@example.org",
            "--name",
            "Mod",
            "--generate-password",
        ]
    )
    again = runner.invoke(
        args=[
            "forum",
            "create-user",
            "--email",
            "M@example.org",
            "--name",
            "Mod",
            "--generate-password",
        ]
    )
    assert again.exit_code == 1 and "already exists" in again.output
    bad = runner.invoke(
        args=["forum", "create-user", "--email", "nope", "--name", "Mod", "--generate-password"]
    )
    assert bad.exit_code == 2 and "--email" in bad.output
    role = runner.invoke(
        args=["forum", "create-user", "--email", "x@example.org", "--name", "X Y", "--role", "king"]
    )
    assert role.exit_code == 2
    assert len(_users(db_session)) == 1


def test_demo_passwords_pass_the_policy():
    for _ in range(50):
        assert passwords.password_problems(demo_password()) == []


def test_seed_demo_creates_one_admin_one_moderator_two_members(app, db_session):
    with app.app_context():
        lines = seed_demo(db_session)
        db_session.commit()
    users = [
        u for u in _users(db_session) if u.email and u.email.endswith("@demo.tillsammans.example")
    ]
    assert sorted(u.role.value for u in users) == ["admin", "member", "member", "moderator"]
    assert all(u.confirmed_at and u.organisation and u.bio_html for u in users)
    assert len({u.actor_type for u in users}) == 4
    text = "\n".join(lines)
    assert text.count("password: ") == 4 and "anna.lindqvist@" in text
    with app.app_context():
        assert demo_user(db_session, "admin").role == Role.admin
        assert demo_user(db_session, "nobody") is None
        again = "\n".join(seed_demo(db_session))
    assert "password: " not in again and "already exist" in again
    assert (
        len(
            [
                u
                for u in _users(db_session)
                if u.email and u.email.endswith("@demo.tillsammans.example")
            ]
        )
        == 4
    )


def test_accounts_come_first_in_the_demo():
    assert SEEDERS[0].__name__ == "seed_demo_accounts"
    assert [a["role"] for a in DEMO_ACCOUNTS].count(Role.member) == 2


def test_seed_demo_if_empty_only_on_the_first_run(runner, db_session):
    first = runner.invoke(args=["forum", "seed", "--demo-if-empty"])
    assert first.exit_code == 0, first.output
    assert first.output.count("password: ") == 4
    second = runner.invoke(args=["forum", "seed", "--demo-if-empty"])
    assert second.exit_code == 0 and "password" not in second.output
    demo_accounts = (
        select(func.count()).select_from(User).where(User.email.like("%@demo.tillsammans.example"))
    )
    assert db_session.exec(demo_accounts).one() == 4


def test_seed_demo_if_empty_skips_a_forum_with_users(runner, db_session):
    runner.invoke(
        args=[
            "forum",
            "create-user",
            "--email",
            "a@example.org",
            "--name",
            "First",
            "--generate-password",
        ]
    )
    result = runner.invoke(args=["forum", "seed", "--demo-if-empty"])
    assert result.exit_code == 0 and "Demo" not in result.output
    assert len(_users(db_session)) == 1


def test_plain_seed_makes_no_accounts(runner, db_session):
    assert runner.invoke(args=["forum", "seed"]).exit_code == 0
    assert _users(db_session) == []
