"""``flask forum backup DIR`` and ``flask forum restore DIR``; ``forum/cli.py`` adds
``COMMANDS`` to the group."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from ..search.cli import reindex_command
from . import BackupError, create_backup, restore_backup

DIRECTORY = click.Path(file_okay=False, path_type=Path)


@click.command("backup")
@click.argument("directory", type=DIRECTORY)
@with_appcontext
def backup_command(directory: Path) -> None:
    """Back up the database and the uploaded files into the new or empty DIRECTORY."""
    try:
        manifest = create_backup(current_app._get_current_object(), directory)
    except OperationalError as exc:
        raise click.ClickException(f"Cannot read the database: {exc.orig}") from exc
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(manifest.row_counts.values())
    click.echo(
        f"Backed up {rows} rows in {len(manifest.row_counts)} tables and "
        f"{len(manifest.files) - 1} uploaded file(s) to {directory} "
        f"(migration {manifest.migration_revision}). The secret key is not included."
    )


@click.command("restore")
@click.argument("directory", type=DIRECTORY)
@click.option("--force", is_flag=True, help="Replace a database that already holds a forum.")
@click.pass_context
@with_appcontext
def restore_command(ctx: click.Context, directory: Path, force: bool) -> None:
    """Check the backup in DIRECTORY, restore its database and files, rebuild the search index."""
    try:
        restored = restore_backup(current_app._get_current_object(), directory, force=force)
    except OperationalError as exc:
        raise click.ClickException(f"Cannot reach the database: {exc.orig}") from exc
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    manifest = restored.manifest
    click.echo(
        f"Restored the backup of {manifest.created_at}: "
        f"{sum(manifest.row_counts.values())} rows, as the manifest counts, and "
        f"{restored.files} uploaded file(s)."
    )
    if restored.upgraded_to:
        click.echo(f"Migrated from {manifest.migration_revision} to {restored.upgraded_to}.")
    ctx.invoke(reindex_command, procs=1)


COMMANDS = (backup_command, restore_command)
