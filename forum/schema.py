"""Regenerate the initial migration from the models (``make schema``).

Until the first production release the schema is one migration, ``0001_initial``, written by
Alembic's autogenerate against an empty database. After the first release, add ordinary
revisions instead (``alembic revision --autogenerate -m ...``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from .config import PROJECT_ROOT
from .migrate import alembic_config

VERSIONS = PROJECT_ROOT / "migrations" / "versions"


def regenerate_initial() -> Path:
    for old in VERSIONS.glob("*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = alembic_config(f"sqlite:///{Path(tmp) / 'empty.db'}")
        command.revision(cfg, message="initial", autogenerate=True, rev_id="0001")
    return next(VERSIONS.glob("0001_*.py"))


if __name__ == "__main__":
    print(f"wrote {regenerate_initial()}")
