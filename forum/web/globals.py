"""The one place template globals are registered: a name can have one owner only.

Jinja keeps one namespace for the whole application, so two areas registering the same name would
silently overwrite each other; here the second registration is a startup error instead.
"""

from __future__ import annotations

from flask import Flask

_OWNERS = "forum_template_globals"


def register_template_globals(app: Flask, owner: str, helpers: dict) -> None:
    """Add ``helpers`` to every template; ``owner`` names who registers them (for the error)."""
    owners: dict[str, str] = app.extensions.setdefault(_OWNERS, {})
    for name in helpers:
        if name in owners:
            raise RuntimeError(
                f"template global {name!r} is registered by {owners[name]} and again by {owner}"
            )
        if name in app.jinja_env.globals:
            raise RuntimeError(f"template global {name!r} of {owner} hides one of Jinja's own")
        owners[name] = owner
    app.jinja_env.globals.update(helpers)
