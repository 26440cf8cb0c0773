"""``flask forum ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .accounts.cli import create_user_command
from .backup.cli import COMMANDS as BACKUP_COMMANDS
from .db import session_scope
from .opendata.dumps import dump_command
from .search.cli import COMMANDS as SEARCH_COMMANDS

forum_cli = AppGroup("forum", help="Tillsammans forum administration.")
for command in (create_user_command, dump_command, *SEARCH_COMMANDS, *BACKUP_COMMANDS):
    forum_cli.add_command(command)


@forum_cli.command("seed")
@click.option(
    "--demo", is_flag=True, help="Also create demo accounts and content (see forum/demo.py)."
)
@click.option(
    "--demo-if-empty", is_flag=True, help="Create the demo only when there are no users yet."
)
def seed_command(demo: bool, demo_if_empty: bool) -> None:
    """Insert the themes and the 17 SDGs (safe to run again); optionally the demo content."""
    from sqlmodel import func, select

    from .accounts.models import User
    from .core.seed import seed_reference_data
    from .demo import seed_demo

    lines: list[str] = []
    with session_scope() as session:
        changed = seed_reference_data(session)
        if demo_if_empty and not demo:
            demo = session.exec(select(func.count()).select_from(User)).one() == 0
        if demo:
            lines = seed_demo(session)
    click.echo(f"Reference data: {changed} change(s).")
    for line in lines:
        click.echo(line)


@forum_cli.command("worker")
@click.option(
    "--threads",
    type=click.IntRange(1, 32),
    default=None,
    help="Jobs run at once (default: FORUM_JOBS_WORKER_THREADS, 2).",
)
def worker_command(threads: int | None) -> None:
    """Run the job worker: index updates, mail and the periodic checks (Ctrl+C stops it)."""
    from flask import current_app

    from .jobs import get_jobs
    from .search import warm_up

    jobs = get_jobs()
    if jobs.immediate:
        raise click.UsageError("FORUM_JOBS_WORKER is off: jobs run in the web processes.")
    warm_up()
    count = threads or int(current_app.config["JOBS_WORKER_THREADS"])
    config = current_app.config
    where = "Redis" if config.get("REDIS_URL") else config["JOBS_SQLITE_PATH"]
    click.echo(f"Job worker: {count} thread(s), queue in {where}")
    jobs.start_heartbeat(float(config["JOBS_HEARTBEAT_SECONDS"]))
    jobs.consumer(workers=count).run()
