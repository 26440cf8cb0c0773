"""``flask forum create-user``: make an account from the command line (confirmed at once)."""

from __future__ import annotations

import secrets

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from ..db import session_scope
from ..i18n import in_language
from .models import ActorType, Role


def generate_password() -> str:
    """A random password that always passes the policy (about 96 bits)."""
    return secrets.token_urlsafe(16)


@click.command("create-user")
@click.option("--email", required=True, help="E-mail address (the login).")
@click.option("--name", "display_name", required=True, help="Display name shown with posts.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.member.value,
    show_default=True,
)
@click.option("--organisation", default=None, help="Organisation the person speaks for.")
@click.option(
    "--actor-type",
    type=click.Choice([a.value for a in ActorType]),
    default=ActorType.individual.value,
    show_default=True,
)
@click.option("--locale", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option(
    "--generate-password",
    "generate",
    is_flag=True,
    help="Generate a password and print it instead of asking.",
)
@with_appcontext
def create_user_command(
    email, display_name, role, organisation, actor_type, locale, generate
) -> None:
    """Create a confirmed account; the password is asked for (twice) unless generated."""
    from . import service
    from .errors import AccountError

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="--email") from exc
    if not 2 <= len(display_name.strip()) <= 80:
        raise click.BadParameter("between 2 and 80 characters", param_hint="--name")
    password = (
        generate_password()
        if generate
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    with in_language("en"):
        try:
            with session_scope() as session:
                user = service.create_user(
                    session=session,
                    display_name=display_name,
                    email=email,
                    password=password,
                    organisation=organisation,
                    actor_type=actor_type,
                    locale=locale,
                    role=role,
                    confirmed=True,
                )
                summary = (
                    f"Created {user.role.value} {user.display_name} <{user.email}> (id {user.id})."
                )
        except AccountError as error:
            raise click.ClickException(str(error.message)) from error
    click.echo(summary)
    if generate:
        click.echo(f"Password: {password}")
