"""How a view answers once a POST has been handled, and how a domain error reaches the user."""

from __future__ import annotations

from flask import flash, make_response, redirect
from werkzeug.urls import iri_to_uri
from werkzeug.wrappers import Response

from ..db import get_session
from ..domain import DomainError
from .rendering import render, wants_fragment


def finish(
    location: str,
    *,
    message: str | None = None,
    fragment: str | None = None,
    commit: bool = True,
    hx_status: int = 204,
    hx_swap: bool = False,
    **context,
) -> Response:
    """Commit, then answer a POST that worked.

    A plain browser gets a 303 to ``location`` (``message`` flashed). An htmx request gets
    ``fragment`` rendered with ``message`` and ``context`` when there is one to swap in, and
    otherwise ``hx_status`` with an ``HX-Redirect`` to ``location`` (the message flashed for the
    next page), or with ``HX-Location`` when ``hx_swap`` asks htmx to swap the page in instead of
    reloading it.
    """
    location = iri_to_uri(location)  # it goes into a header, which holds Latin-1 only
    if commit:
        get_session().commit()
    if wants_fragment() and fragment:
        return render(fragment, message=message, **context)
    if message:
        flash(message, "success")
    if wants_fragment():
        response = make_response("", hx_status)
        response.headers["HX-Location" if hx_swap else "HX-Redirect"] = location
        return response
    return redirect(location, code=303)


def show_on_form(form, error: DomainError) -> None:
    """Put ``error`` next to its form field, or above the form when it names none."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
