"""``flask forum ...`` commands."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from .db import session_scope

forum_cli = AppGroup("forum", help="Tillsammans forum administration.")


@forum_cli.command("seed")
def seed_command() -> None:
    """Insert the themes and the 17 SDGs (safe to run again)."""
    from .core.seed import seed_reference_data

    with session_scope() as session:
        changed = seed_reference_data(session)
    click.echo(f"Reference data: {changed} change(s).")
