"""Search commands: reindex, import, search-status, check-index, seed-glossary, search-eval.

The application's ``flask forum`` group (``forum/cli.py``) adds every command of ``COMMANDS``.
"""

from __future__ import annotations

import os
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from ..db import get_engine, session_scope
from . import get_search_service


def _procs_option(help_text: str):
    """--procs of the commands that split their work over processes: two, or one on one core."""
    return click.option(
        "--procs",
        type=click.IntRange(1, 16),
        default=lambda: min(2, os.cpu_count() or 1),
        show_default="2",
        help=help_text,
    )


@click.command("reindex")
@_procs_option("Processes analysing documents in parallel.")
@with_appcontext
def reindex_command(procs: int) -> None:
    """Rebuild the search index from the database beside the live one, then swap it in."""
    from .sync import count_documents

    service = get_search_service()
    with Session(get_engine()) as session:
        total = count_documents(session)
    started = time.monotonic()
    with service.store.rebuild_lock(blocking=True):
        with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
            count = service.rebuild(progress=bar.update, procs=procs)
    click.echo(f"Indexed {count} documents in {time.monotonic() - started:.1f}s.")


@click.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--theme", "theme_slug", required=True, help="Slug of the theme the threads go into.")
@_procs_option("Processes rendering Markdown and analysing documents in parallel.")
@with_appcontext
def import_command(path: str, theme_slug: str, procs: int) -> None:
    """Import threads and replies from a JSON Lines file (.jsonl or .jsonl.gz)."""
    from .importer import ImportError_, import_file
    from .jsonl import count_records

    service = get_search_service()
    engine = get_engine()
    try:
        total = count_records(path)
    except OSError as exc:
        raise click.ClickException(f"Cannot read {path}: {exc}") from exc
    started = time.monotonic()
    try:
        with click.progressbar(length=total, label="Importing", show_pos=True) as bar:
            report = import_file(
                session_factory=lambda: Session(engine, expire_on_commit=False),
                path=path,
                theme_slug=theme_slug,
                progress=bar.update,
                processes=procs,
            )
    except ImportError_ as exc:
        raise click.ClickException(str(exc)) from exc
    if not service.available():
        click.echo("The search index was missing; rebuilding it.")
        with service.store.rebuild_lock(blocking=True):
            service.rebuild()
    click.echo(f"Indexing {service.pending_count()} changed thread(s)...")
    while service.apply_pending(limit=100_000, bulk=True, procs=procs):
        pass
    elapsed = time.monotonic() - started
    rate = report.posts / elapsed if elapsed else 0.0
    click.echo(
        f"Imported {report.threads} threads and {report.posts} posts "
        f"({report.users} new placeholder authors, {report.skipped} already imported, "
        f"{report.invalid} invalid lines) in {elapsed:.1f}s ({rate:.0f} posts/s, "
        "indexing included)."
    )
    left = service.pending_count()
    if left:
        click.echo(f"{left} index change(s) are still pending; they are retried automatically.")


@click.command("search-status")
@with_appcontext
def status_command() -> None:
    """Show whether the index is healthy (as GET /healthz does) and how many changes wait."""
    from .health import index_verdict

    service = get_search_service()
    click.echo(
        f"Index {current_app.config['SEARCH_DIR']}: {index_verdict(service)}; "
        f"pending changes: {service.pending_count()}"
    )


@click.command("check-index")
@click.option(
    "--repair",
    is_flag=True,
    help="Reindex missing and stale documents, delete extra ones (rebuild an unreadable index).",
)
@with_appcontext
def check_index_command(repair: bool) -> None:
    """Compare every document of the index with the database: missing, stale and extra ones.
    Exits with 1 when it found problems and did not repair them."""
    from .consistency import compare_index, repair_index
    from .index import IndexUnavailable

    service = get_search_service()
    while service.available() and service.apply_pending():  # what waits is no problem
        pass
    with Session(get_engine()) as session:
        try:
            report = compare_index(session, service.store)
        except IndexUnavailable as exc:
            click.echo(f"The index cannot be read: {exc}")
            if not repair:
                raise click.exceptions.Exit(1) from exc
            with service.store.rebuild_lock(blocking=True):
                click.echo(f"Rebuilt the index: {service.rebuild()} documents.")
            return
        for name, keys in (
            ("missing", report.missing),
            ("stale", report.stale),
            ("extra", report.extra),
        ):
            shown = ", ".join(keys[:10]) + (", ..." if len(keys) > 10 else "")
            click.echo(f"{name}: {len(keys)}" + (f" ({shown})" if keys else ""))
        if not report.problems:
            click.echo("The index agrees with the database.")
        elif repair:
            repair_index(session, service.store, report)
            click.echo(f"Repaired {report.problems} document(s).")
        else:
            click.echo("Run `flask forum check-index --repair` to repair them.")
            raise click.exceptions.Exit(1)


@click.command("seed-glossary")
@with_appcontext
def seed_glossary_command() -> None:
    """Add the built-in sustainability glossary groups that are not there yet."""
    from .glossary import seed_glossary

    with session_scope() as session:
        added = seed_glossary(session)
    click.echo(f"Glossary: {added} group(s) added.")


@click.command("search-eval")
@click.option(
    "--corpus", "corpora", multiple=True, help="Only these corpora (default: all labelled)."
)
@with_appcontext
def search_eval_command(corpora: tuple[str, ...]) -> None:
    """Print nDCG@10 and Recall@10 per corpus and variant (see bench/search_eval.py)."""
    import sys

    from ..config import PROJECT_ROOT

    if str(PROJECT_ROOT) not in sys.path:  # bench/ lives beside the package, not inside it
        sys.path.insert(0, str(PROJECT_ROOT))
    from bench.search_eval import main

    main(list(corpora) or None)


COMMANDS = (
    reindex_command,
    import_command,
    status_command,
    check_index_command,
    seed_glossary_command,
    search_eval_command,
)
