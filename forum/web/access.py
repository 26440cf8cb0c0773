"""One access guard for every view: ``@requires(rule, ..., load=loader)``.

A rule (``forum.permissions.Rule``) is a predicate with the message a refused user reads. The guard
answers the same way everywhere: an anonymous visitor is sent to the login flow (401 for htmx and
non-browser clients, through flask-login), a signed-in user who may not act gets a 403 (or the
rule's own status) with the rule's message, and a loader that finds nothing visible answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import current_app
from flask_login import current_user

from ..permissions import Rule
from .rendering import fail


def requires(*rules: Rule | tuple[Rule, ...], load: Callable[..., dict] | None = None):
    """Check ``rules`` (single rules or tuples like ``PARTICIPANT``, in order) before the view runs.

    Anonymous visitors are sent to log in first, before anything is loaded, so an address says
    nothing about what exists. Then ``load(**view_args)`` returns the objects the rules are about
    as a dict (``{"thread": t}``) and 404s itself when there is nothing the user may see; a rule
    gets the loaded objects it names in ``on``, and the view gets all of them as keyword arguments
    next to its URL arguments.
    """

    rules = tuple(_flatten(rules))

    def decorate(view):
        @wraps(view)
        def guarded(**view_args):
            if not current_user.is_authenticated and any(rule.sign_in for rule in rules):
                return current_app.login_manager.unauthorized()
            loaded = load(**view_args) if load is not None else {}
            for rule in rules:
                if not rule.test(current_user, *(loaded[name] for name in rule.on)):
                    fail(rule.status, str(rule.message))
            return view(**view_args, **loaded)

        return guarded

    return decorate


def _flatten(rules):
    for rule in rules:
        if isinstance(rule, Rule):
            yield rule
        else:
            yield from _flatten(rule)
