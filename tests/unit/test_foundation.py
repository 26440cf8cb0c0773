"""Configuration, migrations, seeding and the translation catalogues."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from babel.messages.extract import extract_from_dir
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from forum import create_app
from forum.catalogues import catalogue_path, problems
from forum.config import PROJECT_ROOT, Config, ConfigError, ratelimit_storage_uri
from forum.core.models import Goal, Theme
from forum.core.seed import seed_reference_data
from forum.db import make_engine, partial_index
from forum.migrate import upgrade
from forum.models import metadata
from forum.web import is_safe_redirect
from tests.conftest import POSTGRES_URL


def test_models_and_migrations_agree(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == []


@pytest.mark.skipif(
    not POSTGRES_URL, reason="runs in `make test-pg`, against the real PostgreSQL server"
)
def test_models_and_migrations_agree_on_postgresql(postgres_engine):
    with postgres_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def _partial_index_holds(connection) -> None:
    """A unique partial index made from a model: two open rows clash, a closed one does not."""
    table = Table(
        "partial_probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("item", Integer),
        Column("status", String(10)),
        partial_index("uq_partial_probe_open", "item", unique=True, where="status = 'open'"),
    )
    table.create(connection)
    connection.execute(table.insert(), [{"item": 1, "status": "open"}, {"item": 1, "status": "x"}])
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(table.insert(), {"item": 1, "status": "open"})


def test_partial_index_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'partial.db'}")
    with engine.begin() as connection:
        _partial_index_holds(connection)
    engine.dispose()


@pytest.mark.skipif(
    not POSTGRES_URL, reason="runs in `make test-pg`, against the real PostgreSQL server"
)
def test_partial_index_on_postgresql(postgres_engine):
    with postgres_engine.connect() as connection:
        _partial_index_holds(connection)
        connection.rollback()


def test_make_schema_writes_the_partial_condition_for_both_databases(tmp_path):
    """Autogenerate, as ``make schema`` runs it, into a scratch directory."""
    from alembic import command

    from forum.migrate import alembic_config

    cfg = alembic_config(f"sqlite:///{tmp_path / 'empty.db'}")
    cfg.set_main_option("version_locations", str(tmp_path))
    command.revision(
        cfg, message="probe", autogenerate=True, rev_id="probe", version_path=str(tmp_path)
    )
    (script,) = tmp_path.glob("probe_*.py")
    written = script.read_text()
    for dialect in ("sqlite", "postgresql"):
        assert f"""{dialect}_where=sa.text("status = 'open'")""" in written


def test_seed_is_idempotent(app, db_session):
    # the template database is already seeded: a second run changes nothing
    assert seed_reference_data(db_session) == 0
    assert db_session.exec(select(func.count()).select_from(Theme)).one() == 3
    goals = db_session.exec(select(Goal).order_by(Goal.number)).all()
    assert [g.number for g in goals] == list(range(1, 18))
    assert all(g.colour.startswith("#") and len(g.colour) == 7 for g in goals)


def test_seed_restores_edited_reference_data(app, db_session):
    theme = db_session.exec(select(Theme).where(Theme.position == 1)).one()
    theme.name_en = "Changed by hand"
    db_session.flush()
    assert seed_reference_data(db_session) == 1
    assert theme.name_en == "Climate-neutral future"


def test_no_secret_default_outside_tests(monkeypatch, tmp_path):
    monkeypatch.delenv("FORUM_SECRET_KEY", raising=False)
    monkeypatch.setattr("forum.config.INSTANCE_PATH", tmp_path)
    assert Config.from_environment()["SECRET_KEY"] is None
    with pytest.raises(ConfigError):
        create_app({"SECRET_KEY": None, "DATABASE_URL": "sqlite://"})


def test_secret_is_read_from_instance_file(monkeypatch, tmp_path):
    monkeypatch.delenv("FORUM_SECRET_KEY", raising=False)
    monkeypatch.setattr("forum.config.INSTANCE_PATH", tmp_path)
    (tmp_path / "secret_key").write_text("from-the-file\n")
    assert Config.from_environment()["SECRET_KEY"] == "from-the-file"


def test_environment_overrides_are_typed(monkeypatch):
    monkeypatch.setenv("FORUM_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("FORUM_MAIL_PORT", "2525")
    monkeypatch.setenv("FORUM_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/forum")
    settings = Config.from_environment()
    assert settings["RATELIMIT_ENABLED"] is False
    assert settings["MAIL_PORT"] == 2525
    assert settings["DATABASE_URL"].startswith("postgresql")


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("127.0.0.1:5101", "http://127.0.0.1:5101"),
        ("0.0.0.0:8000", "http://localhost:8000"),
        ("[::]:8000", "http://localhost:8000"),
        ("forum.example.org:80", "http://forum.example.org:80"),
        ("unix:/run/forum.sock", "http://127.0.0.1:5000"),
        ("127.0.0.1:²", "http://127.0.0.1:5000"),
        (None, "http://127.0.0.1:5000"),
    ],
)
def test_mail_links_name_the_port_the_forum_serves(monkeypatch, bind, url):
    monkeypatch.delenv("FORUM_SERVER_URL", raising=False)
    if bind is None:
        monkeypatch.delenv("FORUM_BIND", raising=False)
    else:
        monkeypatch.setenv("FORUM_BIND", bind)
    assert Config.from_environment()["SERVER_URL"] == url


def test_a_given_server_url_wins_over_the_bound_port(monkeypatch):
    monkeypatch.setenv("FORUM_BIND", "127.0.0.1:5101")
    monkeypatch.setenv("FORUM_SERVER_URL", "https://forum.malmo.example")
    assert Config.from_environment()["SERVER_URL"] == "https://forum.malmo.example"


@pytest.mark.parametrize(
    ("settings", "storage"),
    [
        ({}, "memory://"),
        ({"REDIS_URL": "redis://10.0.0.5:6379/0"}, "redis://10.0.0.5:6379/0"),
        ({"REDIS_URL": "unix:///run/redis.sock"}, "redis+unix:///run/redis.sock"),
        (
            {"REDIS_URL": "redis://10.0.0.5/0", "RATELIMIT_STORAGE_URI": "memcached://10.0.0.6"},
            "memcached://10.0.0.6",
        ),
    ],
)
def test_the_rate_limits_count_where_the_settings_say(settings, storage):
    defaults = {"RATELIMIT_STORAGE_URI": Config.RATELIMIT_STORAGE_URI, "REDIS_URL": None}
    assert ratelimit_storage_uri({**defaults, **settings}) == storage


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/t/klimat", True),
        ("/threads/1-x?page=2#post-3", True),
        ("//evil.example/", False),
        ("https://evil.example/", False),
        ("/\\evil.example", False),
        ("", False),
        (None, False),
        ("/ok\r\nSet-Cookie: x", False),
    ],
)
def test_safe_redirects(target, safe):
    assert is_safe_redirect(target) is safe


def _source_message_ids() -> set[str]:
    method_map = [("forum/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map=method_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_catalogue_is_complete_and_current(lang):
    """Every message in the source is in the catalogue, translated and not fuzzy."""
    from babel.messages.pofile import read_po

    assert problems(lang) == []
    with catalogue_path(lang).open("rb") as fh:
        catalogue = read_po(fh, locale=lang)
    missing = sorted(m for m in _source_message_ids() if m and m not in catalogue)
    assert missing == [], f"run `make translations`; missing in {lang}: {missing[:10]}"


def test_swedish_catalogue_really_is_swedish():
    from babel.messages.pofile import read_po

    with catalogue_path("sv").open("rb") as fh:
        catalogue = read_po(fh, locale="sv")
    same_in_both = {"Tillsammans forum"}  # the name of the forum
    same = [
        m.id
        for m in catalogue
        if m.id and m.string == m.id and len(m.id) > 12 and m.id not in same_in_both
    ]
    assert same == [], f"copied, not translated: {same[:10]}"
