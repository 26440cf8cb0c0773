"""Run the Alembic migrations from Python (tests, CLI).

Alembic (with Mako and Pygments) is imported only when a migration runs: the CLI commands that
use it are registered in every web worker, which would otherwise hold some 11 MiB for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import PROJECT_ROOT

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig


def alembic_config(database_url: str) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(PROJECT_ROOT / "alembic.ini"))
    cfg.attributes["database_url"] = database_url
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)
